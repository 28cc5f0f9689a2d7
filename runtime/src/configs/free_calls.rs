//! Patients pay nothing for their own healthcare calls, within an allowance per patient and a
//! share of each block (`pallet-free-calls`; the extension wraps the fee extension in
//! `TxExtension`). Organisations keep paying.

use super::{recovery::RecoveredAccounts, ProxyType};
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
/// access receipts; keys of their records they share or withdraw; self-reported records; erasing
/// their records (a patient's accounts at organisations hold no funds, security review H3); their
/// encryption key and research key; their recovery (their friend groups, and as a friend the
/// approvals they give); and batches of these (a share is a grant and a key in one batch). A call
/// about someone else's data fails in the pallet all the same, and the allowance bounds what a
/// patient who is also a practitioner could get free.
///
/// The same calls are free, on the patient's allowance, when made for the patient by their
/// guardian (`proxy.proxy` by a `Healthcare` proxy) or by the account that recovered theirs
/// (`recovery.control_inherited_account` by its inheritor): one storage read tells which.
pub struct PatientCalls;

impl PatientCalls {
	/// Whether `call` (one call or a batch) is a patient's own and free: `patient`'s, or, with
	/// `None`, some patient's.
	fn is_free(patient: Option<&AccountId>, call: &RuntimeCall) -> bool {
		use pallet_utility::Call as U;
		match call {
			RuntimeCall::Utility(U::batch { calls } | U::batch_all { calls }) => {
				!calls.is_empty()
					&& calls.len() <= MAX_FREE_BATCH
					&& calls.iter().all(|inner| Self::is_own(patient, inner))
			},
			other => Self::is_own(patient, other),
		}
	}

	fn is_own(who: Option<&AccountId>, call: &RuntimeCall) -> bool {
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
				who.is_none_or(|who| *patient == MultiAddress::Id(who.clone()))
			},
			RuntimeCall::MedicalRecords(
				R::anchor_self_reported { .. }
				| R::erase_record { .. }
				| R::add_wrapped_key { .. }
				| R::remove_wrapped_key { .. }
				| R::prune_wrapped_key { .. },
			) => true,
			RuntimeCall::Directory(
				pallet_directory::Call::rotate_encryption_key { .. }
				| pallet_directory::Call::deregister_patient { .. },
			) => true,
			RuntimeCall::ClinicalTrials(pallet_clinical_trials::Call::register_research_key {
				..
			}) => true,
			RuntimeCall::Recovery(
				pallet_recovery::Call::set_friend_groups { .. }
				| pallet_recovery::Call::approve_attempt { .. }
				| pallet_recovery::Call::finish_attempt { .. }
				| pallet_recovery::Call::cancel_attempt { .. }
				| pallet_recovery::Call::slash_attempt { .. },
			) => true,
			_ => false,
		}
	}
}

impl pallet_free_calls::FreeCallFilter<AccountId, RuntimeCall> for PatientCalls {
	fn free_for(who: &AccountId, call: &RuntimeCall) -> Option<AccountId> {
		match call {
			RuntimeCall::Recovery(pallet_recovery::Call::control_inherited_account {
				recovered: MultiAddress::Id(recovered),
				call,
			}) => (Self::is_free(Some(recovered), call)
				&& pallet_recovery::Pallet::<Runtime>::inheritor(recovered.clone()).as_ref()
					== Some(who))
			.then(|| recovered.clone()),
			RuntimeCall::Proxy(pallet_proxy::Call::proxy {
				real: MultiAddress::Id(real),
				call,
				..
			}) => (Self::is_free(Some(real), call)
				&& pallet_proxy::Pallet::<Runtime>::find_proxy(
					real,
					who,
					Some(ProxyType::Healthcare),
				)
				.is_ok())
			.then(|| real.clone()),
			other => Self::is_free(Some(who), other).then(|| who.clone()),
		}
	}

	fn may_be_free(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Recovery(pallet_recovery::Call::control_inherited_account {
				recovered: MultiAddress::Id(_),
				call,
			})
			| RuntimeCall::Proxy(pallet_proxy::Call::proxy {
				real: MultiAddress::Id(_),
				call,
				..
			}) => Self::is_free(None, call),
			other => Self::is_free(None, other),
		}
	}
}

impl pallet_free_calls::Config for Runtime {
	type Directory = Directory;
	type Filter = PatientCalls;
	type Recovered = RecoveredAccounts;
	type CallsPerPeriod = ConstU32<50>;
	type Period = ConstU32<DAYS>;
	type MaxFreeWeightPerBlock = MaxFreeWeightPerBlock;
	type MaxFreeLengthPerBlock = MaxFreeLengthPerBlock;
	type WeightInfo = pallet_free_calls::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = FreeCallsBenchmarkHelper;
}

/// Registers the benchmarks' patient through the directory's own call, and recovers them for the
/// costliest check (a call made by the recovering account).
#[cfg(feature = "runtime-benchmarks")]
pub struct FreeCallsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_free_calls::BenchmarkHelper<AccountId, RuntimeCall> for FreeCallsBenchmarkHelper {
	fn register_patient(who: &AccountId) {
		let pseudonym = polkadot_sdk::sp_io::hashing::blake2_256(who.as_ref());
		let _ = Directory::register_patient(
			crate::RuntimeOrigin::signed(who.clone()),
			pseudonym,
			[0x11; 32],
		);
	}

	fn call_for(patient: &AccountId) -> (AccountId, RuntimeCall) {
		use crate::{Balances, Recovery, RuntimeOrigin, UNIT};
		use polkadot_sdk::frame_support::traits::fungible::Mutate;
		let friend: AccountId = frame_benchmarking::account("friend", 0, 0);
		let inheritor: AccountId = frame_benchmarking::account("inheritor", 0, 0);
		let _ = Balances::mint_into(&friend, UNIT.saturating_mul(10));
		let group = pallet_recovery::FriendGroup {
			friends: alloc::vec![friend.clone()].try_into().unwrap_or_default(),
			friends_needed: 1,
			inheritor: inheritor.clone(),
			inheritance_delay: 0,
			inheritance_priority: 0,
			cancel_delay: 1,
		};
		let lost = MultiAddress::Id(patient.clone());
		let _ =
			Recovery::set_friend_groups(RuntimeOrigin::signed(patient.clone()), alloc::vec![group]);
		let _ = Recovery::initiate_attempt(RuntimeOrigin::signed(friend.clone()), lost.clone(), 0);
		let _ = Recovery::finish_attempt(RuntimeOrigin::signed(friend), lost.clone(), 0);
		let grant = RuntimeCall::Consent(pallet_consent::Call::revoke_consent { grant: 0 });
		let call = RuntimeCall::Recovery(pallet_recovery::Call::control_inherited_account {
			recovered: lost,
			call: alloc::boxed::Box::new(grant),
		});
		(inheritor, call)
	}

	fn paid_call() -> RuntimeCall {
		RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: MultiAddress::Id(frame_benchmarking::account("payee", 0, 0)),
			value: crate::UNIT,
		})
	}
}
