//! Engagement rewards (`pallet-rewards`): an organisation's pools, and the attestations its
//! practitioners make of events a patient took part in.
//!
//! A trial visit is claimed by its participant instead
//! ([`crate::trials::claim_visit_reward`]): a ring proof that they are the pseudonym the
//! visit's data anchor names, paid to an account of their choosing.
//!
//! An [`Attestation`] is what the chain sees of an event: a salted commitment to the FHIR
//! resource that records it, bound to the patient's account and the kind of event, so it names
//! neither the appointment nor the survey nor the care. The practitioner's client checks that
//! the resource records the event (an Appointment fulfilled or an Encounter completed; a
//! QuestionnaireResponse completed) before it attests, and hands the salt to the patient with
//! the reward: with the document, the patient (or an auditor they show it to) recomputes the
//! commitment and finds it on chain.
//!
//! | value | bytes hashed (BLAKE2b-256) |
//! |---|---|
//! | attestation | `"medchain/reward-attestation/v1"` ‖ salt (32) ‖ patient's account (32) ‖ kind (1 byte: 0 appointment, 1 survey) ‖ the resource's canonical JSON |

use crate::{
	chain::{runtime, types, AccountId, Chain, ChainError},
	fhir::FhirDocument,
	identity::Identity,
	records::{self, PurposeOfUse},
	store::DocumentStore,
	Error,
};
use blake2::{Blake2b256, Digest};
use fhir_model::r5::{
	codes::{AppointmentStatus, EncounterStatus, QuestionnaireResponseStatus},
	resources::Resource,
};

pub use types::pallet_rewards_runtime_api::types::{PoolState, RewardKind, RewardRates};

/// The domain tag of [`Attestation`]'s commitment.
pub const ATTESTATION_DOMAIN: &[u8] = b"medchain/reward-attestation/v1";

/// Identifies a pool.
pub type PoolId = u32;

/// A pool as the chain has it, with its account and what it holds.
pub type PoolInfo = PoolState<AccountId, u128, u32>;

/// The kind of event a reward is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
	/// An appointment kept.
	Appointment,
	/// A survey answered.
	Survey,
}

impl Kind {
	fn code(self) -> u8 {
		match self {
			Kind::Appointment => 0,
			Kind::Survey => 1,
		}
	}

	/// The kind as the runtime names it.
	pub fn on_chain(self) -> RewardKind {
		match self {
			Kind::Appointment => RewardKind::AppointmentKept,
			Kind::Survey => RewardKind::SurveyAnswered,
		}
	}

	/// Refuses a `document` that does not record this kind of event having happened.
	pub fn check(self, document: &FhirDocument) -> Result<(), Error> {
		let recorded = match (self, document.resource()) {
			(Kind::Appointment, Resource::Appointment(a)) => {
				a.status == AppointmentStatus::Fulfilled
			},
			(Kind::Appointment, Resource::Encounter(e)) => {
				matches!(e.status, EncounterStatus::Completed | EncounterStatus::Discharged)
			},
			(Kind::Survey, Resource::QuestionnaireResponse(q)) => matches!(
				q.status,
				QuestionnaireResponseStatus::Completed | QuestionnaireResponseStatus::Amended
			),
			(Kind::Appointment, _) => {
				return Err(Error::Mismatch(format!(
					"an appointment kept is attested by an Appointment or an Encounter, not a {}",
					document.resource_type()
				)))
			},
			(Kind::Survey, _) => {
				return Err(Error::Mismatch(format!(
					"a survey answered is attested by a QuestionnaireResponse, not a {}",
					document.resource_type()
				)))
			},
		};
		if recorded {
			Ok(())
		} else {
			Err(Error::Mismatch(format!(
				"the {} does not record the event as done: an Appointment must be fulfilled, an \
				 Encounter completed or discharged, a QuestionnaireResponse completed or amended",
				document.resource_type()
			)))
		}
	}
}

/// A practitioner's attestation of an event: the salt and the commitment the chain gets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attestation {
	/// The salt (random, secret until the patient shows it).
	pub salt: [u8; 32],
	/// The commitment.
	pub commitment: [u8; 32],
}

impl Attestation {
	/// Attests that `patient` took part in an event of `kind` that `document` records: checks
	/// the document ([`Kind::check`]) and commits to it under a fresh random salt.
	pub fn new(patient: &AccountId, kind: Kind, document: &FhirDocument) -> Result<Self, Error> {
		kind.check(document)?;
		let mut salt = [0u8; 32];
		getrandom::fill(&mut salt)
			.map_err(|e| Error::Mismatch(format!("no randomness available: {e}")))?;
		Self::with_salt(salt, patient, kind, document)
	}

