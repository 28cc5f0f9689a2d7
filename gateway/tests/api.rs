//! The gateway's HTTP face over each store backend: deposits, authentication, every error with
//! its status and `OperationOutcome`, a database that goes down and comes back, and no
//! plaintext anywhere in PostgreSQL.

use std::{
	collections::{HashMap, HashSet},
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc, Mutex,
	},
};

use axum::{
	body::Body,
	http::{header, Request, StatusCode},
	Router,
};
use http_body_util::BodyExt;
use medchain_client::{
	account::AccountId,
	consent::{ConsentAction, GatewayReceipt, PurposeOfUse},
	crypto,
	custody::Deposit,
	identity::Identity,
	records::Located,
	signed_request::authorization,
	store::cid_of,
};
use medchain_gateway::{
	app::{allow_origins, router, Gateway},
	ledger::{Answer, Ledger, LedgerError},
	store::{PgStore, Store, StoreError},
};
use medchain_test_utils::postgres::Postgres;
use serde_json::{json, Value};

const GENESIS: [u8; 32] = [0x6e; 32];
const NOW: u64 = 1_800_000_000;
/// Words of the fixture that must never reach the gateway's store.
const CANARIES: [&str; 3] = ["Quixote-Marchetti", "Zanzibar", "beats/minute"];

fn observation() -> Vec<u8> {
	let text = include_str!("../../cli/tests/fixtures/observation.json");
	serde_json::to_vec(&serde_json::from_str::<Value>(text).unwrap()).unwrap()
}

/// The chain as a test sets it: anchored versions, registered keys, what consent permits, and
/// every receipt written.
#[derive(Default)]
struct FakeLedger {
	versions: Mutex<HashMap<(u64, u32), Located>>,
	erased: Mutex<HashSet<u64>>,
	keys: Mutex<HashMap<AccountId, [u8; 32]>>,
	permitted: Mutex<HashSet<(AccountId, u64)>>,
	/// (requester, record, purpose, released) of every receipt, in order.
	receipts: Mutex<Vec<(AccountId, u64, PurposeOfUse, bool)>>,
	down: AtomicBool,
	/// The chain refuses the gateway's receipts (not its organisation's published gateway).
	refuses: AtomicBool,
}

impl FakeLedger {
	fn receipts(&self) -> Vec<(AccountId, u64, PurposeOfUse, bool)> {
		self.receipts.lock().unwrap().clone()
	}

	fn permit(&self, who: &Identity, record: u64) {
		self.permitted.lock().unwrap().insert((who.account(), record));
	}

	fn register_key(&self, who: &Identity) {
		self.keys.lock().unwrap().insert(who.account(), who.encryption_public());
	}

	fn check_up(&self) -> Result<(), LedgerError> {
		if self.down.load(Ordering::SeqCst) {
			return Err(LedgerError::Unavailable("the node does not answer".into()));
		}
		Ok(())
	}
}

impl Ledger for FakeLedger {
	fn locate(&self, record: u64, version: Option<u32>) -> Answer<'_, Located> {
		Box::pin(async move {
			self.check_up()?;
			if self.erased.lock().unwrap().contains(&record) {
				return Err(LedgerError::Erased(record));
			}
			let versions = self.versions.lock().unwrap();
			let current = versions.keys().filter(|(r, _)| *r == record).map(|(_, v)| *v).max();
			let version = version.or(current).unwrap_or(1);
			versions.get(&(record, version)).cloned().ok_or_else(|| {
				LedgerError::NotFound(format!("record {record} has no version {version}"))
			})
		})
	}

	fn records_of(&self, patient: AccountId) -> Answer<'_, Vec<Located>> {
		Box::pin(async move {
			self.check_up()?;
			let erased = self.erased.lock().unwrap().clone();
			let mut current: HashMap<u64, Located> = HashMap::new();
			for located in self.versions.lock().unwrap().values() {
				if located.patient != patient || erased.contains(&located.record) {
					continue;
				}
				let newer =
					current.get(&located.record).is_none_or(|l| l.version < located.version);
				if newer {
					current.insert(located.record, located.clone());
				}
			}
			let mut found: Vec<Located> = current.into_values().collect();
			found.sort_by_key(|l| l.record);
			Ok(found)
		})
	}

	fn encryption_key(&self, who: AccountId) -> Answer<'_, Option<[u8; 32]>> {
		Box::pin(async move {
			self.check_up()?;
			Ok(self.keys.lock().unwrap().get(&who).copied())
		})
	}

	fn receipt(
		&self,
		requester: AccountId,
		record: u64,
		purpose: PurposeOfUse,
		action: ConsentAction,
	) -> Answer<'_, GatewayReceipt> {
		Box::pin(async move {
			self.check_up()?;
			assert_eq!(action, ConsentAction::Read);
			if self.refuses.load(Ordering::SeqCst) {
				return Err(LedgerError::Refused("Consent::NotGateway".into()));
			}
			let released = self.permitted.lock().unwrap().contains(&(requester, record));
			let mut receipts = self.receipts.lock().unwrap();
			receipts.push((requester, record, purpose, released));
			Ok(GatewayReceipt {
				released,
				receipt: receipts.len() as u64 - 1,
				grant: None,
				block: 9,
			})
		})
	}
}

struct World {
	app: Router,
	state: Arc<Gateway>,
	ledger: Arc<FakeLedger>,
	clock: Arc<AtomicU64>,
	patient: Identity,
	author: Identity,
}

impl World {
	fn new(store: Store) -> Self {
		let clock = Arc::new(AtomicU64::new(NOW));
		let time = clock.clone();
		let ledger = Arc::new(FakeLedger::default());
		let state = Gateway {
			store,
			identity: Identity::from_secret_uri("gateway-a", "//GatewayA").unwrap(),
			genesis: GENESIS,
			replay_window: 60,
			clock: Arc::new(move || time.load(Ordering::SeqCst)),
			ledger: ledger.clone(),
		};
		let state = Arc::new(state);
		Self {
			app: router(state.clone()),
			state,
			ledger,
			clock,
			patient: Identity::from_secret_uri("patient", "//PatientP").unwrap(),
			author: Identity::from_secret_uri("doctor", "//DoctorD").unwrap(),
		}
	}

