//! Envelope encryption of records, key wrapping for grantees, and the ciphertext commitment.
//!
//! Every record version is encrypted under its own fresh random 32-byte **content key**. The
//! ciphertext (the *envelope*) goes to the document store; the content key is **wrapped** (HPKE)
//! once for the patient and once for each grantee, and those wrapped keys go on chain next to the
//! envelope's [`commitment`]. Erasing a record means destroying the wrapped keys and the envelope.
//!
//! All primitives come from maintained crates: XChaCha20-Poly1305 from RustCrypto
//! `chacha20poly1305`, HPKE (RFC 9180) from `hpke`, BLAKE2b from RustCrypto `blake2`, randomness
//! from the operating system through `getrandom`. Nothing here is hand-rolled.
//!
//! # Envelope format, version 1 (`MCE1`)
//!
//! ```text
//! offset  length  field
//!      0       4  magic and version: the ASCII bytes "MCE1" (4D 43 45 31)
//!      4      24  nonce: 24 random bytes (XChaCha20 extended nonce)
//!     28      32  key commitment: BLAKE2b-256("medchain/key-commitment/v1" || K)
//!     60   n + 16 XChaCha20-Poly1305(key = K, nonce, plaintext, ad = header || aad):
//!                 the n-byte ciphertext followed by the 16-byte Poly1305 tag
//! ```
//!
//! * `K` is the 32-byte content key; `header` is the first 60 bytes of the envelope (magic,
//!   nonce and key commitment), so the AEAD authenticates the whole header.
//! * `aad` is the caller's associated data. It is *not* stored in the envelope: the reader must
//!   supply the same bytes. MedChain binds each envelope to the chain and the patient with
//!   [`record_aad`]: `"medchain/record/v2:" || genesis hash || patient account` (19 ASCII bytes,
//!   then 32 and 32 bytes), which the reader knows from the chain; an envelope cannot be passed
//!   off as another patient's record or replayed on another chain. (Version 1 bound the FHIR
//!   resource type, which the chain then had to publish; it is inside the envelope now, the
//!   `resourceType` of the FHIR JSON: security review H3.)
//! * The key commitment (BLAKE2b with a 32-byte output, unkeyed, over the 26 ASCII bytes
//!   `medchain/key-commitment/v1` followed by the 32 key bytes) makes the envelope commit to its
//!   key, which Poly1305 alone does not: an author cannot craft one envelope that opens to two
//!   different plaintexts under two different keys wrapped for two grantees. It also lets
//!   [`open_record`] tell a wrong key ([`CryptoError::WrongKey`]) from a tampered envelope
//!   ([`CryptoError::Tampered`]).
//! * Overhead: [`ENVELOPE_OVERHEAD`] = 76 bytes; an envelope of an `n`-byte plaintext is
//!   `n + 76` bytes.
//!
//! # Wrapped key format (HPKE, RFC 9180)
//!
//! ```text
//! offset  length  field
//!      0      32  enc: the HPKE encapsulated key (ephemeral X25519 public key)
//!     32      48  HPKE ciphertext of K (32 bytes) followed by its 16-byte tag
//! ```
//!
//! Total [`WRAPPED_KEY_LEN`] = **80 bytes**. The suite is HPKE base mode (`mode_base`, 0x00),
//! KEM DHKEM(X25519, HKDF-SHA256) (0x0020), KDF HKDF-SHA256 (0x0001), AEAD ChaCha20-Poly1305
//! (0x0003), `info` = the ASCII bytes [`WRAP_INFO`] (`medchain/wrap/v2`), `aad` = the wrap
//! context [`wrap_aad`], single shot (sequence number 0). Recipients' public keys are 32-byte
//! X25519 public keys (RFC 7748 encoding); secret keys are 32-byte X25519 scalars, clamped as
//! RFC 9180 requires.
//!
//! The wrap context binds a wrapped key to where it belongs (security review L1):
//! `"medchain/wrap/v2:" || genesis hash || patient account || record origin || recipient
//! account` (17 ASCII bytes, then four times 32 bytes). The *record origin* is the ciphertext
//! commitment of the record's first version: it names the record for good, and unlike the
//! record id (which the chain assigns when the anchor is included) the author knows it before
//! submitting. A key wrapped for one account, record, patient or chain therefore does not open
//! when it is found under another: whoever copies a wrapped key between records' slots, or
//! from another chain, gets [`CryptoError::UnwrapFailed`]. The version is not bound: a wrapped
//! key delivers the record's data key, which serves every version until the next re-keying,
//! and each envelope already commits to its key.
//!
//! # Ciphertext commitment
//!
//! The on-chain `ciphertext_hash` of a record version is
//! `BLAKE2b-256("medchain/ciphertext/v1" || envelope)`: BLAKE2b, unkeyed, 32-byte output, over
//! the 22 ASCII bytes `medchain/ciphertext/v1` followed by the complete envelope bytes (magic
//! included). See [`commitment`].

