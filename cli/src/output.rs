//! What a command prints: a line for people, or a JSON value with `--json`, both built from
//! one result.

use std::fmt::Display;

use serde::Serialize;
use serde_json::Value;

use crate::error::CliError;

/// A command's result: a line for people and a value for `--json`.
pub(crate) struct Output {
	/// For people (stdout without `--json`).
	pub(crate) text: String,
	/// For programs (stdout with `--json`).
	pub(crate) json: Value,
}

impl Output {
	/// A result that says itself: its `Display` for people, its serialization for `--json`.
	pub(crate) fn of<T: Serialize + Display>(result: &T) -> Result<Self, CliError> {
		Ok(Self { text: result.to_string(), json: to_json(result)? })
	}

	/// `json` for programs, with `text` for people.
	pub(crate) fn new(text: impl Into<String>, json: Value) -> Result<Self, CliError> {
		Ok(Self { text: text.into(), json })
	}

	/// `value` for programs, and for people the same JSON, pretty-printed.
	pub(crate) fn json<T: Serialize>(value: &T) -> Result<Self, CliError> {
		let json = to_json(value)?;
		Ok(Self { text: serde_json::to_string_pretty(&json)?, json })
	}

	/// The result as printed: the text, or the JSON value with `--json`.
	pub(crate) fn render(&self, json: bool) -> Result<String, CliError> {
		Ok(if json { serde_json::to_string_pretty(&self.json)? } else { self.text.clone() })
	}
}

/// Data keys as JSON: each `(record, holder)` as `{ "record", "holder" }`, the holder in SS58.
pub(crate) fn keys_json(keys: &[(u64, medchain_client::account::AccountId)]) -> Value {
	keys.iter()
		.map(
			|(record, holder)| serde_json::json!({ "record": record, "holder": holder.to_string() }),
		)
		.collect()
}

/// The plural ending for `count` things: `""` for one, `"s"` otherwise.
pub(crate) fn plural(count: usize) -> &'static str {
	if count == 1 {
		""
	} else {
		"s"
	}
}

/// `value` as JSON; a value that does not serialize is an error, never `null`.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Value, CliError> {
	Ok(serde_json::to_value(value)?)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[derive(Serialize)]
	struct Registered {
		organisation: u32,
	}

	impl Display for Registered {
		fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
			write!(f, "registered organisation {}", self.organisation)
		}
	}

	#[test]
	fn a_result_prints_its_display_for_people_and_its_serialization_for_programs() {
		let output = Output::of(&Registered { organisation: 7 }).unwrap();
		assert_eq!(output.render(false).unwrap(), "registered organisation 7");
		let json: Value = serde_json::from_str(&output.render(true).unwrap()).unwrap();
		assert_eq!(json, serde_json::json!({ "organisation": 7 }));
	}

	#[test]
	fn a_result_that_does_not_serialize_is_an_error_not_null() {
		// JSON object keys must be strings.
		let map = std::collections::BTreeMap::from([((1u8, 2u8), "pair key")]);
		let error = to_json(&map).unwrap_err();
		assert!(matches!(error, CliError::Json(_)), "{error}");
	}
}
