//! A small clinical trial through the `medchain` command-line tool on the real node, end to end:
//! registration with its deposit, a site, an investigator, a consent form, recruitment opened
//! with an independent randomiser's committed seed, four patients' research keys, two patients
//! enrolled in unsigned transactions under pseudonyms (then every state entry, block body and
//! block's events holding a pseudonym is checked to hold neither the patient's account nor
//! their research key), a visit of each anchored, one participant withdrawing (the next anchor
//! of their data refused), a visit rewarded to an account the participant chose on a ring
//! proof, and the trial closed, locked, revealed by the randomiser only and its results
//! published on time (the deposit released).
//!
//! It runs beside the other end-to-end tests of this binary, each with its own node.

use medchain_test_utils::node::LegacyRpc;
use serde_json::Value;

use crate::{
	chain_items,
	common::{session, staffed_organisation, str_of, u64_of, write, Session, User},
	contains,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trial_runs_from_registration_to_published_results() {
	let Session { node: _node, rpc, home: _home, files, user } =
		session(Some("correct horse battery staple")).await;
	for (name, suri) in [
		("registrar", "//Alice"),
		("admin-a", "//Bob"),
		("randomiser", "//Ferdie"),
		("provider-a", "//Charlie"),
		("patient", "//Eve"),
		("patient-2", "//One"),
		("patient-3", "//Two"),
		("patient-4", "//Eve//stash"),
	] {
		user.ok(None, &["keys", "import", "--name", name, "--suri", suri]);
	}
	// Hospital A, with provider A as a physician; a patient.
	let org_a = staffed_organisation(
		&user,
		"St Elsewhere",
		"hospital",
		"admin-a",
		("provider-a", "physician", "GMC"),
	);
	user.ok(Some("patient"), &["directory", "register-patient"]);

	// Hospital A sponsors the trial, runs it at its own site, provider A investigates.
	let protocol = write(files.path(), "protocol.txt", "Protocol v1: metformin vs placebo");
	let sap = write(files.path(), "sap.txt", "Analysis plan v1: ANCOVA on HbA1c");
	let form = write(files.path(), "consent-form.txt", "Consent form v1");
	let registered = user.ok(
		Some("admin-a"),
		&[
			"trials",
			"register",
			"--sponsor",
			&org_a,
			"--registry-id",
			"NCT09990001",
			"--protocol",
			&protocol,
			"--sap",
			&sap,
			"--primary",
			"HbA1c change at 26 weeks",
			"--secondary",
			"Weight change at 26 weeks",
			"--planned",
			"2",
			"--arms",
			"2",
			"--results-due-blocks",
			"10000",
		],
	);
	let trial = u64_of(&registered, "trial").to_string();
	// M3: registering holds a deposit (100 MED) from the admin until the results are out.
	assert_eq!(registered["deposit"], "100000000000000", "{registered}");
	user.ok(Some("admin-a"), &["trials", "add-site", &trial, "--org", &org_a]);
	user.ok(
		Some("admin-a"),
		&["trials", "add-investigator", &trial, "--investigator", "provider-a"],
	);
	let published =
		user.ok(Some("admin-a"), &["trials", "publish-consent-form", &trial, "--file", &form]);
	assert_eq!(u64_of(&published, "version"), 1);
	// The randomiser (independent of the sponsor: no admin of it) draws the allocation seed;
	// the sponsor opens recruitment with its commitment.
	let seed = user.ok(Some("randomiser"), &["trials", "seed", &trial]);
	let commitment = str_of(&seed, "commitment").to_string();
	let refused = user.fails(
		Some("admin-a"),
		&["trials", "open", &trial, "--randomiser", "admin-a", "--commitment", &commitment],
	);
	assert!(refused.contains("ClinicalTrials::RandomiserNotIndependent"), "{refused}");
	user.ok(
		Some("admin-a"),
		&["trials", "open", &trial, "--randomiser", "randomiser", "--commitment", &commitment],
	);

	// Four patients register research keys; two of them enrol, in unsigned transactions that
	// name no account.
	let refused = user.fails(Some("patient"), &["trials", "enrol", &trial]);
	assert!(refused.contains("no research key"), "{refused}");
	for patient in ["patient-2", "patient-3", "patient-4"] {
		user.ok(Some(patient), &["directory", "register-patient"]);
	}
	user.ok(Some("patient"), &["trials", "research-key"]);
	let refused = user.fails(Some("patient"), &["trials", "enrol", &trial]);
	assert!(refused.contains("ClinicalTrials::RingTooSmall"), "{refused}");
	for patient in ["patient-2", "patient-3", "patient-4"] {
		user.ok(Some(patient), &["trials", "research-key"]);
	}
	let mut pseudonyms = Vec::new();
	for patient in ["patient", "patient-2"] {
		let enrolled = user.ok(Some(patient), &["trials", "enrol", &trial]);
		let pseudonym = str_of(&enrolled, "pseudonym").to_string();
		let me = user.ok(Some(patient), &["trials", "me", &trial]);
		assert_eq!(str_of(&me, "pseudonym"), pseudonym);
		pseudonyms.push(pseudonym);
	}
	let refused = user.fails(Some("patient"), &["trials", "enrol", &trial]);
	assert!(refused.contains("ClinicalTrials::AlreadyEnrolled"), "{refused}");
	scan_chain_for_participation(&rpc, &user, &pseudonyms, &["patient", "patient-2"]).await;

	// The investigator anchors a visit of each participant.
	for (i, pseudonym) in pseudonyms.iter().enumerate() {
		let visit =
			write(files.path(), &format!("visit-{i}.csv"), &format!("visit,1\nhba1c,{}", 7 + i));
		user.ok(
			Some("provider-a"),
			&[
				"trials",
				"anchor",
				&trial,
				"--participant",
				pseudonym,
				"--visit",
				"1",
				"--file",
				&visit,
			],
		);
	}
	// The second participant withdraws: their next data anchor is refused.
	user.ok(Some("patient-2"), &["trials", "withdraw", &trial]);
	let visit = write(files.path(), "visit-late.csv", "visit,2\nhba1c,6");
	let refused = user.fails(
		Some("provider-a"),
		&[
			"trials",
			"anchor",
			&trial,
			"--participant",
			&pseudonyms[1],
			"--visit",
			"2",
			"--file",
			&visit,
		],
	);
	assert!(refused.contains("ClinicalTrials::Withdrawn"), "{refused}");

	// The sponsor rewards visits: the first participant claims theirs with a ring proof, paid
	// to a new account of theirs; the proof names neither account. Nobody else can claim it,
	// nor can they claim another participant's visit; a visit is paid once.
	let pool = user.ok(
		Some("admin-a"),
		&[
			"rewards",
			"create-pool",
			"--organisation",
			&org_a,
			"--visit",
			"1",
			"--cap",
			"2",
			"--period-days",
			"7",
		],
	);
	let pool = u64_of(&pool, "pool").to_string();
	user.ok(Some("admin-a"), &["rewards", "fund", &pool, "--amount", "10"]);
	let payout = user.ok(None, &["keys", "generate", "--name", "patient-payout"]);
	let claim = |who: &str, seq: &str| {
		vec!["rewards", "claim-visit", &pool, "--trial", &trial, "--seq", seq, "--payee", who]
			.into_iter()
			.map(String::from)
			.collect::<Vec<_>>()
	};
	let args = claim("patient-payout", "0");
	let args: Vec<&str> = args.iter().map(String::as_str).collect();
	let paid = user.ok(Some("patient"), &args);
	assert_eq!(paid["amount"], "1000000000000", "{paid}");
	assert_eq!(paid["pseudonym"].as_str(), Some(pseudonyms[0].as_str()), "{paid}");
	let again = user.fails(Some("patient"), &args);
	assert!(again.contains("Rewards::AlreadyRewarded"), "{again}");
	let args = claim("patient-payout", "1");
	let args: Vec<&str> = args.iter().map(String::as_str).collect();
	let not_mine = user.fails(Some("patient"), &args);
	assert!(not_mine.contains("Rewards::BadProof"), "{not_mine}");
	let shown = user.ok(Some("patient"), &["rewards", "show", &pool, "--trial", &trial]);
	assert_eq!(shown["participant_earned_this_period"], "1000000000000", "{shown}");
	assert_eq!(
		(shown["holds"].as_str(), shown["rewards"].as_u64()),
		(Some("9000000000000"), Some(1))
	);
	assert_ne!(payout["account"], user.ok(None, &["keys", "show", "--name", "patient"])["account"]);

	// Close, lock, reveal the allocation, publish the results.
	user.ok(Some("admin-a"), &["trials", "close", &trial]);
	let dataset = write(files.path(), "dataset.csv", "pseudonym,visit,hba1c\n...");
	user.ok(Some("admin-a"), &["trials", "lock", &trial, "--file", &dataset]);
	let refused = user.fails(Some("admin-a"), &["trials", "reveal", &trial]);
	assert!(refused.contains("ClinicalTrials::NotRandomiser"), "{refused}");
	user.ok(Some("randomiser"), &["trials", "reveal", &trial]);
	let report = write(files.path(), "results.txt", "Results: no difference");
	let results = user.ok(
		Some("admin-a"),
		&[
			"trials",
			"publish-results",
			&trial,
			"--file",
			&report,
			"--link",
			"https://example.org/nct09990001",
		],
	);
	assert_eq!(results["late"], false);
	let admin_a = user.ok(None, &["keys", "show", "--name", "admin-a"]);
	assert_eq!(
		results["deposit_released"],
		serde_json::json!({ "to": admin_a["account"], "amount": "100000000000000" })
	);

	let status = user.ok(None, &["trials", "status", &trial]);
	let t = &status["trial"]["trial"];
	assert_eq!(t["status"], "Completed", "{status}");
	assert_eq!(t["enrolled"], 2);
	assert_eq!(t["withdrawn"], 1);
	assert_eq!(t["data_anchors"], 2);
	let overdue = user.ok(None, &["trials", "overdue"]);
	assert_eq!(overdue, Value::Array(vec![]), "nothing is overdue");
}

/// No storage entry, block's events or extrinsic that holds a participant's pseudonym also holds
/// their account or their research key: trial participation is not linkable to the patient.
async fn scan_chain_for_participation(
	rpc: &LegacyRpc,
	user: &User,
	pseudonyms: &[String],
	patients: &[&str],
) {
	let items = chain_items(rpc).await;
	for (pseudonym, patient) in pseudonyms.iter().zip(patients) {
		let alias = hex::decode(pseudonym).expect("a hex pseudonym");
		let account = user.account_of(patient);
		let identity = user.ring().load(patient).expect("the key file");
		let key = medchain_client::trials::research_key(&identity);
		assert!(items.iter().any(|(_, b)| contains(b, &key)), "the research key is on chain");
		let holding: Vec<_> = items.iter().filter(|(_, b)| contains(b, &alias)).collect();
		assert!(holding.len() >= 3, "the pseudonym is in state, an extrinsic and events");
		for (what, bytes) in holding {
			assert!(!contains(bytes, &account.0), "{what} links {patient}'s pseudonym to them");
			assert!(!contains(bytes, &key), "{what} links {patient}'s pseudonym to their key");
		}
	}
}
