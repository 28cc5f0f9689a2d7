//! The command line: every command, its arguments and their help (clap). The handlers are in
//! `commands/`, one module per command group.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use medchain_client::{chain::DEFAULT_URL, classes::DataClass, recovery};
use medchain_primitives::{ConsentAction, OrganisationKind, PractitionerRole, PurposeOfUse};

#[derive(Parser)]
#[command(
	name = "medchain",
	version,
	about = "MedChain client: records, consent, clinical trials and prescriptions"
)]
pub(crate) struct Cli {
	/// The node's WebSocket URL.
	#[arg(long, global = true, env = "MEDCHAIN_URL", default_value = DEFAULT_URL)]
	pub(crate) url: String,
	/// The MedChain home directory (identities in `keys/`, allocation seeds in `trials/`).
	#[arg(long, global = true, env = "MEDCHAIN_HOME")]
	pub(crate) home: Option<PathBuf>,
	/// The identity to act as (a key file name in `<home>/keys`).
	#[arg(long = "as", global = true, env = "MEDCHAIN_AS")]
	pub(crate) identity: Option<String>,
	/// The document store directory (default `<home>/store`).
	#[arg(long, global = true, env = "MEDCHAIN_STORE")]
	pub(crate) store: Option<PathBuf>,
	/// A file (readable by you only) whose first line is the passphrase that seals your key
	/// files. Without it, the passphrase is asked for at the terminal when a sealed key file
	/// is opened or a new one written.
	#[arg(long, global = true, env = "MEDCHAIN_PASSPHRASE_FILE")]
	pub(crate) passphrase_file: Option<PathBuf>,
	/// Print results as JSON.
	#[arg(long, global = true)]
	pub(crate) json: bool,
	/// Seconds to wait for each answer from the node.
	#[arg(long, global = true, default_value_t = 60)]
	pub(crate) timeout: u64,
	#[command(subcommand)]
	pub(crate) command: Command,
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
	/// Prescriptions: prescribe, choose a pharmacy, reserve, dispense, release, cancel, show.
	#[command(subcommand)]
	Prescriptions(Prescriptions),
	/// Medicine batches: license suppliers, register, ship, receive, recall, show, trace.
	#[command(subcommand)]
	Batches(Batches),
	/// Insurance claims: coverage offered and accepted, claims for recorded care, decisions,
	/// disputes, the payer's escrow and settlements, and the ExplanationOfBenefit.
	#[command(subcommand)]
	Claims(ClaimsCmd),
	/// Engagement rewards: open and fund a pool, attest an appointment kept or a survey
	/// answered (the patient is paid at once), check an attestation, show, close.
	#[command(subcommand)]
	Rewards(RewardsCmd),
}

