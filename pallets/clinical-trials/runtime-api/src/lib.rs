//! # Clinical trials runtime API
//!
//! The questions clients, sponsors, ethics committees and regulators ask
//! `pallet-clinical-trials` through the runtime (never by reading its storage): a trial as
//! registered and as it is now (protocol, outcomes, sites, investigators, consent forms, status,
//! counts, results); its amendments; a participant's standing under their per-study pseudonym
//! (and whether they must re-consent); a participant's allocation arm once the allocation seed
//! is revealed; which trials' results are overdue; the trial's anchored datasets.
//!
//! The types the API answers with live here, so that a client, the node and the runtime need
//! only this small crate; the pallet depends on it and re-exports them.
//!
//! Nothing here is health data: organisation ids, accounts of sponsors' admins and
//! investigators, per-study pseudonyms, research keys (public keys that anyone may see in the
//! ring they joined), hashes (commitments) of documents kept off chain, counts and block
//! numbers. No type links a pseudonym to a patient account or to a research key.

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
pub use medchain_primitives::{Commitment, GrantId, OrganisationId};
use polkadot_sdk::sp_runtime::traits::NumberFor;
use scale_info::TypeInfo;

/// Identifies a trial (assigned sequentially from 0, never reused).
pub type TrialId = u32;

/// A participant's per-study pseudonym: the alias of their research key in the trial's context,
/// the output of a ring VRF (Bandersnatch) over `SCALE(("medchain/trial/v1", genesis hash,
/// trial))`. One research key has exactly one alias per trial, and nobody without the key's
/// secret can tell which key (hence which patient) an alias belongs to.
pub type Pseudonym = [u8; 32];

/// A patient's research key: a Bandersnatch public key (32 bytes, compressed), a member of one
/// research ring. Trial calls prove membership of the ring without naming the key.
pub type ResearchKey = [u8; 32];

/// Identifies a research ring (assigned sequentially from 0; a ring takes a bounded number of
/// research keys, then the next one starts).
pub type RingIndex = u32;

/// The length of a ring VRF proof (output and ring proof, compressed).
pub const RING_PROOF_LEN: usize = 788;

/// A ring VRF proof: that the signer holds the secret of one of a ring's research keys, the
/// alias it has in a context, and that it chose a message.
pub type RingProof = [u8; RING_PROOF_LEN];

/// What a ring VRF proof of a trial call is bound to: the trial's context (one alias per
/// research key and context) and each action's message. The pallet verifies against these; a
/// client proves with them.
pub mod ring_statement {
	use super::TrialId;
	use alloc::vec::Vec;
	use codec::Encode;

	/// The domain of a trial's context.
	const CONTEXT_DOMAIN: &[u8] = b"medchain/trial/v1";
	/// The domain of an enrolment's message.
	const ENROL_DOMAIN: &[u8] = b"medchain/trial-enrol/v1";
	/// The domain of a re-consent's message.
	const RECONSENT_DOMAIN: &[u8] = b"medchain/trial-reconsent/v1";
	/// The domain of a withdrawal's message.
	const WITHDRAW_DOMAIN: &[u8] = b"medchain/trial-withdraw/v1";
	/// The domain of a visit reward's message.
	const VISIT_REWARD_DOMAIN: &[u8] = b"medchain/trial-visit-reward/v1";

	/// The context of trial `trial` on the chain with genesis hash `genesis`:
	/// `SCALE(("medchain/trial/v1", genesis, trial))`.
	pub fn context(genesis: &[u8; 32], trial: TrialId) -> Vec<u8> {
		(CONTEXT_DOMAIN, genesis, trial).encode()
	}

	/// What a participant proves to enrol under consent-form version `consent_form`.
	pub fn enrol_message(consent_form: u32) -> Vec<u8> {
		(ENROL_DOMAIN, consent_form).encode()
	}

