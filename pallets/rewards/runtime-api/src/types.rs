//! The records this pallet stores. None of them is readable as care: a reward names its pool,
//! the patient's account at the pool's organisation, the kind of event (an appointment kept, a
//! survey answered: never which appointment or survey) and a salted commitment to the FHIR
//! resource that attests it, which stays with the organisation and the patient. A trial visit's
//! reward names the trial's data anchor (already public, under the participant's pseudonym)
//! and the account the participant chose to be paid to, never the patient.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::OrganisationId;
use scale_info::TypeInfo;

/// Identifies a reward pool (assigned sequentially from 0).
pub type PoolId = u32;

/// The events a pool pays for that a practitioner of the pool's organisation attests (a trial
/// visit is claimed by its participant instead: [`RewardRates::visit`]).
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
pub enum RewardKind {
	/// The patient kept an appointment (attested by the provider: a commitment to the FHIR
	/// Appointment, status fulfilled, or the Encounter).
	AppointmentKept,
	/// The patient answered a survey (a self-reported QuestionnaireResponse the patient
	/// anchored and shared with the organisation, which attests it with a commitment).
	SurveyAnswered,
}

/// What a pool pays for each kind of event; nothing for a kind it does not reward.
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
pub struct RewardRates<Balance> {
	/// For an appointment kept.
	pub appointment: Balance,
	/// For a survey answered.
	pub survey: Balance,
	/// For a visit of a participant in a trial the pool's organisation sponsors (a data anchor
	/// of the trial naming the participant), claimed by the participant.
	pub visit: Balance,
}

impl<Balance: Copy> RewardRates<Balance> {
	/// What these rates pay for an event of `kind`.
	pub fn of(&self, kind: RewardKind) -> Balance {
		match kind {
			RewardKind::AppointmentKept => self.appointment,
			RewardKind::SurveyAnswered => self.survey,
		}
	}
}

/// A reward pool: an organisation's funds for engagement rewards, held in an account of the
/// pallet's that no key controls.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Pool<Balance, BlockNumber> {
	/// The organisation that runs it: its admin manages the pool, its practitioners attest.
	pub organisation: OrganisationId,
	/// What it pays per event.
	pub rates: RewardRates<Balance>,
	/// The most one patient receives from it in one period.
	pub cap: Balance,
	/// The length of a period, in blocks: periods start at multiples of it.
	pub period: BlockNumber,
	/// Whether its admin closed it (what it held went back; it pays nothing more).
	pub closed: bool,
	/// How many rewards it paid.
	pub rewards: u32,
	/// What it paid in total.
	pub paid: Balance,
}

/// What a patient received from a pool in one period.
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
	Default,
)]
pub struct Earned<Balance, BlockNumber> {
	/// The period (the block number divided by the pool's period).
	pub period: BlockNumber,
	/// What the patient received in it.
	pub amount: Balance,
}

/// A pool as the runtime API tells it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PoolState<AccountId, Balance, BlockNumber> {
	/// The pool.
	pub pool: Pool<Balance, BlockNumber>,
	/// The account holding its funds (no key controls it).
	pub account: AccountId,
	/// What it holds.
	pub balance: Balance,
}
