//! FHIR R5 documents: parse and validate a JSON resource or Bundle, name its resource type, and
//! write it back as canonical JSON.
//!
//! Validation uses the typed R5 model of the maintained `fhir-model` crate (the model crate of
//! `fhir-sdk`, FHIR 5.0.0). [`FhirDocument::parse`] checks, in order:
//!
//! 1. the bytes are JSON (UTF-8, RFC 8259) — else [`FhirError::InvalidJson`];
//! 2. the top level is an object with a string `resourceType` — else [`FhirError::NotAResource`];
//! 3. `resourceType` names an R5 resource — else [`FhirError::UnknownResourceType`];
//! 4. the object deserialises into that resource's typed model: required elements present,
//!    elements of the right JSON type, codes from required value sets valid, nested resources
//!    (Bundle entries, contained resources) valid too — else [`FhirError::InvalidResource`];
//! 5. nothing was dropped: `fhir-model` ignores elements it does not know (and drops a choice
//!    element such as `valueQuantity` whose content has the wrong type), so the document is
//!    written back and every element of the input must still be there — else
//!    [`FhirError::RejectedElement`] with the element's path (e.g.
//!    `Observation.valueQuantity.foo`). FHIR forbids unknown elements, `null` values (outside
//!    primitive extension arrays) and empty arrays or objects, and this check refuses all of them.
//!
//! # Canonical JSON
//!
//! [`FhirDocument::to_json_bytes`] serialises the typed model with `serde_json`, compact (no
//! whitespace), elements in the order of the FHIR R5 definition with `resourceType` first,
//! absent elements omitted. This is the form MedChain encrypts, so the same resource always gives
//! the same plaintext. Decimals are JSON numbers read as `f64`, so a decimal's written precision
//! is not kept (`72` and `72.0` are the same value; `72` is written `72.0`).
//! Parsing the canonical bytes gives back an equal typed value ([`FhirDocument`] implements
//! `PartialEq`), and serialising that again gives the same bytes.

use fhir_model::r5::resources::{Resource, ResourceType};
use serde_json::Value;

/// What can be wrong with a FHIR document.
#[derive(Debug, thiserror::Error)]
pub enum FhirError {
	/// The bytes are not JSON.
	#[error("not valid JSON: {0}")]
	InvalidJson(#[source] serde_json::Error),
	/// The JSON is not an object with a string `resourceType`.
	#[error("not a FHIR resource: {0}")]
	NotAResource(&'static str),
	/// `resourceType` names no FHIR R5 resource. The message does not repeat the value (it
	/// could be anything the document holds); the field keeps it for the caller.
	#[error("resourceType does not name a FHIR R5 resource")]
	UnknownResourceType(String),
	/// The resource does not match its R5 definition. The message says what kind of value was
	/// refused and what was expected, never the value itself: an error must not carry health
	/// data to a terminal, a log or `--json` output (security review L6).
	#[error("invalid FHIR R5 {resource_type} resource at {path}: {reason}")]
	InvalidResource {
		/// The type of the invalid resource (in a Bundle, of the invalid entry).
		resource_type: &'static str,
		/// Where it is: its type, or its path in a Bundle, e.g. `Bundle.entry[1].resource`.
		path: String,
		/// What the typed model refused, without the refused value.
		reason: String,
	},
	/// The R5 model dropped an element: it is not defined there, its value is not valid for it
	/// (for some choice elements `fhir-model` drops rather than refuses), or it is null or empty.
	#[error(
		"element {path} was not accepted by the FHIR R5 model: it is not defined there, its value \
         has the wrong type, or it is null or empty (which FHIR forbids)"
	)]
	RejectedElement {
		/// FHIRPath-like path of the element, e.g. `Observation.code.coding[0].foo`.
		path: String,
	},
	/// Writing JSON failed.
	#[error("cannot serialise the resource as JSON: {0}")]
	Serialize(#[source] serde_json::Error),
}

/// A validated FHIR R5 resource (any type, Bundle included).
#[derive(Debug, Clone, PartialEq)]
pub struct FhirDocument {
	resource: Resource,
}

impl FhirDocument {
	/// Parses and validates a FHIR R5 JSON resource (steps in the [module docs](self)).
	pub fn parse(bytes: &[u8]) -> Result<Self, FhirError> {
		let input: Value = serde_json::from_slice(bytes).map_err(FhirError::InvalidJson)?;
		let object = input
			.as_object()
			.ok_or(FhirError::NotAResource("the top level is not a JSON object"))?;
		let type_name = match object.get("resourceType") {
			Some(Value::String(name)) => name,
			Some(_) => return Err(FhirError::NotAResource("resourceType is not a string")),
			None => return Err(FhirError::NotAResource("resourceType is missing")),
		};
		let resource_type: ResourceType =
			type_name.parse().map_err(|_| FhirError::UnknownResourceType(type_name.clone()))?;

		let resource: Resource = match typed(&input) {
			Ok(resource) => resource,
			Err(source) => {
				let mut path = resource_type.as_str().to_owned();
				return Err(invalid_entry(&input, &mut path).unwrap_or(
					FhirError::InvalidResource {
						resource_type: resource_type.as_str(),
						path,
						reason: redacted(&source),
					},
				));
			},
		};
		let written = serde_json::to_value(&resource).map_err(FhirError::Serialize)?;
		let mut path = resource_type.as_str().to_owned();
		if let Some(path) = first_dropped(&input, &written, &mut path) {
			return Err(FhirError::RejectedElement { path });
		}
		Ok(Self { resource })
	}

