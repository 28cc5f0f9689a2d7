//! Weights for `pallet_claims`.
//!
//! No benchmark run on the release node has measured the pallet yet: this file holds the
//! interface and each call's storage reads and writes as the code does them, no execution time:
//! [`SubstrateWeight`] with the runtime's database weights (ParityDB's, measured), `()` with
//! RocksDB's for the unit tests. A claim's submission and end also make and end a consent grant
//! in the runtime (the payer's access), counted here at the grant's storage.
//! `scripts/benchmark-weights.sh pallet_claims` replaces it with weights measured from
//! `src/benchmarking.rs`, consent's part included.

#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::{
	frame_support::{
		traits::Get,
		weights::{constants::RocksDbWeight, RuntimeDbWeight, Weight},
	},
	frame_system,
};

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

/// Each call's storage reads and writes under database weights `db`, the consent grant that
/// opens or closes the payer's access included (at most 6 reads and 6 writes).
fn storage(db: RuntimeDbWeight, reads: u64, writes: u64) -> Weight {
	db.reads_writes(reads, writes)
}

/// The weights the runtime charges: [`storage`] at its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn offer_coverage() -> Weight {
		storage(T::DbWeight::get(), 3, 3)
	}
	fn accept_coverage() -> Weight {
		storage(T::DbWeight::get(), 1, 1)
	}
	fn end_coverage() -> Weight {
		storage(T::DbWeight::get(), 2, 1)
	}
	fn submit_claim(r: u32) -> Weight {
		storage(T::DbWeight::get(), 9u64.saturating_add(2u64.saturating_mul(u64::from(r))), 10)
	}
	fn decide_claim() -> Weight {
		storage(T::DbWeight::get(), 9, 8)
	}
	fn dispute_claim() -> Weight {
		storage(T::DbWeight::get(), 3, 1)
	}
	fn withdraw_claim() -> Weight {
		storage(T::DbWeight::get(), 9, 8)
	}
	fn close_claim() -> Weight {
		storage(T::DbWeight::get(), 8, 8)
	}
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
