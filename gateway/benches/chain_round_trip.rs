//! Records written and read per second through one gateway **with the chain round trip**: a
//! write deposits the encrypted document with the gateway (PostgreSQL, fsync on) and anchors it
//! on chain, final before it counts; a read has the gateway write the access receipt on chain,
//! final, before it releases the envelope with the data key re-wrapped for the reader, which the
//! reader then checks against the chain and decrypts. A benchmark, not a test: it prints numbers.
//!
//! Needs a running development chain (`scripts/dev-chain.sh`):
//!
//! `cargo bench -p medchain-gateway --bench chain_round_trip [-- <url> <writes> <reads>
//! <read concurrency>]` (defaults `ws://127.0.0.1:9944`, 16, 64, 16).
//!
//! Every run makes fresh accounts (funded by //Alice in one batch), a fresh organisation (by
//! sudo), a patient, four authors writing in parallel (a signer's transactions are sequential)
//! and one reader whose reads run `<read concurrency>` at a time; the gateway runs in this
//! process with the real chain ledger.

use std::{
	sync::Arc,
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use medchain_client::{
	chain::{runtime, types, Chain},
	classes::DataClass,
	consent::{self, ConsentAction, Grantee, PractitionerRole, PurposeOfUse, Terms},
	directory::{self, LicenceTerms, OrganisationKind},
	fhir::FhirDocument,
	gateway::Gateway as GatewayClient,
	identity::Identity,
	records,
};
use medchain_gateway::{
	app::{router, system_clock, Gateway},
	ledger::ChainLedger,
	store::{PgStore, Store},
};
use medchain_test_utils::postgres::Postgres;
use subxt::utils::MultiAddress;

const AUTHORS: usize = 4;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
	let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
	sorted.get(index).copied().unwrap_or_default()
}

fn report(what: &str, mut latencies: Vec<Duration>, elapsed: Duration) {
	latencies.sort();
	let count = latencies.len();
	println!(
		"{what}: {count} in {:.1} s = {:.2}/s; latency p50 {:.1} s, p95 {:.1} s, max {:.1} s",
		elapsed.as_secs_f64(),
		count as f64 / elapsed.as_secs_f64(),
		percentile(&latencies, 0.50).as_secs_f64(),
		percentile(&latencies, 0.95).as_secs_f64(),
		latencies.last().copied().unwrap_or_default().as_secs_f64(),
	);
}

fn arg(index: usize, default: &str) -> String {
	std::env::args()
		.skip(1)
		.filter(|a| a != "--bench")
		.nth(index)
		.unwrap_or_else(|| default.to_string())
}