	/// A deposit of `plaintext` for the patient, its key wrapped for `recipient`.
	fn deposit_for(&self, plaintext: &[u8], recipient: &Identity) -> Deposit {
		let aad = crypto::record_aad(&GENESIS, &self.patient.account().0);
		let (key, envelope) = crypto::seal_record(plaintext, &aad).unwrap();
		let origin = crypto::commitment(&envelope);
		let context =
			crypto::wrap_aad(&GENESIS, &self.patient.account().0, &origin, &recipient.account().0);
		let wrapped = crypto::wrap_key(&key, &recipient.encryption_public(), &context).unwrap();
		Deposit {
			patient: self.patient.account(),
			envelope,
			wrapped_key: wrapped.to_vec(),
			origin: None,
		}
	}

	fn deposit(&self, plaintext: &[u8]) -> Deposit {
		self.deposit_for(plaintext, self.gateway())
	}

	/// A later version of the record whose origin is `origin`: its own key, wrapped for the
	/// gateway in the record's context.
	fn amendment(&self, plaintext: &[u8], origin: [u8; 32]) -> Deposit {
		let patient = self.patient.account();
		let (key, envelope) =
			crypto::seal_record(plaintext, &crypto::record_aad(&GENESIS, &patient.0)).unwrap();
		let context = crypto::wrap_aad(&GENESIS, &patient.0, &origin, &self.gateway().account().0);
		let wrapped = crypto::wrap_key(&key, &self.gateway().encryption_public(), &context);
		Deposit { patient, envelope, wrapped_key: wrapped.unwrap().to_vec(), origin: Some(origin) }
	}

	/// The gateway's own identity.
	fn gateway(&self) -> &Identity {
		&self.state.identity
	}

	/// A signed request as `signer` at the gateway's current time.
	fn signed(&self, signer: &Identity, method: &str, path: &str, body: Vec<u8>) -> Request<Body> {
		let time = self.clock.load(Ordering::SeqCst);
		let auth = authorization(signer, &self.gateway().account(), method, path, time, &body);
		Request::builder()
			.method(method)
			.uri(path)
			.header(header::AUTHORIZATION, auth)
			.header(header::CONTENT_TYPE, "application/fhir+json")
			.body(Body::from(body))
			.unwrap()
	}

	async fn send(&self, request: Request<Body>) -> (StatusCode, Value, axum::http::HeaderMap) {
		let response = tower::ServiceExt::oneshot(self.app.clone(), request).await.unwrap();
		let status = response.status();
		let headers = response.headers().clone();
		let bytes = response.into_body().collect().await.unwrap().to_bytes();
		let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
		(status, body, headers)
	}

	/// `deposit` is deposited and anchored as version `version` of `record` (origin: the first
	/// version's commitment).
	async fn anchor(&self, record: u64, version: u32, deposit: &Deposit) -> Located {
		self.anchor_as("Observation", record, version, deposit).await
	}

	/// As [`World::anchor`], the document deposited as a `resource_type`.
	async fn anchor_as(
		&self,
		resource_type: &str,
		record: u64,
		version: u32,
		deposit: &Deposit,
	) -> Located {
		let (status, body, _) = self.post(&format!("/fhir/{resource_type}"), deposit).await;
		assert_eq!(status, StatusCode::CREATED, "{body}");
		let located = Located {
			record,
			patient: self.patient.account(),
			custodian: Some(0),
			version,
			cid: cid_of(&deposit.envelope),
			ciphertext_hash: crypto::commitment(&deposit.envelope),
			plaintext_commitment: [0; 32],
			origin: deposit.origin(),
		};
		self.ledger.versions.lock().unwrap().insert((record, version), located.clone());
		located
	}

	/// A signed GET as `signer`, a second later than the last request.
	async fn get(
		&self,
		signer: &Identity,
		path: &str,
	) -> (StatusCode, Value, axum::http::HeaderMap) {
		self.clock.fetch_add(1, Ordering::SeqCst);
		self.send(self.signed(signer, "GET", path, Vec::new())).await
	}

	async fn post(
		&self,
		path: &str,
		deposit: &Deposit,
	) -> (StatusCode, Value, axum::http::HeaderMap) {
		let body = deposit.to_fhir().to_string().into_bytes();
		self.send(self.signed(&self.author, "POST", path, body)).await
	}
}

/// The diagnostics of an `OperationOutcome` with issue code `code`.
#[track_caller]
fn outcome(body: &Value, code: &str) -> String {
	assert_eq!(body["resourceType"], "OperationOutcome", "{body}");
	assert_eq!(body["issue"][0]["severity"], "error", "{body}");
	assert_eq!(body["issue"][0]["code"], code, "{body}");
	body["issue"][0]["diagnostics"].as_str().unwrap().to_string()
}

fn dir_store() -> (Store, tempfile::TempDir) {
	let dir = tempfile::tempdir().unwrap();
	(Store::directory(dir.path()).unwrap(), dir)
}

async fn pg_store() -> (Store, Postgres) {
	let pg = Postgres::start();
	(Store::Postgres(PgStore::open(&pg.url()).await.unwrap()), pg)
}

/// A deposit is stored (ciphertext and custody), answered 201 with its CID, and a second
/// deposit of the same document is harmless.
async fn deposits_are_stored_once(world: World) {
	let deposit = world.deposit(&observation());
	let cid = cid_of(&deposit.envelope);
	let (status, body, headers) = world.post("/fhir/Observation", &deposit).await;
	assert_eq!(status, StatusCode::CREATED, "{body}");
	assert_eq!(body["resourceType"], "Binary");
	assert_eq!(body["id"], cid.to_string());
	assert_eq!(headers[header::LOCATION], format!("/fhir/Binary/{cid}").as_str());
	assert_eq!(headers[header::CONTENT_TYPE], "application/fhir+json");
	// The same document again (a retry after a lost answer): accepted, still one copy.
	world.clock.fetch_add(1, Ordering::SeqCst);
	let (status, _, _) = world.post("/fhir/Observation", &deposit).await;
	assert_eq!(status, StatusCode::CREATED);

	let store = &world.state.store;
	let (envelope, custody) = store.get(&cid).await.unwrap().expect("stored");
	assert_eq!(envelope, deposit.envelope);
	assert_eq!(custody.patient, world.patient.account());
	assert_eq!(custody.author, world.author.account());
	assert_eq!(custody.resource_type, "Observation");
	assert_eq!(custody.origin, crypto::commitment(&deposit.envelope));
	assert_eq!(custody.wrapped_key, deposit.wrapped_key);
	let listed = store.of_patient(&world.patient.account(), Some("Observation")).await.unwrap();
	assert_eq!(listed, vec![custody]);
	assert!(store
		.of_patient(&world.patient.account(), Some("Condition"))
		.await
		.unwrap()
		.is_empty());
	assert!(store.of_patient(&world.author.account(), None).await.unwrap().is_empty());
}

