//! The gateway's HTTP face: the routes, request authentication and the handlers.
//!
//! | Method and path | What it does |
//! |---|---|
//! | `GET /health` | 200 when the store answers, 503 otherwise |
//! | `POST /fhir/{type}` | deposits a `{type}` document (a FHIR `Binary` of its envelope: [`Deposit`]), 201 |
//! | `GET /fhir/{type}/{record}` | releases the current version of a record under consent, 200 or 403 |
//! | `GET /fhir/{type}/{record}/_history/{version}` | releases that version, the same way |
//! | `GET /fhir/{type}?patient={account}` | searches the patient's records held here: a `Bundle` of those released |
//!
//! Every `/fhir` request is signed by a chain account ([`medchain_client::signed_request`]).
//! A deposit is checked before anything is stored: the data key must be wrapped for this
//! gateway in the record's context, the envelope must open with it, and what it holds must be a
//! valid FHIR R5 `{type}`; the plaintext is then dropped and only the ciphertext is kept.
//!
//! A read (`{type}` is the document's type, or `Binary` for any) names a purpose of use
//! (`?purpose=TREAT`, an HL7 v3 code; default `TREAT`). The gateway writes the access receipt
//! on chain first (`record_access_at_gateway`): released, it answers with the envelope and
//! the data key re-wrapped for the requester's registered key; refused, 403, and the refused
//! attempt is on the patient's log.
//!
//! A search by patient (`{type}` or `Binary` for every type; `purpose`, `_count` up to
//! [`MAX_PAGE`] and `_after` a record id to page on) matches the patient's records whose current
//! version is held here, writes one receipt per match (they finalize together) and answers a
//! `searchset` `Bundle` of the released ones, each as a read answers it, and an
//! `OperationOutcome` entry naming the receipts of those consent did not release.

use std::{
	collections::HashSet,
	sync::Arc,
	time::{SystemTime, UNIX_EPOCH},
};

use axum::{
	body::Bytes,
	extract::{Path, Query, State},
	http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri},
	response::{IntoResponse, Response},
	routing::{get, post},
	Router,
};
use medchain_client::{
	account::AccountId,
	consent::{ConsentAction, PurposeOfUse},
	crypto::{self, WrappedKey},
	custody::{Deposit, DepositError, ENVELOPE_MEDIA_TYPE},
	fhir::FhirDocument,
	gateway::{purpose_code, purpose_from_code, RECEIPT_TAG, SEARCH_PAGE},
	identity::Identity,
	records::{unwrap_with_any, Located},
	signed_request::{AuthError, Claimed},
	store::Cid,
};
use serde_json::json;
use zeroize::Zeroizing;

use crate::{
	ledger::Ledger,
	outcome::{fhir_json, Failure},
	store::{Custody, Store},
};

/// A clock: Unix seconds now.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
	Arc::new(|| SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0))
}

/// What every handler shares.
pub struct Gateway {
	/// Where documents are kept.
	pub store: Store,
	/// The gateway's own account and encryption keys (the organisation's custodian identity).
	pub identity: Identity,
	/// The chain's genesis hash (every wrapped key and envelope is bound to it).
	pub genesis: [u8; 32],
	/// How far a request's time may be from the clock, in seconds; a signature is remembered
	/// that long.
	pub replay_window: u64,
	/// The clock.
	pub clock: Clock,
	/// The chain, as the gateway asks it before releasing anything.
	pub ledger: Arc<dyn Ledger>,
}

/// The router.
pub fn router(gateway: Arc<Gateway>) -> Router {
	Router::new()
		.route("/health", get(health))
		.route("/fhir/{resource_type}", post(create).get(search))
		.route("/fhir/{resource_type}/{id}", get(read))
		.route("/fhir/{resource_type}/{id}/_history/{version}", get(read_version))
		.fallback(not_found)
		.method_not_allowed_fallback(method_not_allowed)
		.layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
		.layer(axum::middleware::from_fn(fhir_errors))
		.layer(axum::middleware::from_fn(log_request))
		.with_state(gateway)
}

