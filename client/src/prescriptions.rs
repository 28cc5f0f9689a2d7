//! Prescriptions and medicine batches, off chain: what a prescriber's client makes before
//! `prescribe`, what the patient carries to the pharmacy, and what a manufacturer prints on a
//! pack. The chain (`pallet-prescriptions`) holds only ids and commitments; this module makes
//! them and checks them.
//!
//! * A [`PatientCopy`] is made with each prescription: a random id, the secret seed of a
//!   one-time key (sr25519) that stands for the patient on chain, and the salts of the
//!   commitments to the MedicationRequest and to the schedule class. The prescriber's client
//!   hands it to the patient with the document; the chain sees the one-time key's account, never
//!   the patient's.
//! * At the counter the patient's client turns the copy into a [`ChoiceCode`] for one pharmacy:
//!   the one-time key's signature over [`choice_message`] (the chain's genesis hash, the
//!   prescription, the pharmacy, the turn). As text (`rx1-` and 104 bytes in unpadded base64url)
//!   it fits a QR code; the pharmacist's client reads it back and submits `reserve_fill`.
//! * A [`BatchLabel`] is what a pack's serialisation code carries: product code (a GTIN, check
//!   digit checked), batch number, expiry date and the manufacturer's salt. The chain gets the
//!   batch id and salted commitments to product and expiry, which only a holder of the label can
//!   open.
//!
//! Byte formats (BLAKE2b-256 throughout, each under its own domain tag):
//!
//! | value | bytes hashed |
//! |---|---|
//! | request commitment | `"medchain/medication-request/v1"` ‖ request salt ‖ document |
//! | schedule commitment | `"medchain/schedule/v1"` ‖ schedule salt ‖ schedule code (1 byte) |
//! | dispense commitment | `"medchain/medication-dispense/v1"` ‖ salt ‖ document |
//! | batch id | `"medchain/batch/v1"` ‖ salt ‖ GTIN (14 digits) ‖ batch number's length (1 byte) ‖ batch number |
//! | product commitment | `"medchain/product/v1"` ‖ salt ‖ GTIN (14 digits) |
//! | expiry commitment | `"medchain/expiry/v1"` ‖ salt ‖ expiry (`YYYY-MM-DD`) |

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use blake2::{Blake2b256, Digest};
use serde::{Deserialize, Serialize};
use subxt_signer::sr25519::{self, Keypair};
use zeroize::Zeroizing;

pub use pallet_prescriptions_runtime_api::{choice_message, BatchId, PrescriptionId};

mod on_chain;
pub use on_chain::*;

/// The domain tag of [`PatientCopy::request_commitment`].
pub const REQUEST_DOMAIN: &[u8] = b"medchain/medication-request/v1";
/// The domain tag of [`PatientCopy::schedule_commitment`].
pub const SCHEDULE_DOMAIN: &[u8] = b"medchain/schedule/v1";
/// The domain tag of [`dispense_commitment`].
pub const DISPENSE_DOMAIN: &[u8] = b"medchain/medication-dispense/v1";
/// The domain tag of [`BatchLabel::id`].
pub const BATCH_DOMAIN: &[u8] = b"medchain/batch/v1";
/// The domain tag of [`BatchLabel::product_commitment`].
pub const PRODUCT_DOMAIN: &[u8] = b"medchain/product/v1";
/// The domain tag of [`BatchLabel::expiry_commitment`].
pub const EXPIRY_DOMAIN: &[u8] = b"medchain/expiry/v1";
/// What a choice code's text starts with.
pub const CHOICE_CODE_PREFIX: &str = "rx1-";

/// What is wrong with a prescription's or a batch's data.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PrescriptionError {
	/// The choice code is not one this client can read.
	#[error("not a prescription choice code: {0}")]
	BadChoiceCode(&'static str),
	/// The product code is not a GTIN.
	#[error("product code {0:?} is not a GTIN: 8, 12, 13 or 14 digits with a valid check digit")]
	BadGtin(String),
	/// The batch number is empty, too long or has characters a pack cannot print.
	#[error("batch number {0:?} must be 1 to 20 letters, digits or - . /")]
	BadBatchNumber(String),
	/// The expiry date is not a date.
	#[error("expiry {0:?} is not a date in the form YYYY-MM-DD")]
	BadExpiry(String),
	/// The random source failed.
	#[error("no randomness available: {0}")]
	Random(String),
	/// The one-time key's seed does not make a key.
	#[error("the prescription's one-time key is invalid: {0}")]
	BadKey(String),
}

