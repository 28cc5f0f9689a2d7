#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
// On-chain code never panics: no unchecked arithmetic, indexing, unwrap/expect, panics or
// truncating casts outside tests (scripts/lint.sh fails on any).
#![cfg_attr(
	not(test),
	warn(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::panic,
		clippy::cast_possible_truncation
	)
)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
// Benchmarks run off chain against a state they build, on a test's terms.
#[allow(
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::cast_possible_truncation
)]
mod benchmarking;
mod extension;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod weights;

pub use extension::{
	FreeForPatients, Stage, ALLOWANCE_USED_UP, RECOVERED_ACCOUNT, TOO_LARGE_TO_BE_FREE,
};
pub use pallet::*;
pub use weights::WeightInfo;

use polkadot_sdk::*;

/// Which calls are free, and whose allowance pays for them: the runtime decides (a patient's own
/// consent, records, key and research-key calls, and batches of them; the same calls made for a
/// patient by their guardian or by the account that recovered theirs).
pub trait FreeCallFilter<AccountId, Call> {
	/// The account whose allowance pays for `call`, signed by `who`, if the call is free for it:
	/// `who` for their own healthcare calls, or the patient `who` acts for. `None`: the call is
	/// paid. The extension then checks that the account is a registered patient.
	fn free_for(who: &AccountId, call: &Call) -> Option<AccountId>;

	/// Whether `call` can be free for some signer. A call for which this is `false` is always
	/// paid: the extension then only checks that its signer is not a recovered account, and
	/// charges only that check (`WeightInfo::paid_call_check`). It must read no storage, and be
	/// `true` whenever [`Self::free_for`] can give an account for `call`.
	fn may_be_free(call: &Call) -> bool;
}