/// `router` answering browser pages from `origins` (CORS), such as the patient portal's: their
/// preflight requests are answered, and their calls may send the signed `Authorization` header
/// and read the answers. Without origins, `router` as it is: browsers then refuse to let any
/// other site's page read the gateway's answers (every request is still signed, so this guards
/// what a page may read, not who may ask).
///
/// # Errors
/// An origin that is not a valid header value (the configuration checks their form first).
pub fn allow_origins(router: Router, origins: &[String]) -> Result<Router, String> {
	if origins.is_empty() {
		return Ok(router);
	}
	let origins = origins
		.iter()
		.map(|origin| {
			HeaderValue::from_str(origin)
				.map_err(|_| format!("allowed origin `{origin}` is not a valid header value"))
		})
		.collect::<Result<Vec<_>, _>>()?;
	let cors = tower_http::cors::CorsLayer::new()
		.allow_origin(tower_http::cors::AllowOrigin::list(origins))
		.allow_methods([Method::GET, Method::POST])
		.allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
		.expose_headers([header::LOCATION, header::ETAG, header::LAST_MODIFIED])
		.max_age(std::time::Duration::from_secs(600));
	Ok(router.layer(cors))
}

/// The largest request body the gateway reads: a deposit's envelope, base64 in JSON.
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// Refusals made by the HTTP layer itself (a body over [`MAX_BODY`], a path segment that does
/// not decode) come as plain text; they leave as `OperationOutcome`s like every other error.
async fn fhir_errors(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
	let response = next.run(request).await;
	let status = response.status();
	let is_fhir = response
		.headers()
		.get(header::CONTENT_TYPE)
		.is_some_and(|t| t.as_bytes().starts_with(crate::outcome::FHIR_JSON.as_bytes()));
	if status.is_success() || is_fhir {
		return response;
	}
	let failure = match status {
		StatusCode::PAYLOAD_TOO_LARGE => Failure::too_large(format!(
			"the body is larger than the gateway takes ({} MiB)",
			MAX_BODY / (1024 * 1024)
		)),
		s if s.is_client_error() => Failure::bad_request(format!(
			"the request is malformed ({})",
			s.canonical_reason().unwrap_or("refused")
		)),
		_ => Failure::internal("the gateway failed"),
	};
	Failure { status, ..failure }.into_response()
}

/// One log line per request: method, path (no query: a search names a patient), status and
/// time taken. Never a body, a header or a diagnostic.
async fn log_request(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
	let method = request.method().clone();
	let path = request.uri().path().to_string();
	let started = std::time::Instant::now();
	let response = next.run(request).await;
	let status = response.status().as_u16();
	let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
	if response.status().is_server_error() {
		tracing::warn!(%method, path, status, micros, "request failed");
	} else {
		tracing::info!(%method, path, status, micros, "request");
	}
	response
}