/// Unsigned, badly signed, stale and replayed requests are 401 with `WWW-Authenticate`, and
/// store nothing.
async fn requests_must_be_signed_once(world: World) {
	let deposit = world.deposit(&observation());
	let body = deposit.to_fhir().to_string().into_bytes();

	let mut unsigned = world.signed(&world.author, "POST", "/fhir/Observation", body.clone());
	unsigned.headers_mut().remove(header::AUTHORIZATION);
	let (status, outcome_body, headers) = world.send(unsigned).await;
	assert_eq!(status, StatusCode::UNAUTHORIZED);
	assert_eq!(headers[header::WWW_AUTHENTICATE], "MedChain");
	assert!(outcome(&outcome_body, "security").contains("not signed"));

	// Signed over another body.
	let mut tampered = world.signed(&world.author, "POST", "/fhir/Observation", b"{}".to_vec());
	*tampered.body_mut() = Body::from(body.clone());
	let (status, outcome_body, _) = world.send(tampered).await;
	assert_eq!(status, StatusCode::UNAUTHORIZED);
	assert!(outcome(&outcome_body, "security").contains("does not match"));

	// Signed for another gateway.
	let time = world.clock.load(Ordering::SeqCst);
	let elsewhere = authorization(
		&world.author,
		&world.patient.account(),
		"POST",
		"/fhir/Observation",
		time,
		&body,
	);
	let mut misdirected = world.signed(&world.author, "POST", "/fhir/Observation", body.clone());
	misdirected.headers_mut().insert(header::AUTHORIZATION, elsewhere.parse().unwrap());
	let (status, _, _) = world.send(misdirected).await;
	assert_eq!(status, StatusCode::UNAUTHORIZED);

	let garbled = world.signed(&world.author, "POST", "/fhir/Observation", body.clone());
	let mut garbled = garbled;
	garbled.headers_mut().insert(header::AUTHORIZATION, "MedChain account=x".parse().unwrap());
	let (status, outcome_body, _) = world.send(garbled).await;
	assert_eq!(status, StatusCode::UNAUTHORIZED);
	assert!(outcome(&outcome_body, "security").contains("malformed"));

	// Stale: signed 61 s before the gateway's clock.
	let stale = world.signed(&world.author, "POST", "/fhir/Observation", body.clone());
	world.clock.fetch_add(61, Ordering::SeqCst);
	let (status, outcome_body, _) = world.send(stale).await;
	assert_eq!(status, StatusCode::UNAUTHORIZED);
	assert!(outcome(&outcome_body, "security").contains("more than 60 s"));
	assert!(world.state.store.get(&cid_of(&deposit.envelope)).await.unwrap().is_none());

	// Replayed: the same signed request twice.
	let first = world.signed(&world.author, "POST", "/fhir/Observation", body.clone());
	let mut again = world.signed(&world.author, "POST", "/fhir/Observation", body.clone());
	again
		.headers_mut()
		.insert(header::AUTHORIZATION, first.headers()[header::AUTHORIZATION].clone());
	assert_eq!(world.send(first).await.0, StatusCode::CREATED);
	let (status, outcome_body, _) = world.send(again).await;
	assert_eq!(status, StatusCode::UNAUTHORIZED);
	assert!(outcome(&outcome_body, "security").contains("replay"));
}

/// Content the gateway must refuse, each 422 with what is wrong, and nothing stored.
async fn bad_content_is_unprocessable(world: World) {
	let mut cases: Vec<(&str, Vec<u8>, &str)> = Vec::new();
	let good = world.deposit(&observation());
	cases.push((
		"/fhir/Observation",
		b"{\"resourceType\": \"Binary\", \"nope\": 1}".to_vec(),
		"not a FHIR R5 resource",
	));
	cases.push(("/fhir/Observation", b"not json".to_vec(), "not a FHIR R5 resource"));
	let mut plain = good.to_fhir();
	plain["contentType"] = json!("application/fhir+json");
	cases.push(("/fhir/Observation", plain.to_string().into_bytes(), "ciphertext only"));
	cases.push((
		"/fhir/Condition",
		good.to_fhir().to_string().into_bytes(),
		"is a Observation, not a Condition",
	));
	let not_fhir = world.deposit(br#"{"resourceType": "Observation", "status": "final", "valueQuantity": {"value": "seventy"}}"#);
	cases.push((
		"/fhir/Observation",
		not_fhir.to_fhir().to_string().into_bytes(),
		"not a valid FHIR R5 resource",
	));
	let for_author = world.deposit_for(&observation(), &world.author);
	cases.push((
		"/fhir/Observation",
		for_author.to_fhir().to_string().into_bytes(),
		"not wrapped for this gateway",
	));
	let mut tampered = world.deposit(&observation());
	let last = tampered.envelope.len() - 1;
	tampered.envelope[last] ^= 1;
	// The key's context names the origin, which the tampering changed: say which origin.
	tampered.origin = Some(crypto::commitment(&good.envelope));
	let mut rewrapped = tampered.clone();
	let aad = crypto::record_aad(&GENESIS, &world.patient.account().0);
	let (key, _) = crypto::seal_record(b"{}", &aad).unwrap();
	let context = crypto::wrap_aad(
		&GENESIS,
		&world.patient.account().0,
		&crypto::commitment(&good.envelope),
		&world.gateway().account().0,
	);
	rewrapped.wrapped_key =
		crypto::wrap_key(&key, &world.gateway().encryption_public(), &context).unwrap().to_vec();
	cases.push((
		"/fhir/Observation",
		rewrapped.to_fhir().to_string().into_bytes(),
		"does not open",
	));

	for (path, body, why) in cases {
		world.clock.fetch_add(1, Ordering::SeqCst);
		let (status, outcome_body, _) =
			world.send(world.signed(&world.author, "POST", path, body)).await;
		assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}: {outcome_body}");
		let diagnostics = outcome(&outcome_body, "invalid");
		assert!(diagnostics.contains(why), "{why}: {diagnostics}");
		for canary in CANARIES {
			assert!(!diagnostics.contains(canary), "{diagnostics}");
		}
	}
	assert!(world.state.store.of_patient(&world.patient.account(), None).await.unwrap().is_empty());
}

