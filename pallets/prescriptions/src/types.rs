//! The records this pallet stores. None of them is readable as care: a prescription is known by
//! an id its prescriber's client drew at random, and holds commitments (to the MedicationRequest,
//! to the schedule class of a controlled substance), counts, block numbers, the prescriber and
//! their organisation, and a one-time key of the patient's; it names no patient. A batch is known
//! by a commitment to its product code and batch number, and holds commitments to its product and
//! expiry. Which medicine a prescription is for, whose it is and how controlled it is are known
//! only to those who hold the documents.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::{Commitment, OrganisationId};
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

/// What the domain of a pharmacy choice's signature starts with: the patient's one-time key
/// signs `(CHOICE_DOMAIN, prescription, pharmacy, nonce)`, SCALE-encoded.
pub const CHOICE_DOMAIN: &[u8] = b"medchain/prescription-choice";

/// The message the patient's one-time key signs to choose `pharmacy` for `prescription`, the
/// `nonce`-th choice made for it (a signature is good for one choice only).
pub fn choice_message(
	prescription: &PrescriptionId,
	pharmacy: OrganisationId,
	nonce: u32,
) -> alloc::vec::Vec<u8> {
	(CHOICE_DOMAIN, prescription, pharmacy, nonce).encode()
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
