//! What every command needs: the home directory, the key ring, the document store, the chain.

use std::{
	path::{Path, PathBuf},
	str::FromStr,
	time::Duration,
};

use medchain_client::{
	chain::{AccountId, Chain},
	classes::ClassKey,
	identity::{Identity, KeyRing},
	store::LocalDirStore,
	Error,
};

use crate::error::CliError;

/// The global options, resolved.
pub(crate) struct Context {
	/// The MedChain home directory (key files, allocation seeds).
	pub(crate) home: PathBuf,
	/// The identities in `<home>/keys` and the patient cards kept with them.
	pub(crate) ring: KeyRing,
	store_dir: PathBuf,
	identity: Option<String>,
	url: String,
	timeout: Duration,
}

impl Context {
	/// The context of one invocation: `home` (default `$HOME/.medchain`), the store (default
	/// `<home>/store`), the identity to act as, the node and the bound on each wait.
	pub(crate) fn new(
		home: Option<PathBuf>,
		store: Option<PathBuf>,
		identity: Option<String>,
		url: String,
		timeout: Duration,
	) -> Result<Self, CliError> {
		let home = match home {
			Some(home) => home,
			None => std::env::var_os("HOME")
				.map(|h| PathBuf::from(h).join(".medchain"))
				.ok_or_else(|| CliError::usage("no home directory: pass --home"))?,
		};
		Ok(Self {
			ring: KeyRing::new(&home),
			store_dir: store.unwrap_or_else(|| home.join("store")),
			home,
			identity,
			url,
			timeout,
		})
	}

	/// The identity this invocation acts as (`--as`).
	pub(crate) fn me(&self) -> Result<Identity, CliError> {
		let name = self.identity.as_deref().ok_or_else(|| {
			CliError::usage(
				"this command acts as an identity: pass --as <name> (or set MEDCHAIN_AS)",
			)
		})?;
		Ok(self.ring.load(name)?)
	}

	/// An identity name from the key ring, or an SS58 address.
	pub(crate) fn account(&self, text: &str) -> Result<AccountId, CliError> {
		if let Ok(account) = AccountId::from_str(text) {
			return Ok(account);
		}
		Ok(self
			.ring
			.load(text)
			.map_err(|_| {
				CliError::Usage(format!(
					"`{text}` is neither an SS58 address nor an identity in {}",
					self.home.display()
				))
			})?
			.account())
	}

	/// `text` as an account ([`Self::account`]), or this identity's when it is absent.
	pub(crate) fn account_or_me(&self, text: Option<&str>) -> Result<AccountId, CliError> {
		match text {
			Some(text) => self.account(text),
			None => Ok(self.me()?.account()),
		}
	}

	/// `patient`'s class key: yours if you are the patient, else from their imported card.
	pub(crate) fn class_key(&self, patient: &AccountId) -> Result<ClassKey, CliError> {
		Ok(self
			.ring
			.class_key_of(&self.me()?, patient)?
			.ok_or_else(|| Error::NoPatientCard { patient: patient.to_string() })?)
	}

	/// `patient`'s class key if this identity has it (no error when it has not).
	pub(crate) fn known_class_key(&self, patient: &AccountId) -> Option<ClassKey> {
		let me = self.me().ok()?;
		self.ring.class_key_of(&me, patient).ok().flatten()
	}

	/// The chain; for a recovery kit's identity, making every call for the account it controls.
	pub(crate) async fn chain(&self) -> Result<Chain, CliError> {
		progress(&format!("connecting to {}", self.url));
		let controls = self.me().ok().and_then(|me| me.controls);
		if let Some(account) = &controls {
			progress(&format!("acting for the recovered account {account}"));
		}
		Ok(Chain::connect(&self.url, self.timeout)
			.await?
			.with_progress(progress)
			.acting_for(controls))
	}

	/// The document store.
	pub(crate) fn store(&self) -> Result<LocalDirStore, CliError> {
		Ok(LocalDirStore::open(&self.store_dir)?)
	}
}

/// A progress line, on stderr.
pub(crate) fn progress(line: &str) {
	eprintln!("· {line}");
}

/// A file's bytes.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, CliError> {
	Ok(std::fs::read(path).map_err(|e| Error::Io(path.to_path_buf(), e))?)
}
