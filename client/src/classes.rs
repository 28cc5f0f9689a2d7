//! Data classes and the patient's class key (security review H3).
//!
//! Consent is scoped by classes of data: some carry stricter legal protection (42 CFR Part 2 for
//! substance use, for instance), so a patient grants them separately. The chain must compare
//! classes (is this record's class one the grant covers?) but must not learn them: a public
//! reader would otherwise see which patient accounts receive mental-health or sexual-health care.
//!
//! So the chain holds a **class tag** instead of a class: a keyed hash of the class's code under
//! the patient's **class key**, 32 random bytes each patient keeps in their key file. One
//! patient's records and grants of one class carry the same tag; two patients' tags for the same
//! class are unrelated; without the key nobody can tell which class a tag stands for (there are
//! only five classes, so the key, not the code, is what keeps them apart).
//!
//! The patient hands the class key to the organisations that treat them, with their account, as
//! a **patient card** ([`PatientCard`]: `medchain keys card`, read by `medchain patients
//! import`), the way a health card is shown at admission: a practitioner needs it to anchor a
//! record of a class, and anyone who holds it can read the classes of that patient's records,
//! grants and receipts, nothing more.
//!
//! The class key lives in the key file with the encryption key, and like it is not derived from
//! the account's phrase: `keys import` of the same phrase makes new ones, under which the old
//! tags mean nothing. Back up the key file itself; recovering lost keys is not supported yet.
//!
//! # Tag format
//!
//! `tag = BLAKE2b-256("medchain/class-tag/v1" ‖ class key ‖ code)`, where `code` is the class's
//! ASCII code ([`DataClass::code`]: `general`, `mental-health`, `sexual-health`, `genetic`,
//! `substance-use`). BLAKE2b is not open to length extension, so the secret prefix makes it a
//! MAC (the construction of [`crypto::plaintext_commitment`]).

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub use crate::chain::types::medchain_primitives::ClassTag;
use crate::crypto::{self, CryptoError};

/// The domain tag of [`ClassKey::tag`].
pub const CLASS_TAG_DOMAIN: &[u8] = b"medchain/class-tag/v1";

/// The domain tag of [`ClassKey::derived_from`].
pub const CLASS_KEY_DOMAIN: &[u8] = b"medchain/class-key/v1";

/// Classes of data, the unit of consent scoping. Never on chain as such: see [`ClassTag`].
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataClass {
	/// Everything not in a protected class.
	General,
	/// Mental health.
	MentalHealth,
	/// Sexual and reproductive health.
	SexualHealth,
	/// Genetic and genomic data.
	Genetic,
	/// Substance-use disorder treatment.
	SubstanceUse,
}

impl DataClass {
	/// Every data class.
	pub const ALL: [DataClass; 5] =
		[Self::General, Self::MentalHealth, Self::SexualHealth, Self::Genetic, Self::SubstanceUse];

	/// The class's code: what its tag hashes and what the command line takes.
	pub fn code(&self) -> &'static str {
		match self {
			Self::General => "general",
			Self::MentalHealth => "mental-health",
			Self::SexualHealth => "sexual-health",
			Self::Genetic => "genetic",
			Self::SubstanceUse => "substance-use",
		}
	}
}

impl fmt::Display for DataClass {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(self.code())
	}
}

impl FromStr for DataClass {
	type Err = String;

	fn from_str(s: &str) -> Result<Self, Self::Err> {
		Self::ALL.into_iter().find(|class| class.code() == s).ok_or_else(|| {
			let codes: Vec<&str> = Self::ALL.iter().map(DataClass::code).collect();
			format!("`{s}` is not a data class (one of: {})", codes.join(", "))
		})
	}
}

/// A patient's class key: the secret their class tags are computed under.
#[derive(Clone, PartialEq, Eq)]
pub struct ClassKey(Zeroizing<[u8; 32]>);

impl fmt::Debug for ClassKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("ClassKey(<redacted>)")
	}
}

impl ClassKey {
	/// A fresh random class key.
	pub fn generate() -> Result<Self, CryptoError> {
		let mut bytes = Zeroizing::new([0u8; 32]);
		getrandom::fill(bytes.as_mut()).map_err(|e| CryptoError::Random(e.to_string()))?;
		Ok(Self(bytes))
	}

	/// The class key of these 32 bytes.
	pub fn from_bytes(bytes: [u8; 32]) -> Self {
		Self(Zeroizing::new(bytes))
	}

	/// The key's bytes (for the key file and the patient card only).
	pub fn as_bytes(&self) -> &[u8; 32] {
		&self.0
	}

	/// The class key of a key file written before class keys existed:
	/// BLAKE2b-256(`"medchain/class-key/v1"` ‖ encryption secret). Stable for as long as the
	/// identity keeps its encryption key.
	pub fn derived_from(encryption_secret: &[u8; 32]) -> Self {
		Self::from_bytes(crypto::domain_hash(CLASS_KEY_DOMAIN, encryption_secret))
	}

	/// The tag of `class` under this key (format in the [module docs](self)).
	pub fn tag(&self, class: DataClass) -> ClassTag {
		let mut input = Zeroizing::new(Vec::with_capacity(32 + class.code().len()));
		input.extend_from_slice(self.0.as_ref());
		input.extend_from_slice(class.code().as_bytes());
		ClassTag(crypto::domain_hash(CLASS_TAG_DOMAIN, &input))
	}