/// A controlled-substance schedule class (the US Controlled Substances Act's, whose numbering
/// most formularies map to), or none. Committed to on chain, never shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Schedule {
	/// Not a controlled substance.
	None,
	/// Schedule I.
	I,
	/// Schedule II.
	Ii,
	/// Schedule III.
	Iii,
	/// Schedule IV.
	Iv,
	/// Schedule V.
	V,
}

impl Schedule {
	/// The byte the schedule commitment hashes.
	pub fn code(self) -> u8 {
		match self {
			Self::None => 0,
			Self::I => 1,
			Self::Ii => 2,
			Self::Iii => 3,
			Self::Iv => 4,
			Self::V => 5,
		}
	}
}

fn random32() -> Result<[u8; 32], PrescriptionError> {
	let mut bytes = [0u8; 32];
	getrandom::fill(&mut bytes).map_err(|e| PrescriptionError::Random(e.to_string()))?;
	Ok(bytes)
}

fn hash(domain: &[u8], parts: &[&[u8]]) -> [u8; 32] {
	let mut hasher = Blake2b256::new();
	hasher.update(domain);
	for part in parts {
		hasher.update(part);
	}
	hasher.finalize().into()
}

/// What the patient carries for one prescription (with the MedicationRequest itself): its id,
/// the one-time key's secret seed, and the salts of its commitments. Whoever holds it can
/// choose the pharmacy, so it is handed over as a secret is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatientCopy {
	/// The prescription's id.
	#[serde(with = "crate::batch::hex32")]
	pub prescription: PrescriptionId,
	/// The one-time key's secret seed (an sr25519 mini secret key).
	#[serde(with = "crate::batch::hex32")]
	pub counter_seed: [u8; 32],
	/// The salt of the MedicationRequest's commitment.
	#[serde(with = "crate::batch::hex32")]
	pub request_salt: [u8; 32],
	/// The schedule class.
	pub schedule: Schedule,
	/// The salt of the schedule's commitment.
	#[serde(with = "crate::batch::hex32")]
	pub schedule_salt: [u8; 32],
}

impl PatientCopy {
	/// A new prescription of `schedule`: a random id, one-time key and salts.
	pub fn new(schedule: Schedule) -> Result<Self, PrescriptionError> {
		Ok(Self {
			prescription: random32()?,
			counter_seed: random32()?,
			request_salt: random32()?,
			schedule,
			schedule_salt: random32()?,
		})
	}

	fn counter_key(&self) -> Result<Keypair, PrescriptionError> {
		let seed = Zeroizing::new(self.counter_seed);
		Keypair::from_secret_key(*seed).map_err(|e| PrescriptionError::BadKey(e.to_string()))
	}

	/// The one-time key's account: what `prescribe` names as `counter_key`.
	pub fn counter_account(&self) -> Result<[u8; 32], PrescriptionError> {
		Ok(self.counter_key()?.public_key().0)
	}

	/// The commitment to the MedicationRequest `document` (its bytes as anchored) that
	/// `prescribe` takes. Salted, so nobody can test a guess of the medicine against it, and
	/// unlike the record's own plaintext commitment, so the chain cannot join the two.
	pub fn request_commitment(&self, document: &[u8]) -> [u8; 32] {
		hash(REQUEST_DOMAIN, &[&self.request_salt, document])
	}

	/// The salted commitment to the schedule class that `prescribe` takes.
	pub fn schedule_commitment(&self) -> [u8; 32] {
		hash(SCHEDULE_DOMAIN, &[&self.schedule_salt, &[self.schedule.code()]])
	}

