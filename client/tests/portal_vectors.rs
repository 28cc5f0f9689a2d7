//! The test vectors the patient portal's crypto is checked against (`portal/test/vectors.json`):
//! what the Rust client wrote, so that the portal (TypeScript, other libraries) opens, verifies
//! and seals byte for byte as the client does.
//!
//! `the_portal_vectors_hold_for_the_client` reads the committed file and checks every vector
//! with the client's own functions, so a change of a format on the Rust side fails here until
//! the vectors (and the portal) follow. `write_portal_vectors` (ignored) writes a new file:
//!
//! ```sh
//! cargo test -p medchain-client --test portal_vectors -- --ignored write_portal_vectors
//! ```
//!
//! Inputs are fixed (keys, accounts, the document); what the formats draw at random (nonces,
//! HPKE's ephemeral keys, scrypt salts, sr25519 signatures) is whatever the writing run drew.

use std::path::PathBuf;

use medchain_client::{
	account::AccountId,
	classes::{ClassKey, DataClass},
	crypto::{self, ContentKey, EncryptionKeyPair, WrappedKey},
	identity::{Identity, KeyRing},
	passphrase::Passphrase,
	signed_request,
};
use serde_json::{json, Value};

fn vectors_path() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../portal/test/vectors.json")
}

fn h(bytes: impl AsRef<[u8]>) -> String {
	hex::encode(bytes)
}

fn unhex(value: &Value) -> Vec<u8> {
	hex::decode(value.as_str().expect("a hex string")).expect("valid hex")
}

fn unhex32(value: &Value) -> [u8; 32] {
	unhex(value).try_into().expect("32 bytes")
}

fn text(value: &Value) -> &str {
	value.as_str().expect("a string")
}

/// The fixed inputs.
const GENESIS: [u8; 32] = [0x11; 32];
const CONTENT_KEY: [u8; 32] = [0x22; 32];
const NEXT_KEY: [u8; 32] = [0x23; 32];
const RECIPIENT_SECRET: [u8; 32] = [0x33; 32];
const CLASS_KEY: [u8; 32] = [0x44; 32];
const ENCRYPTION_SECRET: [u8; 32] = [0x55; 32];
/// The public development phrase, so the vectors' accounts are ones polkadot.js also knows.
const PHRASE: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
const PASSPHRASE: &str = "correct horse battery staple";

/// A FHIR R5 Observation as the CLI anchors one.
fn observation() -> Vec<u8> {
	serde_json::to_vec(&json!({
		"resourceType": "Observation",
		"status": "final",
		"code": { "coding": [{ "system": "http://loinc.org", "code": "4548-4",
			"display": "Hemoglobin A1c/Hemoglobin.total in Blood" }] },
		"effectiveDateTime": "2026-11-30T09:15:00Z",
		"valueQuantity": { "value": 6.1, "unit": "%", "system": "http://unitsofmeasure.org",
			"code": "%" }
	}))
	.unwrap()
}

fn identity(name: &str, uri: &str) -> Identity {
	let mut identity = Identity::from_secret_uri(name, uri).unwrap();
	identity.encryption = EncryptionKeyPair::from_secret_bytes(&ENCRYPTION_SECRET);
	identity.class_key = ClassKey::from_bytes(CLASS_KEY);
	identity
}