use std::fmt;

use blake2::{Blake2b256, Digest};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hpke::aead::ChaCha20Poly1305 as HpkeChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Magic and version at the start of every envelope: ASCII `MCE1`.
pub const ENVELOPE_MAGIC: [u8; 4] = *b"MCE1";
/// Length of the XChaCha20 nonce stored in an envelope.
pub const NONCE_LEN: usize = 24;
/// Length of the key commitment stored in an envelope.
pub const KEY_COMMITMENT_LEN: usize = 32;
/// Length of the envelope header (magic, nonce, key commitment).
pub const ENVELOPE_HEADER_LEN: usize = ENVELOPE_MAGIC.len() + NONCE_LEN + KEY_COMMITMENT_LEN;
/// Length of the Poly1305 tag at the end of an envelope.
pub const TAG_LEN: usize = 16;
/// Bytes an envelope adds to its plaintext (header and tag): 76.
pub const ENVELOPE_OVERHEAD: usize = ENVELOPE_HEADER_LEN + TAG_LEN;
/// Length of a content key.
pub const CONTENT_KEY_LEN: usize = 32;
/// Length of an X25519 public key.
pub const PUBLIC_KEY_LEN: usize = 32;
/// Length of an X25519 secret key.
pub const SECRET_KEY_LEN: usize = 32;
/// Length of a wrapped key: 32-byte encapsulated key, 32-byte encrypted content key, 16-byte tag.
pub const WRAPPED_KEY_LEN: usize = 32 + CONTENT_KEY_LEN + 16;
/// HPKE `info` string for key wrapping.
pub const WRAP_INFO: &[u8] = b"medchain/wrap/v2";
/// Prefix of the wrap context built by [`wrap_aad`].
pub const WRAP_AAD_PREFIX: &[u8] = b"medchain/wrap/v2:";
/// Domain separation prefix of the key commitment in an envelope header.
pub const KEY_COMMITMENT_DOMAIN: &[u8] = b"medchain/key-commitment/v1";
/// Domain separation prefix of the ciphertext [`commitment`].
pub const CIPHERTEXT_COMMITMENT_DOMAIN: &[u8] = b"medchain/ciphertext/v1";
/// Prefix of the associated data built by [`record_aad`].
pub const RECORD_AAD_PREFIX: &[u8] = b"medchain/record/v2:";

type Kem = X25519HkdfSha256;
type HpkeSecretKey = <Kem as hpke::Kem>::PrivateKey;
type HpkePublicKey = <Kem as hpke::Kem>::PublicKey;
type HpkeEncappedKey = <Kem as hpke::Kem>::EncappedKey;

/// What can go wrong while encrypting, decrypting, wrapping or storing keys.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
	/// The operating system's random number generator failed.
	#[error("the operating system's random number generator failed: {0}")]
	Random(String),
	/// The bytes do not start with a known envelope magic/version.
	#[error(
		"not a MedChain envelope or an unsupported envelope version: it starts with {found:02x?}, \
         expected \"MCE1\""
	)]
	EnvelopeVersion {
		/// The first bytes found (at most four).
		found: Vec<u8>,
	},
	/// The envelope is too short to hold a header and a tag.
	#[error("envelope is truncated: {len} bytes, a version-1 envelope has at least 76")]
	EnvelopeTruncated {
		/// The length given.
		len: usize,
	},
	/// The content key is not the one the envelope was sealed with.
	#[error(
		"wrong content key: the key does not match the envelope's key commitment (or the \
         commitment bytes were altered)"
	)]
	WrongKey,
	/// Authentication failed: the envelope was altered, or the associated data differs.
	#[error(
		"envelope failed authentication: its nonce, ciphertext or tag was altered, or the \
         associated data differs from the data it was sealed with"
	)]
	Tampered,
	/// Encryption failed (the plaintext or associated data is too long for the AEAD).
	#[error("encryption failed: plaintext or associated data too long")]
	SealFailed,
	/// A wrapped key does not have the fixed length.
	#[error("bad wrapped key: {len} bytes, expected 80")]
	WrappedKeyLength {
		/// The length given.
		len: usize,
	},
	/// The wrapped key cannot be opened with this key pair.
	#[error(
		"wrapped key cannot be opened with this key pair: it was wrapped for another recipient, \
         or it was altered"
	)]
	UnwrapFailed,
	/// Wrapping failed, e.g. because the recipient's public key is a low-order point.
	#[error("cannot wrap the key for this recipient public key: {0}")]
	WrapFailed(String),
}

fn random_bytes<const N: usize>() -> Result<Zeroizing<[u8; N]>, CryptoError> {
	let mut bytes = Zeroizing::new([0u8; N]);
	getrandom::fill(bytes.as_mut()).map_err(|e| CryptoError::Random(e.to_string()))?;
	Ok(bytes)
}

