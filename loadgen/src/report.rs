//! The run's figures: per kind and per block, printed, written as JSON and drawn as SVG.

use std::{collections::BTreeMap, path::Path};

use plotters::prelude::*;
use serde::Serialize;

use crate::{
	monitor::{BlockSeen, Fate, Limits, Tracker},
	Args, Error, Kind,
};

/// Latency percentiles, in seconds.
#[derive(Debug, Serialize, Default)]
pub struct Latency {
	/// Median.
	pub p50: Option<f64>,
	/// 95th percentile.
	pub p95: Option<f64>,
	/// 99th percentile.
	pub p99: Option<f64>,
	/// Largest.
	pub max: Option<f64>,
}

impl Latency {
	fn of(mut values: Vec<f64>) -> Self {
		values.sort_by(f64::total_cmp);
		// Nearest rank: the smallest value at or above the share `q` of the values.
		let rank = |q: f64| {
			let n = values.len();
			if n == 0 {
				return None;
			}
			let index = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
			Some(values[index])
		};
		Self { p50: rank(0.50), p95: rank(0.95), p99: rank(0.99), max: values.last().copied() }
	}
}

/// One kind's figures.
#[derive(Debug, Serialize)]
pub struct KindReport {
	/// Extrinsics signed for the run.
	pub signed: usize,
	/// Handed to the pool.
	pub submitted: usize,
	/// Refused by the pool for good.
	pub rejected: usize,
	/// Why the first of them was refused.
	pub first_rejection: Option<String>,
	/// Times the pool was full and a submission was offered again.
	pub pool_full_retries: u64,
	/// In a best block.
	pub included: usize,
	/// Taken by the pool but in no block when the run ended (dropped by a full pool, or still
	/// waiting).
	pub never_included: usize,
	/// Of those, dispatched with an error.
	pub failed: usize,
	/// The first such error.
	pub first_failure: Option<String>,
	/// In a finalized block.
	pub finalized: usize,
	/// Included (and not failed) per second, from the kind's first submission to its last
	/// inclusion.
	pub included_per_second: f64,
	/// Finalized per second, from the kind's first submission to its last finalization.
	pub finalized_per_second: f64,
	/// The most included (and not failed) in any 60 seconds of chain time (ten blocks), per
	/// second; absent when the run's blocks span less than 60 seconds.
	pub best_60s_per_second: Option<f64>,
	/// Submission to inclusion.
	pub inclusion_latency: Latency,
	/// Submission to finality.
	pub finality_latency: Latency,
}

/// Record commitments anchored, over the kinds that anchor them: one for each `anchor_record`,
/// the batch's leaf count for each `anchor_batch` (its root covers that many record versions).
#[derive(Debug, Serialize, Default, PartialEq)]
pub struct Commitments {
	/// Leaves each batch anchor covers (`--batch-leaves`).
	pub leaves_per_batch: u32,
	/// Anchored in best blocks (dispatched without error).
	pub included: u64,
	/// Anchored in finalized blocks.
	pub finalized: u64,
	/// Included per second, from the first anchoring submission to the last inclusion.
	pub included_per_second: f64,
	/// Finalized per second, from the first anchoring submission to the last finalization.
	pub finalized_per_second: f64,
	/// The most included in any 60 seconds of chain time (ten blocks), per second; absent when
	/// the run's blocks span less than 60 seconds.
	pub best_60s_per_second: Option<f64>,
}

