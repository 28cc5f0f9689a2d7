//! `medchain`: every MedChain workflow as one command. See `medchain --help` and the
//! walkthrough in `docs/client.md`.
//!
//! Results go to stdout (a line of text, or JSON with `--json`); progress (submitted, finalized)
//! to stderr; errors to stderr with exit status 1 (2 for a usage error).

use std::{
	path::{Path, PathBuf},
	process::ExitCode,
	str::FromStr,
	time::Duration,
};

use clap::{Args, Parser, Subcommand, ValueEnum};
use medchain_client::{
	chain::{AccountId, Chain, DEFAULT_URL},
	classes::{self, ClassKey, DataClass, PatientCard},
	consent::{self, Terms},
	council, directory,
	fhir::FhirDocument,
	identity::{self, Identity, KeyRing},
	records, recovery,
	store::LocalDirStore,
	trials, Error,
};
use serde_json::{json, Value};

#[derive(Parser)]
#[command(
	name = "medchain",
	version,
	about = "MedChain client: records, consent and clinical trials"
)]
struct Cli {
	/// The node's WebSocket URL.
	#[arg(long, global = true, env = "MEDCHAIN_URL", default_value = DEFAULT_URL)]
	url: String,
	/// The MedChain home directory (identities in `keys/`, allocation seeds in `trials/`).
	#[arg(long, global = true, env = "MEDCHAIN_HOME")]
	home: Option<PathBuf>,
	/// The identity to act as (a key file name in `<home>/keys`).
	#[arg(long = "as", global = true, env = "MEDCHAIN_AS")]
	identity: Option<String>,
	/// The document store directory (default `<home>/store`).
	#[arg(long, global = true, env = "MEDCHAIN_STORE")]
	store: Option<PathBuf>,
	/// Print results as JSON.
	#[arg(long, global = true)]
	json: bool,
	/// Seconds to wait for each answer from the node.
	#[arg(long, global = true, default_value_t = 60)]
	timeout: u64,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Identities: generate, import, show, list, register the encryption key on chain, hand out
	/// the patient card.
	#[command(subcommand)]
	Keys(Keys),
	/// The cards of the patients you treat (their class keys), as they hand them to you.
	#[command(subcommand)]
	Patients(Patients),
	/// The directory: organisations, practitioners, patients.
	#[command(subcommand)]
	Directory(Dir),
	/// The council of health authorities: motions, votes, closing (the registrar without sudo).
	#[command(subcommand)]
	Council(CouncilCmd),
	/// Records: add a FHIR file, amend, list, get, share, unshare, erase.
	#[command(subcommand)]
	Records(Records),
	/// Consent: grant, offer, accept, reject, revoke, list, evaluate, access log.
	#[command(subcommand)]
	Consent(Consent),
	/// Clinical trials: the whole lifecycle.
	#[command(subcommand)]
	Trials(Trials),
	/// Social recovery after a lost key: name your guardians and make a recovery kit; as a
	/// friend, open, approve and finish a recovery; after one, re-wrap your data keys.
	#[command(subcommand)]
	Recovery(RecoveryCmd),
}

#[derive(Subcommand)]
enum RecoveryCmd {
	/// Name the friends or guardians who may recover your account, and write your recovery kit
	/// (a new key that takes over your account once they do, with copies of your encryption and
	/// class keys). Keep the kit offline. Replaces guardians set before.
	Setup {
		/// The friends (identity names or SS58 addresses), comma-separated; at most nine.
		#[arg(long, value_delimiter = ',', required = true)]
		friends: Vec<String>,
		/// How many of them must approve a recovery.
		#[arg(long)]
		needed: u32,
		/// Days a recovery waits before it can be finished: your time to stop a hostile one.
		#[arg(long, default_value_t = recovery::DEFAULT_DELAY_DAYS, conflicts_with = "delay_blocks")]
		delay_days: u32,
		/// The wait in blocks instead of days (six seconds each; for test chains).
		#[arg(long)]
		delay_blocks: Option<u32>,
		/// Where to write the recovery kit (a new file, readable by you only).
		#[arg(long)]
		kit: PathBuf,
	},
	/// Where an account's recovery stands: guardians, open attempts, whom it was recovered to.
	Status {
		/// The account (default: yours).
		account: Option<String>,
	},
	/// As a friend: open a recovery of a patient's account (your approval counts; you hold a
	/// security deposit until it ends, lost if the patient slashes the attempt as hostile).
	Initiate {
		/// The patient's account (an identity name or an SS58 address).
		account: String,
	},
	/// As a friend: approve an open recovery.
	Approve {
		/// The patient's account.
		account: String,
	},
	/// Finish an approved recovery once its wait has passed: the account is recovered to its
	/// kit (which gets the existential deposit from you if it holds nothing yet).
	Finish {
		/// The patient's account.
		account: String,
	},
	/// Cancel an open recovery: the patient at any time, its initiator after a day.
	Cancel {
		/// The patient's account (default: yours).
		account: Option<String>,
	},
	/// As the patient, still holding your key: end a hostile recovery; its initiator loses the
	/// deposit.
	Slash,
	/// After a recovery, as the kit (`keys import-kit`): a new encryption key, every data key of
	/// your records that the kit opens wrapped again for it, and the new key registered.
	Rewrap,
}

#[derive(Subcommand)]
enum Keys {
	/// Create a new identity (a fresh 24-word phrase and encryption key pair).
	Generate {
		/// The identity's name.
		#[arg(long)]
		name: String,
	},
	/// Create an identity from an existing secret URI (a phrase or a `0x` seed), with a fresh
	/// encryption key pair. The secret is read from standard input: typed at a prompt that does
	/// not echo, or piped (`medchain keys import --name x < secret.txt`).
	Import {
		/// The identity's name.
		#[arg(long)]
		name: String,
		/// A well-known development account only (`//Alice`, `//Bob`, …, public knowledge). Any
		/// other secret on the command line would be visible to every user of the machine (`ps`)
		/// and kept in shell history, so it is refused: give it on standard input.
		#[arg(long)]
		suri: Option<String>,
	},
	/// Show an identity's account and encryption public key (`--as`, or `--name`).
	Show {
		/// The identity's name (default: `--as`).
		#[arg(long)]
		name: Option<String>,
	},
	/// List the identities.
	List,
	/// Register the identity's encryption public key on chain as a practitioner's (patients
	/// register theirs with `directory register-patient`).
	Register,
	/// Import a recovery kit (`recovery setup --kit`) as an identity: after your friends
	/// recovered your account, it acts for it.
	ImportKit {
		/// The kit file.
		kit: PathBuf,
		/// The identity's name.
		#[arg(long)]
		name: String,
	},
	/// Write your patient card (your account and class key) for an organisation that treats
	/// you: its practitioners need it to anchor your records under the right data class. It
	/// holds a secret: the file is readable by you only; hand it over as you would a health card.
	Card {
		/// Where to write it (a new file; an existing one is never replaced).
		#[arg(long)]
		out: PathBuf,
	},
}

#[derive(Subcommand)]
enum CouncilCmd {
	/// The council's members.
	Members,
	/// The open motions: call, votes, threshold, end.
	Motions,
	/// Vote on an open motion (a council member).
	Vote {
		/// The motion's hash (`0x…`, as `propose` or `motions` print it).
		hash: String,
		/// Vote aye …
		#[arg(long, conflicts_with = "nay", required_unless_present = "nay")]
		aye: bool,
		/// … or nay.
		#[arg(long)]
		nay: bool,
	},
	/// Close a motion: it executes once enough members voted aye, and is dropped once too many
	/// voted nay (or after its end without enough ayes).
	Close {
		/// The motion's hash.
		hash: String,
	},
}

#[derive(Subcommand)]
enum Patients {
	/// Keep a patient's card (from `medchain keys card`) so that you can anchor their records
	/// and read the data classes of their records, grants and log.
	Import {
		/// The card file.
		file: PathBuf,
	},
}

