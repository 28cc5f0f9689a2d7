//! The client library's gateway client against a real gateway listening on loopback: health,
//! deposits, and each way a request can fail as the client reports it.

use std::{sync::Arc, time::Duration};

use medchain_client::{
	crypto,
	custody::Deposit,
	gateway::{Gateway as GatewayClient, GatewayError},
	identity::Identity,
	store::cid_of,
};
use medchain_gateway::{
	app::{router, system_clock, Gateway},
	store::Store,
};

const GENESIS: [u8; 32] = [0x6e; 32];

/// A gateway serving on a free loopback port, with its own directory store.
async fn serve() -> (String, Arc<Gateway>, tempfile::TempDir) {
	let dir = tempfile::tempdir().unwrap();
	let state = Arc::new(Gateway {
		store: Store::directory(dir.path()).unwrap(),
		identity: Identity::from_secret_uri("gateway-b", "//GatewayB").unwrap(),
		genesis: GENESIS,
		replay_window: 60,
		clock: system_clock(),
		ledger: Arc::new(medchain_gateway::ledger::Unconnected),
	});
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let url = format!("http://{}", listener.local_addr().unwrap());
	let app = router(state.clone());
	tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
	(url, state, dir)
}

fn deposit(gateway: &Identity, patient: &Identity, plaintext: &[u8]) -> Deposit {
	let aad = crypto::record_aad(&GENESIS, &patient.account().0);
	let (key, envelope) = crypto::seal_record(plaintext, &aad).unwrap();
	let origin = crypto::commitment(&envelope);
	let context = crypto::wrap_aad(&GENESIS, &patient.account().0, &origin, &gateway.account().0);
	let wrapped = crypto::wrap_key(&key, &gateway.encryption_public(), &context).unwrap();
	Deposit { patient: patient.account(), envelope, wrapped_key: wrapped.to_vec(), origin: None }
}

fn observation() -> Vec<u8> {
	include_bytes!("../../cli/tests/fixtures/observation.json").to_vec()
}

#[tokio::test]
async fn the_client_deposits_and_reports_each_refusal() {
	let (url, state, _dir) = serve().await;
	let me = state.identity.account();
	let client = GatewayClient::new(&url, me, Duration::from_secs(10)).unwrap();
	let patient = Identity::from_secret_uri("patient", "//PatientP").unwrap();
	let doctor = Identity::from_secret_uri("doctor", "//DoctorD").unwrap();

	let health = client.health().await.unwrap();
	assert_eq!(health.store, "directory");
	assert_eq!(health.encryption_key, state.identity.encryption_public());
	let good = deposit(&state.identity, &patient, &observation());
	let cid = client.deposit(&doctor, "Observation", &good).await.unwrap();
	assert_eq!(cid, cid_of(&good.envelope));
	let (stored, custody) = state.store.get(&cid).await.unwrap().unwrap();
	assert_eq!(stored, good.envelope);
	assert_eq!(custody.author, doctor.account());

	// The gateway's words come back as they are.
	match client.deposit(&doctor, "Condition", &good).await {
		Err(GatewayError::Refused { status: 422, code, diagnostics, .. }) => {
			assert_eq!(code, "invalid");
			assert!(diagnostics.contains("not a Condition"), "{diagnostics}");
		},
		other => panic!("{other:?}"),
	}

	// A read the gateway cannot put to the chain (it has none here): its 503, in its words.
	let purpose = medchain_client::consent::PurposeOfUse::Treatment;
	match client.read(&doctor, 3, Some(1), purpose).await {
		Err(GatewayError::Refused { status: 503, code, diagnostics, .. }) => {
			assert_eq!(code, "transient");
			assert!(diagnostics.contains("nothing was released"), "{diagnostics}");
		},
		other => panic!("{other:?}"),
	}
	// A search needs the chain too.
	match client.search(&doctor, "Binary", &patient.account(), purpose, Some(2)).await {
		Err(GatewayError::Refused { status: 503, code, .. }) => assert_eq!(code, "transient"),
		other => panic!("{other:?}"),
	}

	// Signed for another gateway's account: the gateway refuses the signature, and its health
	// shows it is not the gateway expected.
	let wrong = GatewayClient::new(&url, doctor.account(), Duration::from_secs(10)).unwrap();
	match wrong.deposit(&doctor, "Observation", &good).await {
		Err(GatewayError::Refused { status: 401, code, .. }) => assert_eq!(code, "security"),
		other => panic!("{other:?}"),
	}
	match wrong.health().await {
		Err(GatewayError::BadAnswer { reason, .. }) => {
			assert!(reason.contains(&format!("gateway of {me}")), "{reason}")
		},
		other => panic!("{other:?}"),
	}
}

