//! The records this pallet stores. None of them holds health data: a record anchor is a
//! pseudonymous patient account, an organisation id, a data class tag salted per patient,
//! commitments (hashes) of the ciphertext and of the salted plaintext, the ciphertext's content
//! address (CID) and data keys wrapped (HPKE) for their holders.
//!
//! The types the runtime API answers with ([`IntegrityStatus`], [`RecordSummary`],
//! [`VersionSummary`], [`RecordState`]) are defined in `pallet-medical-records-runtime-api` and
//! re-exported here.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::{Commitment, OrganisationId};
use scale_info::TypeInfo;

pub use pallet_medical_records_runtime_api::{
	IntegrityStatus, RecordId, RecordState, RecordSummary, VersionNumber, VersionSummary,
};

/// What a new version is: the commitments of its ciphertext and plaintext and where its
/// ciphertext is stored. Given to the calls that anchor and amend records.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct VersionContent<Cid> {
	/// Hash of the ciphertext; not all zeros.
	pub ciphertext_hash: Commitment,
	/// Salted commitment of the plaintext; not all zeros.
	pub plaintext_commitment: Commitment,
	/// Content address (CID) of the ciphertext in the document store; not empty.
	pub cid: Cid,
}

/// A fresh data key for a record (security review H2): after a wrapped key was removed, the
/// next amendment is encrypted under a new data key, wrapped for every account that still holds
/// the old one, so a removed holder cannot read anything written after the removal.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Rekey<Keys, WrappedKey> {
	/// The previous data key sealed (an `MCE1` envelope) under the new one: a current holder
	/// can still open every earlier version, walking back the chain.
	pub previous_key: WrappedKey,
	/// The new data key wrapped for each account that holds a key now (the patient included),
	/// each exactly once.
	pub keys: Keys,
}

/// A record anchor: who it is about, who holds it, who wrote it first, and how far its version
/// chain goes. The versions are in `Versions`, the wrapped data keys in `WrappedKeys`.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Record<AccountId, BlockNumber> {
	/// The patient the record is about.
	pub subject: AccountId,
	/// The organisation holding the record (the anchoring practitioner's), `None` for data the
	/// patient reported themself.
	pub custodian: Option<OrganisationId>,
	/// Who anchored the first version (the patient for self-reported data).
	pub author: AccountId,
	/// The block in which the first version was anchored.
	pub created_at: BlockNumber,
	/// The current (latest) version number; versions `1..=current_version` exist.
	pub current_version: u32,
	/// How many accounts hold a wrapped data key for the record (0 once erased).
	pub grantees: u32,
	/// Active (class tag) or erased (by whom, when).
	pub state: RecordState<AccountId, BlockNumber>,
}

impl<AccountId, BlockNumber> Record<AccountId, BlockNumber> {
	/// Whether the record was erased.
	pub fn is_erased(&self) -> bool {
		matches!(self.state, RecordState::Erased { .. })
	}
}

/// One version of a record. Never overwritten; erasure only removes the CID.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct VersionInfo<AccountId, Cid, BlockNumber> {
	/// Hash of the ciphertext (what the document store returns for the CID). Not all zeros,
	/// unique within the record.
	pub ciphertext_hash: Commitment,
	/// Salted commitment of the plaintext (FHIR resource), so that a holder of the plaintext and
	/// the salt can prove what was written. Not all zeros.
	pub plaintext_commitment: Commitment,
	/// Content address of the ciphertext in the document store; `None` once the record is
	/// erased.
	pub cid: Option<Cid>,
	/// Who anchored this version.
	pub author: AccountId,
	/// The block in which it was anchored.
	pub created_at: BlockNumber,
	/// The version this one amends: `None` for version 1, otherwise the previous version.
	pub supersedes: Option<u32>,
}

/// Identifies a batch anchor (assigned sequentially from 0).
pub type BatchId = u64;

/// A batch anchor: the Merkle root over many record versions and who vouches for them. The
/// leaves (patients, classes, documents) are not on chain.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct BatchAnchor<AccountId, BlockNumber> {
	/// The root of the binary Merkle tree (BLAKE2-256) over the leaves.
	pub root: Commitment,
	/// How many leaves the tree has.
	pub leaves: u32,
	/// The organisation holding the batch's records: the author's when anchored.
	pub custodian: OrganisationId,
	/// The practitioner who anchored it.
	pub author: AccountId,
	/// The block it was anchored in: consent for each leaf is asked as it stood then.
	pub anchored_at: BlockNumber,
}
