//! Clinical trials: registration, amendments, sites and investigators, consent forms,
//! recruitment with a committed allocation seed, consent-bound enrolment under per-study
//! pseudonyms, dataset anchors, data lock, allocation reveal and results.
//!
//! Documents (protocol, analysis plan, consent form, results report, dataset) never go on chain:
//! their BLAKE2b-256 hash ([`file_hash`]) does, so anyone holding the document can check it with
//! `b2sum -l 256 <file>`. Outcome definitions are committed as the hash of their text.
//!
//! A participant's per-study secret is derived from their identity ([`participant_secret`]), so
//! the same identity file can always re-consent or withdraw; the pseudonym the chain shows is
//! `blake2_256(SCALE(("medchain/trial-pseudonym", trial, account, secret)))`, computed by the
//! chain from the secret (and here by [`pseudonym`]).
//!
//! The sponsor's allocation seed is random, kept in `<home>/trials/<trial>.seed` (mode 0600),
//! and committed as `blake2_256(seed)` when recruitment opens; revealing it later lets anyone
//! recompute every participant's arm.

use std::path::{Path, PathBuf};

use subxt::ext::codec::Encode;

use crate::{
	chain::{runtime, types, AccountId32, Chain, ChainError},
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

/// The participant's secret for `trial`: BLAKE2b-256 of a domain tag, the identity's
/// encryption secret and the trial id. Never leaves the client except in the participant's own
/// enrol, re-consent and withdraw transactions.
pub fn participant_secret(identity: &Identity, trial: TrialId) -> [u8; 32] {
	let mut input = b"medchain/trial-secret/v1".to_vec();
	input.extend_from_slice(&*identity.encryption.secret_bytes());
	input.extend_from_slice(&trial.to_le_bytes());
	blake2_256(&input)
}

/// The pseudonym under which `account` with `secret` appears in `trial` (as the chain derives it).
pub fn pseudonym(trial: TrialId, account: &AccountId32, secret: &[u8; 32]) -> [u8; 32] {
	blake2_256(&(b"medchain/trial-pseudonym".as_slice(), trial, account.0, *secret).encode())
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

/// The sponsor's admin registers a trial; returns its id.
pub async fn register(chain: &Chain, admin: &Identity, r: &Registration) -> Result<TrialId, Error> {
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
	Ok(included.event::<runtime::clinical_trials::events::TrialRegistered>()?.trial)
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
	investigator: &AccountId32,
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

/// The sponsor's admin opens recruitment: a fresh random allocation seed is saved under `home`
/// and its hash committed on chain. Returns the seed file.
pub async fn open_recruitment(
	chain: &Chain,
	admin: &Identity,
	home: &Path,
	trial: TrialId,
) -> Result<PathBuf, Error> {
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
	let call = runtime::transactions().clinical_trials().open_recruitment(trial, blake2_256(&seed));
	chain.submit("opening recruitment", &call, &admin.signer).await?;
	Ok(path)
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

/// The patient enrols in `trial` on consent form `consent_form`, bound to research grant
/// `grant`; returns their pseudonym in the trial.
pub async fn enrol(
	chain: &Chain,
	patient: &Identity,
	trial: TrialId,
	consent_form: u32,
	grant: u64,
) -> Result<[u8; 32], Error> {
	let secret = participant_secret(patient, trial);
	let call = runtime::transactions().clinical_trials().enrol(trial, consent_form, grant, secret);
	let included = chain.submit("enrolling", &call, &patient.signer).await?;
	Ok(included.event::<runtime::clinical_trials::events::ParticipantEnrolled>()?.pseudonym)
}

/// The participant re-consents on consent form `consent_form` with research grant `grant`.
pub async fn reconsent(
	chain: &Chain,
	patient: &Identity,
	trial: TrialId,
	consent_form: u32,
	grant: u64,
) -> Result<u64, Error> {
	let secret = participant_secret(patient, trial);
	let call =
		runtime::transactions().clinical_trials().reconsent(trial, consent_form, grant, secret);
	Ok(chain.submit("re-consenting", &call, &patient.signer).await?.block_number)
}

/// The participant withdraws from `trial` (their right at any time).
pub async fn withdraw(chain: &Chain, patient: &Identity, trial: TrialId) -> Result<u64, Error> {
	let secret = participant_secret(patient, trial);
	let call = runtime::transactions().clinical_trials().withdraw(trial, secret);
	Ok(chain.submit("withdrawing", &call, &patient.signer).await?.block_number)
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

/// The sponsor's admin reveals the allocation seed saved when recruitment opened.
pub async fn reveal(
	chain: &Chain,
	admin: &Identity,
	home: &Path,
	trial: TrialId,
) -> Result<u64, Error> {
	let path = seed_path(home, trial);
	let text = std::fs::read_to_string(&path).map_err(|e| Error::Io(path.clone(), e))?;
	let seed = parse_hex32(text.trim(), "allocation seed")?;
	let call = runtime::transactions().clinical_trials().reveal_allocation(trial, seed);
	Ok(chain.submit("revealing the allocation", &call, &admin.signer).await?.block_number)
}

/// The sponsor's admin publishes the results: the report's hash and a link to it. Returns
/// whether the chain recorded them as late.
pub async fn publish_results(
	chain: &Chain,
	admin: &Identity,
	trial: TrialId,
	hash: [u8; 32],
	link: &str,
) -> Result<bool, Error> {
	let call = runtime::transactions().clinical_trials().publish_results(
		trial,
		hash,
		BoundedVec(link.as_bytes().to_vec()),
	);
	let included = chain.submit("publishing the results", &call, &admin.signer).await?;
	Ok(included.event::<runtime::clinical_trials::events::ResultsPublished>()?.late)
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
pub async fn status(chain: &Chain, trial: TrialId) -> Result<TrialInfo<AccountId32, u32>, Error> {
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
