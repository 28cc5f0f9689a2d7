//! The records this pallet stores. None of them holds health data: grants are pseudonymous
//! accounts, organisation ids, role, action, purpose and data-class codes, record ids and block
//! numbers; receipts and emergency accesses likewise, with a reason *code*.
//!
//! The types are defined in `pallet-consent-runtime-api` (the runtime API answers with them) and
//! re-exported here; the pallet stores them with bounded record lists.

pub use pallet_consent_runtime_api::{
	AccessReceipt, Actions, Classes, Effect, Emergency, EmergencyReason, EndReason, Ending, Grant,
	Grantee, LogEntry, Offer, OfferId, Provision, Purposes, Review, Reviewer,
};