#[derive(Subcommand)]
enum Dir {
	/// Register an organisation: as the sudo key (a development chain), or with `--council` as a
	/// council member proposing it to the council (a majority registers).
	RegisterOrg {
		/// Its name.
		#[arg(long)]
		name: String,
		/// Its kind.
		#[arg(long, value_enum, default_value = "hospital")]
		kind: OrgKind,
		/// Its admin (an identity name or an SS58 address).
		#[arg(long)]
		admin: String,
		/// Propose it as a council motion needing a majority of the council, instead of sudo.
		#[arg(long)]
		council: bool,
	},
	/// Invite an account to become a practitioner of an organisation (its admin); the account
	/// becomes one when it accepts.
	Invite {
		/// The organisation's id.
		#[arg(long)]
		org: u32,
		/// The practitioner (an identity name or an SS58 address).
		#[arg(long)]
		practitioner: String,
		/// Their role.
		#[arg(long, value_enum)]
		role: Role,
		/// The licence's issuing authority.
		#[arg(long)]
		authority: String,
		/// The licence number (only its hash goes on chain).
		#[arg(long)]
		licence: String,
		/// Days the licence stays valid from now.
		#[arg(long, default_value_t = 365)]
		valid_days: u64,
	},
	/// Accept an organisation's invitation: become its practitioner.
	Accept {
		/// The inviting organisation's id.
		#[arg(long)]
		org: u32,
	},
	/// Remove an invitation: decline your own, withdraw one as the organisation's admin, or
	/// clear an expired one.
	Uninvite {
		/// The inviting organisation's id.
		#[arg(long)]
		org: u32,
		/// The invited account (default: `--as`, declining).
		#[arg(long)]
		practitioner: Option<String>,
	},
	/// Leave your organisation (as its practitioner, in any standing).
	Leave,
	/// Register the identity as a patient with its encryption public key.
	RegisterPatient,
	/// What the chain knows of an account.
	Show {
		/// An identity name or an SS58 address.
		account: String,
	},
}

