//! Secrets at rest under a passphrase: what seals a key file's secrets (the secret URI, the
//! encryption and class keys) so that a copy of the file, a backup or a stolen disk does not
//! hand over the identity (security review, finding M8).
//!
//! scrypt (RustCrypto `scrypt`) stretches the passphrase with a random 16-byte salt into a
//! 32-byte key; XChaCha20-Poly1305 (RustCrypto `chacha20poly1305`) seals the secrets under it
//! with a random 24-byte nonce. The associated data, given by the caller, binds the sealed bytes
//! to where they belong (a key file's name and account): moved into another file they do not
//! open. The scrypt cost is stored with the sealed bytes, so it can be raised later without
//! breaking files written before; opening refuses a cost above [`MAX_LOG_N`] (a planted file
//! must not make the client spend minutes and gigabytes).
//!
//! A [`Passphrase`] remembers the keys it derived (per salt and cost) for the life of the
//! process: one command that opens the same file three times pays for scrypt once.

use std::{
	collections::HashMap,
	path::{Path, PathBuf},
	sync::Mutex,
};

use chacha20poly1305::{
	aead::{Aead, KeyInit, Payload},
	XChaCha20Poly1305, XNonce,
};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::fsutil::shared_mode;

/// scrypt cost written into new sealed files: N = 2¹⁷ (128 MiB, about half a second on a
/// laptop core), r = 8, p = 1, the strength OWASP recommends for scrypt.
pub const LOG_N: u8 = 17;
/// scrypt block size written into new sealed files.
pub const R: u32 = 8;
/// scrypt parallelism written into new sealed files.
pub const P: u32 = 1;
/// The highest scrypt cost a sealed file may ask for (N = 2²⁰, 1 GiB with r = 8).
pub const MAX_LOG_N: u8 = 20;
/// The lowest scrypt cost a sealed file may ask for.
pub const MIN_LOG_N: u8 = 14;
/// The shortest passphrase accepted for sealing.
pub const MIN_LEN: usize = 8;

const KDF: &str = "scrypt";
const CIPHER: &str = "xchacha20poly1305";
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;

/// What can go wrong sealing or opening.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PassphraseError {
	/// The passphrase is too short to seal with.
	#[error("the passphrase is too short: at least {MIN_LEN} characters")]
	TooShort,
	/// The passphrase does not open the sealed secrets (or they were altered).
	#[error("wrong passphrase (or the sealed secrets were altered)")]
	Wrong,
	/// The sealed secrets name a method or a cost this client does not accept.
	#[error("sealed with an unsupported method: {0}")]
	Unsupported(String),
	/// The sealed secrets are malformed.
	#[error("malformed sealed secrets: {0}")]
	Malformed(String),
	/// The passphrase file cannot be read, or others may read it.
	#[error("passphrase file {path}: {reason}")]
	File {
		/// The file.
		path: PathBuf,
		/// What is wrong.
		reason: String,
	},
	/// The operating system's random number generator failed.
	#[error("the operating system's random number generator failed: {0}")]
	Random(String),
}

/// What a derived key is remembered by: the salt and the scrypt cost `(log_n, r, p)`.
type KeyId = (Vec<u8>, u8, u32, u32);

/// A passphrase, zeroized on drop; its `Debug` output does not show it.
pub struct Passphrase {
	text: Zeroizing<String>,
	keys: Mutex<HashMap<KeyId, Zeroizing<[u8; 32]>>>,
}

impl std::fmt::Debug for Passphrase {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		f.write_str("Passphrase(…)")
	}
}

impl Passphrase {
	/// A passphrase typed or read; empty ones are refused ([`PassphraseError::TooShort`]).
	/// Length is checked again when sealing (opening takes whatever sealed the file).
	pub fn new(text: impl Into<String>) -> Result<Self, PassphraseError> {
		let text = Zeroizing::new(text.into());
		if text.is_empty() {
			return Err(PassphraseError::TooShort);
		}
		Ok(Self { text, keys: Mutex::new(HashMap::new()) })
	}

	/// The passphrase in the first line of the file `path` (without its line ending). The
	/// file must be readable by its owner only, like a key file.
	pub fn from_file(path: &Path) -> Result<Self, PassphraseError> {
		let file = |reason: String| PassphraseError::File { path: path.to_path_buf(), reason };
		if let Some(mode) = shared_mode(path).map_err(|e| file(e.to_string()))? {
			return Err(file(format!("readable by others (mode {mode:o}): `chmod 600` it")));
		}
		let text = Zeroizing::new(std::fs::read_to_string(path).map_err(|e| file(e.to_string()))?);
		let line = text.lines().next().unwrap_or_default();
		Self::new(line.to_string()).map_err(|e| file(e.to_string()))
	}

