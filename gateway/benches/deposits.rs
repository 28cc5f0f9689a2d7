//! Deposits per second through one gateway on this machine: a real gateway on loopback, the
//! client library's signed HTTP client, PostgreSQL (a throwaway cluster, fsync on) and the local
//! directory store. A benchmark, not a test: it prints numbers.
//!
//! `cargo bench -p medchain-gateway --bench deposits [-- <deposits> <concurrency>]`
//! (defaults 2000 and 8). Each deposit is an Observation sealed under a fresh key wrapped for
//! the gateway; the gateway unwraps, opens and validates it before storing the ciphertext.

use std::{
	sync::Arc,
	time::{Duration, Instant},
};

use medchain_client::{
	crypto, custody::Deposit, gateway::Gateway as GatewayClient, identity::Identity,
};
use medchain_gateway::{
	app::{router, system_clock, Gateway},
	store::{PgStore, Store},
};

const GENESIS: [u8; 32] = [0x6e; 32];

fn deposits(gateway: &Identity, count: usize) -> Vec<Deposit> {
	let fixture: serde_json::Value =
		serde_json::from_str(include_str!("../../cli/tests/fixtures/observation.json")).unwrap();
	(0..count)
		.map(|i| {
			let patient = Identity::from_secret_uri("p", &format!("//Patient{}", i % 50)).unwrap();
			let mut document = fixture.clone();
			document["id"] = format!("bench-{i}").into();
			let plaintext = serde_json::to_vec(&document).unwrap();
			let aad = crypto::record_aad(&GENESIS, &patient.account().0);
			let (key, envelope) = crypto::seal_record(&plaintext, &aad).unwrap();
			let origin = crypto::commitment(&envelope);
			let context =
				crypto::wrap_aad(&GENESIS, &patient.account().0, &origin, &gateway.account().0);
			let wrapped = crypto::wrap_key(&key, &gateway.encryption_public(), &context).unwrap();
			Deposit {
				patient: patient.account(),
				envelope,
				wrapped_key: wrapped.to_vec(),
				origin: None,
			}
		})
		.collect()
}

async fn run(name: &str, store: Store, count: usize, concurrency: usize) {
	let identity = Identity::from_secret_uri("gateway", "//GatewayBench").unwrap();
	let account = identity.account();
	let work = Arc::new(deposits(&identity, count));
	let state = Arc::new(Gateway {
		store,
		identity,
		genesis: GENESIS,
		replay_window: 60,
		clock: system_clock(),
		ledger: Arc::new(medchain_gateway::ledger::Unconnected),
	});
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let url = format!("http://{}", listener.local_addr().unwrap());
	let app = router(state);
	let server = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
	let client = Arc::new(GatewayClient::new(&url, account, Duration::from_secs(30)).unwrap());
	let author = Arc::new(Identity::from_secret_uri("doctor", "//DoctorBench").unwrap());

	let started = Instant::now();
	let mut tasks = Vec::new();
	for worker in 0..concurrency {
		let (client, author, work) = (client.clone(), author.clone(), work.clone());
		tasks.push(tokio::spawn(async move {
			let mut latencies = Vec::new();
			for deposit in work.iter().skip(worker).step_by(concurrency) {
				let sent = Instant::now();
				client.deposit(&author, "Observation", deposit).await.unwrap();
				latencies.push(sent.elapsed());
			}
			latencies
		}));
	}
	let mut latencies = Vec::new();
	for task in tasks {
		latencies.extend(task.await.unwrap());
	}
	let elapsed = started.elapsed();
	latencies.sort();
	let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q) as usize].as_secs_f64() * 1e3;
	println!(
		"{name:<11} {count} deposits, {concurrency} concurrent: {:.0} deposits/s; latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
		count as f64 / elapsed.as_secs_f64(),
		at(0.50),
		at(0.95),
		at(0.99),
	);
	server.abort();
}

fn main() {
	let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
	let count = args.first().and_then(|a| a.parse().ok()).unwrap_or(2000);
	let concurrency = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(8);
	let runtime = tokio::runtime::Runtime::new().unwrap();
	let pg = medchain_test_utils::postgres::Postgres::start();
	let dir = tempfile::tempdir().unwrap();
	runtime.block_on(async {
		let store = Store::Postgres(PgStore::open(&pg.url()).await.unwrap());
		run("postgresql", store, count, concurrency).await;
		run("directory", Store::directory(dir.path()).unwrap(), count, concurrency).await;
	});
}
