//! BABE's and GRANDPA's weights.
//!
//! Their pallets benchmark only parts of what their calls do: checking an equivocation proof
//! (`check_equivocation_proof`, both) and GRANDPA's `note_stalled`. Those parts are measured on
//! `medchain-node` (`scripts/benchmark-weights.sh` prints them; the constants below are copied
//! from its last run). An equivocation report also checks the offender's session membership
//! proof and reports the offence to staking, for which the SDK has no benchmark in a runtime
//! like this one: those parts keep the SDK's estimates (`pallet_babe`'s and `pallet_grandpa`'s
//! `default_weights.rs`), with this runtime's database weights instead of RocksDB's.
//!
//! Equivocation reports are rare, unsigned and operational: what matters is that their weight
//! covers their cost, which the SDK's estimates do with a floor of 100 validators.

use core::marker::PhantomData;
use polkadot_sdk::{
	frame_support::{
		traits::Get,
		weights::{
			constants::{WEIGHT_REF_TIME_PER_MICROS, WEIGHT_REF_TIME_PER_NANOS},
			Weight,
		},
	},
	frame_system, pallet_babe, pallet_grandpa,
};

/// `pallet_babe`'s `check_equivocation_proof`, measured (picoseconds, its worst case).
pub const BABE_EQUIVOCATION_CHECK: u64 = 71_055_877;
/// `pallet_grandpa`'s `check_equivocation_proof`, measured (picoseconds).
pub const GRANDPA_EQUIVOCATION_CHECK: u64 = 64_584_957;
/// `pallet_grandpa`'s `note_stalled`, measured (picoseconds, besides its one write).
pub const GRANDPA_NOTE_STALLED: u64 = 2_033_000;

/// What an equivocation report costs besides checking the equivocation: the offender's
/// membership proof (with a floor of 100 validators) and the offence reported to staking,
/// which touches each of the offender's nominators.
fn membership_and_offence<T: frame_system::Config>(
	validator_count: u32,
	max_nominators_per_validator: u32,
) -> Weight {
	let validators = u64::from(validator_count.max(100));
	let nominators = u64::from(max_nominators_per_validator);
	// The membership proof.
	Weight::from_parts(35u64.saturating_mul(WEIGHT_REF_TIME_PER_MICROS), 0)
		.saturating_add(
			Weight::from_parts(175u64.saturating_mul(WEIGHT_REF_TIME_PER_NANOS), 0)
				.saturating_mul(validators),
		)
		.saturating_add(T::DbWeight::get().reads(5))
		// The offence.
		.saturating_add(Weight::from_parts(110u64.saturating_mul(WEIGHT_REF_TIME_PER_MICROS), 0))
		.saturating_add(Weight::from_parts(
			25u64.saturating_mul(WEIGHT_REF_TIME_PER_MICROS).saturating_mul(nominators),
			0,
		))
		.saturating_add(T::DbWeight::get().reads(nominators.saturating_mul(3).saturating_add(14)))
		.saturating_add(T::DbWeight::get().writes(nominators.saturating_mul(3).saturating_add(10)))
}

/// BABE's weights in this runtime.
pub struct BabeWeights<T>(PhantomData<T>);
impl<T: frame_system::Config> pallet_babe::WeightInfo for BabeWeights<T> {
	fn plan_config_change() -> Weight {
		T::DbWeight::get().writes(1)
	}

	fn report_equivocation(validator_count: u32, max_nominators_per_validator: u32) -> Weight {
		Weight::from_parts(BABE_EQUIVOCATION_CHECK, 0).saturating_add(membership_and_offence::<T>(
			validator_count,
			max_nominators_per_validator,
		))
	}
}

/// GRANDPA's weights in this runtime.
pub struct GrandpaWeights<T>(PhantomData<T>);
impl<T: frame_system::Config> pallet_grandpa::WeightInfo for GrandpaWeights<T> {
	fn report_equivocation(validator_count: u32, max_nominators_per_validator: u32) -> Weight {
		Weight::from_parts(GRANDPA_EQUIVOCATION_CHECK, 0)
			.saturating_add(membership_and_offence::<T>(
				validator_count,
				max_nominators_per_validator,
			))
			// The set id's session.
			.saturating_add(T::DbWeight::get().reads(2))
	}

	fn note_stalled() -> Weight {
		Weight::from_parts(GRANDPA_NOTE_STALLED, 0).saturating_add(T::DbWeight::get().writes(1))
	}
}