/// A 32-byte symmetric content key, one per record version. Zeroized on drop; its `Debug` output
/// does not show the key; compared in constant time.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct ContentKey([u8; CONTENT_KEY_LEN]);

impl ContentKey {
	/// A fresh random key from the operating system's random number generator.
	pub fn generate() -> Result<Self, CryptoError> {
		Ok(Self(*random_bytes::<CONTENT_KEY_LEN>()?))
	}

	/// A key from its 32 bytes.
	pub fn from_bytes(bytes: [u8; CONTENT_KEY_LEN]) -> Self {
		Self(bytes)
	}

	/// The key's bytes.
	pub fn as_bytes(&self) -> &[u8; CONTENT_KEY_LEN] {
		&self.0
	}

	fn key_commitment(&self) -> [u8; KEY_COMMITMENT_LEN] {
		let mut hasher = Blake2b256::new();
		hasher.update(KEY_COMMITMENT_DOMAIN);
		hasher.update(self.0);
		hasher.finalize().into()
	}
}

impl PartialEq for ContentKey {
	fn eq(&self, other: &Self) -> bool {
		self.0.ct_eq(&other.0).into()
	}
}

impl Eq for ContentKey {}

impl fmt::Debug for ContentKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str("ContentKey(<redacted>)")
	}
}

/// The associated data MedChain binds an envelope to:
/// `"medchain/record/v2:" || genesis hash || patient account`.
pub fn record_aad(genesis: &[u8; 32], patient: &[u8; 32]) -> Vec<u8> {
	let mut aad = Vec::with_capacity(RECORD_AAD_PREFIX.len() + 64);
	aad.extend_from_slice(RECORD_AAD_PREFIX);
	aad.extend_from_slice(genesis);
	aad.extend_from_slice(patient);
	aad
}

/// Encrypts `plaintext` under a fresh content key, binding `aad`. Returns the key and the
/// envelope (format in the [module docs](self)).
pub fn seal_record(plaintext: &[u8], aad: &[u8]) -> Result<(ContentKey, Vec<u8>), CryptoError> {
	let key = ContentKey::generate()?;
	let envelope = seal_with_key(&key, plaintext, aad)?;
	Ok((key, envelope))
}

/// Encrypts `plaintext` under the given key with a fresh random nonce. Prefer [`seal_record`],
/// which never reuses a key; this is for re-encrypting under a known key.
pub fn seal_with_key(
	key: &ContentKey,
	plaintext: &[u8],
	aad: &[u8],
) -> Result<Vec<u8>, CryptoError> {
	let nonce = random_bytes::<NONCE_LEN>()?;
	let mut envelope = Vec::with_capacity(plaintext.len() + ENVELOPE_OVERHEAD);
	envelope.extend_from_slice(&ENVELOPE_MAGIC);
	envelope.extend_from_slice(nonce.as_ref());
	envelope.extend_from_slice(&key.key_commitment());

	let mut ad = Vec::with_capacity(ENVELOPE_HEADER_LEN + aad.len());
	ad.extend_from_slice(&envelope);
	ad.extend_from_slice(aad);

	let cipher = XChaCha20Poly1305::new_from_slice(key.as_bytes())
		.expect("a content key is exactly 32 bytes");
	let body = cipher
		.encrypt(&XNonce::from(*nonce), Payload { msg: plaintext, aad: &ad })
		.map_err(|_| CryptoError::SealFailed)?;
	envelope.extend_from_slice(&body);
	Ok(envelope)
}

/// Checks an envelope's magic/version and length without decrypting it.
pub fn check_envelope(envelope: &[u8]) -> Result<(), CryptoError> {
	let magic_len = envelope.len().min(ENVELOPE_MAGIC.len());
	if envelope[..magic_len] != ENVELOPE_MAGIC[..magic_len] {
		return Err(CryptoError::EnvelopeVersion { found: envelope[..magic_len].to_vec() });
	}
	if envelope.len() < ENVELOPE_OVERHEAD {
		return Err(CryptoError::EnvelopeTruncated { len: envelope.len() });
	}
	Ok(())
}

/// Decrypts an envelope with its content key and the associated data it was sealed with.
///
/// # Errors
/// [`CryptoError::EnvelopeVersion`] / [`CryptoError::EnvelopeTruncated`] for bytes that are not
/// a version-1 envelope, [`CryptoError::WrongKey`] for another key, [`CryptoError::Tampered`]
/// for altered bytes or different associated data.
pub fn open_record(key: &ContentKey, envelope: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
	check_envelope(envelope)?;
	let (header, body) = envelope.split_at(ENVELOPE_HEADER_LEN);
	let nonce: [u8; NONCE_LEN] = header[4..4 + NONCE_LEN].try_into().expect("header holds a nonce");
	let stored_commitment = &header[4 + NONCE_LEN..];
	if !bool::from(stored_commitment.ct_eq(&key.key_commitment())) {
		return Err(CryptoError::WrongKey);
	}

	let mut ad = Vec::with_capacity(ENVELOPE_HEADER_LEN + aad.len());
	ad.extend_from_slice(header);
	ad.extend_from_slice(aad);

	let cipher = XChaCha20Poly1305::new_from_slice(key.as_bytes())
		.expect("a content key is exactly 32 bytes");
	cipher
		.decrypt(&XNonce::from(nonce), Payload { msg: body, aad: &ad })
		.map_err(|_| CryptoError::Tampered)
}

