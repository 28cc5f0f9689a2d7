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

use arrayvec::ArrayVec;
use codec::{Decode, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use medchain_primitives::{ConsentAction, GrantId, PurposeOfUse, RecordId};
use polkadot_sdk::frame_support::traits::Get;
use scale_info::TypeInfo;

/// The most records of one class one indexed grant names: the bound of a provision's records
/// ([`crate::Config::MaxScopeRecords`]) may not exceed it (the pallet's integrity test).
pub const INDEXED_RECORDS: usize = 16;
/// The most actions an indexed grant holds: the bound of [`Actions`] may not exceed it.
pub const INDEXED_ACTIONS: usize = 3;
/// The most purposes an indexed grant holds: the bound of [`Purposes`] may not exceed it.
pub const INDEXED_PURPOSES: usize = 8;

/// What the decision index keeps of one grant for one data class: everything a consent
/// question about that class needs, and nothing about other classes. Its lists are held inline
/// ([`InlineList`]): a consent question decodes up to sixteen of these, and in the runtime each
/// heap allocation is a call to the host.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct IndexedGrant<BlockNumber> {
	/// The grant's id.
	pub id: GrantId,
	/// Permit or deny.
	pub effect: Effect,
	/// Its actions.
	pub actions: InlineList<ConsentAction, INDEXED_ACTIONS>,
	/// Its purposes.
	pub purposes: InlineList<PurposeOfUse, INDEXED_PURPOSES>,
	/// The first block of its validity.
	pub valid_from: BlockNumber,
	/// The first block it is no longer valid in, if any.
	pub valid_until: Option<BlockNumber>,
	/// The block it was revoked in, if it was.
	pub ended_at: Option<BlockNumber>,
	/// Whether the provision names the class as a whole.
	pub whole_class: bool,
	/// The records of this class the provision names.
	pub records: InlineList<RecordId, INDEXED_RECORDS>,
}

impl<BlockNumber: PartialOrd + Copy> IndexedGrant<BlockNumber> {
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

/// A list of at most `N` items held inline rather than on the heap. It encodes exactly as a
/// bounded vector does (a compact length, then the items), so storage holds the same bytes
/// either way; decoding refuses more than `N` items and allocates nothing.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct InlineList<T, const N: usize>(ArrayVec<T, N>);

impl<T: Clone, const N: usize> InlineList<T, N> {
	/// The first `N` of `items` (all of them when they fit, as they do wherever the pallet
	/// builds one: from a list of the same bound).
	pub fn truncate_from(items: &[T]) -> Self {
		Self(items.iter().take(N).cloned().collect())
	}
}

impl<T, const N: usize> core::ops::Deref for InlineList<T, N> {
	type Target = [T];

	fn deref(&self) -> &[T] {
		self.0.as_slice()
	}
}

impl<T: Encode, const N: usize> Encode for InlineList<T, N> {
	fn size_hint(&self) -> usize {
		self.0.as_slice().size_hint()
	}

	fn encode_to<W: codec::Output + ?Sized>(&self, dest: &mut W) {
		self.0.as_slice().encode_to(dest)
	}
}

impl<T: Decode, const N: usize> Decode for InlineList<T, N> {
	fn decode<I: codec::Input>(input: &mut I) -> Result<Self, codec::Error> {
		let len = <codec::Compact<u32>>::decode(input)?.0;
		if usize::try_from(len).map_or(true, |len| len > N) {
			return Err("more items than the list's bound".into());
		}
		let mut items = ArrayVec::new();
		for _ in 0..len {
			items.try_push(T::decode(input)?).map_err(|_| "more items than the list's bound")?;
		}
		Ok(Self(items))
	}
}

impl<T: MaxEncodedLen, const N: usize> MaxEncodedLen for InlineList<T, N> {
	fn max_encoded_len() -> usize {
		let bound = u32::try_from(N).unwrap_or(u32::MAX);
		codec::Compact(bound).encoded_size().saturating_add(N.saturating_mul(T::max_encoded_len()))
	}
}

/// Described as the sequence it encodes as.
impl<T: TypeInfo + 'static, const N: usize> TypeInfo for InlineList<T, N> {
	type Identity = alloc::vec::Vec<T>;

	fn type_info() -> scale_info::Type {
		<alloc::vec::Vec<T> as TypeInfo>::type_info()
	}
}