	/// The key scrypt derives from this passphrase with `salt` at the cost `(log_n, r, p)`,
	/// derived once per process.
	fn key(
		&self,
		salt: &[u8],
		log_n: u8,
		r: u32,
		p: u32,
	) -> Result<Zeroizing<[u8; 32]>, PassphraseError> {
		let id = (salt.to_vec(), log_n, r, p);
		let mut keys = self.keys.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
		if let Some(key) = keys.get(&id) {
			return Ok(key.clone());
		}
		let params = scrypt::Params::new(log_n, r, p, 32)
			.map_err(|e| PassphraseError::Unsupported(format!("scrypt parameters: {e}")))?;
		let mut key = Zeroizing::new([0u8; 32]);
		scrypt::scrypt(self.text.as_bytes(), salt, &params, key.as_mut())
			.map_err(|e| PassphraseError::Unsupported(format!("scrypt output: {e}")))?;
		keys.insert(id, key.clone());
		Ok(key)
	}
}

/// Secrets sealed under a passphrase, as stored in a key file's `sealed` field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
	/// The key derivation: `scrypt`.
	pub kdf: String,
	/// scrypt's cost: N = 2^`log_n`.
	pub log_n: u8,
	/// scrypt's block size.
	pub r: u32,
	/// scrypt's parallelism.
	pub p: u32,
	/// The salt, hex.
	pub salt: String,
	/// The cipher: `xchacha20poly1305`.
	pub cipher: String,
	/// The nonce, hex.
	pub nonce: String,
	/// The sealed secrets with their tag, hex.
	pub ciphertext: String,
}

fn random<const N: usize>() -> Result<[u8; N], PassphraseError> {
	let mut bytes = [0u8; N];
	getrandom::fill(&mut bytes).map_err(|e| PassphraseError::Random(e.to_string()))?;
	Ok(bytes)
}

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
	XChaCha20Poly1305::new(&(*key).into())
}

/// Seals `secret` under `passphrase` (at least [`MIN_LEN`] characters), bound to `aad`.
pub fn seal(passphrase: &Passphrase, secret: &[u8], aad: &[u8]) -> Result<Sealed, PassphraseError> {
	if passphrase.text.chars().count() < MIN_LEN {
		return Err(PassphraseError::TooShort);
	}
	let salt: [u8; SALT_LEN] = random()?;
	let nonce: [u8; NONCE_LEN] = random()?;
	let key = passphrase.key(&salt, LOG_N, R, P)?;
	let ciphertext = cipher(&key)
		.encrypt(&XNonce::from(nonce), Payload { msg: secret, aad })
		.map_err(|_| PassphraseError::Malformed("sealing failed".into()))?;
	Ok(Sealed {
		kdf: KDF.into(),
		log_n: LOG_N,
		r: R,
		p: P,
		salt: hex::encode(salt),
		cipher: CIPHER.into(),
		nonce: hex::encode(nonce),
		ciphertext: hex::encode(ciphertext),
	})
}