/// Prefix of the associated data of a key-chain link ([`key_chain_aad`]).
pub const KEY_CHAIN_AAD_PREFIX: &[u8] = b"medchain/key-chain/v2:";

/// What a record's key is bound to: `prefix || genesis hash || patient account || record
/// origin` (the record origin is its first version's ciphertext commitment, see the
/// [module docs](self)).
fn record_context(
	prefix: &[u8],
	genesis: &[u8; 32],
	patient: &[u8; 32],
	origin: &[u8; 32],
) -> Vec<u8> {
	let mut aad = Vec::with_capacity(prefix.len() + 128);
	aad.extend_from_slice(prefix);
	aad.extend_from_slice(genesis);
	aad.extend_from_slice(patient);
	aad.extend_from_slice(origin);
	aad
}

/// The wrap context of a data key wrapped for `recipient`: `"medchain/wrap/v2:" || genesis ||
/// patient || origin || recipient` (L1; the [module docs](self) say why each is there).
pub fn wrap_aad(
	genesis: &[u8; 32],
	patient: &[u8; 32],
	origin: &[u8; 32],
	recipient: &[u8; 32],
) -> Vec<u8> {
	let mut aad = record_context(WRAP_AAD_PREFIX, genesis, patient, origin);
	aad.extend_from_slice(recipient);
	aad
}

/// The associated data of a key-chain link of a record: `"medchain/key-chain/v2:" || genesis ||
/// patient || origin`, so that a link opens only as the record it was made for.
pub fn key_chain_aad(genesis: &[u8; 32], patient: &[u8; 32], origin: &[u8; 32]) -> Vec<u8> {
	record_context(KEY_CHAIN_AAD_PREFIX, genesis, patient, origin)
}

/// A key-chain link: the `previous` content key of a record sealed (an `MCE1` envelope with
/// associated data [`key_chain_aad`]) under the `next` one. A re-keying amendment anchors it,
/// so whoever holds the new key also recovers every earlier one, and a holder removed before
/// the re-keying never receives the new key. 108 bytes.
pub fn chain_key(
	next: &ContentKey,
	previous: &ContentKey,
	aad: &[u8],
) -> Result<Vec<u8>, CryptoError> {
	seal_with_key(next, previous.as_bytes(), aad)
}

/// Opens a key-chain link with the newer key: the content key of the versions before it.
///
/// # Errors
/// As [`open_record`] (also for a link of another record: its `aad` differs);
/// [`CryptoError::Tampered`] also if the link does not hold a 32-byte key.
pub fn unchain_key(next: &ContentKey, link: &[u8], aad: &[u8]) -> Result<ContentKey, CryptoError> {
	let bytes = Zeroizing::new(open_record(next, link, aad)?);
	let key: [u8; CONTENT_KEY_LEN] =
		bytes.as_slice().try_into().map_err(|_| CryptoError::Tampered)?;
	Ok(ContentKey::from_bytes(key))
}

/// The on-chain commitment to an envelope: `BLAKE2b-256("medchain/ciphertext/v1" || envelope)`.
pub fn commitment(envelope: &[u8]) -> [u8; 32] {
	let mut hasher = Blake2b256::new();
	hasher.update(CIPHERTEXT_COMMITMENT_DOMAIN);
	hasher.update(envelope);
	hasher.finalize().into()
}

/// BLAKE2b-256 of `bytes`, unkeyed: the runtime's `blake2_256` (what trial documents and the
/// allocation seed are committed with, checkable with `b2sum -l 256`).
pub fn blake2_256(bytes: &[u8]) -> [u8; 32] {
	Blake2b256::digest(bytes).into()
}

/// BLAKE2b-256 of `domain ‖ data`: a hash separated from every other use by its domain tag.
pub fn domain_hash(domain: &[u8], data: &[u8]) -> [u8; 32] {
	let mut hasher = Blake2b256::new();
	hasher.update(domain);
	hasher.update(data);
	hasher.finalize().into()
}

/// The domain tag of [`plaintext_commitment`].
pub const PLAINTEXT_DOMAIN: &[u8] = b"medchain/plaintext/v1";

