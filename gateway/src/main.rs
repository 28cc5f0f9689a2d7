//! `medchain-gateway`: runs an organisation's custodian gateway (see the library's docs and
//! `docs/gateway.md`).

use std::{process::ExitCode, sync::Arc, time::Duration};

use clap::Parser;
use medchain_client::{chain::Chain, identity::KeyRing, passphrase::Passphrase};
use medchain_gateway::{
	app::{allow_origins, router, system_clock, Gateway},
	config::{Args, FileConfig},
	ledger::ChainLedger,
	store::{PgStore, Store},
};

#[tokio::main]
async fn main() -> ExitCode {
	// JSON lines on standard error; RUST_LOG filters (default: info).
	tracing_subscriber::fmt()
		.json()
		.with_writer(std::io::stderr)
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.init();
	match run(Args::parse()).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			tracing::error!(error = %e, "gateway stopped");
			eprintln!("medchain-gateway: {e}");
			ExitCode::FAILURE
		},
	}
}

/// Ctrl-C or SIGTERM (what a service manager sends): requests in flight finish, then it stops.
async fn shutdown() {
	let terminate = async {
		match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
			Ok(mut signal) => drop(signal.recv().await),
			Err(_) => std::future::pending().await,
		}
	};
	tokio::select! {
		_ = tokio::signal::ctrl_c() => {},
		() = terminate => {},
	}
	tracing::info!("stopping");
}

/// The node, waited for up to a minute (a gateway and its node are often started together).
async fn connect(node: &str) -> Result<Chain, String> {
	let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
	loop {
		match Chain::connect(node, Duration::from_secs(30)).await {
			Ok(chain) => return Ok(chain),
			Err(e) if tokio::time::Instant::now() < deadline => {
				tracing::warn!(node, error = %e, "the node does not answer yet; retrying");
				tokio::time::sleep(Duration::from_secs(2)).await;
			},
			Err(e) => return Err(format!("connecting to the node {node}: {e}")),
		}
	}
}

async fn run(args: Args) -> Result<(), String> {
	let file = match &args.config {
		Some(path) => FileConfig::read(path).map_err(|e| e.to_string())?,
		None => FileConfig::default(),
	};
	let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
	let config = args.resolve(file, home).map_err(|e| e.to_string())?;
	let mut ring = KeyRing::new(&config.home);
	if let Some(path) = &config.passphrase_file {
		ring = ring.with_passphrase(Passphrase::from_file(path).map_err(|e| e.to_string())?);
	}
	let identity = ring.load(&config.identity).map_err(|e| e.to_string())?;
	let chain = connect(&config.node).await?;
	// The same identity again, for the receipts the ledger signs.
	let ledger =
		ChainLedger::new(chain.clone(), ring.load(&config.identity).map_err(|e| e.to_string())?);
	let store = match &config.database_url {
		Some(url) => Store::Postgres(PgStore::open(url).await.map_err(|e| e.to_string())?),
		None => Store::directory(&config.store_dir).map_err(|e| e.to_string())?,
	};
	let listener = tokio::net::TcpListener::bind(config.listen)
		.await
		.map_err(|e| format!("listening on {}: {e}", config.listen))?;
	let address = listener.local_addr().map_err(|e| e.to_string())?;
	tracing::info!(
		%address,
		account = %identity.account(),
		store = store.kind(),
		node = %config.node,
		"gateway listening"
	);
	let gateway = Arc::new(Gateway {
		store,
		identity,
		genesis: chain.genesis(),
		replay_window: config.replay_window_secs,
		clock: system_clock(),
		ledger,
	});
	let app = allow_origins(router(gateway), &config.allowed_origins)?;
	axum::serve(listener, app).with_graceful_shutdown(shutdown()).await.map_err(|e| e.to_string())
}
