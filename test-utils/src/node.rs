//! The real `medchain-node` for end-to-end tests (feature `e2e`).
//!
//! [`Node`] starts the `medchain-node` binary as a `--dev` chain on free ports, sends its
//! output to a log file, and stops it again when dropped. Every wait here has a bound: when one
//! runs out, the panic message carries the last lines of the node's log.

// subxt's errors are large; the tests only report them.
#![allow(clippy::result_large_err)]

use std::{
	fs::File,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, ExitStatus, Stdio},
	time::{Duration, Instant},
};

use subxt::{
	config::RpcConfigFor,
	events::DecodeAsEvent,
	extrinsics::ExtrinsicEvents,
	rpcs::{LegacyRpcMethods, RpcClient},
	transactions::{Payload, Signer},
	utils::H256,
	OnlineClient, OnlineClientAtBlock, PolkadotConfig,
};

/// The `name` binary of this workspace (`medchain-node`, `medchain`), next to the test's target
/// directory, where `cargo test --workspace` builds it before it runs any test.
pub fn workspace_binary(name: &str) -> PathBuf {
	let exe = std::env::current_exe().expect("the test knows its own path");
	// <target>/<profile>/deps/<test> → <target>/<profile>/<name>
	let path = exe
		.parent()
		.and_then(Path::parent)
		.map(|dir| dir.join(name))
		.expect("the test runs from <target>/<profile>/deps");
	assert!(
		path.exists(),
		"{} does not exist: build it first (`cargo build --workspace --bins`, or run `cargo \
		 test --workspace`)",
		path.display()
	);
	path
}

/// How long a debug build of the node gets to open its RPC port.
pub const NODE_START_TIMEOUT: Duration = Duration::from_secs(180);

/// The legacy (`chain_*`, `system_*`) JSON-RPC methods, typed for our chain.
pub type LegacyRpc = LegacyRpcMethods<RpcConfigFor<PolkadotConfig>>;

/// Time between two polls of the node.
const POLL_INTERVAL: Duration = Duration::from_millis(500);
/// Upper bound for one RPC round trip inside a poll loop.
const RPC_CALL_TIMEOUT: Duration = Duration::from_secs(20);
/// How long the node gets to shut down after SIGTERM before it is killed.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);
/// How many lines of the node's log go into a failure message.
const LOG_TAIL_LINES: usize = 60;

/// A transaction that succeeded (no `System::ExtrinsicFailed`) in a finalized block.
pub struct Finalized {
	/// What the transaction was, for messages.
	pub what: String,
	/// Its events.
	pub events: ExtrinsicEvents<PolkadotConfig>,
	/// A client at the finalized block that contains it.
	pub at: OnlineClientAtBlock<PolkadotConfig>,
}

impl Finalized {
	/// The number of the block that contains the transaction.
	pub fn block_number(&self) -> u64 {
		self.at.block_number()
	}

	/// The hash of the block that contains the transaction.
	pub fn block_hash(&self) -> H256 {
		self.at.block_hash()
	}

	/// `Pallet::Event` for each of the transaction's events, in order (for messages).
	pub fn event_names(&self) -> Vec<String> {
		self.events
			.iter()
			.map(|event| match event {
				Ok(event) => format!("{}::{}", event.pallet_name(), event.event_name()),
				Err(e) => format!("<undecodable event: {e}>"),
			})
			.collect()
	}

	/// The fields of every event of the transaction that `E` stands for, in order. Panics if one
	/// of them cannot be decoded as `E`.
	pub fn events_of<E: DecodeAsEvent>(&self) -> Vec<E> {
		let mut found = Vec::new();
		for (index, event) in self.events.iter().enumerate() {
			let event = event
				.unwrap_or_else(|e| panic!("{}: cannot decode its event #{index}: {e}", self.what));
			if let Some(decoded) = event.decode_fields_as::<E>() {
				found.push(decoded.unwrap_or_else(|e| {
					panic!(
						"{}: cannot decode its {}::{} event: {e}",
						self.what,
						event.pallet_name(),
						event.event_name()
					)
				}));
			}
		}
		found
	}