/// The plaintext commitment the chain stores next to the ciphertext hash:
/// BLAKE2b-256(`"medchain/plaintext/v1"` ‖ content key ‖ plaintext).
///
/// The record's content key is the salt: it is secret, random and 32 bytes, so nobody without
/// the key can test a guess of the plaintext against the chain (a low-entropy observation such
/// as a blood type would otherwise be found by trying every value), while every holder of the
/// key can check that what they decrypted is what was anchored. BLAKE2b is not open to
/// length extension, so a secret prefix makes it a MAC.
pub fn plaintext_commitment(key: &ContentKey, plaintext: &[u8]) -> [u8; 32] {
	let mut hasher = Blake2b256::new();
	hasher.update(PLAINTEXT_DOMAIN);
	hasher.update(key.as_bytes());
	hasher.update(plaintext);
	hasher.finalize().into()
}

/// A content key wrapped (HPKE) for one recipient: encapsulated key (32 bytes) followed by the
/// encrypted key and tag (48 bytes); 80 bytes in all. Stored on chain.
#[derive(Clone, PartialEq, Eq)]
pub struct WrappedKey([u8; WRAPPED_KEY_LEN]);

impl WrappedKey {
	/// Parses a wrapped key from its bytes; only the length is checked here.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, CryptoError> {
		let array: [u8; WRAPPED_KEY_LEN] =
			bytes.try_into().map_err(|_| CryptoError::WrappedKeyLength { len: bytes.len() })?;
		Ok(Self(array))
	}

	/// The wrapped key's bytes.
	pub fn as_bytes(&self) -> &[u8; WRAPPED_KEY_LEN] {
		&self.0
	}

	/// The wrapped key's bytes as a vector (e.g. for a `BoundedVec` on chain).
	pub fn to_vec(&self) -> Vec<u8> {
		self.0.to_vec()
	}
}

impl fmt::Debug for WrappedKey {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(f, "WrappedKey(0x{})", hex::encode(self.0))
	}
}

/// Wraps a content key for the holder of the X25519 public key `recipient_public` (HPKE base
/// mode, suite and format in the [module docs](self)), bound to the wrap context `aad`
/// ([`wrap_aad`]).
///
/// # Panics
/// If the operating system's random number generator fails (inside `hpke`).
pub fn wrap_key(
	key: &ContentKey,
	recipient_public: &[u8; PUBLIC_KEY_LEN],
	aad: &[u8],
) -> Result<WrappedKey, CryptoError> {
	let public = HpkePublicKey::from_bytes(recipient_public)
		.map_err(|e| CryptoError::WrapFailed(e.to_string()))?;
	let (encapped, ciphertext) = hpke::single_shot_seal::<HpkeChaCha20Poly1305, HkdfSha256, Kem>(
		&OpModeS::Base,
		&public,
		WRAP_INFO,
		key.as_bytes(),
		aad,
	)
	.map_err(|e| CryptoError::WrapFailed(e.to_string()))?;
	let mut wrapped = [0u8; WRAPPED_KEY_LEN];
	encapped.write_exact(&mut wrapped[..32]);
	wrapped[32..].copy_from_slice(&ciphertext);
	Ok(WrappedKey(wrapped))
}

/// Unwraps a content key with the recipient's key pair and the wrap context `aad` it was
/// wrapped with ([`wrap_aad`]).
///
/// # Errors
/// [`CryptoError::UnwrapFailed`] if the key was wrapped for another key pair or another
/// context (chain, patient, record, recipient account), or altered.
pub fn unwrap_key(
	wrapped: &WrappedKey,
	keypair: &EncryptionKeyPair,
	aad: &[u8],
) -> Result<ContentKey, CryptoError> {
	let (enc, ciphertext) = wrapped.0.split_at(32);
	let encapped = HpkeEncappedKey::from_bytes(enc).map_err(|_| CryptoError::UnwrapFailed)?;
	let plaintext = Zeroizing::new(
		hpke::single_shot_open::<HpkeChaCha20Poly1305, HkdfSha256, Kem>(
			&OpModeR::Base,
			&keypair.secret,
			&encapped,
			WRAP_INFO,
			ciphertext,
			aad,
		)
		.map_err(|_| CryptoError::UnwrapFailed)?,
	);
	let bytes: [u8; CONTENT_KEY_LEN] =
		plaintext.as_slice().try_into().map_err(|_| CryptoError::UnwrapFailed)?;
	Ok(ContentKey(bytes))
}

/// An X25519 key pair for receiving wrapped keys (a patient's, a practitioner's). Its `Debug`
/// output shows only the public key; the secret is zeroized on drop (by `x25519-dalek`).
#[derive(Clone)]
pub struct EncryptionKeyPair {
	secret: HpkeSecretKey,
	public: [u8; PUBLIC_KEY_LEN],
}

impl EncryptionKeyPair {
	/// A fresh random key pair from the operating system's random number generator.
	pub fn generate() -> Result<Self, CryptoError> {
		let secret = random_bytes::<SECRET_KEY_LEN>()?;
		Ok(Self::from_secret_bytes(&secret))
	}