#[derive(Subcommand)]
enum Records {
	/// Encrypt a FHIR R5 JSON resource or bundle, store it and anchor it (a practitioner).
	Add {
		/// The patient (an identity name or an SS58 address).
		#[arg(long)]
		patient: String,
		/// The FHIR JSON file.
		#[arg(long)]
		file: PathBuf,
		/// The data class consent is scoped by (general, mental-health, sexual-health, genetic,
		/// substance-use); it goes on chain only as the patient's tag, from their card.
		#[arg(long, default_value = "general")]
		class: DataClass,
	},
	/// Anchor a new version of a record.
	Amend {
		/// The record's id.
		record: u64,
		/// The FHIR JSON file.
		#[arg(long)]
		file: PathBuf,
	},
	/// List a patient's records.
	List {
		/// The patient (default: `--as`).
		#[arg(long)]
		patient: Option<String>,
	},
	/// Show a record's anchor.
	Show {
		/// The record's id.
		record: u64,
	},
	/// Read a record: record the access on chain, fetch, verify, decrypt; writes the FHIR JSON.
	Get {
		/// The record's id.
		record: u64,
		/// Why.
		#[arg(long, value_enum, default_value = "treatment")]
		purpose: Purpose,
		/// Write the document here instead of stdout: a new file readable by you only (an
		/// existing file is never overwritten).
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Share a record (the patient): a read grant for it and its key wrapped for the grantee.
	Share {
		/// The record's id.
		record: u64,
		/// The grantee (an identity name or an SS58 address).
		#[arg(long)]
		with: String,
		/// For what.
		#[arg(long, value_enum, default_value = "treatment")]
		purpose: Purpose,
	},
	/// Remove an account's wrapped key of a record.
	Unshare {
		/// The record's id.
		record: u64,
		/// The account (an identity name or an SS58 address).
		#[arg(long)]
		with: String,
	},
	/// Erase a record: the chain keeps a tombstone; the ciphertexts are deleted from the store.
	Erase {
		/// The record's id.
		record: u64,
	},
}

#[derive(Args, Clone)]
struct TermsArgs {
	/// Grant to this account (an identity name or an SS58 address)…
	#[arg(long, conflicts_with_all = ["org", "role"])]
	to: Option<String>,
	/// …or to practitioners of this organisation…
	#[arg(long, requires = "role")]
	org: Option<u32>,
	/// …holding this role.
	#[arg(long, value_enum, requires = "org")]
	role: Option<Role>,
	/// The actions.
	#[arg(long, value_enum, value_delimiter = ',', default_value = "read")]
	actions: Vec<Action>,
	/// The purposes.
	#[arg(long, value_enum, value_delimiter = ',', default_value = "treatment")]
	purposes: Vec<Purpose>,
	/// Whole data classes (general, mental-health, sexual-health, genetic, substance-use); on
	/// chain only as the patient's tags. An offer names none: the patient chooses on accepting.
	#[arg(long, value_delimiter = ',')]
	classes: Vec<DataClass>,
	/// Specific records.
	#[arg(long, value_delimiter = ',')]
	records: Vec<u64>,
	/// A deny grant (overrides permits).
	#[arg(long)]
	deny: bool,
	/// First block of validity.
	#[arg(long)]
	from: Option<u32>,
	/// First block no longer valid.
	#[arg(long)]
	until: Option<u32>,
}

#[derive(Subcommand)]
enum Consent {
	/// Grant consent (the patient).
	Grant(TermsArgs),
	/// Offer a patient a grant (a researcher or payer).
	Offer {
		/// The patient (an identity name or an SS58 address).
		#[arg(long)]
		patient: String,
		#[command(flatten)]
		terms: TermsArgs,
	},
	/// Accept an offer (the patient), over the data classes you choose.
	Accept {
		/// The offer's id.
		offer: u64,
		/// The data classes the grant covers besides the records the offer names (general,
		/// mental-health, sexual-health, genetic, substance-use).
		#[arg(long, value_delimiter = ',')]
		classes: Vec<DataClass>,
	},
	/// Reject an offer (the patient).
	Reject {
		/// The offer's id.
		offer: u64,
	},
	/// Revoke a grant (the patient); a record share's wrapped keys go with it.
	Revoke {
		/// The grant's id.
		grant: u64,
	},
	/// A patient's grants (with their history) and pending offers.
	List {
		/// The patient (default: `--as`).
		#[arg(long)]
		patient: Option<String>,
	},
	/// Ask the chain's evaluator whether an access would be permitted now (or was, `--at`).
	Evaluate {
		/// The patient.
		#[arg(long)]
		patient: String,
		/// The actor (default: `--as`).
		#[arg(long)]
		actor: Option<String>,
		/// The action.
		#[arg(long, value_enum, default_value = "read")]
		action: Action,
		/// The purpose.
		#[arg(long, value_enum, default_value = "treatment")]
		purpose: Purpose,
		/// The data class (tagged with the patient's class key: yours, or from their card).
		#[arg(long, default_value = "general", conflicts_with = "record")]
		class: DataClass,
		/// A specific record instead (its class tag is read from the chain).
		#[arg(long)]
		record: Option<u64>,
		/// Answer as the chain did at this finalized block (grants and the directory as they
		/// were then; the node must keep that block's state).
		#[arg(long)]
		at: Option<u64>,
	},
	/// A patient's access log, newest first.
	Log {
		/// The patient (default: `--as`).
		#[arg(long)]
		patient: Option<String>,
	},
}

#[derive(Subcommand)]
enum Trials {
	/// Register a trial (an admin of the sponsor organisation).
	Register {
		/// The sponsor organisation's id.
		#[arg(long)]
		sponsor: u32,
		/// An external registry id (e.g. an NCT number).
		#[arg(long)]
		registry_id: Option<String>,
		/// The protocol document.
		#[arg(long)]
		protocol: PathBuf,
		/// The statistical analysis plan.
		#[arg(long)]
		sap: PathBuf,
		/// A primary outcome's definition (repeat for several).
		#[arg(long, required = true)]
		primary: Vec<String>,
		/// A secondary outcome's definition (repeat for several).
		#[arg(long)]
		secondary: Vec<String>,
		/// Planned enrolment.
		#[arg(long)]
		planned: u32,
		/// Allocation arms.
		#[arg(long, default_value_t = 2)]
		arms: u8,
		/// Blocks from registration until the results are due.
		#[arg(long)]
		results_due_blocks: u32,
	},
	/// Amend the protocol; new outcomes are recorded as an outcome change.
	Amend {
		/// The trial's id.
		trial: u32,
		/// A new protocol document.
		#[arg(long)]
		protocol: Option<PathBuf>,
		/// A new analysis plan.
		#[arg(long)]
		sap: Option<PathBuf>,
		/// New primary outcomes (repeat).
		#[arg(long)]
		primary: Vec<String>,
		/// New secondary outcomes (repeat).
		#[arg(long)]
		secondary: Vec<String>,
		/// Why (only its hash goes on chain).
		#[arg(long)]
		reason: String,
	},
	/// Add a site.
	AddSite {
		/// The trial's id.
		trial: u32,
		/// The site organisation's id.
		#[arg(long)]
		org: u32,
	},
	/// Add an investigator (an active practitioner of a site).
	AddInvestigator {
		/// The trial's id.
		trial: u32,
		/// An identity name or an SS58 address.
		#[arg(long)]
		investigator: String,
	},
	/// Publish a consent-form version.
	PublishConsentForm {
		/// The trial's id.
		trial: u32,
		/// The consent form document.
		#[arg(long)]
		file: PathBuf,
	},
	/// Draw a trial's allocation seed (the randomiser, independent of the sponsor): kept in
	/// `<home>/trials/`, its commitment printed for the sponsor.
	Seed {
		/// The trial's id.
		trial: u32,
	},
	/// Open recruitment with the randomiser's commitment to its allocation seed.
	Open {
		/// The trial's id.
		trial: u32,
		/// The randomiser (key name or account), who holds the seed.
		#[arg(long)]
		randomiser: String,
		/// The commitment the randomiser printed (`trials seed`).
		#[arg(long)]
		commitment: String,
	},
	/// Close recruitment.
	Close {
		/// The trial's id.
		trial: u32,
	},
	/// Register your research key (a patient, once): trial calls then prove you are one of its
	/// ring's patients without saying which.
	ResearchKey,
	/// Enrol (the patient) under your pseudonym, in a transaction that names no account.
	Enrol {
		/// The trial's id.
		trial: u32,
		/// The consent-form version (default: the current one).
		#[arg(long)]
		consent_form: Option<u32>,
	},
	/// Re-consent on the current consent form (the participant).
	Reconsent {
		/// The trial's id.
		trial: u32,
	},
	/// Withdraw (the participant): no data is anchored for you afterwards.
	Withdraw {
		/// The trial's id.
		trial: u32,
	},
	/// Your pseudonym in a trial and your standing.
	Me {
		/// The trial's id.
		trial: u32,
	},
	/// Anchor a dataset's hash (an investigator).
	Anchor {
		/// The trial's id.
		trial: u32,
		/// The dataset file.
		#[arg(long)]
		file: PathBuf,
		/// The participant's pseudonym (hex)…
		#[arg(long, requires = "visit", conflicts_with = "batch")]
		participant: Option<String>,
		/// …and the visit.
		#[arg(long)]
		visit: Option<u32>,
		/// Or a batch number.
		#[arg(long)]
		batch: Option<u32>,
	},
	/// Lock the data with the dataset's root (the hash of the locked dataset file).
	Lock {
		/// The trial's id.
		trial: u32,
		/// The locked dataset file.
		#[arg(long)]
		file: PathBuf,
	},
	/// Reveal the allocation seed (the randomiser, after the data lock).
	Reveal {
		/// The trial's id.
		trial: u32,
	},
	/// Publish the results report's hash and a link to it.
	PublishResults {
		/// The trial's id.
		trial: u32,
		/// The results report.
		#[arg(long)]
		file: PathBuf,
		/// Where the report is published.
		#[arg(long)]
		link: String,
	},
	/// Terminate the trial.
	Terminate {
		/// The trial's id.
		trial: u32,
		/// Why (only its hash goes on chain).
		#[arg(long)]
		reason: String,
	},
	/// The trial as the chain has it, with its amendments.
	Status {
		/// The trial's id.
		trial: u32,
	},
	/// Trials whose results are overdue.
	Overdue,
}

#[derive(Clone, Copy, ValueEnum)]
enum OrgKind {
	Hospital,
	Clinic,
	Laboratory,
	Pharmacy,
	Insurer,
	TrialSponsor,
	Regulator,
}

#[derive(Clone, Copy, ValueEnum)]
enum Role {
	Physician,
	EmergencyPhysician,
	Nurse,
	Pharmacist,
	LabTechnician,
	Researcher,
	ClaimsOfficer,
	PrivacyOfficer,
}

#[derive(Clone, Copy, ValueEnum)]
enum Purpose {
	Treatment,
	EmergencyTreatment,
	Payment,
	Operations,
	Research,
	PublicHealth,
}

#[derive(Clone, Copy, ValueEnum)]
enum Action {
	Read,
	Write,
	Share,
}

impl From<OrgKind> for directory::OrganisationKind {
	fn from(k: OrgKind) -> Self {
		use directory::OrganisationKind as K;
		match k {
			OrgKind::Hospital => K::Hospital,
			OrgKind::Clinic => K::Clinic,
			OrgKind::Laboratory => K::Laboratory,
			OrgKind::Pharmacy => K::Pharmacy,
			OrgKind::Insurer => K::Insurer,
			OrgKind::TrialSponsor => K::TrialSponsor,
			OrgKind::Regulator => K::Regulator,
		}
	}
}

impl From<Role> for directory::PractitionerRole {
	fn from(r: Role) -> Self {
		use directory::PractitionerRole as R;
		match r {
			Role::Physician => R::Physician,
			Role::EmergencyPhysician => R::EmergencyPhysician,
			Role::Nurse => R::Nurse,
			Role::Pharmacist => R::Pharmacist,
			Role::LabTechnician => R::LabTechnician,
			Role::Researcher => R::Researcher,
			Role::ClaimsOfficer => R::ClaimsOfficer,
			Role::PrivacyOfficer => R::PrivacyOfficer,
		}
	}
}

impl From<Purpose> for records::PurposeOfUse {
	fn from(p: Purpose) -> Self {
		use records::PurposeOfUse as P;
		match p {
			Purpose::Treatment => P::Treatment,
			Purpose::EmergencyTreatment => P::EmergencyTreatment,
			Purpose::Payment => P::Payment,
			Purpose::Operations => P::Operations,
			Purpose::Research => P::Research,
			Purpose::PublicHealth => P::PublicHealth,
		}
	}
}

impl From<Action> for consent::ConsentAction {
	fn from(a: Action) -> Self {
		use consent::ConsentAction as A;
		match a {
			Action::Read => A::Read,
			Action::Write => A::Write,
			Action::Share => A::Share,
		}
	}
}

/// The secret URI to import: `flag` if it is a well-known development URI (`//Name`, derived
/// from the public development phrase), else the first line of `input` (standard input). A
/// real secret on the command line is refused: `ps` shows it to every user and the shell keeps
/// it in its history (security review M8).
fn secret_uri(
	flag: Option<String>,
	input: &mut dyn std::io::BufRead,
) -> Result<zeroize::Zeroizing<String>, Error> {
	if let Some(flag) = flag {
		let flag = zeroize::Zeroizing::new(flag);
		if flag.starts_with("//") && !flag.contains(char::is_whitespace) {
			return Ok(flag);
		}
		return Err(Error::Usage(
			"--suri takes only a well-known development account such as //Alice: a secret on the \
			 command line is visible to every user of this machine and stays in your shell \
			 history. Give it on standard input instead (typed at the prompt, or \
			 `medchain keys import --name <name> < secret.txt`)"
				.into(),
		));
	}
	let mut line = zeroize::Zeroizing::new(String::new());
	input.read_line(&mut line).map_err(|e| {
		Error::Usage(format!("cannot read the secret URI from standard input: {e}"))
	})?;
	let secret = zeroize::Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned());
	if secret.trim().is_empty() {
		return Err(Error::Usage(
			"no secret URI on standard input (type it at the prompt or pipe it from a file)".into(),
		));
	}
	Ok(secret)
}

/// A command's result: a line for people and a value for `--json`.
struct Output {
	text: String,
	json: Value,
}

/// A motion, as text and JSON.
fn motion_output(text: String, motion: &council::Motion) -> Result<Output, Error> {
	let json = serde_json::to_value(motion).map_err(|e| Error::Mismatch(e.to_string()))?;
	out(text, json)
}

/// A motion that executed: what it registered, if anything.
fn executed_output(included: &medchain_client::chain::Included) -> Result<Output, Error> {
	match directory::registered_organisation(included) {
		Some(id) => out(
			format!("executed: registered organisation {id}"),
			json!({ "executed": true, "organisation": id }),
		),
		None => out("executed", json!({ "executed": true })),
	}
}

