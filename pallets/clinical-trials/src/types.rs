//! The records this pallet stores. None of them holds health data: organisation ids, accounts
//! of sponsors' admins, investigators and randomisers, per-study pseudonyms, patients' research
//! keys, hashes of documents and datasets
//! kept off chain, codes, counts and block numbers.
//!
//! The types are defined in `pallet-clinical-trials-runtime-api` (the runtime API answers with
//! them) and re-exported here; the pallet stores them with bounded lists.

pub use pallet_clinical_trials_runtime_api::{
	ring_statement, AllocationSeed, Amendment, ConsentForm, DataAnchor, DataLock, DataSubject,
	Participant, ParticipantInfo, ParticipantStatus, Protocol, Pseudonym, ResearchKey, Results,
	RingIndex, RingProof, Termination, Trial, TrialId, TrialInfo, TrialStatus, RING_PROOF_LEN,
};

/// The fewest allocation arms a trial has.
pub const MIN_ARMS: u8 = 2;

/// The most allocation arms a trial has.
pub const MAX_ARMS: u8 = 16;