	/// The code the patient shows `pharmacy` for the `nonce`-th choice made for this
	/// prescription (the prescription's `choices` on chain), on the chain of `genesis`.
	pub fn choice_code(
		&self,
		genesis: &[u8; 32],
		pharmacy: u32,
		nonce: u32,
	) -> Result<ChoiceCode, PrescriptionError> {
		let message = choice_message(genesis, &self.prescription, pharmacy, nonce);
		let signature = self.counter_key()?.sign(&message).0;
		Ok(ChoiceCode { prescription: self.prescription, pharmacy, nonce, signature })
	}
}

/// A patient's choice of one pharmacy for one prescription, at one turn: what the pharmacist
/// submits with `reserve_fill`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChoiceCode {
	/// The prescription.
	pub prescription: PrescriptionId,
	/// The pharmacy chosen (its organisation id).
	pub pharmacy: u32,
	/// The turn: how many choices had been made before this one.
	pub nonce: u32,
	/// The one-time key's sr25519 signature over [`choice_message`].
	pub signature: [u8; 64],
}

/// The bytes of a choice code: prescription, pharmacy (LE), nonce (LE), signature.
const CHOICE_CODE_LEN: usize = 32 + 4 + 4 + 64;

impl ChoiceCode {
	/// The code as text: [`CHOICE_CODE_PREFIX`] and its 104 bytes in unpadded base64url.
	pub fn to_text(&self) -> String {
		let mut bytes = Vec::with_capacity(CHOICE_CODE_LEN);
		bytes.extend_from_slice(&self.prescription);
		bytes.extend_from_slice(&self.pharmacy.to_le_bytes());
		bytes.extend_from_slice(&self.nonce.to_le_bytes());
		bytes.extend_from_slice(&self.signature);
		format!("{CHOICE_CODE_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
	}

	/// Reads a code written by [`ChoiceCode::to_text`] (surrounding white space ignored).
	pub fn from_text(text: &str) -> Result<Self, PrescriptionError> {
		let body = text
			.trim()
			.strip_prefix(CHOICE_CODE_PREFIX)
			.ok_or(PrescriptionError::BadChoiceCode("it does not start with rx1-"))?;
		let bytes = URL_SAFE_NO_PAD
			.decode(body)
			.map_err(|_| PrescriptionError::BadChoiceCode("it is not base64url"))?;
		if bytes.len() != CHOICE_CODE_LEN {
			return Err(PrescriptionError::BadChoiceCode("it has the wrong length"));
		}
		let (prescription, rest) = bytes.split_at(32);
		let (pharmacy, rest) = rest.split_at(4);
		let (nonce, signature) = rest.split_at(4);
		let fixed = |_| PrescriptionError::BadChoiceCode("it has the wrong length");
		Ok(Self {
			prescription: prescription.try_into().map_err(fixed)?,
			pharmacy: u32::from_le_bytes(pharmacy.try_into().map_err(fixed)?),
			nonce: u32::from_le_bytes(nonce.try_into().map_err(fixed)?),
			signature: signature.try_into().map_err(fixed)?,
		})
	}

	/// Whether the code is `counter`'s signature of this choice on the chain of `genesis`: what
	/// the chain will check, checked before submitting.
	pub fn verify(&self, genesis: &[u8; 32], counter: &[u8; 32]) -> bool {
		let message = choice_message(genesis, &self.prescription, self.pharmacy, self.nonce);
		sr25519::verify(&sr25519::Signature(self.signature), message, &sr25519::PublicKey(*counter))
	}
}

/// The commitment to a MedicationDispense `document` under `salt` that `dispense` takes.
pub fn dispense_commitment(salt: &[u8; 32], document: &[u8]) -> [u8; 32] {
	hash(DISPENSE_DOMAIN, &[salt, document])
}

/// What a pack's serialisation code carries about its batch: the manufacturer writes it at
/// registration; wholesalers and pharmacies read it from the pack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchLabel {
	/// The product's GTIN, as 14 digits.
	pub gtin: String,
	/// The batch (lot) number.
	pub batch_number: String,
	/// The expiry date, `YYYY-MM-DD`.
	pub expiry: String,
	/// The manufacturer's salt for this batch.
	#[serde(with = "crate::batch::hex32")]
	pub salt: [u8; 32],
}