async fn council_cmd(ctx: &Context, cmd: CouncilCmd) -> Result<Output, Error> {
	let chain = ctx.chain().await?;
	match cmd {
		CouncilCmd::Members => {
			let members: Vec<String> =
				council::members(&chain).await?.iter().map(|m| m.to_string()).collect();
			out(members.join("\n"), json!({ "members": members }))
		},
		CouncilCmd::Motions => {
			let motions = council::motions(&chain).await?;
			let text = motions
				.iter()
				.map(|m| {
					format!(
						"{} #{} {}: {} aye / {} nay of {} needed, ends at block {}",
						m.hash,
						m.index,
						m.call,
						m.ayes.len(),
						m.nays.len(),
						m.threshold,
						m.end
					)
				})
				.collect::<Vec<_>>()
				.join("\n");
			let json =
				serde_json::to_value(&motions).map_err(|e| Error::Mismatch(e.to_string()))?;
			out(text, json!({ "motions": json }))
		},
		CouncilCmd::Vote { hash, aye, nay: _ } => {
			let me = ctx.me()?;
			let hash = parse_hash(&hash)?;
			let motion = council::vote(&chain, &me, hash, aye).await?;
			motion_output(
				format!(
					"voted {}: {} aye / {} nay of {} needed",
					if aye { "aye" } else { "nay" },
					motion.ayes.len(),
					motion.nays.len(),
					motion.threshold
				),
				&motion,
			)
		},
		CouncilCmd::Close { hash } => {
			let me = ctx.me()?;
			let hash = parse_hash(&hash)?;
			match council::close(&chain, &me, hash).await? {
				council::Closed::Executed(included) => executed_output(&included),
				council::Closed::Disapproved => {
					out("disapproved: the call did not run", json!({ "executed": false }))
				},
			}
		},
	}
}

/// A 32-byte hash given as `0x` and 64 hex digits.
fn parse_hash(text: &str) -> Result<medchain_client::chain::H256, Error> {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	let bytes: [u8; 32] =
		hex::decode(digits).ok().and_then(|b| b.try_into().ok()).ok_or_else(|| {
			Error::Usage(format!("`{text}` is not a 32-byte hash (0x and 64 hex digits)"))
		})?;
	Ok(medchain_client::chain::H256(bytes))
}

fn out(text: impl Into<String>, json: Value) -> Result<Output, Error> {
	Ok(Output { text: text.into(), json })
}

/// What every command needs: the home directory, the key ring, the store, the chain.
struct Context {
	home: PathBuf,
	ring: KeyRing,
	store_dir: PathBuf,
	identity: Option<String>,
	url: String,
	timeout: Duration,
}

impl Context {
	fn me(&self) -> Result<Identity, Error> {
		let name = self.identity.as_deref().ok_or_else(|| {
			Error::Usage(
				"this command acts as an identity: pass --as <name> (or set MEDCHAIN_AS)".into(),
			)
		})?;
		Ok(self.ring.load(name)?)
	}

	/// An identity name from the key ring, or an SS58 address.
	fn account(&self, text: &str) -> Result<AccountId, Error> {
		if let Ok(account) = AccountId::from_str(text) {
			return Ok(account);
		}
		Ok(self
			.ring
			.load(text)
			.map_err(|_| {
				Error::Usage(format!(
					"`{text}` is neither an SS58 address nor an identity in {}",
					self.home.display()
				))
			})?
			.account())
	}

	/// `patient`'s class key: yours if you are the patient, else from their imported card.
	fn class_key(&self, patient: &AccountId) -> Result<ClassKey, Error> {
		self.ring
			.class_key_of(&self.me()?, patient)?
			.ok_or_else(|| Error::NoPatientCard { patient: patient.to_string() })
	}

	/// `patient`'s class key if this identity has it (no error when it has not).
	fn known_class_key(&self, patient: &AccountId) -> Option<ClassKey> {
		let me = self.me().ok()?;
		self.ring.class_key_of(&me, patient).ok().flatten()
	}

	fn account_or_me(&self, text: Option<&str>) -> Result<AccountId, Error> {
		match text {
			Some(text) => self.account(text),
			None => Ok(self.me()?.account()),
		}
	}

	/// The chain; for a recovery kit's identity, making every call for the account it controls.
	async fn chain(&self) -> Result<Chain, Error> {
		progress(&format!("connecting to {}", self.url));
		let controls = self.me().ok().and_then(|me| me.controls);
		if let Some(account) = &controls {
			progress(&format!("acting for the recovered account {account}"));
		}
		Ok(Chain::connect(&self.url, self.timeout)
			.await?
			.with_progress(progress)
			.acting_for(controls))
	}

	fn store(&self) -> Result<LocalDirStore, Error> {
		Ok(LocalDirStore::open(&self.store_dir)?)
	}
}

fn progress(line: &str) {
	eprintln!("· {line}");
}

fn read_file(path: &Path) -> Result<Vec<u8>, Error> {
	std::fs::read(path).map_err(|e| Error::Io(path.to_path_buf(), e))
}

fn hash_file(path: &Path) -> Result<[u8; 32], Error> {
	Ok(trials::file_hash(&read_file(path)?))
}

fn terms(ctx: &Context, args: &TermsArgs) -> Result<(consent::Grantee<AccountId>, Terms), Error> {
	let grantee = match (&args.to, args.org, args.role) {
		(Some(to), None, None) => consent::Grantee::Account(ctx.account(to)?),
		(None, Some(organisation), Some(role)) => {
			consent::Grantee::Role { organisation, role: role.into() }
		},
		_ => {
			return Err(Error::Usage(
				"name the grantee: --to <account>, or --org <id> --role <role>".into(),
			))
		},
	};
	Ok((
		grantee,
		Terms {
			effect: if args.deny { consent::Effect::Deny } else { consent::Effect::Permit },
			actions: args.actions.iter().map(|a| (*a).into()).collect(),
			purposes: args.purposes.iter().map(|p| (*p).into()).collect(),
			classes: args.classes.clone(),
			records: args.records.clone(),
			valid_from: args.from,
			valid_until: args.until,
		},
	))
}

/// A record's data class as this identity reads it: the class where it holds the patient's
/// class key, the tag's first bytes otherwise, `erased` for a tombstone.
fn record_class(info: &records::RecordInfo, key: Option<&ClassKey>) -> String {
	match &info.class_tag {
		Some(tag) => classes::describe(tag, key),
		None => "erased".into(),
	}
}

/// A record as `--json` shows it: the chain's description and the class as read here.
fn record_json(info: &records::RecordInfo, class: &str) -> Value {
	let mut value = serde_json::to_value(info).unwrap_or_default();
	if let Some(object) = value.as_object_mut() {
		object.insert("class".into(), Value::String(class.into()));
	}
	value
}

/// A log entry for people: what was done, why, on which data (classes read where the patient's
/// class key is held).
fn log_entry_text(entry: &consent::LogEntry, key: Option<&ClassKey>) -> String {
	match entry {
		consent::LogEntry::Accessed { action, purpose, target, grant, reason } => {
			let data = match target {
				consent::AccessTarget::Class(tag) => {
					format!("class {}", classes::describe(tag, key))
				},
				consent::AccessTarget::Record { record, class } => {
					format!("record {record} ({})", classes::describe(class, key))
				},
			};
			let basis = grant.map(|g| format!(", grant {g}")).unwrap_or_default();
			format!("{action:?} for {purpose:?}, {data} ({reason:?}{basis})")
		},
		consent::LogEntry::EmergencyOpened { emergency, .. } => {
			format!("opened emergency access {emergency}")
		},
	}
}

fn grantee_text(grantee: &consent::Grantee<AccountId>) -> String {
	match grantee {
		consent::Grantee::Account(account) => account.to_string(),
		consent::Grantee::Role { organisation, role } => {
			format!("{role:?}s of organisation {organisation}")
		},
	}
}

fn debug_json<T: std::fmt::Debug>(value: &T) -> Value {
	Value::String(format!("{value:?}"))
}

