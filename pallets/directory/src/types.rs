//! The records the directory stores. None of them holds health data: organisations are public
//! entities, a practitioner's licence number is kept only as a commitment, and a patient is known
//! by an account, a pseudonym chosen by their client and a public encryption key.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use medchain_primitives::{
	Commitment, EncryptionPublicKey, OrganisationId, OrganisationKind, PractitionerRole,
};
use scale_info::TypeInfo;

// What crosses to clients (the runtime API's answers) is defined in the API crate.
pub use pallet_directory_runtime_api::{Patient, PatientPseudonym, Standing};

/// An organisation in the directory.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Organisation<AccountId, Name, BlockNumber> {
	/// What kind of organisation it is.
	pub kind: OrganisationKind,
	/// Its public display name or registry code (unique across organisations).
	pub name: Name,
	/// The account that attaches and manages the organisation's practitioners.
	pub admin: AccountId,
	/// Whether the organisation is active. The practitioners of a deactivated organisation are
	/// not active and its admin cannot attach, reinstate or renew anyone.
	pub active: bool,
	/// How many practitioners are attached (revoked ones included).
	pub practitioners: u32,
	/// The block in which it was registered.
	pub registered_at: BlockNumber,
}

/// A practitioner's professional licence as the organisation's admin recorded it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Licence<Authority> {
	/// The issuing authority (a public code such as a medical council's identifier). Not empty.
	pub authority: Authority,
	/// A commitment (salted hash) of the licence number; the number itself is never stored.
	/// Not all zeros.
	pub licence_id: Commitment,
	/// First second (Unix time) at which the licence is valid.
	pub valid_from: u64,
	/// First second (Unix time) at which the licence is no longer valid; after `valid_from`.
	pub valid_until: u64,
}

/// A practitioner attached to an organisation.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Practitioner<Authority, BlockNumber> {
	/// The organisation the practitioner is attached to (one per account).
	pub organisation: OrganisationId,
	/// The practitioner's role there.
	pub role: PractitionerRole,
	/// The practitioner's licence.
	pub licence: Licence<Authority>,
	/// Suspended, revoked or in good standing.
	pub standing: Standing,
	/// The block in which the practitioner was attached.
	pub attached_at: BlockNumber,
}

/// An organisation's offer to make an account one of its practitioners, waiting for the
/// account's answer: nobody becomes a practitioner without accepting.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Invitation<Authority, BlockNumber> {
	/// The role offered.
	pub role: PractitionerRole,
	/// The licence the admin recorded.
	pub licence: Licence<Authority>,
	/// The block in which the admin made the invitation.
	pub invited_at: BlockNumber,
	/// The first block at which it can no longer be accepted (and anyone may remove it).
	pub expires_at: BlockNumber,
}

/// A key a patient used before the current one (kept so that clients can tell which key an
/// old wrapped data key was made for).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct RetiredKey<BlockNumber> {
	/// The retired X25519 public key.
	pub key: EncryptionPublicKey,
	/// The block in which it was set.
	pub set_at: BlockNumber,
	/// The block in which it was replaced.
	pub retired_at: BlockNumber,
}

/// An organisation's custodian gateway: the service that holds the organisation's records
/// (ciphertext only) and releases them under consent. Public, like the organisation itself.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct Gateway<AccountId, Endpoint, BlockNumber> {
	/// The account the gateway signs with: the audience of the requests clients sign for it,
	/// and the signer of the access receipts it writes. Serves one organisation only.
	pub account: AccountId,
	/// Its base URL (`https://…` or `http://…`, printable ASCII without spaces).
	pub endpoint: Endpoint,
	/// The X25519 public key a record's data key is wrapped for when the record is deposited
	/// with the gateway. Not all zeros.
	pub encryption_key: EncryptionPublicKey,
	/// The block in which the organisation's admin published this entry.
	pub set_at: BlockNumber,
}

/// Whether `endpoint` is a base URL a client can reach a gateway at: `https://` or `http://`
/// followed by at least one printable ASCII character, with no spaces or control characters
/// anywhere. The chain does not resolve it; the client checks it again when it connects.
pub fn valid_endpoint(endpoint: &[u8]) -> bool {
	let rest = endpoint
		.strip_prefix(b"https://".as_slice())
		.or_else(|| endpoint.strip_prefix(b"http://".as_slice()));
	match rest {
		Some(rest) => !rest.is_empty() && endpoint.iter().all(|b| (0x21..=0x7e).contains(b)),
		None => false,
	}
}