	/// The key pair of a 32-byte X25519 secret key (clamped as RFC 7748 / RFC 9180 require).
	pub fn from_secret_bytes(secret: &[u8; SECRET_KEY_LEN]) -> Self {
		let secret = HpkeSecretKey::from_bytes(secret).expect("an X25519 secret key is 32 bytes");
		let mut public = [0u8; PUBLIC_KEY_LEN];
		Kem::sk_to_pk(&secret).write_exact(&mut public);
		Self { secret, public }
	}

	/// The 32-byte secret key (clamped). Handle with care.
	pub fn secret_bytes(&self) -> Zeroizing<[u8; SECRET_KEY_LEN]> {
		let mut bytes = Zeroizing::new([0u8; SECRET_KEY_LEN]);
		self.secret.write_exact(bytes.as_mut());
		bytes
	}

	/// The 32-byte X25519 public key, to publish so that others can wrap keys for this holder.
	pub fn public_key(&self) -> [u8; PUBLIC_KEY_LEN] {
		self.public
	}
}

impl fmt::Debug for EncryptionKeyPair {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("EncryptionKeyPair")
			.field("public", &hex::encode(self.public))
			.finish_non_exhaustive()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const RECORD: &[u8] = br#"{"resourceType":"Observation","status":"final"}"#;

	fn aad() -> Vec<u8> {
		record_aad(&[0x6e; 32], &[0xa1; 32])
	}

	/// The wrap context of record origin `[0x0c; 32]` for recipient `[r; 32]`.
	fn ctx(r: u8) -> Vec<u8> {
		wrap_aad(&[0x6e; 32], &[0xa1; 32], &[0x0c; 32], &[r; 32])
	}

	#[test]
	fn round_trip() {
		let (key, envelope) = seal_record(RECORD, &aad()).unwrap();
		assert_eq!(&envelope[..4], b"MCE1");
		assert_eq!(envelope.len(), RECORD.len() + ENVELOPE_OVERHEAD);
		assert_eq!(open_record(&key, &envelope, &aad()).unwrap(), RECORD);
	}

	/// H2: a re-keyed record chains each old key under the new one; only the new key opens the
	/// link, and a link is not an envelope of a record.
	#[test]
	fn h2_a_key_chain_link_opens_only_with_the_newer_key() {
		let old = ContentKey::generate().unwrap();
		let new = ContentKey::generate().unwrap();
		let link_aad = key_chain_aad(&[0x6e; 32], &[0xa1; 32], &[0x0c; 32]);
		let link = chain_key(&new, &old, &link_aad).unwrap();
		assert_eq!(link.len(), CONTENT_KEY_LEN + ENVELOPE_OVERHEAD);
		assert_eq!(unchain_key(&new, &link, &link_aad).unwrap(), old);
		assert!(matches!(unchain_key(&old, &link, &link_aad), Err(CryptoError::WrongKey)));
		// L1: a link opens only as the record it was made for.
		let elsewhere = key_chain_aad(&[0x6e; 32], &[0xa1; 32], &[0x0d; 32]);
		assert!(matches!(unchain_key(&new, &link, &elsewhere), Err(CryptoError::Tampered)));
		// Not interchangeable with a record envelope under the same key.
		assert!(matches!(open_record(&new, &link, &aad()), Err(CryptoError::Tampered)));
		let envelope = seal_with_key(&new, old.as_bytes(), &aad()).unwrap();
		assert!(matches!(unchain_key(&new, &envelope, &link_aad), Err(CryptoError::Tampered)));
		// A link that does not hold a 32-byte key.
		let short = seal_with_key(&new, b"short", &link_aad).unwrap();
		assert!(matches!(unchain_key(&new, &short, &link_aad), Err(CryptoError::Tampered)));
	}

	#[test]
	fn empty_plaintext_round_trips() {
		let (key, envelope) = seal_record(b"", b"").unwrap();
		assert_eq!(envelope.len(), ENVELOPE_OVERHEAD);
		assert_eq!(open_record(&key, &envelope, b"").unwrap(), b"");
	}

	#[test]
	fn wrong_content_key_refused() {
		let (_, envelope) = seal_record(RECORD, &aad()).unwrap();
		let other = ContentKey::generate().unwrap();
		assert!(matches!(open_record(&other, &envelope, &aad()), Err(CryptoError::WrongKey)));
	}

	#[test]
	fn tampered_envelope_refused() {
		let (key, envelope) = seal_record(RECORD, &aad()).unwrap();
		let nonce = 4;
		let body = ENVELOPE_HEADER_LEN + 3;
		let tag = envelope.len() - 1;
		for index in [nonce, nonce + NONCE_LEN - 1, body, tag] {
			let mut tampered = envelope.clone();
			tampered[index] ^= 0x01;
			let err = open_record(&key, &tampered, &aad()).unwrap_err();
			assert!(matches!(err, CryptoError::Tampered), "byte {index}: {err}");
		}
		// The key commitment is checked before decryption.
		let mut tampered = envelope.clone();
		tampered[4 + NONCE_LEN] ^= 0x01;
		assert!(matches!(open_record(&key, &tampered, &aad()), Err(CryptoError::WrongKey)));
		// Truncation and extension.
		let truncated = &envelope[..envelope.len() - 1];
		assert!(matches!(open_record(&key, truncated, &aad()), Err(CryptoError::Tampered)));
		let mut extended = envelope.clone();
		extended.push(0);
		assert!(matches!(open_record(&key, &extended, &aad()), Err(CryptoError::Tampered)));
	}

