//! Database weights of the MedChain node's `ParityDb`, measured by `medchain-node benchmark
//! storage` (`scripts/benchmark-weights.sh`). Do not edit by hand: regenerate.
//!
//! Benchmark CLI 64.0.0, 2026-12-06 (Y/M/D); machine `vm` (Intel(R) Xeon(R) Processor); runtime
//! `MedChain Development` at block Number(81); state version 1;
//! warm-ups 1; metric `Average` ×
//! 1.0 + 0.

// Command:
// /root/.cache/medchain-target/release/medchain-node
// benchmark
// storage
// --chain
// dev
// --base-path
// /tmp/state1/chain
// --database
// paritydb
// --state-version
// 1
// --batch-size
// 1000
// --template-path
// scripts/storage-weights-template.hbs
// --weight-path
// runtime/src/weights

use polkadot_sdk::frame_support::{
	parameter_types,
	weights::{constants::WEIGHT_REF_TIME_PER_NANOS, RuntimeDbWeight},
};

parameter_types! {
	/// The time to read and to write one storage item in `ParityDb`.
	pub const ParityDbWeight: RuntimeDbWeight = RuntimeDbWeight {
		// Read, nanoseconds: min 761, max 2_121_180,
		// average 3_625, median 2_647,
		// p75 3_016, p95 3_758, p99 9_987.
		read: 3_625 * WEIGHT_REF_TIME_PER_NANOS,
		// Write, nanoseconds: min 5_279, max 12_982,
		// average 9_130, median 5_279,
		// p75 12_982, p95 12_982, p99 12_982.
		write: 9_130 * WEIGHT_REF_TIME_PER_NANOS,
	};
}