#[tokio::main]
async fn main() {
	let url = arg(0, "ws://127.0.0.1:9944");
	let writes: usize = arg(1, "16").parse().expect("<writes> is a number");
	let reads: usize = arg(2, "64").parse().expect("<reads> is a number");
	let concurrency: usize = arg(3, "16").parse().expect("<read concurrency> is a number");
	let chain = Chain::connect(&url, Duration::from_secs(60)).await.expect("a running dev chain");
	let run = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
	let who =
		|role: &str| Identity::from_secret_uri(role, &format!("//Bench{run}/{role}")).unwrap();
	let alice = Identity::from_secret_uri("alice", "//Alice").unwrap();
	let (admin, reader, gateway_id, patient) =
		(who("admin"), who("reader"), who("gateway"), who("patient"));
	let authors: Vec<Identity> = (0..AUTHORS).map(|i| who(&format!("author{i}"))).collect();

	// Fund the staff and the gateway in one batch.
	let mut funded = vec![admin.account(), reader.account(), gateway_id.account()];
	funded.extend(authors.iter().map(Identity::account));
	let calls = funded
		.iter()
		.map(|account| {
			types::medchain_runtime::RuntimeCall::Balances(
				types::pallet_balances::pallet::Call::transfer_keep_alive {
					dest: MultiAddress::Id(*account),
					value: 1_000_000_000_000_000,
				},
			)
		})
		.collect();
	let batch = runtime::transactions().utility().batch_all(calls);
	chain.submit("funding the benchmark's accounts", &batch, &alice.signer).await.unwrap();

	// A hospital, its staff, a patient who lets its physicians read and write.
	let org = directory::register_organisation(
		&chain,
		&alice,
		OrganisationKind::Hospital,
		&admin.account(),
		&format!("Bench hospital {run}"),
	)
	.await
	.unwrap();
	let mut staff: Vec<&Identity> = authors.iter().collect();
	staff.push(&reader);
	for member in &staff {
		let licence = LicenceTerms::valid_for_days_from_now("GMC".into(), member.name.clone(), 30);
		let role = PractitionerRole::Physician;
		directory::invite_practitioner(&chain, &admin, org, &member.account(), role, &licence)
			.await
			.unwrap();
	}
	let joins = staff.iter().map(|member| {
		let chain = chain.clone();
		async move {
			directory::accept_invitation(&chain, member, org).await.unwrap();
			directory::register_practitioner_key(&chain, member).await.unwrap();
		}
	});
	futures::future::join_all(joins).await;
	directory::register_patient(&chain, &patient).await.unwrap();
	let terms = Terms {
		effect: consent::Effect::Permit,
		actions: vec![ConsentAction::Read, ConsentAction::Write],
		purposes: vec![PurposeOfUse::Treatment],
		classes: vec![DataClass::General],
		records: vec![],
		valid_from: None,
		valid_until: None,
	};
	let grantee = Grantee::Role { organisation: org, role: PractitionerRole::Physician };
	consent::grant(&chain, &patient, grantee, &terms).await.unwrap();

	// The gateway, on its own PostgreSQL, published in the directory.
	let database = Postgres::start();
	let store = Store::Postgres(PgStore::open(&database.url()).await.unwrap());
	let gateway_account = gateway_id.account();
	let gateway_key = gateway_id.encryption_public();
	let ledger = ChainLedger::new(
		chain.clone(),
		Identity::from_secret_uri("gateway", &format!("//Bench{run}/gateway")).unwrap(),
	);
	let state = Arc::new(Gateway {
		store,
		identity: gateway_id,
		genesis: chain.genesis(),
		replay_window: 60,
		clock: system_clock(),
		ledger,
	});
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let endpoint = format!("http://{}", listener.local_addr().unwrap());
	tokio::spawn(async move { axum::serve(listener, router(state)).await.unwrap() });
	directory::set_gateway(&chain, &admin, org, &gateway_account, &endpoint, gateway_key)
		.await
		.unwrap();
	let client =
		Arc::new(GatewayClient::new(&endpoint, gateway_account, Duration::from_secs(180)).unwrap());

	// Writes: each author its share in turn, the authors side by side.
	let fixture = include_str!("../../cli/tests/fixtures/observation.json");
	let document = FhirDocument::parse(fixture.as_bytes()).unwrap();
	let tag = patient.class_key.tag(DataClass::General);
	let started = Instant::now();
	let per_author = writes.div_ceil(AUTHORS);
	let tasks = authors.iter().map(|author| {
		let (chain, client, document) = (chain.clone(), client.clone(), document.clone());
		let (patient, tag) = (patient.account(), tag.clone());
		async move {
			let mut done = Vec::new();
			for _ in 0..per_author {
				let one = Instant::now();
				let anchored = records::add_via_gateway(
					&chain,
					&client,
					&gateway_key,
					author,
					&patient,
					&document,
					tag.clone(),
				)
				.await
				.unwrap();
				done.push((anchored.record, one.elapsed()));
			}
			done
		}
	});
	let written: Vec<(u64, Duration)> =
		futures::future::join_all(tasks).await.into_iter().flatten().collect();
	report(
		"writes (deposit + anchor, final)",
		written.iter().map(|w| w.1).collect(),
		started.elapsed(),
	);

	// Reads: `concurrency` at a time over the records written.
	let started = Instant::now();
	let reader = Arc::new(reader);
	let semaphore = Arc::new(tokio::sync::Semaphore::new(concurrency));
	let tasks = (0..reads).map(|i| {
		let record = written[i % written.len()].0;
		let (chain, client, reader, semaphore) =
			(chain.clone(), client.clone(), reader.clone(), semaphore.clone());
		let expected = document.clone();
		tokio::spawn(async move {
			let _permit = semaphore.acquire().await.unwrap();
			let one = Instant::now();
			let read = records::get_via_gateway(
				&chain,
				&client,
				&reader,
				record,
				None,
				PurposeOfUse::Treatment,
			)
			.await
			.unwrap();
			assert_eq!(read, expected);
			one.elapsed()
		})
	});
	let mut latencies = Vec::with_capacity(reads);
	for task in tasks.collect::<Vec<_>>() {
		latencies.push(task.await.unwrap());
	}
	report(
		&format!("reads (receipt final, release, verify; {concurrency} at a time)"),
		latencies,
		started.elapsed(),
	);
	drop(database);
}
