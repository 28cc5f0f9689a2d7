//! A prescription from physician to pharmacy, end to end (issue 20): the real `medchain-node` as
//! a dev chain, driven only through the `medchain` command-line tool.
//!
//! The sudo key registers a hospital and two pharmacies and licenses a manufacturer, whose batch
//! goes to pharmacy A (a shipment to B is withdrawn before B receives it). The patient lets the
//! hospital's physicians and pharmacy A's pharmacists write their records. A physician
//! prescribes two fills, writes the patient's copy and, in another block, anchors the
//! MedicationRequest as the patient's record. The patient's code chooses pharmacy A, and the
//! patient shares the MedicationRequest with A's pharmacist, who reads it (a receipt in the
//! patient's log; B's pharmacist is refused), dispenses the first fill from the batch and anchors
//! the MedicationDispense as the patient's record. A reserves the second fill (without a new
//! code: the pharmacy chosen before); pharmacy B, handed the patient's next code while A's fill
//! is pending, is refused once, by the chain. A dispenses the second fill; a third is refused.
//! The manufacturer recalls the batch: its trace finds the patient's prescription, and the
//! patient's client, from their copy, finds both their fills recalled. Then every storage value,
//! block body and block's events is scanned: no medication, product code, batch number or
//! schedule is readable on chain.
//!
//! It runs beside the other end-to-end tests of this binary, each with its own node.

use medchain_client::fhir::FhirDocument;
use serde_json::Value;

use crate::common::{session, staffed_organisation, str_of, u64_of, write, Session, User};

/// A synthetic MedicationRequest (FHIR R5): what the physician's client commits to and anchors
/// encrypted, never the chain.
const REQUEST: &str = r#"{"resourceType":"MedicationRequest","status":"active","intent":"order","medication":{"concept":{"coding":[{"system":"http://snomed.info/sct","code":"376690006","display":"Oxycodone hydrochloride 10 mg prolonged-release oral tablet"}]}},"subject":{"display":"Jane Quixote-Marchetti"},"dosageInstruction":[{"text":"one tablet twice a day"}],"dispenseRequest":{"numberOfRepeatsAllowed":1,"quantity":{"value":56}}}"#;
/// The pharmacy's MedicationDispense for each fill.
const DISPENSE: &str = r#"{"resourceType":"MedicationDispense","status":"completed","medication":{"concept":{"coding":[{"system":"http://snomed.info/sct","code":"376690006"}]}},"subject":{"display":"Jane Quixote-Marchetti"},"quantity":{"value":56}}"#;
/// The pack's product code (a valid GTIN-13), batch number and expiry.
const GTIN: &str = "5012345678900";
const BATCH_NUMBER: &str = "OXY-2026-117";
const EXPIRY: &str = "2028-06-30";