#[derive(Subcommand)]
pub(crate) enum ClaimsCmd {
	/// Offer a member a coverage (the payer's admin): the plan (a FHIR Coverage) is committed
	/// to on chain; the file for the member (the plan and its salt) is written to `--out`.
	Offer {
		/// The payer (its organisation id).
		#[arg(long)]
		payer: u32,
		/// The member (their account known to the providers: identity name or SS58).
		#[arg(long)]
		member: String,
		/// The plan (FHIR Coverage JSON).
		#[arg(long)]
		plan: PathBuf,
		/// How long it runs, in days from now.
		#[arg(long)]
		days: u32,
		/// Where to write the plan's file for the member.
		#[arg(long)]
		out: PathBuf,
	},
	/// Accept a coverage (the member), having checked the plan's file against the chain.
	Accept {
		/// The coverage.
		coverage: u64,
		/// The plan's file the payer gave.
		#[arg(long)]
		plan: PathBuf,
	},
	/// End a coverage (its payer's admin or its member); its open claims go on.
	EndCoverage {
		/// The coverage.
		coverage: u64,
	},
	/// Claim recorded care (a provider's physician or claims officer): the records billed,
	/// all about the coverage's member and held by your organisation, and the FHIR Claim,
	/// committed to on chain; its file for the payer is written to `--out`. The payer's claims
	/// officers may then read those records, and only those, until the claim ends.
	Submit {
		/// The coverage billed.
		#[arg(long)]
		coverage: u64,
		/// The records of the care (ids, comma-separated).
		#[arg(long, value_delimiter = ',', required = true)]
		records: Vec<u64>,
		/// The Claim (FHIR JSON).
		#[arg(long)]
		file: PathBuf,
		/// Where to write the claim's file for the payer.
		#[arg(long)]
		out: PathBuf,
	},
	/// Decide a claim (the payer's claims officer), having checked the claim's file against
	/// the chain: approved, partial or denied with a reason; the ClaimResponse is committed to
	/// on chain and its file written to `--out` for the provider and the member.
	Decide {
		/// The claim.
		claim: u64,
		/// The claim's file the provider gave.
		#[arg(long = "claim-file")]
		claim_file: PathBuf,
		/// The decision.
		#[arg(long, value_parser = ["approved", "partial", "denied"])]
		decision: String,
		/// Why it was denied: not-covered, duplicate, missing-information, no-authorisation,
		/// late-submission or other.
		#[arg(long, required_if_eq("decision", "denied"))]
		reason: Option<String>,
		/// The ClaimResponse (FHIR JSON).
		#[arg(long)]
		response: PathBuf,
		/// Where to write the response's file.
		#[arg(long)]
		out: PathBuf,
	},
	/// Dispute a decision (the provider or the member, within the window): the grounds (a
	/// FHIR Communication) are committed to on chain and their file written to `--out`.
	Dispute {
		/// The claim.
		claim: u64,
		/// The grounds (FHIR Communication JSON).
		#[arg(long)]
		grounds: PathBuf,
		/// Where to write the grounds' file for the payer.
		#[arg(long)]
		out: PathBuf,
	},
	/// Accept a decision (the provider's staff or the member), waiving your dispute: once both
	/// sides accepted, it is final at once.
	AcceptDecision {
		/// The claim.
		claim: u64,
	},
	/// Withdraw a claim not yet final (its provider's staff).
	Withdraw {
		/// The claim.
		claim: u64,
	},
	/// Make a decision final once its window to dispute is over (anyone).
	Close {
		/// The claim.
		claim: u64,
	},
	/// Put MED into your payer's escrow (its admin).
	FundEscrow {
		/// The payer.
		#[arg(long)]
		payer: u32,
		/// How much (MED).
		#[arg(long)]
		amount: String,
	},
	/// Take MED out of your payer's escrow (its admin), above what open claims need.
	WithdrawEscrow {
		/// The payer.
		#[arg(long)]
		payer: u32,
		/// How much (MED).
		#[arg(long)]
		amount: String,
	},
	/// Pay a provider for final approved claims from the escrow (the payer's claims officer):
	/// one total, and the PaymentReconciliation listing each claim's part, committed to.
	Settle {
		/// The provider.
		#[arg(long)]
		provider: u32,
		/// The claims paid (ids, comma-separated).
		#[arg(long, value_delimiter = ',', required = true)]
		claims: Vec<u64>,
		/// The total (MED).
		#[arg(long)]
		total: String,
		/// The statement (FHIR PaymentReconciliation JSON).
		#[arg(long)]
		statement: PathBuf,
		/// Where to write the statement's file for the provider.
		#[arg(long)]
		out: PathBuf,
	},
	/// A claim as the chain has it.
	Show {
		/// The claim.
		claim: u64,
	},
	/// Claims: about a member (default: you), submitted by a provider, or billed to a payer.
	List {
		/// A member (identity name or SS58).
		#[arg(long, conflicts_with_all = ["provider", "payer"])]
		member: Option<String>,
		/// A provider (organisation id).
		#[arg(long, conflicts_with = "payer")]
		provider: Option<u32>,
		/// A payer (organisation id).
		#[arg(long)]
		payer: Option<u32>,
	},
	/// A coverage as the chain has it.
	Coverage {
		/// The coverage.
		coverage: u64,
	},
	/// A payer's escrow: what it holds and what open claims need.
	Escrow {
		/// The payer.
		#[arg(long)]
		payer: u32,
	},
	/// The FHIR ExplanationOfBenefit of a claim (the member): from the claim's and the
	/// response's files, each checked against the chain, and the chain's state of the claim.
	Eob {
		/// The claim.
		claim: u64,
		/// The claim's file.
		#[arg(long = "claim-file")]
		claim_file: PathBuf,
		/// The response's file (a claim not decided yet has none).
		#[arg(long = "response-file")]
		response_file: Option<PathBuf>,
		/// Where to write it (default: print it).
		#[arg(long)]
		out: Option<PathBuf>,
	},
}