	#[test]
	fn wrong_aad_refused() {
		let (key, envelope) = seal_record(RECORD, &aad()).unwrap();
		assert!(matches!(
			open_record(&key, &envelope, &record_aad(&[0x6e; 32], &[0xb0; 32])),
			Err(CryptoError::Tampered)
		));
		assert!(matches!(
			open_record(&key, &envelope, &record_aad(&[0x6f; 32], &[0xa1; 32])),
			Err(CryptoError::Tampered)
		));
		assert!(matches!(open_record(&key, &envelope, b""), Err(CryptoError::Tampered)));
	}

	#[test]
	fn bad_envelope_format_refused() {
		let (key, mut envelope) = seal_record(RECORD, &aad()).unwrap();
		let err = open_record(&key, &envelope[..ENVELOPE_OVERHEAD - 1], &aad()).unwrap_err();
		assert!(matches!(err, CryptoError::EnvelopeTruncated { len: 75 }));
		envelope[3] = b'2';
		let err = open_record(&key, &envelope, &aad()).unwrap_err();
		assert!(matches!(err, CryptoError::EnvelopeVersion { .. }));
		assert!(err.to_string().contains("MCE1"), "{err}");
		assert!(matches!(
			open_record(&key, b"{}", &aad()),
			Err(CryptoError::EnvelopeVersion { .. })
		));
		assert!(matches!(
			open_record(&key, b"", &aad()),
			Err(CryptoError::EnvelopeTruncated { len: 0 })
		));
	}

	#[test]
	fn two_seals_differ() {
		let (key1, envelope1) = seal_record(RECORD, &aad()).unwrap();
		let (key2, envelope2) = seal_record(RECORD, &aad()).unwrap();
		assert_ne!(key1, key2);
		assert_ne!(envelope1, envelope2);
		assert_ne!(envelope1[4..28], envelope2[4..28], "nonces differ");
		assert_ne!(commitment(&envelope1), commitment(&envelope2));
	}

	#[test]
	fn wrap_unwrap_round_trip() {
		let patient = EncryptionKeyPair::generate().unwrap();
		let (key, envelope) = seal_record(RECORD, &aad()).unwrap();
		let wrapped = wrap_key(&key, &patient.public_key(), &ctx(1)).unwrap();
		assert_eq!(wrapped.as_bytes().len(), WRAPPED_KEY_LEN);
		assert_eq!(WRAPPED_KEY_LEN, 80);
		let unwrapped = unwrap_key(&wrapped, &patient, &ctx(1)).unwrap();
		assert_eq!(unwrapped, key);
		assert_eq!(open_record(&unwrapped, &envelope, &aad()).unwrap(), RECORD);
		// Wrapping is randomised (fresh ephemeral key each time).
		assert_ne!(wrap_key(&key, &patient.public_key(), &ctx(1)).unwrap(), wrapped);
	}

	#[test]
	fn key_wrapped_for_one_grantee_not_unwrapped_by_another() {
		let alice = EncryptionKeyPair::generate().unwrap();
		let bob = EncryptionKeyPair::generate().unwrap();
		let key = ContentKey::generate().unwrap();
		let for_alice = wrap_key(&key, &alice.public_key(), &ctx(1)).unwrap();
		let for_bob = wrap_key(&key, &bob.public_key(), &ctx(1)).unwrap();
		assert!(matches!(unwrap_key(&for_alice, &bob, &ctx(1)), Err(CryptoError::UnwrapFailed)));
		assert_eq!(unwrap_key(&for_bob, &bob, &ctx(1)).unwrap(), key);
	}

