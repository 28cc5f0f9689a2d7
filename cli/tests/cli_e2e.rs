//! End-to-end, as a user would: the real `medchain-node` as a dev chain, driven only through the
//! `medchain` command-line tool (its JSON output parsed, its refusals read from stderr).
//!
//! 1. Records: a patient and two providers at two hospitals. The patient takes an account of
//!    their own for hospital A (derived from theirs, registered). Provider A adds a FHIR
//!    Observation under it; the patient shares it with provider B; B reads it back identical; the patient
//!    revokes and B's access receipt is refused on chain; the patient erases the record and
//!    nobody can read it any more; the patient's access log shows each access. Then every
//!    storage value, every block body and every block's events are scanned for the record's
//!    plaintext values (its resource type included) and for its data class in any unsalted
//!    form: none is found, only the patient's salted tag. At the end of the run, nothing on
//!    chain that holds the patient's account at A holds their own account, and nothing that
//!    holds their own account holds an account of the hospitals' staff.
//!    A patient whose account at a hospital lost its key file is told to restore it rather
//!    than handed a new one that opens nothing. A patient leaves the directory once their
//!    record is erased, their grant revoked on the way out (security review L2).
//!    Through a relay that rewrites the node's answers (a hostile RPC node), sharing the
//!    record is refused when provider B's encryption key is swapped for an attacker's, and
//!    amending it when its anchored hash is swapped: nothing is signed (security review M8).
//!    A provider leaves their hospital (the chain answers for the block before as it did then,
//!    and their key is pruned); a patient recovers their account through two guardians.
//! 2. A small trial through the same client (`cli_e2e/trial.rs`), in a test of its own:
//!    registration, site, investigator, consent form, recruitment with an independent
//!    randomiser's committed seed, two patients enrolled in unsigned transactions under
//!    pseudonyms that nothing on chain links to them, data anchored, a withdrawal, a visit
//!    rewarded, lock, reveal, results.
//! 3. Two organisations, each with its custodian gateway on its own PostgreSQL
//!    (`cli_e2e/gateway.rs`), in a test of its own beside this one.
//! 4. A prescription filled exactly as allowed at the pharmacy the patient chose, and its
//!    batch's recall (`cli_e2e/prescriptions.rs`), in a test of its own too.
//! 5. An insurance claim read, decided and paid, a denial disputed, and a kept appointment
//!    rewarded (`cli_e2e/claims.rs`), in a test of its own too.
//!
//! Needs the node binary (and the gateway's) next to the test's target directory: `cargo test
//! --workspace` builds them.

// The node's test helpers keep subxt's (large) error types in closures; the node's own tests
// allow that too.
#![allow(clippy::result_large_err)]

use std::path::Path;

use medchain_client::{
	classes::{ClassKey, DataClass},
	fhir::FhirDocument,
};
use medchain_test_utils::node::LegacyRpc;
use serde_json::Value;

mod common;
use common::{passphrase_file, session, str_of, u64_of, write, Session, User};
// Two organisations and their custodian gateways (issue 14), beside the test below.
#[path = "cli_e2e/gateway.rs"]
mod gateway;
// A claim read, decided and paid, a denial disputed, and a kept appointment rewarded
// (issue 18).
#[path = "cli_e2e/claims.rs"]
mod claims;
// A prescription from physician to pharmacy, and its batch's recall (issue 20).
#[path = "cli_e2e/prescriptions.rs"]
mod prescriptions;
// A clinical trial from registration to its published results.
#[path = "cli_e2e/trial.rs"]
mod trial;

