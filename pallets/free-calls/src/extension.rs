//! The transaction extension that makes a patient's own calls free.
//!
//! [`FreeForPatients`] wraps the runtime's fee extension (`ChargeTransactionPayment`) and is
//! invisible from outside: it encodes, and is described in metadata, exactly as the wrapped
//! extension, so wallets and clients sign transactions as before.

use crate::{Config, FreeCallFilter, NotFree, Pallet, WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use medchain_primitives::DirectoryInspect;
use polkadot_sdk::{
	frame_support::{
		dispatch::DispatchInfo, pallet_prelude::TransactionSource, traits::Contains,
		weights::Weight,
	},
	frame_system,
	sp_runtime::{
		traits::{
			AsSystemOriginSigner, DispatchInfoOf, DispatchOriginOf, Dispatchable, Implication,
			PostDispatchInfoOf, TransactionExtension, ValidateResult,
		},
		transaction_validity::{InvalidTransaction, TransactionValidityError, ValidTransaction},
		DispatchResult,
	},
};
use scale_info::{StaticTypeInfo, TypeInfo};

/// The `InvalidTransaction::Custom` code of a patient's call refused because the period's free
/// calls are used up and the account cannot pay the fee.
pub const ALLOWANCE_USED_UP: u8 = 70;

/// The `InvalidTransaction::Custom` code of a patient's call refused because it alone is larger
/// than a block's share of free calls ([`Config::MaxFreeWeightPerBlock`],
/// [`Config::MaxFreeLengthPerBlock`]), so it is paid, and the account cannot pay the fee.
pub const TOO_LARGE_TO_BE_FREE: u8 = 72;

/// The `InvalidTransaction::Custom` code of a transaction signed by an account its friends
/// recovered ([`Config::Recovered`]): its old key may no longer sign.
pub const RECOVERED_ACCOUNT: u8 = 71;

/// Refuses every transaction signed by a recovered account ([`Config::Recovered`]) with
/// `Custom(`[`RECOVERED_ACCOUNT`]`)`, and makes the calls [`Config::Filter`] names free for the
/// registered patient they are for (who signs them, or whom the signer acts for), within the
/// patient's allowance ([`Config::CallsPerPeriod`]) and the block's share
/// ([`Config::MaxFreeWeightPerBlock`], [`Config::MaxFreeLengthPerBlock`]); every other
/// transaction goes through the wrapped fee extension `S`.
///
/// - A free call beyond the block's share is `ExhaustsResources`: it waits in the pool for a
///   later block.
/// - A call beyond the patient's allowance is paid; from an account that cannot pay, it is
///   refused with `Custom(`[`ALLOWANCE_USED_UP`]`)`.
/// - A call that alone is larger than the block's share is paid; from an account that cannot
///   pay, it is refused with `Custom(`[`TOO_LARGE_TO_BE_FREE`]`)`.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq)]
pub struct FreeForPatients<T, S>(pub S, PhantomData<T>);

impl<T, S> FreeForPatients<T, S> {
	/// Wraps the fee extension `inner`.
	pub fn new(inner: S) -> Self {
		Self(inner, PhantomData)
	}
}

impl<T, S> From<S> for FreeForPatients<T, S> {
	fn from(inner: S) -> Self {
		Self::new(inner)
	}
}

// Described as the wrapped extension, so that clients see no difference.
impl<T, S: StaticTypeInfo> TypeInfo for FreeForPatients<T, S> {
	type Identity = S;
	fn type_info() -> scale_info::Type {
		S::type_info()
	}
}

impl<T, S: core::fmt::Debug> core::fmt::Debug for FreeForPatients<T, S> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "FreeForPatients({:?})", self.0)
	}
}

/// The refusal of a patient's call that cannot be free now: it waits for a later block
/// (`ExhaustsResources`), or it is paid and the account cannot pay.
fn refusal(why: NotFree) -> TransactionValidityError {
	match why {
		NotFree::AllowanceUsedUp => InvalidTransaction::Custom(ALLOWANCE_USED_UP),
		NotFree::LargerThanShare => InvalidTransaction::Custom(TOO_LARGE_TO_BE_FREE),
		NotFree::BlockShareUsed => InvalidTransaction::ExhaustsResources,
	}
	.into()
}

/// What the extension decided in `validate` and `prepare`.
pub enum Stage<Inner, AccountId> {
	/// Paid: the wrapped extension's own state.
	Paid(Inner),
	/// Free, for this patient.
	Free(AccountId),
}