	/// L1: a wrapped key opens only in the context it was wrapped for: the same chain,
	/// patient, record and recipient account.
	#[test]
	fn l1_a_wrapped_key_opens_only_in_its_own_context() {
		let holder = EncryptionKeyPair::generate().unwrap();
		let key = ContentKey::generate().unwrap();
		let (genesis, patient, origin, recipient) = ([1; 32], [2; 32], [3; 32], [4; 32]);
		let own = wrap_aad(&genesis, &patient, &origin, &recipient);
		let wrapped = wrap_key(&key, &holder.public_key(), &own).unwrap();
		assert_eq!(unwrap_key(&wrapped, &holder, &own).unwrap(), key);
		for (what, other) in [
			("another chain", wrap_aad(&[9; 32], &patient, &origin, &recipient)),
			("another patient", wrap_aad(&genesis, &[9; 32], &origin, &recipient)),
			("another record", wrap_aad(&genesis, &patient, &[9; 32], &recipient)),
			("another recipient account", wrap_aad(&genesis, &patient, &origin, &[9; 32])),
			("no context", Vec::new()),
		] {
			assert!(
				matches!(unwrap_key(&wrapped, &holder, &other), Err(CryptoError::UnwrapFailed)),
				"a key wrapped for its own context opened for {what}"
			);
		}
		assert_eq!(own.len(), WRAP_AAD_PREFIX.len() + 128);
		assert!(own.starts_with(b"medchain/wrap/v2:"));
	}

	#[test]
	fn tampered_wrapped_key_refused() {
		let grantee = EncryptionKeyPair::generate().unwrap();
		let key = ContentKey::generate().unwrap();
		let wrapped = wrap_key(&key, &grantee.public_key(), &ctx(1)).unwrap();
		for index in [0, 31, 32, 63, 64, 79] {
			let mut bytes = wrapped.to_vec();
			bytes[index] ^= 0x80;
			let tampered = WrappedKey::from_bytes(&bytes).unwrap();
			assert!(
				matches!(unwrap_key(&tampered, &grantee, &ctx(1)), Err(CryptoError::UnwrapFailed)),
				"byte {index}"
			);
		}
		let short = &wrapped.as_bytes()[..79];
		assert!(matches!(
			WrappedKey::from_bytes(short),
			Err(CryptoError::WrappedKeyLength { len: 79 })
		));
	}

	#[test]
	fn wrapping_for_low_order_public_key_refused() {
		let key = ContentKey::generate().unwrap();
		// The all-zero point has order 1: the Diffie-Hellman output would be zero.
		assert!(matches!(wrap_key(&key, &[0u8; 32], &ctx(1)), Err(CryptoError::WrapFailed(_))));
	}

	#[test]
	fn keypair_bytes_round_trip() {
		let keypair = EncryptionKeyPair::generate().unwrap();
		let again = EncryptionKeyPair::from_secret_bytes(&keypair.secret_bytes());
		assert_eq!(again.public_key(), keypair.public_key());
		assert_eq!(*again.secret_bytes(), *keypair.secret_bytes());
		let debug = format!("{keypair:?}");
		assert!(!debug.contains(&hex::encode(keypair.secret_bytes().as_ref())));
		assert_eq!(format!("{:?}", ContentKey::from_bytes([7; 32])), "ContentKey(<redacted>)");
	}

	#[test]
	fn commitment_is_domain_separated_blake2b_256() {
		let (_, envelope) = seal_record(RECORD, &aad()).unwrap();
		let mut hasher = Blake2b256::new();
		hasher.update(b"medchain/ciphertext/v1");
		hasher.update(&envelope);
		let expected: [u8; 32] = hasher.finalize().into();
		assert_eq!(commitment(&envelope), expected);
		assert_ne!(commitment(&envelope), <[u8; 32]>::from(Blake2b256::digest(&envelope)));
		// Known answers, computed independently (Python hashlib.blake2b, digest_size=32).
		assert_eq!(
			hex::encode(commitment(b"MCE1")),
			"a35043c54795c40550ebe69aa3e0b633e2dbc325d7d11eac317927ed228ab047"
		);
		let key: [u8; 32] = core::array::from_fn(|i| i as u8);
		assert_eq!(
			hex::encode(ContentKey::from_bytes(key).key_commitment()),
			"1ad410c181ebd0ddf1315deb7999d614cfd20c501148bb0ff536cba6785db793"
		);
		let envelope = seal_with_key(&ContentKey::from_bytes(key), b"x", b"").unwrap();
		assert_eq!(
			hex::encode(&envelope[28..60]),
			"1ad410c181ebd0ddf1315deb7999d614cfd20c501148bb0ff536cba6785db793"
		);
	}

	#[test]
	fn blake2_256_is_the_runtime_hash() {
		// BLAKE2b-256 of the empty string (RFC 7693 parameters, 32-byte output).
		assert_eq!(
			hex::encode(blake2_256(b"")),
			"0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
		);
		assert_eq!(domain_hash(b"ab", b"c"), blake2_256(b"abc"));
	}

	#[test]
	fn the_plaintext_commitment_depends_on_the_key_and_the_plaintext() {
		let a = ContentKey::generate().unwrap();
		let b = ContentKey::generate().unwrap();
		let c = plaintext_commitment(&a, b"O+");
		assert_eq!(c, plaintext_commitment(&a, b"O+"));
		assert_ne!(c, plaintext_commitment(&b, b"O+"), "another key: nobody can test a guess");
		assert_ne!(c, plaintext_commitment(&a, b"A+"));
		assert_ne!(c, blake2_256(b"O+"));
	}
}
