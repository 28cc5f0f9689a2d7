//! Clinical trials: registration, amendments, sites and investigators, consent forms,
//! recruitment with a committed allocation seed, consent-bound enrolment under per-study
//! pseudonyms, dataset anchors, data lock, allocation reveal and results.
//!
//! Documents (protocol, analysis plan, consent form, results report, dataset) never go on chain:
//! their BLAKE2b-256 hash ([`file_hash`]) does, so anyone holding the document can check it with
//! `b2sum -l 256 <file>`. Outcome definitions are committed as the hash of their text.
//!
//! Participants act without saying who they are. A patient registers a research key once
//! ([`register_research_key`]): a Bandersnatch key whose secret is derived from their identity
//! ([`research_secret`]), so the same identity file always holds it. It joins a research ring on
//! chain. Enrolling, re-consenting and withdrawing are unsigned transactions carrying a ring VRF
//! proof ("I hold one of this ring's keys", bound to the trial and the action): no account
//! signs them or pays for them, and the pseudonym they yield ([`pseudonym`]) is the key's alias
//! in that trial, the same every time and unlinkable to the key or the account.
//!
//! The allocation seed is random and held by the trial's independent randomiser, in
//! `<home>/trials/<trial>.seed` (mode 0600) ([`new_seed`]); the sponsor commits its hash when
//! recruitment opens; the randomiser reveals it after the data lock, and anyone can then
//! recompute every participant's arm.

use std::path::{Path, PathBuf};

use codec::Encode;
use pallet_clinical_trials_runtime_api::{ring_statement, RING_PROOF_LEN};
use verifiable::{
	ring_vrf_impl::{BandersnatchVrfVerifiable as Vrf, EncodedPublicKey},
	GenerateVerifiable,
};

use crate::{
	account::Amount,
	chain::{runtime, types, AccountId, Chain, ChainError, Included},
	crypto::blake2_256,
	identity::Identity,
	Error,
};

pub use types::pallet_clinical_trials_runtime_api::{
	Amendment2 as Amendment, ParticipantInfo, TrialInfo,
};
use types::{
	bounded_collections::bounded_vec::BoundedVec,
	pallet_clinical_trials_runtime_api::{DataSubject, Protocol},
};

/// A trial id.
pub type TrialId = u32;

/// The BLAKE2b-256 hash of a document's bytes (what goes on chain in its place).
pub fn file_hash(bytes: &[u8]) -> [u8; 32] {
	blake2_256(bytes)
}

/// The hash an outcome definition is committed as: BLAKE2b-256 of its UTF-8 text.
pub fn outcome_hash(text: &str) -> [u8; 32] {
	blake2_256(text.as_bytes())
}

/// The domain of [`research_secret`].
const RESEARCH_SECRET_DOMAIN: &[u8] = b"medchain/research-key/v1";

/// The identity's research secret: a Bandersnatch secret from BLAKE2b-256 of a domain tag and
/// the identity's encryption secret. Never leaves the client; trial calls prove with it.
pub fn research_secret(identity: &Identity) -> <Vrf as GenerateVerifiable>::Secret {
	let mut input = RESEARCH_SECRET_DOMAIN.to_vec();
	input.extend_from_slice(&*identity.encryption.secret_bytes());
	let entropy = blake2_256(&input);
	input.iter_mut().for_each(|b| *b = 0);
	Vrf::new_secret(entropy)
}

/// The identity's research key (the public half of [`research_secret`]).
pub fn research_key(identity: &Identity) -> [u8; 32] {
	Vrf::member_from_secret(&research_secret(identity)).0
}

/// The identity's pseudonym in `trial` on the chain whose genesis hash is `genesis`: its
/// research key's alias in the trial's context.
pub fn pseudonym(genesis: &[u8; 32], trial: TrialId, identity: &Identity) -> [u8; 32] {
	let context = ring_statement::context(genesis, trial);
	// Computing an alias cannot fail for a valid secret; an all-zero alias never matches one.
	Vrf::alias_in_context(&research_secret(identity), &context).unwrap_or([0; 32])
}

