//! Following the chain from outside: every best block's extrinsics are matched against the
//! run's by hash (inclusion), each finalized head finalizes what is included up to it, and
//! every block's weight, length and time are kept for the report.

use std::{
	collections::HashMap,
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use medchain_client::chain::{runtime, Chain, H256};

use crate::{workload::Signed, Error, Kind};

/// How long the run waits, once everything is handed over, for another inclusion.
const STALLED: Duration = Duration::from_secs(30);

/// What one extrinsic of the run went through, in seconds from the run's start.
#[derive(Clone, Debug, Default)]
pub struct Fate {
	/// Its kind.
	pub kind: Option<Kind>,
	/// When it was first handed to the pool.
	pub submitted: Option<f64>,
	/// When the best block including it was seen, and that block's number.
	pub included: Option<(f64, u64)>,
	/// When a finalized head at or above that block was seen.
	pub finalized: Option<f64>,
	/// Its dispatch failed (`System.ExtrinsicFailed`): the error, as the chain reported it.
	pub failed: Option<String>,
	/// The pool refused it for good: why.
	pub rejected: Option<String>,
	/// Times the pool turned it away for lack of room before taking it.
	pub pool_full: u32,
}

/// One block the run saw.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BlockSeen {
	/// Its number.
	pub number: u64,
	/// When it was seen (seconds from the run's start).
	pub seen: f64,
	/// Its timestamp (`Timestamp::Now`, milliseconds).
	pub timestamp_ms: u64,
	/// Extrinsics in it, all of them (inherents included).
	pub extrinsics: usize,
	/// The run's extrinsics in it, per kind.
	pub of_run: HashMap<&'static str, usize>,
	/// Normal-class weight used, as a share of the normal class's limit (compute time).
	pub ref_time_share: f64,
	/// Normal-class proof size used, as a share of its limit.
	pub proof_size_share: f64,
	/// Bytes of extrinsics, as a share of the normal class's length limit.
	pub length_share: f64,
}

/// The run's state, shared by the submitter and the follower.
pub struct Tracker {
	/// When the run started (the first submission).
	pub start: Instant,
	/// Every extrinsic of the run, by hash.
	pub fates: HashMap<H256, Fate>,
	/// The blocks seen, in order.
	pub blocks: Vec<BlockSeen>,
	/// The highest finalized block seen.
	pub finalized: u64,
	/// Why the follower stopped early, if it did.
	pub follower_error: Option<String>,
}

impl Tracker {
	/// A tracker of `signed`, starting now.
	pub fn new(signed: &[Signed]) -> Self {
		let fates = signed
			.iter()
			.map(|s| (s.hash, Fate { kind: Some(s.kind), ..Default::default() }))
			.collect();
		Self {
			start: Instant::now(),
			fates,
			blocks: Vec::new(),
			finalized: 0,
			follower_error: None,
		}
	}

	fn now(&self) -> f64 {
		self.start.elapsed().as_secs_f64()
	}

	/// `hash` is being handed to the pool.
	pub fn submitted(&mut self, hash: H256) {
		let now = self.now();
		if let Some(fate) = self.fates.get_mut(&hash) {
			fate.submitted.get_or_insert(now);
		}
	}

	/// The pool refused `hash`: for lack of room (`retry`), or for good.
	pub fn refused(&mut self, hash: H256, message: &str, retry: bool) {
		if let Some(fate) = self.fates.get_mut(&hash) {
			if retry {
				fate.pool_full = fate.pool_full.saturating_add(1);
			} else {
				fate.rejected = Some(message.to_string());
			}
		}
	}

	/// Whether every extrinsic that was taken is finalized and none is still to be taken.
	pub fn settled(&self) -> bool {
		self.fates.values().all(|f| f.rejected.is_some() || f.finalized.is_some())
	}
}

/// The chain's block limits for the normal dispatch class.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Limits {
	/// Compute time (picoseconds of reference time).
	pub ref_time: u64,
	/// Proof size (bytes).
	pub proof_size: u64,
	/// Block length (bytes).
	pub length: u32,
	/// The runtime's spec version.
	pub spec_version: u32,
}

impl Limits {
	/// Reads the limits from the runtime's constants.
	pub async fn read(chain: &Chain) -> Result<Self, Error> {
		let at = chain.at_finalized().await.map_err(|e| format!("reading the chain: {e}"))?;
		let weights = at
			.constants()
			.entry(runtime::constants().system().block_weights())
			.map_err(|e| format!("reading System::BlockWeights: {e}"))?;
		let length = at
			.constants()
			.entry(runtime::constants().system().block_length())
			.map_err(|e| format!("reading System::BlockLength: {e}"))?;
		let normal = weights.per_class.normal.max_total.unwrap_or(weights.max_block);
		Ok(Self {
			ref_time: normal.ref_time,
			proof_size: normal.proof_size,
			length: length.max.normal,
			spec_version: at.spec_version(),
		})
	}
}

