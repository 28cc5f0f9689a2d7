//! Talking to an organisation's custodian gateway (`medchain-gateway`, `docs/gateway.md`) over
//! HTTP or HTTPS (rustls, the system's root certificates): every request signed as the caller's
//! account ([`crate::signed_request`]) for the gateway's account, every refusal read from its
//! FHIR `OperationOutcome` into [`GatewayError::Refused`] with the gateway's own words.

use std::{
	sync::Arc,
	time::{Duration, SystemTime, UNIX_EPOCH},
};

use http_body_util::{BodyExt, Full};
use hyper::{body::Bytes, header, Method, Request, StatusCode};
use hyper_util::{
	client::legacy::{connect::HttpConnector, Client},
	rt::TokioExecutor,
};
use serde_json::Value;

use medchain_primitives::PurposeOfUse;

use crate::{
	account::AccountId,
	custody::Deposit,
	identity::Identity,
	signed_request,
	store::{cid_of, Cid},
};

/// What can go wrong talking to a gateway.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
	/// The URL is not an `http://` or `https://` URL of a host.
	#[error("invalid gateway URL {url:?}: {reason}")]
	BadUrl {
		/// What was given.
		url: String,
		/// Why it does not do.
		reason: String,
	},
	/// No answer: the connection failed or the bound on the wait ran out.
	#[error("the gateway at {url} is unreachable: {reason}")]
	Unreachable {
		/// The gateway.
		url: String,
		/// Why.
		reason: String,
	},
	/// The gateway refused or failed the request, in its own words.
	#[error("the gateway at {url} answered {status} ({code}): {diagnostics}")]
	Refused {
		/// The gateway.
		url: String,
		/// The HTTP status.
		status: u16,
		/// The FHIR issue code (`security`, `forbidden`, `invalid`, `not-found`, `transient`, …).
		code: String,
		/// What the gateway says is wrong.
		diagnostics: String,
	},
	/// An answer that is not what a MedChain gateway answers (another service at that address,
	/// or a gateway that is not the one expected).
	#[error("the gateway at {url} gave an answer that does not fit: {reason}")]
	BadAnswer {
		/// The gateway.
		url: String,
		/// What does not fit.
		reason: String,
	},
}

/// A gateway's `/health` answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
	/// Its store's backend (`postgresql`, `directory`).
	pub store: String,
	/// The X25519 key it unwraps deposited data keys with (what the directory should publish).
	pub encryption_key: [u8; 32],
}

/// Checks that `url` is a gateway base URL a client can use: `http://host[:port][/path]` or
/// `https://…`, with a host and no query. What the directory accepts is looser (any printable
/// URL of either scheme); a gateway is published only after passing this.
pub fn check_url(url: &str) -> Result<(), GatewayError> {
	let bad = |reason: &str| GatewayError::BadUrl { url: url.to_string(), reason: reason.into() };
	let uri: hyper::Uri =
		url.parse().map_err(|e: hyper::http::uri::InvalidUri| bad(&e.to_string()))?;
	if !matches!(uri.scheme_str(), Some("http" | "https")) {
		return Err(bad("it must start with http:// or https://"));
	}
	if uri.host().is_none_or(str::is_empty) {
		return Err(bad("it names no host"));
	}
	if uri.query().is_some() {
		return Err(bad("it must not have a query"));
	}
	Ok(())
}

/// A gateway: its base URL and the account it signs as (which every request is signed for).
pub struct Gateway {
	url: String,
	account: AccountId,
	timeout: Duration,
	http: Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>,
}

impl Gateway {
	/// The gateway at `url` (`http://host:port` or `https://host[:port]`, with an optional base
	/// path) whose account is `account`; each request waits at most `timeout`.
	pub fn new(url: &str, account: AccountId, timeout: Duration) -> Result<Self, GatewayError> {
		check_url(url)?;
		let bad =
			|reason: &str| GatewayError::BadUrl { url: url.to_string(), reason: reason.into() };
		// The system's roots; without any (a minimal container), https fails at the handshake
		// with the reason while http still works.
		let provider = Arc::new(rustls::crypto::ring::default_provider());
		let native = hyper_rustls::HttpsConnectorBuilder::new()
			.with_provider_and_native_roots(provider.clone());
		let builder = match native {
			Ok(builder) => builder,
			Err(_) => hyper_rustls::HttpsConnectorBuilder::new().with_tls_config(
				rustls::ClientConfig::builder_with_provider(provider)
					.with_safe_default_protocol_versions()
					.map_err(|e| bad(&e.to_string()))?
					.with_root_certificates(rustls::RootCertStore::empty())
					.with_no_client_auth(),
			),
		};
		let connector = builder.https_or_http().enable_http1().build();
		Ok(Self {
			url: url.trim_end_matches('/').to_string(),
			account,
			timeout,
			http: Client::builder(TokioExecutor::new()).build(connector),
		})
	}

