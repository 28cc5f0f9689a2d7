//! Insurance claims, off chain: the FHIR documents each party exchanges and the commitments the
//! chain (`pallet-claims`) holds to them, and the ExplanationOfBenefit a member reads.
//!
//! Every document of a claim's life is a FHIR R5 resource of a fixed type, validated before it
//! is committed to: the payer's Coverage (the plan's terms, when it offers a coverage), the
//! provider's Claim (codes, amounts), the payer's ClaimResponse (what is paid, what the member
//! owes), the grounds of a dispute (a Communication) and the payer's PaymentReconciliation (each
//! claim's part of a settlement). The chain gets a salted commitment to each; the document and
//! its salt travel off chain as a [`Committed`] file, from the party that wrote it to the
//! parties that act on it, and each checks it against the chain before relying on it
//! ([`Committed::check`]).
//!
//! | value | bytes hashed (BLAKE2b-256) |
//! |---|---|
//! | a document's commitment | `"medchain/claims-document/v1"` ‖ salt (32) ‖ the resource's canonical JSON |
//!
//! [`explanation_of_benefit`] writes the FHIR ExplanationOfBenefit of a claim from its Claim,
//! its ClaimResponse and what the chain says of it (its state, the records claimed, the
//! settlement that paid it).

use crate::{fhir::FhirDocument, Error};
use blake2::{Blake2b256, Digest};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

mod on_chain;
pub use on_chain::*;

/// The domain tag of a claims document's commitment.
pub const DOCUMENT_DOMAIN: &[u8] = b"medchain/claims-document/v1";

/// What a document of a claim's life is, and so which FHIR resource it must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
	/// A coverage's plan: a FHIR Coverage.
	Coverage,
	/// A claim: a FHIR Claim.
	Claim,
	/// A decision: a FHIR ClaimResponse.
	ClaimResponse,
	/// A dispute's grounds: a FHIR Communication.
	Grounds,
	/// A settlement's statement: a FHIR PaymentReconciliation.
	Statement,
}

impl DocumentKind {
	/// The FHIR resource type it must be.
	pub fn resource_type(self) -> &'static str {
		match self {
			DocumentKind::Coverage => "Coverage",
			DocumentKind::Claim => "Claim",
			DocumentKind::ClaimResponse => "ClaimResponse",
			DocumentKind::Grounds => "Communication",
			DocumentKind::Statement => "PaymentReconciliation",
		}
	}

	/// Refuses a document that is not of this kind's resource type.
	pub fn check(self, document: &FhirDocument) -> Result<(), Error> {
		if document.resource_type() == self.resource_type() {
			Ok(())
		} else {
			Err(Error::Mismatch(format!(
				"expected a FHIR {}, got a {}",
				self.resource_type(),
				document.resource_type()
			)))
		}
	}
}

/// A document and the salt of its commitment: what its writer hands to the parties that act on
/// it (a secret of theirs: whoever holds it can read the document).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Committed {
	/// The salt (`0x` and 64 hex digits).
	#[serde(with = "hex32")]
	pub salt: [u8; 32],
	/// The FHIR resource, as JSON.
	pub resource: Value,
}

impl Committed {
	/// Commits to `document` (checked to be of `kind`) under a fresh random salt.
	pub fn new(kind: DocumentKind, document: &FhirDocument) -> Result<Self, Error> {
		kind.check(document)?;
		let mut salt = [0u8; 32];
		getrandom::fill(&mut salt)
			.map_err(|e| Error::Mismatch(format!("no randomness available: {e}")))?;
		Ok(Self { salt, resource: document.to_json_value()? })
	}

	/// The document, validated again (a file may have been edited since).
	pub fn document(&self) -> Result<FhirDocument, Error> {
		let bytes = serde_json::to_vec(&self.resource)
			.map_err(|e| Error::Mismatch(format!("the document is not JSON: {e}")))?;
		Ok(FhirDocument::parse(&bytes)?)
	}