	/// The fields of the transaction's one event that `E` stands for. Panics unless there is
	/// exactly one.
	pub fn single_event<E: DecodeAsEvent>(&self) -> E {
		let mut found = self.events_of::<E>();
		if found.len() != 1 {
			panic!(
				"{}: expected exactly one {}, found {}; its events: {:?}",
				self.what,
				std::any::type_name::<E>(),
				found.len(),
				self.event_names()
			);
		}
		found.remove(0)
	}
}

/// Where a test node keeps its chain: a temporary base path (`--tmp`), or, when
/// `MEDCHAIN_KEEP_CHAINS` names a directory, a base path of its own there that outlives the
/// test, so that `scripts/try-live.sh` can check every pallet's invariants on the state the
/// end-to-end tests left.
fn base_path_args(rpc_port: u16) -> Vec<String> {
	match std::env::var_os("MEDCHAIN_KEEP_CHAINS") {
		Some(dir) if !dir.is_empty() => {
			let path = Path::new(&dir).join(format!("chain-{}-{rpc_port}", std::process::id()));
			vec!["--base-path".into(), path.display().to_string()]
		},
		_ => vec!["--tmp".into()],
	}
}

/// A running `medchain-node --dev` process (on a temporary base path unless
/// `MEDCHAIN_KEEP_CHAINS` keeps its chain). Dropping it stops the process.
pub struct Node {
	child: Child,
	rpc_port: u16,
	p2p_port: u16,
	prometheus_port: u16,
	log_path: PathBuf,
}

impl Node {
	/// Starts a development node (`--dev`) on free RPC, p2p and Prometheus ports.
	pub fn start() -> Node {
		Node::start_with_args(&[])
	}