#[tokio::test]
async fn unusable_urls_and_absent_gateways_are_named() {
	let account = Identity::from_secret_uri("gw", "//GatewayB").unwrap().account();
	for (url, why) in [
		("ftp://127.0.0.1:1", "http:// or https://"),
		("127.0.0.1:8480", "http:// or https://"),
		("http://127.0.0.1:8480/?x=1", "query"),
		("not a url", "invalid"),
	] {
		match GatewayClient::new(url, account, Duration::from_secs(1)) {
			Err(e @ GatewayError::BadUrl { .. }) => {
				assert!(e.to_string().contains(why), "{url}: {e}")
			},
			other => panic!("{url}: {:?}", other.map(|_| ())),
		}
	}
	// Nothing listens on the port a listener just gave back.
	let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
	let absent =
		GatewayClient::new(&format!("http://127.0.0.1:{port}"), account, Duration::from_secs(5))
			.unwrap();
	match absent.health().await {
		Err(e @ GatewayError::Unreachable { .. }) => {
			assert!(e.to_string().contains("unreachable"), "{e}")
		},
		other => panic!("{other:?}"),
	}
	// Something that is not a gateway.
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let url = format!("http://{}", listener.local_addr().unwrap());
	let other = axum::Router::new().route("/health", axum::routing::get(|| async { "OK" }));
	tokio::spawn(async move { axum::serve(listener, other).await.unwrap() });
	let impostor = GatewayClient::new(&url, account, Duration::from_secs(5)).unwrap();
	match impostor.health().await {
		Err(GatewayError::BadAnswer { reason, .. }) => {
			assert!(reason.contains("not JSON"), "{reason}")
		},
		other => panic!("{other:?}"),
	}
	// A service that answers as the account but names no key to wrap for.
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let url = format!("http://{}", listener.local_addr().unwrap());
	let answer = serde_json::json!({ "status": "pass", "account": account.to_string() });
	let keyless = axum::Router::new()
		.route("/health", axum::routing::get(move || async move { axum::Json(answer) }));
	tokio::spawn(async move { axum::serve(listener, keyless).await.unwrap() });
	let keyless = GatewayClient::new(&url, account, Duration::from_secs(5)).unwrap();
	match keyless.health().await {
		Err(GatewayError::BadAnswer { reason, .. }) => {
			assert!(reason.contains("no encryption key"), "{reason}")
		},
		other => panic!("{other:?}"),
	}
}