/// `/health`, an unknown path and an unsupported method.
async fn the_edges_answer_in_fhir(world: World) {
	let (status, body, _) = world.send(Request::get("/health").body(Body::empty()).unwrap()).await;
	assert_eq!(status, StatusCode::OK);
	assert_eq!(body["status"], "pass");
	assert_eq!(body["account"], world.gateway().account().to_string());
	assert_eq!(body["encryption_key"], hex::encode(world.gateway().encryption_public()));
	let (status, body, _) = world.send(Request::get("/nowhere").body(Body::empty()).unwrap()).await;
	assert_eq!(status, StatusCode::NOT_FOUND);
	assert!(outcome(&body, "not-found").contains("/nowhere"));
	let (status, body, _) =
		world.send(Request::delete("/fhir/Observation").body(Body::empty()).unwrap()).await;
	assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
	assert!(outcome(&body, "not-supported").contains("DELETE"));
	// A body over the limit is refused by the HTTP layer, still in FHIR's words.
	let huge = vec![b' '; medchain_gateway::app::MAX_BODY + 1];
	let (status, body, headers) =
		world.send(world.signed(&world.author, "POST", "/fhir/Observation", huge)).await;
	assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
	assert_eq!(headers[header::CONTENT_TYPE], "application/fhir+json");
	assert!(outcome(&body, "too-costly").contains("16 MiB"));
}

/// What a release hands `reader`: the document's plaintext, opened with the data key the
/// gateway re-wrapped for them in the record's context.
fn open_release(world: &World, body: &Value, reader: &Identity, located: &Located) -> Vec<u8> {
	let released = Deposit::from_fhir(body.to_string().as_bytes()).unwrap();
	assert_eq!(released.patient, world.patient.account());
	assert_eq!(released.origin, Some(located.origin));
	assert_eq!(crypto::commitment(&released.envelope), located.ciphertext_hash);
	let wrapped = crypto::WrappedKey::from_bytes(&released.wrapped_key).unwrap();
	let patient = world.patient.account();
	let context = crypto::wrap_aad(&GENESIS, &patient.0, &located.origin, &reader.account().0);
	let key = medchain_client::records::unwrap_with_any(&wrapped, reader, &context).unwrap();
	crypto::open_record(&key, &released.envelope, &crypto::record_aad(&GENESIS, &patient.0))
		.unwrap()
}