	/// The gateway's base URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// The gateway's account.
	pub fn account(&self) -> AccountId {
		self.account
	}

	/// Sends a request (signed by `signer` when given) and returns the status and body.
	async fn send(
		&self,
		signer: Option<&Identity>,
		method: Method,
		path: &str,
		body: Vec<u8>,
	) -> Result<(StatusCode, Vec<u8>), GatewayError> {
		let full = format!("{}{path}", self.url);
		// What the gateway sees as the path: the base URL's path, then ours.
		let signed_path = full
			.parse::<hyper::Uri>()
			.ok()
			.and_then(|u| u.path_and_query().map(|p| p.as_str().to_string()))
			.unwrap_or_else(|| path.to_string());
		let mut request = Request::builder()
			.method(method.clone())
			.uri(&full)
			.header(header::ACCEPT, "application/fhir+json");
		if !body.is_empty() {
			request = request.header(header::CONTENT_TYPE, "application/fhir+json");
		}
		if let Some(signer) = signer {
			let time =
				SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
			let authorization = signed_request::authorization(
				signer,
				&self.account,
				method.as_str(),
				&signed_path,
				time,
				&body,
			);
			request = request.header(header::AUTHORIZATION, authorization);
		}
		let request = request
			.body(Full::new(Bytes::from(body)))
			.map_err(|e| GatewayError::BadUrl { url: full.clone(), reason: e.to_string() })?;
		let unreachable =
			|reason: String| GatewayError::Unreachable { url: self.url.clone(), reason };
		let exchange = async {
			let response =
				self.http.request(request).await.map_err(|e| unreachable(e.to_string()))?;
			let status = response.status();
			let bytes = response
				.into_body()
				.collect()
				.await
				.map_err(|e| unreachable(e.to_string()))?
				.to_bytes();
			Ok::<_, GatewayError>((status, bytes.to_vec()))
		};
		tokio::time::timeout(self.timeout, exchange)
			.await
			.map_err(|_| unreachable(format!("no answer within {} s", self.timeout.as_secs())))?
	}

	/// A refusal, read from the gateway's `OperationOutcome`.
	fn refusal(&self, status: StatusCode, body: &[u8]) -> GatewayError {
		let outcome: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
		let issue = &outcome["issue"][0];
		match (outcome["resourceType"].as_str(), issue["code"].as_str()) {
			(Some("OperationOutcome"), Some(code)) => GatewayError::Refused {
				url: self.url.clone(),
				status: status.as_u16(),
				code: code.to_string(),
				diagnostics: issue["diagnostics"].as_str().unwrap_or("").to_string(),
			},
			_ => self.bad_answer(format!("{status} without a FHIR OperationOutcome")),
		}
	}

	fn bad_answer(&self, reason: String) -> GatewayError {
		GatewayError::BadAnswer { url: self.url.clone(), reason }
	}

	/// The gateway's health; [`GatewayError::BadAnswer`] if the service at the URL is not the
	/// gateway of the expected account.
	pub async fn health(&self) -> Result<Health, GatewayError> {
		let (status, body) = self.send(None, Method::GET, "/health", Vec::new()).await?;
		if !status.is_success() {
			return Err(self.refusal(status, &body));
		}
		let answer: Value = serde_json::from_slice(&body)
			.map_err(|_| self.bad_answer("/health is not JSON".into()))?;
		let account = answer["account"].as_str().and_then(|a| a.parse::<AccountId>().ok());
		if account != Some(self.account) {
			return Err(self.bad_answer(format!(
				"it is the gateway of {}, not of {}",
				answer["account"].as_str().unwrap_or("no account"),
				self.account
			)));
		}
		let encryption_key = answer["encryption_key"]
			.as_str()
			.and_then(|k| hex::decode(k).ok())
			.and_then(|k| <[u8; 32]>::try_from(k).ok())
			.ok_or_else(|| self.bad_answer("/health names no encryption key".into()))?;
		Ok(Health { store: answer["store"].as_str().unwrap_or("").to_string(), encryption_key })
	}