/// A ring VRF proof by `identity` against the ring `members`, for `trial` and `message`.
fn prove(
	identity: &Identity,
	members: &[[u8; 32]],
	genesis: &[u8; 32],
	trial: TrialId,
	message: &[u8],
) -> Result<([u8; 32], [u8; RING_PROOF_LEN]), Error> {
	let secret = research_secret(identity);
	let me = Vrf::member_from_secret(&secret);
	let commitment = Vrf::open(&me, members.iter().map(|key| EncodedPublicKey(*key)))
		.map_err(|()| Error::Mismatch("your research key is not in its ring".into()))?;
	let context = ring_statement::context(genesis, trial);
	let (proof, alias) = Vrf::create(commitment, &secret, &context, message)
		.map_err(|()| Error::Mismatch("the ring proof could not be made".into()))?;
	Ok((alias, proof))
}

/// The patient registers their research key; returns the ring it joined. Registering twice is
/// refused by the chain (`AlreadyHasResearchKey`).
pub async fn register_research_key(chain: &Chain, patient: &Identity) -> Result<u32, Error> {
	let call =
		runtime::transactions().clinical_trials().register_research_key(research_key(patient));
	let included = chain.submit("registering the research key", &call, &patient.signer).await?;
	Ok(included.event::<runtime::clinical_trials::events::ResearchKeyRegistered>()?.ring)
}

/// The ring `patient`'s research key is in and the ring's keys.
async fn my_ring(chain: &Chain, patient: &Identity) -> Result<(u32, Vec<[u8; 32]>), Error> {
	let query = runtime::runtime_apis().clinical_trials_api().research_key(patient.account());
	let (ring, _) = chain
		.runtime_api("looking up the research key", query)
		.await?
		.ok_or(Error::NoResearchKey)?;
	let query = runtime::runtime_apis().clinical_trials_api().ring_members(ring);
	let members = chain.runtime_api("reading the research ring", query).await?;
	Ok((ring, members))
}

/// A call the patient makes under their pseudonym in a trial.
enum Action<'a> {
	Enrol(u32),
	Reconsent(u32),
	Withdraw,
	/// The reward for the visit data anchor `seq` records, from pool `pool`, paid to `payee`.
	VisitReward {
		pool: u32,
		seq: u32,
		payee: &'a AccountId,
	},
}

/// Proves `action` in `trial` as `patient` against their ring and submits it unsigned; a proof
/// made against a ring that grew meanwhile is made again once. Returns the pseudonym and the
/// finalized inclusion.
async fn act(
	chain: &Chain,
	patient: &Identity,
	trial: TrialId,
	action: Action<'_>,
	what: &str,
) -> Result<([u8; 32], Included), Error> {
	let genesis = chain.genesis();
	let message = match action {
		Action::Enrol(form) => ring_statement::enrol_message(form),
		Action::Reconsent(form) => ring_statement::reconsent_message(form),
		Action::Withdraw => ring_statement::withdraw_message(),
		Action::VisitReward { pool, seq, payee } => {
			ring_statement::visit_reward_message(seq, pool, &payee.encode())
		},
	};
	let mut attempt = 0;
	loop {
		let (ring, members) = my_ring(chain, patient).await?;
		let (pseudonym, proof) = prove(patient, &members, &genesis, trial, &message)?;
		let tx = runtime::transactions().clinical_trials();
		let result = match action {
			Action::Enrol(form) => {
				chain.submit_unsigned(what, &tx.enrol(trial, ring, form, pseudonym, proof)).await
			},
			Action::Reconsent(form) => {
				let call = tx.reconsent(trial, ring, form, pseudonym, proof);
				chain.submit_unsigned(what, &call).await
			},
			Action::Withdraw => {
				chain.submit_unsigned(what, &tx.withdraw(trial, ring, pseudonym, proof)).await
			},
			Action::VisitReward { pool, seq, payee } => {
				let call = runtime::transactions()
					.rewards()
					.reward_visit(pool, trial, seq, *payee, ring, proof);
				chain.submit_unsigned(what, &call).await
			},
		};
		let stale = |pallet| matches!(&result, Err(e) if e.refusal() == Some((pallet, "BadProof")));
		match result {
			Err(_) if attempt == 0 && (stale("ClinicalTrials") || stale("Rewards")) => {
				attempt += 1;
			},
			other => return Ok((pseudonym, other?)),
		}
	}
}