	/// What a participant proves to consent to consent-form version `consent_form`.
	pub fn reconsent_message(consent_form: u32) -> Vec<u8> {
		(RECONSENT_DOMAIN, consent_form).encode()
	}

	/// What a participant proves to withdraw.
	pub fn withdraw_message() -> Vec<u8> {
		WITHDRAW_DOMAIN.encode()
	}

	/// What a participant proves to have reward pool `pool` pay `payee` (the SCALE encoding of
	/// an account id) for the visit the trial's data anchor `seq` records:
	/// `SCALE(("medchain/trial-visit-reward/v1", seq, pool, payee))`. Binding the payee keeps
	/// anyone who sees the proof in the pool from redirecting the reward.
	pub fn visit_reward_message(seq: u32, pool: u32, payee: &[u8]) -> Vec<u8> {
		(VISIT_REWARD_DOMAIN, seq, pool, payee).encode()
	}
}

/// The seed of a trial's allocation, committed (by its `blake2_256`) before recruitment opens
/// and revealed by the trial's randomiser after the data lock.
pub type AllocationSeed = [u8; 32];

/// Where a trial is in its life.
///
/// `Registered → Recruiting → Active → Locked → Completed`; any of the first four may go to
/// `Terminated`.
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
pub enum TrialStatus {
	/// Pre-registered: protocol, analysis plan and outcomes are on chain; no enrolment yet.
	Registered,
	/// Enrolment is open; the allocation seed is committed.
	Recruiting,
	/// Enrolment is closed; follow-up and data collection go on.
	Active,
	/// The dataset is locked (its root hash is on chain); no more data anchors.
	Locked,
	/// Results are published.
	Completed,
	/// Stopped early by the sponsor (results may still be, and are expected to be, published).
	Terminated,
}

/// A trial's protocol: the hashes of its protocol document and statistical analysis plan
/// (SAP), and of its primary and secondary outcome definitions. `Primary` and `Secondary` are
/// bounded lists of hashes in storage, plain `Vec`s in the runtime API.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Protocol<Primary, Secondary> {
	/// Hash of the protocol document.
	pub protocol: Commitment,
	/// Hash of the statistical analysis plan.
	pub sap: Commitment,
	/// Hashes of the primary outcome definitions, in order (at least one).
	pub primary_outcomes: Primary,
	/// Hashes of the secondary outcome definitions, in order.
	pub secondary_outcomes: Secondary,
}

/// The dataset lock of a trial.
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
pub struct DataLock<BlockNumber> {
	/// The root hash of the locked dataset, computed off chain.
	pub root: Commitment,
	/// The block of the lock.
	pub at: BlockNumber,
}

/// A trial's published results.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Results<BlockNumber, Link> {
	/// Hash of the results report.
	pub hash: Commitment,
	/// Where the report is published (e.g. a URL; never health data).
	pub link: Link,
	/// The block of publication.
	pub published_at: BlockNumber,
	/// Whether they were published after the trial's `results_due` block.
	pub late: bool,
}

/// Why and when a trial was terminated.
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
pub struct Termination<BlockNumber> {
	/// Hash of the sponsor's statement of reasons.
	pub reason: Commitment,
	/// The block of termination.
	pub at: BlockNumber,
	/// The status the trial had when it was terminated.
	pub from: TrialStatus,
}

