//! # MedChain primitives
//!
//! Types shared by the runtime, the pallets and the clients, and the traits through which
//! pallets ask one another questions. Pallets never read each other's storage: the runtime wires
//! one pallet's answer into another's `Config` through these traits.
//!
//! Nothing here is health data: organisation kinds and roles are codes; data classes are tags
//! salted per patient ([`ClassTag`]); accounts and patient handles are pseudonymous; keys are
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

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::sp_runtime::Weight;
use scale_info::TypeInfo;

/// Identifies an organisation registered in the directory (assigned sequentially).
pub type OrganisationId = u32;

/// A 32-byte commitment (hash) — of a ciphertext, of a salted plaintext, of a licence number.
pub type Commitment = [u8; 32];

/// An X25519 public key a patient publishes so that data keys can be wrapped (HPKE) for them.
pub type EncryptionPublicKey = [u8; 32];

/// Kinds of organisation in the directory.
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
#[cfg_attr(
	feature = "client",
	derive(scale_encode::EncodeAsType, scale_decode::DecodeAsType, serde::Serialize)
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum OrganisationKind {
	/// A hospital.
	Hospital,
	/// An outpatient clinic or practice.
	Clinic,
	/// A diagnostic laboratory.
	Laboratory,
	/// A pharmacy.
	Pharmacy,
	/// A health insurer or other payer.
	Insurer,
	/// A sponsor of clinical trials.
	TrialSponsor,
	/// A regulator or public-health authority.
	Regulator,
}

/// Professional roles a practitioner holds within an organisation.
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
#[cfg_attr(
	feature = "client",
	derive(scale_encode::EncodeAsType, scale_decode::DecodeAsType, serde::Serialize)
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum PractitionerRole {
	/// A licensed physician.
	Physician,
	/// A physician on an emergency rota (may open break-glass access).
	EmergencyPhysician,
	/// A nurse.
	Nurse,
	/// A pharmacist.
	Pharmacist,
	/// A laboratory technician.
	LabTechnician,
	/// A researcher.
	Researcher,
	/// A claims officer at a payer.
	ClaimsOfficer,
	/// A privacy officer (reviews emergency accesses).
	PrivacyOfficer,
}

impl PractitionerRole {
	/// Whether an organisation of `kind` may attach a practitioner with this role: clinical
	/// roles (physicians, emergency physicians, nurses) only at care providers (hospitals and
	/// clinics); pharmacists at pharmacies and hospitals; laboratory technicians at laboratories,
	/// hospitals and clinics; researchers at care providers, laboratories, trial sponsors and
	/// regulators; claims officers at payers and care providers; privacy officers anywhere.
	/// Break-glass access opens only to emergency physicians, so only a care provider can give
	/// it (security review H5).
	pub fn allowed_at(&self, kind: OrganisationKind) -> bool {
		use OrganisationKind::*;
		match self {
			Self::Physician | Self::EmergencyPhysician | Self::Nurse => {
				matches!(kind, Hospital | Clinic)
			},
			Self::Pharmacist => matches!(kind, Pharmacy | Hospital),
			Self::LabTechnician => matches!(kind, Laboratory | Hospital | Clinic),
			Self::Researcher => {
				matches!(kind, Hospital | Clinic | Laboratory | TrialSponsor | Regulator)
			},
			Self::ClaimsOfficer => matches!(kind, Insurer | Hospital | Clinic),
			Self::PrivacyOfficer => true,
		}
	}
}

/// A data class as the chain sees it: a tag salted per patient (security review H3).
///
/// Consent is scoped by classes of data (general, mental health, sexual health, genetic,
/// substance use: some carry stricter legal protection, so patients grant them separately), but
/// the chain never learns which class a record, a grant or a receipt is about. A client computes
/// the tag as a keyed hash of the class code under the patient's class key, a secret the patient
/// holds and hands only to the organisations that treat them (`medchain keys card`). The same
/// class gives the same tag for one patient, so the chain can still compare a record's tag with
/// a grant's; a public reader without the key cannot tell which class a tag stands for, and the
/// same class of two patients gives two unrelated tags.
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
pub struct ClassTag(pub [u8; 32]);

/// What the directory knows of an active practitioner.
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
pub struct ActivePractitioner {
	/// The organisation the practitioner acts for.
	pub organisation: OrganisationId,
	/// The practitioner's role there.
	pub role: PractitionerRole,
}

