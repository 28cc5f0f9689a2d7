//! Identities: an account (sr25519, signs transactions), an encryption key pair (X25519,
//! receives wrapped data keys) and a class key (tags the patient's data classes on chain, see
//! [`crate::classes`]), kept together in a key file; and the patient cards of the patients an
//! organisation treats.
//!
//! A key file is JSON in `<home>/keys/<name>.json`, written atomically with mode 0600 on unix:
//!
//! ```json
//! { "name": "alice", "account": "mHpN…", "secret_uri": "bottom drive … //Alice",
//!   "encryption_secret": "<64 hex>", "encryption_public": "<64 hex>",
//!   "class_key": "<64 hex>" }
//! ```
//!
//! A key file written before class keys existed has no `class_key`; its class key is derived
//! from its encryption secret ([`ClassKey::derived_from`]). Two optional fields: `controls`, the
//! account a recovery kit acts for once the patient's friends recovered it
//! ([`crate::recovery`]), and `previous_encryption_secrets`, the encryption secrets the identity
//! used before (newest first), kept until every data key is wrapped for the current one.
//!
//! Patient cards ([`PatientCard`]) imported by `medchain patients import` are JSON in
//! `<home>/patients/<account>.json`, mode 0600 like key files (a card holds a secret).
//!
//! **Sealed key files** (review finding M8). A key ring given a passphrase
//! ([`KeyRing::with_passphrase`], or a prompt: [`KeyRing::with_prompt`]) writes the secrets
//! sealed under it ([`crate::passphrase`]: scrypt, XChaCha20-Poly1305), and only the public half
//! in the clear:
//!
//! ```json
//! { "name": "alice", "account": "mHpN…", "encryption_public": "<64 hex>",
//!   "sealed": { "kdf": "scrypt", "log_n": 17, "r": 8, "p": 1, "salt": "<32 hex>",
//!               "cipher": "xchacha20poly1305", "nonce": "<48 hex>", "ciphertext": "<hex>" } }
//! ```
//!
//! The sealed bytes are the plain key file above, bound to the account (moved into another
//! account's file they do not open). A ring without a passphrase writes plain key files: for the
//! public development accounts ([`KeyRing::save_plaintext`]) and for callers that chose to.
//!
//! `secret_uri` is a BIP-39 phrase (optionally with `//hard` derivations), a `0x`-prefixed seed
//! or a dev URI such as `//Alice`. Whoever holds the file holds the identity: keep it like a
//! private key (the file never leaves the machine; nothing from it but public keys goes on chain).

use std::{
	fs,
	path::{Path, PathBuf},
	str::FromStr,
	sync::OnceLock,
};

use serde::{Deserialize, Serialize};
use subxt_signer::{bip39::Mnemonic, SecretUri};

use crate::{
	chain::{AccountId, Keypair},
	classes::{ClassKey, PatientCard},
	crypto::EncryptionKeyPair,
	fsutil::{replace_private, shared_mode, write_private},
	passphrase::{self, Passphrase, PassphraseError, Sealed},
};

/// What can go wrong with a key file.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
	/// No key file of that name.
	#[error("no identity named `{name}` (looked for {path}); create it with `medchain keys generate --name {name}`")]
	NotFound {
		/// The identity's name.
		name: String,
		/// Where it was looked for.
		path: PathBuf,
	},
	/// A key file of that name exists already (never overwritten).
	#[error("an identity named `{0}` exists already; choose another name")]
	Exists(String),
	/// The name is not a plain file name.
	#[error("`{0}` is not a valid identity name (letters, digits, `-` and `_` only)")]
	BadName(String),
	/// The secret URI does not parse or derive.
	#[error("invalid secret URI: {0}")]
	BadSecret(String),
	/// The key file is unreadable or malformed.
	#[error("key file {path}: {reason}")]
	BadFile {
		/// The file.
		path: PathBuf,
		/// What is wrong.
		reason: String,
	},
	/// The key file is sealed and no passphrase was given.
	#[error(
		"identity `{0}` is sealed under a passphrase: give it with --passphrase-file (or \
		 MEDCHAIN_PASSPHRASE_FILE), or run at a terminal to type it"
	)]
	Locked(String),
	/// A key file was to be sealed but nobody gave a passphrase (the prompt was not answered).
	#[error("no passphrase was given to seal identity `{0}`; nothing was written")]
	NoPassphrase(String),
	/// Sealing or opening a key file under its passphrase failed.
	#[error("identity `{name}`: {source}")]
	Sealing {
		/// The identity's name.
		name: String,
		/// What went wrong.
		source: PassphraseError,
	},
	/// Reading or writing the key directory failed.
	#[error("key directory {path}: {source}")]
	Io {
		/// The file or directory.
		path: PathBuf,
		/// The I/O error.
		source: std::io::Error,
	},
}

#[derive(Serialize, Deserialize)]
struct KeyFile {
	name: String,
	account: String,
	secret_uri: String,
	encryption_secret: String,
	encryption_public: String,
	#[serde(default, skip_serializing_if = "Option::is_none")]
	class_key: Option<String>,
	#[serde(default, skip_serializing_if = "Option::is_none")]
	controls: Option<String>,
	#[serde(default, skip_serializing_if = "Vec::is_empty")]
	previous_encryption_secrets: Vec<String>,
}

/// A key file whose secrets are sealed under a passphrase: the public half in the clear.
#[derive(Serialize, Deserialize)]
struct SealedKeyFile {
	name: String,
	account: String,
	encryption_public: String,
	sealed: Sealed,
}

