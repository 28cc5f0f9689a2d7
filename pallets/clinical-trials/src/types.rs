//! The records this pallet stores. None of them holds health data: organisation ids, accounts
//! of sponsors' admins and investigators, per-study pseudonyms, hashes of documents and datasets
//! kept off chain, codes, counts and block numbers.
//!
//! The types are defined in `pallet-clinical-trials-runtime-api` (the runtime API answers with
//! them) and re-exported here; the pallet stores them with bounded lists.

pub use pallet_clinical_trials_runtime_api::{
	AllocationSeed, Amendment, ConsentForm, DataAnchor, DataLock, DataSubject, Participant,
	ParticipantInfo, ParticipantStatus, Protocol, Pseudonym, Results, Termination, Trial, TrialId,
	TrialInfo, TrialStatus,
};

/// The domain separator of per-study pseudonyms.
pub const PSEUDONYM_DOMAIN: &[u8] = b"medchain/trial-pseudonym";

/// The fewest allocation arms a trial has.
pub const MIN_ARMS: u8 = 2;

/// The most allocation arms a trial has.
pub const MAX_ARMS: u8 = 16;