/// A trial. `registered` is the protocol as pre-registered and never changes; `current` is the
/// protocol after the amendments: comparing the two shows any outcome switching.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Trial<AccountId, BlockNumber, RegistryId, Primary, Secondary, Link> {
	/// The trial's id.
	pub id: TrialId,
	/// The sponsor organisation (its admins manage the trial).
	pub sponsor: OrganisationId,
	/// The admin who registered it.
	pub registered_by: AccountId,
	/// The trial's id in an external registry (e.g. an NCT number), unique across trials.
	pub registry_id: Option<RegistryId>,
	/// The protocol as registered (kept forever).
	pub registered: Protocol<Primary, Secondary>,
	/// The protocol as amended (equal to `registered` until an amendment changes it).
	pub current: Protocol<Primary, Secondary>,
	/// The protocol version: 1 at registration, one more per amendment.
	pub protocol_version: u32,
	/// How many participants are planned (enrolment stops there).
	pub planned_enrolment: u32,
	/// The number of allocation arms (2 to 16).
	pub arms: u8,
	/// The block of registration.
	pub registered_at: BlockNumber,
	/// The last block in which publishing results is on time.
	pub results_due: BlockNumber,
	/// Where the trial is in its life.
	pub status: TrialStatus,
	/// How many participants ever enrolled (withdrawn ones included).
	pub enrolled: u32,
	/// How many of them withdrew.
	pub withdrawn: u32,
	/// The allocation commitment (`blake2_256` of the seed), taken when recruitment opens.
	pub allocation_commitment: Option<Commitment>,
	/// The independent randomiser who holds the allocation seed (not an admin of the
	/// sponsor), named when recruitment opens.
	pub randomiser: Option<AccountId>,
	/// The allocation seed, once revealed (after the data lock).
	pub allocation_seed: Option<AllocationSeed>,
	/// How many datasets were anchored (the next anchor's sequence number).
	pub data_anchors: u32,
	/// The dataset lock, once locked.
	pub lock: Option<DataLock<BlockNumber>>,
	/// The results, once published.
	pub results: Option<Results<BlockNumber, Link>>,
	/// How many times an amendment changed the primary or the secondary outcomes (an amendment
	/// changing both counts twice).
	pub outcome_changes: u32,
	/// The current consent-form version (0: none published yet).
	pub consent_form: u32,
	/// The termination, if the trial was terminated.
	pub termination: Option<Termination<BlockNumber>>,
}

/// An amendment of a trial's protocol. Amendments are never deleted. `Primary` and `Secondary`
/// are bounded lists in storage, plain `Vec`s in the runtime API.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Amendment<BlockNumber, Primary, Secondary> {
	/// The protocol version it created (2 for the first amendment).
	pub version: u32,
	/// The block of the amendment.
	pub at: BlockNumber,
	/// The time of the amendment, in Unix seconds.
	pub timestamp: u64,
	/// The new protocol hash, if the amendment gave one.
	pub protocol: Option<Commitment>,
	/// The new analysis-plan hash, if the amendment gave one.
	pub sap: Option<Commitment>,
	/// The new primary outcomes, if the amendment gave them.
	pub primary_outcomes: Option<Primary>,
	/// The new secondary outcomes, if the amendment gave them.
	pub secondary_outcomes: Option<Secondary>,
	/// Whether the primary outcomes differ from those before the amendment (an outcome change).
	pub primary_changed: bool,
	/// Whether the secondary outcomes differ from those before the amendment.
	pub secondary_changed: bool,
	/// Hash of the sponsor's statement of reasons.
	pub reason: Commitment,
}

/// A version of a trial's participant consent form.
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
pub struct ConsentForm<BlockNumber> {
	/// The version (from 1).
	pub version: u32,
	/// Hash of the form's text.
	pub hash: Commitment,
	/// The block of publication.
	pub published_at: BlockNumber,
}

/// Whether a participant is still in the trial.
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
pub enum ParticipantStatus<BlockNumber> {
	/// In the trial.
	Active,
	/// Withdrew (no data may be anchored for them any more).
	Withdrawn {
		/// The block of withdrawal.
		at: BlockNumber,
	},
}

/// A participant, known only by their per-study pseudonym.
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
pub struct Participant<BlockNumber> {
	/// The consent-form version they last consented to.
	pub consent_form: u32,
	/// The block of enrolment.
	pub enrolled_at: BlockNumber,
	/// In the trial, or withdrawn.
	pub status: ParticipantStatus<BlockNumber>,
	/// The block of their last re-consent, if any.
	pub reconsented_at: Option<BlockNumber>,
}