/// What a sealed key file's secrets are bound to: its account.
fn sealing_aad(account: &str) -> Vec<u8> {
	[b"medchain/key-file/v1:".as_slice(), account.as_bytes()].concat()
}

/// An account and its encryption key pair.
pub struct Identity {
	/// The identity's name (its key file's stem).
	pub name: String,
	/// Signs transactions.
	pub signer: Keypair,
	/// Receives wrapped data keys.
	pub encryption: EncryptionKeyPair,
	/// Tags the identity's data classes when it is a patient.
	pub class_key: ClassKey,
	/// The account this identity acts for, when it is a recovery kit whose friends recovered
	/// that account to its key ([`crate::recovery`]): [`Identity::account`] is then that
	/// account, and every call is made through `recovery.control_inherited_account`.
	pub controls: Option<AccountId>,
	/// Encryption key pairs this identity used before (newest first): data keys still wrapped
	/// for them open, until [`crate::recovery::rewrap`] wraps them for the current one.
	pub previous_encryption: Vec<EncryptionKeyPair>,
	secret_uri: String,
}

impl Identity {
	/// An identity from a secret URI, with a fresh encryption key pair.
	pub fn from_secret_uri(name: &str, secret_uri: &str) -> Result<Self, IdentityError> {
		check_name(name)?;
		let signer = signer_from_uri(secret_uri)?;
		let random = |e: crate::crypto::CryptoError| IdentityError::BadSecret(e.to_string());
		let encryption = EncryptionKeyPair::generate().map_err(random)?;
		let class_key = ClassKey::generate().map_err(random)?;
		Ok(Self {
			name: name.to_string(),
			signer,
			encryption,
			class_key,
			controls: None,
			previous_encryption: Vec::new(),
			secret_uri: secret_uri.to_string(),
		})
	}

	/// A new identity: a fresh 24-word BIP-39 phrase and a fresh encryption key pair.
	pub fn generate(name: &str) -> Result<Self, IdentityError> {
		let mut entropy = [0u8; 32];
		getrandom::fill(&mut entropy).map_err(|e| IdentityError::BadSecret(e.to_string()))?;
		let phrase = Mnemonic::from_entropy(&entropy)
			.map_err(|e| IdentityError::BadSecret(e.to_string()))?
			.to_string();
		Self::from_secret_uri(name, &phrase)
	}

	/// This patient's own identity at organisation `organisation` (security review H3), named
	/// [`alias_name`]: an account hard-derived from this identity's secret
	/// (`<secret URI>//medchain-organisation//<id>`), so that only the holder of that secret can
	/// link the two accounts, with fresh encryption and class keys of its own (keys shared
	/// between them would link them as surely as one account). The organisation's records,
	/// grants, receipts and emergencies then name this account only, and nothing on chain
	/// connects the patient's accounts at two organisations. The same secret always derives the
	/// same account; the encryption and class keys, like every identity's, live in its key file.
	pub fn alias_for(&self, organisation: u32) -> Result<Identity, IdentityError> {
		let junctions = format!("//{ALIAS_JUNCTION}//{organisation}");
		// A password (`///password`) ends a secret URI: the junctions go before it.
		let secret_uri = match self.secret_uri.split_once("///") {
			Some((head, password)) => format!("{head}{junctions}///{password}"),
			None => format!("{}{junctions}", self.secret_uri),
		};
		Identity::from_secret_uri(&alias_name(&self.name, organisation), &secret_uri)
	}

	/// The account this identity acts as: its own, or the recovered account it controls.
	pub fn account(&self) -> AccountId {
		self.controls.unwrap_or_else(|| self.signing_account())
	}

	/// The account of this identity's own key (what signs its transactions).
	pub fn signing_account(&self) -> AccountId {
		self.signer.public_key().into()
	}

	/// The encryption key pairs a data key wrapped for this identity may be wrapped for: the
	/// current one first, then the previous ones.
	pub fn encryption_keys(&self) -> impl Iterator<Item = &EncryptionKeyPair> {
		std::iter::once(&self.encryption).chain(self.previous_encryption.iter())
	}

	/// The encryption public key (what goes on chain).
	pub fn encryption_public(&self) -> [u8; 32] {
		self.encryption.public_key()
	}

	/// The card this identity hands, as a patient, to the organisations that treat it.
	pub fn card(&self) -> PatientCard {
		PatientCard { account: self.account(), class_key: self.class_key.clone() }
	}

	/// The secret URI (shown by `keys show --secret` only).
	pub fn secret_uri(&self) -> &str {
		&self.secret_uri
	}
}

/// Writes a recovery kit ([`crate::recovery::kit`]) to `path`: a key file, with mode 0600, never
/// replacing an existing file. It holds secrets: keep it offline.
pub fn export_kit(path: &Path, kit: &Identity) -> Result<(), IdentityError> {
	write_key_file(path, kit, false, None)
}

/// Reads the recovery kit at `path` as the identity `name` (to save in a key ring).
pub fn read_kit(path: &Path, name: &str) -> Result<Identity, IdentityError> {
	check_name(name)?;
	let Some(bytes) = read_secret_file(path)? else {
		return Err(IdentityError::BadFile {
			path: path.to_path_buf(),
			reason: "no such file".into(),
		});
	};
	let mut kit = parse_key_file(path, &bytes)?;
	if kit.controls.is_none() {
		return Err(IdentityError::BadFile {
			path: path.to_path_buf(),
			reason: "not a recovery kit: it controls no account (import a key with `keys import`)"
				.into(),
		});
	}
	kit.name = name.to_string();
	Ok(kit)
}