#[derive(Subcommand)]
pub(crate) enum RewardsCmd {
	/// Open a reward pool for your organisation (its admin): what it pays per event, in MED,
	/// and the most one patient receives in a period.
	CreatePool {
		/// The organisation (its id).
		#[arg(long)]
		organisation: u32,
		/// What an appointment kept pays (MED; 0: not rewarded).
		#[arg(long, default_value = "0")]
		appointment: String,
		/// What a survey answered pays (MED; 0: not rewarded).
		#[arg(long, default_value = "0")]
		survey: String,
		/// What a visit of a participant in a trial your organisation sponsors pays (MED; 0:
		/// not rewarded).
		#[arg(long, default_value = "0")]
		visit: String,
		/// The most one patient (or trial participant) receives in one period (MED).
		#[arg(long)]
		cap: String,
		/// The period, in days.
		#[arg(long)]
		period_days: u32,
	},
	/// Put MED into a pool (anyone: the organisation, a sponsor).
	Fund {
		/// The pool.
		pool: u32,
		/// How much (MED).
		#[arg(long)]
		amount: String,
	},
	/// Attest that a patient kept an appointment or answered a survey (an active practitioner
	/// of the pool's organisation): the document is checked to record the event and committed
	/// to under a fresh salt; the pool pays the patient at once. Give the patient the salt.
	Attest {
		/// The pool.
		pool: u32,
		/// The patient (their account at your organisation: an identity name or SS58); with
		/// `--record`, the record's patient (checked when given).
		#[arg(long, required_unless_present = "record")]
		patient: Option<String>,
		/// The kind of event.
		#[arg(long, value_parser = ["appointment", "survey"])]
		kind: String,
		/// The FHIR resource that records it: an Appointment (fulfilled) or Encounter
		/// (completed) for an appointment, a QuestionnaireResponse (completed) for a survey.
		#[arg(long, required_unless_present = "record", conflicts_with = "record")]
		file: Option<PathBuf>,
		/// For a survey: the record the patient anchored with their answer (self-reported,
		/// shared with you); it is read under their consent and checked against the chain.
		#[arg(long)]
		record: Option<u64>,
	},
	/// Claim the reward for a visit of yours in a trial (a participant): a ring proof that the
	/// visit the trial's data anchor records is yours, naming no account of yours; the pool
	/// pays the account you choose (a new one keeps it apart from your patient account).
	ClaimVisit {
		/// The pool (of the trial's sponsor).
		pool: u32,
		/// The trial.
		#[arg(long)]
		trial: u32,
		/// The data anchor recording the visit (its sequence number in the trial).
		#[arg(long)]
		seq: u32,
		/// The account to pay (an identity name or SS58).
		#[arg(long)]
		payee: String,
	},
	/// Check an attestation (the patient, an auditor): recompute it from the document and the
	/// salt, and find it among what the pool paid for.
	Check {
		/// The pool.
		pool: u32,
		/// The patient (identity name or SS58; default: you).
		#[arg(long)]
		patient: Option<String>,
		/// The kind of event.
		#[arg(long, value_parser = ["appointment", "survey"])]
		kind: String,
		/// The FHIR resource.
		#[arg(long)]
		file: PathBuf,
		/// The salt the practitioner gave (`0x` and 64 hex digits).
		#[arg(long)]
		salt: String,
	},
	/// A pool: its rates, cap, period, what it holds and paid; with `--patient`, what they
	/// received this period; with `--trial`, what you received as a participant of that trial.
	Show {
		/// The pool.
		pool: u32,
		/// A patient (identity name or SS58).
		#[arg(long)]
		patient: Option<String>,
		/// A trial you take part in.
		#[arg(long)]
		trial: Option<u32>,
	},
	/// The pools of an organisation.
	List {
		/// The organisation (its id).
		#[arg(long)]
		organisation: u32,
	},
	/// Close a pool (its organisation's admin): it pays nothing more and what it holds comes
	/// back to you.
	Close {
		/// The pool.
		pool: u32,
	},
}