#[test]
#[ignore = "writes portal/test/vectors.json; run it when a format changes"]
fn write_portal_vectors() {
	let patient = identity("patient", &format!("{PHRASE}//Eve"));
	let patient_account = patient.account();
	let recipient = EncryptionKeyPair::from_secret_bytes(&RECIPIENT_SECRET);
	let recipient_account: AccountId = [0x66; 32].into();

	// An envelope, its commitments, and a key wrapped for a recipient.
	let key = ContentKey::from_bytes(CONTENT_KEY);
	let plaintext = observation();
	let aad = crypto::record_aad(&GENESIS, &patient_account.0);
	let envelope = crypto::seal_with_key(&key, &plaintext, &aad).unwrap();
	let origin = crypto::commitment(&envelope);
	let wrap_aad = crypto::wrap_aad(&GENESIS, &patient_account.0, &origin, &recipient_account.0);
	let wrapped = crypto::wrap_key(&key, &recipient.public_key(), &wrap_aad).unwrap();
	let next = ContentKey::from_bytes(NEXT_KEY);
	let chain_aad = crypto::key_chain_aad(&GENESIS, &patient_account.0, &origin);
	let link = crypto::chain_key(&next, &key, &chain_aad).unwrap();

	// A sealed key file, as `medchain keys` writes it.
	let home = tempfile::tempdir().unwrap();
	let ring = KeyRing::new(home.path()).with_passphrase(Passphrase::new(PASSPHRASE).unwrap());
	let path = ring.save(&patient).unwrap();
	let key_file: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
	let alias = patient.alias_for(7).unwrap();

	// A gateway request.
	let audience: AccountId = [0x77; 32].into();
	let body = br#"{"resourceType":"Parameters"}"#;
	let time = 1_796_000_000;
	let path_and_query = "/fhir/Binary/42?version=1";
	let message = signed_request::message(&audience, "post", path_and_query, time, body);
	let header =
		signed_request::authorization(&patient, &audience, "post", path_and_query, time, body);

	let vectors = json!({
		"about": "Written by the Rust client (client/tests/portal_vectors.rs); checked by it and \
			by the portal's tests. Do not edit by hand.",
		"envelope": {
			"genesis": h(GENESIS),
			"patient": h(patient_account.0),
			"content_key": h(CONTENT_KEY),
			"plaintext": String::from_utf8(plaintext.clone()).unwrap(),
			"aad": h(&aad),
			"envelope": h(&envelope),
			"commitment": h(origin),
			"plaintext_commitment": h(crypto::plaintext_commitment(&key, &plaintext)),
		},
		"wrap": {
			"recipient_secret": h(RECIPIENT_SECRET),
			"recipient_public": h(recipient.public_key()),
			"recipient_account": h(recipient_account.0),
			"origin": h(origin),
			"aad": h(&wrap_aad),
			"wrapped": h(wrapped.as_bytes()),
		},
		"key_chain": {
			"next_key": h(NEXT_KEY),
			"aad": h(&chain_aad),
			"link": h(&link),
		},
		"classes": {
			"class_key": h(CLASS_KEY),
			"tags": DataClass::ALL.iter().map(|class| {
				(class.code().to_string(), Value::from(h(ClassKey::from_bytes(CLASS_KEY).tag(*class).0)))
			}).collect::<serde_json::Map<_, _>>(),
			"encryption_secret": h(ENCRYPTION_SECRET),
			"derived_class_key": h(ClassKey::derived_from(&ENCRYPTION_SECRET).as_bytes()),
		},
		"key_file": {
			"passphrase": PASSPHRASE,
			"file": key_file,
			"secret_uri": patient.secret_uri(),
			"account": patient_account.to_string(),
			"public_key": h(patient_account.0),
			"encryption_public": h(patient.encryption_public()),
			"class_key": h(CLASS_KEY),
			"alias_organisation": 7,
			"alias_account": alias.account().to_string(),
		},
		"gateway_request": {
			"audience": h(audience.0),
			"method": "post",
			"path_and_query": path_and_query,
			"time": time,
			"body": String::from_utf8(body.to_vec()).unwrap(),
			"message": h(&message),
			"authorization": header,
		},
	});
	let mut text = serde_json::to_string_pretty(&vectors).unwrap();
	text.push('\n');
	std::fs::write(vectors_path(), text).unwrap();
}