/// The whole report.
#[derive(Debug, Serialize)]
pub struct Report {
	/// The node's endpoint.
	pub url: String,
	/// The runtime's limits for normal extrinsics.
	pub limits: Limits,
	/// Seconds the setup took (before the run).
	pub setup_seconds: f64,
	/// Submissions per second asked for (0: as fast as the pool takes them).
	pub rate: u32,
	/// Signing accounts per kind.
	pub senders: u32,
	/// From the first submission to the last block read, in seconds.
	pub run_seconds: f64,
	/// Per kind.
	pub kinds: BTreeMap<&'static str, KindReport>,
	/// Record commitments anchored, single and batched together; absent when the run anchored
	/// none.
	pub commitments: Option<Commitments>,
	/// Every block seen during the run.
	pub blocks: Vec<BlockSeen>,
	/// Mean interval between the blocks' timestamps, in seconds.
	pub mean_block_interval: Option<f64>,
	/// Why following the chain stopped early, if it did.
	pub follower_error: Option<String>,
}

impl Report {
	/// The figures of `tracker`'s run.
	pub fn build(tracker: &Tracker, args: &Args, limits: &Limits, setup_seconds: f64) -> Self {
		let mut kinds = BTreeMap::new();
		for kind in &args.kinds {
			let fates: Vec<&Fate> =
				tracker.fates.values().filter(|f| f.kind == Some(*kind)).collect();
			kinds.insert(kind.name(), kind_report(&fates, &tracker.blocks));
		}
		let anchoring: Vec<(&Fate, u64)> = tracker
			.fates
			.values()
			.filter_map(|f| match f.kind {
				Some(Kind::Anchor) => Some((f, 1)),
				Some(Kind::Batch) => Some((f, u64::from(args.batch_leaves))),
				_ => None,
			})
			.collect();
		let commitments = (!anchoring.is_empty())
			.then(|| commitments(&anchoring, args.batch_leaves, &tracker.blocks));
		let first_block = tracker.blocks.first();
		let last_block = tracker.blocks.last();
		let mean_block_interval = match (first_block, last_block) {
			(Some(first), Some(last)) if last.number > first.number => Some(
				last.timestamp_ms.saturating_sub(first.timestamp_ms) as f64
					/ 1000.0 / (last.number - first.number) as f64,
			),
			_ => None,
		};
		Self {
			url: args.url.clone(),
			limits: limits.clone(),
			setup_seconds,
			rate: args.rate,
			senders: args.senders,
			run_seconds: last_block.map_or(0.0, |b| b.seen),
			kinds,
			commitments,
			blocks: tracker.blocks.clone(),
			mean_block_interval,
			follower_error: tracker.follower_error.clone(),
		}
	}

	/// Prints the per-kind figures.
	pub fn print(&self) {
		println!(
			"{:<14} {:>7} {:>7} {:>6} {:>9} {:>11} {:>10} {:>10} {:>9} {:>9}",
			"kind",
			"signed",
			"incl.",
			"failed",
			"final.",
			"incl./s",
			"final./s",
			"best 60s/s",
			"incl. p95",
			"final. p95"
		);
		for (name, k) in &self.kinds {
			let p95 = |l: &Latency| l.p95.map_or("-".to_string(), |v| format!("{v:.1} s"));
			println!(
				"{:<14} {:>7} {:>7} {:>6} {:>9} {:>11.1} {:>10.1} {:>10} {:>9} {:>9}",
				name,
				k.signed,
				k.included,
				k.failed,
				k.finalized,
				k.included_per_second,
				k.finalized_per_second,
				k.best_60s_per_second.map_or("-".to_string(), |v| format!("{v:.1}")),
				p95(&k.inclusion_latency),
				p95(&k.finality_latency),
			);
		}
		if let Some(c) = &self.commitments {
			println!(
				"record commitments anchored (one per anchor_record, {} per anchor_batch): {} \
				 included, {:.1}/s; {} finalized, {:.1}/s; best 60 s {}/s",
				c.leaves_per_batch,
				c.included,
				c.included_per_second,
				c.finalized,
				c.finalized_per_second,
				c.best_60s_per_second.map_or("-".to_string(), |v| format!("{v:.1}")),
			);
		}
		let fullest = self.blocks.iter().map(|b| b.ref_time_share).fold(0.0, f64::max);
		println!(
			"{} blocks in {:.0} s (mean interval {}), fullest block {:.0} % of the normal \
			 compute limit",
			self.blocks.len(),
			self.run_seconds,
			self.mean_block_interval.map_or("-".to_string(), |v| format!("{v:.1} s")),
			fullest * 100.0
		);
		for (name, k) in &self.kinds {
			if let Some(why) = &k.first_rejection {
				println!("{name}: {} rejected by the pool, the first: {why}", k.rejected);
			}
			if k.never_included > 0 {
				println!("{name}: {} taken by the pool but never included", k.never_included);
			}
			if let Some(why) = &k.first_failure {
				println!("{name}: {} failed in their blocks, the first: {why}", k.failed);
			}
		}
		if let Some(why) = &self.follower_error {
			println!("following the chain stopped early: {why}");
		}
	}