/// What a sponsor registers.
#[derive(Debug, Clone)]
pub struct Registration {
	/// The sponsor organisation.
	pub sponsor: u32,
	/// An external registry id (e.g. an NCT number).
	pub registry_id: Option<String>,
	/// The protocol document's hash.
	pub protocol: [u8; 32],
	/// The statistical analysis plan's hash.
	pub sap: [u8; 32],
	/// The primary outcomes' hashes.
	pub primary: Vec<[u8; 32]>,
	/// The secondary outcomes' hashes.
	pub secondary: Vec<[u8; 32]>,
	/// Planned enrolment.
	pub planned_enrolment: u32,
	/// Allocation arms.
	pub arms: u8,
	/// Blocks from registration until results are due.
	pub results_due_period: u32,
}

/// A registered trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Registered {
	/// Its id.
	pub trial: TrialId,
	/// What the chain holds from the registering admin until the results are published.
	pub deposit: Amount,
}

/// The sponsor's admin registers a trial (the chain holds its registration deposit from them,
/// `CannotHoldDeposit` if they cannot pay it).
pub async fn register(
	chain: &Chain,
	admin: &Identity,
	r: &Registration,
) -> Result<Registered, Error> {
	let call = runtime::transactions().clinical_trials().register_trial(
		r.sponsor,
		r.registry_id.as_ref().map(|id| BoundedVec(id.as_bytes().to_vec())),
		Protocol {
			protocol: r.protocol,
			sap: r.sap,
			primary_outcomes: BoundedVec(r.primary.clone()),
			secondary_outcomes: BoundedVec(r.secondary.clone()),
		},
		r.planned_enrolment,
		r.arms,
		r.results_due_period,
	);
	let included = chain.submit("registering the trial", &call, &admin.signer).await?;
	let registered = included.event::<runtime::clinical_trials::events::TrialRegistered>()?;
	Ok(Registered { trial: registered.trial, deposit: Amount(registered.deposit) })
}

/// An amendment's changes.
#[derive(Debug, Clone, Default)]
pub struct Changes {
	/// A new protocol hash.
	pub protocol: Option<[u8; 32]>,
	/// A new analysis-plan hash.
	pub sap: Option<[u8; 32]>,
	/// New primary outcomes (an outcome change).
	pub primary: Option<Vec<[u8; 32]>>,
	/// New secondary outcomes (an outcome change).
	pub secondary: Option<Vec<[u8; 32]>>,
}

/// What an amendment recorded.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Amended {
	/// The new protocol version.
	pub version: u32,
	/// Whether the chain recorded it as an outcome change (visible forever).
	pub outcome_change: bool,
	/// The block.
	pub block: u64,
}

impl std::fmt::Display for Amended {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "protocol version {}", self.version)?;
		if self.outcome_change {
			write!(f, " (recorded as an OUTCOME CHANGE)")?;
		}
		Ok(())
	}
}

/// The sponsor's admin amends the protocol with `changes`, giving the hash of the reason.
pub async fn amend(
	chain: &Chain,
	admin: &Identity,
	trial: TrialId,
	changes: &Changes,
	reason: [u8; 32],
) -> Result<Amended, Error> {
	let call = runtime::transactions().clinical_trials().amend_protocol(
		trial,
		changes.protocol,
		changes.sap,
		changes.primary.clone().map(BoundedVec),
		changes.secondary.clone().map(BoundedVec),
		reason,
	);
	let included = chain.submit("amending the protocol", &call, &admin.signer).await?;
	let amended = included.event::<runtime::clinical_trials::events::ProtocolAmended>()?;
	let outcome_change =
		included.events.find_first::<runtime::clinical_trials::events::OutcomeChanged>().is_some();
	Ok(Amended { version: amended.version, outcome_change, block: included.block_number })
}

