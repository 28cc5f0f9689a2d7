//! What a client hands an organisation's custodian gateway with a document: a FHIR R5 `Binary`
//! resource carrying the envelope (ciphertext only), whose `securityContext` names the patient,
//! with two extensions on its `meta` (a `Binary` is a plain Resource, whose extensions live
//! there): the document's data key wrapped for the gateway's encryption key (so the
//! custodian can release it under consent, re-wrapped for each permitted reader) and, for a
//! record's later version, the record's origin (the first version's ciphertext commitment, part
//! of every wrapped key's context).
//!
//! ```json
//! { "resourceType": "Binary",
//!   "contentType": "application/vnd.medchain.envelope",
//!   "securityContext": { "reference": "Patient/5Grw…" },
//!   "meta": { "extension": [
//!     { "url": "https://medchain.invalid/fhir/StructureDefinition/wrapped-key",
//!       "valueBase64Binary": "…" },
//!     { "url": "https://medchain.invalid/fhir/StructureDefinition/record-origin",
//!       "valueBase64Binary": "…" } ] },
//!   "data": "…" }
//! ```

use base64::{engine::general_purpose::STANDARD as BASE64, Engine};
use serde_json::{json, Value};

use crate::{account::AccountId, crypto, fhir::FhirDocument};

/// The media type of a MedChain envelope.
pub const ENVELOPE_MEDIA_TYPE: &str = "application/vnd.medchain.envelope";
/// The extension carrying the data key wrapped for the custodian.
pub const WRAPPED_KEY_URL: &str = "https://medchain.invalid/fhir/StructureDefinition/wrapped-key";
/// The extension carrying the record's origin.
pub const ORIGIN_URL: &str = "https://medchain.invalid/fhir/StructureDefinition/record-origin";

/// A document deposited with a custodian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deposit {
	/// Whose record it is.
	pub patient: AccountId,
	/// The envelope.
	pub envelope: Vec<u8>,
	/// The data key wrapped for the custodian.
	pub wrapped_key: Vec<u8>,
	/// The record's origin when this is not its first version (the first version's origin is
	/// its own commitment).
	pub origin: Option<[u8; 32]>,
}

/// Why a deposit is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DepositError {
	/// Not JSON, or not a FHIR R5 resource.
	#[error("the body is not a FHIR R5 resource: {0}")]
	NotFhir(String),
	/// A FHIR resource, but not the Binary a deposit is, or a Binary missing what it needs.
	#[error("{0}")]
	Invalid(String),
}

impl Deposit {
	/// The record's origin: given, or the envelope's own commitment (a first version).
	pub fn origin(&self) -> [u8; 32] {
		self.origin.unwrap_or_else(|| crypto::commitment(&self.envelope))
	}

	/// The FHIR `Binary` carrying this deposit.
	pub fn to_fhir(&self) -> Value {
		let mut extension = vec![json!({
			"url": WRAPPED_KEY_URL,
			"valueBase64Binary": BASE64.encode(&self.wrapped_key),
		})];
		if let Some(origin) = self.origin {
			extension
				.push(json!({ "url": ORIGIN_URL, "valueBase64Binary": BASE64.encode(origin) }));
		}
		json!({
			"resourceType": "Binary",
			"contentType": ENVELOPE_MEDIA_TYPE,
			"securityContext": { "reference": format!("Patient/{}", self.patient) },
			"meta": { "extension": extension },
			"data": BASE64.encode(&self.envelope),
		})
	}

