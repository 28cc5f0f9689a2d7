//! # Consent runtime API
//!
//! The questions clients ask `pallet-consent` through the runtime (never by reading its storage
//! or re-implementing its rules): may this actor do this action, for this purpose, on this data
//! (`evaluate_access`, asked at any block the node keeps the state of); what is a patient's access
//! log (paged, newest first); what grants a patient made (with their history) and which offers
//! await their answer; which emergency (break-glass) accesses still await review.
//!
//! The types the API answers with live here, so that a client, the node and the runtime need
//! only this small crate (SCALE codec, type info, `sp-api` and the shared MedChain primitives);
//! the pallet depends on it and re-exports them.
//!
//! Nothing here is health data: pseudonymous accounts, organisation ids, role, purpose, action
//! codes, data-class tags salted per patient, record ids and block numbers.

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
pub use medchain_primitives::{
	AccessTarget, ClassTag, Commitment, ConsentAction, Decision, DecisionReason, EmergencyId,
	GrantId, OrganisationId, PractitionerRole, PurposeOfUse, RecordId,
};
use polkadot_sdk::sp_runtime::{traits::ConstU32, traits::NumberFor, BoundedVec};
use scale_info::TypeInfo;

/// The actions of a provision: a set (no duplicates, not empty) of at most the three actions.
pub type Actions = BoundedVec<ConsentAction, ConstU32<3>>;

/// The purposes of a provision: a set (no duplicates, not empty). The bound leaves room for the
/// purposes MedChain may add.
pub type Purposes = BoundedVec<PurposeOfUse, ConstU32<8>>;

/// The data classes of a provision, as the patient's salted tags: a set (no duplicates). The
/// bound leaves room for the data classes MedChain may add.
pub type Classes = BoundedVec<ClassTag, ConstU32<8>>;

/// Whom a grant is for (FHIR Consent `provision.actor`).
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum Grantee<AccountId> {
	/// One account (a practitioner, a researcher, a payer's officer, a relative).
	Account(AccountId),
	/// Any active practitioner of `organisation` holding `role` at the moment of the access.
	Role {
		/// The organisation.
		organisation: OrganisationId,
		/// The role within it.
		role: PractitionerRole,
	},
}

/// Whether a grant allows or forbids what it describes (FHIR Consent `provision.type`).
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
pub enum Effect {
	/// Allows the actions (`permit`).
	Permit,
	/// Forbids them, whatever a permit says (`deny`).
	Deny,
}

/// What a grant allows or forbids: which actions, for which purposes, on which data.
///
/// The data is the data classes in `classes` and the records in `records`; at least one of the
/// two is not empty. `Records` is a bounded list of record ids in storage, a plain `Vec` in the
/// runtime API.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Provision<Records> {
	/// Permit or deny.
	pub effect: Effect,
	/// The actions (FHIR `provision.action`); not empty, no duplicates.
	pub actions: Actions,
	/// The purposes (FHIR `provision.purpose`); not empty, no duplicates.
	pub purposes: Purposes,
	/// Whole data classes (FHIR `provision.securityLabel`/`class`); no duplicates.
	pub classes: Classes,
	/// Specific records (FHIR `provision.data`); no duplicates.
	pub records: Records,
}

/// Why a grant stopped being in force.
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
pub enum EndReason {
	/// The patient revoked it.
	Revoked,
	/// Its validity period ended.
	Expired,
}

/// When and why a grant stopped being in force.
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
pub struct Ending<BlockNumber> {
	/// The first block in which the grant is no longer in force.
	pub at: BlockNumber,
	/// Revoked or expired.
	pub reason: EndReason,
}

/// A grant with its history: when it was made, its validity period and when it ended.
///
/// A grant is **in force** at block `b` when `granted_at <= b`, `valid_from <= b`, `b` is before
/// `valid_until` (if any) and before `ended.at` (if any): every interval is half-open.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Grant<AccountId, BlockNumber, Records> {
	/// The grant's id.
	pub id: GrantId,
	/// Whom it is for.
	pub grantee: Grantee<AccountId>,
	/// What it permits or denies.
	pub provision: Provision<Records>,
	/// The first block of its validity (FHIR `provision.period.start`); not before `granted_at`.
	pub valid_from: BlockNumber,
	/// The first block in which it is no longer valid (FHIR `provision.period.end`), if any;
	/// after `valid_from`.
	pub valid_until: Option<BlockNumber>,
	/// The block in which the patient made it.
	pub granted_at: BlockNumber,
	/// When and why it ended (revoked, or expired once recorded); `None` while it may still be
	/// in force.
	pub ended: Option<Ending<BlockNumber>>,
}

