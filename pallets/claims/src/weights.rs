//! Weights for `pallet_claims`.
//!
//! The pallet is not in the runtime yet, so no benchmark run on a node has measured it: this
//! file holds the interface and, for the unit tests, each call's storage reads and writes as
//! the code does them (RocksDB's database weights, no execution time). When the runtime takes
//! the pallet, `scripts/benchmark-weights.sh` replaces it with weights measured from
//! `src/benchmarking.rs`.

#![allow(missing_docs)]

use polkadot_sdk::frame_support::weights::{constants::RocksDbWeight, Weight};

/// The weight of each call of `pallet_claims`.
pub trait WeightInfo {
	/// The weight of `offer_coverage`.
	fn offer_coverage() -> Weight;
	/// The weight of `accept_coverage`.
	fn accept_coverage() -> Weight;
	/// The weight of `end_coverage`.
	fn end_coverage() -> Weight;
	/// The weight of `submit_claim` naming `r` records.
	fn submit_claim(r: u32) -> Weight;
	/// The weight of `decide_claim` (a final decision, which closes the claim).
	fn decide_claim() -> Weight;
	/// The weight of `dispute_claim`.
	fn dispute_claim() -> Weight;
	/// The weight of `withdraw_claim`.
	fn withdraw_claim() -> Weight;
	/// The weight of `close_claim`.
	fn close_claim() -> Weight;
}

/// For the unit tests: the storage each call reads and writes, nothing else.
impl WeightInfo for () {
	fn offer_coverage() -> Weight {
		RocksDbWeight::get().reads_writes(3, 3)
	}
	fn accept_coverage() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn end_coverage() -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
	fn submit_claim(r: u32) -> Weight {
		RocksDbWeight::get()
			.reads_writes(3, 4)
			.saturating_add(RocksDbWeight::get().reads(2u64.saturating_mul(u64::from(r))))
	}
	fn decide_claim() -> Weight {
		RocksDbWeight::get().reads_writes(3, 2)
	}
	fn dispute_claim() -> Weight {
		RocksDbWeight::get().reads_writes(3, 1)
	}
	fn withdraw_claim() -> Weight {
		RocksDbWeight::get().reads_writes(3, 2)
	}
	fn close_claim() -> Weight {
		RocksDbWeight::get().reads_writes(2, 2)
	}
}