	/// Reads a deposit from a request body: a conformant FHIR R5 `Binary` of the envelope media
	/// type with a patient, a wrapped key and data.
	pub fn from_fhir(body: &[u8]) -> Result<Self, DepositError> {
		let document =
			FhirDocument::parse(body).map_err(|e| DepositError::NotFhir(e.to_string()))?;
		if document.resource_type() != "Binary" {
			return Err(DepositError::Invalid(format!(
				"a deposit is a FHIR Binary holding the envelope, not a {}",
				document.resource_type()
			)));
		}
		let value: Value =
			serde_json::from_slice(body).map_err(|e| DepositError::NotFhir(e.to_string()))?;
		let invalid = |why: &str| DepositError::Invalid(why.to_string());
		if value["contentType"].as_str() != Some(ENVELOPE_MEDIA_TYPE) {
			return Err(DepositError::Invalid(format!(
				"the Binary's contentType must be {ENVELOPE_MEDIA_TYPE}: the gateway keeps ciphertext only"
			)));
		}
		let patient = value["securityContext"]["reference"]
			.as_str()
			.and_then(|r| r.strip_prefix("Patient/"))
			.ok_or_else(|| invalid("securityContext must reference Patient/<account>"))?
			.parse::<AccountId>()
			.map_err(|e| DepositError::Invalid(format!("securityContext's patient: {e}")))?;
		let base64 = |text: Option<&str>, what: &str| -> Result<Vec<u8>, DepositError> {
			let text = text.ok_or_else(|| DepositError::Invalid(format!("no {what}")))?;
			BASE64
				.decode(text)
				.map_err(|_| DepositError::Invalid(format!("the {what} is not base64")))
		};
		let extension = |url: &str| -> Option<&str> {
			value["meta"]["extension"]
				.as_array()?
				.iter()
				.find(|e| e["url"].as_str() == Some(url))?["valueBase64Binary"]
				.as_str()
		};
		let envelope = base64(value["data"].as_str(), "data (the envelope)")?;
		let wrapped_key = base64(extension(WRAPPED_KEY_URL), "wrapped-key extension")?;
		let origin = match extension(ORIGIN_URL) {
			None => None,
			Some(text) => Some(
				base64(Some(text), "record-origin extension")?
					.try_into()
					.map_err(|_| invalid("the record-origin extension is not 32 bytes"))?,
			),
		};
		Ok(Self { patient, envelope, wrapped_key, origin })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn deposit(origin: Option<[u8; 32]>) -> Deposit {
		Deposit {
			patient: AccountId([7; 32]),
			envelope: b"MCE1 not really an envelope".to_vec(),
			wrapped_key: vec![9; 80],
			origin,
		}
	}

	#[test]
	fn a_deposit_survives_its_fhir_form() {
		for origin in [None, Some([3; 32])] {
			let body = deposit(origin).to_fhir().to_string();
			assert_eq!(Deposit::from_fhir(body.as_bytes()), Ok(deposit(origin)));
		}
		assert_eq!(deposit(Some([3; 32])).origin(), [3; 32]);
		assert_eq!(deposit(None).origin(), crypto::commitment(&deposit(None).envelope));
	}

	#[test]
	fn a_bad_deposit_says_what_is_wrong() {
		let good = deposit(None).to_fhir();
		let with = |edit: &dyn Fn(&mut Value)| {
			let mut v = good.clone();
			edit(&mut v);
			Deposit::from_fhir(v.to_string().as_bytes()).unwrap_err().to_string()
		};
		assert!(Deposit::from_fhir(b"{not json").unwrap_err().to_string().contains("not a FHIR"));
		let basic = json!({"resourceType": "Basic", "code": {"text": "x"}});
		assert!(with(&|v| *v = basic.clone()).contains("not a Basic"));
		assert!(with(&|v| v["contentType"] = json!("application/fhir+json"))
			.contains("ciphertext only"));
		assert!(with(&|v| v["securityContext"] = json!({"reference": "Practitioner/x"}))
			.contains("Patient/"));
		assert!(with(&|v| v["securityContext"]["reference"] = json!("Patient/nope"))
			.contains("patient"));
		assert!(with(&|v| v["meta"] = json!({"versionId": "1"})).contains("no wrapped-key"));
		// The FHIR model itself refuses data that is not base64.
		assert!(with(&|v| v["data"] = json!("***")).contains("R5 model refuses"));
		let short_origin = json!([
			{"url": WRAPPED_KEY_URL, "valueBase64Binary": "AAAA"},
			{"url": ORIGIN_URL, "valueBase64Binary": "AAAA"},
		]);
		assert!(with(&|v| v["meta"]["extension"] = short_origin.clone()).contains("not 32 bytes"));
	}
}