/// Reads: a receipt on chain before anything leaves, released with the key re-wrapped for the
/// reader, or refused with 403; every other error with its status, and no receipt for a
/// request that never reached consent.
async fn reads_are_released_under_consent(world: World) {
	let reader = Identity::from_secret_uri("reader", "//ReaderR").unwrap();
	world.ledger.register_key(&reader);
	let first = world.deposit(&observation());
	let v1 = world.anchor(7, 1, &first).await;

	// Refused by consent: 403, and the refused attempt has its receipt.
	let (status, body, _) = world.get(&reader, "/fhir/Observation/7?purpose=TREAT").await;
	assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
	assert!(outcome(&body, "forbidden").contains("receipt 0 in the patient's access log"));
	assert_eq!(
		world.ledger.receipts(),
		vec![(reader.account(), 7, PurposeOfUse::Treatment, false)]
	);

	// Permitted: the envelope and a key only the reader opens, after the receipt.
	world.ledger.permit(&reader, 7);
	let (status, body, headers) = world.get(&reader, "/fhir/Observation/7").await;
	assert_eq!(status, StatusCode::OK, "{body}");
	assert_eq!(body["resourceType"], "Binary");
	assert_eq!(body["id"], "7");
	assert_eq!(body["meta"]["versionId"], "1");
	assert_eq!(headers[header::ETAG], "W/\"1\"");
	assert_eq!(headers["x-medchain-receipt"], "1");
	assert_eq!(open_release(&world, &body, &reader, &v1), observation());
	let released = Deposit::from_fhir(body.to_string().as_bytes()).unwrap();
	let context = crypto::wrap_aad(
		&GENESIS,
		&world.patient.account().0,
		&v1.origin,
		&world.author.account().0,
	);
	let wrapped = crypto::WrappedKey::from_bytes(&released.wrapped_key).unwrap();
	assert!(medchain_client::records::unwrap_with_any(&wrapped, &world.author, &context).is_err());

	// Any type as Binary; a version by its history; the purpose goes into the receipt.
	let (status, body, _) = world.get(&reader, "/fhir/Binary/7/_history/1?purpose=ETREAT").await;
	assert_eq!(status, StatusCode::OK, "{body}");
	assert_eq!(open_release(&world, &body, &reader, &v1), observation());
	assert_eq!(
		world.ledger.receipts().last(),
		Some(&(reader.account(), 7, PurposeOfUse::EmergencyTreatment, true))
	);
	// A second version, its key wrapped in the first version's origin.
	let amended = br#"{"resourceType": "Observation", "status": "amended", "code": {"text": "x"}}"#;
	let second = world.amendment(amended, v1.origin);
	let v2 = world.anchor(7, 2, &second).await;
	// An amendment of another type than the record's: 422, nothing stored.
	let wrong = world.amendment(br#"{"resourceType": "Patient", "gender": "female"}"#, v1.origin);
	let (status, body, _) = world.post("/fhir/Patient", &wrong).await;
	assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
	assert!(outcome(&body, "invalid").contains("amends is a Observation, not a Patient"));
	assert!(world.state.store.get(&cid_of(&wrong.envelope)).await.unwrap().is_none());
	let (status, body, _) = world.get(&reader, "/fhir/Observation/7").await;
	assert_eq!(status, StatusCode::OK, "{body}");
	assert_eq!(body["meta"]["versionId"], "2");
	assert_eq!(open_release(&world, &body, &reader, &v2), amended.to_vec());
	let (_, body, _) = world.get(&reader, "/fhir/Observation/7/_history/1").await;
	assert_eq!(open_release(&world, &body, &reader, &v1), observation());
	let receipts = world.ledger.receipts().len();

	// Errors before consent is asked: no receipt for any of them.
	let cases: [(&str, StatusCode, &str, &str); 7] = [
		("/fhir/Condition/7", StatusCode::NOT_FOUND, "not-found", "is not a Condition"),
		("/fhir/Observation/99", StatusCode::NOT_FOUND, "not-found", "has no version"),
		("/fhir/Observation/abc", StatusCode::NOT_FOUND, "not-found", "ids are numbers"),
		("/fhir/Observation/7/_history/3", StatusCode::NOT_FOUND, "not-found", "no version 3"),
		("/fhir/Observation/7/_history/0", StatusCode::NOT_FOUND, "not-found", "no version 0"),
		("/fhir/Observation/7/_history/x", StatusCode::NOT_FOUND, "not-found", "no version x"),
		(
			"/fhir/Observation/7?purpose=CURIOSITY",
			StatusCode::BAD_REQUEST,
			"structure",
			"TREAT, ETREAT",
		),
	];
	for (path, expected, code, why) in cases {
		let (status, body, _) = world.get(&reader, path).await;
		assert_eq!(status, expected, "{path}: {body}");
		assert!(outcome(&body, code).contains(why), "{path}: {body}");
	}
	// A requester without a registered key gets nothing to open.
	let keyless = Identity::from_secret_uri("keyless", "//Keyless").unwrap();
	world.ledger.permit(&keyless, 7);
	let (status, body, _) = world.get(&keyless, "/fhir/Observation/7").await;
	assert_eq!(status, StatusCode::FORBIDDEN);
	assert!(outcome(&body, "forbidden").contains("no encryption key"));
	// A version anchored elsewhere (its ciphertext not here).
	let elsewhere = Located { cid: cid_of(b"held by another custodian"), ..v1.clone() };
	world.ledger.versions.lock().unwrap().insert((8, 1), elsewhere);
	let (status, body, _) = world.get(&reader, "/fhir/Observation/8").await;
	assert_eq!(status, StatusCode::NOT_FOUND);
	assert!(outcome(&body, "not-found").contains("does not hold version 1 of record 8"));
	// Unsigned.
	let (status, _, _) =
		world.send(Request::get("/fhir/Observation/7").body(Body::empty()).unwrap()).await;
	assert_eq!(status, StatusCode::UNAUTHORIZED);
	assert_eq!(world.ledger.receipts().len(), receipts);

	// Erased: 410. The chain down: 503, nothing released. The chain refusing this gateway's
	// receipts (not published as the custodian's): 500, nothing released.
	world.ledger.erased.lock().unwrap().insert(7);
	let (status, body, _) = world.get(&reader, "/fhir/Observation/7").await;
	assert_eq!(status, StatusCode::GONE);
	assert!(outcome(&body, "deleted").contains("erased"));
	world.ledger.erased.lock().unwrap().clear();
	world.ledger.down.store(true, Ordering::SeqCst);
	let (status, body, headers) = world.get(&reader, "/fhir/Observation/7").await;
	assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
	assert_eq!(headers[header::RETRY_AFTER], "5");
	assert!(outcome(&body, "transient").contains("nothing was released"));
	world.ledger.down.store(false, Ordering::SeqCst);
	world.ledger.refuses.store(true, Ordering::SeqCst);
	let (status, body, _) = world.get(&reader, "/fhir/Observation/7").await;
	assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
	assert!(outcome(&body, "exception").contains("published in the directory"));
	assert_eq!(world.ledger.receipts().len(), receipts);
}

/// The entries of a search answer: (record, version, receipt) of each released document, and
/// the diagnostics of its outcome entry, if any.
fn search_entries(body: &Value) -> (Vec<(u64, u32, u64)>, Option<String>) {
	assert_eq!(body["resourceType"], "Bundle", "{body}");
	assert_eq!(body["type"], "searchset");
	let mut released = Vec::new();
	let mut outcome = None;
	for entry in body["entry"].as_array().unwrap() {
		let resource = &entry["resource"];
		match entry["search"]["mode"].as_str().unwrap() {
			"match" => {
				let number = |v: &Value| v.as_str().unwrap().parse::<u64>().unwrap();
				assert_eq!(
					entry["fullUrl"],
					format!("Binary/{}", resource["id"].as_str().unwrap())
				);
				assert_eq!(
					resource["meta"]["tag"][0]["system"],
					medchain_client::gateway::RECEIPT_TAG
				);
				released.push((
					number(&resource["id"]),
					number(&resource["meta"]["versionId"]) as u32,
					number(&resource["meta"]["tag"][0]["code"]),
				));
			},
			"outcome" => {
				assert_eq!(resource["issue"][0]["code"], "suppressed");
				outcome = Some(resource["issue"][0]["diagnostics"].as_str().unwrap().to_string());
			},
			other => panic!("entry mode {other}"),
		}
	}
	(released, outcome)
}

/// The `next` link of a search answer, as a path.
fn next_link(body: &Value) -> Option<String> {
	body["link"]
		.as_array()
		.unwrap()
		.iter()
		.find(|l| l["relation"] == "next")
		.map(|l| format!("/fhir/{}", l["url"].as_str().unwrap()))
}

/// Search by patient: only the patient's records whose current version is held here, one
/// receipt per match, released ones in the bundle (opened by the reader), refused ones named
/// by their receipts; pages; and every malformed search refused before any receipt.
async fn searches_release_what_consent_permits(world: World) {
	let reader = Identity::from_secret_uri("reader", "//ReaderR").unwrap();
	world.ledger.register_key(&reader);
	let patient = world.patient.account();
	// 7: an Observation; 8: an Observation amended (version 2 current); 9: anchored, held by
	// another custodian; 10: another patient's, held here.
	let v7 = world.anchor(7, 1, &world.deposit(&observation())).await;
	let first = world.deposit(
		br#"{"resourceType": "Observation", "status": "preliminary", "code": {"text": "x"}}"#,
	);
	let v8 = world.anchor(8, 1, &first).await;
	let amended = br#"{"resourceType": "Observation", "status": "final", "code": {"text": "x"}}"#;
	let v8 = world.anchor(8, 2, &world.amendment(amended, v8.origin)).await;
	let elsewhere = Located { record: 9, cid: cid_of(b"held by another custodian"), ..v7.clone() };
	world.ledger.versions.lock().unwrap().insert((9, 1), elsewhere);
	let other = World { patient: Identity::from_secret_uri("o", "//PatientO").unwrap(), ..world };
	other.anchor(10, 1, &other.deposit(&observation())).await;
	let world =
		World { patient: Identity::from_secret_uri("patient", "//PatientP").unwrap(), ..other };
	world.ledger.permit(&reader, 7);

	let search = format!("/fhir/Observation?patient={patient}&purpose=HPAYMT");
	let (status, body, _) = world.get(&reader, &search).await;
	assert_eq!(status, StatusCode::OK, "{body}");
	let (released, refused) = search_entries(&body);
	assert_eq!(released, vec![(7, 1, 0)]);
	assert!(refused
		.unwrap()
		.contains("1 matching record(s) for HPAYMT; the refused attempts are receipts 1"));
	assert_eq!(
		world.ledger.receipts(),
		vec![
			(reader.account(), 7, PurposeOfUse::Payment, true),
			(reader.account(), 8, PurposeOfUse::Payment, false),
		]
	);
	assert_eq!(next_link(&body), None);
	let entry = &body["entry"][0]["resource"];
	assert_eq!(open_release(&world, entry, &reader, &v7), observation());

	// Pages of one: 7, then (by the next link) 8 with its current version.
	world.ledger.permit(&reader, 8);
	let paged = format!("/fhir/Binary?patient=Patient/{patient}&_count=1");
	let (status, body, _) = world.get(&reader, &paged).await;
	assert_eq!(status, StatusCode::OK, "{body}");
	assert_eq!(search_entries(&body), (vec![(7, 1, 2)], None));
	let next = next_link(&body).expect("a next page");
	assert!(next.ends_with("&_after=7"), "{next}");
	let (status, body, _) = world.get(&reader, &next).await;
	assert_eq!(status, StatusCode::OK, "{body}");
	assert_eq!(search_entries(&body), (vec![(8, 2, 3)], None));
	assert_eq!(next_link(&body), None);
	assert_eq!(open_release(&world, &body["entry"][0]["resource"], &reader, &v8), amended.to_vec());

	// Nothing of that type here, or nothing of the patient's: an empty bundle, no receipt.
	let receipts = world.ledger.receipts().len();
	for path in [
		format!("/fhir/Condition?patient={patient}"),
		format!("/fhir/Observation?patient={}", reader.account()),
	] {
		let (status, body, _) = world.get(&reader, &path).await;
		assert_eq!(status, StatusCode::OK, "{path}: {body}");
		assert_eq!(search_entries(&body), (vec![], None), "{path}");
	}
	// An erased record no longer matches.
	world.ledger.erased.lock().unwrap().insert(7);
	let (_, body, _) = world.get(&reader, &format!("/fhir/Observation?patient={patient}")).await;
	assert_eq!(search_entries(&body).0.iter().map(|e| e.0).collect::<Vec<_>>(), vec![8]);
	world.ledger.erased.lock().unwrap().clear();
	let receipts = receipts + 1;

	// Malformed searches, and a reader with no key: refused before any receipt.
	let cases: Vec<(String, StatusCode, &str, &str)> = vec![
		("/fhir/Observation".into(), StatusCode::BAD_REQUEST, "structure", "names the patient"),
		(
			"/fhir/Observation?patient=nobody".into(),
			StatusCode::BAD_REQUEST,
			"structure",
			"is not an account",
		),
		(
			format!("/fhir/Observation?patient={patient}&_count=0"),
			StatusCode::BAD_REQUEST,
			"structure",
			"from 1 to 20",
		),
		(
			format!("/fhir/Observation?patient={patient}&_count=21"),
			StatusCode::BAD_REQUEST,
			"structure",
			"from 1 to 20",
		),
		(
			format!("/fhir/Observation?patient={patient}&_after=x"),
			StatusCode::BAD_REQUEST,
			"structure",
			"must be a record id",
		),
		(
			format!("/fhir/Observation?patient={patient}&code=8867-4"),
			StatusCode::BAD_REQUEST,
			"structure",
			"unsupported search parameter \"code\"",
		),
		(
			format!("/fhir/Observation?patient={patient}&patient={patient}"),
			StatusCode::BAD_REQUEST,
			"structure",
			"names patient twice",
		),
		(
			format!("/fhir/Observation?patient={patient}&purpose=CURIOSITY"),
			StatusCode::BAD_REQUEST,
			"structure",
			"TREAT, ETREAT",
		),
	];
	for (path, expected, code, why) in cases {
		let (status, body, _) = world.get(&reader, &path).await;
		assert_eq!(status, expected, "{path}: {body}");
		assert!(outcome(&body, code).contains(why), "{path}: {body}");
	}
	let keyless = Identity::from_secret_uri("keyless", "//Keyless").unwrap();
	let (status, body, _) =
		world.get(&keyless, &format!("/fhir/Observation?patient={patient}")).await;
	assert_eq!(status, StatusCode::FORBIDDEN);
	assert!(outcome(&body, "forbidden").contains("no encryption key"));
	let unsigned = Request::get(format!("/fhir/Observation?patient={patient}").as_str());
	let (status, _, _) = world.send(unsigned.body(Body::empty()).unwrap()).await;
	assert_eq!(status, StatusCode::UNAUTHORIZED);
	// The chain down: 503, nothing released.
	world.ledger.down.store(true, Ordering::SeqCst);
	let (status, body, _) =
		world.get(&reader, &format!("/fhir/Observation?patient={patient}")).await;
	assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
	assert!(outcome(&body, "transient").contains("nothing was released"));
	world.ledger.down.store(false, Ordering::SeqCst);
	assert_eq!(world.ledger.receipts().len(), receipts);
}

/// A prescription and its dispensing (FHIR R5 MedicationRequest, MedicationDispense) are records
/// like any other: deposited as their type, released only under consent, each read receipted,
/// and never served as another type.
async fn prescription_documents_are_served_like_other_records(world: World) {
	let pharmacist = Identity::from_secret_uri("pharmacist", "//PharmacistP").unwrap();
	world.ledger.register_key(&pharmacist);
	let request = br#"{"resourceType": "MedicationRequest", "status": "active", "intent": "order",
		"medication": {"concept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
		"code": "197361", "display": "Amlodipine 5 MG Oral Tablet"}]}},
		"subject": {"reference": "Patient/p"},
		"dispenseRequest": {"numberOfRepeatsAllowed": 1}}"#;
	let dispense = br#"{"resourceType": "MedicationDispense", "status": "completed",
		"medication": {"concept": {"text": "Amlodipine 5 MG Oral Tablet"}},
		"subject": {"reference": "Patient/p"},
		"quantity": {"value": 30, "unit": "tablet"}}"#;
	for (record, resource_type, document) in
		[(11, "MedicationRequest", &request[..]), (12, "MedicationDispense", &dispense[..])]
	{
		let deposit = world.deposit(document);
		let located = world.anchor_as(resource_type, record, 1, &deposit).await;
		let (_, custody) = world.state.store.get(&located.cid).await.unwrap().expect("stored");
		assert_eq!(custody.resource_type, resource_type);

		let path = format!("/fhir/{resource_type}/{record}");
		let (status, body, _) = world.get(&pharmacist, &path).await;
		assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
		world.ledger.permit(&pharmacist, record);
		let (status, body, _) = world.get(&pharmacist, &path).await;
		assert_eq!(status, StatusCode::OK, "{body}");
		assert_eq!(open_release(&world, &body, &pharmacist, &located), document);
		assert_eq!(
			world.ledger.receipts().last(),
			Some(&(pharmacist.account(), record, PurposeOfUse::Treatment, true))
		);
		// Asked for as an Observation, it is not one.
		let (status, body, _) =
			world.get(&pharmacist, &format!("/fhir/Observation/{record}")).await;
		assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
	}
	// A MedicationRequest that is not one (no intent): refused before anything is stored.
	let broken = br#"{"resourceType": "MedicationRequest", "status": "active",
		"medication": {"concept": {"text": "x"}}, "subject": {"reference": "Patient/p"}}"#;
	let deposit = world.deposit(broken);
	let (status, body, _) = world.post("/fhir/MedicationRequest", &deposit).await;
	assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
	assert!(world.state.store.get(&cid_of(&deposit.envelope)).await.unwrap().is_none());
}