/// Writes `identity`'s key file at `path`: a new file, or replacing the existing one; its
/// secrets sealed under `sealing` when given.
fn write_key_file(
	path: &Path,
	identity: &Identity,
	replace: bool,
	sealing: Option<&Passphrase>,
) -> Result<(), IdentityError> {
	let file = KeyFile {
		name: identity.name.clone(),
		account: identity.signing_account().to_string(),
		secret_uri: identity.secret_uri.clone(),
		encryption_secret: hex::encode(*identity.encryption.secret_bytes()),
		encryption_public: hex::encode(identity.encryption.public_key()),
		class_key: Some(hex::encode(identity.class_key.as_bytes())),
		controls: identity.controls.as_ref().map(|a| a.to_string()),
		previous_encryption_secrets: identity
			.previous_encryption
			.iter()
			.map(|pair| hex::encode(*pair.secret_bytes()))
			.collect(),
	};
	let bad = |e: serde_json::Error| IdentityError::BadFile {
		path: path.to_path_buf(),
		reason: e.to_string(),
	};
	let plain = zeroize::Zeroizing::new(serde_json::to_vec_pretty(&file).map_err(bad)?);
	let json = match sealing {
		None => plain,
		Some(passphrase) => {
			let sealed = passphrase::seal(passphrase, &plain, &sealing_aad(&file.account))
				.map_err(|source| IdentityError::Sealing { name: identity.name.clone(), source })?;
			let outer = SealedKeyFile {
				name: file.name.clone(),
				account: file.account.clone(),
				encryption_public: file.encryption_public.clone(),
				sealed,
			};
			zeroize::Zeroizing::new(serde_json::to_vec_pretty(&outer).map_err(bad)?)
		},
	};
	let written = if replace { replace_private(path, &json) } else { write_private(path, &json) };
	written.map_err(|source| {
		if source.kind() == std::io::ErrorKind::AlreadyExists {
			IdentityError::Exists(identity.name.clone())
		} else {
			IdentityError::Io { path: path.to_path_buf(), source }
		}
	})
}

/// The identity in the key file `bytes` (read from `path`), checked: the account matches the
/// secret, each public key its secret.
fn parse_key_file(path: &Path, bytes: &[u8]) -> Result<Identity, IdentityError> {
	let bad = |reason: String| IdentityError::BadFile { path: path.to_path_buf(), reason };
	let file: KeyFile = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
	parse_plain_key_file(path, file)
}

/// Whether the key file `bytes` is sealed: its public half if so.
fn sealed_half(bytes: &[u8]) -> Option<SealedKeyFile> {
	serde_json::from_slice::<SealedKeyFile>(bytes).ok()
}

/// The identity in the sealed key file `outer` (read from `path`), opened with `passphrase`;
/// the sealed plain file must be the one the public half describes.
fn open_sealed_key_file(
	path: &Path,
	outer: &SealedKeyFile,
	passphrase: &Passphrase,
) -> Result<Identity, IdentityError> {
	let bad = |reason: String| IdentityError::BadFile { path: path.to_path_buf(), reason };
	let plain = passphrase::open(passphrase, &outer.sealed, &sealing_aad(&outer.account))
		.map_err(|source| IdentityError::Sealing { name: outer.name.clone(), source })?;
	let file: KeyFile = serde_json::from_slice(&plain).map_err(|e| bad(e.to_string()))?;
	if (&file.name, &file.account, &file.encryption_public)
		!= (&outer.name, &outer.account, &outer.encryption_public)
	{
		return Err(bad("the sealed secrets are not those of this file's public half".into()));
	}
	parse_plain_key_file(path, file)
}

/// The identity in a plain key file, checked.
fn parse_plain_key_file(path: &Path, file: KeyFile) -> Result<Identity, IdentityError> {
	let bad = |reason: String| IdentityError::BadFile { path: path.to_path_buf(), reason };
	let signer = signer_from_uri(&file.secret_uri)?;
	let secret_of = |text: &str, what: &str| -> Result<[u8; 32], IdentityError> {
		hex::decode(text)
			.ok()
			.and_then(|b| b.try_into().ok())
			.ok_or_else(|| bad(format!("{what} is not 32 hex bytes")))
	};
	let secret = secret_of(&file.encryption_secret, "encryption_secret")?;
	let encryption = EncryptionKeyPair::from_secret_bytes(&secret);
	if hex::encode(encryption.public_key()) != file.encryption_public {
		return Err(bad("encryption_public does not match encryption_secret".into()));
	}
	let class_key = match &file.class_key {
		Some(text) => ClassKey::from_bytes(secret_of(text, "class_key")?),
		None => ClassKey::derived_from(&secret),
	};
	let controls = match &file.controls {
		Some(text) => Some(
			AccountId::from_str(text)
				.map_err(|_| bad(format!("controls: `{text}` is not an SS58 account")))?,
		),
		None => None,
	};
	let previous_encryption = file
		.previous_encryption_secrets
		.iter()
		.map(|text| {
			secret_of(text, "previous_encryption_secrets")
				.map(|s| EncryptionKeyPair::from_secret_bytes(&s))
		})
		.collect::<Result<Vec<_>, _>>()?;
	let identity = Identity {
		name: file.name,
		signer,
		encryption,
		class_key,
		controls,
		previous_encryption,
		secret_uri: file.secret_uri,
	};
	if file.account.parse::<AccountId>().ok() != Some(identity.signing_account()) {
		return Err(bad("account does not match secret_uri".into()));
	}
	Ok(identity)
}

