//! The tool's errors: the library's, and the command line's own (a command used wrongly).

use std::process::ExitCode;

/// Anything a command can fail with.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
	/// What the library reports: the chain, the store, a key file, a document.
	#[error(transparent)]
	Client(#[from] medchain_client::Error),
	/// A command used wrongly (exit status 2).
	#[error("{0}")]
	Usage(String),
	/// A result that does not serialize to JSON (`--json`).
	#[error("cannot write the result as JSON: {0}")]
	Json(#[from] serde_json::Error),
}

impl CliError {
	/// A usage error.
	pub(crate) fn usage(message: impl Into<String>) -> Self {
		Self::Usage(message.into())
	}

	/// The pallet and error name when the chain refused a transaction (for `--json`).
	pub(crate) fn refusal(&self) -> Option<String> {
		match self {
			Self::Client(medchain_client::Error::Chain(e)) => {
				e.refusal().map(|(pallet, error)| format!("{pallet}::{error}"))
			},
			_ => None,
		}
	}

	/// The exit status: 2 for a usage error, 1 for any other.
	pub(crate) fn exit_code(&self) -> ExitCode {
		match self {
			Self::Usage(_) => ExitCode::from(2),
			_ => ExitCode::FAILURE,
		}
	}
}

/// Library errors convert through [`CliError::Client`], from each module's error type too.
macro_rules! from_library {
	($($error:ty),*) => {$(
		impl From<$error> for CliError {
			fn from(error: $error) -> Self {
				Self::Client(error.into())
			}
		}
	)*};
}

from_library!(
	medchain_client::error::ChainError,
	medchain_client::error::CryptoError,
	medchain_client::error::FhirError,
	medchain_client::error::IdentityError,
	medchain_client::error::StoreError,
	medchain_client::gateway::GatewayError,
	medchain_client::error::PrescriptionError
);