/// A service at the URL that answers, but not as a gateway does: each answer is named.
#[tokio::test]
async fn answers_that_do_not_fit_are_refused() {
	use axum::{http::StatusCode, routing::post, Json};
	let gateway = Identity::from_secret_uri("gw", "//GatewayB").unwrap();
	let patient = Identity::from_secret_uri("patient", "//PatientP").unwrap();
	let doctor = Identity::from_secret_uri("doctor", "//DoctorD").unwrap();
	let good = deposit(&gateway, &patient, &observation());
	let app = axum::Router::new()
		// Claims to have stored another document.
		.route(
			"/wrong-id/fhir/Observation",
			post(|| async {
				(StatusCode::CREATED, Json(serde_json::json!({"id": "bafkreiother"})))
			}),
		)
		// Fails without an OperationOutcome.
		.route(
			"/plain/fhir/Observation",
			post(|| async { (StatusCode::BAD_GATEWAY, "upstream down") }),
		)
		// A read answered with something that is not a release.
		.route(
			"/wrong-id/fhir/Binary/4",
			axum::routing::get(|| async { Json(serde_json::json!({"resourceType": "Patient"})) }),
		)
		// Search answers that are not a gateway's.
		.route(
			"/wrong-id/fhir/Observation",
			axum::routing::get(|| async { Json(serde_json::json!({"resourceType": "Patient"})) }),
		)
		.route(
			"/untagged/fhir/Observation",
			axum::routing::get(|| async {
				Json(serde_json::json!({"resourceType": "Bundle", "type": "searchset", "entry": [
					{"search": {"mode": "match"}, "resource":
						{"resourceType": "Binary", "id": "4", "meta": {"versionId": "1"}}}]}))
			}),
		)
		.route(
			"/modeless/fhir/Observation",
			axum::routing::get(|| async {
				Json(serde_json::json!({"resourceType": "Bundle", "type": "searchset",
					"entry": [{"resource": {"resourceType": "Binary"}}]}))
			}),
		)
		.route(
			"/endless/fhir/Observation",
			axum::routing::get(|| async {
				Json(serde_json::json!({"resourceType": "Bundle", "type": "searchset",
					"link": [{"relation": "next", "url": "Observation?patient=x"}]}))
			}),
		)
		// Never answers in time.
		.route(
			"/silent/fhir/Observation",
			post(|| async {
				tokio::time::sleep(Duration::from_secs(30)).await;
				StatusCode::CREATED
			}),
		);
	let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
	let base = format!("http://{}", listener.local_addr().unwrap());
	tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
	let at = |path: &str, timeout: u64| {
		GatewayClient::new(
			&format!("{base}/{path}"),
			gateway.account(),
			Duration::from_secs(timeout),
		)
		.unwrap()
	};
	match at("wrong-id", 5).deposit(&doctor, "Observation", &good).await {
		Err(GatewayError::BadAnswer { reason, .. }) => {
			assert!(reason.contains("came back as"), "{reason}");
			assert!(reason.contains(&cid_of(&good.envelope).to_string()), "{reason}");
		},
		other => panic!("{other:?}"),
	}
	let purpose = medchain_client::consent::PurposeOfUse::Treatment;
	match at("wrong-id", 5).read(&doctor, 4, None, purpose).await {
		Err(GatewayError::BadAnswer { reason, .. }) => {
			assert!(reason.starts_with("record 4:"), "{reason}");
		},
		other => panic!("{other:?}"),
	}
	for (path, why) in [
		("wrong-id", "not a searchset Bundle"),
		("untagged", "record 4 released without a receipt"),
		("modeless", "no known mode"),
		("endless", "a next link without _after"),
	] {
		let patient = patient.account();
		match at(path, 5).search(&doctor, "Observation", &patient, purpose, None).await {
			Err(GatewayError::BadAnswer { reason, .. }) => {
				assert!(reason.contains(why), "{path}: {reason}")
			},
			other => panic!("{path}: {other:?}"),
		}
	}
	match at("plain", 5).deposit(&doctor, "Observation", &good).await {
		Err(GatewayError::BadAnswer { reason, .. }) => {
			assert!(reason.contains("502 Bad Gateway without a FHIR OperationOutcome"), "{reason}")
		},
		other => panic!("{other:?}"),
	}
	match at("silent", 1).deposit(&doctor, "Observation", &good).await {
		Err(GatewayError::Unreachable { reason, .. }) => {
			assert!(reason.contains("no answer within 1 s"), "{reason}")
		},
		other => panic!("{other:?}"),
	}
}