fn signer_from_uri(secret_uri: &str) -> Result<Keypair, IdentityError> {
	let uri =
		SecretUri::from_str(secret_uri).map_err(|e| IdentityError::BadSecret(e.to_string()))?;
	Keypair::from_uri(&uri).map_err(|e| IdentityError::BadSecret(e.to_string()))
}

/// The hard junction under which a patient's accounts at organisations are derived
/// ([`Identity::alias_for`]).
pub const ALIAS_JUNCTION: &str = "medchain-organisation";

/// The name of `name`'s identity at organisation `organisation`: `<name>-org-<id>`.
pub fn alias_name(name: &str, organisation: u32) -> String {
	format!("{name}-org-{organisation}")
}

fn check_name(name: &str) -> Result<(), IdentityError> {
	let ok = !name.is_empty()
		&& name.len() <= 64
		&& name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
	if ok {
		Ok(())
	} else {
		Err(IdentityError::BadName(name.to_string()))
	}
}

/// What a key ring's prompt is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassphrasePrompt<'a> {
	/// The passphrase that opens the sealed identity named here.
	Open(&'a str),
	/// A new passphrase to seal the identity named here (ask twice).
	New(&'a str),
}

/// Asks someone for a passphrase; `None` when nobody can answer (no terminal).
pub type Prompt = Box<dyn Fn(PassphrasePrompt<'_>) -> Option<String> + Send + Sync>;

/// The key files in `<home>/keys`, and the passphrase that seals them.
pub struct KeyRing {
	dir: PathBuf,
	passphrase: OnceLock<Passphrase>,
	prompt: Option<Prompt>,
}

impl KeyRing {
	/// The key ring of the MedChain home directory `home`, with no passphrase: it opens plain
	/// key files and writes them plain.
	pub fn new(home: &Path) -> Self {
		Self { dir: home.join("keys"), passphrase: OnceLock::new(), prompt: None }
	}

	/// This ring with `passphrase`: it opens sealed key files with it and seals what it saves.
	pub fn with_passphrase(self, passphrase: Passphrase) -> Self {
		let _ = self.passphrase.set(passphrase);
		self
	}

	/// This ring asking `prompt` for the passphrase when it first needs one (and has none).
	pub fn with_prompt(mut self, prompt: Prompt) -> Self {
		self.prompt = Some(prompt);
		self
	}

	/// Whether [`KeyRing::save`] will seal: the ring has a passphrase or a prompt.
	pub fn seals(&self) -> bool {
		self.passphrase.get().is_some() || self.prompt.is_some()
	}

	/// The ring's passphrase, asking the prompt for it (`asked`) if it has none yet; `None`
	/// when it has neither.
	fn passphrase(
		&self,
		asked: PassphrasePrompt<'_>,
	) -> Result<Option<&Passphrase>, IdentityError> {
		if let Some(known) = self.passphrase.get() {
			return Ok(Some(known));
		}
		let Some(text) = self.prompt.as_ref().and_then(|prompt| prompt(asked)) else {
			return Ok(None);
		};
		let name = match asked {
			PassphrasePrompt::Open(name) | PassphrasePrompt::New(name) => name,
		};
		let given = Passphrase::new(text)
			.map_err(|source| IdentityError::Sealing { name: name.to_string(), source })?;
		Ok(Some(self.passphrase.get_or_init(|| given)))
	}

	fn path(&self, name: &str) -> PathBuf {
		self.dir.join(format!("{name}.json"))
	}

	/// Saves `identity` (refuses to overwrite an existing one), sealed under the ring's
	/// passphrase when it has one or can ask for one ([`KeyRing::seals`]), plain otherwise.
	pub fn save(&self, identity: &Identity) -> Result<PathBuf, IdentityError> {
		check_name(&identity.name)?;
		let path = self.path(&identity.name);
		let sealing = self.passphrase(PassphrasePrompt::New(&identity.name))?;
		if sealing.is_none() && self.seals() {
			return Err(IdentityError::NoPassphrase(identity.name.clone()));
		}
		write_key_file(&path, identity, false, sealing)?;
		Ok(path)
	}

	/// Saves `identity` plain (refuses to overwrite an existing one): for the public
	/// development accounts (`//Alice`…), whose secrets everyone knows.
	pub fn save_plaintext(&self, identity: &Identity) -> Result<PathBuf, IdentityError> {
		check_name(&identity.name)?;
		let path = self.path(&identity.name);
		write_key_file(&path, identity, false, None)?;
		Ok(path)
	}

	/// Saves `identity` over its existing key file, atomically (a crash leaves the old file or
	/// the new one); sealed when the file was sealed or the ring has a passphrase. For changes
	/// of an identity's own keys ([`crate::recovery::rewrap`]).
	pub fn replace(&self, identity: &Identity) -> Result<PathBuf, IdentityError> {
		check_name(&identity.name)?;
		let path = self.path(&identity.name);
		let was_sealed =
			read_secret_file(&path)?.is_some_and(|bytes| sealed_half(&bytes).is_some());
		let sealing = match self.passphrase.get() {
			Some(known) => Some(known),
			None if was_sealed => Some(
				self.passphrase(PassphrasePrompt::Open(&identity.name))?
					.ok_or_else(|| IdentityError::Locked(identity.name.clone()))?,
			),
			None => None,
		};
		write_key_file(&path, identity, true, sealing)?;
		Ok(path)
	}

	/// Loads the identity `name`, opening its sealed secrets with the ring's passphrase (asked
	/// for if the ring has a prompt).
	///
	/// # Errors
	/// [`IdentityError::NotFound`]; [`IdentityError::Locked`] for a sealed file and no
	/// passphrase; [`IdentityError::Sealing`] for a wrong passphrase or altered secrets;
	/// [`IdentityError::BadFile`] for a malformed file or one others may read.
	pub fn load(&self, name: &str) -> Result<Identity, IdentityError> {
		check_name(name)?;
		let path = self.path(name);
		let Some(bytes) = read_secret_file(&path)? else {
			return Err(IdentityError::NotFound { name: name.to_string(), path });
		};
		match sealed_half(&bytes) {
			None => parse_key_file(&path, &bytes),
			Some(outer) => {
				let passphrase = self
					.passphrase(PassphrasePrompt::Open(name))?
					.ok_or_else(|| IdentityError::Locked(name.to_string()))?;
				open_sealed_key_file(&path, &outer, passphrase)
			},
		}
	}

	/// Whether the identity `name`'s key file is sealed under a passphrase.
	pub fn is_sealed(&self, name: &str) -> Result<bool, IdentityError> {
		check_name(name)?;
		let path = self.path(name);
		let Some(bytes) = read_secret_file(&path)? else {
			return Err(IdentityError::NotFound { name: name.to_string(), path });
		};
		Ok(sealed_half(&bytes).is_some())
	}

	/// Where `account`'s card is kept: `<account>.json` in MedChain's address form, or, for a
	/// card kept before MedChain had its own SS58 prefix, in the generic form.
	fn card_path(&self, account: &AccountId) -> PathBuf {
		let patients = self.dir.with_file_name("patients");
		let path = patients.join(format!("{account}.json"));
		let legacy = patients.join(format!("{}.json", account.to_generic_ss58()));
		if !path.exists() && legacy.exists() {
			legacy
		} else {
			path
		}
	}

	/// Keeps a patient's card. Importing the same card again changes nothing; a different card
	/// for a patient whose card is kept already is refused (a class key never changes: a second
	/// one is a mistake or a forgery), with the file to remove if the new card is the right one.
	/// Returns where the card is.
	pub fn import_card(&self, card: &PatientCard) -> Result<PathBuf, IdentityError> {
		let account = card.account;
		let path = self.card_path(&account);
		match write_private(&path, &card.to_json()) {
			Ok(()) => Ok(path),
			Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
				match read_card(&path, &account)? {
					Some(kept) if kept == card.class_key => Ok(path),
					_ => Err(IdentityError::BadFile {
						path: path.clone(),
						reason: format!(
							"another card for {account} is kept here; remove this file first if \
							 the new card is the right one"
						),
					}),
				}
			},
			Err(source) => Err(IdentityError::Io { path, source }),
		}
	}

	/// The class key of `patient`: `me`'s own when `me` is that patient, else the one on the
	/// patient's imported card; `None` when there is no card.
	pub fn class_key_of(
		&self,
		me: &Identity,
		patient: &AccountId,
	) -> Result<Option<ClassKey>, IdentityError> {
		if &me.account() == patient {
			return Ok(Some(me.class_key.clone()));
		}
		read_card(&self.card_path(patient), patient)
	}

	/// The names of the saved identities, sorted.
	pub fn list(&self) -> Result<Vec<String>, IdentityError> {
		let entries = match fs::read_dir(&self.dir) {
			Ok(entries) => entries,
			Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
			Err(source) => return Err(IdentityError::Io { path: self.dir.clone(), source }),
		};
		let mut names: Vec<String> = entries
			.filter_map(|e| e.ok())
			.filter_map(|e| {
				let name = e.file_name().to_string_lossy().to_string();
				name.strip_suffix(".json").map(str::to_string)
			})
			.collect();
		names.sort();
		Ok(names)
	}
}

/// Writes `card` to a new file `path` readable by its owner only (never replacing a file).
pub fn export_card(path: &Path, card: &PatientCard) -> Result<(), IdentityError> {
	write_private(path, &card.to_json())
		.map_err(|source| IdentityError::Io { path: path.to_path_buf(), source })
}

/// The bytes of a file holding a secret (a key file, a patient card), `None` if there is none;
/// refused when others may read it.
fn read_secret_file(path: &Path) -> Result<Option<Vec<u8>>, IdentityError> {
	let io = |source| IdentityError::Io { path: path.to_path_buf(), source };
	let bytes = match fs::read(path) {
		Ok(bytes) => bytes,
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
		Err(source) => return Err(io(source)),
	};
	if let Some(mode) = shared_mode(path).map_err(io)? {
		return Err(IdentityError::BadFile {
			path: path.to_path_buf(),
			reason: format!(
				"readable by others (mode {mode:o}); it holds a secret: `chmod 600` it"
			),
		});
	}
	Ok(Some(bytes))
}

/// The class key on the card at `path`, which must be `patient`'s; `None` if there is none.
fn read_card(path: &Path, patient: &AccountId) -> Result<Option<ClassKey>, IdentityError> {
	let Some(bytes) = read_secret_file(path)? else { return Ok(None) };
	let bad = |reason: String| IdentityError::BadFile { path: path.to_path_buf(), reason };
	let card = PatientCard::from_json(&bytes).map_err(bad)?;
	if card.account != *patient {
		return Err(bad(format!("the card is for {}, not {patient}", card.account)));
	}
	Ok(Some(card.class_key))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_recovery_kit_round_trips_and_a_plain_key_file_is_no_kit() {
		let home = tempfile::tempdir().unwrap();
		let ring = KeyRing::new(home.path());
		let alice = Identity::from_secret_uri("alice", "//Alice").unwrap();
		let kit = crate::recovery::kit(&alice, "alice-recovery").unwrap();
		let path = home.path().join("kit.json");
		export_kit(&path, &kit).unwrap();
		assert!(matches!(export_kit(&path, &kit), Err(IdentityError::Exists(_))));
		let read = read_kit(&path, "alice2").unwrap();
		assert_eq!(read.name, "alice2");
		assert_eq!(read.account(), alice.account());
		assert_eq!(read.signing_account(), kit.signing_account());
		assert_eq!(read.encryption_public(), alice.encryption_public());
		// A plain key file is refused as a kit, with what to do instead.
		let plain = ring.save(&alice).unwrap();
		let refused = read_kit(&plain, "x").err().unwrap().to_string();
		assert!(refused.contains("not a recovery kit"), "{refused}");
	}

	#[test]
	fn a_replaced_key_file_keeps_the_previous_encryption_keys() {
		let home = tempfile::tempdir().unwrap();
		let ring = KeyRing::new(home.path());
		let mut alice = Identity::generate("alice").unwrap();
		ring.save(&alice).unwrap();
		let old = alice.encryption.public_key();
		let fresh = EncryptionKeyPair::generate().unwrap();
		let previous = std::mem::replace(&mut alice.encryption, fresh);
		alice.previous_encryption.insert(0, previous);
		ring.replace(&alice).unwrap();
		let loaded = ring.load("alice").unwrap();
		assert_eq!(loaded.encryption_public(), alice.encryption_public());
		let keys: Vec<_> = loaded.encryption_keys().map(|k| k.public_key()).collect();
		assert_eq!(keys, vec![alice.encryption_public(), old]);
	}

	/// H3: one account across organisations made each organisation's custody of a patient's
	/// records, and every grantee and emergency, a public fact about the same account.
	#[test]
	fn h3_a_patients_account_at_each_organisation_is_derived_and_shares_nothing_public() {
		let patient = Identity::generate("patient").unwrap();
		let at_1 = patient.alias_for(1).unwrap();
		let at_2 = patient.alias_for(2).unwrap();
		assert_eq!(at_1.name, "patient-org-1");
		// The same secret derives the same account: `<secret URI>//medchain-organisation//<id>`.
		assert_eq!(patient.alias_for(1).unwrap().account(), at_1.account());
		let by_uri = Identity::from_secret_uri(
			"x",
			&format!("{}//medchain-organisation//1", patient.secret_uri),
		)
		.unwrap();
		assert_eq!(by_uri.account(), at_1.account());
		// Nothing public is shared: accounts, encryption keys, class tags all differ.
		let accounts = [patient.account(), at_1.account(), at_2.account()];
		let keys =
			[patient.encryption_public(), at_1.encryption_public(), at_2.encryption_public()];
		let tags = [&patient, &at_1, &at_2]
			.map(|i| i.class_key.tag(crate::classes::DataClass::MentalHealth).0);
		for i in 0..3 {
			for j in (i + 1)..3 {
				assert_ne!(accounts[i], accounts[j]);
				assert_ne!(keys[i], keys[j]);
				assert_ne!(tags[i], tags[j]);
			}
		}
		// Another patient's account at the same organisation is another account.
		let other = Identity::generate("patient").unwrap();
		assert_ne!(other.alias_for(1).unwrap().account(), at_1.account());
		// A password stays last in the secret URI, and changes the derived account.
		let locked = Identity::from_secret_uri("p", "//Eve///hunter2").unwrap();
		let locked_at_1 = locked.alias_for(1).unwrap();
		assert_eq!(locked_at_1.secret_uri(), "//Eve//medchain-organisation//1///hunter2");
		let open = Identity::from_secret_uri("p", "//Eve").unwrap();
		assert_ne!(open.alias_for(1).unwrap().account(), locked_at_1.account());
		// A name too long for an alias is refused by name, not cut.
		let long = Identity::from_secret_uri(&"p".repeat(60), "//Eve").unwrap();
		assert!(matches!(long.alias_for(1), Err(IdentityError::BadName(_))));
	}

	#[test]
	fn a_saved_identity_loads_back_the_same() {
		let home = tempfile::tempdir().unwrap();
		let ring = KeyRing::new(home.path());
		let alice = Identity::generate("alice").unwrap();
		let path = ring.save(&alice).unwrap();
		let loaded = ring.load("alice").unwrap();
		assert_eq!(loaded.account(), alice.account());
		assert_eq!(loaded.encryption_public(), alice.encryption_public());
		assert_eq!(ring.list().unwrap(), vec!["alice".to_string()]);
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let mode = fs::metadata(path).unwrap().permissions().mode();
			assert_eq!(mode & 0o777, 0o600);
		}
	}

	#[test]
	fn the_class_key_is_kept_and_a_legacy_file_derives_it() {
		let home = tempfile::tempdir().unwrap();
		let ring = KeyRing::new(home.path());
		let alice = Identity::generate("alice").unwrap();
		ring.save(&alice).unwrap();
		assert_eq!(ring.load("alice").unwrap().class_key, alice.class_key);
		// A key file from before class keys: the key is derived from the encryption secret,
		// the same at every load.
		let path = home.path().join("keys/alice.json");
		let mut json: serde_json::Value =
			serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
		json.as_object_mut().unwrap().remove("class_key");
		fs::remove_file(&path).unwrap();
		write_private(&path, &serde_json::to_vec(&json).unwrap()).unwrap();
		let legacy = ring.load("alice").unwrap();
		let derived = ClassKey::derived_from(&alice.encryption.secret_bytes());
		assert_eq!(legacy.class_key, derived);
		assert_eq!(ring.load("alice").unwrap().class_key, derived);
	}

	#[test]
	fn cards_are_imported_once_and_read_back_for_their_patient_only() {
		let home = tempfile::tempdir().unwrap();
		let ring = KeyRing::new(home.path());
		let doctor = Identity::generate("doctor").unwrap();
		let patient = Identity::generate("patient").unwrap();
		let other = Identity::generate("other").unwrap();
		// No card yet: no key; the patient's own key needs no card.
		assert_eq!(ring.class_key_of(&doctor, &patient.account()).unwrap(), None);
		assert_eq!(
			ring.class_key_of(&patient, &patient.account()).unwrap(),
			Some(patient.class_key.clone())
		);
		let path = ring.import_card(&patient.card()).unwrap();
		assert_eq!(
			ring.class_key_of(&doctor, &patient.account()).unwrap(),
			Some(patient.class_key.clone())
		);
		// The same card again changes nothing; another key for the same patient is refused
		// and the kept card stays.
		assert_eq!(ring.import_card(&patient.card()).unwrap(), path);
		let forged = PatientCard { account: patient.account(), class_key: other.class_key.clone() };
		let err = ring.import_card(&forged).unwrap_err();
		assert!(err.to_string().contains("another card"), "{err}");
		assert_eq!(
			ring.class_key_of(&doctor, &patient.account()).unwrap(),
			Some(patient.class_key.clone())
		);
		// A card readable by others is refused, like a key file.
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
			let err = ring.class_key_of(&doctor, &patient.account()).unwrap_err();
			assert!(err.to_string().contains("readable by others"), "{err}");
			fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
		}
		// A card filed under another patient's name is refused.
		let misfiled = path.with_file_name(format!("{}.json", other.account()));
		write_private(&misfiled, &fs::read(&path).unwrap()).unwrap();
		let err = ring.class_key_of(&doctor, &other.account()).unwrap_err();
		assert!(err.to_string().contains("the card is for"), "{err}");
	}

	#[test]
	fn files_naming_accounts_in_the_generic_form_still_load() {
		let home = tempfile::tempdir().unwrap();
		let ring = KeyRing::new(home.path());
		let (doctor, patient) =
			(Identity::generate("doctor").unwrap(), Identity::generate("patient").unwrap());
		// A key file written before MedChain had its own prefix.
		ring.save(&doctor).unwrap();
		let path = home.path().join("keys/doctor.json");
		let text = fs::read_to_string(&path).unwrap();
		let medchain_form = doctor.account().to_string();
		assert!(text.contains(&medchain_form), "{text}");
		let generic = text.replace(&medchain_form, &doctor.account().to_generic_ss58());
		replace_private(&path, generic.as_bytes()).unwrap();
		assert_eq!(ring.load("doctor").unwrap().account(), doctor.account());
		// A card kept under the generic form of the patient's address is found, and importing
		// it again finds it rather than keeping a second copy.
		let patients = home.path().join("patients");
		fs::create_dir_all(&patients).unwrap();
		let legacy = patients.join(format!("{}.json", patient.account().to_generic_ss58()));
		let card = patient.card().to_json();
		let medchain_form = patient.account().to_string();
		let text = String::from_utf8(card.to_vec()).unwrap();
		assert!(text.contains(&medchain_form), "{text}");
		let generic = text.replace(&medchain_form, &patient.account().to_generic_ss58());
		write_private(&legacy, generic.as_bytes()).unwrap();
		assert_eq!(
			ring.class_key_of(&doctor, &patient.account()).unwrap(),
			Some(patient.class_key.clone())
		);
		assert_eq!(ring.import_card(&patient.card()).unwrap(), legacy);
		assert_eq!(fs::read_dir(&patients).unwrap().count(), 1);
	}

	#[test]
	fn a_dev_uri_gives_the_dev_account() {
		let alice = Identity::from_secret_uri("alice", "//Alice").unwrap();
		assert_eq!(alice.account(), subxt_signer::sr25519::dev::alice().public_key().into());
	}

	#[test]
	fn errors_are_named() {
		let home = tempfile::tempdir().unwrap();
		let ring = KeyRing::new(home.path());
		assert!(matches!(ring.load("nobody"), Err(IdentityError::NotFound { .. })));
		assert!(matches!(Identity::generate("../evil"), Err(IdentityError::BadName(_))));
		assert!(matches!(
			Identity::from_secret_uri("x", "not a valid phrase at all"),
			Err(IdentityError::BadSecret(_))
		));
		let bob = Identity::generate("bob").unwrap();
		ring.save(&bob).unwrap();
		assert!(matches!(ring.save(&bob), Err(IdentityError::Exists(_))));
		// A key file others can read is refused.
		let path = home.path().join("keys/bob.json");
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
			let err = ring.load("bob").err().expect("refused");
			assert!(err.to_string().contains("readable by others"), "{err}");
			fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
			assert!(ring.load("bob").is_ok());
		}
		// A tampered file is refused.
		let text = fs::read_to_string(&path).unwrap();
		let other = Identity::generate("other").unwrap();
		let tampered = text.replace(&bob.account().to_string(), &other.account().to_string());
		fs::write(&path, tampered).unwrap();
		assert!(matches!(ring.load("bob"), Err(IdentityError::BadFile { .. })));
	}

	fn ring_with(home: &Path, passphrase: &str) -> KeyRing {
		KeyRing::new(home).with_passphrase(Passphrase::new(passphrase).unwrap())
	}

	#[test]
	fn m8_a_key_ring_with_a_passphrase_seals_key_files() {
		let home = tempfile::tempdir().unwrap();
		let ring = ring_with(home.path(), "correct horse battery");
		let alice = Identity::generate("alice").unwrap();
		let path = ring.save(&alice).unwrap();
		let text = fs::read_to_string(&path).unwrap();
		// Only the public half is in the clear.
		assert!(text.contains(&alice.account().to_string()) && text.contains("\"sealed\""));
		for secret in [
			alice.secret_uri().to_string(),
			hex::encode(*alice.encryption.secret_bytes()),
			hex::encode(alice.class_key.as_bytes()),
		] {
			assert!(!text.contains(&secret), "a secret is in the clear: {text}");
		}
		assert!(ring.is_sealed("alice").unwrap());
		let loaded = ring.load("alice").unwrap();
		assert_eq!(loaded.account(), alice.account());
		assert_eq!(loaded.encryption_public(), alice.encryption_public());
		assert_eq!(loaded.secret_uri(), alice.secret_uri());
		assert_eq!(loaded.class_key, alice.class_key);

		// No passphrase, or another one: nothing opens.
		let err = KeyRing::new(home.path()).load("alice").err().expect("locked");
		assert!(matches!(&err, IdentityError::Locked(name) if name == "alice"), "{err}");
		assert!(err.to_string().contains("--passphrase-file"), "{err}");
		assert!(matches!(
			ring_with(home.path(), "wrong horse battery").load("alice"),
			Err(IdentityError::Sealing { source: PassphraseError::Wrong, .. })
		));

		// Replacing keeps it sealed, even through a ring that had to ask for the passphrase.
		let asking = KeyRing::new(home.path())
			.with_prompt(Box::new(|_| Some("correct horse battery".to_string())));
		let mut reloaded = asking.load("alice").unwrap();
		reloaded.previous_encryption.push(EncryptionKeyPair::generate().unwrap());
		asking.replace(&reloaded).unwrap();
		assert!(asking.is_sealed("alice").unwrap());
		assert_eq!(ring.load("alice").unwrap().previous_encryption.len(), 1);
	}

	#[test]
	fn m8_sealed_secrets_moved_into_another_key_file_do_not_open() {
		let home = tempfile::tempdir().unwrap();
		let ring = ring_with(home.path(), "correct horse battery");
		for name in ["alice", "bob"] {
			ring.save(&Identity::generate(name).unwrap()).unwrap();
		}
		let read = |name: &str| -> serde_json::Value {
			serde_json::from_str(
				&fs::read_to_string(home.path().join(format!("keys/{name}.json"))).unwrap(),
			)
			.unwrap()
		};
		let mut bob = read("bob");
		bob["sealed"] = read("alice")["sealed"].clone();
		fs::write(home.path().join("keys/bob.json"), bob.to_string()).unwrap();
		assert!(matches!(
			ring.load("bob"),
			Err(IdentityError::Sealing { source: PassphraseError::Wrong, .. })
		));
		// The public half rewritten to another account's does not pass either.
		let mut alice = read("alice");
		alice["account"] = read("bob")["account"].clone();
		fs::write(home.path().join("keys/alice.json"), alice.to_string()).unwrap();
		assert!(matches!(
			ring.load("alice"),
			Err(IdentityError::Sealing { source: PassphraseError::Wrong, .. })
		));
	}

	#[test]
	fn m8_who_seals_what() {
		let home = tempfile::tempdir().unwrap();
		// A ring without passphrase or prompt writes plain files (callers decide: the CLI
		// refuses unless --plaintext).
		let plain = KeyRing::new(home.path());
		assert!(!plain.seals());
		plain.save(&Identity::generate("p").unwrap()).unwrap();
		assert!(!plain.is_sealed("p").unwrap());
		// Development accounts stay plain even under a passphrase.
		let ring = ring_with(home.path(), "correct horse battery");
		ring.save_plaintext(&Identity::from_secret_uri("dev", "//Alice").unwrap()).unwrap();
		assert!(!ring.is_sealed("dev").unwrap());
		assert!(KeyRing::new(home.path()).load("dev").is_ok());
		// A prompt nobody answers writes nothing.
		let silent = KeyRing::new(home.path()).with_prompt(Box::new(|_| None));
		assert!(silent.seals());
		assert!(matches!(
			silent.save(&Identity::generate("q").unwrap()),
			Err(IdentityError::NoPassphrase(name)) if name == "q"
		));
		assert!(matches!(silent.load("q"), Err(IdentityError::NotFound { .. })));
		// Too short a passphrase seals nothing.
		let short = ring_with(home.path(), "short");
		assert!(matches!(
			short.save(&Identity::generate("r").unwrap()),
			Err(IdentityError::Sealing { source: PassphraseError::TooShort, .. })
		));
		assert!(matches!(short.load("r"), Err(IdentityError::NotFound { .. })));
	}
}
