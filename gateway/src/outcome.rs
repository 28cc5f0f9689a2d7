//! Every error the gateway answers with: an HTTP status and a FHIR `OperationOutcome` body
//! (`application/fhir+json`) whose issue says what is wrong in words, never a stack trace and
//! never anything of a document's content.

use axum::{
	http::{header, HeaderValue, StatusCode},
	response::{IntoResponse, Response},
};
use serde_json::json;

use crate::{ledger::LedgerError, store::StoreError};

/// The FHIR JSON media type.
pub const FHIR_JSON: &str = "application/fhir+json";

/// A refused or failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
	/// The HTTP status.
	pub status: StatusCode,
	/// The FHIR issue type (`invalid`, `security`, `forbidden`, `not-found`, `transient`, …).
	pub code: &'static str,
	/// What is wrong, for a person.
	pub diagnostics: String,
}

impl Failure {
	fn new(status: StatusCode, code: &'static str, diagnostics: impl Into<String>) -> Self {
		Self { status, code, diagnostics: diagnostics.into() }
	}

	/// 400: the request itself is malformed (not its content).
	pub fn bad_request(why: impl Into<String>) -> Self {
		Self::new(StatusCode::BAD_REQUEST, "structure", why)
	}

	/// 401: not signed, badly signed, stale or replayed.
	pub fn unauthorized(why: impl Into<String>) -> Self {
		Self::new(StatusCode::UNAUTHORIZED, "security", why)
	}

	/// 403: the chain's consent does not permit it.
	pub fn forbidden(why: impl Into<String>) -> Self {
		Self::new(StatusCode::FORBIDDEN, "forbidden", why)
	}

	/// 404: nothing at this address.
	pub fn not_found(why: impl Into<String>) -> Self {
		Self::new(StatusCode::NOT_FOUND, "not-found", why)
	}

	/// 410: the record was erased (its anchor stays, its content is gone).
	pub fn gone(why: impl Into<String>) -> Self {
		Self::new(StatusCode::GONE, "deleted", why)
	}

	/// 405: the path exists, the method does not.
	pub fn method_not_allowed(why: impl Into<String>) -> Self {
		Self::new(StatusCode::METHOD_NOT_ALLOWED, "not-supported", why)
	}

	/// 422: well-formed request, unacceptable content (malformed FHIR, an envelope that does
	/// not open, a resource of another type than the path's).
	pub fn unprocessable(why: impl Into<String>) -> Self {
		Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", why)
	}

	/// 503: a dependency (the database, the chain) is down; nothing was changed, retry later.
	pub fn unavailable(why: impl Into<String>) -> Self {
		Self::new(StatusCode::SERVICE_UNAVAILABLE, "transient", why)
	}

	/// 413: the body is larger than the gateway takes.
	pub fn too_large(why: impl Into<String>) -> Self {
		Self::new(StatusCode::PAYLOAD_TOO_LARGE, "too-costly", why)
	}

	/// 500: the gateway failed.
	pub fn internal(why: impl Into<String>) -> Self {
		Self::new(StatusCode::INTERNAL_SERVER_ERROR, "exception", why)
	}

	/// The `OperationOutcome` resource.
	pub fn body(&self) -> serde_json::Value {
		json!({
			"resourceType": "OperationOutcome",
			"issue": [{
				"severity": "error",
				"code": self.code,
				"diagnostics": self.diagnostics,
			}],
		})
	}
}

impl From<StoreError> for Failure {
	fn from(e: StoreError) -> Self {
		match e {
			StoreError::Unavailable(_) => {
				Self::unavailable(format!("{e}; nothing was changed, retry later"))
			},
			StoreError::Corrupt(_) | StoreError::Failed(_) => Self::internal(e.to_string()),
		}
	}
}

impl From<LedgerError> for Failure {
	fn from(e: LedgerError) -> Self {
		match e {
			LedgerError::NotFound(_) => Self::not_found(e.to_string()),
			LedgerError::Erased(_) => Self::gone(e.to_string()),
			LedgerError::Refused(_) => Self::internal(format!(
				"{e} (is this gateway published in the directory as its organisation's?)"
			)),
			LedgerError::Unavailable(_) => {
				Self::unavailable(format!("{e}; nothing was released, retry later"))
			},
		}
	}
}

impl IntoResponse for Failure {
	fn into_response(self) -> Response {
		let mut response = (self.status, fhir_json(&self.body())).into_response();
		if self.status == StatusCode::UNAUTHORIZED {
			response
				.headers_mut()
				.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("MedChain"));
		}
		if self.status == StatusCode::SERVICE_UNAVAILABLE {
			response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
		}
		response
	}
}

/// A JSON body with the FHIR media type.
pub fn fhir_json(value: &serde_json::Value) -> Response {
	let mut response = value.to_string().into_response();
	response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(FHIR_JSON));
	response
}