	/// Fails unless every extrinsic signed was finalized and dispatched without error.
	pub fn ensure_complete(&self) -> Result<(), Error> {
		let short: Vec<String> = self
			.kinds
			.iter()
			.filter(|(_, k)| k.finalized < k.signed || k.failed > 0)
			.map(|(name, k)| {
				format!("{name}: {} of {} finalized, {} failed", k.finalized, k.signed, k.failed)
			})
			.collect();
		if short.is_empty() {
			Ok(())
		} else {
			Err(format!("the run did not complete: {}", short.join("; ")).into())
		}
	}

	/// Writes `load.json` and `load.svg` into `dir`.
	pub fn write(&self, dir: &Path) -> Result<(), Error> {
		std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
		let json = serde_json::to_vec_pretty(self).map_err(|e| format!("the report: {e}"))?;
		let path = dir.join("load.json");
		std::fs::write(&path, json).map_err(|e| format!("writing {}: {e}", path.display()))?;
		let path = dir.join("load.svg");
		self.chart(&path).map_err(|e| format!("drawing {}: {e}", path.display()))?;
		Ok(())
	}

	/// The chart: each kind's extrinsics included over time (top), every block's fullness
	/// (bottom).
	fn chart(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
		let root = SVGBackend::new(path, (960, 720)).into_drawing_area();
		root.fill(&WHITE)?;
		let (top, bottom) = root.split_vertically(420);
		let end = self.run_seconds.max(1.0);
		let most = self.kinds.values().map(|k| k.included).max().unwrap_or(0).max(1) as f64;
		let mut chart = ChartBuilder::on(&top)
			.caption("Included extrinsics per kind (best blocks)", ("sans-serif", 18))
			.margin(12)
			.x_label_area_size(36)
			.y_label_area_size(64)
			.build_cartesian_2d(0f64..end, 0f64..most * 1.05)?;
		chart
			.configure_mesh()
			.x_desc("seconds since the first submission")
			.y_desc("included")
			.draw()?;
		for (i, name) in self.kinds.keys().enumerate() {
			let colour = Palette99::pick(i).to_rgba();
			let mut total = 0usize;
			let mut points = vec![(0.0, 0.0)];
			for block in &self.blocks {
				total += block.of_run.get(name).copied().unwrap_or(0);
				points.push((block.seen, total as f64));
			}
			chart
				.draw_series(LineSeries::new(points, colour.stroke_width(2)))?
				.label(*name)
				.legend(move |(x, y)| {
					PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
				});
		}
		chart
			.configure_series_labels()
			.position(SeriesLabelPosition::UpperLeft)
			.background_style(WHITE.mix(0.85))
			.border_style(BLACK)
			.draw()?;

		let mut chart = ChartBuilder::on(&bottom)
			.caption("Block fullness (share of the normal-class limit)", ("sans-serif", 18))
			.margin(12)
			.x_label_area_size(36)
			.y_label_area_size(64)
			.build_cartesian_2d(0f64..end, 0f64..1.05f64)?;
		chart
			.configure_mesh()
			.x_desc("seconds since the first submission")
			.y_desc("share")
			.draw()?;
		let series: [(&str, Share); 3] = [
			("compute time", |b| b.ref_time_share),
			("proof size", |b| b.proof_size_share),
			("length", |b| b.length_share),
		];
		for (i, (name, value)) in series.into_iter().enumerate() {
			let colour = Palette99::pick(i + 5).to_rgba();
			let points: Vec<(f64, f64)> = self.blocks.iter().map(|b| (b.seen, value(b))).collect();
			chart.draw_series(LineSeries::new(points, colour.stroke_width(2)))?.label(name).legend(
				move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)),
			);
		}
		chart
			.configure_series_labels()
			.position(SeriesLabelPosition::UpperLeft)
			.background_style(WHITE.mix(0.85))
			.border_style(BLACK)
			.draw()?;
		root.present()?;
		Ok(())
	}
}