#[test]
fn the_portal_vectors_hold_for_the_client() {
	let vectors: Value = serde_json::from_slice(
		&std::fs::read(vectors_path()).expect("portal/test/vectors.json is committed"),
	)
	.unwrap();

	// The envelope opens to the document; its commitments are the client's.
	let v = &vectors["envelope"];
	let key = ContentKey::from_bytes(unhex32(&v["content_key"]));
	let aad = crypto::record_aad(&unhex32(&v["genesis"]), &unhex32(&v["patient"]));
	assert_eq!(aad, unhex(&v["aad"]));
	let envelope = unhex(&v["envelope"]);
	let plaintext = crypto::open_record(&key, &envelope, &aad).unwrap();
	assert_eq!(plaintext, text(&v["plaintext"]).as_bytes());
	assert_eq!(crypto::commitment(&envelope), unhex32(&v["commitment"]));
	assert_eq!(crypto::plaintext_commitment(&key, &plaintext), unhex32(&v["plaintext_commitment"]));

	// The wrapped key opens for its recipient in its context, and only there.
	let w = &vectors["wrap"];
	let recipient = EncryptionKeyPair::from_secret_bytes(&unhex32(&w["recipient_secret"]));
	assert_eq!(recipient.public_key(), unhex32(&w["recipient_public"]));
	let wrap_aad = crypto::wrap_aad(
		&unhex32(&v["genesis"]),
		&unhex32(&v["patient"]),
		&unhex32(&w["origin"]),
		&unhex32(&w["recipient_account"]),
	);
	assert_eq!(wrap_aad, unhex(&w["aad"]));
	let wrapped = WrappedKey::from_bytes(&unhex(&w["wrapped"])).unwrap();
	assert_eq!(crypto::unwrap_key(&wrapped, &recipient, &wrap_aad).unwrap(), key);
	assert!(crypto::unwrap_key(&wrapped, &recipient, &aad).is_err());

	// The key-chain link gives the earlier key under the later one.
	let c = &vectors["key_chain"];
	let chain_aad = crypto::key_chain_aad(
		&unhex32(&v["genesis"]),
		&unhex32(&v["patient"]),
		&unhex32(&w["origin"]),
	);
	assert_eq!(chain_aad, unhex(&c["aad"]));
	let next = ContentKey::from_bytes(unhex32(&c["next_key"]));
	assert_eq!(crypto::unchain_key(&next, &unhex(&c["link"]), &chain_aad).unwrap(), key);

	// Class tags, and the class key of a key file that has none.
	let t = &vectors["classes"];
	let class_key = ClassKey::from_bytes(unhex32(&t["class_key"]));
	for class in DataClass::ALL {
		assert_eq!(class_key.tag(class).0, unhex32(&t["tags"][class.code()]), "{class}");
	}
	assert_eq!(
		ClassKey::derived_from(&unhex32(&t["encryption_secret"])).as_bytes(),
		&unhex32(&t["derived_class_key"])
	);

	// The sealed key file opens with its passphrase into the identity it names.
	let k = &vectors["key_file"];
	let home = tempfile::tempdir().unwrap();
	std::fs::create_dir(home.path().join("keys")).unwrap();
	let name = text(&k["file"]["name"]);
	let file = home.path().join("keys").join(format!("{name}.json"));
	std::fs::write(&file, serde_json::to_vec(&k["file"]).unwrap()).unwrap();
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
	}
	let ring =
		KeyRing::new(home.path()).with_passphrase(Passphrase::new(text(&k["passphrase"])).unwrap());
	let patient = ring.load(name).unwrap();
	assert_eq!(patient.secret_uri(), text(&k["secret_uri"]));
	assert_eq!(patient.account().to_string(), text(&k["account"]));
	assert_eq!(patient.account().0, unhex32(&k["public_key"]));
	assert_eq!(patient.encryption_public(), unhex32(&k["encryption_public"]));
	assert_eq!(patient.class_key.as_bytes(), &unhex32(&k["class_key"]));
	let organisation = k["alias_organisation"].as_u64().unwrap() as u32;
	assert_eq!(
		patient.alias_for(organisation).unwrap().account().to_string(),
		text(&k["alias_account"])
	);
	let wrong =
		KeyRing::new(home.path()).with_passphrase(Passphrase::new("not the passphrase").unwrap());
	assert!(wrong.load(name).is_err());

	// The gateway request's message, and its signature by the key file's account.
	let g = &vectors["gateway_request"];
	let audience = AccountId::from(unhex32(&g["audience"]));
	let body = text(&g["body"]).as_bytes();
	let (method, path_and_query) = (text(&g["method"]), text(&g["path_and_query"]));
	let time = g["time"].as_u64().unwrap();
	let message = signed_request::message(&audience, method, path_and_query, time, body);
	assert_eq!(message, unhex(&g["message"]));
	let claimed = signed_request::Claimed::parse(text(&g["authorization"])).unwrap();
	assert_eq!(claimed.account, patient.account());
	claimed.verify(&audience, method, path_and_query, body, time, 60).unwrap();
}
