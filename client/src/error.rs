//! The crate's error type: one variant per module, each module keeping its own error enum.

pub use crate::crypto::CryptoError;
pub use crate::fhir::FhirError;
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
}
