//! `medchain-load`: a load generator for a MedChain node.
//!
//! It prepares a population on the chain (funded senders, an organisation with practitioners,
//! registered patients who let the organisation's physicians treat them), pre-signs every
//! extrinsic of the run, then submits them to the node's pool, interleaving the call kinds so
//! that balance transfers and each healthcare call are measured side by side in one run. From
//! outside the node it follows the best and finalized blocks and reports, per kind: included
//! and finalized per second, dispatch failures, pool rejections, and inclusion and finality
//! latency (p50/p95/p99); per block: fullness by weight and by length. It writes a JSON report
//! and an SVG chart, and stops by itself once everything submitted is finalized or after a
//! bounded time.
//!
//! `scripts/load-test.sh` runs it against a release dev node (docs/performance.md).

mod monitor;
mod report;
mod setup;
mod workload;

use std::{
	path::PathBuf,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use clap::Parser;
use medchain_client::chain::{Chain, DEFAULT_URL};

/// A boxed error with the context it was met in.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The kinds of call the generator submits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Kind {
	/// `Balances::transfer_keep_alive`, the reference.
	Transfer,
	/// `MedicalRecords::anchor_record` by a practitioner the patient permits to write.
	Anchor,
	/// `Consent::record_access`: a practitioner's read of a patient's class, with its receipt.
	Access,
	/// `Consent::grant_consent` by a patient (a free call within the patient's allowance).
	Grant,
	/// `MedicalRecords::anchor_batch`: one Merkle root for many record versions.
	Batch,
}

impl Kind {
	/// The kind's name in reports.
	pub fn name(self) -> &'static str {
		match self {
			Kind::Transfer => "transfer",
			Kind::Anchor => "anchor_record",
			Kind::Access => "record_access",
			Kind::Grant => "grant_consent",
			Kind::Batch => "anchor_batch",
		}
	}
}

/// What to run.
#[derive(Parser, Debug, Clone)]
#[command(name = "medchain-load", version, about)]
pub struct Args {
	/// The node's RPC endpoint.
	#[arg(long, default_value = DEFAULT_URL)]
	pub url: String,
	/// The call kinds to submit, side by side.
	#[arg(long, value_delimiter = ',', default_value = "transfer,anchor,access,grant,batch")]
	pub kinds: Vec<Kind>,
	/// Extrinsics of each kind.
	#[arg(long, default_value_t = 2000)]
	pub count: u32,
	/// Grants, if not `--count`: patients sign them, at most 49 each a day.
	#[arg(long)]
	pub grant_count: Option<u32>,
	/// Signing accounts of each kind: transfer senders, and practitioners for anchors,
	/// accesses and batches (grants are signed by the patients).
	#[arg(long, default_value_t = 50)]
	pub senders: u32,
	/// Registered patients the healthcare calls are about.
	#[arg(long, default_value_t = 50)]
	pub patients: u32,
	/// Submissions per second over all kinds; 0 submits as fast as the pool accepts.
	#[arg(long, default_value_t = 0)]
	pub rate: u32,
	/// Submissions in flight at once.
	#[arg(long, default_value_t = 64)]
	pub concurrency: usize,
	/// Stop this many seconds after the first submission, finalized or not.
	#[arg(long, default_value_t = 300)]
	pub max_seconds: u64,
	/// Record versions each batch anchor claims to cover.
	#[arg(long, default_value_t = 1000)]
	pub batch_leaves: u32,
	/// The account that funds the run and registers its organisation (sudo on a dev chain).
	#[arg(long, default_value = "//Alice")]
	pub funder: String,
	/// Where `load.json` and `load.svg` are written.
	#[arg(long, default_value = "target/load")]
	pub out: PathBuf,
	/// Fail (exit status 1) unless every extrinsic was finalized and none failed: for smoke
	/// runs.
	#[arg(long)]
	pub strict: bool,
}

impl Args {
	/// Refuses a run the chain's limits would make fail part way.
	fn check(&self) -> Result<(), Error> {
		if self.kinds.is_empty() || self.count == 0 {
			return Err("nothing to run: give at least one kind and a count above 0".into());
		}
		if self.senders == 0 || self.patients == 0 || self.concurrency == 0 {
			return Err("--senders, --patients and --concurrency must be above 0".into());
		}
		if self.kinds.contains(&Kind::Grant) {
			// Each patient's own calls are free up to 50 a day (one is spent in the setup), and a
			// patient holds at most 64 grants.
			let most = self.patients.saturating_mul(workload::GRANTS_PER_PATIENT);
			if self.count_of(Kind::Grant) > most {
				return Err(format!(
					"{} grants need more patients: {} patients sign at most {most} \
					 ({} each, within their free-call allowance)",
					self.count_of(Kind::Grant),
					self.patients,
					workload::GRANTS_PER_PATIENT
				)
				.into());
			}
		}
		Ok(())
	}

	/// How many extrinsics of `kind` the run signs.
	pub fn count_of(&self, kind: Kind) -> u32 {
		match kind {
			Kind::Grant => self.grant_count.unwrap_or(self.count),
			_ => self.count,
		}
	}
}

#[tokio::main]
async fn main() {
	let args = Args::parse();
	if let Err(e) = run(args).await {
		eprintln!("medchain-load: {e}");
		std::process::exit(1);
	}
}

async fn run(mut args: Args) -> Result<(), Error> {
	args.kinds.sort();
	args.kinds.dedup();
	args.check()?;
	let chain = Chain::connect(&args.url, Duration::from_secs(60))
		.await
		.map_err(|e| format!("connecting to {}: {e}", args.url))?;
	eprintln!("setting up: accounts, an organisation, practitioners, patients and their consent");
	let setup_started = Instant::now();
	let population = setup::prepare(&chain, &args).await?;
	let setup_seconds = setup_started.elapsed().as_secs_f64();
	eprintln!("set up in {setup_seconds:.0} s; signing the run's extrinsics");
	let signed = workload::presign(&chain, &population, &args).await?;
	let limits = monitor::Limits::read(&chain).await?;

	let tracker = Arc::new(Mutex::new(monitor::Tracker::new(&signed)));
	let following = monitor::follow(chain.clone(), tracker.clone(), limits.clone()).await?;
	eprintln!("submitting {} extrinsics", signed.len());
	let deadline = Duration::from_secs(args.max_seconds);
	let submitting = workload::submit(chain.clone(), signed, tracker.clone(), &args);
	let waited = monitor::wait(tracker.clone(), deadline);
	let (submitted, ()) = futures::join!(submitting, waited);
	submitted?;
	following.abort();

	let tracker = tracker.lock().map_err(|_| "the block follower panicked")?;
	let report = report::Report::build(&tracker, &args, &limits, setup_seconds);
	report.print();
	report.write(&args.out)?;
	eprintln!(
		"wrote {} and {}",
		args.out.join("load.json").display(),
		args.out.join("load.svg").display()
	);
	if args.strict {
		report.ensure_complete()?;
	}
	Ok(())
}