/// The sponsor's admin adds site `organisation`.
pub async fn add_site(
	chain: &Chain,
	admin: &Identity,
	trial: TrialId,
	organisation: u32,
) -> Result<u64, Error> {
	let call = runtime::transactions().clinical_trials().add_site(trial, organisation);
	Ok(chain.submit("adding the site", &call, &admin.signer).await?.block_number)
}

/// The sponsor's admin adds `investigator` (an active practitioner of a site).
pub async fn add_investigator(
	chain: &Chain,
	admin: &Identity,
	trial: TrialId,
	investigator: &AccountId,
) -> Result<u64, Error> {
	let call = runtime::transactions().clinical_trials().add_investigator(trial, *investigator);
	Ok(chain.submit("adding the investigator", &call, &admin.signer).await?.block_number)
}

/// The sponsor's admin publishes a consent-form version (its hash); returns the version.
pub async fn publish_consent_form(
	chain: &Chain,
	admin: &Identity,
	trial: TrialId,
	hash: [u8; 32],
) -> Result<u32, Error> {
	let call = runtime::transactions().clinical_trials().publish_consent_form(trial, hash);
	let included = chain.submit("publishing the consent form", &call, &admin.signer).await?;
	Ok(included.event::<runtime::clinical_trials::events::ConsentFormPublished>()?.version)
}

fn seed_path(home: &Path, trial: TrialId) -> PathBuf {
	home.join("trials").join(format!("{trial}.seed"))
}

/// The randomiser draws the allocation seed of `trial`: a fresh random seed saved under `home`
/// (kept if one is there already). Returns the seed file and the commitment to hand to the
/// sponsor.
pub fn new_seed(home: &Path, trial: TrialId) -> Result<(PathBuf, [u8; 32]), Error> {
	let path = seed_path(home, trial);
	let seed = match std::fs::read_to_string(&path) {
		Ok(text) => parse_hex32(text.trim(), "allocation seed")?,
		Err(_) => {
			let mut seed = [0u8; 32];
			getrandom::fill(&mut seed).map_err(|e| Error::Mismatch(e.to_string()))?;
			crate::fsutil::write_private(&path, hex::encode(seed).as_bytes())
				.map_err(|e| Error::Io(path.clone(), e))?;
			seed
		},
	};
	Ok((path, blake2_256(&seed)))
}

/// The sponsor's admin opens recruitment with `randomiser`'s commitment to its seed.
pub async fn open_recruitment(
	chain: &Chain,
	admin: &Identity,
	trial: TrialId,
	randomiser: &AccountId,
	commitment: [u8; 32],
) -> Result<u64, Error> {
	let call =
		runtime::transactions().clinical_trials().open_recruitment(trial, *randomiser, commitment);
	Ok(chain.submit("opening recruitment", &call, &admin.signer).await?.block_number)
}

/// The sponsor's admin closes recruitment.
pub async fn close_recruitment(
	chain: &Chain,
	admin: &Identity,
	trial: TrialId,
) -> Result<u64, Error> {
	let call = runtime::transactions().clinical_trials().close_recruitment(trial);
	Ok(chain.submit("closing recruitment", &call, &admin.signer).await?.block_number)
}

/// The patient enrols in `trial` on consent form `consent_form` under their pseudonym, in an
/// unsigned transaction that names no account; returns the pseudonym.
pub async fn enrol(
	chain: &Chain,
	patient: &Identity,
	trial: TrialId,
	consent_form: u32,
) -> Result<[u8; 32], Error> {
	let (pseudonym, _) =
		act(chain, patient, trial, Action::Enrol(consent_form), "enrolling").await?;
	Ok(pseudonym)
}

/// The participant consents to consent form `consent_form`; returns the block.
pub async fn reconsent(
	chain: &Chain,
	patient: &Identity,
	trial: TrialId,
	consent_form: u32,
) -> Result<u64, Error> {
	let (_, included) =
		act(chain, patient, trial, Action::Reconsent(consent_form), "re-consenting").await?;
	Ok(included.block_number)
}

