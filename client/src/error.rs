//! The crate's error type: one variant per module, each module keeping its own error enum, and
//! the errors of the workflows themselves.

use std::path::PathBuf;

pub use crate::chain::ChainError;
pub use crate::crypto::CryptoError;
pub use crate::fhir::FhirError;
pub use crate::gateway::GatewayError;
pub use crate::identity::IdentityError;
pub use crate::prescriptions::PrescriptionError;
pub use crate::store::StoreError;

/// Any error of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// Encryption, decryption, key wrapping or key files.
	#[error(transparent)]
	Crypto(#[from] CryptoError),
	/// The document store.
	#[error(transparent)]
	Store(#[from] StoreError),
	/// A FHIR document.
	#[error(transparent)]
	Fhir(#[from] FhirError),
	/// The chain: unreachable, too slow, or it refused a transaction.
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// A custodian gateway.
	#[error(transparent)]
	Gateway(#[from] GatewayError),
	/// An identity (key file).
	#[error(transparent)]
	Identity(#[from] IdentityError),
	/// A prescription's or a medicine batch's data.
	#[error(transparent)]
	Prescription(#[from] PrescriptionError),
	/// The record was erased: its keys and ciphertexts are gone.
	#[error("record {0} was erased: nobody can read it any more")]
	Erased(u64),
	/// The chain holds no data key of the record for this account.
	#[error(
		"no data key of record {record} is wrapped for {account}: ask the patient to share it"
	)]
	NoDataKey {
		/// The record.
		record: u64,
		/// The account.
		account: String,
	},
	/// The stored ciphertext or the decrypted plaintext does not match the chain's commitment.
	#[error("record {record} fails its integrity check: the chain has {expected}, the document store gave {found}; nothing was decrypted or written")]
	Integrity {
		/// The record.
		record: u64,
		/// The commitment on chain (hex).
		expected: String,
		/// What was found.
		found: String,
	},
	/// A practitioner needs the patient's class key and holds no card of that patient.
	#[error(
		"no patient card of {patient}: the classes of their data are tagged with a key only they \
		 hold; ask them for their card (`medchain keys card`) and import it with `medchain \
		 patients import`"
	)]
	NoPatientCard {
		/// The patient.
		patient: String,
	},
	/// A trial call needs the patient's research key on chain.
	#[error(
		"you have no research key on chain: register one once with `medchain trials research-key`"
	)]
	NoResearchKey,
	/// An offer names data classes, which only the patient can tag.
	#[error(
		"an offer cannot name data classes: the patient chooses them when accepting (tell them \
		 which you ask for); an offer may name records"
	)]
	OfferNamesClasses,
	/// A patient asked to deregister while records that are not erased name them.
	#[error(
		"{} record(s) name {patient} and are not erased ({}): erase each with `medchain records \
		 erase <id>` (or ask its custodian to) before deregistering; nothing was changed",
		records.len(),
		records.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
	)]
	RecordsRemain {
		/// The patient.
		patient: String,
		/// The records not erased.
		records: Vec<u64>,
	},
	/// A batch anchor or a record version's inclusion proof.
	#[error(transparent)]
	Batch(#[from] crate::batch::BatchError),
	/// Input that does not fit what it is used for.
	#[error("{0}")]
	Mismatch(String),
	/// Reading or writing a file.
	#[error("{}: {}", .0.display(), .1)]
	Io(PathBuf, std::io::Error),
}