impl<T, S> TransactionExtension<<T as frame_system::Config>::RuntimeCall> for FreeForPatients<T, S>
where
	T: Config + Send + Sync,
	S: TransactionExtension<<T as frame_system::Config>::RuntimeCall>,
	<T as frame_system::Config>::RuntimeCall: Dispatchable<Info = DispatchInfo>,
	DispatchOriginOf<<T as frame_system::Config>::RuntimeCall>:
		AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = S::IDENTIFIER;
	type Implicit = S::Implicit;

	fn implicit(&self) -> Result<Self::Implicit, TransactionValidityError> {
		self.0.implicit()
	}

	fn metadata() -> alloc::vec::Vec<polkadot_sdk::sp_runtime::traits::TransactionExtensionMetadata>
	{
		S::metadata()
	}

	type Val = Stage<S::Val, T::AccountId>;
	type Pre = Stage<S::Pre, T::AccountId>;

	fn weight(&self, call: &<T as frame_system::Config>::RuntimeCall) -> Weight {
		// Charged on top of the fee extension: the whole check for a call that can be free
		// (whether it turns out free or paid), only the recovery check for one that never is (a
		// transfer, a practitioner's call).
		let check = if T::Filter::may_be_free(call) {
			T::WeightInfo::free_call_check()
		} else {
			T::WeightInfo::paid_call_check()
		};
		self.0.weight(call).saturating_add(check)
	}

	fn validate(
		&self,
		origin: DispatchOriginOf<<T as frame_system::Config>::RuntimeCall>,
		call: &<T as frame_system::Config>::RuntimeCall,
		info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		len: usize,
		self_implicit: S::Implicit,
		inherited_implication: &impl Implication,
		source: TransactionSource,
	) -> ValidateResult<Self::Val, <T as frame_system::Config>::RuntimeCall> {
		let signer = origin.as_system_origin_signer();
		if signer.is_some_and(T::Recovered::contains) {
			return Err(InvalidTransaction::Custom(RECOVERED_ACCOUNT).into());
		}
		let patient = signer
			.filter(|_| T::Filter::may_be_free(call))
			.and_then(|who| T::Filter::free_for(who, call))
			.filter(T::Directory::is_patient);
		let Some(patient) = patient else {
			let (valid, val, origin) = self.0.validate(
				origin,
				call,
				info,
				len,
				self_implicit,
				inherited_implication,
				source,
			)?;
			return Ok((valid, Stage::Paid(val), origin));
		};
		let length = u32::try_from(len).unwrap_or(u32::MAX);
		match Pallet::<T>::check(&patient, info.total_weight(), length) {
			Ok(()) => Ok((ValidTransaction::default(), Stage::Free(patient), origin)),
			Err(NotFree::BlockShareUsed) => Err(refusal(NotFree::BlockShareUsed)),
			Err(why @ (NotFree::AllowanceUsedUp | NotFree::LargerThanShare)) => {
				match self.0.validate(
					origin,
					call,
					info,
					len,
					self_implicit,
					inherited_implication,
					source,
				) {
					Ok((valid, val, origin)) => Ok((valid, Stage::Paid(val), origin)),
					Err(TransactionValidityError::Invalid(InvalidTransaction::Payment)) => {
						Err(refusal(why))
					},
					Err(other) => Err(other),
				}
			},
		}
	}

	fn prepare(
		self,
		val: Self::Val,
		origin: &DispatchOriginOf<<T as frame_system::Config>::RuntimeCall>,
		call: &<T as frame_system::Config>::RuntimeCall,
		info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		match val {
			Stage::Paid(val) => self.0.prepare(val, origin, call, info, len).map(Stage::Paid),
			Stage::Free(patient) => {
				let length = u32::try_from(len).unwrap_or(u32::MAX);
				let weight = info.total_weight();
				// `validate` ran on this state just before; checked again all the same, so that
				// the counts can never pass their bounds.
				Pallet::<T>::check(&patient, weight, length).map_err(refusal)?;
				Pallet::<T>::use_free_call(&patient, weight, length);
				Ok(Stage::Free(patient))
			},
		}
	}

	fn post_dispatch_details(
		pre: Self::Pre,
		info: &DispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		post_info: &PostDispatchInfoOf<<T as frame_system::Config>::RuntimeCall>,
		len: usize,
		result: &DispatchResult,
	) -> Result<Weight, TransactionValidityError> {
		match pre {
			Stage::Paid(pre) => S::post_dispatch_details(pre, info, post_info, len, result),
			Stage::Free(_) => Ok(Weight::zero()),
		}
	}
}
