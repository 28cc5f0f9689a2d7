//! Patients pay nothing for their own healthcare calls, within an allowance per patient and a
//! share of each block (`pallet-free-calls`; the extension wraps the fee extension in
//! `TxExtension`). Organisations keep paying.

use super::{RuntimeBlockLength, RuntimeBlockWeights};
use crate::{AccountId, Directory, Runtime, RuntimeCall, DAYS};
use polkadot_sdk::{
	frame_support::{dispatch::DispatchClass, parameter_types, traits::ConstU32, weights::Weight},
	sp_runtime::{MultiAddress, Perbill},
	*,
};

/// The largest batch that is free: every call in it must be free, and no batch inside it.
pub const MAX_FREE_BATCH: usize = 8;

parameter_types! {
	/// Free calls use at most a tenth of a block's normal weight …
	pub MaxFreeWeightPerBlock: Weight = Perbill::from_percent(10) *
		RuntimeBlockWeights::get()
			.get(DispatchClass::Normal)
			.max_total
			.unwrap_or(RuntimeBlockWeights::get().max_block);
	/// … and a tenth of its normal length.
	pub MaxFreeLengthPerBlock: u32 =
		Perbill::from_percent(10) * *RuntimeBlockLength::get().max.get(DispatchClass::Normal);
}

/// A patient's own healthcare calls: consent they give, revoke, accept or reject; their own
/// access receipts; keys of their records they share or withdraw; self-reported records; their
/// encryption key and research key; and batches of these (a share is a grant and a key in one
/// batch). No storage is read: a call about someone else's data fails in the pallet all the
/// same, and the allowance bounds what a patient who is also a practitioner could get free.
pub struct PatientCalls;

impl PatientCalls {
	fn is_own(who: &AccountId, call: &RuntimeCall) -> bool {
		use pallet_consent::Call as C;
		use pallet_medical_records::Call as R;
		match call {
			RuntimeCall::Consent(
				C::grant_consent { .. }
				| C::revoke_consent { .. }
				| C::accept_offer { .. }
				| C::reject_offer { .. },
			) => true,
			RuntimeCall::Consent(C::record_access { patient, .. }) => {
				*patient == MultiAddress::Id(who.clone())
			},
			RuntimeCall::MedicalRecords(
				R::anchor_self_reported { .. }
				| R::add_wrapped_key { .. }
				| R::remove_wrapped_key { .. }
				| R::prune_wrapped_key { .. },
			) => true,
			RuntimeCall::Directory(pallet_directory::Call::rotate_encryption_key { .. }) => true,
			RuntimeCall::ClinicalTrials(pallet_clinical_trials::Call::register_research_key {
				..
			}) => true,
			_ => false,
		}
	}
}

impl pallet_free_calls::FreeCallFilter<AccountId, RuntimeCall> for PatientCalls {
	fn is_free(who: &AccountId, call: &RuntimeCall) -> bool {
		use pallet_utility::Call as U;
		match call {
			RuntimeCall::Utility(U::batch { calls } | U::batch_all { calls }) => {
				!calls.is_empty()
					&& calls.len() <= MAX_FREE_BATCH
					&& calls.iter().all(|inner| Self::is_own(who, inner))
			},
			other => Self::is_own(who, other),
		}
	}
}

impl pallet_free_calls::Config for Runtime {
	type Directory = Directory;
	type Filter = PatientCalls;
	type CallsPerPeriod = ConstU32<50>;
	type Period = ConstU32<DAYS>;
	type MaxFreeWeightPerBlock = MaxFreeWeightPerBlock;
	type MaxFreeLengthPerBlock = MaxFreeLengthPerBlock;
	type WeightInfo = pallet_free_calls::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = FreeCallsBenchmarkHelper;
}

/// Registers the benchmarks' patient through the directory's own call.
#[cfg(feature = "runtime-benchmarks")]
pub struct FreeCallsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_free_calls::BenchmarkHelper<AccountId> for FreeCallsBenchmarkHelper {
	fn register_patient(who: &AccountId) {
		let pseudonym = polkadot_sdk::sp_io::hashing::blake2_256(who.as_ref());
		let _ = Directory::register_patient(
			crate::RuntimeOrigin::signed(who.clone()),
			pseudonym,
			[0x11; 32],
		);
	}
}
