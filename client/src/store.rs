//! Content-addressed document store for envelopes (ciphertext).
//!
//! # Addresses
//!
//! A document's address is a **CIDv1** with the **raw** codec (multicodec `0x55`) and a
//! **sha2-256** multihash (multihash code `0x12`, 32-byte digest) of the stored bytes exactly as
//! given to [`DocumentStore::put`] (for MedChain, the complete envelope). Its binary form is the
//! 36 bytes `01 55 12 20 || SHA-256(bytes)`; its text form is multibase base32 (lowercase, no
//! padding, prefix `b`), 59 characters starting `bafkrei`, e.g.
//! `bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku` for the empty document. This is the
//! same CID `ipfs add --cid-version=1 --raw-leaves` gives a file that fits in one block, so an
//! IPFS node can serve as a backend later. See [`cid_of`].
//!
//! The chain stores the CID's **binary** form ([`Cid::to_bytes`]), the commitment
//! ([`crate::crypto::commitment`]) and the wrapped keys.
//!
//! # Backends
//!
//! [`LocalDirStore`] keeps one file per document in a directory, named by the CID's base32 text
//! form, written atomically (temporary file in the same directory, `fsync`, rename, `fsync` of the
//! directory), so a crash leaves either the complete document or none. Every read re-hashes the
//! bytes and refuses a document whose content does not match its CID ([`StoreError::Corrupt`]).
//! [`MemoryStore`] keeps documents in memory, for tests.
//!
//! Deleting a document removes its file; it does not overwrite the disk blocks. Erasure in
//! MedChain rests on destroying the content keys (the envelope is useless without them), and
//! deleting the envelope is the second step.

use std::collections::HashMap;
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use cid::Cid;
use multihash_codetable::{Code, MultihashDigest};

use crate::fsutil::sync_dir;

/// Multicodec code of the raw binary codec.
pub const RAW_CODEC: u64 = 0x55;
/// Multihash code of sha2-256.
pub const SHA2_256_CODE: u64 = 0x12;

/// What can go wrong in a document store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
	/// No document has this CID.
	#[error("document {0} not found")]
	NotFound(Cid),
	/// The stored bytes do not hash to their CID.
	#[error("document {0} is corrupt: its content does not match its CID")]
	Corrupt(Cid),
	/// The CID is not a CIDv1, raw codec, sha2-256 address.
	#[error(
		"unsupported CID {0}: the store addresses documents by CIDv1, raw codec (0x55), sha2-256"
	)]
	UnsupportedCid(Cid),
	/// A string or byte sequence is not a valid CID.
	#[error("invalid CID {input:?}: {source}")]
	InvalidCid {
		/// What was given (bytes shown in hex).
		input: String,
		/// Why it is invalid.
		source: cid::Error,
	},
	/// A file system operation failed.
	#[error("document store {path}: {source}")]
	Io {
		/// The file or directory.
		path: PathBuf,
		/// The I/O error.
		source: std::io::Error,
	},
}

/// The CIDv1 (raw codec, sha2-256) of `bytes`.
pub fn cid_of(bytes: &[u8]) -> Cid {
	Cid::new_v1(RAW_CODEC, Code::Sha2_256.digest(bytes))
}

/// Parses a CID from its text form (any multibase; MedChain writes base32).
pub fn parse_cid(text: &str) -> Result<Cid, StoreError> {
	Cid::try_from(text).map_err(|source| StoreError::InvalidCid { input: text.to_owned(), source })
}

/// Parses a CID from its binary form (as stored on chain).
pub fn cid_from_bytes(bytes: &[u8]) -> Result<Cid, StoreError> {
	Cid::try_from(bytes)
		.map_err(|source| StoreError::InvalidCid { input: hex::encode(bytes), source })
}

/// Checks that `cid` is an address this store can produce and verify.
pub fn check_cid(cid: &Cid) -> Result<(), StoreError> {
	if cid.version() == cid::Version::V1
		&& cid.codec() == RAW_CODEC
		&& cid.hash().code() == SHA2_256_CODE
		&& cid.hash().size() == 32
	{
		Ok(())
	} else {
		Err(StoreError::UnsupportedCid(*cid))
	}
}

/// Checks that `bytes` are the content `cid` addresses.
pub fn verify(cid: &Cid, bytes: &[u8]) -> Result<(), StoreError> {
	check_cid(cid)?;
	if cid_of(bytes) == *cid {
		Ok(())
	} else {
		Err(StoreError::Corrupt(*cid))
	}
}

/// A store of immutable documents addressed by the CID of their content.
pub trait DocumentStore {
	/// Stores `bytes` and returns their CID. Storing the same bytes again is harmless and returns
	/// the same CID.
	fn put(&self, bytes: &[u8]) -> Result<Cid, StoreError>;