#[tokio::test]
async fn directory_store_serves_prescription_documents_like_other_records() {
	let (store, _dir) = dir_store();
	prescription_documents_are_served_like_other_records(World::new(store)).await;
}

#[tokio::test]
async fn directory_store_searches_release_what_consent_permits() {
	let (store, _dir) = dir_store();
	searches_release_what_consent_permits(World::new(store)).await;
}

#[tokio::test]
async fn directory_store_reads_are_released_under_consent() {
	let (store, _dir) = dir_store();
	reads_are_released_under_consent(World::new(store)).await;
}

#[tokio::test]
async fn directory_store_deposits_are_stored_once() {
	let (store, _dir) = dir_store();
	deposits_are_stored_once(World::new(store)).await;
}

#[tokio::test]
async fn directory_store_requests_must_be_signed_once() {
	let (store, _dir) = dir_store();
	requests_must_be_signed_once(World::new(store)).await;
}

#[tokio::test]
async fn directory_store_bad_content_is_unprocessable() {
	let (store, _dir) = dir_store();
	bad_content_is_unprocessable(World::new(store)).await;
}

/// A page of an allowed origin (the patient portal) may call the gateway from a browser and read
/// its answers; a page of any other origin gets no CORS headers, so the browser keeps the answer
/// from it; and without allowed origins the gateway sends none at all.
#[tokio::test]
async fn only_allowed_origins_may_call_from_a_browser() {
	let (store, _dir) = dir_store();
	let mut world = World::new(store);
	let plain = world.app.clone();
	world.app = allow_origins(world.app.clone(), &["http://127.0.0.1:5173".into()]).unwrap();
	let preflight = |origin: &str| {
		Request::builder()
			.method("OPTIONS")
			.uri("/fhir/Observation/0")
			.header(header::ORIGIN, origin)
			.header(header::ACCESS_CONTROL_REQUEST_METHOD, "GET")
			.header(header::ACCESS_CONTROL_REQUEST_HEADERS, "authorization")
			.body(Body::empty())
			.unwrap()
	};
	let (status, _, headers) = world.send(preflight("http://127.0.0.1:5173")).await;
	assert_eq!(status, StatusCode::OK);
	assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "http://127.0.0.1:5173");
	let allowed = headers[header::ACCESS_CONTROL_ALLOW_HEADERS].to_str().unwrap();
	assert!(allowed.contains("authorization"), "{allowed}");
	let methods = headers[header::ACCESS_CONTROL_ALLOW_METHODS].to_str().unwrap();
	assert!(methods.contains("GET") && methods.contains("POST"), "{methods}");

	// The call itself (here unsigned, so refused) carries the header the browser needs to
	// show the page the refusal.
	let call = |origin: &str| {
		Request::builder()
			.uri("/fhir/Observation/0")
			.header(header::ORIGIN, origin)
			.body(Body::empty())
			.unwrap()
	};
	let (status, body, headers) = world.send(call("http://127.0.0.1:5173")).await;
	assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
	assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "http://127.0.0.1:5173");

	// Another origin: no CORS headers, on the preflight or the call.
	let (_, _, headers) = world.send(preflight("https://evil.example")).await;
	assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
	let (_, _, headers) = world.send(call("https://evil.example")).await;
	assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());

	// No allowed origins: none for anyone; the preflight is a method the gateway does not serve.
	world.app = plain;
	let (status, _, headers) = world.send(preflight("http://127.0.0.1:5173")).await;
	assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
	assert!(headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
	let bad = allow_origins(router(world.state.clone()), &["http://a\nb".into()]).unwrap_err();
	assert!(bad.contains("not a valid header value"), "{bad}");
}