async fn run(cli: Cli) -> Result<Output, Error> {
	let home = match cli.home {
		Some(home) => home,
		None => std::env::var_os("HOME")
			.map(|h| PathBuf::from(h).join(".medchain"))
			.ok_or_else(|| Error::Usage("no home directory: pass --home".into()))?,
	};
	let ctx = Context {
		ring: KeyRing::new(&home),
		store_dir: cli.store.unwrap_or_else(|| home.join("store")),
		home,
		identity: cli.identity,
		url: cli.url,
		timeout: Duration::from_secs(cli.timeout),
	};
	match cli.command {
		Command::Keys(cmd) => keys(&ctx, cmd).await,
		Command::Patients(Patients::Import { file }) => {
			let card = PatientCard::from_json(&read_file(&file)?).map_err(|reason| {
				Error::Usage(format!("{} is not a patient card: {reason}", file.display()))
			})?;
			let path = ctx.ring.import_card(&card)?;
			out(
				format!("kept the card of patient {} ({})", card.account, path.display()),
				json!({ "patient": card.account, "path": path }),
			)
		},
		Command::Directory(cmd) => dir(&ctx, cmd).await,
		Command::Council(cmd) => council_cmd(&ctx, cmd).await,
		Command::Records(cmd) => records_cmd(&ctx, cmd).await,
		Command::Consent(cmd) => consent_cmd(&ctx, cmd).await,
		Command::Trials(cmd) => trials_cmd(&ctx, cmd).await,
		Command::Recovery(cmd) => recovery_cmd(&ctx, cmd).await,
	}
}

fn identity_json(identity: &Identity) -> Value {
	json!({
		"name": identity.name,
		"account": identity.account().to_string(),
		"signing_account": identity.signing_account().to_string(),
		"encryption_public": hex::encode(identity.encryption_public()),
	})
}

async fn recovery_cmd(ctx: &Context, cmd: RecoveryCmd) -> Result<Output, Error> {
	let chain = ctx.chain().await?;
	let done = |what: &str, account: &AccountId, block: u64| {
		out(
			format!("{what} for {account} in block #{block}"),
			json!({ "account": account.to_string(), "block": block }),
		)
	};
	match cmd {
		RecoveryCmd::Setup { friends, needed, delay_days, delay_blocks, kit } => {
			let me = ctx.me()?;
			let friends = friends.iter().map(|f| ctx.account(f)).collect::<Result<Vec<_>, _>>()?;
			let delay_blocks =
				delay_blocks.unwrap_or_else(|| delay_days.saturating_mul(recovery::BLOCKS_PER_DAY));
			let guardians = recovery::Guardians { friends, needed, delay_blocks };
			let recovery_kit = recovery::kit(&me, &format!("{}-recovery", me.name))?;
			identity::export_kit(&kit, &recovery_kit)?;
			let inheritor = recovery_kit.signing_account();
			let block = match recovery::set_guardians(&chain, &me, &guardians, &inheritor).await {
				Ok(block) => block,
				Err(e) => {
					// A kit the chain does not know is of no use: leave nothing behind.
					let _ = std::fs::remove_file(&kit);
					return Err(e);
				},
			};
			out(
				format!(
					"{needed} of {} guardians can recover {} to the kit {} after {delay_blocks} \
					 blocks (set in block #{block}); kit written to {}: keep it offline",
					guardians.friends.len(),
					me.account(),
					inheritor,
					kit.display()
				),
				json!({
					"account": me.account().to_string(),
					"kit_account": inheritor.to_string(),
					"needed": needed,
					"friends": guardians.friends.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
					"delay_blocks": delay_blocks,
					"block": block,
					"kit": kit,
				}),
			)
		},
		RecoveryCmd::Status { account } => {
			let account = ctx.account_or_me(account.as_deref())?;
			let status = recovery::status(&chain, &account).await?;
			let mut lines = vec![format!("{} at block #{}", status.account, status.block)];
			if status.groups.is_empty() {
				lines.push("no guardians".into());
			}
			for group in &status.groups {
				lines.push(format!(
					"guardians: {} of {} ({}), recovered to {} after {} blocks",
					group.needed,
					group.friends.len(),
					group.friends.join(", "),
					group.inheritor,
					group.delay_blocks
				));
			}
			for attempt in &status.attempts {
				lines.push(format!(
					"open recovery by {}: {} of {} approvals, finishable from block #{}",
					attempt.initiator, attempt.approvals, attempt.needed, attempt.finishable_at
				));
			}
			if let Some(to) = &status.recovered_to {
				lines.push(format!("recovered to {to}"));
			}
			out(lines.join("\n"), serde_json::to_value(&status).unwrap_or_default())
		},
		RecoveryCmd::Initiate { account } => {
			let lost = ctx.account(&account)?;
			let block = recovery::initiate(&chain, &ctx.me()?, &lost).await?;
			done("opened a recovery", &lost, block)
		},
		RecoveryCmd::Approve { account } => {
			let lost = ctx.account(&account)?;
			let block = recovery::approve(&chain, &ctx.me()?, &lost).await?;
			done("approved the recovery", &lost, block)
		},
		RecoveryCmd::Finish { account } => {
			let lost = ctx.account(&account)?;
			let block = recovery::finish(&chain, &ctx.me()?, &lost).await?;
			done("finished the recovery", &lost, block)
		},
		RecoveryCmd::Cancel { account } => {
			let lost = ctx.account_or_me(account.as_deref())?;
			let block = recovery::cancel(&chain, &ctx.me()?, &lost).await?;
			done("cancelled the recovery", &lost, block)
		},
		RecoveryCmd::Slash => {
			let me = ctx.me()?;
			let block = recovery::slash(&chain, &me).await?;
			done("slashed the recovery attempt", &me.account(), block)
		},
		RecoveryCmd::Rewrap => {
			let mut me = ctx.me()?;
			let done = recovery::rewrap(&chain, &ctx.ring, &mut me).await?;
			out(
				format!(
					"new encryption key {}: {} record keys re-wrapped, {} already current, {} \
					 unreachable{}",
					done.encryption_key,
					done.rewrapped.len(),
					done.current.len(),
					done.unreachable.len(),
					if done.unreachable.is_empty() {
						String::new()
					} else {
						format!(
							" (records {:?}: ask their custodian to deliver the key again)",
							done.unreachable
						)
					}
				),
				serde_json::to_value(&done).unwrap_or_default(),
			)
		},
	}
}

async fn keys(ctx: &Context, cmd: Keys) -> Result<Output, Error> {
	match cmd {
		Keys::Generate { name } => {
			let identity = Identity::generate(&name)?;
			let path = ctx.ring.save(&identity)?;
			out(
				format!(
					"created {name}: account {} (key file {})",
					identity.account(),
					path.display()
				),
				identity_json(&identity),
			)
		},
		Keys::Import { name, suri } => {
			use std::io::IsTerminal;
			let stdin = std::io::stdin();
			let suri = if suri.is_none() && stdin.is_terminal() {
				let typed = rpassword::prompt_password("secret URI (phrase or 0x seed): ")
					.map_err(|e| Error::Usage(format!("cannot read the secret URI: {e}")))?;
				secret_uri(None, &mut typed.as_bytes())?
			} else {
				secret_uri(suri, &mut stdin.lock())?
			};
			let identity = Identity::from_secret_uri(&name, &suri)?;
			let path = ctx.ring.save(&identity)?;
			out(
				format!(
					"imported {name}: account {} (key file {})",
					identity.account(),
					path.display()
				),
				identity_json(&identity),
			)
		},
		Keys::Show { name } => {
			let identity = match name {
				Some(name) => ctx.ring.load(&name)?,
				None => ctx.me()?,
			};
			out(
				format!(
					"{}: account {}, encryption key {}",
					identity.name,
					identity.account(),
					hex::encode(identity.encryption_public())
				),
				identity_json(&identity),
			)
		},
		Keys::List => {
			let names = ctx.ring.list()?;
			let mut lines = Vec::new();
			let mut values = Vec::new();
			for name in &names {
				let identity = ctx.ring.load(name)?;
				lines.push(format!("{name}\t{}", identity.account()));
				values.push(identity_json(&identity));
			}
			out(lines.join("\n"), Value::Array(values))
		},
		Keys::ImportKit { kit, name } => {
			let identity = identity::read_kit(&kit, &name)?;
			let path = ctx.ring.save(&identity)?;
			out(
				format!(
					"imported the recovery kit as {name}: it acts for {} with the key of {} (key \
					 file {})",
					identity.account(),
					identity.signing_account(),
					path.display()
				),
				identity_json(&identity),
			)
		},
		Keys::Card { out: path } => {
			let me = ctx.me()?;
			identity::export_card(&path, &me.card())?;
			out(
				format!(
					"wrote the patient card of {} to {} (it holds your class key: hand it only \
					 to organisations that treat you)",
					me.account(),
					path.display()
				),
				json!({ "account": me.account().to_string(), "out": path }),
			)
		},
		Keys::Register => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = directory::register_practitioner_key(&chain, &me).await?;
			out(
				format!("registered the encryption key of {} in block #{block}", me.account()),
				json!({ "account": me.account().to_string(), "block": block }),
			)
		},
	}
}