	/// The document with this CID, verified against it.
	///
	/// # Errors
	/// [`StoreError::NotFound`] if absent, [`StoreError::Corrupt`] if the stored bytes do not
	/// hash to `cid`, [`StoreError::UnsupportedCid`] for a CID this store cannot verify.
	fn get(&self, cid: &Cid) -> Result<Vec<u8>, StoreError>;

	/// Removes the document; `Ok(false)` if there was none (removal is idempotent).
	fn delete(&self, cid: &Cid) -> Result<bool, StoreError>;

	/// Whether a document with this CID is stored (its content is not verified).
	fn contains(&self, cid: &Cid) -> Result<bool, StoreError>;
}

/// A document store in a local directory: one file per document, named by the CID's base32 form.
#[derive(Debug, Clone)]
pub struct LocalDirStore {
	dir: PathBuf,
}

impl LocalDirStore {
	/// Opens the store in `dir`, creating the directory (and its parents) if needed.
	pub fn open(dir: impl Into<PathBuf>) -> Result<Self, StoreError> {
		let dir = dir.into();
		fs::create_dir_all(&dir).map_err(|source| StoreError::Io { path: dir.clone(), source })?;
		Ok(Self { dir })
	}

	/// The store's directory.
	pub fn dir(&self) -> &Path {
		&self.dir
	}

	/// The file that holds (or would hold) the document with this CID.
	pub fn path_of(&self, cid: &Cid) -> PathBuf {
		// CIDv1 text form is base32 lowercase: only [a-z2-7], safe as a file name.
		self.dir.join(cid.to_string())
	}

	fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
		move |source| StoreError::Io { path: path.to_owned(), source }
	}
}

impl DocumentStore for LocalDirStore {
	fn put(&self, bytes: &[u8]) -> Result<Cid, StoreError> {
		let cid = cid_of(bytes);
		let path = self.path_of(&cid);
		// Already stored intact: nothing to do. A corrupt copy is replaced below.
		if let Ok(existing) = fs::read(&path) {
			if cid_of(&existing) == cid {
				return Ok(cid);
			}
		}
		let mut tmp = tempfile::Builder::new()
			.prefix(".tmp-")
			.tempfile_in(&self.dir)
			.map_err(Self::io_err(&self.dir))?;
		tmp.write_all(bytes).map_err(Self::io_err(tmp.path()))?;
		tmp.as_file().sync_all().map_err(Self::io_err(&path))?;
		tmp.persist(&path).map_err(|e| Self::io_err(&path)(e.error))?;
		sync_dir(&self.dir).map_err(Self::io_err(&self.dir))?;
		Ok(cid)
	}

	fn get(&self, cid: &Cid) -> Result<Vec<u8>, StoreError> {
		check_cid(cid)?;
		let path = self.path_of(cid);
		let bytes = match fs::read(&path) {
			Ok(bytes) => bytes,
			Err(e) if e.kind() == ErrorKind::NotFound => return Err(StoreError::NotFound(*cid)),
			Err(e) => return Err(Self::io_err(&path)(e)),
		};
		verify(cid, &bytes)?;
		Ok(bytes)
	}

	fn delete(&self, cid: &Cid) -> Result<bool, StoreError> {
		let path = self.path_of(cid);
		match fs::remove_file(&path) {
			Ok(()) => {
				sync_dir(&self.dir).map_err(Self::io_err(&self.dir))?;
				Ok(true)
			},
			Err(e) if e.kind() == ErrorKind::NotFound => Ok(false),
			Err(e) => Err(Self::io_err(&path)(e)),
		}
	}

	fn contains(&self, cid: &Cid) -> Result<bool, StoreError> {
		let path = self.path_of(cid);
		path.try_exists().map_err(Self::io_err(&path))
	}
}

/// An in-memory document store, for tests.
#[derive(Debug, Default)]
pub struct MemoryStore {
	documents: Mutex<HashMap<Cid, Vec<u8>>>,
}

impl MemoryStore {
	/// An empty store.
	pub fn new() -> Self {
		Self::default()
	}

	fn documents(&self) -> std::sync::MutexGuard<'_, HashMap<Cid, Vec<u8>>> {
		self.documents.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}
}

impl DocumentStore for MemoryStore {
	fn put(&self, bytes: &[u8]) -> Result<Cid, StoreError> {
		let cid = cid_of(bytes);
		self.documents().insert(cid, bytes.to_vec());
		Ok(cid)
	}

	fn get(&self, cid: &Cid) -> Result<Vec<u8>, StoreError> {
		check_cid(cid)?;
		let bytes = self.documents().get(cid).cloned().ok_or(StoreError::NotFound(*cid))?;
		verify(cid, &bytes)?;
		Ok(bytes)
	}

	fn delete(&self, cid: &Cid) -> Result<bool, StoreError> {
		Ok(self.documents().remove(cid).is_some())
	}

