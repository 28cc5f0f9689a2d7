//! # Prescriptions runtime API
//!
//! The questions clients ask `pallet-prescriptions` through the runtime: a prescription and its
//! dispenses, a batch and its custody, and the dispenses a recalled batch reached.
//!
//! The types that cross to clients live here, so that a client, the node and the runtime need
//! only this small crate; the pallet depends on it and re-exports them. So does the message a
//! patient's one-time key signs to choose a pharmacy ([`choice_message`]), which the pallet
//! checks and clients sign: one definition for both.
//!
//! None of it is readable as care: a prescription is known by an id its prescriber's client drew
//! at random, and holds commitments (to the MedicationRequest, to the schedule class of a
//! controlled substance), counts, block numbers, the prescriber and their organisation, and a
//! one-time key of the patient's; it names no patient. A batch is known by a commitment to its
//! product code and batch number, and holds commitments to its product and expiry.

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
use medchain_primitives::{Commitment, OrganisationId};
use polkadot_sdk::sp_runtime::traits::NumberFor;
use scale_info::TypeInfo;

/// Identifies a prescription: chosen by the prescriber's client as a hash over a fresh random
/// salt (the MedicationRequest names it), so it is unguessable and says nothing about the
/// patient or the medicine.
pub type PrescriptionId = [u8; 32];

/// Identifies a batch of a medicine: a commitment to its product code, batch number and the
/// manufacturer's salt (printed with the pack's serialisation code, not on chain), so a public
/// reader cannot tell which product it is.
pub type BatchId = [u8; 32];

/// A fill's number within its prescription, from 1.
pub type FillNumber = u8;

/// What a pharmacy choice message starts with.
pub const CHOICE_DOMAIN: &[u8] = b"medchain/prescription-choice/v1";

/// The message the patient's one-time key signs to choose `pharmacy` for `prescription` at the
/// `nonce`-th choice made for it: the ASCII bytes [`CHOICE_DOMAIN`], then the chain's genesis
/// hash (32 bytes), the prescription id (32 bytes), the pharmacy (`u32`, little-endian) and the
/// nonce (`u32`, little-endian). A signature is good for one chain, one prescription, one
/// pharmacy and one turn.
pub fn choice_message(
	genesis: &[u8],
	prescription: &PrescriptionId,
	pharmacy: OrganisationId,
	nonce: u32,
) -> Vec<u8> {
	[CHOICE_DOMAIN, genesis, prescription, &pharmacy.to_le_bytes(), &nonce.to_le_bytes()].concat()
}

/// Where a prescription stands.
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
pub enum PrescriptionStatus {
	/// Fills may still be dispensed (until it expires).
	Active,
	/// The prescriber (or their organisation's admin) cancelled it: nothing more is dispensed.
	Cancelled,
	/// Every fill it allows has been dispensed.
	Completed,
}

/// A fill a pharmacy has reserved and is dispensing: no other pharmacy may take it meanwhile.
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
pub struct PendingFill<AccountId, BlockNumber> {
	/// The pharmacy dispensing it.
	pub pharmacy: OrganisationId,
	/// The pharmacist who reserved it.
	pub pharmacist: AccountId,
	/// When it was reserved.
	pub since: BlockNumber,
	/// How many parts of it have been dispensed (a partial fill), none at first.
	pub parts: u8,
}

/// A prescription as the chain keeps it: what dispensing needs, nothing readable as care.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Prescription<AccountId, BlockNumber> {
	/// The physician who issued it.
	pub prescriber: AccountId,
	/// The organisation they issued it for.
	pub organisation: OrganisationId,
	/// Commitment to the MedicationRequest (a salted hash of the document): a pharmacist holding
	/// the document checks it against this.
	pub request: Commitment,
	/// Salted commitment to the controlled-substance schedule class (a fixed code for "none"):
	/// the pharmacist checks the class the document states; a public reader learns nothing.
	pub schedule: Commitment,
	/// The patient's one-time key for this prescription (its secret is in the patient's copy):
	/// its signature chooses the pharmacy. It is no account of the patient's.
	pub counter_key: AccountId,
	/// How many fills it allows.
	pub fills_allowed: FillNumber,
	/// How many fills have been dispensed in full.
	pub fills_dispensed: FillNumber,
	/// When it was issued.
	pub issued_at: BlockNumber,
	/// The last block in which it may be dispensed.
	pub valid_until: BlockNumber,
	/// The pharmacy the patient chose last, if any.
	pub pharmacy: Option<OrganisationId>,
	/// How many choices have been made (the next choice's signature names this number).
	pub choices: u32,
	/// The fill being dispensed, if one is.
	pub pending: Option<PendingFill<AccountId, BlockNumber>>,
	/// How many dispenses are recorded for it (entries in `Dispenses`).
	pub dispenses: u16,
	/// Where it stands.
	pub status: PrescriptionStatus,
}

