//! Care that gets paid, end to end (issue 18): the real `medchain-node` as a dev chain, driven
//! only through the `medchain` command-line tool.
//!
//! The sudo key registers a hospital and an insurer. The insurer funds its escrow and offers the
//! patient a coverage, which the patient accepts after checking the plan against the chain. The
//! physician records two procedures and claims the first: the insurer's claims officer may then
//! read exactly that record, for payment (the physician sends its key, under the patient's
//! consent; the other record is refused), approves the claim; the hospital and the patient accept the decision, which makes
//! it final, and the officer pays the hospital from the escrow. The second procedure's claim is
//! denied, disputed by the hospital and denied again, finally. The patient's view lists both
//! claims, and the patient's ExplanationOfBenefit of the first is written from the claim's and
//! the response's files, checked against the chain. The hospital opens a reward pool: the
//! physician attests that the patient kept an appointment and the patient is paid at once;
//! the patient checks the attestation; a second reward the same week would pass the cap and is
//! refused. Then every storage value, block body and block's events is scanned: no procedure,
//! code, amount or name is readable on chain.

use medchain_client::{chain::Chain, fhir::FhirDocument, money::UNIT};
use serde_json::Value;

use crate::common::{session, staffed_organisation, str_of, u64_of, write, Session};

/// The two procedures the physician records (FHIR R5), encrypted off chain.
const APPENDECTOMY: &str = r#"{"resourceType":"Procedure","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"80146002","display":"Appendectomy"}]},"subject":{"display":"Jane Quixote-Marchetti"}}"#;
const ARTHROSCOPY: &str = r#"{"resourceType":"Procedure","status":"completed","code":{"coding":[{"system":"http://snomed.info/sct","code":"76916001","display":"Knee arthroscopy"}]},"subject":{"display":"Jane Quixote-Marchetti"}}"#;

/// The insurer's plan.
const PLAN: &str = r#"{"resourceType":"Coverage","status":"active","kind":"insurance","beneficiary":{"display":"Jane Quixote-Marchetti"},"insurer":{"display":"Mutual Health"},"class":[{"type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/coverage-class","code":"plan"}]},"value":{"value":"GOLD-PLUS-7731"}}]}"#;

/// A Claim for `code`, billed `amount` EUR.
fn claim(code: &str, amount: u32) -> String {
	format!(
		r#"{{"resourceType":"Claim","status":"active","type":{{"coding":[{{"system":"http://terminology.hl7.org/CodeSystem/claim-type","code":"institutional"}}]}},"use":"claim","patient":{{"display":"Jane Quixote-Marchetti"}},"created":"2026-12-07","insurance":[{{"sequence":1,"focal":true,"coverage":{{"display":"GOLD-PLUS-7731"}}}}],"item":[{{"sequence":1,"productOrService":{{"coding":[{{"system":"http://snomed.info/sct","code":"{code}"}}]}},"net":{{"value":{amount},"currency":"EUR"}}}}],"total":{{"value":{amount},"currency":"EUR"}}}}"#
	)
}

/// The insurer's ClaimResponse: `outcome`, paying `paid` EUR of the item.
fn response(outcome: &str, paid: u32) -> String {
	format!(
		r#"{{"resourceType":"ClaimResponse","status":"active","type":{{"coding":[{{"system":"http://terminology.hl7.org/CodeSystem/claim-type","code":"institutional"}}]}},"use":"claim","patient":{{"display":"Jane Quixote-Marchetti"}},"created":"2026-12-08","outcome":"{outcome}","item":[{{"itemSequence":1,"adjudication":[{{"category":{{"coding":[{{"system":"http://terminology.hl7.org/CodeSystem/adjudication","code":"benefit"}}]}},"amount":{{"value":{paid},"currency":"EUR"}}}}]}}]}}"#
	)
}

/// The hospital's grounds for disputing a denial.
const GROUNDS: &str = r#"{"resourceType":"Communication","status":"completed","payload":[{"contentCodeableConcept":{"text":"The arthroscopy was pre-authorised under reference PA-55120"}}]}"#;

/// The insurer's statement of the settlement.
const STATEMENT: &str = r#"{"resourceType":"PaymentReconciliation","status":"active","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/payment-type","code":"payment"}]},"created":"2026-12-09","date":"2026-12-09","amount":{"value":250,"currency":"EUR"}}"#;