/// One of a block's fullness figures.
type Share = fn(&BlockSeen) -> f64;

/// An event of a run: its time (seconds since the first submission) and what it counts for
/// (one extrinsic, or the record commitments it anchors).
type Event = (f64, u64);

/// The amount per second from `first_submitted` to the last event.
fn per_second(events: &[Event], first_submitted: f64) -> f64 {
	let last = events.iter().map(|(t, _)| *t).fold(f64::NEG_INFINITY, f64::max);
	let span = last - first_submitted;
	if events.is_empty() || !span.is_finite() || span <= 0.0 {
		0.0
	} else {
		events.iter().map(|(_, n)| *n).sum::<u64>() as f64 / span
	}
}

/// The busiest minute of chain time, per second: for each block, what the blocks stamped less
/// than 60 s before it and itself included (ten blocks of 6 s), over 60 s. Windows are set by
/// the blocks' own timestamps: the times the follower saw them jitter, and 60 s of those could
/// hold eleven blocks. `None` for a run whose blocks span less than a minute.
fn best_60s(events: &[Event], blocks: &[BlockSeen]) -> Option<f64> {
	let (first, last) = (blocks.first()?, blocks.last()?);
	if last.timestamp_ms < first.timestamp_ms.saturating_add(60_000) {
		return None;
	}
	let busiest = blocks
		.iter()
		.filter_map(|end| {
			// The window's first block (`end` itself at the latest); an event's time is the time
			// its block was seen.
			let from =
				blocks.iter().find(|b| b.timestamp_ms.saturating_add(60_000) > end.timestamp_ms)?;
			let amount: u64 = events
				.iter()
				.filter(|(t, _)| *t >= from.seen && *t <= end.seen)
				.map(|(_, n)| n)
				.sum();
			Some(amount as f64 / 60.0)
		})
		.fold(0.0, f64::max);
	Some(busiest)
}

/// When each fate was included without failing, and finalized, with its amount.
fn inclusions_and_finalizations(fates: &[(&Fate, u64)]) -> (Vec<Event>, Vec<Event>) {
	let included = fates
		.iter()
		.filter(|(f, _)| f.failed.is_none())
		.filter_map(|(f, n)| f.included.map(|(t, _)| (t, *n)))
		.collect();
	let finalized = fates.iter().filter_map(|(f, n)| f.finalized.map(|t| (t, *n))).collect();
	(included, finalized)
}

/// The earliest submission among `fates`.
fn first_submission<'a>(fates: impl Iterator<Item = &'a Fate>) -> f64 {
	fates.filter_map(|f| f.submitted).fold(f64::INFINITY, f64::min)
}