impl<AccountId, BlockNumber: PartialOrd + Copy, Records> Grant<AccountId, BlockNumber, Records> {
	/// Whether the grant is in force at block `at`.
	pub fn in_force_at(&self, at: BlockNumber) -> bool {
		self.granted_at <= at
			&& self.valid_from <= at
			&& self.valid_until.is_none_or(|until| at < until)
			&& self.ended.as_ref().is_none_or(|ending| at < ending.at)
	}
}

/// Identifies an offer (assigned sequentially from 0).
pub type OfferId = u64;

/// A grant proposed by a researcher or a payer, waiting for the patient to accept or reject it.
/// Its provision is a permit for non-clinical purposes only.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Offer<AccountId, BlockNumber, Records> {
	/// The offer's id.
	pub id: OfferId,
	/// The patient it is addressed to.
	pub patient: AccountId,
	/// Who proposed it (the grantee account, or the admin of the grantee organisation).
	pub proposer: AccountId,
	/// Whom the grant would be for.
	pub grantee: Grantee<AccountId>,
	/// What the grant would permit.
	pub provision: Provision<Records>,
	/// The first block of the grant's validity; if it has passed when the patient accepts,
	/// the grant starts then.
	pub valid_from: BlockNumber,
	/// The first block in which the grant would no longer be valid, if any.
	pub valid_until: Option<BlockNumber>,
	/// The block in which it was proposed.
	pub proposed_at: BlockNumber,
	/// The first block in which it can no longer be accepted.
	pub expires_at: BlockNumber,
}

/// Why an emergency physician opened break-glass access, as a commitment (security review H3):
/// `BLAKE2b-256("medchain/emergency-reason/v1" ‖ salt ‖ note)`, where `note` is the physician's
/// justification (a code from the organisations' shared table, or a FHIR document) and `salt`
/// 32 random bytes. The physician's organisation keeps the note and the salt and shows them to
/// the reviewer and the patient, who check them against the chain: the justification cannot be
/// changed after the opening, and a public reader learns nothing of it (a bare code such as
/// "life threatening" would tell what happened to the patient). Never all zeros.
pub type EmergencyReason = Commitment;

/// Who reviewed an emergency access.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum Reviewer<AccountId> {
	/// The runtime's review origin (a privacy officer body, or root).
	ReviewAuthority,
	/// An active privacy officer of the organisation the access was opened for.
	PrivacyOfficer {
		/// The officer's account.
		officer: AccountId,
		/// The organisation.
		organisation: OrganisationId,
	},
}

/// The review of an emergency access.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Review<AccountId, BlockNumber> {
	/// Who reviewed it.
	pub reviewer: Reviewer<AccountId>,
	/// The block of the review.
	pub at: BlockNumber,
	/// Whether the reviewer found the access justified.
	pub justified: bool,
}

/// An emergency (break-glass) access: who opened it, to whose data, why, until when, and its
/// review.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Emergency<AccountId, BlockNumber> {
	/// The emergency's id.
	pub id: EmergencyId,
	/// The patient whose data it opens.
	pub patient: AccountId,
	/// The emergency physician who opened it.
	pub practitioner: AccountId,
	/// The organisation the physician acted for.
	pub organisation: OrganisationId,
	/// The commitment to the physician's justification.
	pub reason: EmergencyReason,
	/// The block in which it was opened (the first in which it is in force).
	pub opened_at: BlockNumber,
	/// The first block in which it is no longer in force.
	pub expires_at: BlockNumber,
	/// The last block in which a review is on time.
	pub review_deadline: BlockNumber,
	/// The review, once done.
	pub review: Option<Review<AccountId, BlockNumber>>,
}

impl<AccountId, BlockNumber: PartialOrd + Copy> Emergency<AccountId, BlockNumber> {
	/// Whether the emergency access is in force at block `at`: opened, not expired, and not
	/// ended by a review that found it unjustified (which ends it from the review's block).
	pub fn in_force_at(&self, at: BlockNumber) -> bool {
		self.opened_at <= at
			&& at < self.expires_at
			&& self.review.as_ref().is_none_or(|review| review.justified || at < review.at)
	}
}

