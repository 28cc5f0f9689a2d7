//! What every command needs: the home directory, the key ring, the document store, the chain.

use std::{
	path::{Path, PathBuf},
	str::FromStr,
	time::Duration,
};

use medchain_client::{
	chain::{AccountId, Chain},
	classes::ClassKey,
	identity::{Identity, IdentityError, KeyRing, PassphrasePrompt},
	passphrase::Passphrase,
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
	/// `<home>/store`), the identity to act as, the passphrase of its key files (from
	/// `passphrase_file`, else typed at the terminal when standard input is one), the node and
	/// the bound on each wait.
	pub(crate) fn new(
		home: Option<PathBuf>,
		store: Option<PathBuf>,
		identity: Option<String>,
		passphrase_file: Option<PathBuf>,
		url: String,
		timeout: Duration,
	) -> Result<Self, CliError> {
		let home = match home {
			Some(home) => home,
			None => std::env::var_os("HOME")
				.map(|h| PathBuf::from(h).join(".medchain"))
				.ok_or_else(|| CliError::usage("no home directory: pass --home"))?,
		};
		let ring = KeyRing::new(&home);
		let ring = match passphrase_file {
			Some(path) => ring.with_passphrase(
				Passphrase::from_file(&path).map_err(|e| CliError::Usage(e.to_string()))?,
			),
			None if std::io::IsTerminal::is_terminal(&std::io::stdin()) => {
				ring.with_prompt(Box::new(ask_passphrase))
			},
			None => ring,
		};
		Ok(Self {
			ring,
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
		match self.ring.load(text) {
			Ok(identity) => Ok(identity.account()),
			// A sealed identity without its passphrase, or a damaged file: say so.
			Err(
				e @ (IdentityError::Locked(_)
				| IdentityError::Sealing { .. }
				| IdentityError::BadFile { .. }),
			) => Err(e.into()),
			Err(_) => Err(CliError::Usage(format!(
				"`{text}` is neither an SS58 address nor an identity in {}",
				self.home.display()
			))),
		}
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
			.trust_checkpoints_in(self.home.join("trust"))
			.acting_for(controls))
	}

	/// How long a gateway request may take: a read waits for its receipt to be finalized on
	/// the gateway's side, which a chain request's bound covers three times over.
	pub(crate) fn gateway_timeout(&self) -> Duration {
		self.timeout.saturating_mul(4)
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

/// Asks at the terminal (no echo) for the passphrase `asked` for: a new one twice, until both
/// agree (three tries). `None` when the terminal cannot be read or the tries ran out.
fn ask_passphrase(asked: PassphrasePrompt<'_>) -> Option<String> {
	match asked {
		PassphrasePrompt::Open(name) => {
			rpassword::prompt_password(format!("passphrase of `{name}`: ")).ok()
		},
		PassphrasePrompt::New(name) => {
			for _ in 0..3 {
				let first = zeroize::Zeroizing::new(
					rpassword::prompt_password(format!("new passphrase for `{name}`: ")).ok()?,
				);
				let again =
					zeroize::Zeroizing::new(rpassword::prompt_password("the same again: ").ok()?);
				if first == again {
					return Some(first.to_string());
				}
				eprintln!("the two passphrases differ; again");
			}
			None
		},
	}
}