/// Starts following the chain: best blocks (inclusion, fullness) and finalized heads.
pub async fn follow(
	chain: Chain,
	tracker: Arc<Mutex<Tracker>>,
	limits: Limits,
) -> Result<tokio::task::JoinHandle<()>, Error> {
	let mut best = chain
		.api()
		.stream_best_blocks()
		.await
		.map_err(|e| format!("following the best blocks: {e}"))?;
	let mut finalized = chain
		.api()
		.stream_blocks()
		.await
		.map_err(|e| format!("following the finalized blocks: {e}"))?;
	let first = chain.at_finalized().await.map_err(|e| format!("reading the chain: {e}"))?;
	let mut last_best = first.block_number();
	Ok(tokio::spawn(async move {
		let stopped = loop {
			tokio::select! {
				block = best.next() => match block {
					Some(Ok(block)) => {
						// Blocks the stream skipped are read by number.
						for number in last_best.saturating_add(1)..=block.number() {
							if let Err(e) = read_block(&chain, number, &tracker, &limits).await {
								break_with(&tracker, format!("reading block #{number}: {e}"));
							}
						}
						last_best = last_best.max(block.number());
					},
					Some(Err(e)) => break format!("the best-block stream failed: {e}"),
					None => break "the best-block stream ended".to_string(),
				},
				block = finalized.next() => match block {
					Some(Ok(block)) => finalize(&tracker, block.number()),
					Some(Err(e)) => break format!("the finalized-block stream failed: {e}"),
					None => break "the finalized-block stream ended".to_string(),
				},
			}
		};
		break_with(&tracker, stopped);
	}))
}

fn break_with(tracker: &Mutex<Tracker>, error: String) {
	if let Ok(mut t) = tracker.lock() {
		t.follower_error.get_or_insert(error);
	}
}

/// Reads best block `number`: the run's extrinsics in it, their dispatch results, its weight,
/// length and timestamp.
async fn read_block(
	chain: &Chain,
	number: u64,
	tracker: &Mutex<Tracker>,
	limits: &Limits,
) -> Result<(), Error> {
	let at = chain.api().at_block(number).await?;
	let extrinsics = at.extrinsics().fetch().await?;
	let events = at.events().fetch().await?;
	let weight = at.storage().fetch(runtime::storage().system().block_weight(), ()).await?;
	let weight = weight.decode()?;
	let timestamp = at.storage().fetch(runtime::storage().timestamp().now(), ()).await?;
	let timestamp_ms = timestamp.decode()?;

	let mut hashes = Vec::with_capacity(extrinsics.len());
	let mut bytes = 0usize;
	for extrinsic in extrinsics.iter() {
		let extrinsic = extrinsic?;
		bytes = bytes.saturating_add(extrinsic.bytes().len());
		hashes.push(extrinsic.hash());
	}
	let mut failed = HashMap::new();
	for event in events.iter() {
		let event = event?;
		if let Some(found) = event.decode_fields_as::<runtime::system::events::ExtrinsicFailed>() {
			if let subxt::events::Phase::ApplyExtrinsic(index) = event.phase() {
				failed.insert(index as usize, format!("{:?}", found?.dispatch_error));
			}
		}
	}

	let mut t = tracker.lock().map_err(|_| "the tracker's lock is poisoned")?;
	let seen = t.now();
	let mut of_run: HashMap<&'static str, usize> = HashMap::new();
	for (index, hash) in hashes.iter().enumerate() {
		if let Some(fate) = t.fates.get_mut(hash) {
			if fate.included.is_none() {
				fate.included = Some((seen, number));
				fate.failed = failed.get(&index).cloned();
				if let Some(kind) = fate.kind {
					*of_run.entry(kind.name()).or_default() += 1;
				}
			}
		}
	}
	let share = |used: u64, limit: u64| if limit == 0 { 0.0 } else { used as f64 / limit as f64 };
	t.blocks.push(BlockSeen {
		number,
		seen,
		timestamp_ms,
		extrinsics: hashes.len(),
		of_run,
		ref_time_share: share(weight.normal.ref_time, limits.ref_time),
		proof_size_share: share(weight.normal.proof_size, limits.proof_size),
		length_share: share(bytes as u64, u64::from(limits.length)),
	});
	Ok(())
}

/// Finalized head `number`: what is included at or below it is final.
fn finalize(tracker: &Mutex<Tracker>, number: u64) {
	let Ok(mut t) = tracker.lock() else { return };
	let now = t.now();
	t.finalized = t.finalized.max(number);
	for fate in t.fates.values_mut() {
		if let (Some((_, block)), None) = (fate.included, fate.finalized) {
			if block <= number {
				fate.finalized = Some(now);
			}
		}
	}
}

/// Waits until the run is settled (everything taken is finalized), or everything was handed
/// over and nothing more was included for [`STALLED`] (the pool dropped the rest), or
/// `deadline` has passed since the start; prints progress every five seconds.
pub async fn wait(tracker: Arc<Mutex<Tracker>>, deadline: Duration) {
	let mut tick = tokio::time::interval(Duration::from_millis(500));
	let mut last_print = Instant::now();
	let mut last_progress = (0usize, Instant::now());
	loop {
		tick.tick().await;
		let Ok(t) = tracker.lock() else { return };
		let submitted = t.fates.values().filter(|f| f.submitted.is_some()).count();
		let started = submitted > 0;
		if started && t.settled() {
			return;
		}
		let included = t.fates.values().filter(|f| f.included.is_some()).count();
		if included != last_progress.0 {
			last_progress = (included, Instant::now());
		}
		if submitted == t.fates.len() && last_progress.1.elapsed() > STALLED {
			return;
		}
		if t.follower_error.is_some() || t.start.elapsed() > deadline + Duration::from_secs(60) {
			return;
		}
		if last_print.elapsed() > Duration::from_secs(5) {
			last_print = Instant::now();
			let included = t.fates.values().filter(|f| f.included.is_some()).count();
			let finalized = t.fates.values().filter(|f| f.finalized.is_some()).count();
			eprintln!(
				"  {:>5.0} s: {submitted} submitted, {included} in blocks, {finalized} finalized \
				 (block #{})",
				t.now(),
				t.blocks.last().map_or(0, |b| b.number)
			);
		}
	}
}