async fn dir(ctx: &Context, cmd: Dir) -> Result<Output, Error> {
	match cmd {
		Dir::RegisterOrg { name, kind, admin, council: false } => {
			let me = ctx.me()?;
			let admin = ctx.account(&admin)?;
			let chain = ctx.chain().await?;
			let id =
				directory::register_organisation(&chain, &me, kind.into(), &admin, &name).await?;
			out(format!("registered organisation {id} ({name})"), json!({ "organisation": id }))
		},
		Dir::RegisterOrg { name, kind, admin, council: true } => {
			let me = ctx.me()?;
			let admin = ctx.account(&admin)?;
			let chain = ctx.chain().await?;
			let call = directory::register_organisation_call(kind.into(), &admin, &name);
			let threshold = council::majority(&chain).await?;
			match council::propose(&chain, &me, call, threshold).await? {
				council::Proposed::Open(motion) => motion_output(
					format!(
						"proposed registering {name}: motion {} needs {threshold} ayes; members \
						 vote with `medchain council vote {} --aye`, then one closes it",
						motion.hash, motion.hash
					),
					&motion,
				),
				council::Proposed::Executed(included) => executed_output(&included),
			}
		},
		Dir::Invite { org, practitioner, role, authority, licence, valid_days } => {
			let me = ctx.me()?;
			let practitioner = ctx.account(&practitioner)?;
			let now = std::time::SystemTime::now()
				.duration_since(std::time::UNIX_EPOCH)
				.map(|d| d.as_secs())
				.unwrap_or_default();
			let terms = directory::LicenceTerms {
				authority,
				number: licence,
				valid_from: now.saturating_sub(60),
				valid_until: now.saturating_add(valid_days.saturating_mul(86_400)),
			};
			let chain = ctx.chain().await?;
			let block = directory::invite_practitioner(
				&chain,
				&me,
				org,
				&practitioner,
				role.into(),
				&terms,
			)
			.await?;
			out(
				format!(
					"invited {practitioner} to organisation {org} in block #{block}; they become \
					 its practitioner when they accept"
				),
				json!({ "practitioner": practitioner.to_string(), "organisation": org, "block": block }),
			)
		},
		Dir::Accept { org } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = directory::accept_invitation(&chain, &me, org).await?;
			out(
				format!("{} joined organisation {org} in block #{block}", me.account()),
				json!({ "practitioner": me.account().to_string(), "organisation": org, "block": block }),
			)
		},
		Dir::Uninvite { org, practitioner } => {
			let me = ctx.me()?;
			let invitee = ctx.account_or_me(practitioner.as_deref())?;
			let chain = ctx.chain().await?;
			let block = directory::remove_invitation(&chain, &me, org, &invitee).await?;
			out(
				format!("removed organisation {org}'s invitation of {invitee} in block #{block}"),
				json!({ "practitioner": invitee.to_string(), "organisation": org, "block": block }),
			)
		},
		Dir::Leave => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = directory::leave_organisation(&chain, &me).await?;
			out(
				format!("{} left their organisation in block #{block}", me.account()),
				json!({ "practitioner": me.account().to_string(), "block": block }),
			)
		},
		Dir::RegisterPatient => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let pseudonym = directory::register_patient(&chain, &me).await?;
			out(
				format!("registered patient {} (pseudonym {pseudonym})", me.account()),
				json!({ "account": me.account().to_string(), "pseudonym": pseudonym }),
			)
		},
		Dir::Show { account } => {
			let account = ctx.account(&account)?;
			let chain = ctx.chain().await?;
			let info = directory::account_info(&chain, &account).await?;
			let json = serde_json::to_value(&info).unwrap_or_default();
			out(serde_json::to_string_pretty(&json).unwrap_or_default(), json)
		},
	}
}

async fn records_cmd(ctx: &Context, cmd: Records) -> Result<Output, Error> {
	match cmd {
		Records::Add { patient, file, class } => {
			let me = ctx.me()?;
			let patient = ctx.account(&patient)?;
			let document = FhirDocument::parse(&read_file(&file)?)?;
			progress(&format!(
				"{} is a valid FHIR R5 {}",
				file.display(),
				document.resource_type()
			));
			let tag = ctx.class_key(&patient)?.tag(class);
			let store = ctx.store()?;
			let chain = ctx.chain().await?;
			let anchored = records::add(&chain, &store, &me, &patient, &document, tag).await?;
			out(
				format!(
					"anchored record {} (version 1, {}) in block #{}",
					anchored.record, anchored.cid, anchored.block
				),
				serde_json::to_value(&anchored).unwrap_or_default(),
			)
		},
		Records::Amend { record, file } => {
			let me = ctx.me()?;
			let document = FhirDocument::parse(&read_file(&file)?)?;
			let store = ctx.store()?;
			let chain = ctx.chain().await?;
			let anchored = records::amend(&chain, &store, &me, record, &document).await?;
			out(
				format!(
					"anchored version {} of record {record} in block #{}",
					anchored.version, anchored.block
				),
				serde_json::to_value(&anchored).unwrap_or_default(),
			)
		},
		Records::List { patient } => {
			let patient = ctx.account_or_me(patient.as_deref())?;
			let chain = ctx.chain().await?;
			let list = records::list(&chain, &patient).await?;
			let key = ctx.known_class_key(&patient);
			let mut values = Vec::new();
			let lines: Vec<String> = list
				.iter()
				.map(|r| {
					let class = record_class(r, key.as_ref());
					values.push(record_json(r, &class));
					if r.erased {
						format!("{}\terased", r.id)
					} else {
						format!("{}\t{class}\tversion {}", r.id, r.version)
					}
				})
				.collect();
			out(lines.join("\n"), Value::Array(values))
		},
		Records::Show { record } => {
			let chain = ctx.chain().await?;
			let info = records::info(&chain, record).await?;
			let key = AccountId::from_str(&info.patient)
				.ok()
				.and_then(|patient| ctx.known_class_key(&patient));
			let json = record_json(&info, &record_class(&info, key.as_ref()));
			out(serde_json::to_string_pretty(&json).unwrap_or_default(), json)
		},
		Records::Get { record, purpose, out: path } => {
			let me = ctx.me()?;
			let store = ctx.store()?;
			let chain = ctx.chain().await?;
			let document = records::get(&chain, &store, &me, record, purpose.into()).await?;
			let bytes = document.to_json_bytes()?;
			match path {
				Some(path) => {
					records::save_document(&path, &bytes)?;
					out(
						format!(
							"wrote {} ({}) to {}",
							document.resource_type(),
							bytes.len(),
							path.display()
						),
						json!({ "record": record, "resource_type": document.resource_type(), "out": path }),
					)
				},
				None => {
					let value: Value = serde_json::from_slice(&bytes).unwrap_or_default();
					out(String::from_utf8_lossy(&bytes).to_string(), value)
				},
			}
		},
		Records::Share { record, with, purpose } => {
			let me = ctx.me()?;
			let grantee = ctx.account(&with)?;
			let chain = ctx.chain().await?;
			let grant = records::share(&chain, &me, record, &grantee, purpose.into()).await?;
			out(
				format!("shared record {record} with {grantee}: grant {grant}"),
				json!({ "record": record, "grantee": grantee.to_string(), "grant": grant }),
			)
		},
		Records::Unshare { record, with } => {
			let me = ctx.me()?;
			let grantee = ctx.account(&with)?;
			let chain = ctx.chain().await?;
			let (block, revoked) = records::unshare(&chain, &me, record, &grantee).await?;
			let ended = match revoked.as_slice() {
				[] => String::new(),
				grants => format!(
					" and revoked grant{} {}",
					if grants.len() == 1 { "" } else { "s" },
					grants.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
				),
			};
			out(
				format!("removed {grantee}'s key of record {record}{ended} in block #{block}"),
				json!({
					"record": record,
					"grantee": grantee.to_string(),
					"revoked": revoked,
					"block": block
				}),
			)
		},
		Records::Erase { record } => {
			let me = ctx.me()?;
			let store = ctx.store()?;
			let chain = ctx.chain().await?;
			let versions = records::erase(&chain, &store, &me, record).await?;
			out(
				format!("erased record {record} ({versions} version(s) deleted from the store)"),
				json!({ "record": record, "versions": versions }),
			)
		},
	}
}

