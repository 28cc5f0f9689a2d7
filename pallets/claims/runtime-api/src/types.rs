//! The records this pallet stores. None of them is readable as care: a claim's codes and amounts
//! are in the FHIR Claim and ClaimResponse documents, encrypted off chain; the chain holds salted
//! commitments to them, the records claimed (by id), organisation ids, accounts, states, reason
//! codes that describe the decision (not the care) and block numbers.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::{Commitment, OrganisationId};
use scale_info::TypeInfo;

/// Identifies a coverage (assigned sequentially from 0).
pub type CoverageId = u64;

/// Identifies a claim (assigned sequentially from 0).
pub type ClaimId = u64;

/// Identifies a settlement (assigned sequentially from 0).
pub type SettlementId = u64;

/// What `pallet_claims::ClaimAccess::open` returns and `ClaimAccess::close` takes: in the
/// runtime, the id of the consent grant that lets the payer read the records claimed.
pub type AccessHandle = u64;

/// Where a coverage stands.
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
pub enum CoverageStatus {
	/// Offered by the payer, not yet accepted by the member.
	Offered,
	/// Accepted: claims may be submitted against it until it ends or its term is over.
	Active,
	/// Ended by the payer or the member (or declined before acceptance).
	Ended,
}

/// A payer's coverage of a member: the member is the patient's account known to the providers
/// that bill it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Coverage<AccountId, BlockNumber> {
	/// The payer (an insurer's organisation).
	pub payer: OrganisationId,
	/// The member.
	pub member: AccountId,
	/// Commitment to the plan's terms (the FHIR Coverage document, kept off chain).
	pub plan: Commitment,
	/// The first block of its term.
	pub valid_from: BlockNumber,
	/// The last block of its term.
	pub valid_until: BlockNumber,
	/// Where it stands.
	pub status: CoverageStatus,
	/// How many of its claims are open (submitted, decided or disputed, not closed).
	pub open_claims: u32,
}

/// Why a payer denied a claim: codes about the decision, none about the care.
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
pub enum DenialReason {
	/// The plan does not cover what was claimed.
	NotCovered,
	/// The same care was claimed before.
	Duplicate,
	/// The claim lacks information the payer needs (it may be submitted again).
	MissingInformation,
	/// Prior authorisation was required and not obtained.
	NoAuthorisation,
	/// The claim came after the plan's time limit for claims.
	LateSubmission,
	/// Another reason, stated in the ClaimResponse document.
	Other,
}

/// A payer's decision on a claim.
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
pub enum Decision {
	/// Approved in full.
	Approved,
	/// Approved in part (the ClaimResponse says which part).
	Partial,
	/// Denied, with a reason code.
	Denied(DenialReason),
}

/// Who may dispute a decision.
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
pub enum Disputant {
	/// The provider that submitted the claim.
	Provider,
	/// The member the claim is about.
	Member,
}

/// Where a claim stands.
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
pub enum ClaimStatus<BlockNumber> {
	/// Submitted, waiting for the payer's decision.
	Submitted,
	/// Decided; a dispute is possible until `dispute_until`.
	Decided {
		/// The decision.
		decision: Decision,
		/// Commitment to the ClaimResponse (what is paid, what the member owes).
		response: Commitment,
		/// The last block in which the decision may be disputed.
		dispute_until: BlockNumber,
		/// The party (provider or member) that accepted it already, waiving its dispute: once
		/// the other accepts too, the decision is final before its window is over.
		accepted: Option<Disputant>,
	},
	/// Disputed: the payer decides again.
	Disputed {
		/// Who disputed.
		by: Disputant,
		/// Commitment to the grounds (a document kept off chain).
		grounds: Commitment,
	},
	/// Withdrawn by the provider before a final decision.
	Withdrawn,
	/// Final: decided and not disputed in time, or decided again after a dispute.
	Closed {
		/// The final decision.
		decision: Decision,
		/// Commitment to the final ClaimResponse.
		response: Commitment,
	},
}

/// A claim for recorded care.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Claim<AccountId, BlockNumber, Records> {
	/// The coverage billed.
	pub coverage: CoverageId,
	/// The provider (the custodian of the records claimed).
	pub provider: OrganisationId,
	/// The practitioner who submitted it.
	pub submitter: AccountId,
	/// The records of the care claimed: the payer reads exactly these, while the claim is open.
	pub records: Records,
	/// Commitment to the FHIR Claim (codes, amounts), salted.
	pub claim: Commitment,
	/// When it was submitted.
	pub submitted_at: BlockNumber,
	/// Where it stands.
	pub status: ClaimStatus<BlockNumber>,
	/// The payer's access to the records ((`pallet_claims::ClaimAccess`)): in the runtime, the consent
	/// grant, in the member's grants, that the claim's end ends.
	pub access: AccessHandle,
	/// The settlement that paid it, once paid.
	pub settlement: Option<SettlementId>,
}

impl<AccountId, BlockNumber, Records> Claim<AccountId, BlockNumber, Records> {
	/// Whether the payer may still have to pay it: not withdrawn, not finally denied, not paid.
	/// Each such claim holds `pallet_claims::Config::EscrowPerClaim` of its payer's escrow.
	pub fn is_liability(&self) -> bool {
		self.settlement.is_none()
			&& !matches!(
				self.status,
				ClaimStatus::Withdrawn | ClaimStatus::Closed { decision: Decision::Denied(_), .. }
			)
	}

	/// Whether a settlement may pay it: final, approved in full or in part, not paid yet.
	pub fn is_payable(&self) -> bool {
		self.settlement.is_none()
			&& matches!(
				self.status,
				ClaimStatus::Closed { decision: Decision::Approved | Decision::Partial, .. }
			)
	}
}

/// A payer's payment of a provider for a set of final claims, from the payer's escrow. Only the
/// total shows: each claim's part of it is in its ClaimResponse, off chain.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Settlement<Balance, BlockNumber> {
	/// The payer.
	pub payer: OrganisationId,
	/// The provider paid.
	pub provider: OrganisationId,
	/// How many claims it paid.
	pub claims: u32,
	/// What it paid, in total.
	pub total: Balance,
	/// Commitment to the statement (each claim's amount, a FHIR PaymentReconciliation).
	pub statement: Commitment,
	/// When.
	pub at: BlockNumber,
}

/// A party to claims, by which they are indexed: what a provider submitted, what a payer is
/// billed.
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
pub enum ClaimParty {
	/// The provider that submitted the claims.
	Provider(OrganisationId),
	/// The payer billed by them.
	Payer(OrganisationId),
}

/// A payer's escrow as the runtime API tells it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Escrow<AccountId, Balance> {
	/// The account holding it (no key controls it).
	pub account: AccountId,
	/// What it holds.
	pub balance: Balance,
	/// How many claims the payer may still have to pay.
	pub liabilities: u32,
	/// What it must hold for them at least.
	pub floor: Balance,
}
