//! Weights for `pallet_prescriptions`.
//!
//! The pallet is not in the runtime yet, so no benchmark run on a node has measured it: this
//! file holds the interface and, for the unit tests, each call's storage reads and writes as
//! the code does them (RocksDB's database weights, no execution time). When the runtime takes
//! the pallet, `scripts/benchmark-weights.sh` replaces it with weights measured from
//! `src/benchmarking.rs`.

#![allow(missing_docs)]

use polkadot_sdk::frame_support::weights::{constants::RocksDbWeight, Weight};

/// The weight of each call of `pallet_prescriptions`.
pub trait WeightInfo {
	/// The weight of `prescribe`.
	fn prescribe() -> Weight;
	/// The weight of `reserve_fill` (with a choice: one signature checked).
	fn reserve_fill() -> Weight;
	/// The weight of `dispense`.
	fn dispense() -> Weight;
	/// The weight of `release_fill`.
	fn release_fill() -> Weight;
	/// The weight of `cancel_prescription`.
	fn cancel_prescription() -> Weight;
	/// The weight of `license_supplier`.
	fn license_supplier() -> Weight;
	/// The weight of `revoke_supplier`.
	fn revoke_supplier() -> Weight;
	/// The weight of `register_batch`.
	fn register_batch() -> Weight;
	/// The weight of `ship_batch`.
	fn ship_batch() -> Weight;
	/// The weight of `receive_batch`.
	fn receive_batch() -> Weight;
	/// The weight of `recall_batch`.
	fn recall_batch() -> Weight;
	/// The weight of `cancel_shipment`.
	fn cancel_shipment() -> Weight;
}

/// For the unit tests: the storage each call reads and writes, nothing else.
impl WeightInfo for () {
	fn prescribe() -> Weight {
		RocksDbWeight::get().reads_writes(3, 1)
	}
	fn reserve_fill() -> Weight {
		RocksDbWeight::get().reads_writes(3, 1)
	}
	fn dispense() -> Weight {
		RocksDbWeight::get().reads_writes(5, 4)
	}
	fn release_fill() -> Weight {
		RocksDbWeight::get().reads_writes(3, 1)
	}
	fn cancel_prescription() -> Weight {
		RocksDbWeight::get().reads_writes(2, 1)
	}
	fn license_supplier() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn revoke_supplier() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn register_batch() -> Weight {
		RocksDbWeight::get().reads_writes(2, 2)
	}
	fn ship_batch() -> Weight {
		RocksDbWeight::get().reads_writes(7, 1)
	}
	fn receive_batch() -> Weight {
		RocksDbWeight::get().reads_writes(5, 3)
	}
	fn recall_batch() -> Weight {
		RocksDbWeight::get().reads_writes(1, 1)
	}
	fn cancel_shipment() -> Weight {
		RocksDbWeight::get().reads_writes(3, 1)
	}
}