	/// The attestation of `document` under `salt`: what a patient recomputes to check theirs.
	pub fn with_salt(
		salt: [u8; 32],
		patient: &AccountId,
		kind: Kind,
		document: &FhirDocument,
	) -> Result<Self, Error> {
		let mut hasher = Blake2b256::new();
		hasher.update(ATTESTATION_DOMAIN);
		hasher.update(salt);
		hasher.update(patient.0);
		hasher.update([kind.code()]);
		hasher.update(document.to_json_bytes()?);
		Ok(Self { salt, commitment: hasher.finalize().into() })
	}
}

fn no_pool(pool: PoolId) -> Error {
	Error::Chain(ChainError::NotFound(format!("no reward pool {pool}")))
}

/// A survey's answer as the patient anchored it: their own (self-reported) record, a
/// QuestionnaireResponse completed or amended.
#[derive(Clone, Debug)]
pub struct SurveyAnswer {
	/// The patient whose record it is.
	pub patient: AccountId,
	/// The QuestionnaireResponse, read and checked against the chain.
	pub document: FhirDocument,
}

/// The practitioner reads record `record`, the survey answer a patient anchored and shared with
/// them, for what attesting it needs: the record must be the patient's own (self-reported, no
/// custodian); reading it records an access receipt for health-care operations (refused by the
/// chain without the patient's consent), checks the ciphertext and plaintext against what the
/// chain anchors; the document must record a survey answered ([`Kind::check`]).
pub async fn survey_answer(
	chain: &Chain,
	store: &dyn DocumentStore,
	practitioner: &Identity,
	record: u64,
) -> Result<SurveyAnswer, Error> {
	let located = records::locate(chain, record, None).await?;
	if let Some(custodian) = located.custodian {
		return Err(Error::Mismatch(format!(
			"record {record} is held by organisation {custodian}: a survey's answer is the \
			 patient's own, self-reported record"
		)));
	}
	let document =
		records::get(chain, store, practitioner, record, PurposeOfUse::Operations).await?;
	Kind::Survey.check(&document)?;
	Ok(SurveyAnswer { patient: located.patient, document })
}

/// The organisation's admin opens a pool paying `rates` per event, at most `cap` to one patient
/// in a period of `period` blocks. Returns the pool.
pub async fn create_pool(
	chain: &Chain,
	admin: &Identity,
	organisation: u32,
	rates: RewardRates<u128>,
	cap: u128,
	period: u32,
) -> Result<PoolId, Error> {
	let call = runtime::transactions().rewards().create_pool(organisation, rates, cap, period);
	let included = chain.submit("opening the reward pool", &call, &admin.signer).await?;
	Ok(included.event::<runtime::rewards::events::PoolCreated>()?.pool)
}

/// `who` puts `amount` into pool `pool`. Returns the block it is in.
pub async fn fund_pool(
	chain: &Chain,
	who: &Identity,
	pool: PoolId,
	amount: u128,
) -> Result<u64, Error> {
	let call = runtime::transactions().rewards().fund_pool(pool, amount);
	Ok(chain.submit("funding the reward pool", &call, &who.signer).await?.block_number)
}

/// What a reward paid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rewarded {
	/// The amount the patient received.
	pub amount: u128,
	/// The block it is in.
	pub block: u64,
}

/// The practitioner has pool `pool` pay `patient` for the event `attestation` attests.
pub async fn reward(
	chain: &Chain,
	practitioner: &Identity,
	pool: PoolId,
	patient: &AccountId,
	kind: Kind,
	attestation: &Attestation,
) -> Result<Rewarded, Error> {
	let call = runtime::transactions().rewards().reward(
		pool,
		*patient,
		kind.on_chain(),
		attestation.commitment,
	);
	let included = chain.submit("rewarding the patient", &call, &practitioner.signer).await?;
	let paid = included.event::<runtime::rewards::events::Rewarded>()?;
	Ok(Rewarded { amount: paid.amount, block: included.block_number })
}

/// The admin closes pool `pool`; returns what went back to them.
pub async fn close_pool(chain: &Chain, admin: &Identity, pool: PoolId) -> Result<u128, Error> {
	let call = runtime::transactions().rewards().close_pool(pool);
	let included = chain.submit("closing the reward pool", &call, &admin.signer).await?;
	Ok(included.event::<runtime::rewards::events::PoolClosed>()?.returned)
}

/// Pool `pool` as the chain has it (`NotFound` if it has none).
pub async fn pool(chain: &Chain, pool: PoolId) -> Result<PoolInfo, Error> {
	chain
		.runtime_api("reading the reward pool", runtime::runtime_apis().rewards_api().pool(pool))
		.await?
		.ok_or_else(|| no_pool(pool))
}

/// Whether pool `pool` paid for `attestation` (in the finalized state).
pub async fn is_attested(
	chain: &Chain,
	pool: PoolId,
	attestation: &Attestation,
) -> Result<bool, Error> {
	Ok(chain
		.storage(
			"reading the pool's attestations",
			runtime::storage().rewards().attested(),
			(pool, attestation.commitment),
		)
		.await?
		.is_some())
}

