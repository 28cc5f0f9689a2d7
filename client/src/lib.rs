//! MedChain client library: the off-chain core every MedChain client shares.
//!
//! * [`account`] — accounts and their addresses (SS58 with MedChain's prefix, 4242).
//! * [`crypto`] — envelope encryption of records (XChaCha20-Poly1305 under a fresh content key
//!   per record version), wrapping content keys for the patient and each grantee (HPKE, X25519),
//!   and the on-chain ciphertext commitment (BLAKE2b-256).
//! * [`store`] — a content-addressed document store for envelopes (CIDv1, raw, sha2-256), with a
//!   local-directory backend.
//! * [`fhir`] — FHIR R5 JSON resources and Bundles: validation against the typed R5 model,
//!   resource type, canonical JSON.
//! * [`chain`] — a typed subxt client of a MedChain node (generated from the committed runtime
//!   metadata), with bounded waits and named refusals.
//! * [`proof`], [`verified`] — the node's answers checked against the chain's own evidence:
//!   storage proofs against the state root of a header the client proves final (GRANDPA
//!   justifications, authority sets followed from a trusted checkpoint).
//! * [`identity`] — accounts (sr25519), encryption key pairs (X25519) and class keys in key
//!   files; the patient cards of the patients an organisation treats.
//! * [`classes`] — data classes and the per-patient salted tags the chain holds instead.
//! * [`council`] — motions of the council of health authorities (the registrar without sudo).
//! * [`recovery`] — social recovery of a patient's account after a lost key, and re-wrapping
//!   the patient's data keys for a new encryption key.
//! * [`directory`], [`records`], [`consent`], [`trials`] — each workflow as one function, used
//!   by the `medchain` command-line tool and by Rust programs alike.
//! * [`prescriptions`] — a prescription's patient copy (its one-time key and salts), the choice
//!   code a patient shows a pharmacy, and the labels of medicine batches: the ids and
//!   commitments `pallet-prescriptions` takes.
//! * [`error`] — one error type wrapping those of the modules.
//!
//! No health data leaves the client in clear: the chain sees the ciphertext commitment, the CID
//! and the wrapped keys; the document store sees only envelopes. The byte formats, which other
//! implementations must reproduce exactly, are specified in each module's documentation.
//!
//! Writing a record, in outline:
//!
//! ```
//! use medchain_client::{crypto, fhir::FhirDocument, store::{DocumentStore, MemoryStore}};
//!
//! # fn main() -> Result<(), medchain_client::Error> {
//! let json = br#"{"resourceType":"Observation","status":"final",
//!                 "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
//!                 "valueQuantity":{"value":72,"unit":"beats/minute"}}"#;
//! let document = FhirDocument::parse(json)?;
//! // Bound to the chain (its genesis hash) and the patient (their account).
//! let (genesis, patient_account) = ([0x6e; 32], [0xa1; 32]);
//! let aad = crypto::record_aad(&genesis, &patient_account);
//! let (key, envelope) = crypto::seal_record(&document.to_json_bytes()?, &aad)?;
//!
//! let patient = crypto::EncryptionKeyPair::generate()?;
//! // The data key, wrapped for the patient in the record's context: chain, patient, record
//! // origin (its first version's commitment) and recipient account.
//! let origin = crypto::commitment(&envelope);
//! let context = crypto::wrap_aad(&genesis, &patient_account, &origin, &patient_account);
//! let wrapped = crypto::wrap_key(&key, &patient.public_key(), &context)?;
//! let store = MemoryStore::new();
//! let cid = store.put(&envelope)?;
//! let commitment = crypto::commitment(&envelope);
//! // The chain gets `cid.to_bytes()`, `commitment` and `wrapped.to_vec()`.
//!
//! // Reading it back, as the patient:
//! let envelope = store.get(&cid)?;
//! assert_eq!(crypto::commitment(&envelope), commitment);
//! let key = crypto::unwrap_key(&wrapped, &patient, &context)?;
//! let plaintext = crypto::open_record(&key, &envelope, &aad)?;
//! assert_eq!(FhirDocument::parse(&plaintext)?, document);
//! # Ok(())
//! # }
//! ```

pub mod account;
pub mod batch;
pub mod chain;
pub mod claims;
pub mod classes;
pub mod consent;
pub mod council;
pub mod crypto;
pub mod custody;
pub mod directory;
pub mod error;
pub mod fhir;
pub mod fsutil;
pub mod gateway;
pub mod identity;
pub mod money;
pub mod passphrase;
pub mod prescriptions;
pub mod proof;
pub mod records;
pub mod recovery;
pub mod rewards;
pub mod signed_request;
pub mod store;
pub mod trials;
pub mod verified;

pub use error::Error;
