//! Weights for `pallet_consent`.
//!
//! PLACEHOLDERS, NOT MEASUREMENTS. This file has the layout the Substrate benchmark CLI generates
//! from `benchmarking.rs`, but its numbers were written by hand until `scripts/benchmark-weights.sh`
//! regenerates it on reference hardware. What is honest already: the storage reads and writes of
//! each call (listed per function and counted in the weight), including those of the directory
//! (`active_practitioner` reads a practitioner, their organisation and the time), and the proof
//! sizes, estimated from `MaxEncodedLen` with the runtime's suggested constants
//! (`MaxGrantsPerPatient` 64, `MaxScopeRecords` 16, `MaxEmergenciesPerPatient` 16,
//! `MaxOffersPerPatient` 8, 32-byte accounts, `u32` block numbers) by adding the proof of every
//! item read. Execution times are generous guesses. `evaluate_access` is not a call: it is the
//! cost of one consent question, for pallets (medical records) that ask it inside their calls.

// Executed Command:
// (none yet: regenerate with scripts/benchmark-weights.sh)

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use polkadot_sdk::frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_consent`.
pub trait WeightInfo {
	fn grant_consent() -> Weight;
	fn revoke_consent() -> Weight;
	fn record_access() -> Weight;
	fn open_emergency_access() -> Weight;
	fn review_emergency() -> Weight;
	fn propose_grant(p: u32, ) -> Weight;
	fn accept_offer() -> Weight;
	fn reject_offer() -> Weight;
	fn withdraw_offer() -> Weight;
	fn evaluate_access() -> Weight;
}

/// Weights for `pallet_consent` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: polkadot_sdk::frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Proof: `Directory::Patients` (`max_values`: None, `max_size`: Some(124), added: 2599, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Grants` (r:1 w:1)
	/// Proof: `Consent::Grants` (`max_values`: None, `max_size`: Some(13618), added: 16093, mode: `MaxEncodedLen`)
	/// Storage: `Consent::NextGrantId` (r:1 w:1)
	/// Proof: `Consent::NextGrantId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Consent::GrantOwner` (r:0 w:1)
	/// Proof: `Consent::GrantOwner` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	fn grant_consent() -> Weight {
		// Worst case: the patient's grants at the bound less one (every one scanned for expiry), the longest provision.
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `19195`
		// Minimum execution time: placeholder.
		Weight::from_parts(45_000_000, 19195)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Consent::GrantOwner` (r:1 w:0)
	/// Proof: `Consent::GrantOwner` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Grants` (r:1 w:1)
	/// Proof: `Consent::Grants` (`max_values`: None, `max_size`: Some(13618), added: 16093, mode: `MaxEncodedLen`)
	fn revoke_consent() -> Weight {
		// Worst case: the patient's grants at the bound, the last one revoked.
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `18616`
		// Minimum execution time: placeholder.
		Weight::from_parts(35_000_000, 18616)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Proof: `Directory::Patients` (`max_values`: None, `max_size`: Some(124), added: 2599, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Emergencies` (r:1 w:0)
	/// Proof: `Consent::Emergencies` (`max_values`: None, `max_size`: Some(2193), added: 4668, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Grants` (r:1 w:0)
	/// Proof: `Consent::Grants` (`max_values`: None, `max_size`: Some(13618), added: 16093, mode: `MaxEncodedLen`)
	/// Storage: `Consent::ReceiptCount` (r:1 w:1)
	/// Proof: `Consent::ReceiptCount` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Receipts` (r:0 w:1)
	/// Proof: `Consent::Receipts` (`max_values`: None, `max_size`: Some(135), added: 2610, mode: `MaxEncodedLen`)
	fn record_access() -> Weight {
		// Worst case: full grant and emergency lists, the permitting grant the last one.
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `31636`
		// Minimum execution time: placeholder.
		Weight::from_parts(60_000_000, 31636)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Proof: `Directory::Patients` (`max_values`: None, `max_size`: Some(124), added: 2599, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Emergencies` (r:1 w:1)
	/// Proof: `Consent::Emergencies` (`max_values`: None, `max_size`: Some(2193), added: 4668, mode: `MaxEncodedLen`)
	/// Storage: `Consent::NextEmergencyId` (r:1 w:1)
	/// Proof: `Consent::NextEmergencyId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Consent::ReceiptCount` (r:1 w:1)
	/// Proof: `Consent::ReceiptCount` (`max_values`: None, `max_size`: Some(56), added: 2531, mode: `MaxEncodedLen`)
	/// Storage: `Consent::EmergencyPatient` (r:0 w:2)
	/// Proof: `Consent::EmergencyPatient` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	/// Storage: `Consent::UnreviewedEmergencies` (r:0 w:1)
	/// Proof: `Consent::UnreviewedEmergencies` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Receipts` (r:0 w:1)
	/// Proof: `Consent::Receipts` (`max_values`: None, `max_size`: Some(135), added: 2610, mode: `MaxEncodedLen`)
	fn open_emergency_access() -> Weight {
		// Worst case: a full list, the oldest reviewed and expired one dropped.
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `16046`
		// Minimum execution time: placeholder.
		Weight::from_parts(50_000_000, 16046)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	/// Storage: `Consent::EmergencyPatient` (r:1 w:0)
	/// Proof: `Consent::EmergencyPatient` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Emergencies` (r:1 w:1)
	/// Proof: `Consent::Emergencies` (`max_values`: None, `max_size`: Some(2193), added: 4668, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:0)
	/// Proof: `Directory::TreatingOrganisations` (`max_values`: None, `max_size`: Some(113), added: 2588, mode: `MaxEncodedLen`)
	/// Storage: `Consent::UnreviewedEmergencies` (r:0 w:1)
	/// Proof: `Consent::UnreviewedEmergencies` (`max_values`: None, `max_size`: Some(16), added: 2491, mode: `MaxEncodedLen`)
	fn review_emergency() -> Weight {
		// Worst case: a treating organisation's admin reviews the last of a full list.
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `12374`
		// Minimum execution time: placeholder.
		Weight::from_parts(40_000_000, 12374)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Proof: `Directory::Patients` (`max_values`: None, `max_size`: Some(124), added: 2599, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Consent::PatientOffers` (r:1 w:1)
	/// Proof: `Consent::PatientOffers` (`max_values`: None, `max_size`: Some(113), added: 2588, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Offers` (r:8 w:9)
	/// Proof: `Consent::Offers` (`max_values`: None, `max_size`: Some(290), added: 2765, mode: `MaxEncodedLen`)
	/// Storage: `Consent::NextOfferId` (r:1 w:1)
	/// Proof: `Consent::NextOfferId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// The range of component `p` is `[0, 8]`.
	fn propose_grant(p: u32, ) -> Weight {
		// Worst case: an organisation admin proposes a role grant with the longest provision; `p` offers waiting, all expired and removed.
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `8285 + p * (2765 ±0)`
		// Minimum execution time: placeholder.
		Weight::from_parts(45_000_000, 8285)
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(p.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 2765).saturating_mul(p.into()))
	}
	/// Storage: `Consent::Offers` (r:1 w:1)
	/// Proof: `Consent::Offers` (`max_values`: None, `max_size`: Some(290), added: 2765, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Grants` (r:1 w:1)
	/// Proof: `Consent::Grants` (`max_values`: None, `max_size`: Some(13618), added: 16093, mode: `MaxEncodedLen`)
	/// Storage: `Consent::NextGrantId` (r:1 w:1)
	/// Proof: `Consent::NextGrantId` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Consent::PatientOffers` (r:1 w:1)
	/// Proof: `Consent::PatientOffers` (`max_values`: None, `max_size`: Some(113), added: 2588, mode: `MaxEncodedLen`)
	/// Storage: `Consent::GrantOwner` (r:0 w:1)
	/// Proof: `Consent::GrantOwner` (`max_values`: None, `max_size`: Some(48), added: 2523, mode: `MaxEncodedLen`)
	fn accept_offer() -> Weight {
		// Worst case: full grant and offer lists.
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `21949`
		// Minimum execution time: placeholder.
		Weight::from_parts(50_000_000, 21949)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	/// Storage: `Consent::Offers` (r:1 w:1)
	/// Proof: `Consent::Offers` (`max_values`: None, `max_size`: Some(290), added: 2765, mode: `MaxEncodedLen`)
	/// Storage: `Consent::PatientOffers` (r:1 w:1)
	/// Proof: `Consent::PatientOffers` (`max_values`: None, `max_size`: Some(113), added: 2588, mode: `MaxEncodedLen`)
	fn reject_offer() -> Weight {
		// Worst case: a full offer list.
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5353`
		// Minimum execution time: placeholder.
		Weight::from_parts(30_000_000, 5353)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Consent::Offers` (r:1 w:1)
	/// Proof: `Consent::Offers` (`max_values`: None, `max_size`: Some(290), added: 2765, mode: `MaxEncodedLen`)
	/// Storage: `Consent::PatientOffers` (r:1 w:1)
	/// Proof: `Consent::PatientOffers` (`max_values`: None, `max_size`: Some(113), added: 2588, mode: `MaxEncodedLen`)
	fn withdraw_offer() -> Weight {
		// Worst case: a full offer list.
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `5353`
		// Minimum execution time: placeholder.
		Weight::from_parts(30_000_000, 5353)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Proof: `Directory::Practitioners` (`max_values`: None, `max_size`: Some(172), added: 2647, mode: `MaxEncodedLen`)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Proof: `Directory::Organisations` (`max_values`: None, `max_size`: Some(120), added: 2595, mode: `MaxEncodedLen`)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Proof: `Timestamp::Now` (`max_values`: Some(1), `max_size`: Some(8), added: 503, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Emergencies` (r:1 w:0)
	/// Proof: `Consent::Emergencies` (`max_values`: None, `max_size`: Some(2193), added: 4668, mode: `MaxEncodedLen`)
	/// Storage: `Consent::Grants` (r:1 w:0)
	/// Proof: `Consent::Grants` (`max_values`: None, `max_size`: Some(13618), added: 16093, mode: `MaxEncodedLen`)
	fn evaluate_access() -> Weight {
		// Worst case: full grant and emergency lists, the permitting grant the last one.
		// Proof Size summary in bytes:
		//  Measured:  `0`
		//  Estimated: `26506`
		// Minimum execution time: placeholder.
		Weight::from_parts(40_000_000, 26506)
			.saturating_add(T::DbWeight::get().reads(5_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Storage: `Consent::Grants` (r:1 w:1)
	/// Storage: `Consent::NextGrantId` (r:1 w:1)
	/// Storage: `Consent::GrantOwner` (r:0 w:1)
	fn grant_consent() -> Weight {
		Weight::from_parts(45_000_000, 19195)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	/// Storage: `Consent::GrantOwner` (r:1 w:0)
	/// Storage: `Consent::Grants` (r:1 w:1)
	fn revoke_consent() -> Weight {
		Weight::from_parts(35_000_000, 18616)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Storage: `Consent::Emergencies` (r:1 w:0)
	/// Storage: `Consent::Grants` (r:1 w:0)
	/// Storage: `Consent::ReceiptCount` (r:1 w:1)
	/// Storage: `Consent::Receipts` (r:0 w:1)
	fn record_access() -> Weight {
		Weight::from_parts(60_000_000, 31636)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Storage: `Consent::Emergencies` (r:1 w:1)
	/// Storage: `Consent::NextEmergencyId` (r:1 w:1)
	/// Storage: `Consent::ReceiptCount` (r:1 w:1)
	/// Storage: `Consent::EmergencyPatient` (r:0 w:2)
	/// Storage: `Consent::UnreviewedEmergencies` (r:0 w:1)
	/// Storage: `Consent::Receipts` (r:0 w:1)
	fn open_emergency_access() -> Weight {
		Weight::from_parts(50_000_000, 16046)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
	}
	/// Storage: `Consent::EmergencyPatient` (r:1 w:0)
	/// Storage: `Consent::Emergencies` (r:1 w:1)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `Directory::TreatingOrganisations` (r:1 w:0)
	/// Storage: `Consent::UnreviewedEmergencies` (r:0 w:1)
	fn review_emergency() -> Weight {
		Weight::from_parts(40_000_000, 12374)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	/// Storage: `Directory::Patients` (r:1 w:0)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `Consent::PatientOffers` (r:1 w:1)
	/// Storage: `Consent::Offers` (r:8 w:9)
	/// Storage: `Consent::NextOfferId` (r:1 w:1)
	/// The range of component `p` is `[0, 8]`.
	fn propose_grant(p: u32, ) -> Weight {
		Weight::from_parts(45_000_000, 8285)
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(p.into()))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(p.into())))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(p.into())))
			.saturating_add(Weight::from_parts(0, 2765).saturating_mul(p.into()))
	}
	/// Storage: `Consent::Offers` (r:1 w:1)
	/// Storage: `Consent::Grants` (r:1 w:1)
	/// Storage: `Consent::NextGrantId` (r:1 w:1)
	/// Storage: `Consent::PatientOffers` (r:1 w:1)
	/// Storage: `Consent::GrantOwner` (r:0 w:1)
	fn accept_offer() -> Weight {
		Weight::from_parts(50_000_000, 21949)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	/// Storage: `Consent::Offers` (r:1 w:1)
	/// Storage: `Consent::PatientOffers` (r:1 w:1)
	fn reject_offer() -> Weight {
		Weight::from_parts(30_000_000, 5353)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	/// Storage: `Consent::Offers` (r:1 w:1)
	/// Storage: `Consent::PatientOffers` (r:1 w:1)
	fn withdraw_offer() -> Weight {
		Weight::from_parts(30_000_000, 5353)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	/// Storage: `Directory::Practitioners` (r:1 w:0)
	/// Storage: `Directory::Organisations` (r:1 w:0)
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Storage: `Consent::Emergencies` (r:1 w:0)
	/// Storage: `Consent::Grants` (r:1 w:0)
	fn evaluate_access() -> Weight {
		Weight::from_parts(40_000_000, 26506)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
	}
}