/// The values of the Observation fixture that must never reach the chain, its resource type
/// included (security review H3).
const PLAINTEXT_VALUES: [&str; 8] = [
	"Observation",
	"Jane Quixote-Marchetti",
	"Zanzibar",
	"long-distance swim",
	"8867-4",
	"Heart rate",
	"beats/minute",
	"2026-11-20T09:30:00",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_runs_records_and_consent_on_the_real_node() {
	let Session { node, rpc, home, files, user } =
		session(Some("correct horse battery staple")).await;

	// Identities from the dev chain's endowed accounts (Alice is sudo; Alice, Bob and Charlie sit
	// on the council).
	for (name, suri) in [
		("registrar", "//Alice"),
		("admin-a", "//Bob"),
		("admin-b", "//Ferdie"),
		("provider-a", "//Charlie"),
		("provider-b", "//Dave"),
		("patient", "//Eve"),
		("patient-4", "//Eve//stash"),
	] {
		let imported = user.ok(None, &["keys", "import", "--name", name, "--suri", suri]);
		assert_eq!(imported["sealed"], false, "a development account's secret is public");
	}

	// The directory: two hospitals, a physician at each, their keys, a patient.
	let org_a = user.ok(
		Some("registrar"),
		&["directory", "register-org", "--name", "St Elsewhere", "--admin", "admin-a"],
	);
	let org_a = u64_of(&org_a, "organisation").to_string();
	// The second one by the council of health authorities (Alice, Bob, Charlie on a dev chain):
	// Alice proposes, a non-member's vote is refused, Bob's aye makes the majority, Alice closes.
	let motion = user.ok(
		Some("registrar"),
		&[
			"directory",
			"register-org",
			"--council",
			"--name",
			"County General",
			"--admin",
			"admin-b",
		],
	);
	let hash = str_of(&motion, "hash").to_string();
	assert_eq!(str_of(&motion, "call"), "Directory.register_organisation");
	assert_eq!(u64_of(&motion, "threshold"), 2, "a majority of three");
	let refused = user.fails(Some("patient"), &["council", "vote", &hash, "--aye"]);
	assert!(refused.contains("NotMember"), "{refused}");
	let motions = user.ok(None, &["council", "motions"]);
	assert_eq!(motions["motions"][0]["hash"].as_str(), Some(hash.as_str()));
	let voted = user.ok(Some("admin-a"), &["council", "vote", &hash, "--aye"]);
	assert_eq!(voted["ayes"].as_array().map(Vec::len), Some(2));
	let org_b = user.ok(Some("registrar"), &["council", "close", &hash]);
	assert_eq!(org_b["executed"], true);
	let org_b = u64_of(&org_b, "organisation").to_string();
	assert_eq!(user.ok(None, &["council", "motions"])["motions"], serde_json::json!([]));
	for (admin, org, who) in [("admin-a", &org_a, "provider-a"), ("admin-b", &org_b, "provider-b")]
	{
		user.ok(
			Some(admin),
			&[
				"directory",
				"invite",
				"--org",
				org,
				"--practitioner",
				who,
				"--role",
				"physician",
				"--authority",
				"GMC",
				"--licence",
				"GMC-7000123",
			],
		);
		// M6: an invitation makes nobody a practitioner; only the invited account accepts it.
		let refused = user.fails(Some(who), &["keys", "register"]);
		assert!(refused.contains("PractitionerNotFound"), "{refused}");
		let refused = user.fails(Some("patient"), &["directory", "accept", "--org", org]);
		assert!(refused.contains("InvitationNotFound"), "{refused}");
		user.ok(Some(who), &["directory", "accept", "--org", org]);
		user.ok(Some(who), &["keys", "register"]);
	}
	user.ok(Some("patient"), &["directory", "register-patient"]);

	// A patient whose account has never held a token registers (an unsigned transaction with
	// their signature), grants, revokes and reads their log: their own calls are free.
	// M8: a generated identity's key file is sealed under the passphrase; with no passphrase
	// (no file, no terminal) the CLI will not write it plain unless told to.
	let unsealed = user.with_passphrase(None);
	let refused = unsealed.misused(None, &["keys", "generate", "--name", "patient-0"]);
	assert!(refused.contains("--plaintext"), "{refused}");
	let created = user.ok(None, &["keys", "generate", "--name", "patient-0"]);
	assert_eq!(created["sealed"], true);
	let key_file =
		std::fs::read_to_string(home.path().join("keys/patient-0.json")).expect("the key file");
	assert!(!key_file.contains("secret_uri"), "the secrets are sealed: {key_file}");
	let refused = unsealed.fails(Some("patient-0"), &["keys", "show"]);
	assert!(refused.contains("sealed under a passphrase"), "{refused}");
	let wrong = passphrase_file(files.path(), "wrong", "not the passphrase");
	let refused = user.with_passphrase(Some(&wrong)).fails(Some("patient-0"), &["keys", "show"]);
	assert!(refused.contains("wrong passphrase"), "{refused}");
	user.ok(Some("patient-0"), &["directory", "register-patient"]);
	let granted = user.ok(
		Some("patient-0"),
		&[
			"consent",
			"grant",
			"--org",
			&org_a,
			"--role",
			"physician",
			"--actions",
			"read",
			"--purposes",
			"treatment",
			"--classes",
			"general",
		],
	);
	let free_grant = u64_of(&granted, "grant").to_string();
	user.ok(Some("patient-0"), &["consent", "revoke", &free_grant]);
	let log = user.ok(Some("patient-0"), &["consent", "log"]);
	assert_eq!(log.as_array().map(Vec::len), Some(0), "{log}");

	// H3: hospital A knows the patient by an account of theirs for A alone, derived from
	// theirs, with its own keys, registered as a patient; nothing on chain links it to their
	// account or to their account anywhere else (scanned at the end). Asking again finds it done.
	let refused = user.fails(Some("patient"), &["keys", "alias", "--for", "999"]);
	assert!(refused.contains("organisation 999 is not registered"), "{refused}");
	let at_a = user.ok(Some("patient"), &["keys", "alias", "--for", &org_a]);
	assert_eq!((&at_a["created"], &at_a["registered"]), (&Value::Bool(true), &Value::Bool(true)));
	let pa = str_of(&at_a, "name").to_string();
	let pa = pa.as_str();
	assert_eq!(pa, format!("patient-org-{org_a}"));
	let again = user.ok(Some("patient"), &["keys", "alias", "--for", &org_a]);
	assert_eq!(
		(&again["created"], &again["registered"]),
		(&Value::Bool(false), &Value::Bool(false))
	);
	assert_eq!(again["account"], at_a["account"]);
	// A lost key file is not silently made again: the account is registered with the lost
	// file's encryption key, which a new file would not hold (a derivation gives the account,
	// not that key). Restored from a backup, the file is found again.
	let key_file = home.path().join("keys").join(format!("{pa}.json"));
	let backup = files.path().join("alias-backup.json");
	std::fs::rename(&key_file, &backup).expect("moves the key file away");
	let refused = user.fails(Some("patient"), &["keys", "alias", "--for", &org_a]);
	assert!(refused.contains("is registered with encryption key"), "{refused}");
	assert!(refused.contains("restore the key file"), "{refused}");
	assert!(!key_file.exists(), "a refused alias writes no key file");
	std::fs::rename(&backup, &key_file).expect("restores the key file");
	let restored = user.ok(Some("patient"), &["keys", "alias", "--for", &org_a]);
	assert_eq!(
		(&restored["created"], &restored["registered"], &restored["account"]),
		(&Value::Bool(false), &Value::Bool(false), &at_a["account"])
	);
	let shown = user.ok(None, &["directory", "show", str_of(&at_a, "account")]);
	assert_eq!(shown["patient"], true, "{shown}");

	// The patient hands hospital A their card (their class key): without it no practitioner
	// can tag a record of theirs with a data class.
	let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/observation.json");
	let fixture = fixture.to_string_lossy().to_string();
	let refused =
		user.fails(Some("provider-a"), &["records", "add", "--patient", pa, "--file", &fixture]);
	assert!(refused.contains("no patient card"), "{refused}");
	let card = files.path().join("patient-card.json");
	let card = card.to_string_lossy().to_string();
	user.ok(Some(pa), &["keys", "card", "--out", &card]);
	user.ok(Some("provider-a"), &["patients", "import", &card]);

	// The patient lets hospital A's physicians read and write general records for treatment.
	let role_grant = user.ok(
		Some(pa),
		&[
			"consent",
			"grant",
			"--org",
			&org_a,
			"--role",
			"physician",
			"--actions",
			"read,write",
			"--purposes",
			"treatment",
			"--classes",
			"general",
		],
	);
	let role_grant = u64_of(&role_grant, "grant");

	// Provider A adds the Observation.
	let anchored =
		user.ok(Some("provider-a"), &["records", "add", "--patient", pa, "--file", &fixture]);
	let record = u64_of(&anchored, "record").to_string();
	let listed = user.ok(Some(pa), &["records", "list"]);
	assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
	// The patient reads the class from its tag; the chain has only the tag.
	assert_eq!(listed[0]["class"], "general", "{listed}");
	let tag = str_of(&listed[0], "class_tag").to_string();
	assert_eq!(tag, hex::encode(patient_key(&user, pa).tag(DataClass::General).0));

	batch_anchoring(&user, files.path(), pa);

	// B cannot read it before it is shared: the chain refuses the receipt.
	let refused = user.fails(Some("provider-b"), &["records", "get", &record]);
	assert!(refused.contains("Consent::AccessDenied"), "{refused}");

	// A node that swaps B's encryption key for an attacker's in its answers: the patient's
	// client finds the key unproven by the chain and signs nothing (review M8).
	let b_key =
		str_of(&user.ok(None, &["keys", "show", "--name", "provider-b"]), "encryption_public")
			.to_string();
	let hostile = Tampering::start(&node.ws_url(), &b_key).await;
	let refused = tokio::task::block_in_place(|| {
		user.via(&hostile.url)
			.fails(Some(pa), &["records", "share", &record, "--with", "provider-b"])
	});
	assert!(refused.contains("not proven by the chain"), "{refused}");
	assert!(hostile.swaps() > 0, "the relay never met B's key: the test proves nothing");
	let refused = user.fails(Some("provider-b"), &["records", "get", &record]);
	assert!(refused.contains("Consent::AccessDenied"), "nothing was shared: {refused}");

	// The patient shares it with B; B reads it back identical.
	let shared = user.ok(Some(pa), &["records", "share", &record, "--with", "provider-b"]);
	let grant = u64_of(&shared, "grant").to_string();
	let out = files.path().join("read-by-b.json");
	user.ok(Some("provider-b"), &["records", "get", &record, "--out", &out.to_string_lossy()]);
	let original = FhirDocument::parse(&std::fs::read(&fixture).unwrap()).unwrap();
	let read_back = FhirDocument::parse(&std::fs::read(&out).unwrap()).unwrap();
	assert_eq!(read_back, original, "B reads the Observation provider A wrote");
	assert_eq!(std::fs::read(&out).unwrap(), original.to_json_bytes().unwrap());

	// The patient revokes; B's next access receipt is refused and B's key is gone: the chain
	// removes the key the grant delivered in the same call (keys follow consent), A's stays.
	let revoked = user.ok(Some(pa), &["consent", "revoke", &grant]);
	let removed = revoked["keys_removed"].as_array().cloned().unwrap_or_default();
	assert_eq!(removed.len(), 1, "{revoked}");
	assert_eq!(removed[0]["record"].as_u64().map(|r| r.to_string()), Some(record.clone()));
	let refused = user.fails(Some("provider-b"), &["records", "get", &record]);
	assert!(refused.contains("Consent::AccessDenied"), "{refused}");

	// A node that swaps the anchored hash of version 1: A's client refuses to amend (the
	// current version cannot be checked), and nothing is anchored (the next amendment is 2).
	let hash = str_of(&anchored, "ciphertext_hash").to_string();
	let hostile = Tampering::start(&node.ws_url(), &hash).await;
	let refused = tokio::task::block_in_place(|| {
		user.via(&hostile.url)
			.fails(Some("provider-a"), &["records", "amend", &record, "--file", &fixture])
	});
	assert!(refused.contains("not proven by the chain"), "{refused}");
	assert!(hostile.swaps() > 0, "the relay never met the record's hash: the test proves nothing");

	// A amends after the removal: the chain requires a fresh data key, wrapped for the patient
	// and A only; both read the new version.
	let amended = user.ok(Some("provider-a"), &["records", "amend", &record, "--file", &fixture]);
	assert_eq!(amended["version"], 2, "{amended}");
	user.ok(Some("provider-a"), &["records", "get", &record]);

	// The patient reads their own record, then erases it: nobody can read it any more.
	user.ok(Some(pa), &["records", "get", &record]);
	let erased = user.ok(Some(pa), &["records", "erase", &record]);
	assert_eq!(u64_of(&erased, "versions"), 2);
	for who in [pa, "provider-a", "provider-b"] {
		let refused = user.fails(Some(who), &["records", "get", &record]);
		assert!(refused.contains("was erased"), "{who}: {refused}");
	}
	let store_files = std::fs::read_dir(home.path().join("store")).map(|d| d.count()).unwrap_or(0);
	assert_eq!(store_files, 0, "the ciphertext was deleted from the document store");

	// The access log: exactly the three successful reads, newest first (refusals leave none).
	let log = user.ok(Some(pa), &["consent", "log"]);
	let log = log.as_array().expect("the log is a list");
	assert_eq!(log.len(), 3, "{log:?}");
	let eve = user.ok(None, &["keys", "show", "--name", pa]);
	let author = user.ok(None, &["keys", "show", "--name", "provider-a"]);
	let dave = user.ok(None, &["keys", "show", "--name", "provider-b"]);
	assert_eq!(log[0]["actor"], eve["account"], "newest: the patient's own read");
	assert_eq!(log[1]["actor"], author["account"], "then provider A's read of version 2");
	assert_eq!(log[2]["actor"], dave["account"], "then provider B's read");

	scan_chain_for_plaintext(&rpc).await;
	scan_chain_for_classes(&rpc, &patient_key(&user, pa)).await;

	// M6 and L7: provider A leaves hospital A (nobody else can end their membership for good).
	// The patient's grant to A's physicians no longer lets them read; asked about the block
	// before they left, the chain answers as it did then: the directory as it was, not today's.
	// A writes one more record first, so A holds a key when leaving.
	let last =
		user.ok(Some("provider-a"), &["records", "add", "--patient", pa, "--file", &fixture]);
	let last = u64_of(&last, "record");
	let left = user.ok(Some("provider-a"), &["directory", "leave"]);
	let before = u64_of(&left, "block") - 1;
	let evaluate = |at: Option<&str>| {
		let mut args = vec!["consent", "evaluate", "--patient", pa, "--actor", "provider-a"];
		args.extend(at.map(|at| ["--at", at]).into_iter().flatten());
		user.ok(Some(pa), &args)
	};
	let now = evaluate(None);
	assert_eq!(now["permitted"], false, "{now}");
	let then = evaluate(Some(&before.to_string()));
	assert_eq!(then["permitted"], true, "{then}");
	assert_eq!(then["reason"], "Granted", "{then}");
	assert_eq!(then["grant"], role_grant, "the role grant decided: {then}");
	// H2: consent no longer backs A's key (no grant was revoked: A left), so anyone may prune
	// it; the patient's key stays, and a second prune finds nothing.
	let pruned = user.ok(Some(pa), &["records", "prune"]);
	let pruned = pruned["pruned"].as_array().cloned().unwrap_or_default();
	assert_eq!(pruned.len(), 1, "{pruned:?}");
	assert_eq!(pruned[0]["record"].as_u64(), Some(last), "{pruned:?}");
	assert_eq!(pruned[0]["holder"], author["account"], "{pruned:?}");
	let again = user.ok(Some(pa), &["records", "prune"]);
	assert_eq!(again["pruned"], Value::Array(vec![]), "{again}");
	user.ok(Some(pa), &["records", "get", &last.to_string()]);
	let refused =
		user.fails(Some(pa), &["consent", "evaluate", "--patient", pa, "--at", "9999999"]);
	assert!(refused.contains("not finalized"), "{refused}");

	// Social recovery. Patient 0 (who never held a token) lets hospital B's physicians write
	// their records; provider B anchors one.
	user.ok(
		Some("patient-0"),
		&[
			"consent",
			"grant",
			"--org",
			&org_b,
			"--role",
			"physician",
			"--actions",
			"read,write",
			"--purposes",
			"treatment",
			"--classes",
			"general",
		],
	);
	let card0 = files.path().join("patient-0-card.json").to_string_lossy().to_string();
	user.ok(Some("patient-0"), &["keys", "card", "--out", &card0]);
	user.ok(Some("provider-b"), &["patients", "import", &card0]);
	let anchored = user
		.ok(Some("provider-b"), &["records", "add", "--patient", "patient-0", "--file", &fixture]);
	let record0 = u64_of(&anchored, "record").to_string();
	// They name two guardians and write their recovery kit; then they lose their phone.
	let kit = files.path().join("patient-0-kit.json").to_string_lossy().to_string();
	let set = user.ok(
		Some("patient-0"),
		&[
			"recovery",
			"setup",
			"--friends",
			"provider-b,admin-b",
			"--needed",
			"2",
			"--delay-blocks",
			"2",
			"--kit",
			&kit,
		],
	);
	let patient0 = str_of(&set, "account").to_string();
	// Addresses are shown in MedChain's form (SS58 prefix 4242), and the generic form of the
	// same account is accepted wherever an account is named.
	let (account0, prefix) =
		medchain_client::account::AccountId::parse_with_prefix(&patient0).unwrap();
	assert_eq!(prefix, medchain_client::account::SS58_PREFIX, "{patient0}");
	let generic0 = account0.to_generic_ss58();
	// One guardian opens a recovery; one vouch is not enough to finish it.
	user.ok(Some("provider-b"), &["recovery", "initiate", "patient-0"]);
	let refused = user.fails(Some("provider-b"), &["recovery", "finish", "patient-0"]);
	assert!(refused.contains("Recovery::NotApproved"), "{refused}");
	user.ok(Some("admin-b"), &["recovery", "approve", "patient-0"]);
	user.ok(Some("provider-b"), &["recovery", "finish", "patient-0"]);
	let status = user.ok(None, &["recovery", "status", &generic0]);
	assert_eq!(str_of(&status, "account"), patient0, "{status}");
	let kit_identity = user.ok(None, &["keys", "import-kit", &kit, "--name", "patient-0-new"]);
	assert_eq!(status["recovered_to"], kit_identity["signing_account"], "{status}");
	assert_eq!(str_of(&kit_identity, "account"), patient0, "the kit acts for the patient");
	// The lost key can sign nothing more.
	let refused = user.fails(Some("patient-0"), &["recovery", "cancel"]);
	assert!(refused.contains("FreeCalls::RecoveredAccount"), "{refused}");
	// The kit takes a new encryption key and re-wraps the record's data key for it, then reads
	// the record as the patient: free, through the recovered account.
	let rewrapped = user.ok(Some("patient-0-new"), &["recovery", "rewrap"]);
	assert_eq!(rewrapped["rewrapped"], serde_json::json!([record0.parse::<u64>().unwrap()]));
	assert_eq!(rewrapped["unreachable"], serde_json::json!([]));
	let on_chain = user.ok(None, &["directory", "show", &patient0]);
	assert_eq!(on_chain["encryption_key"], rewrapped["encryption_key"], "{on_chain}");
	let out0 = files.path().join("read-after-recovery.json");
	user.ok(Some("patient-0-new"), &["records", "get", &record0, "--out", &out0.to_string_lossy()]);
	assert_eq!(std::fs::read(&out0).unwrap(), original.to_json_bytes().unwrap());

	// A patient leaves the directory (security review L2). Provider B, granted by patient 4,
	// records an Observation about them; leaving is refused while the record stands, and
	// nothing changes. Once it is erased, leaving revokes the grant on the way out, and the
	// account is no longer a patient; registering again gives it a new pseudonym.
	user.ok(Some("patient-4"), &["directory", "register-patient"]);
	let card4 = files.path().join("patient-4-card.json").to_string_lossy().to_string();
	user.ok(Some("patient-4"), &["keys", "card", "--out", &card4]);
	user.ok(Some("provider-b"), &["patients", "import", &card4]);
	let granted = user.ok(
		Some("patient-4"),
		&[
			"consent",
			"grant",
			"--to",
			"provider-b",
			"--actions",
			"read,write",
			"--classes",
			"general",
		],
	);
	let granted = u64_of(&granted, "grant");
	let reported = user
		.ok(Some("provider-b"), &["records", "add", "--patient", "patient-4", "--file", &fixture]);
	let own = u64_of(&reported, "record").to_string();
	let refused = user.fails(Some("patient-4"), &["directory", "deregister-patient"]);
	assert!(refused.contains("are not erased"), "{refused}");
	assert!(refused.contains(&format!("({own})")), "names the record: {refused}");
	let listed = user.ok(Some("patient-4"), &["consent", "list"]);
	assert_eq!(listed["grants"][0]["id"], granted, "{listed}");
	assert_eq!(listed["grants"][0]["ended"], Value::Null, "nothing was revoked: {listed}");
	user.ok(Some("patient-4"), &["records", "erase", &own]);
	let left = user.ok(Some("patient-4"), &["directory", "deregister-patient"]);
	assert_eq!(left["revoked_grants"], serde_json::json!([granted]), "{left}");
	let shown = user.ok(None, &["directory", "show", "patient-4"]);
	assert_eq!((&shown["patient"], &shown["encryption_key"]), (&Value::Bool(false), &Value::Null));
	let refused = user.fails(Some("patient-4"), &["directory", "deregister-patient"]);
	assert!(refused.contains("is not a registered patient"), "{refused}");
	let back = user.ok(Some("patient-4"), &["directory", "register-patient"]);
	assert_eq!(user.ok(None, &["directory", "show", "patient-4"])["patient"], true, "{back}");

	scan_chain_for_custody_links(
		&rpc,
		&user,
		"patient",
		pa,
		&["admin-a", "provider-a", "provider-b"],
	)
	.await;
}

/// Every storage value at the finalized head (except the runtime code), and every block's body
/// and events, must be free of the record's plaintext values.
/// Provider A anchors three record versions of patient `pa` as one batch (two in the class the
/// patient's role grant lets A's physicians write, one in a class it does not); each is then
/// verified with its inclusion proof against the root on chain, and every fault is refused.
fn batch_anchoring(user: &User, dir: &Path, pa: &str) {
	use medchain_client::{batch::BatchLeaf, crypto::commitment, store::cid_of};
	let patient = user.account_of(pa).0;
	let key = patient_key(user, pa);
	let documents: Vec<Vec<u8>> =
		(0..3u8).map(|n| format!("sealed envelope {n} (opaque bytes)").into_bytes()).collect();
	let classes = [DataClass::General, DataClass::General, DataClass::SubstanceUse];
	let mut leaves = String::new();
	for (n, (document, class)) in documents.iter().zip(classes).enumerate() {
		std::fs::write(dir.join(format!("batch-doc-{n}")), document).unwrap();
		let leaf = BatchLeaf {
			patient,
			class: key.tag(class).0,
			ciphertext_hash: commitment(document),
			plaintext_commitment: [n as u8 + 1; 32],
			cid: cid_of(document).to_string(),
		};
		leaves.push_str(&serde_json::to_string(&leaf).unwrap());
		leaves.push('\n');
	}
	let leaves_file = write(dir, "batch-leaves.jsonl", &leaves);
	let proofs = dir.join("batch-proofs.jsonl").to_string_lossy().into_owned();
	let args = ["records", "anchor-batch", "--leaves", &leaves_file, "--proofs", &proofs];

	// Only an active practitioner anchors a batch: not an organisation's admin.
	let other_proofs = dir.join("batch-proofs-by-admin.jsonl").to_string_lossy().into_owned();
	let refused = user.fails(
		Some("admin-a"),
		&["records", "anchor-batch", "--leaves", &leaves_file, "--proofs", &other_proofs],
	);
	assert!(refused.contains("NotActivePractitioner"), "{refused}");

	let anchored = user.ok(Some("provider-a"), &args);
	assert_eq!(anchored["leaves"], 3, "{anchored}");
	let batch = u64_of(&anchored, "batch");
	// The proofs file is never overwritten, and a root is anchored once.
	let refused = user.misused(Some("provider-a"), &args);
	assert!(refused.contains("exists"), "{refused}");
	let again = dir.join("batch-proofs-again.jsonl").to_string_lossy().into_owned();
	let refused = user.fails(
		Some("provider-a"),
		&["records", "anchor-batch", "--leaves", &leaves_file, "--proofs", &again],
	);
	assert!(refused.contains("DuplicateBatch"), "{refused}");

	// Anyone holding a version's proof and document verifies it against the chain.
	let doc1 = dir.join("batch-doc-1").to_string_lossy().into_owned();
	let verify = ["records", "verify-batch", "--proof", &proofs, "--index", "1"];
	let verified = user.ok(Some(pa), &[&verify[..], &["--document", &doc1]].concat());
	assert_eq!(u64_of(&verified, "batch"), batch, "{verified}");
	assert_eq!(str_of(&verified, "patient"), user.account_of(pa).to_string(), "{verified}");

	// Another document under that proof: refused.
	let doc0 = dir.join("batch-doc-0").to_string_lossy().into_owned();
	let refused = user.fails(Some(pa), &[&verify[..], &["--document", &doc0]].concat());
	assert!(refused.contains("not the anchored ciphertext hash"), "{refused}");

	// A proof with one hash altered: refused before the chain is asked.
	let line = std::fs::read_to_string(&proofs).unwrap().lines().nth(1).unwrap().to_string();
	let mut proof: Value = serde_json::from_str(&line).unwrap();
	let sibling = proof["siblings"][0].as_str().unwrap().to_string();
	let flipped = format!("{}{}", if sibling.starts_with('0') { '1' } else { '0' }, &sibling[1..]);
	proof["siblings"][0] = Value::String(flipped);
	let tampered = write(dir, "batch-proof-tampered.json", &proof.to_string());
	let refused = user.fails(Some(pa), &["records", "verify-batch", "--proof", &tampered]);
	assert!(refused.contains("does not lead"), "{refused}");

	// The version in a class consent did not let A write: on chain, but unconsented.
	let refused =
		user.fails(Some(pa), &["records", "verify-batch", "--proof", &proofs, "--index", "2"]);
	assert!(refused.contains("unconsented"), "{refused}");
}

async fn scan_chain_for_plaintext(rpc: &LegacyRpc) {
	let items = chain_items(rpc).await;
	let values = items.iter().filter(|(what, _)| what.starts_with("storage value")).count();
	assert!(values > 50, "the scan read the state ({values} values)");
	for (what, bytes) in &items {
		assert_free_of_plaintext(what, bytes);
	}
}

/// The class key in `name`'s key file under the user's home (opened with their passphrase).
fn patient_key(user: &User, name: &str) -> ClassKey {
	user.ring().load(name).expect("the patient's key file").class_key
}

/// Whether `needle` occurs in `bytes`.
fn contains(bytes: &[u8], needle: &[u8]) -> bool {
	bytes.windows(needle.len()).any(|w| w == needle)
}

/// H3: the chain holds the patient's data classes only as salted tags. The general tag of the
/// patient's record and grants is found (so the scan reads what is there); no unsalted form of
/// any class (its code, a plain hash of it, its tag under a key a reader could guess) is.
async fn scan_chain_for_classes(rpc: &LegacyRpc, key: &ClassKey) {
	let items = chain_items(rpc).await;
	let found = |needle: &[u8]| items.iter().any(|(_, bytes)| contains(bytes, needle));
	assert!(found(&key.tag(DataClass::General).0), "the patient's general tag is on chain");
	let guesses = [ClassKey::from_bytes([0; 32]), ClassKey::from_bytes([0xff; 32])];
	for class in DataClass::ALL {
		let code = class.code().as_bytes();
		assert!(!found(code), "the class code {class} is on chain");
		let plain = medchain_client::crypto::blake2_256(code);
		assert!(!found(&plain), "an unsalted hash of {class} is on chain");
		for guess in &guesses {
			assert!(!found(&guess.tag(class).0), "{class} tagged under a guessable key");
		}
	}
}

/// H3: the patient's account at hospital A (`alias`) is in the records, grants, receipts and
/// events of hospital A's care, and no storage entry, block's events or extrinsic holding it
/// also holds the patient's own account (`patient`); nor does anything holding the patient's
/// own account hold an account of the hospitals' staff (`staff`).
async fn scan_chain_for_custody_links(
	rpc: &LegacyRpc,
	user: &User,
	patient: &str,
	alias: &str,
	staff: &[&str],
) {
	let (patient, alias) = (user.account_of(patient), user.account_of(alias));
	let staff: Vec<_> = staff.iter().map(|name| user.account_of(name)).collect();
	let items = chain_items(rpc).await;
	let holding_alias = items.iter().filter(|(_, b)| contains(b, &alias.0)).count();
	assert!(holding_alias >= 10, "the patient's account at A is in A's records ({holding_alias})");
	for (what, bytes) in &items {
		if contains(bytes, &patient.0) {
			assert!(!contains(bytes, &alias.0), "{what} links the patient to their account at A");
			for member in &staff {
				assert!(!contains(bytes, &member.0), "{what} links the patient to {member}");
			}
		}
	}
}

/// Every storage value at the finalized head (but the runtime code) and every block's events
/// and extrinsics, each with what it is.
async fn chain_items(rpc: &LegacyRpc) -> Vec<(String, Vec<u8>)> {
	let head = rpc.chain_get_finalized_head().await.expect("finalized head");
	let mut items = Vec::new();
	let mut start: Option<Vec<u8>> = None;
	loop {
		let keys = rpc
			.state_get_keys_paged(&[], 500, start.as_deref(), Some(head))
			.await
			.expect("storage keys");
		let Some(last) = keys.last().cloned() else { break };
		for key in &keys {
			if key.as_slice() == b":code" {
				continue;
			}
			let value =
				rpc.state_get_storage(key, Some(head)).await.expect("a value").unwrap_or_default();
			items.push((format!("storage key 0x{}", hex::encode(key)), key.clone()));
			items.push((format!("storage value at 0x{}", hex::encode(key)), value));
		}
		start = Some(last);
	}
	// System::Events of every block (twox128("System") ++ twox128("Events")).
	let events_key =
		hex::decode("26aa394eea5630e07c48ae0c9558cef780d41e5e16056765bc8461851072c9d7")
			.expect("hex");
	let best = rpc.chain_get_header(Some(head)).await.expect("header").expect("a header").number;
	for number in 0..=best {
		let hash = rpc
			.chain_get_block_hash(Some(number.into()))
			.await
			.expect("block hash")
			.expect("a block");
		let events = rpc.state_get_storage(&events_key, Some(hash)).await.expect("events");
		items.push((format!("events of block #{number}"), events.unwrap_or_default()));
		let block = rpc.chain_get_block(Some(hash)).await.expect("block").expect("a block");
		for extrinsic in block.block.extrinsics {
			items.push((format!("an extrinsic of block #{number}"), extrinsic.0));
		}
	}
	items
}

fn assert_free_of_plaintext(what: &str, bytes: &[u8]) {
	for value in PLAINTEXT_VALUES {
		assert!(
			!contains(bytes, value.as_bytes()),
			"{what} contains the plaintext value {value:?}"
		);
	}
}

/// A WebSocket relay to the node that replaces one hex string (`from`, lower case) with another
/// of the same length in every frame the node sends: a hostile RPC node, as far as its answers
/// go. What the client sends passes unchanged.
struct Tampering {
	url: String,
	swaps: std::sync::Arc<std::sync::atomic::AtomicUsize>,
	task: tokio::task::JoinHandle<()>,
}

impl Tampering {
	async fn start(node_url: &str, from: &str) -> Tampering {
		let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a relay port");
		let url = format!("ws://{}", listener.local_addr().expect("the relay's address"));
		let upstream = node_url.trim_start_matches("ws://").to_string();
		let from = from.to_lowercase().into_bytes();
		// The attacker's value: the same length, every digit changed.
		let to: Vec<u8> = from.iter().map(|&c| if c == b'6' { b'7' } else { b'6' }).collect();
		let swaps = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
		let counter = swaps.clone();
		let task = tokio::spawn(async move {
			while let Ok((client, _)) = listener.accept().await {
				let (upstream, from, to, counter) =
					(upstream.clone(), from.clone(), to.clone(), counter.clone());
				tokio::spawn(async move {
					let _ = relay(client, &upstream, &from, &to, &counter).await;
				});
			}
		});
		Tampering { url, swaps, task }
	}

	fn swaps(&self) -> usize {
		self.swaps.load(std::sync::atomic::Ordering::SeqCst)
	}
}

impl Drop for Tampering {
	fn drop(&mut self) {
		self.task.abort();
	}
}

/// Relays one connection: the HTTP upgrade answer as it is, then each WebSocket frame from the
/// node with `from` replaced by `to` (a server's frames are unmasked; the length is unchanged).
async fn relay(
	client: tokio::net::TcpStream,
	upstream: &str,
	from: &[u8],
	to: &[u8],
	swaps: &std::sync::atomic::AtomicUsize,
) -> std::io::Result<()> {
	use tokio::io::{AsyncReadExt, AsyncWriteExt};
	let node = tokio::net::TcpStream::connect(upstream).await?;
	let (mut client_in, mut client_out) = client.into_split();
	let (mut node_in, mut node_out) = node.into_split();
	tokio::spawn(async move { tokio::io::copy(&mut client_in, &mut node_out).await });
	let mut head = Vec::new();
	while !head.ends_with(b"\r\n\r\n") {
		head.push(node_in.read_u8().await?);
	}
	client_out.write_all(&head).await?;
	loop {
		let mut header = vec![node_in.read_u8().await?, node_in.read_u8().await?];
		let length = match header[1] & 0x7f {
			126 => {
				let length = node_in.read_u16().await?;
				header.extend(length.to_be_bytes());
				u64::from(length)
			},
			127 => {
				let length = node_in.read_u64().await?;
				header.extend(length.to_be_bytes());
				length
			},
			short => u64::from(short),
		};
		let masked = header[1] & 0x80 != 0;
		if masked {
			let mut mask = [0u8; 4];
			node_in.read_exact(&mut mask).await?;
			header.extend(mask);
		}
		let mut payload = vec![0u8; usize::try_from(length).expect("a frame that fits")];
		node_in.read_exact(&mut payload).await?;
		if !masked && !from.is_empty() {
			let mut at = 0;
			while at + from.len() <= payload.len() {
				if payload[at..].starts_with(from) {
					payload[at..at + from.len()].copy_from_slice(to);
					swaps.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
					at += from.len();
				} else {
					at += 1;
				}
			}
		}
		client_out.write_all(&header).await?;
		client_out.write_all(&payload).await?;
	}
}