async fn consent_cmd(ctx: &Context, cmd: Consent) -> Result<Output, Error> {
	match cmd {
		Consent::Grant(args) => {
			let me = ctx.me()?;
			let (grantee, terms) = terms(ctx, &args)?;
			let chain = ctx.chain().await?;
			let grant = consent::grant(&chain, &me, grantee, &terms).await?;
			out(format!("granted: grant {grant}"), json!({ "grant": grant }))
		},
		Consent::Offer { patient, terms: args } => {
			let me = ctx.me()?;
			let patient = ctx.account(&patient)?;
			let (grantee, terms) = terms(ctx, &args)?;
			let chain = ctx.chain().await?;
			let offer = consent::offer(&chain, &me, &patient, grantee, &terms).await?;
			out(format!("offered: offer {offer}"), json!({ "offer": offer }))
		},
		Consent::Accept { offer, classes } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let grant = consent::accept(&chain, &me, offer, &classes).await?;
			out(
				format!("accepted offer {offer}: grant {grant}"),
				json!({ "offer": offer, "grant": grant }),
			)
		},
		Consent::Reject { offer } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = consent::reject(&chain, &me, offer).await?;
			out(
				format!("rejected offer {offer} in block #{block}"),
				json!({ "offer": offer, "block": block }),
			)
		},
		Consent::Revoke { grant } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let (block, pruned) = consent::revoke(&chain, &me, grant).await?;
			out(
				format!(
					"revoked grant {grant} in block #{block}; pruned {} data key{} it had delivered",
					pruned.len(),
					if pruned.len() == 1 { "" } else { "s" }
				),
				json!({
					"grant": grant,
					"block": block,
					"pruned": pruned
						.iter()
						.map(|(record, holder)| json!({ "record": record, "holder": holder.to_string() }))
						.collect::<Vec<_>>(),
				}),
			)
		},
		Consent::List { patient } => {
			let patient = ctx.account_or_me(patient.as_deref())?;
			let chain = ctx.chain().await?;
			let grants = consent::grants_of(&chain, &patient).await?;
			let offers = consent::offers_of(&chain, &patient).await?;
			let key = ctx.known_class_key(&patient);
			let mut lines: Vec<String> = grants
				.iter()
				.map(|g| {
					let state = match &g.ended {
						Some(ending) => format!("ended at #{} ({:?})", ending.at, ending.reason),
						None => "in force".to_string(),
					};
					format!(
						"grant {}\t{:?} to {}\t{:?} for {:?}\tclasses {:?} records {:?}\t{state}",
						g.id,
						g.provision.effect,
						grantee_text(&g.grantee),
						g.provision.actions.0,
						g.provision.purposes.0,
						g.provision
							.classes
							.0
							.iter()
							.map(|tag| classes::describe(tag, key.as_ref()))
							.collect::<Vec<_>>(),
						g.provision.records
					)
				})
				.collect();
			lines.extend(offers.iter().map(|o| {
				format!("offer {}\tfrom {}\tto {}", o.id, o.proposer, grantee_text(&o.grantee))
			}));
			out(
				lines.join("\n"),
				json!({ "grants": serde_json::to_value(&grants).unwrap_or_default(),
				        "offers": serde_json::to_value(&offers).unwrap_or_default() }),
			)
		},
		Consent::Evaluate { patient, actor, action, purpose, class, record, at } => {
			let patient = ctx.account(&patient)?;
			let actor = ctx.account_or_me(actor.as_deref())?;
			let chain = ctx.chain().await?;
			// A record's class tag is on chain; a whole class needs the patient's class key.
			let target = match record {
				Some(record) => match records::info(&chain, record).await?.class_tag {
					Some(class) => consent::AccessTarget::Record { record, class },
					None => return Err(Error::Erased(record)),
				},
				None => consent::AccessTarget::Class(ctx.class_key(&patient)?.tag(class)),
			};
			let decision = consent::evaluate(
				&chain,
				&patient,
				&actor,
				action.into(),
				purpose.into(),
				target,
				at,
			)
			.await?;
			out(
				format!(
					"{} ({:?}{})",
					if decision.permitted { "permitted" } else { "denied" },
					decision.reason,
					decision.grant.map(|g| format!(", grant {g}")).unwrap_or_default()
				),
				serde_json::to_value(&decision).unwrap_or_default(),
			)
		},
		Consent::Log { patient } => {
			let patient = ctx.account_or_me(patient.as_deref())?;
			let chain = ctx.chain().await?;
			let log = consent::access_log(&chain, &patient).await?;
			let key = ctx.known_class_key(&patient);
			let lines: Vec<String> = log
				.iter()
				.map(|r| {
					format!(
						"#{}\tblock {}\t{}\t{}",
						r.seq,
						r.at,
						r.actor,
						log_entry_text(&r.entry, key.as_ref())
					)
				})
				.collect();
			out(lines.join("\n"), serde_json::to_value(&log).unwrap_or_default())
		},
	}
}

