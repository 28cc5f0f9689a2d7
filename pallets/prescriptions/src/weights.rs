//! Weights for `pallet_prescriptions`.
//!
//! No benchmark run on the release node has measured the pallet yet: this file holds the
//! interface and each call's storage reads and writes as the code does them, no execution time:
//! [`SubstrateWeight`] with the runtime's database weights (ParityDB's, measured), `()` with
//! RocksDB's for the unit tests. `scripts/benchmark-weights.sh pallet_prescriptions` replaces
//! it with weights measured from `src/benchmarking.rs`.

#![allow(missing_docs)]

use core::marker::PhantomData;
use polkadot_sdk::{
	frame_support::{
		traits::Get,
		weights::{constants::RocksDbWeight, RuntimeDbWeight, Weight},
	},
	frame_system,
};

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

/// The runtime's database weights.
fn db<T: frame_system::Config>() -> RuntimeDbWeight {
	T::DbWeight::get()
}

/// For the runtime: the storage each call reads and writes at the runtime's database weights,
/// nothing else.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn prescribe() -> Weight {
		db::<T>().reads_writes(3, 1)
	}
	fn reserve_fill() -> Weight {
		db::<T>().reads_writes(3, 1)
	}
	fn dispense() -> Weight {
		db::<T>().reads_writes(5, 4)
	}
	fn release_fill() -> Weight {
		db::<T>().reads_writes(3, 1)
	}
	fn cancel_prescription() -> Weight {
		db::<T>().reads_writes(2, 1)
	}
	fn license_supplier() -> Weight {
		db::<T>().reads_writes(1, 1)
	}
	fn revoke_supplier() -> Weight {
		db::<T>().reads_writes(1, 1)
	}
	fn register_batch() -> Weight {
		db::<T>().reads_writes(2, 2)
	}
	fn ship_batch() -> Weight {
		db::<T>().reads_writes(7, 1)
	}
	fn receive_batch() -> Weight {
		db::<T>().reads_writes(5, 3)
	}
	fn recall_batch() -> Weight {
		db::<T>().reads_writes(1, 1)
	}
	fn cancel_shipment() -> Weight {
		db::<T>().reads_writes(3, 1)
	}
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
