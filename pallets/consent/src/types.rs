//! The records this pallet stores. None of them holds health data: grants are pseudonymous
//! accounts, organisation ids, role, action, purpose and data-class codes, record ids and block
//! numbers; receipts and emergency accesses likewise, with a reason *code*.
//!
//! The types are defined in `pallet-consent-runtime-api` (the runtime API answers with them) and
//! re-exported here; the pallet stores them with bounded record lists.

pub use pallet_consent_runtime_api::{
	AccessReceipt, Actions, Classes, Effect, Emergency, EmergencyReason, EndReason, Ending, Grant,
	Grantee, LogEntry, Offer, OfferId, Provision, Purposes, Review, Reviewer,
};

use codec::{Decode, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use medchain_primitives::{ConsentAction, GrantId, PurposeOfUse, RecordId};
use polkadot_sdk::frame_support::traits::Get;
use scale_info::TypeInfo;

/// What the decision index keeps of one grant for one data class: everything a consent
/// question about that class needs, and nothing about other classes.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct IndexedGrant<BlockNumber, Records> {
	/// The grant's id.
	pub id: GrantId,
	/// Permit or deny.
	pub effect: Effect,
	/// Its actions.
	pub actions: Actions,
	/// Its purposes.
	pub purposes: Purposes,
	/// The first block of its validity.
	pub valid_from: BlockNumber,
	/// The first block it is no longer valid in, if any.
	pub valid_until: Option<BlockNumber>,
	/// The block it was revoked in, if it was.
	pub ended_at: Option<BlockNumber>,
	/// Whether the provision names the class as a whole.
	pub whole_class: bool,
	/// The records of this class the provision names.
	pub records: Records,
}

impl<BlockNumber: PartialOrd + Copy, Records: AsRef<[RecordId]>>
	IndexedGrant<BlockNumber, Records>
{
	/// Whether the grant is in force at block `at`.
	pub fn in_force_at(&self, at: BlockNumber) -> bool {
		self.valid_from <= at
			&& self.valid_until.is_none_or(|until| at < until)
			&& self.ended_at.is_none_or(|ended| at < ended)
	}

	/// Whether the grant may be in force at `now` or later (not revoked or expired by then).
	pub fn may_be_in_force_from(&self, now: BlockNumber) -> bool {
		self.valid_until.is_none_or(|until| now < until)
			&& self.ended_at.is_none_or(|ended| now < ended)
	}

	/// Whether it speaks of `action` for `purpose`.
	pub fn names(&self, action: ConsentAction, purpose: PurposeOfUse) -> bool {
		self.actions.contains(&action) && self.purposes.contains(&purpose)
	}
}

/// How many classes one grant may be indexed under: a provision's classes and one for each
/// record it names.
pub struct IndexedClassesBound<T>(PhantomData<T>);

impl<T: crate::Config> Get<u32> for IndexedClassesBound<T> {
	fn get() -> u32 {
		Classes::bound().try_into().unwrap_or(u32::MAX).saturating_add(T::MaxScopeRecords::get())
	}
}