	/// Wraps an already typed resource.
	pub fn from_resource(resource: Resource) -> Self {
		Self { resource }
	}

	/// The resource type, e.g. `"Observation"` or `"Bundle"`.
	pub fn resource_type(&self) -> &'static str {
		self.resource.resource_type().as_str()
	}

	/// The typed resource.
	pub fn resource(&self) -> &Resource {
		&self.resource
	}

	/// The typed resource, by value.
	pub fn into_resource(self) -> Resource {
		self.resource
	}

	/// The resource as canonical JSON (see the [module docs](self)).
	pub fn to_json_bytes(&self) -> Result<Vec<u8>, FhirError> {
		serde_json::to_vec(&self.resource).map_err(FhirError::Serialize)
	}

	/// The resource as a JSON value.
	pub fn to_json_value(&self) -> Result<Value, FhirError> {
		serde_json::to_value(&self.resource).map_err(FhirError::Serialize)
	}
}

/// Deserialises the typed model from parsed JSON.
///
/// Not straight from the JSON text: when `serde_json` is built with `arbitrary_precision` (which
/// `sp-genesis-builder` turns on wherever this crate is built with the node), it hands a float to
/// the buffering deserialisers that `fhir-model`'s choice elements use as a private map, and
/// `fhir-model` then drops the element (`valueQuantity` with `"value": 72.5`). Going through
/// `serde_value` gives every deserialiser plain integers and floats whatever the features.
fn typed(value: &Value) -> Result<Resource, serde_value::DeserializerError> {
	use serde::Deserialize;
	let plain = plain(value).map_err(serde_value::DeserializerError::Custom)?;
	Resource::deserialize(serde_value::ValueDeserializer::<serde_value::DeserializerError>::new(
		plain,
	))
}

/// `value` as a `serde_value::Value` with numbers as `u64`, `i64` or `f64`.
fn plain(value: &Value) -> Result<serde_value::Value, String> {
	use serde_value::Value as V;
	Ok(match value {
		Value::Null => V::Unit,
		Value::Bool(b) => V::Bool(*b),
		Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
			(Some(u), _, _) => V::U64(u),
			(None, Some(i), _) => V::I64(i),
			(None, None, Some(f)) if f.is_finite() => V::F64(f),
			_ => return Err("a number is out of range".to_owned()),
		},
		Value::String(text) => V::String(text.clone()),
		Value::Array(items) => V::Seq(items.iter().map(plain).collect::<Result<_, _>>()?),
		Value::Object(fields) => V::Map(
			fields
				.iter()
				.map(|(k, v)| Ok((V::String(k.clone()), plain(v)?)))
				.collect::<Result<_, String>>()?,
		),
	})
}