	/// The commitment the chain holds: over the salt and the document's canonical JSON.
	pub fn commitment(&self) -> Result<[u8; 32], Error> {
		let mut hasher = Blake2b256::new();
		hasher.update(DOCUMENT_DOMAIN);
		hasher.update(self.salt);
		hasher.update(self.document()?.to_json_bytes()?);
		Ok(hasher.finalize().into())
	}

	/// Refuses a document that is not of `kind` or whose commitment is not `on_chain`: the
	/// document is not the one the chain holds the commitment to.
	pub fn check(&self, kind: DocumentKind, on_chain: &[u8; 32]) -> Result<FhirDocument, Error> {
		let document = self.document()?;
		kind.check(&document)?;
		if &self.commitment()? != on_chain {
			return Err(Error::Mismatch(format!(
				"this {} is not the one the chain holds a commitment to (0x{}): it was changed, \
				 or it belongs to another coverage, claim or settlement",
				kind.resource_type(),
				hex::encode(on_chain)
			)));
		}
		Ok(document)
	}
}

mod hex32 {
	use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&format!("0x{}", hex::encode(bytes)))
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
		let text = String::deserialize(d)?;
		let digits = text.strip_prefix("0x").unwrap_or(&text);
		let bytes = hex::decode(digits).map_err(D::Error::custom)?;
		bytes.try_into().map_err(|_| D::Error::custom("a salt is 32 bytes"))
	}
}

/// What the chain says of a claim, for its ExplanationOfBenefit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimOnChain {
	/// The claim's id.
	pub id: u64,
	/// Where it stands: `submitted`, `decided`, `disputed`, `withdrawn` or `closed`.
	pub state: &'static str,
	/// The decision, if any: `approved`, `partial` or `denied (<reason>)`.
	pub decision: Option<String>,
	/// The records claimed.
	pub records: Vec<u64>,
	/// The settlement that paid it, if paid.
	pub settlement: Option<u64>,
}

fn field<'a>(resource: &'a Value, name: &str) -> Option<&'a Value> {
	resource.get(name).filter(|v| !v.is_null())
}