#[derive(Subcommand)]
pub(crate) enum Prescriptions {
	/// Prescribe (an active physician): the MedicationRequest file's commitment goes on chain
	/// under a new one-time key, and the patient's copy (the key's secret and the salts) is
	/// written for the patient. Anchor the document itself as the patient's record with
	/// `medchain records add`, in another block.
	Prescribe {
		/// The MedicationRequest (FHIR JSON).
		#[arg(long)]
		file: PathBuf,
		/// How many fills it allows.
		#[arg(long, default_value_t = 1)]
		fills: u8,
		/// How long it stays valid, in days.
		#[arg(long)]
		valid_days: u32,
		/// The controlled-substance schedule (none, i … v).
		#[arg(long, default_value = "none")]
		schedule: String,
		/// Where to write the patient's copy (a secret: whoever holds it chooses the pharmacy).
		#[arg(long)]
		copy: PathBuf,
	},
	/// Choose a pharmacy (the patient): prints the one-time code to show at its counter.
	Choose {
		/// The patient's copy of the prescription.
		#[arg(long)]
		copy: PathBuf,
		/// The pharmacy (its organisation id).
		#[arg(long)]
		pharmacy: u32,
	},
	/// Reserve the next fill for your pharmacy (a pharmacist): with the patient's code, or
	/// with `--prescription` at the pharmacy the patient chose before.
	Reserve {
		/// The patient's code (`rx1-…`).
		#[arg(conflicts_with = "prescription", required_unless_present = "prescription")]
		code: Option<String>,
		/// The prescription (`0x` and 64 hex digits), without a new code.
		#[arg(long)]
		prescription: Option<String>,
	},
	/// Dispense the reserved fill from a batch your pharmacy holds (a pharmacist).
	Dispense {
		/// The prescription.
		prescription: String,
		/// The batch (its id, `0x` and 64 hex digits).
		#[arg(long)]
		batch: String,
		/// The MedicationDispense (FHIR JSON): its commitment goes on chain.
		#[arg(long)]
		file: PathBuf,
		/// Dispense part of the fill only (the fill stays reserved for the rest).
		#[arg(long)]
		partial: bool,
	},
	/// Give back a reserved fill nothing was dispensed from (a pharmacist).
	Release {
		/// The prescription.
		prescription: String,
	},
	/// Cancel a prescription (its prescriber, or their organisation's admin).
	Cancel {
		/// The prescription.
		prescription: String,
	},
	/// A prescription as the chain has it, with its dispenses and whether the batch of each has
	/// been recalled since (what the patient checks from their copy: no recall names them).
	Show {
		/// The prescription …
		#[arg(required_unless_present = "copy")]
		prescription: Option<String>,
		/// … or the patient's copy, which names it.
		#[arg(long, conflicts_with = "prescription")]
		copy: Option<PathBuf>,
	},
}

#[derive(Subcommand)]
pub(crate) enum Batches {
	/// License a manufacturer or wholesaler: as the sudo key (a development chain), or with
	/// `--council` as a council member proposing it (a majority licenses).
	License {
		/// The supplier (an identity name or an SS58 address).
		supplier: String,
		/// What it is.
		#[arg(long, value_parser = ["manufacturer", "wholesaler"])]
		kind: String,
		/// Propose it as a council motion instead of using sudo.
		#[arg(long)]
		council: bool,
	},
	/// Revoke a supplier's licence: as the sudo key, or with `--council` by a council motion.
	/// Its batches stay; it registers, ships or receives no more.
	Revoke {
		/// The supplier (an identity name or an SS58 address).
		supplier: String,
		/// Propose it as a council motion instead of using sudo.
		#[arg(long)]
		council: bool,
	},
	/// Register a batch (a licensed manufacturer): its id and commitments to product and
	/// expiry go on chain; the label (with its salt) is written for the packs.
	Register {
		/// The product's GTIN (8, 12, 13 or 14 digits).
		#[arg(long)]
		gtin: String,
		/// The batch (lot) number.
		#[arg(long)]
		batch_number: String,
		/// The expiry date (YYYY-MM-DD).
		#[arg(long)]
		expiry: String,
		/// Where to write the label.
		#[arg(long)]
		label: PathBuf,
	},
	/// Ship (part of) a batch you hold to a licensed supplier or a pharmacy.
	Ship {
		/// The batch.
		batch: String,
		/// A supplier's account (an identity name or an SS58 address) …
		#[arg(long, conflicts_with = "to_pharmacy", required_unless_present = "to_pharmacy")]
		to_supplier: Option<String>,
		/// … or a pharmacy (its organisation id).
		#[arg(long)]
		to_pharmacy: Option<u32>,
	},
	/// Withdraw a shipment not yet received (its sender).
	CancelShipment {
		/// The batch.
		batch: String,
		/// The supplier it was shipped to …
		#[arg(long, conflicts_with = "to_pharmacy", required_unless_present = "to_pharmacy")]
		to_supplier: Option<String>,
		/// … or the pharmacy.
		#[arg(long)]
		to_pharmacy: Option<u32>,
	},
	/// Confirm receipt of a shipment (the supplier, or a pharmacist for their pharmacy).
	Receive {
		/// The batch.
		batch: String,
	},
	/// Recall a batch (its manufacturer): dispensing from it is refused from now on.
	Recall {
		/// The batch.
		batch: String,
		/// The recall notice (only its hash goes on chain).
		#[arg(long)]
		notice: String,
	},
	/// A batch as the chain has it, with who holds it.
	Show {
		/// The batch.
		batch: String,
	},
	/// The dispenses that named a batch: what a recall traces.
	Trace {
		/// The batch.
		batch: String,
	},
}