/// The participant withdraws from `trial` (their right at any time); returns the block.
pub async fn withdraw(chain: &Chain, patient: &Identity, trial: TrialId) -> Result<u64, Error> {
	let (_, included) = act(chain, patient, trial, Action::Withdraw, "withdrawing").await?;
	Ok(included.block_number)
}

/// What a visit's reward paid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitRewarded {
	/// The participant's pseudonym in the trial (whose visit it was).
	pub pseudonym: [u8; 32],
	/// The amount the payee received.
	pub amount: u128,
	/// The block it is in.
	pub block: u64,
}

/// The participant claims the reward of the sponsor's pool `pool` for their visit that the
/// trial's data anchor `seq` records, paid to `payee`: an unsigned transaction with a ring
/// proof that names no account of theirs (a new `payee` keeps the reward apart from their
/// patient account; the chain refuses a proof redirected to another payee). The chain refuses
/// a visit that is not theirs (`BadProof`), rewarded already, or above the pool's cap for them
/// this period.
pub async fn claim_visit_reward(
	chain: &Chain,
	patient: &Identity,
	trial: TrialId,
	seq: u32,
	pool: u32,
	payee: &AccountId,
) -> Result<VisitRewarded, Error> {
	let action = Action::VisitReward { pool, seq, payee };
	let (pseudonym, included) =
		act(chain, patient, trial, action, "claiming the visit's reward").await?;
	let paid = included.event::<runtime::rewards::events::VisitRewarded>()?;
	Ok(VisitRewarded { pseudonym, amount: paid.amount, block: included.block_number })
}

/// Whom a dataset is about.
#[derive(Debug, Clone)]
pub enum Subject {
	/// One participant's visit.
	Participant {
		/// The participant's pseudonym.
		pseudonym: [u8; 32],
		/// The visit number.
		visit: u32,
	},
	/// A batch of the trial's data.
	Batch(u32),
}

/// An investigator anchors a dataset's hash; returns its sequence number in the trial.
pub async fn anchor_data(
	chain: &Chain,
	investigator: &Identity,
	trial: TrialId,
	subject: Subject,
	hash: [u8; 32],
) -> Result<u32, Error> {
	let subject = match subject {
		Subject::Participant { pseudonym, visit } => DataSubject::Participant { pseudonym, visit },
		Subject::Batch(batch) => DataSubject::Batch { batch },
	};
	let call = runtime::transactions().clinical_trials().anchor_data(trial, subject, hash);
	let included = chain.submit("anchoring the dataset", &call, &investigator.signer).await?;
	Ok(included.event::<runtime::clinical_trials::events::DataAnchored>()?.seq)
}

/// The sponsor's admin locks the data with the dataset's root hash.
pub async fn lock(
	chain: &Chain,
	admin: &Identity,
	trial: TrialId,
	root: [u8; 32],
) -> Result<u64, Error> {
	let call = runtime::transactions().clinical_trials().lock_data(trial, root);
	Ok(chain.submit("locking the data", &call, &admin.signer).await?.block_number)
}

/// The randomiser reveals the allocation seed saved by [`new_seed`] (after the data lock).
pub async fn reveal(
	chain: &Chain,
	randomiser: &Identity,
	home: &Path,
	trial: TrialId,
) -> Result<u64, Error> {
	let path = seed_path(home, trial);
	let text = std::fs::read_to_string(&path).map_err(|e| Error::Io(path.clone(), e))?;
	let seed = parse_hex32(text.trim(), "allocation seed")?;
	let call = runtime::transactions().clinical_trials().reveal_allocation(trial, seed);
	Ok(chain.submit("revealing the allocation", &call, &randomiser.signer).await?.block_number)
}

/// The sponsor's admin publishes the results: the report's hash and a link to it. Returns
/// whether the chain recorded them as late and the registration deposit it released.
pub async fn publish_results(
	chain: &Chain,
	admin: &Identity,
	trial: TrialId,
	hash: [u8; 32],
	link: &str,
) -> Result<Published, Error> {
	let call = runtime::transactions().clinical_trials().publish_results(
		trial,
		hash,
		BoundedVec(link.as_bytes().to_vec()),
	);
	let included = chain.submit("publishing the results", &call, &admin.signer).await?;
	let late = included.event::<runtime::clinical_trials::events::ResultsPublished>()?.late;
	let released = included.events_of::<runtime::clinical_trials::events::DepositReleased>()?;
	Ok(Published {
		late,
		deposit_released: released.first().map(|deposit| (deposit.who, Amount(deposit.amount))),
	})
}