impl BatchLabel {
	/// A label for a new batch, with a fresh salt; every field checked.
	pub fn new(gtin: &str, batch_number: &str, expiry: &str) -> Result<Self, PrescriptionError> {
		Self::with_salt(gtin, batch_number, expiry, random32()?)
	}

	/// A label with a known salt (read from a pack); every field checked.
	pub fn with_salt(
		gtin: &str,
		batch_number: &str,
		expiry: &str,
		salt: [u8; 32],
	) -> Result<Self, PrescriptionError> {
		Ok(Self {
			gtin: normalise_gtin(gtin)?,
			batch_number: check_batch_number(batch_number)?,
			expiry: check_expiry(expiry)?,
			salt,
		})
	}

	/// The batch id `register_batch` takes.
	pub fn id(&self) -> BatchId {
		let number = self.batch_number.as_bytes();
		// At most 20 bytes (checked): its length fits a byte.
		let length = [u8::try_from(number.len()).unwrap_or(u8::MAX)];
		hash(BATCH_DOMAIN, &[&self.salt, self.gtin.as_bytes(), &length, number])
	}

	/// The salted commitment to the product.
	pub fn product_commitment(&self) -> [u8; 32] {
		hash(PRODUCT_DOMAIN, &[&self.salt, self.gtin.as_bytes()])
	}

	/// The salted commitment to the expiry date.
	pub fn expiry_commitment(&self) -> [u8; 32] {
		hash(EXPIRY_DOMAIN, &[&self.salt, self.expiry.as_bytes()])
	}
}

/// Writes `value` as JSON to the new file `path`, readable by its owner only (a patient's copy
/// is a secret; a batch label's salt opens the batch's commitments). An existing file is never
/// replaced.
pub fn save<T: Serialize>(path: &std::path::Path, value: &T) -> Result<(), crate::Error> {
	let bytes = serde_json::to_vec_pretty(value)
		.map_err(|e| crate::Error::Mismatch(format!("encoding {}: {e}", path.display())))?;
	crate::fsutil::write_private(path, &bytes).map_err(|e| crate::Error::Io(path.to_path_buf(), e))
}

/// Reads a patient's copy or a batch label written by [`save`].
pub fn load<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T, crate::Error> {
	let bytes = std::fs::read(path).map_err(|e| crate::Error::Io(path.to_path_buf(), e))?;
	serde_json::from_slice(&bytes).map_err(|e| {
		crate::Error::Mismatch(format!("{} is not what it should be: {e}", path.display()))
	})
}

/// A GTIN-8, -12, -13 or -14 with a valid GS1 check digit, as 14 digits (zero-padded).
fn normalise_gtin(text: &str) -> Result<String, PrescriptionError> {
	let bad = || PrescriptionError::BadGtin(text.to_owned());
	let digits = text.trim();
	if ![8, 12, 13, 14].contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
		return Err(bad());
	}
	let padded = format!("{digits:0>14}");
	let values: Vec<u32> = padded.bytes().map(|b| u32::from(b - b'0')).collect();
	let (body, check) = values.split_at(13);
	// GS1: from the right of the body, weights 3, 1, 3, …
	let sum: u32 =
		body.iter().rev().enumerate().map(|(i, d)| d * if i % 2 == 0 { 3 } else { 1 }).sum();
	if (10 - sum % 10) % 10 != check[0] {
		return Err(bad());
	}
	Ok(padded)
}

fn check_batch_number(text: &str) -> Result<String, PrescriptionError> {
	let ok = (1..=20).contains(&text.len())
		&& text.bytes().all(|b| b.is_ascii_alphanumeric() || b"-./".contains(&b));
	if ok {
		Ok(text.to_owned())
	} else {
		Err(PrescriptionError::BadBatchNumber(text.to_owned()))
	}
}