/// Questions other pallets ask the directory.
pub trait DirectoryInspect<AccountId> {
	/// `who`'s organisation and role if `who` is a practitioner whose licence is valid now (not
	/// expired, not yet valid, suspended or revoked) in an organisation that is active.
	fn active_practitioner(who: &AccountId) -> Option<ActivePractitioner>;
	/// `who`'s organisation and role if `who` is attached to an organisation at all, whatever
	/// the standing of their licence or the state of the organisation. Denials name roles, and
	/// a suspended practitioner is still the person a denial of their role was meant for.
	fn practitioner_membership(who: &AccountId) -> Option<ActivePractitioner>;
	/// Whether `who` is the admin of organisation `organisation`.
	fn is_organisation_admin(who: &AccountId, organisation: OrganisationId) -> bool;
	/// The admin of organisation `organisation` while it is active: whom payments to the
	/// organisation go to.
	fn organisation_admin(organisation: OrganisationId) -> Option<AccountId>;
	/// Whether `who` is a registered patient.
	fn is_patient(who: &AccountId) -> bool;
	/// The patient's current X25519 encryption key, if they are registered.
	fn patient_encryption_key(patient: &AccountId) -> Option<EncryptionPublicKey>;
	/// The organisation whose custodian gateway `who` is, while that organisation is active.
	fn gateway_organisation(who: &AccountId) -> Option<OrganisationId>;
}

/// The consent question pallet-medical-records asks before a practitioner writes a record.
pub trait ConsentVerifier<AccountId> {
	/// Whether `author`, acting for `organisation`, may write data of `class` about `patient`.
	fn may_write(
		patient: &AccountId,
		author: &AccountId,
		organisation: OrganisationId,
		class: ClassTag,
	) -> bool;
}

/// Identifies a record anchor (pallet-medical-records assigns them sequentially from 0).
pub type RecordId = u64;

/// What pallet-consent asks pallet-medical-records about a record (implemented by
/// pallet-medical-records): the chain, not the caller, says whose a record is and what it holds.
pub trait RecordsInspect<AccountId> {
	/// The subject (patient) and data class of record `record`, if it exists and is not erased.
	fn record_scope(record: RecordId) -> Option<(AccountId, ClassTag)>;
	/// The organisation holding record `record` (its custodian), if the record exists, is not
	/// erased and was anchored by a practitioner (a self-reported record has none).
	fn record_custodian(record: RecordId) -> Option<OrganisationId>;
}

/// What the directory asks pallet-medical-records before a patient deregisters (security
/// review L2): a patient leaves only once no record names them but erased ones.
pub trait PatientRecordsInspect<AccountId> {
	/// How many records name `patient` as their subject and are not erased.
	fn live_records(patient: &AccountId) -> u32;
}

/// No records (for runtimes and tests without pallet-medical-records).
impl<AccountId> PatientRecordsInspect<AccountId> for () {
	fn live_records(_patient: &AccountId) -> u32 {
		0
	}
}

/// What the directory asks pallet-consent before a patient deregisters (security review L2):
/// a patient leaves only once none of their grants is in force or still to begin, so nobody
/// holds permission over an account that is no longer a patient's.
pub trait PatientGrantsInspect<AccountId> {
	/// How many of `patient`'s grants are neither ended nor expired now (in force, or still to
	/// begin).
	fn grants_in_force(patient: &AccountId) -> u32;
}

/// No grants (for runtimes and tests without pallet-consent).
impl<AccountId> PatientGrantsInspect<AccountId> for () {
	fn grants_in_force(_patient: &AccountId) -> u32 {
		0
	}
}

/// Identifies a consent grant (pallet-consent assigns them sequentially from 0).
pub type GrantId = u64;

/// What ends with a consent grant the patient revokes (implemented by pallet-medical-records:
/// the data keys the grant delivered are removed, security review H2). Pallet-consent calls it
/// in the same call, so a revocation and the end of what it permitted are one atomic step.
pub trait OnGrantRevoked {
	/// Grant `grant` was revoked; returns the weight the consequences used.
	fn on_grant_revoked(grant: GrantId) -> Weight;
	/// The most weight [`OnGrantRevoked::on_grant_revoked`] can use (charged before the call,
	/// the difference refunded).
	fn max_weight() -> Weight;
}

/// Nothing ends with a grant (for runtimes and tests without records).
impl OnGrantRevoked for () {
	fn on_grant_revoked(_grant: GrantId) -> Weight {
		Weight::zero()
	}
	fn max_weight() -> Weight {
		Weight::zero()
	}
}

/// Identifies an emergency (break-glass) access (pallet-consent assigns them sequentially).
pub type EmergencyId = u64;

/// Why data is accessed: a subset of the FHIR `v3-PurposeOfUse` value set
/// (<http://terminology.hl7.org/CodeSystem/v3-ActReason>). Consent grants name the purposes they
/// allow; every access names its purpose.
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
#[cfg_attr(
	feature = "client",
	derive(scale_encode::EncodeAsType, scale_decode::DecodeAsType, serde::Serialize)
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum PurposeOfUse {
	/// `TREAT`: care of the patient.
	Treatment,
	/// `ETREAT`: emergency care of the patient (the purpose of break-glass access).
	EmergencyTreatment,
	/// `HPAYMT`: payment and claims for the patient's care.
	Payment,
	/// `HOPERAT`: healthcare operations (quality, audit, administration).
	Operations,
	/// `HRESCH`: research.
	Research,
	/// `PUBHLTH`: public health (reporting, surveillance).
	PublicHealth,
}