/// What must never be readable on chain.
const SECRETS: [&str; 9] = [
	"MedicationRequest",
	"MedicationDispense",
	"Oxycodone",
	"376690006",
	"Jane Quixote-Marchetti",
	"twice a day",
	GTIN,
	BATCH_NUMBER,
	EXPIRY,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prescription_is_filled_exactly_as_allowed_and_a_recall_finds_it() {
	let Session { node: _node, rpc, home: _home, files, user } = session(None).await;
	let dir = files.path();
	for (name, suri) in [
		("registrar", "//Alice"),
		("hospital-admin", "//Bob"),
		("physician", "//Charlie"),
		("pharmacy-a-admin", "//Dave"),
		("pharmacist-a", "//Eve"),
		("pharmacy-b-admin", "//Ferdie"),
		("pharmacist-b", "//One"),
		("manufacturer", "//Two"),
		("patient", "//Alice//stash"),
	] {
		user.ok(None, &["keys", "import", "--name", name, "--suri", suri]);
	}

	// The directory: a hospital with its physician, two pharmacies with a pharmacist each.
	let mut organisations = Vec::new();
	for (name, kind, admin, staff, role) in [
		("St Elsewhere", "hospital", "hospital-admin", "physician", "physician"),
		("Corner Pharmacy", "pharmacy", "pharmacy-a-admin", "pharmacist-a", "pharmacist"),
		("High Street Pharmacy", "pharmacy", "pharmacy-b-admin", "pharmacist-b", "pharmacist"),
	] {
		organisations.push(staffed_organisation(&user, name, kind, admin, (staff, role, "GPhC")));
	}
	let (hospital, pharmacy_a, pharmacy_b) =
		(organisations[0].as_str(), organisations[1].as_str(), organisations[2].as_str());

	// The patient (their calls are free) hands their card to the physician and to pharmacy A's
	// pharmacist, and lets the hospital's physicians and pharmacy A's pharmacists read and write
	// their general records for treatment.
	user.ok(Some("patient"), &["directory", "register-patient"]);
	let card = dir.join("patient-card.json");
	let card = card.to_str().expect("a UTF-8 path");
	user.ok(Some("patient"), &["keys", "card", "--out", card]);
	for (org, role, staff) in
		[(hospital, "physician", "physician"), (pharmacy_a, "pharmacist", "pharmacist-a")]
	{
		user.ok(Some(staff), &["patients", "import", card]);
		user.ok(
			Some("patient"),
			&[
				"consent",
				"grant",
				"--org",
				org,
				"--role",
				role,
				"--actions",
				"read,write",
				"--purposes",
				"treatment",
				"--classes",
				"general",
			],
		);
	}

	// The supply chain: only a licensed manufacturer registers a batch; it goes to pharmacy A.
	let label = dir.join("label.json");
	let label_arg = label.to_str().expect("a UTF-8 path");
	let register: &[&str] = &[
		"batches",
		"register",
		"--gtin",
		GTIN,
		"--batch-number",
		BATCH_NUMBER,
		"--expiry",
		EXPIRY,
		"--label",
		label_arg,
	];
	let refused = user.fails(Some("manufacturer"), register);
	assert!(refused.contains("NotManufacturer"), "{refused}");
	assert!(!label.exists(), "the label of a refused batch is not kept");
	user.ok(Some("registrar"), &["batches", "license", "manufacturer", "--kind", "manufacturer"]);
	let batch = user.ok(Some("manufacturer"), register);
	let batch = str_of(&batch, "batch").to_string();
	user.ok(Some("manufacturer"), &["batches", "ship", &batch, "--to-pharmacy", pharmacy_a]);
	// A shipment to pharmacy B, withdrawn before B received it: B cannot confirm a receipt.
	user.ok(Some("manufacturer"), &["batches", "ship", &batch, "--to-pharmacy", pharmacy_b]);
	user.ok(
		Some("manufacturer"),
		&["batches", "cancel-shipment", &batch, "--to-pharmacy", pharmacy_b],
	);
	let refused = user.fails(Some("pharmacist-b"), &["batches", "receive", &batch]);
	assert!(refused.contains("ShipmentNotFound"), "{refused}");
	user.ok(Some("pharmacist-a"), &["batches", "receive", &batch]);
	let shown = user.ok(None, &["batches", "show", &batch]);
	assert_eq!(shown["batch"]["holders"], 2, "the manufacturer and pharmacy A: {shown}");

	// Two fills for a month; the patient's copy is theirs alone.
	let request = write(dir, "medication-request.json", REQUEST);
	let copy = dir.join("rx-copy.json");
	let copy_arg = copy.to_str().expect("a UTF-8 path");
	let prescribe: &[&str] = &[
		"prescriptions",
		"prescribe",
		"--file",
		&request,
		"--fills",
		"2",
		"--valid-days",
		"30",
		"--schedule",
		"ii",
		"--copy",
		copy_arg,
	];
	// Only a physician prescribes (and the copy of a refused prescription is not kept).
	let refused = user.fails(Some("pharmacist-a"), prescribe);
	assert!(refused.contains("NotPrescriber"), "{refused}");
	assert!(!copy.exists(), "the copy of a refused prescription is not kept");
	let prescribed = user.ok(Some("physician"), prescribe);
	let rx = str_of(&prescribed, "prescription").to_string();
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(&copy).expect("the copy").permissions().mode();
		assert_eq!(mode & 0o077, 0, "the patient's copy is readable by its owner only");
	}
	// The MedicationRequest itself is the patient's record, anchored in a block of its own.
	let anchored =
		user.ok(Some("physician"), &["records", "add", "--patient", "patient", "--file", &request]);
	let request_record = u64_of(&anchored, "record").to_string();
	assert!(u64_of(&anchored, "block") > u64_of(&prescribed, "block"), "{anchored}");

	// The patient chooses pharmacy A; it reserves the first fill and dispenses it from the
	// batch it holds.
	let choose = |pharmacy: &str| {
		let code =
			user.ok(None, &["prescriptions", "choose", "--copy", copy_arg, "--pharmacy", pharmacy]);
		str_of(&code, "code").to_string()
	};
	let code_a = choose(pharmacy_a);
	// A code for pharmacy A is no use to pharmacy B.
	let refused = user.fails(Some("pharmacist-b"), &["prescriptions", "reserve", &code_a]);
	assert!(refused.contains("BadSignature"), "{refused}");
	let reserved = user.ok(Some("pharmacist-a"), &["prescriptions", "reserve", &code_a]);
	assert_eq!(u64_of(&reserved, "fill"), 1);
	// The patient shares the MedicationRequest with A's pharmacist, who reads it: the document
	// the prescription's commitment was made to. B's pharmacist may not.
	user.ok(Some("patient"), &["records", "share", &request_record, "--with", "pharmacist-a"]);
	let read = dir.join("request-read-by-a.json");
	let read_arg = read.to_str().expect("a UTF-8 path");
	user.ok(Some("pharmacist-a"), &["records", "get", &request_record, "--out", read_arg]);
	let read = FhirDocument::parse(&std::fs::read(&read).expect("the document read"));
	assert_eq!(read.expect("FHIR"), FhirDocument::parse(REQUEST.as_bytes()).expect("FHIR"));
	let refused = user.fails(Some("pharmacist-b"), &["records", "get", &request_record]);
	assert!(refused.contains("Consent::AccessDenied"), "{refused}");
	let dispense = write(dir, "medication-dispense.json", DISPENSE);
	let dispense_args: &[&str] =
		&["prescriptions", "dispense", &rx, "--batch", &batch, "--file", &dispense];
	let first = user.ok(Some("pharmacist-a"), dispense_args);
	assert_eq!((first["fill"].as_u64(), first["completed_fill"].as_bool()), (Some(1), Some(true)));
	// The MedicationDispense goes into the patient's records; the pharmacist's read is in their
	// log.
	let anchored = user
		.ok(Some("pharmacist-a"), &["records", "add", "--patient", "patient", "--file", &dispense]);
	let dispense_record = u64_of(&anchored, "record");
	let records = user.ok(Some("patient"), &["records", "list"]);
	let ids: Vec<u64> = records
		.as_array()
		.expect("a list")
		.iter()
		.map(|r| r["id"].as_u64().expect("a record id"))
		.collect();
	assert_eq!(ids.len(), 2, "{records}");
	assert!(ids.contains(&dispense_record), "{records}");
	let log = user.ok(Some("patient"), &["consent", "log"]);
	let pharmacist_a = user.ok(None, &["keys", "show", "--name", "pharmacist-a"]);
	assert_eq!(log[0]["actor"], pharmacist_a["account"], "{log}");
	let target = &log[0]["entry"]["Accessed"]["target"]["Record"]["record"];
	assert_eq!(target.as_u64().map(|r| r.to_string()), Some(request_record), "{log}");

	// A reserves the second fill (no new code: the pharmacy chosen before). Pharmacy B, handed
	// the patient's next code while A's is pending, is refused, once, by the chain, and
	// nothing changes.
	let second =
		user.ok(Some("pharmacist-a"), &["prescriptions", "reserve", "--prescription", &rx]);
	assert_eq!(u64_of(&second, "fill"), 2);
	let code_b = choose(pharmacy_b);
	let refused = user.fails(Some("pharmacist-b"), &["prescriptions", "reserve", &code_b]);
	assert!(refused.contains("FillPending"), "{refused}");
	let shown = show(&user, &rx);
	assert_eq!(shown["prescription"]["pending"]["pharmacy"].to_string(), pharmacy_a);
	assert_eq!(shown["prescription"]["choices"], 1, "B's code chose nothing: {shown}");
	assert_eq!(shown["prescription"]["fills_dispensed"], 1, "{shown}");

	// A dispenses the second fill.
	user.ok(Some("pharmacist-a"), dispense_args);
	let shown = show(&user, &rx);
	assert_eq!(shown["prescription"]["fills_dispensed"], 2, "{shown}");
	assert_eq!(shown["prescription"]["status"], "Completed", "{shown}");
	assert_eq!(shown["dispenses"].as_array().map(Vec::len), Some(2));
	// A third is refused.
	let refused =
		user.fails(Some("pharmacist-a"), &["prescriptions", "reserve", "--prescription", &rx]);
	assert!(refused.contains("Completed"), "{refused}");
	let checked = user.ok(None, &["prescriptions", "show", "--copy", copy_arg]);
	assert_eq!(checked["recalled"], serde_json::json!([]), "nothing recalled yet: {checked}");

	// The manufacturer recalls the batch: its trace finds the patient's prescription, whose
	// copy the patient's client matches.
	let recalled = user.ok(
		Some("manufacturer"),
		&["batches", "recall", &batch, "--notice", "sub-potent tablets, lot OXY-2026-117"],
	);
	assert_eq!(u64_of(&recalled, "dispenses"), 2);
	let trace = user.ok(None, &["batches", "trace", &batch]);
	let traced: Vec<&str> = trace["dispenses"]
		.as_array()
		.expect("a list")
		.iter()
		.map(|d| d["prescription"].as_str().expect("a prescription"))
		.collect();
	assert_eq!(traced, vec![rx.as_str(), rx.as_str()]);
	let patient_copy: Value =
		serde_json::from_str(&std::fs::read_to_string(&copy).expect("the copy")).expect("JSON");
	assert_eq!(format!("0x{}", str_of(&patient_copy, "prescription")), rx);
	// The patient's client finds it from their copy alone: both fills came from the batch.
	let checked = user.ok(None, &["prescriptions", "show", "--copy", copy_arg]);
	let recalled = checked["recalled"].as_array().expect("a list");
	assert_eq!(recalled.len(), 2, "{checked}");
	assert!(recalled.iter().all(|r| r["batch"].as_str() == Some(batch.as_str())), "{checked}");

	// Nothing of the medicine, its codes or its class on chain.
	for (what, bytes) in crate::chain_items(&rpc).await {
		for secret in SECRETS {
			assert!(!crate::contains(&bytes, secret.as_bytes()), "{what} contains {secret:?}");
		}
	}
}

/// `medchain prescriptions show`.
fn show(user: &User, rx: &str) -> Value {
	user.ok(None, &["prescriptions", "show", rx])
}