	/// `signer` deposits `deposit`, a `resource_type` document, with the gateway; returns the
	/// envelope's CID once the gateway has stored it durably.
	pub async fn deposit(
		&self,
		signer: &Identity,
		resource_type: &str,
		deposit: &Deposit,
	) -> Result<Cid, GatewayError> {
		let body = deposit.to_fhir().to_string().into_bytes();
		let path = format!("/fhir/{resource_type}");
		let (status, answer) = self.send(Some(signer), Method::POST, &path, body).await?;
		if status != StatusCode::CREATED {
			return Err(self.refusal(status, &answer));
		}
		let cid = cid_of(&deposit.envelope);
		let answer: Value = serde_json::from_slice(&answer).unwrap_or(Value::Null);
		if answer["id"].as_str() != Some(cid.to_string().as_str()) {
			return Err(
				self.bad_answer(format!("the deposit of {cid} came back as {}", answer["id"]))
			);
		}
		Ok(cid)
	}

	/// `signer` asks for version `version` (default: the current one) of `record` for
	/// `purpose`: the gateway writes the access receipt on chain, then answers with the
	/// envelope and its data key wrapped for the signer's registered encryption key, or refuses
	/// (403 when consent does not permit it: [`GatewayError::Refused`]). What comes back is not
	/// checked here: [`crate::records::get_via_gateway`] checks it against the chain.
	pub async fn read(
		&self,
		signer: &Identity,
		record: u64,
		version: Option<u32>,
		purpose: PurposeOfUse,
	) -> Result<Deposit, GatewayError> {
		let history = version.map(|v| format!("/_history/{v}")).unwrap_or_default();
		let path = format!("/fhir/Binary/{record}{history}?purpose={}", purpose_code(purpose));
		let (status, answer) = self.send(Some(signer), Method::GET, &path, Vec::new()).await?;
		if status != StatusCode::OK {
			return Err(self.refusal(status, &answer));
		}
		Deposit::from_fhir(&answer).map_err(|e| self.bad_answer(format!("record {record}: {e}")))
	}

	/// `signer` searches the gateway for `patient`'s `resource_type` documents (`Binary`: every
	/// type) for `purpose`, one page of at most [`SEARCH_PAGE`] records after record `after`.
	/// The gateway writes one receipt per match; what comes back is not checked here:
	/// [`crate::records::search_via_gateway`] checks each document against the chain.
	pub async fn search(
		&self,
		signer: &Identity,
		resource_type: &str,
		patient: &AccountId,
		purpose: PurposeOfUse,
		after: Option<u64>,
	) -> Result<SearchPage, GatewayError> {
		let mut path = format!(
			"/fhir/{resource_type}?patient={patient}&purpose={}&_count={SEARCH_PAGE}",
			purpose_code(purpose)
		);
		if let Some(after) = after {
			path.push_str(&format!("&_after={after}"));
		}
		let (status, answer) = self.send(Some(signer), Method::GET, &path, Vec::new()).await?;
		if status != StatusCode::OK {
			return Err(self.refusal(status, &answer));
		}
		let bundle: Value = serde_json::from_slice(&answer)
			.map_err(|_| self.bad_answer("the search answer is not JSON".into()))?;
		if bundle["resourceType"] != "Bundle" || bundle["type"] != "searchset" {
			return Err(self.bad_answer("the search answer is not a searchset Bundle".into()));
		}
		let mut page = SearchPage::default();
		let empty = Vec::new();
		for entry in bundle["entry"].as_array().unwrap_or(&empty) {
			let resource = &entry["resource"];
			match entry["search"]["mode"].as_str() {
				Some("match") => page.released.push(self.released_entry(resource)?),
				Some("outcome") => page.refused.extend(
					resource["issue"]
						.as_array()
						.unwrap_or(&empty)
						.iter()
						.filter_map(|issue| issue["diagnostics"].as_str().map(str::to_string)),
				),
				_ => return Err(self.bad_answer("a search entry of no known mode".into())),
			}
		}
		let links = bundle["link"].as_array().unwrap_or(&empty);
		if let Some(next) = links.iter().find(|l| l["relation"] == "next") {
			let after = next["url"]
				.as_str()
				.and_then(|url| url.split(['?', '&']).find_map(|p| p.strip_prefix("_after=")))
				.and_then(|after| after.parse::<u64>().ok())
				.ok_or_else(|| self.bad_answer(format!("a next link without _after: {next}")))?;
			page.next = Some(after);
		}
		Ok(page)
	}

