//! # Medical records runtime API
//!
//! The questions clients ask `pallet-medical-records` through the runtime (never by reading its
//! storage): is this ciphertext the current version of a record, a superseded one, erased or
//! unknown; which records does a patient have (paged); a record; what is its version chain;
//! who holds its data key, and the key wrapped for one holder.
//!
//! The types the API answers with live here, so that a client, the node and the runtime need
//! only this small crate (SCALE codec, type info, `sp-api` and the shared MedChain primitives);
//! the pallet depends on it and re-exports them.
//!
//! Nothing here is health data: ids, pseudonymous accounts, organisation ids, salted class
//! tags, commitments and content addresses (CIDs) of ciphertext.

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

use alloc::vec::Vec;
use codec::{Codec, Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::{ClassTag, Commitment, OrganisationId};
use polkadot_sdk::sp_runtime::traits::NumberFor;
use scale_info::TypeInfo;

/// Identifies a record anchor (assigned sequentially from 0).
pub type RecordId = u64;

/// A record's version number: the first version is 1, each amendment adds one.
pub type VersionNumber = u32;

/// Whether a record can still be read and changed, or was erased.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum RecordState<AccountId, BlockNumber> {
	/// The record can be read (its versions have CIDs, its grantees wrapped keys) and amended.
	/// Its FHIR resource type is inside the encrypted document only (security review H3).
	Active {
		/// The data class consent is scoped by, as the patient's salted tag.
		data_class: ClassTag,
	},
	/// The record was erased: only the commitments and authorship of its versions remain; its
	/// CIDs, wrapped keys and class tag are gone. Final.
	Erased {
		/// Who erased it (the patient or the custodian organisation's admin).
		by: AccountId,
		/// The block in which it was erased.
		at: BlockNumber,
	},
}

/// What the chain knows of a ciphertext presented as a version of a record.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum IntegrityStatus {
	/// The ciphertext is the record's current version.
	Current {
		/// Its version number.
		version: VersionNumber,
	},
	/// The ciphertext is an earlier version of the record, superseded by an amendment.
	Superseded {
		/// Its version number.
		version: VersionNumber,
		/// The record's current version number.
		current: VersionNumber,
	},
	/// The ciphertext is a version of the record, and the record was erased.
	Erased,
	/// No such record, or the ciphertext is none of its versions.
	Unknown,
}

/// One record as listed for its patient.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct RecordSummary<AccountId, BlockNumber> {
	/// The record's id.
	pub record: RecordId,
	/// The patient the record is about.
	pub subject: AccountId,
	/// The organisation holding the record, `None` for data the patient reported themself.
	pub custodian: Option<OrganisationId>,
	/// Who anchored the first version.
	pub author: AccountId,
	/// The block in which the first version was anchored.
	pub created_at: BlockNumber,
	/// The current version number.
	pub current_version: VersionNumber,
	/// The block in which the current version was anchored.
	pub updated_at: BlockNumber,
	/// How many accounts hold a wrapped data key (0 once erased).
	pub grantees: u32,
	/// Active (with the resource type and data class) or erased (by whom, when).
	pub state: RecordState<AccountId, BlockNumber>,
}

/// One version of a record.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct VersionSummary<AccountId, BlockNumber> {
	/// The version number (from 1).
	pub version: VersionNumber,
	/// The version this one amends; `None` for the first.
	pub supersedes: Option<VersionNumber>,
	/// Hash of the ciphertext.
	pub ciphertext_hash: Commitment,
	/// Salted commitment of the plaintext.
	pub plaintext_commitment: Commitment,
	/// Where the ciphertext is stored (content address); `None` once the record is erased.
	pub cid: Option<Vec<u8>>,
	/// Who anchored this version.
	pub author: AccountId,
	/// The block in which it was anchored.
	pub created_at: BlockNumber,
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Queries on anchored medical records. Version 2 added `record` and `wrapped_key`, so
	/// that clients read nothing of the pallet's storage directly.
	#[api_version(2)]
	pub trait MedicalRecordsApi<AccountId> where AccountId: Codec {
		/// Whether `ciphertext_hash` is the current version of `record`, a superseded version,
		/// a version of an erased record, or unknown (no such record, or none of its versions).
		fn integrity(record: RecordId, ciphertext_hash: Commitment) -> IntegrityStatus;

		/// Up to `limit` of `patient`'s records (erased ones included, as tombstones), capped
		/// at the pallet's `MaxPageSize`. Records come in a stable storage order, not by id:
		/// pass the last id of a page as `start_after` to get the next page; an empty page
		/// means there are no more.
		fn records_of(
			patient: AccountId,
			start_after: Option<RecordId>,
			limit: u32,
		) -> Vec<RecordSummary<AccountId, NumberFor<Block>>>;

		/// Every version of `record`, first to current (empty if there is no such record).
		fn versions_of(record: RecordId) -> Vec<VersionSummary<AccountId, NumberFor<Block>>>;

		/// The accounts holding a wrapped data key of `record` (in storage order), and whether
		/// the next amendment must change the data key because a key was removed (`None` if
		/// there is no such record).
		fn key_holders(record: RecordId) -> Option<(Vec<AccountId>, bool)>;

		/// Record `record` as [`records_of`](Self::records_of) lists it (`None` if there is no
		/// such record).
		#[api_version(2)]
		fn record(record: RecordId) -> Option<RecordSummary<AccountId, NumberFor<Block>>>;

		/// The data key of `record` wrapped for `holder` (HPKE, see the client's `crypto`
		/// module), if the chain holds one.
		#[api_version(2)]
		fn wrapped_key(record: RecordId, holder: AccountId) -> Option<Vec<u8>>;
	}
}
