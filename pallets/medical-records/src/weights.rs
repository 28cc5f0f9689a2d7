//! Weights for `pallet_medical_records`.
//!
//! PLACEHOLDERS, NOT MEASUREMENTS. This file has the layout the Substrate benchmark CLI generates
//! from `benchmarking.rs`, but its numbers were written by hand until `scripts/benchmark-weights.sh`
//! regenerates it on reference hardware. What is honest already: the storage reads and writes of
//! each call (listed per function and counted in the weight), including those of the directory
//! and of the consent implementation the runtime wires in (the interim one reads the patient's
//! treating organisations), and the proof sizes, estimated from `MaxEncodedLen` with the
//! runtime's suggested constants (`MaxResourceTypeLen` 64, `MaxCidLen` 128, `MaxWrappedKeyLen`
//! 256, `MaxVersions` 32, `MaxGrantees` 32, 32-byte accounts, `u32` block numbers) by adding the
//! proof of every item read. Execution times are generous guesses.

// Executed Command:
// (none yet: regenerate with scripts/benchmark-weights.sh)

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_medical_records`.
pub trait WeightInfo {
	fn anchor_record() -> Weight;
	fn anchor_self_reported() -> Weight;
	fn amend_record() -> Weight;
	fn erase_record(v: u32, g: u32, ) -> Weight;
	fn add_wrapped_key() -> Weight;
	fn remove_wrapped_key() -> Weight;
}

/// Weights for `pallet_medical_records` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Proof: `Directory::Patients` (`max_values`: None, `max_size`: Some(124), added: 2599, mode: `MaxEncodedLen`)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:0)
	/// Proof: `Directory::TreatingOrganisations` (`max_values`: None, `max_size`: Some(113), added: 2588, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::NextRecordId` (r:1 w:1)
	/// Proof: `MedicalRecords::NextRecordId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::PatientRecordCount` (r:1 w:1)
	/// Proof: `MedicalRecords::PatientRecordCount` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::Versions` (r:0 w:1)
	/// Proof: `MedicalRecords::Versions` (`max_values`: None, `max_size`: Some(264), added: 2739, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::VersionByCiphertext` (r:0 w:1)
	/// Proof: `MedicalRecords::VersionByCiphertext` (`max_values`: None, `max_size`: Some(68), added: 2543, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::WrappedKeys` (r:0 w:2)
	/// Proof: `MedicalRecords::WrappedKeys` (`max_values`: None, `max_size`: Some(322), added: 2797, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::Records` (r:0 w:1)
	/// Proof: `MedicalRecords::Records` (`max_values`: None, `max_size`: Some(165), added: 2640, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::PatientRecords` (r:0 w:1)
	/// Proof: `MedicalRecords::PatientRecords` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	fn anchor_record() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `13962`
		// Minimum execution time: placeholder.
		Weight::from_parts(60_000_000, 13962)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Proof: `Directory::Patients` (`max_values`: None, `max_size`: Some(124), added: 2599, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::NextRecordId` (r:1 w:1)
	/// Proof: `MedicalRecords::NextRecordId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::PatientRecordCount` (r:1 w:1)
	/// Proof: `MedicalRecords::PatientRecordCount` (`max_values`: None, `max_size`: Some(52), added: 2527, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::Versions` (r:0 w:1)
	/// Proof: `MedicalRecords::Versions` (`max_values`: None, `max_size`: Some(264), added: 2739, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::VersionByCiphertext` (r:0 w:1)
	/// Proof: `MedicalRecords::VersionByCiphertext` (`max_values`: None, `max_size`: Some(68), added: 2543, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::WrappedKeys` (r:0 w:1)
	/// Proof: `MedicalRecords::WrappedKeys` (`max_values`: None, `max_size`: Some(322), added: 2797, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::Records` (r:0 w:1)
	/// Proof: `MedicalRecords::Records` (`max_values`: None, `max_size`: Some(165), added: 2640, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::PatientRecords` (r:0 w:1)
	/// Proof: `MedicalRecords::PatientRecords` (`max_values`: None, `max_size`: Some(64), added: 2539, mode: `MaxEncodedLen`)
	fn anchor_self_reported() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5629`
		// Minimum execution time: placeholder.
		Weight::from_parts(50_000_000, 5629)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	/// Storage: `MedicalRecords::Records` (r:1 w:1)
	/// Proof: `MedicalRecords::Records` (`max_values`: None, `max_size`: Some(165), added: 2640, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:0)
	/// Proof: `Directory::TreatingOrganisations` (`max_values`: None, `max_size`: Some(113), added: 2588, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::VersionByCiphertext` (r:1 w:1)
	/// Proof: `MedicalRecords::VersionByCiphertext` (`max_values`: None, `max_size`: Some(68), added: 2543, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::Versions` (r:0 w:1)
	/// Proof: `MedicalRecords::Versions` (`max_values`: None, `max_size`: Some(264), added: 2739, mode: `MaxEncodedLen`)
	fn amend_record() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `13516`
		// Minimum execution time: placeholder.
		Weight::from_parts(50_000_000, 13516)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `MedicalRecords::Records` (r:1 w:1)
	/// Proof: `MedicalRecords::Records` (`max_values`: None, `max_size`: Some(165), added: 2640, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::Versions` (r:32 w:32)
	/// Proof: `MedicalRecords::Versions` (`max_values`: None, `max_size`: Some(264), added: 2739, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::WrappedKeys` (r:32 w:32)
	/// Proof: `MedicalRecords::WrappedKeys` (`max_values`: None, `max_size`: Some(322), added: 2797, mode: `MaxEncodedLen`)
	/// The range of component `v` is `[1, 32]`.
	/// The range of component `g` is `[2, 32]`.
	fn erase_record(v: u32, g: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5235 + g * (2797 ±0) + v * (2739 ±0)`
		// Minimum execution time: placeholder.
		Weight::from_parts(40_000_000, 5235)
			.saturating_add(Weight::from_parts(8_000_000, 0).saturating_mul(v.into()))
			.saturating_add(Weight::from_parts(8_000_000, 0).saturating_mul(g.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(g.into())))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(v.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(g.into())))
			.saturating_add(Weight::from_parts(0, 2739).saturating_mul(v.into()))
			.saturating_add(Weight::from_parts(0, 2797).saturating_mul(g.into()))
	}
	/// Storage: `MedicalRecords::Records` (r:1 w:1)
	/// Proof: `MedicalRecords::Records` (`max_values`: None, `max_size`: Some(165), added: 2640, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:0)
	/// Proof: `Directory::TreatingOrganisations` (`max_values`: None, `max_size`: Some(113), added: 2588, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::WrappedKeys` (r:1 w:1)
	/// Proof: `MedicalRecords::WrappedKeys` (`max_values`: None, `max_size`: Some(322), added: 2797, mode: `MaxEncodedLen`)
	fn add_wrapped_key() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `13770`
		// Minimum execution time: placeholder.
		Weight::from_parts(45_000_000, 13770)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `MedicalRecords::Records` (r:1 w:1)
	/// Proof: `MedicalRecords::Records` (`max_values`: None, `max_size`: Some(165), added: 2640, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `MedicalRecords::WrappedKeys` (r:1 w:1)
	/// Proof: `MedicalRecords::WrappedKeys` (`max_values`: None, `max_size`: Some(322), added: 2797, mode: `MaxEncodedLen`)
	fn remove_wrapped_key() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `11182`
		// Minimum execution time: placeholder.
		Weight::from_parts(40_000_000, 11182)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:0)
	/// Storage: `MedicalRecords::NextRecordId` (r:1 w:1)
	/// Storage: `MedicalRecords::PatientRecordCount` (r:1 w:1)
	/// Storage: `MedicalRecords::Versions` (r:0 w:1)
	/// Storage: `MedicalRecords::VersionByCiphertext` (r:0 w:1)
	/// Storage: `MedicalRecords::WrappedKeys` (r:0 w:2)
	/// Storage: `MedicalRecords::Records` (r:0 w:1)
	/// Storage: `MedicalRecords::PatientRecords` (r:0 w:1)
	fn anchor_record() -> Weight {
		Weight::from_parts(60_000_000, 13962)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Storage: `MedicalRecords::NextRecordId` (r:1 w:1)
	/// Storage: `MedicalRecords::PatientRecordCount` (r:1 w:1)
	/// Storage: `MedicalRecords::Versions` (r:0 w:1)
	/// Storage: `MedicalRecords::VersionByCiphertext` (r:0 w:1)
	/// Storage: `MedicalRecords::WrappedKeys` (r:0 w:1)
	/// Storage: `MedicalRecords::Records` (r:0 w:1)
	/// Storage: `MedicalRecords::PatientRecords` (r:0 w:1)
	fn anchor_self_reported() -> Weight {
		Weight::from_parts(50_000_000, 5629)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
	}
	/// Storage: `MedicalRecords::Records` (r:1 w:1)
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:0)
	/// Storage: `MedicalRecords::VersionByCiphertext` (r:1 w:1)
	/// Storage: `MedicalRecords::Versions` (r:0 w:1)
	fn amend_record() -> Weight {
		Weight::from_parts(50_000_000, 13516)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `MedicalRecords::Records` (r:1 w:1)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `MedicalRecords::Versions` (r:32 w:32)
	/// Storage: `MedicalRecords::WrappedKeys` (r:32 w:32)
	/// The range of component `v` is `[1, 32]`.
	/// The range of component `g` is `[2, 32]`.
	fn erase_record(v: u32, g: u32, ) -> Weight {
		Weight::from_parts(40_000_000, 5235)
			.saturating_add(Weight::from_parts(8_000_000, 0).saturating_mul(v.into()))
			.saturating_add(Weight::from_parts(8_000_000, 0).saturating_mul(g.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(g.into())))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(v.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(g.into())))
			.saturating_add(Weight::from_parts(0, 2739).saturating_mul(v.into()))
			.saturating_add(Weight::from_parts(0, 2797).saturating_mul(g.into()))
	}
	/// Storage: `MedicalRecords::Records` (r:1 w:1)
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:0)
	/// Storage: `MedicalRecords::WrappedKeys` (r:1 w:1)
	fn add_wrapped_key() -> Weight {
		Weight::from_parts(45_000_000, 13770)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	/// Storage: `MedicalRecords::Records` (r:1 w:1)
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Storage: `MedicalRecords::WrappedKeys` (r:1 w:1)
	fn remove_wrapped_key() -> Weight {
		Weight::from_parts(40_000_000, 11182)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
}