impl PurposeOfUse {
	/// Every purpose of use.
	pub const ALL: [PurposeOfUse; 6] = [
		Self::Treatment,
		Self::EmergencyTreatment,
		Self::Payment,
		Self::Operations,
		Self::Research,
		Self::PublicHealth,
	];

	/// Whether the purpose is clinical care (`Treatment`, `EmergencyTreatment`): only a
	/// practitioner with a valid licence in an active organisation may act for it.
	pub fn is_clinical(&self) -> bool {
		matches!(self, Self::Treatment | Self::EmergencyTreatment)
	}
}

/// What an actor does with data (the FHIR Consent `provision.action` codes MedChain uses).
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
#[cfg_attr(
	feature = "client",
	derive(scale_encode::EncodeAsType, scale_decode::DecodeAsType, serde::Serialize)
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum ConsentAction {
	/// Read (decrypt) existing data.
	Read,
	/// Write new data or amend existing data.
	Write,
	/// Share data onward (wrap its key for another account).
	Share,
}

/// The data an access is about: a whole data class, or one record (with its class, so that
/// class-wide grants and denials apply to it too).
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
pub enum AccessTarget {
	/// Every record of a data class (including records not written yet).
	Class(ClassTag),
	/// One record, and the data class it belongs to.
	Record {
		/// The record's id.
		record: RecordId,
		/// The record's data class.
		class: ClassTag,
	},
}

impl AccessTarget {
	/// The data class of the target.
	pub fn class(&self) -> ClassTag {
		match self {
			Self::Class(class) | Self::Record { class, .. } => *class,
		}
	}
}

/// Why consent answered as it did.
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
pub enum DecisionReason {
	/// Permitted: the actor is the patient.
	Subject,
	/// Permitted: the actor holds an emergency (break-glass) access to the patient.
	Emergency {
		/// The emergency access.
		emergency: EmergencyId,
	},
	/// Permitted: a permit grant matched (its id is in [`Decision::grant`]).
	Granted,
	/// Denied: a deny grant matched (its id is in [`Decision::grant`]).
	Denied,
	/// Denied: a grant would have matched, but it needs an active practitioner (valid licence,
	/// active organisation) and the actor is not one.
	NotActivePractitioner,
	/// Denied: no grant matched.
	NoGrant,
}

/// Consent's answer to "may this actor do this action, for this purpose, on this data".
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
pub struct Decision {
	/// Whether the access is permitted.
	pub permitted: bool,
	/// The grant that decided it (a permit or a deny grant), if one did.
	pub grant: Option<GrantId>,
	/// Why.
	pub reason: DecisionReason,
}

/// The one consent evaluator every pallet asks (implemented by pallet-consent).
pub trait ConsentEvaluator<AccountId> {
	/// Whether `actor` may do `action`, for `purpose`, on `target` data of `patient`, now.
	fn evaluate_access(
		patient: &AccountId,
		actor: &AccountId,
		action: ConsentAction,
		purpose: PurposeOfUse,
		target: AccessTarget,
	) -> Decision;
}

/// A pallet's error as the transaction pool's refusal of a call it validates before dispatch
/// (an unsigned or authorized call): `InvalidTransaction::Custom` whose code is the error's
/// index in the pallet's `Error` (its first encoded byte), which the client names from the
/// metadata. An error that encodes to nothing (none does) is code 255.
pub fn invalid_transaction<E: Encode>(
	error: E,
) -> polkadot_sdk::sp_runtime::transaction_validity::TransactionValidityError {
	let code = error.encode().first().copied().unwrap_or(u8::MAX);
	polkadot_sdk::sp_runtime::transaction_validity::InvalidTransaction::Custom(code).into()
}

/// An account that no key controls, kept by a pallet for `id` (a payer's escrow, a reward
/// pool's funds): the BLAKE2-256 hash of the pallet's id, `purpose` and `id` as an account id.
/// A hash rather than the usual sub-account, so that it stays distinct per `id` whatever the
/// account id's length; an account type that cannot be decoded from 32 bytes gets the
/// pallet's (truncated) sub-account instead.
pub fn keyless_account<AccountId, P, Purpose, Id>(pallet: P, purpose: Purpose, id: Id) -> AccountId
where
	AccountId: Decode,
	P: Encode + polkadot_sdk::sp_runtime::traits::AccountIdConversion<AccountId>,
	Purpose: Encode,
	Id: Encode,
{
	use polkadot_sdk::sp_runtime::traits::{BlakeTwo256, Hash, TrailingZeroInput};
	let entropy = BlakeTwo256::hash_of(&(&pallet, purpose, &id));
	AccountId::decode(&mut TrailingZeroInput::new(entropy.as_ref()))
		.unwrap_or_else(|_| pallet.into_sub_account_truncating(id))
}