	/// The tags of `classes`, in order.
	pub fn tags(&self, classes: &[DataClass]) -> Vec<ClassTag> {
		classes.iter().map(|class| self.tag(*class)).collect()
	}

	/// The class `tag` stands for under this key, if any.
	pub fn class_of(&self, tag: &ClassTag) -> Option<DataClass> {
		DataClass::ALL.into_iter().find(|class| &self.tag(*class) == tag)
	}
}

/// How a class tag reads to someone: its class where they hold the patient's class key, its
/// first bytes otherwise.
pub fn describe(tag: &ClassTag, key: Option<&ClassKey>) -> String {
	match key.and_then(|key| key.class_of(tag)) {
		Some(class) => class.code().to_string(),
		None => format!("tag:{}", hex::encode(&tag.0[..6])),
	}
}

/// What a patient hands to an organisation that treats them: their account and class key.
///
/// As JSON: `{ "account": "mHpN…", "class_key": "<64 hex>" }`. It holds a secret (whoever has it
/// can tell the classes of the patient's records on chain): it is written with mode 0600 and
/// should travel the way a health card does, in person or over a channel the two trust.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatientCard {
	/// The patient's account.
	pub account: crate::account::AccountId,
	/// The patient's class key.
	pub class_key: ClassKey,
}

#[derive(Serialize, Deserialize)]
struct CardFile {
	account: crate::account::AccountId,
	class_key: String,
}

impl PatientCard {
	/// The card as JSON bytes (secret: write it with mode 0600).
	pub fn to_json(&self) -> Zeroizing<Vec<u8>> {
		let file =
			CardFile { account: self.account, class_key: hex::encode(self.class_key.as_bytes()) };
		Zeroizing::new(serde_json::to_vec_pretty(&file).unwrap_or_default())
	}

	/// A card from its JSON; says what is wrong with a malformed one.
	pub fn from_json(bytes: &[u8]) -> Result<Self, String> {
		let file: CardFile = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
		let key: [u8; 32] = hex::decode(&file.class_key)
			.ok()
			.and_then(|bytes| bytes.try_into().ok())
			.ok_or("class_key is not 32 hex bytes")?;
		Ok(Self { account: file.account, class_key: ClassKey::from_bytes(key) })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn h3_tags_are_per_patient_and_hide_the_class() {
		let alice = ClassKey::generate().unwrap();
		let bob = ClassKey::generate().unwrap();
		let tags: Vec<ClassTag> = alice.tags(&DataClass::ALL);
		// Five classes, five different tags, each read back only under Alice's key.
		for (i, tag) in tags.iter().enumerate() {
			assert!(tags[i + 1..].iter().all(|other| other != tag));
			assert_eq!(alice.class_of(tag), Some(DataClass::ALL[i]));
			assert_eq!(bob.class_of(tag), None);
		}
		// The same class of two patients: unrelated tags.
		assert_ne!(alice.tag(DataClass::MentalHealth), bob.tag(DataClass::MentalHealth));
		// Stable: the same key gives the same tag.
		let again = ClassKey::from_bytes(*alice.as_bytes());
		assert_eq!(again.tag(DataClass::Genetic), alice.tag(DataClass::Genetic));
		assert_eq!(describe(&tags[1], Some(&alice)), "mental-health");
		assert!(describe(&tags[1], Some(&bob)).starts_with("tag:"));
	}

	#[test]
	fn the_tag_format_is_fixed() {
		// BLAKE2b-256("medchain/class-tag/v1" ‖ key ‖ "general") with a key of 32 × 0x07.
		let key = ClassKey::from_bytes([7u8; 32]);
		let mut input = CLASS_TAG_DOMAIN.to_vec();
		input.extend_from_slice(&[7u8; 32]);
		input.extend_from_slice(b"general");
		assert_eq!(key.tag(DataClass::General).0, crypto::blake2_256(&input));
	}

	#[test]
	fn class_codes_parse_and_unknown_ones_are_named() {
		for class in DataClass::ALL {
			assert_eq!(class.code().parse::<DataClass>(), Ok(class));
		}
		let err = "psychiatry".parse::<DataClass>().unwrap_err();
		assert!(err.contains("psychiatry") && err.contains("mental-health"), "{err}");
	}

	#[test]
	fn a_card_round_trips_and_a_bad_one_is_refused() {
		let card = PatientCard {
			account: subxt_signer::sr25519::dev::dave().public_key().into(),
			class_key: ClassKey::generate().unwrap(),
		};
		assert_eq!(PatientCard::from_json(&card.to_json()).unwrap(), card);
		let err = PatientCard::from_json(br#"{"account":"nobody","class_key":"00"}"#).unwrap_err();
		assert!(err.contains("nobody"), "{err}");
		let account = &card.account;
		let short = format!(r#"{{"account":"{account}","class_key":"0011"}}"#);
		assert!(PatientCard::from_json(short.as_bytes()).unwrap_err().contains("32 hex"));
		assert!(PatientCard::from_json(b"{}").is_err());
	}
}