/// What publishing the results recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Published {
	/// Whether they came after the due block.
	pub late: bool,
	/// The registration deposit released, and to whom (none for a trial registered before
	/// deposits existed).
	pub deposit_released: Option<(AccountId, Amount)>,
}

/// The sponsor's admin terminates the trial, giving the hash of the reason.
pub async fn terminate(
	chain: &Chain,
	admin: &Identity,
	trial: TrialId,
	reason: [u8; 32],
) -> Result<u64, Error> {
	let call = runtime::transactions().clinical_trials().terminate(trial, reason);
	Ok(chain.submit("terminating the trial", &call, &admin.signer).await?.block_number)
}

/// The trial as the chain has it (`ClinicalTrialsApi::trial`).
pub async fn status(chain: &Chain, trial: TrialId) -> Result<TrialInfo<AccountId, u32>, Error> {
	chain
		.runtime_api(
			"reading the trial",
			runtime::runtime_apis().clinical_trials_api().trial(trial),
		)
		.await?
		.ok_or_else(|| Error::Chain(ChainError::NotFound(format!("no trial {trial}"))))
}

/// The trial's amendments, oldest first.
pub async fn amendments(
	chain: &Chain,
	trial: TrialId,
) -> Result<Vec<Amendment<u32, Vec<[u8; 32]>, Vec<[u8; 32]>>>, Error> {
	Ok(chain
		.runtime_api(
			"reading the amendments",
			runtime::runtime_apis().clinical_trials_api().amendments(trial),
		)
		.await?)
}

/// A participant of `trial` and whether they must re-consent.
pub async fn participant(
	chain: &Chain,
	trial: TrialId,
	pseudonym: [u8; 32],
) -> Result<Option<ParticipantInfo<u32>>, Error> {
	Ok(chain
		.runtime_api(
			"reading the participant",
			runtime::runtime_apis().clinical_trials_api().participant(trial, pseudonym),
		)
		.await?)
}

/// The consent form to enrol or re-consent on: `chosen`, or else the trial's current one.
pub async fn consent_form(
	chain: &Chain,
	trial: TrialId,
	chosen: Option<u32>,
) -> Result<u32, Error> {
	match chosen {
		Some(form) => Ok(form),
		None => Ok(status(chain, trial).await?.trial.consent_form),
	}
}

/// `patient`'s pseudonym in `trial` on this chain, and their standing under it (`None`: not
/// enrolled).
pub async fn participation(
	chain: &Chain,
	trial: TrialId,
	patient: &Identity,
) -> Result<([u8; 32], Option<ParticipantInfo<u32>>), Error> {
	let pseudonym = pseudonym(&chain.genesis(), trial, patient);
	Ok((pseudonym, participant(chain, trial, pseudonym).await?))
}

/// Every trial whose results are overdue, with the block they were due.
pub async fn overdue(chain: &Chain) -> Result<Vec<(TrialId, u32)>, Error> {
	let mut out = Vec::new();
	let mut after = None;
	loop {
		let page = chain
			.runtime_api(
				"listing overdue results",
				runtime::runtime_apis().clinical_trials_api().overdue_results(after, 100),
			)
			.await?;
		let Some(last) = page.last().map(|(id, _)| *id) else { break };
		out.extend(page);
		after = Some(last);
	}
	Ok(out)
}

/// 32 bytes from 64 hex digits (an optional `0x` prefix allowed).
pub fn parse_hex32(text: &str, what: &str) -> Result<[u8; 32], Error> {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	hex::decode(digits)
		.ok()
		.and_then(|b| <[u8; 32]>::try_from(b).ok())
		.ok_or_else(|| Error::Mismatch(format!("{what} must be 32 bytes in hex (64 digits)")))
}