	/// A released document of a search answer.
	fn released_entry(&self, resource: &Value) -> Result<ReleasedEntry, GatewayError> {
		let number = |value: &Value, what: &str| {
			value
				.as_str()
				.and_then(|text| text.parse::<u64>().ok())
				.ok_or_else(|| self.bad_answer(format!("a search entry without its {what}")))
		};
		let record = number(&resource["id"], "record id")?;
		let version = u32::try_from(number(&resource["meta"]["versionId"], "version")?)
			.map_err(|_| self.bad_answer("a version out of range".into()))?;
		let receipt = resource["meta"]["tag"]
			.as_array()
			.and_then(|tags| tags.iter().find(|t| t["system"] == RECEIPT_TAG))
			.map(|tag| number(&tag["code"], "receipt"))
			.transpose()?
			.ok_or_else(|| {
				self.bad_answer(format!("record {record} released without a receipt"))
			})?;
		let deposit = Deposit::from_fhir(resource.to_string().as_bytes())
			.map_err(|e| self.bad_answer(format!("record {record}: {e}")))?;
		Ok(ReleasedEntry { record, version, receipt, deposit })
	}
}

/// The most records a client asks one search page for (the gateway's maximum: each match is a
/// receipt on chain).
pub const SEARCH_PAGE: usize = 20;

/// The `meta.tag` system under which a gateway names a released document's access receipt.
pub const RECEIPT_TAG: &str = "https://medchain.invalid/fhir/CodeSystem/access-receipt";

/// A document a search released.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleasedEntry {
	/// The record.
	pub record: u64,
	/// The version released (the current one).
	pub version: u32,
	/// The access receipt the gateway wrote (its index in the patient's log).
	pub receipt: u64,
	/// The envelope and its data key wrapped for the searcher.
	pub deposit: Deposit,
}

/// One page of a search's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPage {
	/// What consent released.
	pub released: Vec<ReleasedEntry>,
	/// The gateway's words on the matches consent did not release (naming their receipts).
	pub refused: Vec<String>,
	/// The record to continue after, when there are more matches.
	pub next: Option<u64>,
}

/// The HL7 v3 `ActReason` code of a purpose of use, as a gateway request names it
/// (`purpose=TREAT`).
pub fn purpose_code(purpose: PurposeOfUse) -> &'static str {
	match purpose {
		PurposeOfUse::Treatment => "TREAT",
		PurposeOfUse::EmergencyTreatment => "ETREAT",
		PurposeOfUse::Payment => "HPAYMT",
		PurposeOfUse::Operations => "HOPERAT",
		PurposeOfUse::Research => "HRESCH",
		PurposeOfUse::PublicHealth => "PUBHLTH",
	}
}

/// The purpose of use whose HL7 v3 code is `code` ([`purpose_code`]).
pub fn purpose_from_code(code: &str) -> Option<PurposeOfUse> {
	PurposeOfUse::ALL.into_iter().find(|p| purpose_code(*p) == code)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn each_purpose_has_its_own_code_and_back() {
		let codes: std::collections::BTreeSet<_> =
			PurposeOfUse::ALL.into_iter().map(purpose_code).collect();
		assert_eq!(codes.len(), PurposeOfUse::ALL.len());
		for purpose in PurposeOfUse::ALL {
			assert_eq!(purpose_from_code(purpose_code(purpose)), Some(purpose));
		}
		assert_eq!(purpose_code(PurposeOfUse::EmergencyTreatment), "ETREAT");
		assert_eq!(purpose_from_code("treat"), None);
		assert_eq!(purpose_from_code(""), None);
	}

	#[test]
	fn a_gateway_url_is_http_with_a_host_and_no_query() {
		for good in ["http://127.0.0.1:8080", "https://gw.example/base", "https://gw.example"] {
			assert!(check_url(good).is_ok(), "{good}");
		}
		for bad in ["ftp://gw", "gw.example", "https://gw.example/?x=1", "http://", ""] {
			assert!(matches!(check_url(bad), Err(GatewayError::BadUrl { .. })), "{bad}");
		}
	}
}