/// What `error` says, without the values it quotes (names, codes, free text from the
/// document): only the kind of value refused, what was expected, and element names.
fn redacted(error: &serde_value::DeserializerError) -> String {
	use serde_value::{DeserializerError as E, Unexpected as U};
	let kind = |unexpected: &U| match unexpected {
		U::Bool(_) => "a boolean",
		U::Unsigned(_) | U::Signed(_) | U::Float(_) => "a number",
		U::Char(_) | U::Str(_) => "a string",
		U::Bytes(_) => "bytes",
		U::Unit => "null",
		U::Seq => "an array",
		U::Map => "an object",
		_ => "a value",
	};
	match error {
		E::InvalidType(unexpected, expected) => {
			format!("{} where {expected} was expected", kind(unexpected))
		},
		E::InvalidValue(unexpected, expected) => {
			format!("{} that is not {expected}", kind(unexpected))
		},
		E::InvalidLength(_, expected) => format!("an array whose length is not {expected}"),
		E::UnknownVariant(_, expected) => {
			format!("a code that is not one of {}", expected.join(", "))
		},
		E::UnknownField(_, _) => "an element not defined in R5".to_owned(),
		E::MissingField(field) => format!("missing required element {field}"),
		E::DuplicateField(field) => format!("element {field} appears twice"),
		// `fhir-model` reports a missing required element as a custom message naming it: an
		// element name is kept; any other custom message may quote a value and is not.
		E::Custom(message) => match message.strip_prefix("Missing field ") {
			Some(field)
				if !field.is_empty()
					&& field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
			{
				format!("missing required element {field}")
			},
			_ if message.starts_with("Unknown value") => "a code outside its value set".to_owned(),
			_ => "a value the R5 model refuses".to_owned(),
		},
	}
}

/// In an invalid Bundle, the innermost invalid entry resource (`None` if every entry is valid or
/// `value` is no Bundle), so that the error names the entry rather than the whole Bundle.
fn invalid_entry(value: &Value, path: &mut String) -> Option<FhirError> {
	if value.get("resourceType")?.as_str()? != "Bundle" {
		return None;
	}
	for (index, entry) in value.get("entry")?.as_array()?.iter().enumerate() {
		let Some(resource) = entry.get("resource") else {
			continue;
		};
		if let Err(source) = typed(resource) {
			path.push_str(&format!(".entry[{index}].resource"));
			let resource_type = resource
				.get("resourceType")
				.and_then(Value::as_str)
				.and_then(|name| name.parse::<ResourceType>().ok())
				.map_or("unknown-type", |t| t.as_str());
			return Some(invalid_entry(resource, path).unwrap_or(FhirError::InvalidResource {
				resource_type,
				path: path.clone(),
				reason: redacted(&source),
			}));
		}
	}
	None
}