fn check_expiry(text: &str) -> Result<String, PrescriptionError> {
	let bad = || PrescriptionError::BadExpiry(text.to_owned());
	let parts: Vec<&str> = text.split('-').collect();
	let [year, month, day] = parts.as_slice() else { return Err(bad()) };
	if year.len() != 4 || month.len() != 2 || day.len() != 2 {
		return Err(bad());
	}
	let number = |s: &str| s.parse::<u32>().map_err(|_| bad());
	let (year, month, day) = (number(year)?, number(month)?, number(day)?);
	let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
	let days = match month {
		1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
		4 | 6 | 9 | 11 => 30,
		2 if leap => 29,
		2 => 28,
		_ => return Err(bad()),
	};
	if !(2000..=2199).contains(&year) || day == 0 || day > days {
		return Err(bad());
	}
	Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
	use super::*;
	use polkadot_sdk::sp_runtime::{traits::Verify, AccountId32, MultiSignature};

	const GENESIS: [u8; 32] = [0x6e; 32];

	#[test]
	fn a_choice_code_verifies_as_the_runtime_checks_it_and_survives_text() {
		let copy = PatientCopy::new(Schedule::Ii).unwrap();
		let counter = copy.counter_account().unwrap();
		let code = copy.choice_code(&GENESIS, 5, 0).unwrap();
		assert!(code.verify(&GENESIS, &counter));
		// The runtime's check: a MultiSignature over the pallet's message, by the account.
		let message = choice_message(&GENESIS, &copy.prescription, 5, 0);
		let signature = MultiSignature::Sr25519(
			polkadot_sdk::sp_core::sr25519::Signature::from_raw(code.signature),
		);
		assert!(signature.verify(&message[..], &AccountId32::new(counter)));

		let text = code.to_text();
		assert!(text.starts_with("rx1-"));
		assert_eq!(text.len(), 4 + 139);
		assert_eq!(ChoiceCode::from_text(&format!("  {text}\n")).unwrap(), code);
	}

	#[test]
	fn a_choice_code_is_good_for_one_chain_pharmacy_turn_and_prescription() {
		let copy = PatientCopy::new(Schedule::None).unwrap();
		let counter = copy.counter_account().unwrap();
		let code = copy.choice_code(&GENESIS, 5, 1).unwrap();
		assert!(!code.verify(&[0; 32], &counter));
		for altered in [
			ChoiceCode { pharmacy: 6, ..code.clone() },
			ChoiceCode { nonce: 2, ..code.clone() },
			ChoiceCode { prescription: [1; 32], ..code.clone() },
		] {
			assert!(!altered.verify(&GENESIS, &counter));
		}
		let other = PatientCopy::new(Schedule::None).unwrap();
		assert!(!code.verify(&GENESIS, &other.counter_account().unwrap()));
	}

	#[test]
	fn a_malformed_choice_code_is_named() {
		let code = PatientCopy::new(Schedule::None).unwrap().choice_code(&GENESIS, 5, 0).unwrap();
		let text = code.to_text();
		for (bad, why) in [
			(text.replacen("rx1-", "rx2-", 1), "it does not start with rx1-"),
			(format!("{text}*"), "it is not base64url"),
			(format!("rx1-{}", URL_SAFE_NO_PAD.encode([0u8; 103])), "it has the wrong length"),
			(format!("rx1-{}", URL_SAFE_NO_PAD.encode([0u8; 105])), "it has the wrong length"),
			(String::new(), "it does not start with rx1-"),
		] {
			assert_eq!(ChoiceCode::from_text(&bad), Err(PrescriptionError::BadChoiceCode(why)));
		}
	}

	#[test]
	fn commitments_are_salted_and_separated_by_domain() {
		let copy = PatientCopy::new(Schedule::Ii).unwrap();
		let again = PatientCopy { schedule_salt: [9; 32], ..copy.clone() };
		// The same class under another salt: unrelated commitments.
		assert_ne!(copy.schedule_commitment(), again.schedule_commitment());
		// Another class under the same salt.
		let other_class = PatientCopy { schedule: Schedule::Iv, ..copy.clone() };
		assert_ne!(copy.schedule_commitment(), other_class.schedule_commitment());
		// Each is the hash its table row says.
		let mut expected = SCHEDULE_DOMAIN.to_vec();
		expected.extend_from_slice(&copy.schedule_salt);
		expected.push(2);
		assert_eq!(copy.schedule_commitment(), crate::crypto::blake2_256(&expected));

		let document = br#"{"resourceType":"MedicationRequest"}"#;
		let request = copy.request_commitment(document);
		assert_eq!(
			request,
			crate::crypto::domain_hash(
				REQUEST_DOMAIN,
				&[&copy.request_salt[..], document].concat()
			)
		);
		// The same bytes under the dispense domain and the same salt: another value.
		assert_ne!(request, dispense_commitment(&copy.request_salt, document));
		// And never the record's own plaintext commitment.
		let key = crate::crypto::ContentKey::from_bytes(copy.request_salt);
		assert_ne!(request, crate::crypto::plaintext_commitment(&key, document));
	}

	#[test]
	fn a_patient_copy_round_trips_as_json_and_refuses_unknown_fields() {
		let copy = PatientCopy::new(Schedule::Iii).unwrap();
		let json = serde_json::to_string(&copy).unwrap();
		assert!(json.contains("\"schedule\":\"iii\""));
		assert_eq!(serde_json::from_str::<PatientCopy>(&json).unwrap(), copy);
		let extra = json.replacen('{', "{\"patient\":\"x\",", 1);
		assert!(serde_json::from_str::<PatientCopy>(&extra).is_err());
		// Two copies share nothing.
		let other = PatientCopy::new(Schedule::Iii).unwrap();
		assert_ne!(copy.prescription, other.prescription);
		assert_ne!(copy.counter_account().unwrap(), other.counter_account().unwrap());
	}

	#[test]
	fn a_batch_label_checks_its_fields_and_commits_to_them() {
		// A GTIN-13 (check digit 1), padded to 14 digits.
		let label =
			BatchLabel::with_salt("4006381333931", "LOT-2026.07/A", "2028-02-29", [3; 32]).unwrap();
		assert_eq!(label.gtin, "04006381333931");
		assert_eq!(
			BatchLabel::with_salt("04006381333931", "LOT-2026.07/A", "2028-02-29", [3; 32])
				.unwrap(),
			label
		);
		let mut expected = BATCH_DOMAIN.to_vec();
		expected.extend_from_slice(&[3; 32]);
		expected.extend_from_slice(b"04006381333931");
		expected.push(13);
		expected.extend_from_slice(b"LOT-2026.07/A");
		assert_eq!(label.id(), crate::crypto::blake2_256(&expected));
		// Another salt, another id and commitments: a reader without the label learns nothing.
		let resalted = BatchLabel { salt: [4; 32], ..label.clone() };
		assert_ne!(label.id(), resalted.id());
		assert_ne!(label.product_commitment(), resalted.product_commitment());
		assert_ne!(label.expiry_commitment(), resalted.expiry_commitment());
		assert_ne!(label.product_commitment(), label.expiry_commitment());

		for gtin in ["4006381333932", "400638133393", "40063813339311x", "", "123456789012345"] {
			assert_eq!(
				BatchLabel::with_salt(gtin, "L1", "2028-01-01", [0; 32]),
				Err(PrescriptionError::BadGtin(gtin.to_owned()))
			);
		}
		for number in ["", "L 1", "ABCDEFGHIJKLMNOPQRSTU", "lot#1"] {
			assert_eq!(
				BatchLabel::with_salt("4006381333931", number, "2028-01-01", [0; 32]),
				Err(PrescriptionError::BadBatchNumber(number.to_owned()))
			);
		}
		for expiry in [
			"2027-02-29",
			"2028-13-01",
			"2028-00-10",
			"28-01-01",
			"2028/01/01",
			"1999-01-01",
			"2028-01-1",
		] {
			assert_eq!(
				BatchLabel::with_salt("4006381333931", "L1", expiry, [0; 32]),
				Err(PrescriptionError::BadExpiry(expiry.to_owned()))
			);
		}
		// A GTIN-8 and a GTIN-12 with valid check digits.
		assert!(BatchLabel::new("96385074", "L1", "2030-12-31").is_ok());
		assert!(BatchLabel::new("036000291452", "L1", "2030-12-31").is_ok());
	}
}