/// A participant as the runtime API answers: their record and whether they must re-consent
/// (they consented to an older consent-form version than the trial's current one).
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub struct ParticipantInfo<BlockNumber> {
	/// The participant's record.
	pub participant: Participant<BlockNumber>,
	/// Whether they consented to an older form than the current one.
	pub needs_reconsent: bool,
}

/// Whose data a dataset anchor is about.
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
pub enum DataSubject {
	/// One participant's data from one visit.
	Participant {
		/// The participant's pseudonym.
		pseudonym: Pseudonym,
		/// The visit number (as the protocol numbers them).
		visit: u32,
	},
	/// A batch of data (e.g. a laboratory run), not tied to one participant.
	Batch {
		/// The batch number.
		batch: u32,
	},
}

/// A dataset anchored for a trial: its hash, whom it is about, who anchored it and when.
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
pub struct DataAnchor<AccountId, BlockNumber> {
	/// Whose data.
	pub subject: DataSubject,
	/// Hash of the dataset (kept off chain).
	pub hash: Commitment,
	/// The investigator who anchored it.
	pub by: AccountId,
	/// The block of anchoring.
	pub at: BlockNumber,
}

/// A trial as the runtime API answers: the trial, its sites, investigators and consent forms.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct TrialInfo<AccountId, BlockNumber> {
	/// The trial.
	pub trial: Trial<AccountId, BlockNumber, Vec<u8>, Vec<Commitment>, Vec<Commitment>, Vec<u8>>,
	/// Its sites (organisations), in the order they were added.
	pub sites: Vec<OrganisationId>,
	/// Its investigators, in the order they were added.
	pub investigators: Vec<AccountId>,
	/// Every consent-form version, oldest first.
	pub consent_forms: Vec<ConsentForm<BlockNumber>>,
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Trials as registered and as they are; participants under their pseudonyms; overdue
	/// results.
	pub trait ClinicalTrialsApi<AccountId> where AccountId: Codec {
		/// The trial `id` with its sites, investigators and consent forms, if it exists.
		fn trial(id: TrialId) -> Option<TrialInfo<AccountId, NumberFor<Block>>>;

		/// Every amendment of trial `id`, oldest first.
		fn amendments(id: TrialId) -> Vec<Amendment<NumberFor<Block>, Vec<Commitment>, Vec<Commitment>>>;

		/// The participant `pseudonym` of `trial`, and whether they must re-consent.
		fn participant(trial: TrialId, pseudonym: Pseudonym) -> Option<ParticipantInfo<NumberFor<Block>>>;

		/// The allocation arm (`0..arms`) of participant `pseudonym` of `trial`, once the
		/// allocation seed is revealed: the first four bytes (little endian) of
		/// `blake2_256(SCALE((seed, pseudonym)))` modulo the number of arms.
		fn allocation(trial: TrialId, pseudonym: Pseudonym) -> Option<u8>;

		/// Up to `limit` (capped at the pallet's `MaxPageSize`) trials whose results are due
		/// before the current block and not published, with their due block, in a stable
		/// storage order (not by id): pass the last id of a page as `start_after`.
		fn overdue_results(start_after: Option<TrialId>, limit: u32) -> Vec<(TrialId, NumberFor<Block>)>;

		/// Up to `limit` (capped at `MaxPageSize`) datasets anchored for `trial`, with their
		/// sequence numbers, from sequence number `from` on.
		fn data_anchors(trial: TrialId, from: u32, limit: u32) -> Vec<(u32, DataAnchor<AccountId, NumberFor<Block>>)>;

		/// The research key `patient` registered and the ring it is in, if any.
		fn research_key(patient: AccountId) -> Option<(RingIndex, ResearchKey)>;

		/// The research keys of ring `ring`, in the order they joined (what a client needs to
		/// prove membership of it).
		fn ring_members(ring: RingIndex) -> Vec<ResearchKey>;
	}
}