/// Opens `sealed` with `passphrase`, checking it was bound to `aad`.
///
/// # Errors
/// [`PassphraseError::Wrong`] for another passphrase, altered bytes or another `aad`;
/// [`PassphraseError::Unsupported`] for another method or a cost outside
/// [`MIN_LOG_N`]..=[`MAX_LOG_N`] (r ≤ 32, p ≤ 4); [`PassphraseError::Malformed`] for bad hex or
/// lengths.
pub fn open(
	passphrase: &Passphrase,
	sealed: &Sealed,
	aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, PassphraseError> {
	if sealed.kdf != KDF || sealed.cipher != CIPHER {
		return Err(PassphraseError::Unsupported(format!("{} with {}", sealed.kdf, sealed.cipher)));
	}
	if !(MIN_LOG_N..=MAX_LOG_N).contains(&sealed.log_n)
		|| !(1..=32).contains(&sealed.r)
		|| !(1..=4).contains(&sealed.p)
	{
		return Err(PassphraseError::Unsupported(format!(
			"scrypt cost log_n {} r {} p {} (accepted: log_n {MIN_LOG_N}..={MAX_LOG_N}, r ≤ 32, p ≤ 4)",
			sealed.log_n, sealed.r, sealed.p
		)));
	}
	let bytes = |text: &str, what: &str| {
		hex::decode(text).map_err(|_| PassphraseError::Malformed(format!("{what} is not hex")))
	};
	let salt = bytes(&sealed.salt, "salt")?;
	if salt.len() != SALT_LEN {
		return Err(PassphraseError::Malformed(format!("salt is not {SALT_LEN} bytes")));
	}
	let nonce: [u8; NONCE_LEN] = bytes(&sealed.nonce, "nonce")?
		.try_into()
		.map_err(|_| PassphraseError::Malformed(format!("nonce is not {NONCE_LEN} bytes")))?;
	let ciphertext = bytes(&sealed.ciphertext, "ciphertext")?;
	let key = passphrase.key(&salt, sealed.log_n, sealed.r, sealed.p)?;
	cipher(&key)
		.decrypt(&XNonce::from(nonce), Payload { msg: &ciphertext, aad })
		.map(Zeroizing::new)
		.map_err(|_| PassphraseError::Wrong)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn passphrase(text: &str) -> Passphrase {
		Passphrase::new(text).unwrap()
	}

	#[test]
	fn m8_sealed_secrets_open_only_with_their_passphrase_and_binding() {
		let right = passphrase("correct horse battery");
		let sealed = seal(&right, b"bottom drive obey lake", b"alice").unwrap();
		assert_eq!((sealed.log_n, sealed.r, sealed.p), (LOG_N, R, P));
		assert!(!sealed.ciphertext.contains(&hex::encode(b"bottom drive")));
		assert_eq!(open(&right, &sealed, b"alice").unwrap().as_slice(), b"bottom drive obey lake");
		// The same passphrase from a fresh process (no remembered key) opens it too.
		let again = passphrase("correct horse battery");
		assert_eq!(open(&again, &sealed, b"alice").unwrap().as_slice(), b"bottom drive obey lake");
		assert_eq!(
			open(&passphrase("wrong horse battery"), &sealed, b"alice"),
			Err(PassphraseError::Wrong)
		);
		assert_eq!(open(&right, &sealed, b"mallory"), Err(PassphraseError::Wrong));
		let mut altered = sealed.clone();
		altered
			.ciphertext
			.replace_range(0..2, if &sealed.ciphertext[0..2] == "00" { "01" } else { "00" });
		assert_eq!(open(&right, &altered, b"alice"), Err(PassphraseError::Wrong));
		// Every seal has its own salt and nonce.
		let other = seal(&right, b"bottom drive obey lake", b"alice").unwrap();
		assert_ne!((other.salt, other.nonce), (sealed.salt, sealed.nonce));
	}

	#[test]
	fn short_passphrases_and_unsupported_or_malformed_seals_are_refused() {
		assert_eq!(Passphrase::new("").unwrap_err(), PassphraseError::TooShort);
		assert_eq!(seal(&passphrase("seven77"), b"x", b"").unwrap_err(), PassphraseError::TooShort);
		let right = passphrase("correct horse battery");
		let sealed = seal(&right, b"secret", b"").unwrap();
		let with = |f: fn(&mut Sealed)| {
			let mut s = sealed.clone();
			f(&mut s);
			open(&right, &s, b"").unwrap_err()
		};
		assert!(matches!(with(|s| s.kdf = "pbkdf2".into()), PassphraseError::Unsupported(_)));
		assert!(matches!(with(|s| s.cipher = "aes".into()), PassphraseError::Unsupported(_)));
		assert!(matches!(with(|s| s.log_n = MAX_LOG_N + 1), PassphraseError::Unsupported(_)));
		assert!(matches!(with(|s| s.log_n = MIN_LOG_N - 1), PassphraseError::Unsupported(_)));
		assert!(matches!(with(|s| s.r = 0), PassphraseError::Unsupported(_)));
		assert!(matches!(with(|s| s.p = 5), PassphraseError::Unsupported(_)));
		assert!(matches!(with(|s| s.salt = "zz".into()), PassphraseError::Malformed(_)));
		assert!(matches!(with(|s| s.salt = "00".into()), PassphraseError::Malformed(_)));
		assert!(matches!(with(|s| s.nonce = "00".into()), PassphraseError::Malformed(_)));
		assert!(matches!(with(|s| s.ciphertext = "x".into()), PassphraseError::Malformed(_)));
	}

	#[test]
	fn a_passphrase_file_gives_its_first_line_and_must_be_private() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("passphrase");
		std::fs::write(&path, "correct horse battery\nignored\n").unwrap();
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
			assert!(matches!(
				Passphrase::from_file(&path).unwrap_err(),
				PassphraseError::File { reason, .. } if reason.contains("readable by others")
			));
			std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
		}
		let from_file = Passphrase::from_file(&path).unwrap();
		let sealed = seal(&passphrase("correct horse battery"), b"secret", b"").unwrap();
		assert_eq!(open(&from_file, &sealed, b"").unwrap().as_slice(), b"secret");
		assert!(matches!(
			Passphrase::from_file(&dir.path().join("missing")).unwrap_err(),
			PassphraseError::File { .. }
		));
		assert_eq!(format!("{from_file:?}"), "Passphrase(…)");
	}
}