async fn trials_cmd(ctx: &Context, cmd: Trials) -> Result<Output, Error> {
	match cmd {
		Trials::Register {
			sponsor,
			registry_id,
			protocol,
			sap,
			primary,
			secondary,
			planned,
			arms,
			results_due_blocks,
		} => {
			let me = ctx.me()?;
			let registration = trials::Registration {
				sponsor,
				registry_id,
				protocol: hash_file(&protocol)?,
				sap: hash_file(&sap)?,
				primary: primary.iter().map(|o| trials::outcome_hash(o)).collect(),
				secondary: secondary.iter().map(|o| trials::outcome_hash(o)).collect(),
				planned_enrolment: planned,
				arms,
				results_due_period: results_due_blocks,
			};
			let chain = ctx.chain().await?;
			let trial = trials::register(&chain, &me, &registration).await?;
			out(format!("registered trial {trial}"), json!({ "trial": trial }))
		},
		Trials::Amend { trial, protocol, sap, primary, secondary, reason } => {
			let me = ctx.me()?;
			let changes = trials::Changes {
				protocol: protocol.as_deref().map(hash_file).transpose()?,
				sap: sap.as_deref().map(hash_file).transpose()?,
				primary: (!primary.is_empty())
					.then(|| primary.iter().map(|o| trials::outcome_hash(o)).collect()),
				secondary: (!secondary.is_empty())
					.then(|| secondary.iter().map(|o| trials::outcome_hash(o)).collect()),
			};
			let chain = ctx.chain().await?;
			let amended =
				trials::amend(&chain, &me, trial, &changes, trials::outcome_hash(&reason)).await?;
			out(
				format!(
					"trial {trial} amended: protocol version {}{}",
					amended.version,
					if amended.outcome_change { " (recorded as an OUTCOME CHANGE)" } else { "" }
				),
				serde_json::to_value(&amended).unwrap_or_default(),
			)
		},
		Trials::AddSite { trial, org } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = trials::add_site(&chain, &me, trial, org).await?;
			out(
				format!("added site {org} to trial {trial} in block #{block}"),
				json!({ "trial": trial, "site": org }),
			)
		},
		Trials::AddInvestigator { trial, investigator } => {
			let me = ctx.me()?;
			let investigator = ctx.account(&investigator)?;
			let chain = ctx.chain().await?;
			let block = trials::add_investigator(&chain, &me, trial, &investigator).await?;
			out(
				format!("added investigator {investigator} to trial {trial} in block #{block}"),
				json!({ "trial": trial, "investigator": investigator.to_string() }),
			)
		},
		Trials::PublishConsentForm { trial, file } => {
			let me = ctx.me()?;
			let hash = hash_file(&file)?;
			let chain = ctx.chain().await?;
			let version = trials::publish_consent_form(&chain, &me, trial, hash).await?;
			out(
				format!("published consent form version {version} of trial {trial}"),
				json!({ "trial": trial, "version": version, "hash": hex::encode(hash) }),
			)
		},
		Trials::Seed { trial } => {
			let (path, commitment) = trials::new_seed(&ctx.home, trial)?;
			out(
				format!(
					"allocation seed of trial {trial} kept in {}; commitment {}",
					path.display(),
					hex::encode(commitment)
				),
				json!({ "trial": trial, "seed_file": path, "commitment": hex::encode(commitment) }),
			)
		},
		Trials::Open { trial, randomiser, commitment } => {
			let me = ctx.me()?;
			let randomiser = ctx.account(&randomiser)?;
			let commitment = trials::parse_hex32(&commitment, "--commitment")?;
			let chain = ctx.chain().await?;
			let block =
				trials::open_recruitment(&chain, &me, trial, &randomiser, commitment).await?;
			out(
				format!(
					"recruitment of trial {trial} open in block #{block}; randomiser {randomiser}"
				),
				json!({ "trial": trial, "randomiser": randomiser.to_string() }),
			)
		},
		Trials::ResearchKey => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let ring = trials::register_research_key(&chain, &me).await?;
			out(
				format!("research key registered in ring {ring}"),
				json!({ "ring": ring, "key": hex::encode(trials::research_key(&me)) }),
			)
		},
		Trials::Close { trial } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = trials::close_recruitment(&chain, &me, trial).await?;
			out(
				format!("recruitment of trial {trial} closed in block #{block}"),
				json!({ "trial": trial }),
			)
		},
		Trials::Enrol { trial, consent_form } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let form = match consent_form {
				Some(form) => form,
				None => trials::status(&chain, trial).await?.trial.consent_form,
			};
			let pseudonym = trials::enrol(&chain, &me, trial, form).await?;
			out(
				format!(
					"enrolled in trial {trial} on consent form {form} as {}",
					hex::encode(pseudonym)
				),
				json!({ "trial": trial, "consent_form": form, "pseudonym": hex::encode(pseudonym) }),
			)
		},
		Trials::Reconsent { trial } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let form = trials::status(&chain, trial).await?.trial.consent_form;
			let block = trials::reconsent(&chain, &me, trial, form).await?;
			out(
				format!("re-consented to trial {trial} on consent form {form} in block #{block}"),
				json!({ "trial": trial, "consent_form": form }),
			)
		},
		Trials::Withdraw { trial } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = trials::withdraw(&chain, &me, trial).await?;
			out(
				format!("withdrew from trial {trial} in block #{block}"),
				json!({ "trial": trial, "block": block }),
			)
		},
		Trials::Me { trial } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let pseudonym = trials::pseudonym(&chain.api().genesis_hash().0, trial, &me);
			let info = trials::participant(&chain, trial, pseudonym).await?;
			out(
				format!(
					"pseudonym {} in trial {trial}: {}",
					hex::encode(pseudonym),
					match &info {
						Some(i) => format!("{:?}", i),
						None => "not enrolled".into(),
					}
				),
				json!({ "pseudonym": hex::encode(pseudonym), "participant": debug_json(&info) }),
			)
		},
		Trials::Anchor { trial, file, participant, visit, batch } => {
			let me = ctx.me()?;
			let subject = match (participant, visit, batch) {
				(Some(p), Some(visit), None) => trials::Subject::Participant {
					pseudonym: trials::parse_hex32(&p, "--participant")?,
					visit,
				},
				(None, None, Some(batch)) => trials::Subject::Batch(batch),
				_ => {
					return Err(Error::Usage(
						"name the data: --participant <pseudonym> --visit <n>, or --batch <n>"
							.into(),
					))
				},
			};
			let hash = hash_file(&file)?;
			let chain = ctx.chain().await?;
			let seq = trials::anchor_data(&chain, &me, trial, subject, hash).await?;
			out(
				format!("anchored dataset {seq} of trial {trial} ({})", hex::encode(hash)),
				json!({ "trial": trial, "seq": seq, "hash": hex::encode(hash) }),
			)
		},
		Trials::Lock { trial, file } => {
			let me = ctx.me()?;
			let root = hash_file(&file)?;
			let chain = ctx.chain().await?;
			let block = trials::lock(&chain, &me, trial, root).await?;
			out(
				format!(
					"locked the data of trial {trial} (root {}) in block #{block}",
					hex::encode(root)
				),
				json!({ "trial": trial, "root": hex::encode(root) }),
			)
		},
		Trials::Reveal { trial } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = trials::reveal(&chain, &me, &ctx.home, trial).await?;
			out(
				format!("revealed the allocation of trial {trial} in block #{block}"),
				json!({ "trial": trial }),
			)
		},
		Trials::PublishResults { trial, file, link } => {
			let me = ctx.me()?;
			let hash = hash_file(&file)?;
			let chain = ctx.chain().await?;
			let late = trials::publish_results(&chain, &me, trial, hash, &link).await?;
			out(
				format!(
					"published the results of trial {trial}{}",
					if late { " (LATE)" } else { " (on time)" }
				),
				json!({ "trial": trial, "hash": hex::encode(hash), "late": late }),
			)
		},
		Trials::Terminate { trial, reason } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block =
				trials::terminate(&chain, &me, trial, trials::outcome_hash(&reason)).await?;
			out(format!("terminated trial {trial} in block #{block}"), json!({ "trial": trial }))
		},
		Trials::Status { trial } => {
			let chain = ctx.chain().await?;
			let info = trials::status(&chain, trial).await?;
			let amendments = trials::amendments(&chain, trial).await?;
			let t = &info.trial;
			let text = format!(
				"trial {trial}: {:?}, sponsor {}, protocol version {}, enrolled {} (withdrawn {}), \
				 datasets {}, consent form {}, outcome changes {}, results due at #{}{}",
				t.status,
				t.sponsor,
				t.protocol_version,
				t.enrolled,
				t.withdrawn,
				t.data_anchors,
				t.consent_form,
				t.outcome_changes,
				t.results_due,
				if t.results.is_some() { ", results published" } else { "" }
			);
			out(
				text,
				json!({
					"trial": serde_json::to_value(&info).unwrap_or_default(),
					"amendments": serde_json::to_value(&amendments).unwrap_or_default(),
				}),
			)
		},
		Trials::Overdue => {
			let chain = ctx.chain().await?;
			let overdue = trials::overdue(&chain).await?;
			let lines: Vec<String> = overdue
				.iter()
				.map(|(id, due)| format!("trial {id}\tresults due at #{due}"))
				.collect();
			out(
				if lines.is_empty() {
					"no trial's results are overdue".into()
				} else {
					lines.join("\n")
				},
				json!(overdue
					.iter()
					.map(|(id, due)| json!({ "trial": id, "due": due }))
					.collect::<Vec<_>>()),
			)
		},
	}
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	let json = cli.json;
	match run(cli).await {
		Ok(output) => {
			if json {
				println!("{}", serde_json::to_string_pretty(&output.json).unwrap_or_default());
			} else if !output.text.is_empty() {
				println!("{}", output.text);
			}
			ExitCode::SUCCESS
		},
		Err(error) => {
			if json {
				let refusal = match &error {
					Error::Chain(e) => e.refusal().map(|(p, e)| format!("{p}::{e}")),
					_ => None,
				};
				eprintln!("{}", json!({ "error": error.to_string(), "refused": refusal }));
			}
			eprintln!("error: {error}");
			match error {
				Error::Usage(_) => ExitCode::from(2),
				_ => ExitCode::FAILURE,
			}
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// M8: `keys import --suri` put the secret in `ps` and shell history.
	#[test]
	fn m8_a_real_secret_is_refused_on_the_command_line_and_read_from_stdin() {
		let phrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
		let refused = secret_uri(Some(phrase.into()), &mut &b""[..]).unwrap_err();
		assert!(matches!(&refused, Error::Usage(m) if m.contains("standard input")), "{refused}");
		assert!(!refused.to_string().contains("bottom"), "the error repeats the secret");
		let seed = "0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
		assert!(secret_uri(Some(seed.into()), &mut &b""[..]).is_err());
		assert!(secret_uri(Some("//Alice with words".into()), &mut &b""[..]).is_err());
		// A development URI is public knowledge.
		assert_eq!(secret_uri(Some("//Alice".into()), &mut &b""[..]).unwrap().as_str(), "//Alice");
		// On standard input: the first line, without its line end.
		let mut input = format!("{phrase}\r\nsecond line\n").into_bytes();
		assert_eq!(secret_uri(None, &mut &input[..]).unwrap().as_str(), phrase);
		input.clear();
		let empty = secret_uri(None, &mut &input[..]).unwrap_err();
		assert!(matches!(empty, Error::Usage(_)), "{empty}");
		assert!(secret_uri(None, &mut &b"  \n"[..]).is_err());
	}
}