/// A document whose envelope went missing or was altered on disk is reported damaged, never
/// served.
#[tokio::test]
async fn directory_store_reports_damaged_documents() {
	let (store, dir) = dir_store();
	let world = World::new(store);
	let deposit = world.deposit(&observation());
	assert_eq!(world.post("/fhir/Observation", &deposit).await.0, StatusCode::CREATED);
	let cid = cid_of(&deposit.envelope);
	let file = dir.path().join("envelopes").join(cid.to_string());
	let mut altered = std::fs::read(&file).unwrap();
	altered[0] ^= 1;
	std::fs::write(&file, &altered).unwrap();
	match world.state.store.get(&cid).await {
		Err(StoreError::Corrupt(which)) => assert_eq!(which, cid.to_string()),
		other => panic!("{other:?}"),
	}
	std::fs::remove_file(&file).unwrap();
	match world.state.store.get(&cid).await {
		Err(StoreError::Corrupt(which)) => assert_eq!(which, cid.to_string()),
		other => panic!("{other:?}"),
	}
}

#[tokio::test]
async fn directory_store_edges() {
	let (store, _dir) = dir_store();
	let world = World::new(store);
	the_edges_answer_in_fhir(world).await;
}

/// Everything on one PostgreSQL server (a cluster start costs seconds): the same checks as the
/// directory store, then the database going down and coming back, the migrations, and a scan
/// of every table for plaintext.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_store() {
	let (_, mut pg) = pg_store().await;
	let url = pg.url();
	let open = async || Store::Postgres(PgStore::open(&url).await.unwrap());
	deposits_are_stored_once(World::new(open().await)).await;
	requests_must_be_signed_once(World::new(open().await)).await;
	the_edges_answer_in_fhir(World::new(open().await)).await;
	reads_are_released_under_consent(World::new(open().await)).await;
	searches_release_what_consent_permits(World::new(open().await)).await;
	prescription_documents_are_served_like_other_records(World::new(open().await)).await;

	// Bad content against a patient with nothing stored yet.
	let world = World::new(open().await);
	let world = World { patient: Identity::from_secret_uri("p2", "//PatientQ").unwrap(), ..world };
	bad_content_is_unprocessable(world).await;

	// The database goes down: 503 with Retry-After, nothing half-written; it comes back and the
	// same gateway (same connection pool) carries on.
	let world = World::new(open().await);
	let deposit = world.deposit(&observation());
	pg.stop();
	let (status, body, headers) = world.post("/fhir/Observation", &deposit).await;
	assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
	assert_eq!(headers[header::RETRY_AFTER], "5");
	assert!(outcome(&body, "transient").contains("nothing was changed"));
	let (status, body, _) = world.send(Request::get("/health").body(Body::empty()).unwrap()).await;
	assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
	outcome(&body, "transient");
	pg.restart();
	assert!(world.state.store.get(&cid_of(&deposit.envelope)).await.unwrap().is_none());
	world.clock.fetch_add(1, Ordering::SeqCst);
	let (status, body, _) = world.post("/fhir/Observation", &deposit).await;
	assert_eq!(status, StatusCode::CREATED, "{body}");

	// An envelope altered in the database is reported damaged, never served.
	let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
	tokio::spawn(connection);
	let cid = cid_of(&deposit.envelope);
	client
		.execute(
			"UPDATE envelopes SET bytes = set_byte(bytes, 0, get_byte(bytes, 0) # 1) WHERE cid = $1",
			&[&cid.to_string()],
		)
		.await
		.unwrap();
	match world.state.store.get(&cid).await {
		Err(StoreError::Corrupt(which)) => assert_eq!(which, cid.to_string()),
		other => panic!("{other:?}"),
	}

	// Migrations ran once however many gateways connected.
	let versions: Vec<i32> = client
		.query("SELECT version FROM schema_migrations ORDER BY version", &[])
		.await
		.unwrap()
		.iter()
		.map(|row| row.get(0))
		.collect();
	assert_eq!(versions, vec![1, 2]);

	// No plaintext in any column of any table: every value as text (bytea as its raw bytes).
	let tables: Vec<String> = client
		.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", &[])
		.await
		.unwrap()
		.iter()
		.map(|row| row.get(0))
		.collect();
	assert!(tables.contains(&"envelopes".to_string()) && tables.contains(&"custody".to_string()));
	let mut scanned = 0usize;
	for table in tables {
		let rows = client.query(&format!("SELECT t::text FROM {table} t"), &[]).await.unwrap();
		for row in rows {
			let text: String = row.get(0);
			scanned += 1;
			for canary in CANARIES {
				assert!(!text.contains(canary), "{table} holds plaintext: {canary}");
			}
		}
		// bytea columns, raw.
		let columns: Vec<String> = client
			.query(
				"SELECT column_name::text FROM information_schema.columns \
				 WHERE table_name = $1 AND data_type = 'bytea'",
				&[&table],
			)
			.await
			.unwrap()
			.iter()
			.map(|row| row.get(0))
			.collect();
		for column in columns {
			for row in client.query(&format!("SELECT {column} FROM {table}"), &[]).await.unwrap() {
				let bytes: Vec<u8> = row.get(0);
				for canary in CANARIES {
					assert!(
						!bytes.windows(canary.len()).any(|w| w == canary.as_bytes()),
						"{table}.{column} holds plaintext: {canary}"
					);
				}
			}
		}
	}
	assert!(scanned >= 4, "the scan saw {scanned} rows");
}