#[derive(Subcommand)]
pub(crate) enum RecoveryCmd {
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
pub(crate) enum Keys {
	/// Create a new identity (a fresh 24-word phrase and encryption key pair). Its key file is
	/// sealed under your passphrase (`--passphrase-file`, or typed twice at the terminal).
	Generate {
		/// The identity's name.
		#[arg(long)]
		name: String,
		/// Write the key file unsealed (no passphrase): for tests and throwaway identities only,
		/// since whoever copies the file then holds the identity.
		#[arg(long)]
		plaintext: bool,
	},
	/// Create an identity from an existing secret URI (a phrase or a `0x` seed), with a fresh
	/// encryption key pair. The secret is read from standard input: typed at a prompt that does
	/// not echo, or piped (`medchain keys import --name x < secret.txt`). The key file is sealed
	/// under your passphrase, as `generate` does.
	Import {
		/// The identity's name.
		#[arg(long)]
		name: String,
		/// A well-known development account only (`//Alice`, `//Bob`, …, public knowledge). Any
		/// other secret on the command line would be visible to every user of the machine (`ps`)
		/// and kept in shell history, so it is refused: give it on standard input. A
		/// development account's key file is written unsealed (its secret is public).
		#[arg(long)]
		suri: Option<String>,
		/// Write the key file unsealed (no passphrase): for tests and throwaway identities only,
		/// since whoever copies the file then holds the identity.
		#[arg(long)]
		plaintext: bool,
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
		/// Write the key file unsealed (no passphrase): for tests and throwaway identities only,
		/// since whoever copies the file then holds the identity.
		#[arg(long)]
		plaintext: bool,
	},
	/// Your own account at an organisation that treats you, derived from yours so that nobody
	/// else can link the two, with keys of its own; registered as a patient (free). Use it
	/// (`--as <name>-org-<id>`) for everything at that organisation: its card, your grants and
	/// shares, your records and log there. Running it again finishes what a failure left.
	Alias {
		/// The organisation's id.
		#[arg(long = "for", value_name = "ORGANISATION")]
		organisation: u32,
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
pub(crate) enum CouncilCmd {
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
pub(crate) enum Patients {
	/// Keep a patient's card (from `medchain keys card`) so that you can anchor their records
	/// and read the data classes of their records, grants and log.
	Import {
		/// The card file.
		file: PathBuf,
	},
}

#[derive(Subcommand)]
pub(crate) enum Dir {
	/// Register an organisation: as the sudo key (a development chain), or with `--council` as a
	/// council member proposing it to the council (a majority registers).
	RegisterOrg {
		/// Its name.
		#[arg(long)]
		name: String,
		/// Its kind.
		#[arg(long, value_enum, default_value = "hospital")]
		kind: OrganisationKind,
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
		role: PractitionerRole,
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
	/// Leave the directory as a patient: your grants in force are revoked, then your
	/// registration is removed and its pseudonym retired. Refused while a record that is not
	/// erased names you (erase it first with `records erase`).
	DeregisterPatient,
	/// What the chain knows of an account.
	Show {
		/// An identity name or an SS58 address.
		account: String,
	},
	/// Publish (or replace) your organisation's custodian gateway, as its admin. Unless
	/// `--unchecked`, the gateway must answer at the endpoint as that account with that key
	/// first, so a typing mistake never sends other institutions to the wrong place.
	SetGateway {
		/// The organisation's id.
		#[arg(long)]
		org: u32,
		/// The gateway's account (its `keys show` on the gateway's machine; an SS58 address or
		/// an identity name).
		#[arg(long)]
		account: String,
		/// Its base URL (`https://host[:port]` or `http://…`).
		#[arg(long)]
		endpoint: String,
		/// Its X25519 encryption public key (hex; `encryption_public` of its `keys show`).
		#[arg(long)]
		encryption_key: String,
		/// Publish without asking the gateway first (it is not running yet).
		#[arg(long)]
		unchecked: bool,
	},
	/// Withdraw your organisation's custodian gateway, as its admin.
	RemoveGateway {
		/// The organisation's id.
		#[arg(long)]
		org: u32,
	},
	/// An organisation's custodian gateway as the directory publishes it (read with a proof).
	Gateway {
		/// The organisation's id.
		#[arg(long)]
		org: u32,
	},
}

#[derive(Subcommand)]
pub(crate) enum Records {
	/// Encrypt a FHIR R5 JSON resource or bundle, store it and anchor it (a practitioner; a
	/// patient naming themself anchors a self-reported record, which no organisation holds).
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
		/// Reach your organisation's custodian gateway at this URL instead of the endpoint the
		/// directory publishes. Without a published gateway the document goes to the local
		/// store.
		#[arg(long)]
		gateway: Option<String>,
	},
	/// Anchor a new version of a record. A record whose custodian published a gateway is
	/// amended through it: the current version is read there (a receipted read), the new one
	/// deposited there; otherwise through the local store.
	Amend {
		/// The record's id.
		record: u64,
		/// The FHIR JSON file.
		#[arg(long)]
		file: PathBuf,
		/// Why the current version is read (through a gateway).
		#[arg(long, value_enum, default_value = "treatment")]
		purpose: PurposeOfUse,
		/// Reach the custodian's gateway at this URL instead of the endpoint the directory
		/// publishes (its account is still the directory's).
		#[arg(long)]
		gateway: Option<String>,
	},
	/// Search custodian gateways for a patient's records: each match is a receipted read;
	/// what consent releases is checked against the chain and opened.
	Search {
		/// The patient (an identity name or an SS58 address).
		#[arg(long)]
		patient: String,
		/// Only documents of this FHIR resource type (e.g. Observation).
		#[arg(long = "type")]
		resource_type: Option<String>,
		/// Why.
		#[arg(long, value_enum, default_value = "treatment")]
		purpose: PurposeOfUse,
		/// Search only this organisation's gateway (default: the gateway of every custodian of
		/// the patient's records).
		#[arg(long)]
		gateway_org: Option<u32>,
		/// Reach that organisation's gateway at this URL instead of the endpoint the directory
		/// publishes.
		#[arg(long, requires = "gateway_org")]
		gateway: Option<String>,
		/// Write each document as `record-<id>.json` into this directory (created if absent;
		/// files readable by you only, none overwritten) instead of printing them.
		#[arg(long)]
		out: Option<PathBuf>,
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
		purpose: PurposeOfUse,
		/// A version other than the current one.
		#[arg(long)]
		version: Option<u32>,
		/// Read through this organisation's custodian gateway (default: the record's
		/// custodian's, when it has published one; otherwise the local document store).
		#[arg(long)]
		gateway_org: Option<u32>,
		/// Reach the gateway at this URL instead of the endpoint the directory publishes (its
		/// account is still the directory's).
		#[arg(long)]
		gateway: Option<String>,
		/// Write the document here instead of stdout: a new file readable by you only (an
		/// existing file is never overwritten).
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Share a record. The patient: a read grant for it and its key wrapped for the grantee. A
	/// practitioner of its custodian: its key wrapped for the grantee, if the patient's consent
	/// lets the practitioner share it for the purpose and the grantee read it (a claim's payer).
	Share {
		/// The record's id.
		record: u64,
		/// The grantee (an identity name or an SS58 address).
		#[arg(long)]
		with: String,
		/// For what.
		#[arg(long, value_enum, default_value = "treatment")]
		purpose: PurposeOfUse,
	},
	/// Remove an account's wrapped key of a record.
	Unshare {
		/// The record's id.
		record: u64,
		/// The account (an identity name or an SS58 address).
		#[arg(long)]
		with: String,
	},
	/// Anchor a batch of record versions by one Merkle root (a gateway's batch, a day's work):
	/// reads the leaves (one JSON object per line: patient, class, ciphertext_hash,
	/// plaintext_commitment, cid), writes every version's inclusion proof, one per line in leaf
	/// order, then anchors the root: the proofs are written to `<proofs>.pending` first and
	/// renamed to the new file `<proofs>` once the batch is on chain. As an active
	/// practitioner; your organisation is the batch's custodian.
	AnchorBatch {
		/// The leaves file (JSON lines).
		#[arg(long)]
		leaves: PathBuf,
		/// Where to write the proofs (a new file).
		#[arg(long)]
		proofs: PathBuf,
	},
	/// Verify a record version anchored in a batch: its inclusion proof against the root on
	/// chain (the only thing read from the node, with storage proofs, besides consent), the
	/// document against the proof, and that consent let the batch's author write it then.
	VerifyBatch {
		/// A file holding the proof (one JSON object), or a proofs file with `--index`.
		#[arg(long)]
		proof: PathBuf,
		/// The proof's line in a proofs file (from 0: the leaf's index).
		#[arg(long)]
		index: Option<u32>,
		/// The stored document (the ciphertext envelope) to check against the proof.
		#[arg(long)]
		document: Option<PathBuf>,
	},
	/// Erase a record: the chain keeps a tombstone; the ciphertexts are deleted from the store.
	Erase {
		/// The record's id.
		record: u64,
	},
	/// Remove every wrapped key of a patient's records that consent no longer backs (a grant
	/// expired, a practitioner was suspended or left): anyone may, a revocation needs no prune.
	Prune {
		/// The patient (an identity name or an SS58 address); yourself if omitted.
		#[arg(long)]
		patient: Option<String>,
	},
}

#[derive(Args, Clone)]
pub(crate) struct TermsArgs {
	/// Grant to this account (an identity name or an SS58 address)…
	#[arg(long, conflicts_with_all = ["org", "role"])]
	pub(crate) to: Option<String>,
	/// …or to practitioners of this organisation…
	#[arg(long, requires = "role")]
	pub(crate) org: Option<u32>,
	/// …holding this role.
	#[arg(long, value_enum, requires = "org")]
	pub(crate) role: Option<PractitionerRole>,
	/// The actions.
	#[arg(long, value_enum, value_delimiter = ',', default_value = "read")]
	pub(crate) actions: Vec<ConsentAction>,
	/// The purposes.
	#[arg(long, value_enum, value_delimiter = ',', default_value = "treatment")]
	pub(crate) purposes: Vec<PurposeOfUse>,
	/// Whole data classes (general, mental-health, sexual-health, genetic, substance-use); on
	/// chain only as the patient's tags. An offer names none: the patient chooses on accepting.
	#[arg(long, value_delimiter = ',')]
	pub(crate) classes: Vec<DataClass>,
	/// Specific records.
	#[arg(long, value_delimiter = ',')]
	pub(crate) records: Vec<u64>,
	/// A deny grant (overrides permits).
	#[arg(long)]
	pub(crate) deny: bool,
	/// First block of validity.
	#[arg(long)]
	pub(crate) from: Option<u32>,
	/// First block no longer valid.
	#[arg(long)]
	pub(crate) until: Option<u32>,
}

#[derive(Subcommand)]
pub(crate) enum Consent {
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
		action: ConsentAction,
		/// The purpose.
		#[arg(long, value_enum, default_value = "treatment")]
		purpose: PurposeOfUse,
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
	/// Open emergency (break-glass) access to a patient's data, as an emergency physician:
	/// for a limited time you may read (and write) for emergency treatment whatever their
	/// grants say; the opening is on their access log and is reviewed. Only a salted
	/// commitment of the justification goes on chain: keep the note and the salt printed.
	Emergency {
		/// The patient (an identity name or an SS58 address).
		#[arg(long)]
		patient: String,
		/// Why (stays with you; the chain gets its commitment).
		#[arg(long)]
		reason: String,
	},
}

#[derive(Subcommand)]
pub(crate) enum Trials {
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