/// The path of the first element of `input` missing from `written` (the typed model's output).
/// Values that are present in both but written differently (e.g. `72` and `72.0`) are accepted.
fn first_dropped(input: &Value, written: &Value, path: &mut String) -> Option<String> {
	match (input, written) {
		(Value::Object(input), Value::Object(written)) => {
			if input.is_empty() {
				return Some(path.clone());
			}
			for (name, value) in input {
				let len = path.len();
				path.push('.');
				path.push_str(name);
				let found = match written.get(name) {
					None => Some(path.clone()),
					Some(out) => first_dropped(value, out, path),
				};
				if found.is_some() {
					return found;
				}
				path.truncate(len);
			}
			None
		},
		(Value::Array(input), Value::Array(written)) => {
			if input.is_empty() {
				return Some(path.clone());
			}
			for (index, value) in input.iter().enumerate() {
				let len = path.len();
				path.push_str(&format!("[{index}]"));
				let found = match written.get(index) {
					None => Some(path.clone()),
					Some(out) => first_dropped(value, out, path),
				};
				if found.is_some() {
					return found;
				}
				path.truncate(len);
			}
			None
		},
		// A null in an array of primitive extensions (`"_given": [null, {...}]`) is written back
		// as null; anywhere else the model drops it and the key is reported missing above.
		(Value::Null, Value::Null) => None,
		(Value::Object(_) | Value::Array(_), _) => Some(path.clone()),
		_ => None,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const HEART_RATE: &str = r#"{
        "resourceType": "Observation",
        "id": "heart-rate",
        "meta": { "profile": ["http://hl7.org/fhir/StructureDefinition/heartrate"] },
        "status": "final",
        "category": [{
            "coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "vital-signs",
                "display": "Vital Signs"
            }],
            "text": "Vital Signs"
        }],
        "code": {
            "coding": [{ "system": "http://loinc.org", "code": "8867-4", "display": "Heart rate" }],
            "text": "Heart rate"
        },
        "subject": { "reference": "Patient/example" },
        "effectiveDateTime": "1999-07-02",
        "valueQuantity": {
            "value": 44,
            "unit": "beats/minute",
            "system": "http://unitsofmeasure.org",
            "code": "/min"
        }
    }"#;

	const BUNDLE: &str = r#"{
        "resourceType": "Bundle",
        "id": "bundle-example",
        "type": "collection",
        "entry": [
            {
                "fullUrl": "urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0",
                "resource": {
                    "resourceType": "Patient",
                    "id": "example",
                    "name": [{ "family": "Chalmers", "given": ["Peter", "James"] }],
                    "gender": "male",
                    "birthDate": "1974-12-25"
                }
            },
            {
                "fullUrl": "urn:uuid:88f151c0-a954-468a-88bd-5ae15c08e059",
                "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "code": { "coding": [{ "system": "http://loinc.org", "code": "8867-4" }] },
                    "valueQuantity": { "value": 72.5, "unit": "beats/minute",
                                       "system": "http://unitsofmeasure.org", "code": "/min" }
                }
            }
        ]
    }"#;

	#[test]
	fn observation_accepted() {
		let doc = FhirDocument::parse(HEART_RATE.as_bytes()).unwrap();
		assert_eq!(doc.resource_type(), "Observation");
		let Resource::Observation(observation) = doc.resource() else {
			panic!("not an Observation: {doc:?}");
		};
		let quantity = match observation.value.as_ref() {
			Some(fhir_model::r5::resources::ObservationValue::Quantity(q)) => q,
			other => panic!("unexpected value {other:?}"),
		};
		assert_eq!(quantity.value, Some(44.0));
		assert_eq!(observation.code.coding[0].as_ref().unwrap().code.as_deref(), Some("8867-4"));
	}

	#[test]
	fn bundle_accepted() {
		let doc = FhirDocument::parse(BUNDLE.as_bytes()).unwrap();
		assert_eq!(doc.resource_type(), "Bundle");
		let Resource::Bundle(bundle) = doc.resource() else {
			panic!("not a Bundle");
		};
		let types: Vec<&str> = bundle
			.entry
			.iter()
			.flatten()
			.filter_map(|entry| entry.resource.as_ref())
			.map(|resource| resource.resource_type().as_str())
			.collect();
		assert_eq!(types, ["Patient", "Observation"]);
	}

	#[test]
	fn round_trip() {
		for input in [HEART_RATE, BUNDLE] {
			let doc = FhirDocument::parse(input.as_bytes()).unwrap();
			let canonical = doc.to_json_bytes().unwrap();
			let again = FhirDocument::parse(&canonical).unwrap();
			assert_eq!(again, doc);
			assert_eq!(again.to_json_bytes().unwrap(), canonical, "canonical form is stable");
			// Same JSON value as the input once numbers are compared as numbers.
			let input: Value = serde_json::from_str(input).unwrap();
			let output: Value = serde_json::from_slice(&canonical).unwrap();
			assert_eq!(normalise(input), normalise(output));
		}
		let canonical =
			FhirDocument::parse(HEART_RATE.as_bytes()).unwrap().to_json_bytes().unwrap();
		assert!(canonical.starts_with(br#"{"resourceType":"Observation","#));
	}

	fn normalise(value: Value) -> Value {
		match value {
			Value::Number(n) => serde_json::json!(n.as_f64().unwrap()),
			Value::Array(items) => Value::Array(items.into_iter().map(normalise).collect()),
			Value::Object(map) => {
				Value::Object(map.into_iter().map(|(k, v)| (k, normalise(v))).collect())
			},
			other => other,
		}
	}

	#[test]
	fn invalid_json_rejected() {
		let err = FhirDocument::parse(b"{\"resourceType\": \"Observation\",").unwrap_err();
		assert!(matches!(err, FhirError::InvalidJson(_)), "{err}");
		assert!(err.to_string().starts_with("not valid JSON"), "{err}");
		let err = FhirDocument::parse(b"[1, 2]").unwrap_err();
		assert!(matches!(err, FhirError::NotAResource(_)), "{err}");
		let err = FhirDocument::parse(br#"{"status": "final"}"#).unwrap_err();
		assert!(err.to_string().contains("resourceType is missing"), "{err}");
	}

	#[test]
	fn unknown_resource_type_rejected() {
		let err = FhirDocument::parse(br#"{"resourceType": "HeartRate", "status": "final"}"#)
			.unwrap_err();
		assert!(matches!(&err, FhirError::UnknownResourceType(t) if t == "HeartRate"), "{err}");
		assert_eq!(err.to_string(), "resourceType does not name a FHIR R5 resource");
		// An R4 resource removed in R5.
		let err = FhirDocument::parse(br#"{"resourceType": "MedicinalProduct"}"#).unwrap_err();
		assert!(matches!(err, FhirError::UnknownResourceType(_)), "{err}");
	}

	/// L6: validation errors echoed the refused values (a name, a code, free text) to stderr
	/// and `--json`; the error chain now names the element and the kind of value only.
	#[test]
	fn l6_validation_errors_carry_no_document_values() {
		fn chain(err: &dyn std::error::Error) -> String {
			let mut text = format!("{err} {err:?}");
			let mut source = err.source();
			while let Some(inner) = source {
				text.push_str(&format!(" | {inner} {inner:?}"));
				source = inner.source();
			}
			text
		}
		let secret = "Zelda-Quixote-Varga";
		let cases = [
			// A string where a coded element is expected.
			HEART_RATE.replace(r#""status": "final""#, &format!(r#""status": "{secret}""#)),
			// A string where an object is expected.
			HEART_RATE.replace(
				r#""subject": { "reference": "Patient/example" }"#,
				&format!(r#""subject": "{secret}""#),
			),
			// A string where a number is expected.
			HEART_RATE.replace(r#""value": 44"#, &format!(r#""value": "{secret}""#)),
			// A string that is not a date.
			HEART_RATE.replace(r#""1999-07-02""#, &format!(r#""{secret}""#)),
			// A resource type that is the value.
			format!(r#"{{"resourceType": "{secret}"}}"#),
			// An invalid Bundle entry.
			format!(
				r#"{{"resourceType": "Bundle", "type": "collection", "entry": [{{"resource": {{"resourceType": "Patient", "gender": "{secret}"}}}}]}}"#
			),
		];
		for case in cases {
			let err = FhirDocument::parse(case.as_bytes()).unwrap_err();
			let text = match &err {
				FhirError::UnknownResourceType(_) => err.to_string(),
				_ => chain(&err),
			};
			assert!(!text.contains(secret), "the error repeats a value of the document: {text}");
			assert!(!text.is_empty());
		}
		let err = FhirDocument::parse(
			HEART_RATE.replace(r#""status": "final""#, r#""status": 5"#).as_bytes(),
		)
		.unwrap_err();
		assert!(err.to_string().contains("a number where"), "{err}");
	}

	#[test]
	fn wrong_field_type_rejected() {
		let wrong = HEART_RATE.replace(r#""status": "final""#, r#""status": 5"#);
		let err = FhirDocument::parse(wrong.as_bytes()).unwrap_err();
		assert!(
			matches!(err, FhirError::InvalidResource { resource_type: "Observation", .. }),
			"{err}"
		);
		assert!(err.to_string().starts_with("invalid FHIR R5 Observation resource"), "{err}");

		let wrong = HEART_RATE.replace(
			r#""subject": { "reference": "Patient/example" }"#,
			r#""subject": "Patient/example""#,
		);
		let err = FhirDocument::parse(wrong.as_bytes()).unwrap_err();
		assert!(matches!(err, FhirError::InvalidResource { .. }), "{err}");

		// fhir-model drops a choice element of the wrong type; the dropped-element check refuses.
		let wrong = HEART_RATE.replace(r#""value": 44"#, r#""value": "forty-four""#);
		let err = FhirDocument::parse(wrong.as_bytes()).unwrap_err();
		assert!(
			matches!(&err, FhirError::RejectedElement { path } if path == "Observation.valueQuantity"),
			"{err}"
		);

		let bad_code = HEART_RATE.replace(r#""status": "final""#, r#""status": "done""#);
		let err = FhirDocument::parse(bad_code.as_bytes()).unwrap_err();
		assert!(matches!(err, FhirError::InvalidResource { .. }), "{err}");

		let missing_required = r#"{"resourceType": "Observation", "status": "final"}"#;
		let err = FhirDocument::parse(missing_required.as_bytes()).unwrap_err();
		assert_eq!(
			err.to_string(),
			"invalid FHIR R5 Observation resource at Observation: missing required element code"
		);

		// In a Bundle, the error names the invalid entry.
		let bad_entry = BUNDLE.replace(r#""gender": "male""#, r#""gender": "mail""#);
		let err = FhirDocument::parse(bad_entry.as_bytes()).unwrap_err();
		assert!(
			matches!(&err, FhirError::InvalidResource { resource_type: "Patient", path, .. }
				if path == "Bundle.entry[0].resource"),
			"{err}"
		);
		assert!(err.to_string().ends_with("a code outside its value set"), "{err}");
		assert!(!err.to_string().contains("mail"), "the error repeats the code: {err}");
	}

	#[test]
	fn unknown_element_rejected() {
		let extra = HEART_RATE.replace(r#""value": 44,"#, r#""value": 44, "colour": "red","#);
		let err = FhirDocument::parse(extra.as_bytes()).unwrap_err();
		assert!(
			matches!(&err, FhirError::RejectedElement { path } if path == "Observation.valueQuantity.colour"),
			"{err}"
		);
		let extra =
			HEART_RATE.replace(r#""status": "final","#, r#""status": "final", "heartRate": 44,"#);
		let err = FhirDocument::parse(extra.as_bytes()).unwrap_err();
		assert!(
			matches!(&err, FhirError::RejectedElement { path } if path == "Observation.heartRate"),
			"{err}"
		);
		let in_bundle = BUNDLE.replace(r#""gender": "male","#, r#""gender": "male", "ssn": "1","#);
		let err = FhirDocument::parse(in_bundle.as_bytes()).unwrap_err();
		assert!(
			matches!(&err, FhirError::RejectedElement { path } if path == "Bundle.entry[0].resource.ssn"),
			"{err}"
		);
		let empty =
			HEART_RATE.replace(r#""status": "final","#, r#""status": "final", "note": [],"#);
		let err = FhirDocument::parse(empty.as_bytes()).unwrap_err();
		assert!(matches!(err, FhirError::RejectedElement { .. }), "{err}");
	}

	#[test]
	fn primitive_extensions_kept() {
		let with_extension = r#"{
            "resourceType": "Patient",
            "name": [{
                "given": ["Peter", "James"],
                "_given": [null, { "extension": [{
                    "url": "http://example.org/fhir/StructureDefinition/nickname",
                    "valueBoolean": true
                }]}]
            }]
        }"#;
		let doc = FhirDocument::parse(with_extension.as_bytes()).unwrap();
		let again = FhirDocument::parse(&doc.to_json_bytes().unwrap()).unwrap();
		assert_eq!(again, doc);
	}

	#[test]
	fn decimals_round_trip_whatever_serde_json_features_are_on() {
		let json = br#"{"resourceType":"Observation","status":"final","code":{"text":"x"},
			"valueQuantity":{"value":72.5,"unit":"kg"},
			"component":[{"code":{"text":"y"},"valueQuantity":{"value":72.0}}]}"#;
		let document = FhirDocument::parse(json).unwrap();
		let written = document.to_json_bytes().unwrap();
		assert_eq!(FhirDocument::parse(&written).unwrap(), document);
		let text = String::from_utf8(written).unwrap();
		assert!(text.contains(r#""value":72.5"#), "{text}");
	}
}