	fn contains(&self, cid: &Cid) -> Result<bool, StoreError> {
		Ok(self.documents().contains_key(cid))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn local() -> (tempfile::TempDir, LocalDirStore) {
		let dir = tempfile::tempdir().unwrap();
		let store = LocalDirStore::open(dir.path().join("docs")).unwrap();
		(dir, store)
	}

	fn round_trip(store: &dyn DocumentStore) {
		let doc = b"MCE1 some envelope bytes";
		let cid = store.put(doc).unwrap();
		assert_eq!(cid, cid_of(doc));
		assert!(store.contains(&cid).unwrap());
		assert_eq!(store.get(&cid).unwrap(), doc);
	}

	#[test]
	fn put_get_round_trip() {
		let (_dir, store) = local();
		round_trip(&store);
		round_trip(&MemoryStore::new());
		// Empty and larger documents too.
		let big = vec![0xa5u8; 1 << 20];
		for doc in [&b""[..], &big] {
			let cid = store.put(doc).unwrap();
			assert_eq!(store.get(&cid).unwrap(), doc);
		}
	}

	#[test]
	fn cid_format() {
		let cid = cid_of(b"");
		assert_eq!(cid.version(), cid::Version::V1);
		assert_eq!(cid.codec(), 0x55);
		assert_eq!(cid.hash().code(), 0x12);
		// Known answer: sha2-256 of the empty string, as IPFS computes it.
		assert_eq!(cid.to_string(), "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
		let bytes = cid.to_bytes();
		assert_eq!(bytes.len(), 36);
		assert_eq!(bytes[..4], [0x01, 0x55, 0x12, 0x20]);
		assert_eq!(
			hex::encode(&bytes[4..]),
			"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
		);
	}

	#[test]
	fn cid_string_and_bytes_parse_round_trip() {
		let cid = cid_of(b"hello");
		let text = cid.to_string();
		// Computed independently: "b" + base32(01 55 12 20 || sha256("hello")).
		assert_eq!(text, "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq");
		assert_eq!(parse_cid(&text).unwrap(), cid);
		assert_eq!(cid_from_bytes(&cid.to_bytes()).unwrap(), cid);
		let err = parse_cid("not-a-cid").unwrap_err();
		assert!(matches!(err, StoreError::InvalidCid { .. }), "{err}");
		assert!(cid_from_bytes(&[0x01, 0x55]).is_err());
	}

	#[test]
	fn idempotent_put() {
		let (_dir, store) = local();
		let first = store.put(b"same bytes").unwrap();
		let second = store.put(b"same bytes").unwrap();
		assert_eq!(first, second);
		assert_eq!(store.get(&first).unwrap(), b"same bytes");
		let files: Vec<_> = fs::read_dir(store.dir()).unwrap().collect();
		assert_eq!(files.len(), 1, "one file, no temporary files left behind");
		let name = files[0].as_ref().unwrap().file_name();
		assert_eq!(name.to_str().unwrap(), first.to_string());
	}

	#[test]
	fn delete_removes() {
		for store in [&local().1 as &dyn DocumentStore, &MemoryStore::new()] {
			let cid = store.put(b"to be erased").unwrap();
			assert!(store.delete(&cid).unwrap());
			assert!(!store.contains(&cid).unwrap());
			assert!(matches!(store.get(&cid), Err(StoreError::NotFound(c)) if c == cid));
			assert!(!store.delete(&cid).unwrap(), "second delete finds nothing");
		}
	}

	#[test]
	fn not_found() {
		let (_dir, store) = local();
		let cid = cid_of(b"never stored");
		assert!(!store.contains(&cid).unwrap());
		let err = store.get(&cid).unwrap_err();
		assert!(matches!(err, StoreError::NotFound(c) if c == cid));
		assert!(err.to_string().contains(&cid.to_string()));
	}

	#[test]
	fn corrupted_file_detected_and_repaired_by_put() {
		let (_dir, store) = local();
		let doc = b"envelope that will rot";
		let cid = store.put(doc).unwrap();
		fs::write(store.path_of(&cid), b"envelope that will rot!").unwrap();
		let err = store.get(&cid).unwrap_err();
		assert!(matches!(err, StoreError::Corrupt(c) if c == cid), "{err}");
		// Putting the right bytes again replaces the corrupt copy.
		assert_eq!(store.put(doc).unwrap(), cid);
		assert_eq!(store.get(&cid).unwrap(), doc);
	}

	#[test]
	fn unsupported_cid_refused() {
		let (_dir, store) = local();
		let dag_cbor = Cid::new_v1(0x71, Code::Sha2_256.digest(b"x"));
		assert!(matches!(store.get(&dag_cbor), Err(StoreError::UnsupportedCid(_))));
	}

	#[test]
	fn store_survives_reopen() {
		let (dir, store) = local();
		let cid = store.put(b"persisted").unwrap();
		drop(store);
		let reopened = LocalDirStore::open(dir.path().join("docs")).unwrap();
		assert_eq!(reopened.get(&cid).unwrap(), b"persisted");
	}
}