/// The FHIR ExplanationOfBenefit of a claim: the Claim's parties, type and items, the
/// ClaimResponse's outcome, adjudication, totals and payment, and the chain's word on where
/// the claim stands (its id, the records it names, its settlement) as identifiers and a
/// process note. Validated as FHIR R5 before it is returned.
pub fn explanation_of_benefit(
	claim: &FhirDocument,
	response: Option<&FhirDocument>,
	on_chain: &ClaimOnChain,
) -> Result<FhirDocument, Error> {
	DocumentKind::Claim.check(claim)?;
	if let Some(response) = response {
		DocumentKind::ClaimResponse.check(response)?;
	}
	let c = claim.to_json_value()?;
	let r = response.map(FhirDocument::to_json_value).transpose()?;
	let mut eob = Map::new();
	eob.insert("resourceType".into(), json!("ExplanationOfBenefit"));
	let status = if on_chain.state == "withdrawn" { "cancelled" } else { "active" };
	eob.insert("status".into(), json!(status));
	for name in ["type", "subType", "use", "patient", "created", "insurer", "provider", "priority"]
	{
		if let Some(v) = field(&c, name) {
			eob.insert(name.into(), v.clone());
		}
	}
	let mut identifiers = vec![json!({
		"system": "urn:medchain:claim",
		"value": on_chain.id.to_string(),
	})];
	if let Some(settlement) = on_chain.settlement {
		identifiers.push(json!({
			"system": "urn:medchain:settlement",
			"value": settlement.to_string(),
		}));
	}
	eob.insert("identifier".into(), Value::Array(identifiers));
	eob.insert(
		"claim".into(),
		json!({ "identifier": { "system": "urn:medchain:claim", "value": on_chain.id.to_string() } }),
	);
	// Where the claim stands on chain decides the outcome while no response is known.
	let outcome =
		r.as_ref().and_then(|r| field(r, "outcome")).cloned().unwrap_or_else(|| {
			json!(if on_chain.decision.is_some() { "complete" } else { "queued" })
		});
	eob.insert("outcome".into(), outcome);
	if let Some(r) = &r {
		for name in ["disposition", "total", "payment", "adjudication"] {
			if let Some(v) = field(r, name) {
				eob.insert(name.into(), v.clone());
			}
		}
	}
	let insurance: Vec<Value> = field(&c, "insurance")
		.and_then(Value::as_array)
		.map(|all| {
			all.iter()
				.filter_map(|i| {
					Some(
						json!({ "focal": i.get("focal")?.clone(), "coverage": i.get("coverage")?.clone() }),
					)
				})
				.collect()
		})
		.unwrap_or_default();
	if !insurance.is_empty() {
		eob.insert("insurance".into(), Value::Array(insurance));
	}
	// Each item of the Claim, with the adjudication the response gave its sequence.
	let responses: Vec<Value> = r
		.as_ref()
		.and_then(|r| field(r, "item"))
		.and_then(Value::as_array)
		.cloned()
		.unwrap_or_default();
	let items: Vec<Value> = field(&c, "item")
		.and_then(Value::as_array)
		.map(|all| {
			all.iter()
				.map(|item| {
					let mut out = Map::new();
					for name in [
						"sequence",
						"productOrService",
						"modifier",
						"servicedDate",
						"quantity",
						"unitPrice",
						"net",
					] {
						if let Some(v) = field(item, name) {
							out.insert(name.into(), v.clone());
						}
					}
					let answered = responses
						.iter()
						.find(|res| res.get("itemSequence") == item.get("sequence"));
					if let Some(adjudication) = answered.and_then(|res| field(res, "adjudication"))
					{
						out.insert("adjudication".into(), adjudication.clone());
					}
					Value::Object(out)
				})
				.collect()
		})
		.unwrap_or_default();
	if !items.is_empty() {
		eob.insert("item".into(), Value::Array(items));
	}
	let mut note = format!(
		"MedChain claim {}: {}{}; records claimed: {}",
		on_chain.id,
		on_chain.state,
		on_chain.decision.as_ref().map(|d| format!(", {d}")).unwrap_or_default(),
		on_chain.records.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
	);
	if let Some(settlement) = on_chain.settlement {
		note.push_str(&format!("; paid in settlement {settlement}"));
	}
	eob.insert("processNote".into(), json!([{ "type": { "coding": [{ "system": "http://hl7.org/fhir/note-type", "code": "display" }] }, "text": note }]));
	let bytes = serde_json::to_vec(&Value::Object(eob))
		.map_err(|e| Error::Mismatch(format!("writing the ExplanationOfBenefit: {e}")))?;
	Ok(FhirDocument::parse(&bytes)?)
}

#[cfg(test)]
mod tests {
	use super::*;