/// The pools of `organisation`, by id.
pub async fn pools_of(chain: &Chain, organisation: u32) -> Result<Vec<PoolId>, Error> {
	Ok(chain
		.runtime_api(
			"listing the reward pools",
			runtime::runtime_apis().rewards_api().pools_of(organisation),
		)
		.await?)
}

/// What `patient` received from pool `pool` in its current period.
pub async fn earned(chain: &Chain, pool: PoolId, patient: &AccountId) -> Result<u128, Error> {
	chain
		.runtime_api(
			"reading the patient's rewards",
			runtime::runtime_apis().rewards_api().earned(pool, *patient),
		)
		.await?
		.ok_or_else(|| no_pool(pool))
}

/// The pool that paid for the visit `trial`'s data anchor `seq` records, if one did.
pub async fn visit_reward(chain: &Chain, trial: u32, seq: u32) -> Result<Option<PoolId>, Error> {
	Ok(chain
		.runtime_api(
			"reading the visit's reward",
			runtime::runtime_apis().rewards_api().visit_reward(trial, seq),
		)
		.await?)
}

/// What the participant `pseudonym` of `trial` received from pool `pool` in its current period.
pub async fn participant_earned(
	chain: &Chain,
	pool: PoolId,
	trial: u32,
	pseudonym: [u8; 32],
) -> Result<u128, Error> {
	chain
		.runtime_api(
			"reading the participant's rewards",
			runtime::runtime_apis().rewards_api().participant_earned(pool, trial, pseudonym),
		)
		.await?
		.ok_or_else(|| no_pool(pool))
}

#[cfg(test)]
mod tests {
	use super::*;

	fn doc(json: &str) -> FhirDocument {
		FhirDocument::parse(json.as_bytes()).unwrap()
	}

	fn appointment(status: &str) -> FhirDocument {
		doc(&format!(
			r#"{{"resourceType":"Appointment","status":"{status}","participant":[{{"status":"accepted","actor":{{"reference":"Patient/p1"}}}}]}}"#
		))
	}

	fn survey(status: &str) -> FhirDocument {
		doc(&format!(
			r#"{{"resourceType":"QuestionnaireResponse","questionnaire":"https://example.org/Questionnaire/after-visit","status":"{status}"}}"#
		))
	}

	#[test]
	fn only_a_document_of_the_event_done_is_attested() {
		assert!(Kind::Appointment.check(&appointment("fulfilled")).is_ok());
		assert!(Kind::Survey.check(&survey("completed")).is_ok());
		assert!(Kind::Survey.check(&survey("amended")).is_ok());
		for (kind, document, says) in [
			(Kind::Appointment, appointment("booked"), "must be fulfilled"),
			(Kind::Appointment, appointment("noshow"), "must be fulfilled"),
			(Kind::Survey, survey("in-progress"), "completed or amended"),
			(Kind::Appointment, survey("completed"), "not a QuestionnaireResponse"),
			(Kind::Survey, appointment("fulfilled"), "not a Appointment"),
		] {
			let refused = kind.check(&document).unwrap_err().to_string();
			assert!(refused.contains(says), "{refused}");
		}
	}

	#[test]
	fn an_attestation_binds_salt_patient_kind_and_document() {
		let alice = AccountId::from([1; 32]);
		let kept = appointment("fulfilled");
		let a = Attestation::with_salt([7; 32], &alice, Kind::Appointment, &kept).unwrap();
		// Recomputed from its parts: the same commitment.
		let mut hasher = Blake2b256::new();
		hasher.update(b"medchain/reward-attestation/v1");
		hasher.update([7; 32]);
		hasher.update([1; 32]);
		hasher.update([0]);
		hasher.update(kept.to_json_bytes().unwrap());
		assert_eq!(a.commitment, <[u8; 32]>::from(hasher.finalize()));
		// Another salt, patient, kind or document: another commitment.
		let other = |a2: Attestation| assert_ne!(a.commitment, a2.commitment);
		other(Attestation::with_salt([8; 32], &alice, Kind::Appointment, &kept).unwrap());
		other(
			Attestation::with_salt([7; 32], &AccountId::from([2; 32]), Kind::Appointment, &kept)
				.unwrap(),
		);
		other(Attestation::with_salt([7; 32], &alice, Kind::Survey, &kept).unwrap());
		other(
			Attestation::with_salt([7; 32], &alice, Kind::Appointment, &appointment("checked-in"))
				.unwrap(),
		);
		// A fresh attestation draws a fresh salt.
		let b = Attestation::new(&alice, Kind::Appointment, &kept).unwrap();
		let c = Attestation::new(&alice, Kind::Appointment, &kept).unwrap();
		assert_ne!(b.salt, c.salt);
		assert_eq!(b, Attestation::with_salt(b.salt, &alice, Kind::Appointment, &kept).unwrap());
		// A document of no such event is not attested.
		assert!(Attestation::new(&alice, Kind::Survey, &kept).is_err());
	}
}