/// The appointment the patient kept.
const APPOINTMENT: &str = r#"{"resourceType":"Appointment","status":"fulfilled","participant":[{"status":"accepted","actor":{"display":"Jane Quixote-Marchetti"}}]}"#;

/// The patient's answer to the hospital's survey: a QuestionnaireResponse completed.
const SURVEY: &str = r#"{"resourceType":"QuestionnaireResponse","questionnaire":"https://example.org/Questionnaire/after-visit-satisfaction","status":"completed","item":[{"linkId":"1","answer":[{"valueInteger":4}]}]}"#;

/// What must never be readable on chain.
const SECRETS: [&str; 11] = [
	"after-visit-satisfaction",
	"Appendectomy",
	"80146002",
	"Knee arthroscopy",
	"76916001",
	"Jane Quixote-Marchetti",
	"GOLD-PLUS-7731",
	"PA-55120",
	"ClaimResponse",
	"ExplanationOfBenefit",
	"Procedure",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_is_read_decided_and_paid_and_a_kept_appointment_rewarded() {
	let Session { node, rpc, home: _home, files, user } = session(None).await;
	let dir = files.path();
	let path = |name: &str| dir.join(name).to_str().expect("a UTF-8 path").to_string();
	for (name, suri) in [
		("registrar", "//Alice"),
		("hospital-admin", "//Bob"),
		("physician", "//Charlie"),
		("insurer-admin", "//Dave"),
		("officer", "//Eve"),
		("patient", "//Alice//stash"),
	] {
		user.ok(None, &["keys", "import", "--name", name, "--suri", suri]);
	}

	// The directory: a hospital with its physician, an insurer with its claims officer.
	let mut organisations = Vec::new();
	for (name, kind, admin, staff, role) in [
		("St Elsewhere", "hospital", "hospital-admin", "physician", "physician"),
		("Mutual Health", "insurer", "insurer-admin", "officer", "claims-officer"),
	] {
		organisations.push(staffed_organisation(&user, name, kind, admin, (staff, role, "GMC")));
	}
	let (hospital, insurer) = (organisations[0].as_str(), organisations[1].as_str());

	// The patient lets the hospital's physicians write their general records and share them
	// for payment, and hands them the card; the physician records two procedures.
	user.ok(Some("patient"), &["directory", "register-patient"]);
	let card = path("patient-card.json");
	user.ok(Some("patient"), &["keys", "card", "--out", &card]);
	user.ok(Some("physician"), &["patients", "import", &card]);
	user.ok(
		Some("patient"),
		&[
			"consent",
			"grant",
			"--org",
			hospital,
			"--role",
			"physician",
			"--actions",
			"read,write,share",
			"--purposes",
			"treatment,payment,operations",
			"--classes",
			"general",
		],
	);
	let mut records = Vec::new();
	for (name, procedure) in
		[("appendectomy.json", APPENDECTOMY), ("arthroscopy.json", ARTHROSCOPY)]
	{
		let file = write(dir, name, procedure);
		let anchored = user
			.ok(Some("physician"), &["records", "add", "--patient", "patient", "--file", &file]);
		records.push(u64_of(&anchored, "record").to_string());
	}
	let (appendectomy, arthroscopy) = (records[0].as_str(), records[1].as_str());

	// The insurer funds its escrow and offers a year's coverage; the patient checks the plan
	// against the chain and accepts.
	user.ok(
		Some("insurer-admin"),
		&["claims", "fund-escrow", "--payer", insurer, "--amount", "1000"],
	);
	let plan = write(dir, "plan.json", PLAN);
	let plan_file = path("plan-for-member.json");
	let offered = user.ok(
		Some("insurer-admin"),
		&[
			"claims", "offer", "--payer", insurer, "--member", "patient", "--plan", &plan,
			"--days", "365", "--out", &plan_file,
		],
	);
	let coverage = u64_of(&offered, "coverage").to_string();
	// A plan file other than the one offered is refused before anything is submitted.
	let other_plan = path("other-plan.json");
	std::fs::write(
		&other_plan,
		std::fs::read_to_string(&plan_file).expect("the plan file").replace("GOLD", "SILVER"),
	)
	.expect("a tampered plan file");
	let refused =
		user.fails(Some("patient"), &["claims", "accept", &coverage, "--plan", &other_plan]);
	assert!(refused.contains("not the one the chain holds"), "{refused}");
	user.ok(Some("patient"), &["claims", "accept", &coverage, "--plan", &plan_file]);

	// The physician claims the appendectomy; the officer may read exactly that record.
	let claim_doc = write(dir, "claim-1.json", &claim("80146002", 1200));
	let claim_file = path("claim-1-for-payer.json");
	let submitted = user.ok(
		Some("physician"),
		&[
			"claims",
			"submit",
			"--coverage",
			&coverage,
			"--records",
			appendectomy,
			"--file",
			&claim_doc,
			"--out",
			&claim_file,
		],
	);
	let first = u64_of(&submitted, "claim").to_string();
	// The physician sends the record's key to the officer: the chain lets it, as the patient
	// lets the hospital share for payment and the claim lets the officer read it. No grant
	// is made besides the claim's.
	let sent = user.ok(
		Some("physician"),
		&["records", "share", appendectomy, "--with", "officer", "--purpose", "payment"],
	);
	assert_eq!(sent["grant"], Value::Null, "{sent}");
	let read = path("appendectomy-read-by-insurer.json");
	user.ok(
		Some("officer"),
		&["records", "get", appendectomy, "--purpose", "payment", "--out", &read],
	);
	let read = FhirDocument::parse(&std::fs::read(&read).expect("the document read"));
	assert_eq!(read.expect("FHIR"), FhirDocument::parse(APPENDECTOMY.as_bytes()).expect("FHIR"));
	// Not the other procedure, and not for another purpose.
	let refused = user.fails(
		Some("physician"),
		&["records", "share", arthroscopy, "--with", "officer", "--purpose", "payment"],
	);
	assert!(refused.contains("GranteeNotPermitted"), "{refused}");
	let refused =
		user.fails(Some("officer"), &["records", "get", arthroscopy, "--purpose", "payment"]);
	assert!(refused.contains("Consent::AccessDenied"), "{refused}");
	let refused =
		user.fails(Some("officer"), &["records", "get", appendectomy, "--purpose", "treatment"]);
	assert!(refused.contains("Consent::AccessDenied"), "{refused}");

	// The officer approves; the hospital and the patient accept the decision: final.
	let response_doc = write(dir, "response-1.json", &response("complete", 1000));
	let response_file = path("response-1-for-parties.json");
	let decided = user.ok(
		Some("officer"),
		&[
			"claims",
			"decide",
			&first,
			"--claim-file",
			&claim_file,
			"--decision",
			"approved",
			"--response",
			&response_doc,
			"--out",
			&response_file,
		],
	);
	assert_eq!(decided["final"], false, "{decided}");
	let accepted = user.ok(Some("physician"), &["claims", "accept-decision", &first]);
	assert_eq!(accepted["final"], false, "{accepted}");
	let accepted = user.ok(Some("patient"), &["claims", "accept-decision", &first]);
	assert_eq!(accepted["final"], true, "{accepted}");
	// The claim's end ended the grant (and with it the officer's key of the record).
	let refused =
		user.fails(Some("officer"), &["records", "get", appendectomy, "--purpose", "payment"]);
	assert!(refused.contains("Consent::AccessDenied"), "{refused}");

	// The officer pays the hospital (its admin's account) 250 MED from the escrow.
	let chain = Chain::connect(&node.ws_url(), std::time::Duration::from_secs(60))
		.await
		.expect("a connection");
	let bob = user.account_of("hospital-admin");
	let balance = |chain: &Chain, who: medchain_client::chain::AccountId| {
		let chain = chain.clone();
		async move {
			chain
				.storage(
					"reading a balance",
					medchain_client::chain::runtime::storage().system().account(),
					(who,),
				)
				.await
				.expect("the account")
				.expect("an account")
				.data
				.free
		}
	};
	let before = balance(&chain, bob).await;
	let escrow_before = user.ok(None, &["claims", "escrow", "--payer", insurer]);
	let statement = write(dir, "statement.json", STATEMENT);
	let settle_args = |out: &str| -> Vec<String> {
		[
			"claims",
			"settle",
			"--provider",
			hospital,
			"--claims",
			&first,
			"--total",
			"250",
			"--statement",
			&statement,
			"--out",
			out,
		]
		.map(String::from)
		.to_vec()
	};
	let settled =
		user.ok(Some("officer"), &strs(&settle_args(&path("statement-for-provider.json"))));
	let settlement = u64_of(&settled, "settlement");
	assert_eq!(balance(&chain, bob).await - before, 250 * UNIT);
	let escrow_after = user.ok(None, &["claims", "escrow", "--payer", insurer]);
	let holds = |e: &Value| str_of(e, "holds").parse::<u128>().expect("an amount");
	assert_eq!(holds(&escrow_before) - holds(&escrow_after), 250 * UNIT);
	// Paid once.
	let refused = user.fails(Some("officer"), &strs(&settle_args(&path("statement-again.json"))));
	assert!(refused.contains("AlreadySettled"), "{refused}");

	// The arthroscopy's claim is denied, disputed by the hospital and denied again, finally.
	let claim_doc = write(dir, "claim-2.json", &claim("76916001", 3400));
	let claim_file_2 = path("claim-2-for-payer.json");
	let submitted = user.ok(
		Some("physician"),
		&[
			"claims",
			"submit",
			"--coverage",
			&coverage,
			"--records",
			arthroscopy,
			"--file",
			&claim_doc,
			"--out",
			&claim_file_2,
		],
	);
	let second = u64_of(&submitted, "claim").to_string();
	let denial = write(dir, "response-2.json", &response("complete", 0));
	let decide_denied = |out: &str| {
		user.ok(
			Some("officer"),
			&[
				"claims",
				"decide",
				&second,
				"--claim-file",
				&claim_file_2,
				"--decision",
				"denied",
				"--reason",
				"no-authorisation",
				"--response",
				&denial,
				"--out",
				out,
			],
		)
	};
	decide_denied(&path("response-2-for-parties.json"));
	let grounds = write(dir, "grounds.json", GROUNDS);
	let disputed = user.ok(
		Some("physician"),
		&[
			"claims",
			"dispute",
			&second,
			"--grounds",
			&grounds,
			"--out",
			&path("grounds-for-payer.json"),
		],
	);
	assert_eq!(str_of(&disputed, "by"), "provider");
	let last = decide_denied(&path("response-2-final.json"));
	assert_eq!(last["final"], true, "{last}");
	let refused = user.fails(
		Some("patient"),
		&[
			"claims",
			"dispute",
			&second,
			"--grounds",
			&grounds,
			"--out",
			&path("grounds-again.json"),
		],
	);
	assert!(refused.contains("NotDecided"), "a final decision is not disputed: {refused}");

	// The patient's view: both claims, one paid, one finally denied.
	let mine = user.ok(Some("patient"), &["claims", "list"]);
	let listed = mine["claims"].as_array().expect("a list");
	assert_eq!(listed.len(), 2, "{mine}");
	assert_eq!(listed[0]["decision"], "approved", "{mine}");
	assert_eq!(listed[0]["settlement"], settlement, "{mine}");
	assert_eq!(listed[1]["decision"], "denied (no-authorisation)", "{mine}");
	assert_eq!(listed[1]["state"], "closed", "{mine}");
	let theirs = user.ok(None, &["claims", "list", "--payer", insurer]);
	assert_eq!(theirs["claims"].as_array().map(Vec::len), Some(2), "{theirs}");

	// The patient's ExplanationOfBenefit of the first claim.
	let eob = path("eob-1.json");
	user.ok(
		Some("patient"),
		&[
			"claims",
			"eob",
			&first,
			"--claim-file",
			&claim_file,
			"--response-file",
			&response_file,
			"--out",
			&eob,
		],
	);
	let eob: Value = serde_json::from_slice(&std::fs::read(&eob).expect("the EOB")).expect("JSON");
	assert_eq!(eob["resourceType"], "ExplanationOfBenefit");
	assert_eq!(eob["outcome"], "complete");
	assert_eq!(
		eob["item"][0]["adjudication"][0]["amount"]["value"].as_f64(),
		Some(1000.0),
		"{eob}"
	);
	assert_eq!(eob["identifier"][1]["value"], settlement.to_string(), "{eob}");

	// The hospital's reward pool: 2 MED an appointment kept, at most 3 MED a week.
	let pool = user.ok(
		Some("hospital-admin"),
		&[
			"rewards",
			"create-pool",
			"--organisation",
			hospital,
			"--appointment",
			"2",
			"--survey",
			"1",
			"--cap",
			"3",
			"--period-days",
			"7",
		],
	);
	let pool = u64_of(&pool, "pool").to_string();
	user.ok(Some("hospital-admin"), &["rewards", "fund", &pool, "--amount", "50"]);
	let patient = user.account_of("patient");
	let before = balance(&chain, patient).await;
	let appointment = write(dir, "appointment.json", APPOINTMENT);
	let rewarded = user.ok(
		Some("physician"),
		&[
			"rewards",
			"attest",
			&pool,
			"--patient",
			"patient",
			"--kind",
			"appointment",
			"--file",
			&appointment,
		],
	);
	assert_eq!(str_of(&rewarded, "amount"), (2 * UNIT).to_string());
	assert_eq!(balance(&chain, patient).await - before, 2 * UNIT);
	let salt = str_of(&rewarded, "salt").to_string();
	let checked = user.ok(
		Some("patient"),
		&[
			"rewards",
			"check",
			&pool,
			"--kind",
			"appointment",
			"--file",
			&appointment,
			"--salt",
			&salt,
		],
	);
	assert_eq!(checked["paid"], true);
	// The attestation binds the kind of event: the same document and salt as a survey's is
	// none the pool paid for.
	let refused = user.fails(
		Some("patient"),
		&["rewards", "check", &pool, "--kind", "survey", "--file", &appointment, "--salt", &salt],
	);
	assert!(refused.contains(&format!("pool {pool} paid for no attestation")), "{refused}");
	// The patient answers the hospital's survey: a QuestionnaireResponse they anchor themselves
	// (self-reported) and share with the physician for the hospital's operations. The physician
	// reads it under that consent, checks it against the chain, and attests it; a record the
	// hospital holds is no survey's answer.
	let survey = write(dir, "survey.json", SURVEY);
	let answered =
		user.ok(Some("patient"), &["records", "add", "--patient", "patient", "--file", &survey]);
	let answer = u64_of(&answered, "record").to_string();
	user.ok(
		Some("patient"),
		&["records", "share", &answer, "--with", "physician", "--purpose", "operations"],
	);
	let attest_record = |record: &str| {
		["rewards", "attest", &pool, "--kind", "survey", "--record", record].map(String::from)
	};
	let refused = user.fails(Some("physician"), &strs(&attest_record(appendectomy)));
	assert!(refused.contains("a survey's answer is the patient's own"), "{refused}");
	let misused = user.misused(
		Some("physician"),
		&["rewards", "attest", &pool, "--kind", "appointment", "--record", &answer],
	);
	assert!(misused.contains("--record is for a survey's answer"), "{misused}");
	let before = balance(&chain, patient).await;
	let rewarded = user.ok(Some("physician"), &strs(&attest_record(&answer)));
	assert_eq!(str_of(&rewarded, "amount"), UNIT.to_string());
	assert_eq!(balance(&chain, patient).await - before, UNIT);
	// A second appointment the same week would be 5 MED, above the cap.
	let refused = user.fails(
		Some("physician"),
		&[
			"rewards",
			"attest",
			&pool,
			"--patient",
			"patient",
			"--kind",
			"appointment",
			"--file",
			&appointment,
		],
	);
	assert!(refused.contains("CapReached"), "{refused}");
	let shown = user.ok(None, &["rewards", "show", &pool, "--patient", "patient"]);
	assert_eq!(str_of(&shown, "earned_this_period"), (3 * UNIT).to_string(), "{shown}");
	assert_eq!(shown["rewards"], 2, "{shown}");

	// Nothing of the care, the codes, the amounts or the names on chain.
	for (what, bytes) in crate::chain_items(&rpc).await {
		for secret in SECRETS {
			assert!(!crate::contains(&bytes, secret.as_bytes()), "{what} contains {secret:?}");
		}
	}
}

/// `args` as the string slices a command takes.
fn strs(args: &[String]) -> Vec<&str> {
	args.iter().map(String::as_str).collect()
}