/// Sets up what the benchmarks need in the runtime's other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Call> {
	/// Makes `who` a registered patient.
	fn register_patient(who: &AccountId);

	/// The costliest free call to tell apart: a signer and a call it makes for `patient` (acting
	/// for them), set up so that [`FreeCallFilter::free_for`] gives `patient`.
	fn call_for(patient: &AccountId) -> (AccountId, Call);

	/// A call that is never free ([`FreeCallFilter::may_be_free`] is `false`): a transfer, say.
	fn paid_call() -> Call;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::Contains};
	use frame_system::pallet_prelude::*;
	use medchain_primitives::DirectoryInspect;
	use sp_runtime::{
		traits::{CheckedDiv, Zero},
		SaturatedConversion,
	};

	/// The storage version of this pallet.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The free-call allowance's configuration.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config {
		/// Who is a registered patient.
		type Directory: DirectoryInspect<Self::AccountId>;

		/// Which calls are free for the patient who signs them.
		type Filter: FreeCallFilter<Self::AccountId, <Self as frame_system::Config>::RuntimeCall>;

		/// Accounts whose own key may no longer sign: recovered by their friends, they act only
		/// through the account that recovered them. Their transactions are refused with
		/// [`RECOVERED_ACCOUNT`].
		type Recovered: Contains<Self::AccountId>;

		/// Free calls per patient per period. Further calls are paid (refused, with
		/// [`ALLOWANCE_USED_UP`], from an account that cannot pay).
		#[pallet::constant]
		type CallsPerPeriod: Get<u32>;

		/// The period, in blocks, after which a patient's allowance is whole again.
		#[pallet::constant]
		type Period: Get<BlockNumberFor<Self>>;

		/// The most weight free calls may use in one block, so that they never fill it: further
		/// free calls wait for a later block.
		#[pallet::constant]
		type MaxFreeWeightPerBlock: Get<Weight>;

		/// The most bytes of free calls in one block.
		#[pallet::constant]
		type MaxFreeLengthPerBlock: Get<u32>;

		/// The weights of this pallet's transaction extension.
		type WeightInfo: WeightInfo;

		/// Makes an account a registered patient, for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<
			Self::AccountId,
			<Self as frame_system::Config>::RuntimeCall,
		>;
	}

	/// A patient's use of their allowance.
	#[derive(
		Clone,
		Copy,
		Encode,
		Decode,
		DecodeWithMemTracking,
		Eq,
		PartialEq,
		Debug,
		TypeInfo,
		MaxEncodedLen,
		Default,
	)]
	pub struct Usage {
		/// The period the count belongs to (block number divided by [`Config::Period`]).
		pub period: u32,
		/// Free calls used in it.
		pub used: u32,
	}

	/// The free calls of the block being built.
	#[derive(
		Clone,
		Copy,
		Encode,
		Decode,
		DecodeWithMemTracking,
		Eq,
		PartialEq,
		Debug,
		TypeInfo,
		MaxEncodedLen,
		Default,
	)]
	pub struct BlockUse<BlockNumber> {
		/// The block the counts belong to.
		pub block: BlockNumber,
		/// Weight used by free calls in it.
		pub weight: Weight,
		/// Bytes of free calls in it.
		pub length: u32,
	}

	/// Each patient's free calls in the current period (absent: none used). One entry per
	/// patient who ever made a free call, overwritten each period.
	#[pallet::storage]
	pub type Allowances<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, Usage>;

	/// The free calls of the block being built (or of the last block, until the next one uses
	/// a free call).
	#[pallet::storage]
	pub type ThisBlock<T: Config> = StorageValue<_, BlockUse<BlockNumberFor<T>>, ValueQuery>;

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::Period::get().is_zero(), "the free-call period must be at least a block");
			assert!(T::CallsPerPeriod::get() > 0, "a patient must have at least one free call");
			assert!(
				T::MaxFreeWeightPerBlock::get().all_gt(Weight::zero()),
				"free calls must be allowed some weight per block"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state(n)
		}
	}

	/// Why a patient's call cannot be free.
	#[derive(Debug, Clone, Copy, PartialEq, Eq)]
	pub enum NotFree {
		/// The patient used this period's allowance: the call is paid.
		AllowanceUsedUp,
		/// Free calls filled this block's share: the call waits for a later block.
		BlockShareUsed,
		/// The call alone is larger than a block's whole share of free calls: it is paid.
		LargerThanShare,
	}

	impl<T: Config> Pallet<T> {
		/// The period `now` falls in.
		pub fn period_of(now: BlockNumberFor<T>) -> u32 {
			let period = T::Period::get();
			let index = now.checked_div(&period).unwrap_or(now);
			index.saturated_into()
		}

		/// Free calls `who` has used in the current period.
		pub fn used(who: &T::AccountId) -> u32 {
			let now = Self::period_of(frame_system::Pallet::<T>::block_number());
			Allowances::<T>::get(who).filter(|u| u.period == now).map_or(0, |u| u.used)
		}

		/// Free calls `who` has left in the current period.
		pub fn remaining(who: &T::AccountId) -> u32 {
			T::CallsPerPeriod::get().saturating_sub(Self::used(who))
		}

		/// Whether a free call of `weight` and `length` by `who` fits: the call within a
		/// block's share, the patient's allowance, and what is left of this block's share (counted
		/// from nothing when [`ThisBlock`] still holds an earlier block's counts).
		pub fn check(who: &T::AccountId, weight: Weight, length: u32) -> Result<(), NotFree> {
			let (max_weight, max_length) =
				(T::MaxFreeWeightPerBlock::get(), T::MaxFreeLengthPerBlock::get());
			if weight.any_gt(max_weight) || length > max_length {
				return Err(NotFree::LargerThanShare);
			}
			if Self::remaining(who) == 0 {
				return Err(NotFree::AllowanceUsedUp);
			}
			let block = ThisBlock::<T>::get();
			if block.block == frame_system::Pallet::<T>::block_number()
				&& (block.weight.saturating_add(weight).any_gt(max_weight)
					|| block.length.saturating_add(length) > max_length)
			{
				return Err(NotFree::BlockShareUsed);
			}
			Ok(())
		}

		/// Counts a free call of `weight` and `length` by `who`, after [`Self::check`].
		pub fn use_free_call(who: &T::AccountId, weight: Weight, length: u32) {
			let now = frame_system::Pallet::<T>::block_number();
			let period = Self::period_of(now);
			Allowances::<T>::mutate(who, |usage| {
				let current = usage.filter(|u| u.period == period).unwrap_or_default();
				*usage = Some(Usage { period, used: current.used.saturating_add(1) });
			});
			ThisBlock::<T>::mutate(|block| {
				if block.block != now {
					*block = BlockUse { block: now, weight: Weight::zero(), length: 0 };
				}
				block.weight.saturating_accrue(weight);
				block.length = block.length.saturating_add(length);
			});
		}

		/// The invariants: no patient has used more than the allowance in the current period;
		/// the current block's free calls stay within their share.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state(n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			let period = Self::period_of(n);
			for (_, usage) in Allowances::<T>::iter() {
				if usage.period == period && usage.used > T::CallsPerPeriod::get() {
					return Err("a patient used more free calls than the allowance".into());
				}
			}
			let block = ThisBlock::<T>::get();
			if block.block == n
				&& (block.weight.any_gt(T::MaxFreeWeightPerBlock::get())
					|| block.length > T::MaxFreeLengthPerBlock::get())
			{
				return Err("free calls exceeded their share of the block".into());
			}
			Ok(())
		}
	}
}