/// The record commitments `fates` anchored, each fate counting for its amount.
fn commitments(fates: &[(&Fate, u64)], leaves_per_batch: u32, blocks: &[BlockSeen]) -> Commitments {
	let first = first_submission(fates.iter().map(|(f, _)| *f));
	// A failed anchor anchored nothing, though its block is finalized.
	let anchored: Vec<(&Fate, u64)> =
		fates.iter().filter(|(f, _)| f.failed.is_none()).copied().collect();
	let (included, finalized) = inclusions_and_finalizations(&anchored);
	Commitments {
		leaves_per_batch,
		included: included.iter().map(|(_, n)| n).sum(),
		finalized: finalized.iter().map(|(_, n)| n).sum(),
		included_per_second: per_second(&included, first),
		finalized_per_second: per_second(&finalized, first),
		best_60s_per_second: best_60s(&included, blocks),
	}
}

/// The figures of one kind.
fn kind_report(fates: &[&Fate], blocks: &[BlockSeen]) -> KindReport {
	let first_submitted = first_submission(fates.iter().copied());
	let each: Vec<(&Fate, u64)> = fates.iter().map(|f| (*f, 1)).collect();
	let (ok_inclusions, finalizations) = inclusions_and_finalizations(&each);
	let rejected: Vec<&&Fate> = fates.iter().filter(|f| f.rejected.is_some()).collect();
	let failed: Vec<&&Fate> = fates.iter().filter(|f| f.failed.is_some()).collect();
	KindReport {
		signed: fates.len(),
		submitted: fates.iter().filter(|f| f.submitted.is_some()).count(),
		rejected: rejected.len(),
		first_rejection: rejected.first().and_then(|f| f.rejected.clone()),
		pool_full_retries: fates.iter().map(|f| u64::from(f.pool_full)).sum(),
		included: fates.iter().filter(|f| f.included.is_some()).count(),
		never_included: fates
			.iter()
			.filter(|f| f.submitted.is_some() && f.included.is_none() && f.rejected.is_none())
			.count(),
		failed: failed.len(),
		first_failure: failed.first().and_then(|f| f.failed.clone()),
		finalized: finalizations.len(),
		included_per_second: per_second(&ok_inclusions, first_submitted),
		finalized_per_second: per_second(&finalizations, first_submitted),
		best_60s_per_second: best_60s(&ok_inclusions, blocks),
		inclusion_latency: Latency::of(
			fates.iter().filter_map(|f| Some(f.included?.0 - f.submitted?)).collect(),
		),
		finality_latency: Latency::of(
			fates.iter().filter_map(|f| Some(f.finalized? - f.submitted?)).collect(),
		),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn fate(submitted: f64, included: Option<f64>, finalized: Option<f64>) -> Fate {
		Fate {
			kind: Some(Kind::Anchor),
			submitted: Some(submitted),
			included: included.map(|t| (t, 1)),
			finalized,
			..Default::default()
		}
	}

	/// A block seen at `seen` seconds, stamped then (a follower with no delay).
	fn block(seen: f64) -> BlockSeen {
		BlockSeen {
			number: 1,
			seen,
			timestamp_ms: (seen * 1000.0) as u64,
			extrinsics: 0,
			of_run: Default::default(),
			ref_time_share: 0.0,
			proof_size_share: 0.0,
			length_share: 0.0,
		}
	}

	#[test]
	fn percentiles_are_nearest_rank() {
		let latency = Latency::of((1..=100).rev().map(f64::from).collect());
		assert_eq!(latency.p50, Some(50.0));
		assert_eq!(latency.p95, Some(95.0));
		assert_eq!(latency.p99, Some(99.0));
		assert_eq!(latency.max, Some(100.0));
		let one = Latency::of(vec![7.0]);
		assert_eq!((one.p50, one.p99), (Some(7.0), Some(7.0)));
		assert_eq!(Latency::of(Vec::new()).p50, None);
	}

	#[test]
	fn rates_count_what_succeeded_from_the_first_submission() {
		let failed =
			Fate { failed: Some("ConsentDenied".into()), ..fate(0.0, Some(4.0), Some(8.0)) };
		let rejected = Fate { rejected: Some("1010: Invalid".into()), ..fate(0.0, None, None) };
		let fates =
			[fate(2.0, Some(6.0), Some(12.0)), fate(2.0, Some(12.0), Some(18.0)), failed, rejected];
		let refs: Vec<&Fate> = fates.iter().collect();
		let report = kind_report(&refs, &[block(6.0), block(12.0)]);
		assert_eq!((report.signed, report.submitted, report.included), (4, 4, 3));
		assert_eq!((report.failed, report.rejected, report.finalized), (1, 1, 3));
		assert_eq!(report.first_failure.as_deref(), Some("ConsentDenied"));
		assert_eq!(report.first_rejection.as_deref(), Some("1010: Invalid"));
		// Two succeeded, the last at 12 s; the first submission at 0 s.
		assert!((report.included_per_second - 2.0 / 12.0).abs() < 1e-9);
		// Three finalized, the last at 18 s.
		assert!((report.finalized_per_second - 3.0 / 18.0).abs() < 1e-9);
		assert_eq!(report.inclusion_latency.max, Some(10.0));
		// Shorter than a minute: no 60-second figure.
		assert_eq!(report.best_60s_per_second, None);
	}

	#[test]
	fn the_best_minute_is_the_busiest_window_ending_at_a_block() {
		// 30 inclusions at 10 s, 90 at 100 s: the busiest minute ends at 100 s.
		let mut fates: Vec<Fate> = (0..30).map(|_| fate(0.0, Some(10.0), None)).collect();
		fates.extend((0..90).map(|_| fate(0.0, Some(100.0), None)));
		let refs: Vec<&Fate> = fates.iter().collect();
		let report = kind_report(&refs, &[block(10.0), block(100.0)]);
		assert_eq!(report.best_60s_per_second, Some(1.5));
	}

	#[test]
	fn the_best_minute_holds_ten_blocks_however_late_they_were_seen() {
		// Blocks every 6 s from 0 s, each including 100; the follower saw the first late, so the
		// eleven blocks from 0 s to 60 s were all seen within 59.9 s. A minute of chain time
		// holds ten of them: 1,000 in 60 s.
		let blocks: Vec<BlockSeen> = (0..=10u64)
			.map(|i| BlockSeen {
				timestamp_ms: i * 6_000,
				seen: if i == 0 { 0.1 } else { i as f64 * 6.0 },
				..block(0.0)
			})
			.collect();
		let fates: Vec<Fate> =
			blocks.iter().flat_map(|b| (0..100).map(|_| fate(0.0, Some(b.seen), None))).collect();
		let refs: Vec<&Fate> = fates.iter().collect();
		let report = kind_report(&refs, &blocks);
		assert_eq!(report.best_60s_per_second, Some(1000.0 / 60.0));
	}

	#[test]
	fn commitments_count_each_batch_for_its_leaves() {
		// Two single anchors and one batch of 1,000 leaves, included at 10 s and finalized at
		// 20 s; one more batch failed in its block and counts for nothing; the first submission
		// at 0 s.
		let single = fate(0.0, Some(10.0), Some(20.0));
		let batch = Fate { kind: Some(Kind::Batch), ..fate(0.0, Some(10.0), Some(20.0)) };
		let failed = Fate { failed: Some("NotCustodian".into()), ..batch.clone() };
		let fates = [(&single, 1), (&single, 1), (&batch, 1000), (&failed, 1000)];
		let blocks = [block(10.0), block(20.0), block(70.0)];
		let c = commitments(&fates, 1000, &blocks);
		assert_eq!((c.leaves_per_batch, c.included), (1000, 1002));
		// The failed batch's block is finalized, but it anchored nothing.
		assert_eq!(c.finalized, 1002);
		assert!((c.included_per_second - 1002.0 / 10.0).abs() < 1e-9);
		assert!((c.finalized_per_second - 1002.0 / 20.0).abs() < 1e-9);
		assert_eq!(c.best_60s_per_second, Some(1002.0 / 60.0));
	}
}