async fn not_found(uri: Uri) -> Failure {
	Failure::not_found(format!("nothing at {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> Failure {
	Failure::method_not_allowed(format!("{method} is not supported on {}", uri.path()))
}

async fn health(State(gateway): State<Arc<Gateway>>) -> Response {
	match gateway.store.health().await {
		Ok(()) => fhir_json(&json!({
			"status": "pass",
			"store": gateway.store.kind(),
			"account": gateway.identity.account().to_string(),
			"encryption_key": hex::encode(gateway.identity.encryption_public()),
		})),
		Err(e) => Failure::unavailable(e.to_string()).into_response(),
	}
}

/// The account that signed this request, once its signature, time and freshness are checked.
async fn authenticate(
	gateway: &Gateway,
	method: &Method,
	uri: &Uri,
	headers: &HeaderMap,
	body: &[u8],
) -> Result<AccountId, Failure> {
	let refuse = |e: AuthError| Failure::unauthorized(e.to_string());
	let header = headers
		.get(header::AUTHORIZATION)
		.ok_or_else(|| refuse(AuthError::Missing))?
		.to_str()
		.map_err(|_| refuse(AuthError::Malformed("not visible ASCII".into())))?;
	let claimed = Claimed::parse(header).map_err(refuse)?;
	let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
	let now = (gateway.clock)();
	claimed
		.verify(
			&gateway.identity.account(),
			method.as_str(),
			path,
			body,
			now,
			gateway.replay_window,
		)
		.map_err(refuse)?;
	let digest = crypto::domain_hash(b"medchain/gateway-seen/v1", &claimed.signature);
	let expires = claimed.time.saturating_add(gateway.replay_window);
	if !gateway.store.claim(digest, expires, now).await? {
		return Err(refuse(AuthError::Replayed));
	}
	Ok(claimed.account)
}

async fn create(
	State(gateway): State<Arc<Gateway>>,
	Path(resource_type): Path<String>,
	method: Method,
	uri: Uri,
	headers: HeaderMap,
	body: Bytes,
) -> Result<Response, Failure> {
	let author = authenticate(&gateway, &method, &uri, &headers, &body).await?;
	let deposit = Deposit::from_fhir(&body).map_err(|e| match e {
		DepositError::NotFhir(_) | DepositError::Invalid(_) => {
			Failure::unprocessable(e.to_string())
		},
	})?;
	let origin = deposit.origin();
	check_contents(&gateway, &deposit, &origin, &resource_type)?;
	// A later version keeps its record's type (the chain does not know types; the custodian does).
	if origin != crypto::commitment(&deposit.envelope) {
		if let Some(held) = gateway.store.type_of_origin(&origin).await? {
			if held != resource_type {
				return Err(Failure::unprocessable(format!(
					"the record this version amends is a {held}, not a {resource_type}"
				)));
			}
		}
	}
	let custody = Custody {
		cid: medchain_client::store::cid_of(&deposit.envelope),
		patient: deposit.patient,
		author,
		resource_type: resource_type.clone(),
		origin,
		wrapped_key: deposit.wrapped_key.clone(),
	};
	gateway.store.put(&deposit.envelope, &custody).await?;
	tracing::info!(
		account = %author,
		patient = %deposit.patient,
		cid = %custody.cid,
		resource_type = %resource_type,
		"document deposited"
	);
	let location = format!("/fhir/Binary/{}", custody.cid);
	let mut response = fhir_json(&json!({
		"resourceType": "Binary",
		"id": custody.cid.to_string(),
		"contentType": ENVELOPE_MEDIA_TYPE,
		"securityContext": { "reference": format!("Patient/{}", deposit.patient) },
	}));
	*response.status_mut() = StatusCode::CREATED;
	if let Ok(value) = HeaderValue::from_str(&location) {
		response.headers_mut().insert(header::LOCATION, value);
	}
	Ok(response)
}

/// The deposit's data key is wrapped for this gateway, its envelope opens with it and holds a
/// valid FHIR R5 `resource_type`. The plaintext never leaves this function.
fn check_contents(
	gateway: &Gateway,
	deposit: &Deposit,
	origin: &[u8; 32],
	resource_type: &str,
) -> Result<(), Failure> {
	let me = gateway.identity.account();
	let not_for_me = || {
		Failure::unprocessable(format!(
			"the data key is not wrapped for this gateway ({me}) in this record's context"
		))
	};
	let wrapped = WrappedKey::from_bytes(&deposit.wrapped_key).map_err(|_| not_for_me())?;
	let context = crypto::wrap_aad(&gateway.genesis, &deposit.patient.0, origin, &me.0);
	let key = unwrap_with_any(&wrapped, &gateway.identity, &context).map_err(|_| not_for_me())?;
	let aad = crypto::record_aad(&gateway.genesis, &deposit.patient.0);
	let plaintext =
		Zeroizing::new(crypto::open_record(&key, &deposit.envelope, &aad).map_err(|e| {
			Failure::unprocessable(format!("the envelope does not open with its data key: {e}"))
		})?);
	let document = FhirDocument::parse(&plaintext).map_err(|e| {
		Failure::unprocessable(format!("the document is not a valid FHIR R5 resource: {e}"))
	})?;
	if document.resource_type() != resource_type {
		return Err(Failure::unprocessable(format!(
			"the document is a {}, not a {resource_type}",
			document.resource_type()
		)));
	}
	Ok(())
}

/// A read's query: the purpose of use (an HL7 v3 code).
#[derive(serde::Deserialize)]
pub struct ReadQuery {
	/// `TREAT`, `ETREAT`, `HPAYMT`, `HOPERAT`, `HRESCH` or `PUBHLTH`; default `TREAT`.
	purpose: Option<String>,
}

/// What a read asks for, once its path is parsed.
struct Ask<'a> {
	resource_type: &'a str,
	record: &'a str,
	version: Option<u32>,
	purpose: Option<&'a str>,
}

async fn read(
	State(gateway): State<Arc<Gateway>>,
	Path((resource_type, record)): Path<(String, String)>,
	Query(query): Query<ReadQuery>,
	method: Method,
	uri: Uri,
	headers: HeaderMap,
) -> Result<Response, Failure> {
	let requester = authenticate(&gateway, &method, &uri, &headers, &[]).await?;
	let ask = Ask {
		resource_type: &resource_type,
		record: &record,
		version: None,
		purpose: query.purpose.as_deref(),
	};
	release(&gateway, requester, ask).await
}

async fn read_version(
	State(gateway): State<Arc<Gateway>>,
	Path((resource_type, record, version)): Path<(String, String, String)>,
	Query(query): Query<ReadQuery>,
	method: Method,
	uri: Uri,
	headers: HeaderMap,
) -> Result<Response, Failure> {
	let requester = authenticate(&gateway, &method, &uri, &headers, &[]).await?;
	let version =
		version.parse::<u32>().ok().filter(|v| *v > 0).ok_or_else(|| {
			Failure::not_found(format!("no version {version} of record {record}"))
		})?;
	let ask = Ask {
		resource_type: &resource_type,
		record: &record,
		version: Some(version),
		purpose: query.purpose.as_deref(),
	};
	release(&gateway, requester, ask).await
}

/// Releases what `ask` names to `requester` if the chain's consent permits it, after writing
/// the receipt; refuses with 403 (and the receipt of the refused attempt) otherwise.
async fn release(
	gateway: &Gateway,
	requester: AccountId,
	ask: Ask<'_>,
) -> Result<Response, Failure> {
	let purpose = parse_purpose(ask.purpose)?;
	let record: u64 = ask.record.parse().map_err(|_| {
		Failure::not_found(format!("no record {:?}: record ids are numbers", ask.record))
	})?;
	let located = gateway.ledger.locate(record, ask.version).await?;
	let not_held = || {
		Failure::not_found(format!(
			"this gateway does not hold version {} of record {record}",
			located.version
		))
	};
	let (envelope, custody) = gateway.store.get(&located.cid).await?.ok_or_else(not_held)?;
	if custody.patient != located.patient {
		return Err(not_held());
	}
	if ask.resource_type != "Binary" && ask.resource_type != custody.resource_type {
		return Err(Failure::not_found(format!("record {record} is not a {}", ask.resource_type)));
	}
	let requester_key = requester_key(gateway, requester).await?;
	let receipt = gateway.ledger.receipt(requester, record, purpose, ConsentAction::Read).await?;
	if !receipt.released {
		tracing::info!(
			account = %requester,
			patient = %located.patient,
			record,
			receipt = receipt.receipt,
			"release refused by consent"
		);
		return Err(Failure::forbidden(format!(
			"consent does not permit {requester} to read record {record} for {}; the refused \
			 attempt is receipt {} in the patient's access log",
			purpose_code(purpose),
			receipt.receipt
		)));
	}
	let held = Held { located, envelope, custody };
	let body = released(gateway, held, &requester, &requester_key, receipt.receipt)?;
	let mut response = fhir_json(&body);
	let headers = response.headers_mut();
	if let Some(version) = body["meta"]["versionId"].as_str() {
		if let Ok(value) = HeaderValue::from_str(&format!("W/\"{version}\"")) {
			headers.insert(header::ETAG, value);
		}
	}
	headers.insert("x-medchain-receipt", HeaderValue::from(receipt.receipt));
	Ok(response)
}

/// The purpose of use a request names (an HL7 v3 code), `TREAT` when it names none.
fn parse_purpose(code: Option<&str>) -> Result<PurposeOfUse, Failure> {
	let Some(code) = code else { return Ok(PurposeOfUse::Treatment) };
	purpose_from_code(code).ok_or_else(|| {
		let known: Vec<&str> = PurposeOfUse::ALL.into_iter().map(purpose_code).collect();
		Failure::bad_request(format!(
			"unknown purpose of use {code:?}: one of {}",
			known.join(", ")
		))
	})
}

/// The encryption key `requester` registered on chain: a released data key is wrapped for it.
async fn requester_key(gateway: &Gateway, requester: AccountId) -> Result<[u8; 32], Failure> {
	gateway.ledger.encryption_key(requester).await?.ok_or_else(|| {
		Failure::forbidden(format!(
			"{requester} has registered no encryption key to release a data key to (a \
			 practitioner registers one with `medchain keys register`)"
		))
	})
}

/// A version of a record as anchored, with its envelope and custody row here.
struct Held {
	located: Located,
	envelope: Vec<u8>,
	custody: Custody,
}

/// The FHIR `Binary` a release answers with: the envelope, the data key re-wrapped for
/// `requester`, the record as its id, the version as `meta.versionId` and the receipt as a
/// `meta.tag` ([`RECEIPT_TAG`]).
fn released(
	gateway: &Gateway,
	held: Held,
	requester: &AccountId,
	requester_key: &[u8; 32],
	receipt: u64,
) -> Result<serde_json::Value, Failure> {
	let Held { located, envelope, custody } = held;
	let wrapped_key = rewrap(gateway, &custody, &located.origin, requester, requester_key)?;
	let deposit =
		Deposit { patient: located.patient, envelope, wrapped_key, origin: Some(located.origin) };
	tracing::info!(
		account = %requester,
		patient = %located.patient,
		record = located.record,
		version = located.version,
		receipt,
		"record released"
	);
	let mut body = deposit.to_fhir();
	body["id"] = json!(located.record.to_string());
	body["meta"]["versionId"] = json!(located.version.to_string());
	body["meta"]["tag"] = json!([{ "system": RECEIPT_TAG, "code": receipt.to_string() }]);
	Ok(body)
}

/// The most matches one search page releases: each is a receipt on chain.
pub const MAX_PAGE: usize = SEARCH_PAGE;

/// A search page's size when `_count` is not given.
pub const DEFAULT_PAGE: usize = 10;

/// A search, once its query is parsed.
struct Search {
	patient: AccountId,
	purpose: PurposeOfUse,
	count: usize,
	after: Option<u64>,
}

/// Reads a search's query: `patient` (an account, or `Patient/<account>`) once, and at most
/// once each `purpose`, `_count` and `_after`; any other parameter is refused rather than
/// silently ignored (a search that matched more than it should is worse than none).
fn parse_search(pairs: &[(String, String)]) -> Result<Search, Failure> {
	let mut seen: Vec<&str> = Vec::new();
	let (mut patient, mut purpose, mut count, mut after) = (None, None, None, None);
	for (name, value) in pairs {
		if seen.contains(&name.as_str()) {
			return Err(Failure::bad_request(format!("the search names {name} twice")));
		}
		seen.push(name);
		match name.as_str() {
			"patient" => {
				let account = value.strip_prefix("Patient/").unwrap_or(value);
				patient = Some(account.parse::<AccountId>().map_err(|e| {
					Failure::bad_request(format!("patient {value:?} is not an account: {e}"))
				})?);
			},
			"purpose" => purpose = Some(value.as_str()),
			"_count" => {
				let n = value.parse::<usize>().ok().filter(|n| (1..=MAX_PAGE).contains(n));
				count = Some(n.ok_or_else(|| {
					Failure::bad_request(format!(
						"_count {value:?} must be a number from 1 to {MAX_PAGE} (each match is \
						 a receipt on chain)"
					))
				})?);
			},
			"_after" => {
				after = Some(value.parse::<u64>().map_err(|_| {
					Failure::bad_request(format!("_after {value:?} must be a record id"))
				})?);
			},
			other => {
				return Err(Failure::bad_request(format!(
					"unsupported search parameter {other:?}: patient, purpose, _count, _after"
				)))
			},
		}
	}
	let patient = patient
		.ok_or_else(|| Failure::bad_request("a search names the patient (?patient=<account>)"))?;
	Ok(Search {
		patient,
		purpose: parse_purpose(purpose)?,
		count: count.unwrap_or(DEFAULT_PAGE),
		after,
	})
}

async fn search(
	State(gateway): State<Arc<Gateway>>,
	Path(resource_type): Path<String>,
	Query(pairs): Query<Vec<(String, String)>>,
	method: Method,
	uri: Uri,
	headers: HeaderMap,
) -> Result<Response, Failure> {
	let requester = authenticate(&gateway, &method, &uri, &headers, &[]).await?;
	let ask = parse_search(&pairs)?;
	let requester_key = requester_key(&gateway, requester).await?;
	let wanted = (resource_type != "Binary").then_some(resource_type.as_str());
	let held: HashSet<Cid> =
		gateway.store.of_patient(&ask.patient, wanted).await?.into_iter().map(|c| c.cid).collect();
	// The patient's records whose current version is held here (none asked for when nothing
	// of theirs is).
	let mut matches =
		if held.is_empty() { Vec::new() } else { gateway.ledger.records_of(ask.patient).await? };
	matches.retain(|l| {
		l.patient == ask.patient
			&& held.contains(&l.cid)
			&& ask.after.is_none_or(|after| l.record > after)
	});
	matches.sort_by_key(|l| l.record);
	let more = matches.len() > ask.count;
	matches.truncate(ask.count);
	// One receipt per match, handed to the chain together.
	let receipts =
		futures::future::join_all(matches.iter().map(|l| {
			gateway.ledger.receipt(requester, l.record, ask.purpose, ConsentAction::Read)
		}))
		.await;
	let mut entries = Vec::new();
	let mut refused = Vec::new();
	for (located, receipt) in matches.iter().zip(receipts) {
		let receipt = receipt?;
		if !receipt.released {
			refused.push(receipt.receipt);
			continue;
		}
		let Some((envelope, custody)) = gateway.store.get(&located.cid).await? else {
			return Err(Failure::internal(format!("{} left the store", located.cid)));
		};
		let held = Held { located: located.clone(), envelope, custody };
		let resource = released(&gateway, held, &requester, &requester_key, receipt.receipt)?;
		entries.push(json!({
			"fullUrl": format!("Binary/{}", located.record),
			"resource": resource,
			"search": { "mode": "match" },
		}));
	}
	tracing::info!(
		account = %requester,
		patient = %ask.patient,
		released = entries.len(),
		refused = refused.len(),
		"search answered"
	);
	if !refused.is_empty() {
		let receipts: Vec<String> = refused.iter().map(u64::to_string).collect();
		entries.push(json!({
			"resource": {
				"resourceType": "OperationOutcome",
				"issue": [{
					"severity": "information",
					"code": "suppressed",
					"diagnostics": format!(
						"consent does not permit {requester} to read {} matching record(s) for \
						 {}; the refused attempts are receipts {} in the patient's access log",
						refused.len(),
						purpose_code(ask.purpose),
						receipts.join(", ")
					),
				}],
			},
			"search": { "mode": "outcome" },
		}));
	}
	let query = |after: Option<u64>| {
		let mut url = format!(
			"{resource_type}?patient={}&purpose={}&_count={}",
			ask.patient,
			purpose_code(ask.purpose),
			ask.count
		);
		if let Some(after) = after {
			url.push_str(&format!("&_after={after}"));
		}
		url
	};
	let mut link = vec![json!({ "relation": "self", "url": query(ask.after) })];
	if more {
		link.push(json!({ "relation": "next", "url": query(matches.last().map(|l| l.record)) }));
	}
	Ok(fhir_json(&json!({
		"resourceType": "Bundle",
		"type": "searchset",
		"link": link,
		"entry": entries,
	})))
}

/// The data key the custodian holds for the document, unwrapped with the gateway's key and
/// wrapped for `requester`'s registered key in the record's context.
fn rewrap(
	gateway: &Gateway,
	custody: &Custody,
	origin: &[u8; 32],
	requester: &AccountId,
	requester_key: &[u8; 32],
) -> Result<Vec<u8>, Failure> {
	let me = gateway.identity.account();
	let patient = &custody.patient.0;
	let stored = WrappedKey::from_bytes(&custody.wrapped_key)
		.map_err(|e| Failure::internal(format!("the stored data key is damaged: {e}")))?;
	let context = crypto::wrap_aad(&gateway.genesis, patient, &custody.origin, &me.0);
	let key = unwrap_with_any(&stored, &gateway.identity, &context).map_err(|_| {
		Failure::internal("the stored data key does not open with this gateway's keys")
	})?;
	let context = crypto::wrap_aad(&gateway.genesis, patient, origin, &requester.0);
	let wrapped = crypto::wrap_key(&key, requester_key, &context)
		.map_err(|e| Failure::internal(format!("re-wrapping the data key: {e}")))?;
	Ok(wrapped.to_vec())
}
