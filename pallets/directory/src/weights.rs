//! Weights for `pallet_directory`.
//!
//! PLACEHOLDERS, NOT MEASUREMENTS. This file has the layout the Substrate benchmark CLI generates
//! from `benchmarking.rs`, but its numbers were written by hand until `scripts/benchmark-weights.sh`
//! regenerates it on reference hardware. What is honest already: the storage reads and writes of
//! each call (listed per function and counted in the weight) and the proof sizes, estimated from
//! `MaxEncodedLen` with the runtime's constants (`MaxNameLen` 64, `MaxAuthorityLen` 64,
//! `MaxKeyHistory` 8, `MaxTreatingOrganisations` 16, 32-byte accounts, `u32` block numbers) by
//! adding the proof of every item read. Execution times are generous guesses.

// Executed Command:
// (none yet: regenerate with scripts/benchmark-weights.sh)

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_directory`.
pub trait WeightInfo {
	fn register_organisation(n: u32, ) -> Weight;
	fn set_organisation_admin() -> Weight;
	fn deactivate_organisation() -> Weight;
	fn reactivate_organisation() -> Weight;
	fn attach_practitioner() -> Weight;
	fn suspend_practitioner() -> Weight;
	fn reinstate_practitioner() -> Weight;
	fn revoke_practitioner() -> Weight;
	fn change_practitioner_role() -> Weight;
	fn renew_licence() -> Weight;
	fn detach_practitioner() -> Weight;
	fn register_patient() -> Weight;
	fn rotate_encryption_key() -> Weight;
	fn add_treating_organisation(t: u32, ) -> Weight;
	fn remove_treating_organisation(t: u32, ) -> Weight;
}

/// Weights for `pallet_directory` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Directory::OrganisationByName` (r:1 w:1)
	/// Proof: `Directory::OrganisationByName` (`max_values`: None, `max_size`: Some(86), added: 2561, mode: `MaxEncodedLen`)
	/// Storage: `Directory::NextOrganisationId` (r:1 w:1)
	/// Proof: `Directory::NextOrganisationId` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:0 w:1)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// The range of component `n` is `[1, 64]`.
	fn register_organisation(n: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `3060`
		// Minimum execution time: placeholder.
		Weight::from_parts(30_000_000, 3060)
			.saturating_add(Weight::from_parts(5_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Directory::Organisations` (r:1 w:1)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	fn set_organisation_admin() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `2595`
		// Minimum execution time: placeholder.
		Weight::from_parts(25_000_000, 2595)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Organisations` (r:1 w:1)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	fn deactivate_organisation() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `2595`
		// Minimum execution time: placeholder.
		Weight::from_parts(20_000_000, 2595)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Organisations` (r:1 w:1)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	fn reactivate_organisation() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `2595`
		// Minimum execution time: placeholder.
		Weight::from_parts(20_000_000, 2595)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Organisations` (r:1 w:1)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Directory::OrganisationPractitioners` (r:0 w:1)
	/// Proof: `Directory::OrganisationPractitioners` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	fn attach_practitioner() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5745`
		// Minimum execution time: placeholder.
		Weight::from_parts(40_000_000, 5745)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	fn suspend_practitioner() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5242`
		// Minimum execution time: placeholder.
		Weight::from_parts(30_000_000, 5242)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	fn reinstate_practitioner() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5242`
		// Minimum execution time: placeholder.
		Weight::from_parts(30_000_000, 5242)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	fn revoke_practitioner() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5242`
		// Minimum execution time: placeholder.
		Weight::from_parts(30_000_000, 5242)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	fn change_practitioner_role() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5242`
		// Minimum execution time: placeholder.
		Weight::from_parts(30_000_000, 5242)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	fn renew_licence() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5745`
		// Minimum execution time: placeholder.
		Weight::from_parts(32_000_000, 5745)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:1)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Directory::OrganisationPractitioners` (r:0 w:1)
	/// Proof: `Directory::OrganisationPractitioners` (`max_values`: None, `max_size`: Some(60), added: 2535, mode: `MaxEncodedLen`)
	fn detach_practitioner() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5242`
		// Minimum execution time: placeholder.
		Weight::from_parts(35_000_000, 5242)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:1)
	/// Proof: `Directory::Patients` (`max_values`: None, `max_size`: Some(124), added: 2599, mode: `MaxEncodedLen`)
	/// Storage: `Directory::PatientByPseudonym` (r:1 w:1)
	/// Proof: `Directory::PatientByPseudonym` (`max_values`: None, `max_size`: Some(80), added: 2555, mode: `MaxEncodedLen`)
	/// Storage: `Directory::PatientCount` (r:1 w:1)
	/// Proof: `Directory::PatientCount` (`max_values`: Some(1), `max_size`: Some(4), added: 499, mode: `MaxEncodedLen`)
	fn register_patient() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5653`
		// Minimum execution time: placeholder.
		Weight::from_parts(35_000_000, 5653)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:1)
	/// Proof: `Directory::Patients` (`max_values`: None, `max_size`: Some(124), added: 2599, mode: `MaxEncodedLen`)
	/// Storage: `Directory::PatientKeyHistory` (r:1 w:1)
	/// Proof: `Directory::PatientKeyHistory` (`max_values`: None, `max_size`: Some(369), added: 2844, mode: `MaxEncodedLen`)
	fn rotate_encryption_key() -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5443`
		// Minimum execution time: placeholder.
		Weight::from_parts(35_000_000, 5443)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Proof: `Directory::Patients` (`max_values`: None, `max_size`: Some(124), added: 2599, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:1)
	/// Proof: `Directory::TreatingOrganisations` (`max_values`: None, `max_size`: Some(113), added: 2588, mode: `MaxEncodedLen`)
	/// The range of component `t` is `[0, 15]`.
	fn add_treating_organisation(t: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `7782`
		// Minimum execution time: placeholder.
		Weight::from_parts(35_000_000, 7782)
			.saturating_add(Weight::from_parts(50_000, 0).saturating_mul(t.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Proof: `Directory::Patients` (`max_values`: None, `max_size`: Some(124), added: 2599, mode: `MaxEncodedLen`)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:1)
	/// Proof: `Directory::TreatingOrganisations` (`max_values`: None, `max_size`: Some(113), added: 2588, mode: `MaxEncodedLen`)
	/// The range of component `t` is `[1, 16]`.
	fn remove_treating_organisation(t: u32, ) -> Weight {
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5187`
		// Minimum execution time: placeholder.
		Weight::from_parts(30_000_000, 5187)
			.saturating_add(Weight::from_parts(50_000, 0).saturating_mul(t.into()))
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	/// Storage: `Directory::OrganisationByName` (r:1 w:1)
	/// Storage: `Directory::NextOrganisationId` (r:1 w:1)
	/// Storage: `Directory::Organisations` (r:0 w:1)
	/// The range of component `n` is `[1, 64]`.
	fn register_organisation(n: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 3060)
			.saturating_add(Weight::from_parts(5_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `Directory::Organisations` (r:1 w:1)
	fn set_organisation_admin() -> Weight {
		Weight::from_parts(25_000_000, 2595)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Organisations` (r:1 w:1)
	fn deactivate_organisation() -> Weight {
		Weight::from_parts(20_000_000, 2595)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Organisations` (r:1 w:1)
	fn reactivate_organisation() -> Weight {
		Weight::from_parts(20_000_000, 2595)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Organisations` (r:1 w:1)
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Storage: `Directory::OrganisationPractitioners` (r:0 w:1)
	fn attach_practitioner() -> Weight {
		Weight::from_parts(40_000_000, 5745)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	fn suspend_practitioner() -> Weight {
		Weight::from_parts(30_000_000, 5242)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	fn reinstate_practitioner() -> Weight {
		Weight::from_parts(30_000_000, 5242)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	fn revoke_practitioner() -> Weight {
		Weight::from_parts(30_000_000, 5242)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	fn change_practitioner_role() -> Weight {
		Weight::from_parts(30_000_000, 5242)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	fn renew_licence() -> Weight {
		Weight::from_parts(32_000_000, 5745)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:1)
	/// Storage: `Directory::Organisations` (r:1 w:1)
	/// Storage: `Directory::OrganisationPractitioners` (r:0 w:1)
	fn detach_practitioner() -> Weight {
		Weight::from_parts(35_000_000, 5242)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:1)
	/// Storage: `Directory::PatientByPseudonym` (r:1 w:1)
	/// Storage: `Directory::PatientCount` (r:1 w:1)
	fn register_patient() -> Weight {
		Weight::from_parts(35_000_000, 5653)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:1)
	/// Storage: `Directory::PatientKeyHistory` (r:1 w:1)
	fn rotate_encryption_key() -> Weight {
		Weight::from_parts(35_000_000, 5443)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:1)
	/// The range of component `t` is `[0, 15]`.
	fn add_treating_organisation(t: u32, ) -> Weight {
		Weight::from_parts(35_000_000, 7782)
			.saturating_add(Weight::from_parts(50_000, 0).saturating_mul(t.into()))
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:1)
	/// The range of component `t` is `[1, 16]`.
	fn remove_treating_organisation(t: u32, ) -> Weight {
		Weight::from_parts(30_000_000, 5187)
			.saturating_add(Weight::from_parts(50_000, 0).saturating_mul(t.into()))
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