	/// Like [`Node::start`], with extra command-line arguments appended.
	pub fn start_with_args(extra_args: &[&str]) -> Node {
		let [rpc_port, p2p_port, prometheus_port] = free_ports::<3>();
		let log_path = std::env::temp_dir()
			.join(format!("medchain-e2e-{}-{rpc_port}.log", std::process::id()));
		let stdout = File::create(&log_path).unwrap_or_else(|e| {
			panic!("cannot create the node log file {}: {e}", log_path.display())
		});
		let stderr = stdout.try_clone().expect("duplicate the node log file handle for stderr");

		let binary = workspace_binary("medchain-node");
		let child = Command::new(&binary)
			.args(["--dev", "--no-telemetry", "--no-mdns"])
			.args(base_path_args(rpc_port))
			.arg("--rpc-port")
			.arg(rpc_port.to_string())
			.arg("--port")
			.arg(p2p_port.to_string())
			.arg("--prometheus-port")
			.arg(prometheus_port.to_string())
			.args(extra_args)
			.stdin(Stdio::null())
			.stdout(Stdio::from(stdout))
			.stderr(Stdio::from(stderr))
			.spawn()
			.unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));

		eprintln!(
			"started medchain-node (pid {}): rpc ws://127.0.0.1:{rpc_port}, p2p {p2p_port}, \
			 prometheus {prometheus_port}, log {}",
			child.id(),
			log_path.display()
		);
		Node { child, rpc_port, p2p_port, prometheus_port, log_path }
	}

	/// The node's WebSocket RPC endpoint.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// The port the node's p2p networking listens on.
	pub fn p2p_port(&self) -> u16 {
		self.p2p_port
	}

	/// The port of the node's Prometheus endpoint.
	pub fn prometheus_port(&self) -> u16 {
		self.prometheus_port
	}

	/// Where the node's stdout and stderr go.
	pub fn log_path(&self) -> &Path {
		&self.log_path
	}

	/// The last `lines` lines of the node's log (lossy UTF-8).
	pub fn log_tail(&self, lines: usize) -> String {
		match std::fs::read(&self.log_path) {
			Ok(bytes) => {
				let text = String::from_utf8_lossy(&bytes);
				let all: Vec<&str> = text.lines().collect();
				all[all.len().saturating_sub(lines)..].join("\n")
			},
			Err(e) => format!("<cannot read {}: {e}>", self.log_path.display()),
		}
	}

	/// Panics with `what`, the log's path and its last lines.
	pub fn fail(&self, what: impl std::fmt::Display) -> ! {
		panic!(
			"{what}\n--- last {LOG_TAIL_LINES} lines of {} ---\n{}\n--- end of node log ---",
			self.log_path.display(),
			self.log_tail(LOG_TAIL_LINES)
		)
	}

	/// Panics (with the log) if the node process has already exited.
	pub fn assert_running(&mut self) {
		if let Some(status) = self.exit_status() {
			self.fail(format!("medchain-node exited unexpectedly ({status})"));
		}
	}

	fn exit_status(&mut self) -> Option<ExitStatus> {
		self.child.try_wait().ok().flatten()
	}

	/// Retries `OnlineClient::from_url` until the node answers or `timeout` passes.
	pub async fn wait_for_rpc(&mut self, timeout: Duration) -> OnlineClient<PolkadotConfig> {
		let url = self.ws_url();
		let deadline = Instant::now() + timeout;
		let mut attempts = 0u32;
		let mut last_error = String::from("no attempt made");
		loop {
			self.assert_running();
			let remaining = deadline.saturating_duration_since(Instant::now());
			if remaining.is_zero() {
				self.fail(format!(
					"no RPC at {url} within {timeout:?} ({attempts} attempts; last error: {last_error})"
				));
			}
			attempts += 1;
			let attempt = tokio::time::timeout(
				remaining.min(RPC_CALL_TIMEOUT),
				OnlineClient::<PolkadotConfig>::from_url(&url),
			)
			.await;
			match attempt {
				Ok(Ok(client)) => return client,
				Ok(Err(e)) => last_error = e.to_string(),
				Err(_) => {
					last_error = format!("connect attempt took longer than {RPC_CALL_TIMEOUT:?}")
				},
			}
			sleep_until_deadline(POLL_INTERVAL, deadline).await;
		}
	}

	/// A second connection for raw JSON-RPC calls (`chain_getFinalizedHead`, `system_health` …).
	/// Call it after [`Node::wait_for_rpc`] has succeeded.
	pub async fn legacy_rpc(&self) -> LegacyRpc {
		let url = self.ws_url();
		let rpc_client = tokio::time::timeout(RPC_CALL_TIMEOUT, RpcClient::from_url(&url))
			.await
			.unwrap_or_else(|_| self.fail(format!("raw RPC connect to {url} timed out")))
			.unwrap_or_else(|e| self.fail(format!("raw RPC connect to {url} failed: {e}")));
		LegacyRpcMethods::new(rpc_client)
	}

	/// The finalized head's number and hash, from `chain_getFinalizedHead` + `chain_getHeader`.
	pub async fn finalized_head(&self, rpc: &LegacyRpc) -> Result<(u64, H256), String> {
		let query = async {
			let hash = rpc
				.chain_get_finalized_head()
				.await
				.map_err(|e| format!("chain_getFinalizedHead failed: {e}"))?;
			let header = rpc
				.chain_get_header(Some(hash))
				.await
				.map_err(|e| format!("chain_getHeader({hash:?}) failed: {e}"))?
				.ok_or_else(|| format!("chain_getHeader({hash:?}) returned no header"))?;
			Ok::<_, String>((header.number, hash))
		};
		tokio::time::timeout(RPC_CALL_TIMEOUT, query).await.unwrap_or_else(|_| {
			Err(format!("finalized head query took longer than {RPC_CALL_TIMEOUT:?}"))
		})
	}

	/// Polls the raw RPC until the finalized head's number is at least `min_number`, and
	/// returns that head. Panics with a diagnosis after `timeout`.
	pub async fn wait_for_finalized(
		&mut self,
		rpc: &LegacyRpc,
		min_number: u64,
		timeout: Duration,
	) -> (u64, H256) {
		let deadline = Instant::now() + timeout;
		let mut last_seen;
		loop {
			self.assert_running();
			match self.finalized_head(rpc).await {
				Ok((number, hash)) if number >= min_number => return (number, hash),
				Ok((number, hash)) => last_seen = format!("#{number} ({hash:?})"),
				Err(e) => last_seen = e,
			}
			if Instant::now() >= deadline {
				let diagnosis = self.chain_diagnosis(rpc).await;
				self.fail(format!(
					"no finalized block with number >= {min_number} within {timeout:?}; last \
					 finalized head: {last_seen}; {diagnosis}"
				));
			}
			sleep_until_deadline(POLL_INTERVAL, deadline).await;
		}
	}

	/// Signs `call` against the current finalized block, submits it, waits until it is in a
	/// finalized block and succeeded, and returns its events and a client at that block. Fails
	/// the test (with the node log) at any step that goes wrong or takes longer than `timeout`.
	/// A signer must not have two transactions in flight (the nonce is read at the finalized
	/// block).
	pub async fn submit_finalized<Call, S>(
		&self,
		api: &OnlineClient<PolkadotConfig>,
		what: &str,
		call: &Call,
		signer: &S,
		timeout: Duration,
	) -> Finalized
	where
		Call: Payload,
		S: Signer<PolkadotConfig>,
	{
		let (outcome, at) = self.submit_until_finalized(api, what, call, signer, timeout).await;
		let events = outcome.unwrap_or_else(|e| self.fail(format!("{what}: failed: {e}")));
		Finalized { what: what.to_string(), events, at }
	}

	/// Like [`Node::submit_finalized`], for a transaction that must be included in a finalized
	/// block and fail there: returns the dispatch error as text, and fails the test if the
	/// transaction succeeded.
	pub async fn submit_finalized_refused<Call, S>(
		&self,
		api: &OnlineClient<PolkadotConfig>,
		what: &str,
		call: &Call,
		signer: &S,
		timeout: Duration,
	) -> String
	where
		Call: Payload,
		S: Signer<PolkadotConfig>,
	{
		match self.submit_until_finalized(api, what, call, signer, timeout).await {
			(Ok(_), at) => self.fail(format!(
				"{what}: succeeded in #{}, but it must have been refused",
				at.block_number()
			)),
			(Err(error), _) => error,
		}
	}

	/// Signs, submits and waits for `call` to be in a finalized block; returns its outcome
	/// (events on success, the error as text on a failed dispatch) and a client at that block.
	async fn submit_until_finalized<Call, S>(
		&self,
		api: &OnlineClient<PolkadotConfig>,
		what: &str,
		call: &Call,
		signer: &S,
		timeout: Duration,
	) -> (Result<ExtrinsicEvents<PolkadotConfig>, String>, OnlineClientAtBlock<PolkadotConfig>)
	where
		Call: Payload,
		S: Signer<PolkadotConfig>,
	{
		let at = tokio::time::timeout(RPC_CALL_TIMEOUT, api.at_current_block())
			.await
			.unwrap_or_else(|_| {
				self.fail(format!(
					"{what}: no client at the finalized block within {RPC_CALL_TIMEOUT:?}"
				))
			})
			.unwrap_or_else(|e| {
				self.fail(format!("{what}: cannot get a client at the finalized block: {e}"))
			});
		let built_on = at.block_number();
		let progress = tokio::time::timeout(
			RPC_CALL_TIMEOUT,
			at.transactions().sign_and_submit_then_watch_default(call, signer),
		)
		.await
		.unwrap_or_else(|_| {
			self.fail(format!(
				"{what}: signing and submitting took longer than {RPC_CALL_TIMEOUT:?}"
			))
		})
		.unwrap_or_else(|e| self.fail(format!("{what}: signing or submitting failed: {e}")));
		let tx_hash = progress.extrinsic_hash();
		eprintln!("{what}: submitted {tx_hash:?} (built on #{built_on})");

		let in_block = tokio::time::timeout(timeout, progress.wait_for_finalized())
			.await
			.unwrap_or_else(|_| {
				self.fail(format!("{what}: {tx_hash:?} was not finalized within {timeout:?}"))
			})
			.unwrap_or_else(|e| {
				self.fail(format!("{what}: {tx_hash:?} did not reach finality: {e}"))
			});
		let block_hash = in_block.block_hash();
		let outcome = tokio::time::timeout(RPC_CALL_TIMEOUT, in_block.wait_for_success())
			.await
			.unwrap_or_else(|_| {
				self.fail(format!(
					"{what}: no events of block {block_hash:?} within {RPC_CALL_TIMEOUT:?}"
				))
			})
			.map_err(|e| format!("{tx_hash:?} in block {block_hash:?}: {e}"));
		let at = tokio::time::timeout(RPC_CALL_TIMEOUT, in_block.at())
			.await
			.unwrap_or_else(|_| {
				self.fail(format!(
					"{what}: no client at block {block_hash:?} within {RPC_CALL_TIMEOUT:?}"
				))
			})
			.unwrap_or_else(|e| {
				self.fail(format!("{what}: cannot get a client at block {block_hash:?}: {e}"))
			});
		eprintln!("{what}: finalized in #{} ({block_hash:?})", at.block_number());
		(outcome, at)
	}

	/// Best block and `system_health`, to tell "no blocks" (BABE) from "no finality" (GRANDPA).
	pub async fn chain_diagnosis(&self, rpc: &LegacyRpc) -> String {
		let best = match tokio::time::timeout(RPC_CALL_TIMEOUT, rpc.chain_get_header(None)).await {
			Ok(Ok(Some(header))) => format!("best block #{}", header.number),
			Ok(Ok(None)) => "best block: none".to_string(),
			Ok(Err(e)) => format!("best block: chain_getHeader failed: {e}"),
			Err(_) => "best block: chain_getHeader timed out".to_string(),
		};
		let health = match tokio::time::timeout(RPC_CALL_TIMEOUT, rpc.system_health()).await {
			Ok(Ok(h)) => format!(
				"system_health: peers {}, syncing {}, should_have_peers {}",
				h.peers, h.is_syncing, h.should_have_peers
			),
			Ok(Err(e)) => format!("system_health failed: {e}"),
			Err(_) => "system_health timed out".to_string(),
		};
		format!("{best}; {health}")
	}

	/// Stops the node: SIGTERM first (so `--tmp` can delete its base path), then SIGKILL.
	fn stop(&mut self) {
		if self.exit_status().is_some() {
			return;
		}
		#[cfg(unix)]
		{
			let asked = Command::new("kill")
				.arg("-TERM")
				.arg(self.child.id().to_string())
				.stdin(Stdio::null())
				.stdout(Stdio::null())
				.stderr(Stdio::null())
				.status()
				.map(|status| status.success())
				.unwrap_or(false);
			if asked {
				let deadline = Instant::now() + SHUTDOWN_GRACE;
				while Instant::now() < deadline {
					if self.exit_status().is_some() {
						return;
					}
					std::thread::sleep(Duration::from_millis(100));
				}
			}
		}
		// Not running any more is fine here; anything else has nowhere to go from a Drop.
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		self.stop();
		if std::thread::panicking() {
			eprintln!("medchain-node log kept at {}", self.log_path.display());
		} else if std::env::var_os("MEDCHAIN_E2E_KEEP_LOGS").is_none() {
			let _ = std::fs::remove_file(&self.log_path);
		}
	}
}

/// `N` distinct free TCP ports on 127.0.0.1: bind them all at once, then release them.
fn free_ports<const N: usize>() -> [u16; N] {
	let listeners: Vec<TcpListener> = (0..N)
		.map(|_| TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0 to find a free port"))
		.collect();
	let mut ports = [0u16; N];
	for (port, listener) in ports.iter_mut().zip(&listeners) {
		*port = listener.local_addr().expect("local address of a port-finding listener").port();
	}
	ports
}

/// Sleeps for `interval`, or until `deadline` if that comes first.
async fn sleep_until_deadline(interval: Duration, deadline: Instant) {
	let remaining = deadline.saturating_duration_since(Instant::now());
	tokio::time::sleep(interval.min(remaining)).await;
}