/// One dispense: a fill, or a part of one, handed over.
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
pub struct Dispense<AccountId, BlockNumber> {
	/// The fill it belongs to (from 1).
	pub fill: FillNumber,
	/// Its part of that fill (from 1).
	pub part: u8,
	/// Whether it completed the fill.
	pub completes_fill: bool,
	/// The pharmacy that dispensed it.
	pub pharmacy: OrganisationId,
	/// The pharmacist who dispensed it.
	pub pharmacist: AccountId,
	/// The batch it came from.
	pub batch: BatchId,
	/// Commitment to the MedicationDispense document.
	pub dispense: Commitment,
	/// When.
	pub at: BlockNumber,
}

/// What a licensed supplier of medicines is.
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
pub enum SupplierKind {
	/// Makes medicines: registers batches and recalls them.
	Manufacturer,
	/// Distributes them: receives batches and ships them on.
	Wholesaler,
}

/// Who holds (part of) a batch.
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
	PartialOrd,
	Ord,
	Debug,
)]
pub enum Holder<AccountId> {
	/// A licensed supplier (manufacturer or wholesaler), by account.
	Supplier(AccountId),
	/// A pharmacy, by organisation: any of its active pharmacists acts for it.
	Pharmacy(OrganisationId),
}

/// A custody step: from whom a holder received a batch, and when.
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
pub struct CustodyStep<AccountId, BlockNumber> {
	/// Who shipped it (`None` for the manufacturer, who made it).
	pub from: Option<Holder<AccountId>>,
	/// When it was received (or registered).
	pub at: BlockNumber,
}

/// A holder of a batch and the custody step by which it received it.
pub type CustodyEntry<AccountId, BlockNumber> =
	(Holder<AccountId>, CustodyStep<AccountId, BlockNumber>);

/// A recall: when, and a commitment to the notice (the reason, kept by the manufacturer).
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
pub struct Recall<BlockNumber> {
	/// When it was recalled.
	pub at: BlockNumber,
	/// Commitment to the recall notice.
	pub notice: Commitment,
}

/// A batch of a medicine.
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
pub struct Batch<AccountId, BlockNumber> {
	/// The manufacturer that registered it.
	pub manufacturer: AccountId,
	/// Commitment to the product (its code, salted).
	pub product: Commitment,
	/// Commitment to its expiry date (salted): checked against the pack by the pharmacist.
	pub expiry: Commitment,
	/// When it was registered.
	pub registered_at: BlockNumber,
	/// How many holders it has had (entries in `Custody`), the manufacturer included.
	pub holders: u32,
	/// How many dispenses named it (entries in `BatchDispenses`).
	pub dispenses: u32,
	/// Its recall, if it was recalled.
	pub recall: Option<Recall<BlockNumber>>,
}

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Queries on prescriptions and medicine batches.
	pub trait PrescriptionsApi<AccountId> where AccountId: Codec {
		/// The prescription `id`, if it exists.
		fn prescription(id: PrescriptionId) -> Option<Prescription<AccountId, NumberFor<Block>>>;
		/// The dispenses of prescription `id`, in the order they happened.
		fn dispenses(id: PrescriptionId) -> Vec<Dispense<AccountId, NumberFor<Block>>>;
		/// The batch `id`, if it exists.
		fn batch(id: BatchId) -> Option<Batch<AccountId, NumberFor<Block>>>;
		/// Who holds batch `id`, each with the custody step by which they received it, from the
		/// `start`-th on, at most `limit` of them (at most the runtime's page size).
		fn custody(id: BatchId, start: u32, limit: u32)
			-> Vec<CustodyEntry<AccountId, NumberFor<Block>>>;
		/// The dispenses that named batch `id`, as (prescription, dispense index), from the
		/// `start`-th on, at most `limit` of them (at most the runtime's page size): what a
		/// recall traces.
		fn dispenses_of_batch(id: BatchId, start: u32, limit: u32) -> Vec<(PrescriptionId, u16)>;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_choice_message_is_its_parts_in_order() {
		let message = choice_message(&[1; 32], &[2; 32], 5, 7);
		assert_eq!(message.len(), CHOICE_DOMAIN.len() + 32 + 32 + 4 + 4);
		assert!(message.starts_with(b"medchain/prescription-choice/v1"));
		let rest = &message[CHOICE_DOMAIN.len()..];
		assert_eq!(&rest[..32], &[1; 32]);
		assert_eq!(&rest[32..64], &[2; 32]);
		assert_eq!(&rest[64..68], &5u32.to_le_bytes());
		assert_eq!(&rest[68..], &7u32.to_le_bytes());
		// Another chain, prescription, pharmacy or turn: another message.
		assert_ne!(message, choice_message(&[9; 32], &[2; 32], 5, 7));
		assert_ne!(message, choice_message(&[1; 32], &[9; 32], 5, 7));
		assert_ne!(message, choice_message(&[1; 32], &[2; 32], 6, 7));
		assert_ne!(message, choice_message(&[1; 32], &[2; 32], 5, 8));
		// The integers as the chain encodes them (SCALE: little-endian).
		assert_eq!(codec::Encode::encode(&5u32), 5u32.to_le_bytes());
	}
}