/// One entry of a patient's access log.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum LogEntry {
	/// The actor recorded an access that consent permitted.
	Accessed {
		/// What the actor did.
		action: ConsentAction,
		/// For which purpose.
		purpose: PurposeOfUse,
		/// On which data.
		target: AccessTarget,
		/// The grant that permitted it, if a grant did.
		grant: Option<GrantId>,
		/// Why it was permitted (a grant, an emergency, or the actor is the patient).
		reason: DecisionReason,
	},
	/// The actor opened emergency (break-glass) access to the patient's data.
	EmergencyOpened {
		/// The emergency access.
		emergency: EmergencyId,
		/// The commitment to the physician's justification.
		reason: EmergencyReason,
	},
	/// A custodian gateway released the record to the actor, as consent permitted; the
	/// gateway wrote this receipt before answering.
	ReleasedByGateway {
		/// The organisation whose gateway released it.
		organisation: OrganisationId,
		/// What the actor did.
		action: ConsentAction,
		/// For which purpose.
		purpose: PurposeOfUse,
		/// The record, with its class.
		target: AccessTarget,
		/// The grant that permitted it, if a grant did.
		grant: Option<GrantId>,
		/// Why it was permitted.
		reason: DecisionReason,
	},
	/// A custodian gateway refused the actor the record: consent did not permit it.
	RefusedByGateway {
		/// The organisation whose gateway refused it.
		organisation: OrganisationId,
		/// What the actor asked to do.
		action: ConsentAction,
		/// For which purpose.
		purpose: PurposeOfUse,
		/// The record, with its class.
		target: AccessTarget,
		/// The deny grant that decided it, if one did.
		grant: Option<GrantId>,
		/// Why it was refused.
		reason: DecisionReason,
	},
}

/// An access receipt: who did what, when, on what basis. The patient's access log is the list of
/// their receipts.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct AccessReceipt<AccountId, BlockNumber> {
	/// The receipt's sequence number in the patient's log (from 0, one more per receipt).
	pub seq: u64,
	/// Who accessed.
	pub actor: AccountId,
	/// The block of the access.
	pub at: BlockNumber,
	/// What happened.
	pub entry: LogEntry,
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// The one consent evaluator, and the patient's view of their consent and access log.
	pub trait ConsentApi<AccountId> where AccountId: Codec {
		/// Whether `actor` may do `action`, for `purpose`, on `target` data of `patient` at the
		/// block the API is called at, which grant or emergency decided it, and why.
		///
		/// To answer for a past block, call it *at that block*: grants, emergency accesses and
		/// the actor's standing in the directory are then all as they were (security review
		/// L7; a node keeping every block's state, `--state-pruning archive`, answers for any
		/// block). There is deliberately no "at block N" parameter evaluated against today's
		/// state, which would mix today's directory with the past's grants.
		fn evaluate_access(
			patient: AccountId,
			actor: AccountId,
			action: ConsentAction,
			purpose: PurposeOfUse,
			target: AccessTarget,
		) -> Decision;

		/// Up to `limit` (capped at the pallet's `MaxPageSize`) receipts of `patient`'s access
		/// log, newest first, starting below sequence number `before` (`None`: from the newest).
		/// Pass the last `seq` of a page as `before` to get the next one; an empty page means
		/// there are no more (the log keeps every receipt: none is ever overwritten).
		fn access_log(
			patient: AccountId,
			before: Option<u64>,
			limit: u32,
		) -> Vec<AccessReceipt<AccountId, NumberFor<Block>>>;

		/// The grants `patient` keeps in their list, oldest first: every grant in force and the
		/// ended ones not yet archived (ended grants move to the archive when the list is full).
		fn grants_of(patient: AccountId) -> Vec<Grant<AccountId, NumberFor<Block>, Vec<RecordId>>>;

		/// The offers waiting for `patient`'s answer (expired ones included until removed),
		/// oldest first.
		fn offers_of(patient: AccountId) -> Vec<Offer<AccountId, NumberFor<Block>, Vec<RecordId>>>;

		/// Up to `limit` (capped at `MaxPageSize`) emergency accesses not reviewed yet, in a
		/// stable storage order (not by id): pass the last id of a page as `start_after`.
		fn unreviewed_emergencies(
			start_after: Option<EmergencyId>,
			limit: u32,
		) -> Vec<Emergency<AccountId, NumberFor<Block>>>;
	}
}
