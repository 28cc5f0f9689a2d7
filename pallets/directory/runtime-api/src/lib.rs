//! # Directory runtime API
//!
//! The questions clients ask `pallet-directory` through the runtime (never by reading its
//! storage): what the chain knows of an account (patient, practitioner and standing, the
//! encryption key data keys are wrapped for).
//!
//! The types that cross to clients live here, so that a client, the node and the runtime need
//! only this small crate; the pallet depends on it and re-exports them. So does the message a
//! patient signs to register without funds ([`registration_message`]), which the pallet checks
//! and clients sign: one definition for both.
//!
//! Nothing here is health data: pseudonymous accounts and ids, organisation ids, role codes and
//! public keys.

#![cfg_attr(not(feature = "std"), no_std)]
// On-chain code never panics: no unchecked arithmetic, indexing, unwrap/expect, panics or
// truncating casts outside tests (scripts/lint.sh fails on any).
#![cfg_attr(
	not(test),
	warn(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::panic,
		clippy::cast_possible_truncation
	)
)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Codec, Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::{EncryptionPublicKey, OrganisationId, PractitionerRole};
use polkadot_sdk::sp_runtime::traits::NumberFor;
use scale_info::TypeInfo;

/// A patient's pseudonymous id: 32 bytes chosen by the patient's client (for example a keyed hash
/// of a local identifier), unique across patients. It must not be derivable from a national id
/// or any other identifier without a secret.
pub type PatientPseudonym = [u8; 32];

/// A practitioner's standing with their organisation.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Standing {
	/// Neither suspended nor revoked.
	Good,
	/// Suspended by the admin; can be reinstated.
	Suspended,
	/// Revoked by the admin. Final for the organisation: its admin cannot reinstate, renew,
	/// change or detach the record, which stays as a trace until the practitioner leaves
	/// (`leave_organisation`); after that the account may accept another invitation.
	Revoked,
}

/// A registered patient.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Patient<BlockNumber> {
	/// The patient's pseudonymous id.
	pub pseudonym: PatientPseudonym,
	/// The current X25519 public key data keys are wrapped for.
	pub encryption_key: EncryptionPublicKey,
	/// How many times the key was rotated since registration.
	pub key_rotations: u32,
	/// The block in which the current key was set.
	pub key_set_at: BlockNumber,
	/// The block in which the patient registered.
	pub registered_at: BlockNumber,
}

/// A practitioner as clients see them: where, as what, and whether they may act now.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct PractitionerSummary<BlockNumber> {
	/// The organisation the practitioner is attached to.
	pub organisation: OrganisationId,
	/// Their role there.
	pub role: PractitionerRole,
	/// Suspended, revoked or in good standing.
	pub standing: Standing,
	/// Whether they may use their role's powers now: licence valid at the current time, good
	/// standing, organisation active.
	pub active: bool,
	/// The block in which they were attached.
	pub attached_at: BlockNumber,
}

/// What the directory knows of an account.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct AccountSummary<BlockNumber> {
	/// The account as a registered patient.
	pub patient: Option<Patient<BlockNumber>>,
	/// The account as a practitioner.
	pub practitioner: Option<PractitionerSummary<BlockNumber>>,
	/// The public key data keys are wrapped for: the patient's, else the practitioner's.
	pub encryption_key: Option<EncryptionPublicKey>,
}

/// What a registration message starts with.
pub const REGISTRATION_DOMAIN: &[u8] = b"medchain/register-patient/v1";

/// The message a patient signs to register without funds: the ASCII bytes
/// [`REGISTRATION_DOMAIN`], then the chain's genesis hash (32 bytes), the pseudonym and the
/// encryption key (32 bytes each), so that a signature made for one chain or one key is worth
/// nothing elsewhere.
pub fn registration_message(
	genesis: &[u8],
	pseudonym: &PatientPseudonym,
	encryption_key: &EncryptionPublicKey,
) -> Vec<u8> {
	[REGISTRATION_DOMAIN, genesis, pseudonym, encryption_key].concat()
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Queries on the directory of organisations, practitioners and patients.
	pub trait DirectoryApi<AccountId> where AccountId: Codec {
		/// What the directory knows of `who` (all `None` for an account it does not know).
		fn account(who: AccountId) -> AccountSummary<NumberFor<Block>>;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_registration_message_is_its_parts_in_order() {
		let message = registration_message(&[1; 32], &[2; 32], &[3; 32]);
		assert_eq!(message.len(), 28 + 3 * 32);
		assert!(message.starts_with(b"medchain/register-patient/v1"));
		assert_eq!(&message[28..60], &[1; 32]);
		assert_eq!(&message[60..92], &[2; 32]);
		assert_eq!(&message[92..], &[3; 32]);
		// Another chain, pseudonym or key: another message.
		assert_ne!(message, registration_message(&[9; 32], &[2; 32], &[3; 32]));
		assert_ne!(message, registration_message(&[1; 32], &[2; 32], &[9; 32]));
		// The genesis hash as the chain encodes it (SCALE: its 32 bytes, no length).
		let genesis = polkadot_sdk::sp_core::H256([1; 32]);
		assert_eq!(registration_message(genesis.as_ref(), &[2; 32], &[3; 32]), message);
		assert_eq!(codec::Encode::encode(&genesis), [1; 32]);
	}
}