	pub(crate) const CLAIM: &str = r#"{
		"resourceType": "Claim",
		"status": "active",
		"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
		"use": "claim",
		"patient": {"reference": "Patient/member-1"},
		"created": "2026-12-07",
		"insurer": {"reference": "Organization/insurer"},
		"provider": {"reference": "Organization/hospital"},
		"insurance": [{"sequence": 1, "focal": true, "coverage": {"reference": "Coverage/plan-1"}}],
		"item": [{
			"sequence": 1,
			"productOrService": {"coding": [{"system": "http://snomed.info/sct", "code": "80146002"}]},
			"servicedDate": "2026-12-06",
			"net": {"value": 1200, "currency": "EUR"}
		}],
		"total": {"value": 1200, "currency": "EUR"}
	}"#;

	pub(crate) const RESPONSE: &str = r#"{
		"resourceType": "ClaimResponse",
		"status": "active",
		"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional"}]},
		"use": "claim",
		"patient": {"reference": "Patient/member-1"},
		"created": "2026-12-08",
		"outcome": "complete",
		"disposition": "Approved in full",
		"item": [{
			"itemSequence": 1,
			"adjudication": [{
				"category": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/adjudication", "code": "benefit"}]},
				"amount": {"value": 1000, "currency": "EUR"}
			}]
		}],
		"total": [{
			"category": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/adjudication", "code": "benefit"}]},
			"amount": {"value": 1000, "currency": "EUR"}
		}]
	}"#;

	fn doc(json: &str) -> FhirDocument {
		FhirDocument::parse(json.as_bytes()).unwrap()
	}

	#[test]
	fn a_committed_document_checks_against_its_commitment_only() {
		let claim = doc(CLAIM);
		let committed = Committed::new(DocumentKind::Claim, &claim).unwrap();
		let on_chain = committed.commitment().unwrap();
		assert_eq!(committed.check(DocumentKind::Claim, &on_chain).unwrap(), claim);
		// Through its file form.
		let read: Committed =
			serde_json::from_slice(&serde_json::to_vec(&committed).unwrap()).unwrap();
		assert_eq!(read.commitment().unwrap(), on_chain);
		// Another salt, an edited document, another kind: refused.
		let mut salted = committed.clone();
		salted.salt[0] ^= 1;
		assert!(salted
			.check(DocumentKind::Claim, &on_chain)
			.unwrap_err()
			.to_string()
			.contains("not the one the chain"));
		let mut edited = committed.clone();
		edited.resource["total"]["value"] = json!(9_999);
		assert!(edited.check(DocumentKind::Claim, &on_chain).is_err());
		assert!(committed
			.check(DocumentKind::ClaimResponse, &on_chain)
			.unwrap_err()
			.to_string()
			.contains("expected a FHIR ClaimResponse, got a Claim"));
		// A document of the wrong type is not committed to at all.
		assert!(Committed::new(DocumentKind::Coverage, &claim).is_err());
		// Two commitments to one document differ (fresh salts).
		let again = Committed::new(DocumentKind::Claim, &claim).unwrap();
		assert_ne!(again.commitment().unwrap(), on_chain);
	}

	#[test]
	fn the_explanation_of_benefit_joins_claim_response_and_chain() {
		let on_chain = ClaimOnChain {
			id: 7,
			state: "closed",
			decision: Some("approved".into()),
			records: vec![3],
			settlement: Some(2),
		};
		let eob = explanation_of_benefit(&doc(CLAIM), Some(&doc(RESPONSE)), &on_chain).unwrap();
		assert_eq!(eob.resource_type(), "ExplanationOfBenefit");
		let v = eob.to_json_value().unwrap();
		assert_eq!(v["status"], "active");
		assert_eq!(v["outcome"], "complete");
		assert_eq!(v["patient"]["reference"], "Patient/member-1");
		assert_eq!(v["item"][0]["net"]["value"].as_f64(), Some(1200.0));
		assert_eq!(v["item"][0]["adjudication"][0]["amount"]["value"].as_f64(), Some(1000.0));
		assert_eq!(v["total"][0]["amount"]["value"].as_f64(), Some(1000.0));
		assert_eq!(v["identifier"][1]["value"], "2");
		let note = v["processNote"][0]["text"].as_str().unwrap();
		assert!(
			note.contains("claim 7: closed, approved; records claimed: 3; paid in settlement 2"),
			"{note}"
		);
		// Before a decision: queued, no adjudication.
		let pending =
			ClaimOnChain { state: "submitted", decision: None, settlement: None, ..on_chain };
		let v =
			explanation_of_benefit(&doc(CLAIM), None, &pending).unwrap().to_json_value().unwrap();
		assert_eq!(v["outcome"], "queued");
		assert!(v["item"][0].get("adjudication").is_none());
		// The documents must be a Claim and a ClaimResponse.
		assert!(explanation_of_benefit(&doc(RESPONSE), None, &pending).is_err());
		assert!(explanation_of_benefit(&doc(CLAIM), Some(&doc(CLAIM)), &pending).is_err());
	}
}
