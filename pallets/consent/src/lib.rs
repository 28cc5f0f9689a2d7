#![doc = include_str!("../README.md")]
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

#[cfg(feature = "runtime-benchmarks")]
// Benchmarks run off chain against a state they build, on a test's terms.
#[allow(
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::cast_possible_truncation
)]
mod benchmarking;
mod impls;
pub mod migrations;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use medchain_primitives::{
	AccessTarget, ActivePractitioner, ClassTag, ConsentAction, ConsentEvaluator, ConsentVerifier,
	Decision, DecisionReason, DirectoryInspect, EmergencyId, GrantId, OnGrantRevoked,
	OrganisationId, PatientGrantsInspect, PractitionerRole, PurposeOfUse, RecordId, RecordsInspect,
};
use polkadot_sdk::*;

/// Sets up, for the benchmarks, the accounts the directory must know.
///
/// The runtime implements it with the directory's calls; the unit-test mock with its
/// test-controlled directory.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers `patient` as a patient.
	fn register_patient(patient: &AccountId) -> sp_runtime::DispatchResult;

	/// Registers an active hospital administered by `admin` and attaches `practitioner` to it
	/// with `role` and a licence valid now and from then on. Returns the organisation's id.
	fn setup_organisation(
		admin: &AccountId,
		practitioner: &AccountId,
		role: PractitionerRole,
	) -> Result<OrganisationId, sp_runtime::DispatchError>;

	/// Attaches `practitioner` with `role` to `organisation` (set up by
	/// [`BenchmarkHelper::setup_organisation`] with `admin`), with a licence valid now.
	fn add_practitioner(
		admin: &AccountId,
		organisation: OrganisationId,
		practitioner: &AccountId,
		role: PractitionerRole,
	) -> sp_runtime::DispatchResult;

	/// Anchors a record of `class` about `patient` (registered already); returns its id.
	fn anchor_record(
		patient: &AccountId,
		class: ClassTag,
	) -> Result<RecordId, sp_runtime::DispatchError>;

	/// Makes `gateway` the custodian gateway of `organisation` (set up by
	/// [`BenchmarkHelper::setup_organisation`] with `admin`).
	fn set_gateway(
		admin: &AccountId,
		organisation: OrganisationId,
		gateway: &AccountId,
	) -> sp_runtime::DispatchResult;
}

/// How a grant's grantee relates to the actor of an access.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum GranteeMatch {
	/// The grant applies to the actor.
	Yes,
	/// The grant would apply, but only to an active practitioner, and the actor is not one.
	NeedsActivePractitioner,
	/// The grant is for someone else.
	No,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{CheckedAdd, StaticLookup};

	/// The storage version of this pallet.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// An account as a call names it (through the runtime's `Lookup`).
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;
	/// The specific records of a provision, bounded by [`Config::MaxScopeRecords`].
	pub type ScopeRecordsOf<T> = BoundedVec<RecordId, <T as Config>::MaxScopeRecords>;
	/// A provision as calls take it and this runtime stores it.
	pub type ProvisionOf<T> = Provision<ScopeRecordsOf<T>>;
	/// A grantee in this runtime.
	pub type GranteeOf<T> = Grantee<<T as frame_system::Config>::AccountId>;
	/// A grant as this runtime stores it.
	pub type GrantOf<T> =
		Grant<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, ScopeRecordsOf<T>>;
	/// A grant as the runtime API lists it.
	pub type GrantSummaryOf<T> =
		Grant<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, Vec<RecordId>>;
	/// A patient's grants, oldest first, ended ones included.
	pub type GrantsOf<T> = BoundedVec<GrantOf<T>, <T as Config>::MaxGrantsPerPatient>;
	/// What the decision index keeps of a grant for one of its data classes.
	pub type IndexedGrantOf<T> = IndexedGrant<BlockNumberFor<T>>;
	/// The grants a patient made to one grantee that concern one data class, oldest first.
	pub type IndexedGrantsOf<T> = BoundedVec<IndexedGrantOf<T>, <T as Config>::MaxGrantsPerGrantee>;
	/// The data classes a grant is indexed under.
	pub type GrantClassesOf<T> = BoundedVec<ClassTag, IndexedClassesBound<T>>;
	/// An emergency access as this runtime stores it.
	pub type EmergencyOf<T> = Emergency<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A patient's emergency accesses, oldest first.
	pub type EmergenciesOf<T> = BoundedVec<EmergencyOf<T>, <T as Config>::MaxEmergenciesPerPatient>;
	/// An offer as this runtime stores it.
	pub type OfferOf<T> =
		Offer<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, ScopeRecordsOf<T>>;
	/// An offer as the runtime API lists it.
	pub type OfferSummaryOf<T> =
		Offer<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, Vec<RecordId>>;
	/// The ids of the offers waiting for a patient's answer, oldest first.
	pub type PatientOffersOf<T> = BoundedVec<OfferId, <T as Config>::MaxOffersPerPatient>;
	/// An access receipt as this runtime stores it.
	pub type ReceiptOf<T> =
		AccessReceipt<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The consent pallet's configuration.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who the patients, practitioners and organisation admins are (the directory).
		type Directory: DirectoryInspect<Self::AccountId>;

		/// Whose a record is and what class of data it holds (the records pallet): a receipt's
		/// target and a record-level denial are checked against it, never taken from a caller.
		type Records: RecordsInspect<Self::AccountId>;

		/// What ends with a grant the patient revokes (the records pallet: the data keys the
		/// grant delivered, security review H2), in the same call.
		type OnGrantRevoked: OnGrantRevoked;

		/// The origin that reviews emergency accesses besides the privacy officers of the
		/// organisation each was opened for (a privacy committee; root in the runtime until
		/// governance replaces it).
		type ReviewOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// How many grants a patient's list holds, ended ones not yet archived included. When it
		/// is full, its ended grants move to the archive ([`PastGrants`]); only grants in force
		/// count against it for good. At least 1.
		#[pallet::constant]
		type MaxGrantsPerPatient: Get<u32>;

		/// How many specific records one provision may name.
		#[pallet::constant]
		type MaxScopeRecords: Get<u32>;

		/// How many grants a patient may have made to one grantee that concern one data class
		/// and may still be in force (the decision index's bound: a consent question reads at
		/// most this many grants per grantee it could concern). At least 1.
		#[pallet::constant]
		type MaxGrantsPerGrantee: Get<u32>;

		/// How many emergency accesses may be in force for one patient at once (expired ones
		/// and those ended by review are archived, never dropped). At least 1.
		#[pallet::constant]
		type MaxEmergenciesPerPatient: Get<u32>;

		/// How many blocks an emergency access lasts. At least 1.
		#[pallet::constant]
		type EmergencyDuration: Get<BlockNumberFor<Self>>;

		/// How many blocks after opening an emergency access its review is due. At least 1.
		#[pallet::constant]
		type ReviewDeadline: Get<BlockNumberFor<Self>>;

		/// How many offers may wait for one patient's answer. At least 1.
		#[pallet::constant]
		type MaxOffersPerPatient: Get<u32>;

		/// How many offers one proposer may have waiting, over all patients (security review
		/// M3: nobody fills patients' lists or the chain's state with offers). At least 1.
		#[pallet::constant]
		type MaxOffersPerProposer: Get<u32>;

		/// How many blocks an offer can be accepted for. At least 1.
		#[pallet::constant]
		type OfferLifetime: Get<BlockNumberFor<Self>>;

		/// The most entries one page of a listing returns. At least 1.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// Weights of this pallet's calls and of [`Pallet::evaluate_access`].
		type WeightInfo: WeightInfo;

		/// Sets up patients, organisations and practitioners for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The id the next grant receives (ids are sequential and never reused).
	#[pallet::storage]
	pub type NextGrantId<T> = StorageValue<_, GrantId, ValueQuery>;

	/// Each patient's grants, oldest (lowest id) first: those in force and the ended ones not
	/// yet archived. Absent for a patient without such grants.
	#[pallet::storage]
	pub type Grants<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, GrantsOf<T>, OptionQuery>;

	/// Index from a grant's id to the patient who made it (mirrors [`Grants`] and
	/// [`PastGrants`]).
	#[pallet::storage]
	pub type GrantOwner<T: Config> =
		StorageMap<_, Twox64Concat, GrantId, T::AccountId, OptionQuery>;

	/// Ended grants moved out of a patient's list to make room (security review M4): the
	/// history is kept for good, and a patient never runs out of grants.
	#[pallet::storage]
	pub type PastGrants<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		GrantId,
		GrantOf<T>,
		OptionQuery,
	>;

	/// The decision index: for each patient, grantee (an account or a role) and data class,
	/// what each of the patient's grants to that grantee says about that class (its class as a
	/// whole, or records of it), oldest first. A consent question reads only the entries of
	/// the grantees the actor could be and the class it asks about ([`Pallet::evaluate_access`]).
	/// A revoked grant keeps its entries with the block it ended; entries that can never be in
	/// force again are dropped when their list needs the room.
	#[pallet::storage]
	pub type GrantIndex<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Blake2_128Concat, GranteeOf<T>>,
			NMapKey<Blake2_128Concat, ClassTag>,
		),
		IndexedGrantsOf<T>,
		OptionQuery,
	>;

	/// The data classes each grant in a patient's list ([`Grants`]) is indexed under: its
	/// provision's classes and the classes of the records it names. Removed when the grant is
	/// archived.
	#[pallet::storage]
	pub type GrantClasses<T: Config> =
		StorageMap<_, Twox64Concat, GrantId, GrantClassesOf<T>, OptionQuery>;

	/// The id the next offer receives (sequential, never reused).
	#[pallet::storage]
	pub type NextOfferId<T> = StorageValue<_, OfferId, ValueQuery>;

	/// Offers waiting for their patient's answer, by id.
	#[pallet::storage]
	pub type Offers<T: Config> = StorageMap<_, Twox64Concat, OfferId, OfferOf<T>, OptionQuery>;

	/// Index of the offers waiting for each patient (mirrors [`Offers`]), oldest first.
	#[pallet::storage]
	pub type PatientOffers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PatientOffersOf<T>, OptionQuery>;

	/// How many offers each proposer has stored (waiting or expired but not yet removed), at
	/// most [`Config::MaxOffersPerProposer`]; absent for none.
	#[pallet::storage]
	pub type ProposerOffers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, OptionQuery>;

	/// Each patient's access log, by sequence number. Append-only: no receipt is ever
	/// overwritten or removed (security review H4).
	#[pallet::storage]
	pub type Receipts<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		u64,
		ReceiptOf<T>,
		OptionQuery,
	>;

	/// How many receipts each patient's log has ever had (the next receipt's `seq`); absent for
	/// none.
	#[pallet::storage]
	pub type ReceiptCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u64, ValueQuery>;

	/// The id the next emergency access receives (sequential, never reused).
	#[pallet::storage]
	pub type NextEmergencyId<T> = StorageValue<_, EmergencyId, ValueQuery>;

	/// Each patient's emergency accesses that may still be in force, oldest first (the others
	/// are in [`PastEmergencies`]). Absent for a patient without any.
	#[pallet::storage]
	pub type Emergencies<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EmergenciesOf<T>, OptionQuery>;

	/// Index from an emergency access's id to its patient (mirrors [`Emergencies`] and
	/// [`PastEmergencies`]).
	#[pallet::storage]
	pub type EmergencyPatient<T: Config> =
		StorageMap<_, Twox64Concat, EmergencyId, T::AccountId, OptionQuery>;

	/// Emergency accesses no longer in force (expired or ended by an unjustified review),
	/// moved out of their patient's list: kept for good, reviewed or not (security review H5).
	#[pallet::storage]
	pub type PastEmergencies<T: Config> =
		StorageMap<_, Twox64Concat, EmergencyId, EmergencyOf<T>, OptionQuery>;

	/// The emergency accesses not reviewed yet.
	#[pallet::storage]
	pub type UnreviewedEmergencies<T: Config> =
		StorageMap<_, Twox64Concat, EmergencyId, (), OptionQuery>;

	/// What happened to consent. No event carries a data class, a record id or any content.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A patient made a grant.
		ConsentGranted {
			/// The new grant's id.
			grant: GrantId,
			/// The patient.
			patient: T::AccountId,
			/// Whom it is for.
			grantee: GranteeOf<T>,
			/// Permit or deny.
			effect: Effect,
		},
		/// A patient revoked a grant; it is no longer in force from this block.
		ConsentRevoked {
			/// The grant.
			grant: GrantId,
			/// The patient.
			patient: T::AccountId,
		},
		/// A grant's validity period had ended; its end is now recorded in its history.
		ConsentExpired {
			/// The grant.
			grant: GrantId,
			/// The patient.
			patient: T::AccountId,
			/// The first block in which it was no longer in force (its `valid_until`).
			at: BlockNumberFor<T>,
		},
		/// A researcher or payer proposed a grant to a patient.
		OfferProposed {
			/// The offer.
			offer: OfferId,
			/// The patient it is addressed to.
			patient: T::AccountId,
			/// Who proposed it.
			proposer: T::AccountId,
			/// Whom the grant would be for.
			grantee: GranteeOf<T>,
			/// The first block in which it can no longer be accepted.
			expires_at: BlockNumberFor<T>,
		},
		/// The patient accepted an offer: it became a grant.
		OfferAccepted {
			/// The offer (no longer stored).
			offer: OfferId,
			/// The grant made from it.
			grant: GrantId,
		},
		/// The patient rejected an offer.
		OfferRejected {
			/// The offer (no longer stored).
			offer: OfferId,
			/// The patient.
			patient: T::AccountId,
		},
		/// The proposer withdrew an offer.
		OfferWithdrawn {
			/// The offer (no longer stored).
			offer: OfferId,
			/// The proposer.
			proposer: T::AccountId,
		},
		/// An offer that could no longer be accepted was removed to make room for a new one.
		OfferExpired {
			/// The offer (no longer stored).
			offer: OfferId,
			/// The patient it was addressed to.
			patient: T::AccountId,
		},
		/// An actor recorded an access consent permitted (a receipt in the patient's log).
		AccessRecorded {
			/// The patient.
			patient: T::AccountId,
			/// Who accessed.
			actor: T::AccountId,
			/// The receipt's sequence number in the patient's log.
			receipt: u64,
			/// What the actor did.
			action: ConsentAction,
			/// For which purpose.
			purpose: PurposeOfUse,
			/// The grant that permitted it, if a grant did.
			grant: Option<GrantId>,
		},
		/// An emergency physician opened emergency (break-glass) access to a patient's data.
		EmergencyAccessOpened {
			/// The emergency access.
			emergency: EmergencyId,
			/// The patient.
			patient: T::AccountId,
			/// The emergency physician.
			practitioner: T::AccountId,
			/// The organisation they act for.
			organisation: OrganisationId,
			/// The commitment to the physician's justification.
			reason: EmergencyReason,
			/// The first block in which it is no longer in force.
			expires_at: BlockNumberFor<T>,
			/// The last block in which its review is on time.
			review_deadline: BlockNumberFor<T>,
		},
		/// An emergency access was reviewed.
		EmergencyReviewed {
			/// The emergency access.
			emergency: EmergencyId,
			/// Who reviewed it.
			reviewer: Reviewer<T::AccountId>,
			/// Whether it was found justified.
			justified: bool,
			/// Whether the review came after the deadline.
			late: bool,
		},
		/// An emergency access no longer in force moved from its patient's list to the
		/// archive (it can still be read and reviewed).
		EmergencyArchived {
			/// The emergency access.
			emergency: EmergencyId,
			/// The patient.
			patient: T::AccountId,
		},
		/// An ended grant moved from its patient's list to the archive to make room.
		GrantArchived {
			/// The grant.
			grant: GrantId,
			/// The patient.
			patient: T::AccountId,
		},
		/// A custodian gateway released a record to a requester as consent permitted (a
		/// receipt in the patient's log, written before the gateway answered).
		ReleasedByGateway {
			/// The patient.
			patient: T::AccountId,
			/// Who asked for the record.
			requester: T::AccountId,
			/// The organisation whose gateway released it.
			organisation: OrganisationId,
			/// The receipt's sequence number in the patient's log.
			receipt: u64,
			/// The grant that permitted it, if a grant did.
			grant: Option<GrantId>,
		},
		/// A custodian gateway refused a requester a record: consent did not permit it (a
		/// receipt of the refused attempt in the patient's log).
		RefusedByGateway {
			/// The patient.
			patient: T::AccountId,
			/// Who asked for the record.
			requester: T::AccountId,
			/// The organisation whose gateway refused it.
			organisation: OrganisationId,
			/// The receipt's sequence number in the patient's log.
			receipt: u64,
			/// The deny grant that decided it, if one did.
			grant: Option<GrantId>,
		},
	}

	/// Why a consent call failed.
	#[pallet::error]
	pub enum Error<T> {
		/// The account is not a registered patient.
		PatientNotFound,
		/// A patient cannot grant to their own account (they always have access).
		SelfGrant,
		/// The provision names no action.
		NoActions,
		/// The provision names no purpose.
		NoPurposes,
		/// The provision names neither a data class nor a record.
		EmptyScope,
		/// The provision names an action, purpose, data class or record twice.
		DuplicateEntry,
		/// The validity period starts before the current block.
		StartInPast,
		/// The validity period ends before or when it starts.
		InvalidPeriod,
		/// The patient keeps as many grants (ended ones included) as allowed.
		TooManyGrants,
		/// No grant has this id.
		GrantNotFound,
		/// The grant has already ended (revoked or expired).
		GrantEnded,
		/// The caller may not do this.
		NotAuthorized,
		/// Consent does not permit the access.
		AccessDenied,
		/// The caller is not an active practitioner (unknown, suspended, revoked, licence not
		/// valid now, or organisation inactive).
		NotActivePractitioner,
		/// The caller's role is not `EmergencyPhysician`.
		NotEmergencyPhysician,
		/// A practitioner cannot open emergency access to their own data.
		SelfAccess,
		/// The caller already holds an emergency access to this patient that is in force.
		EmergencyAlreadyOpen,
		/// The patient's emergency accesses are at the bound and none is both reviewed and
		/// expired (so none can be dropped).
		TooManyEmergencies,
		/// No emergency access has this id (or it was dropped).
		EmergencyNotFound,
		/// The emergency access has been reviewed already.
		AlreadyReviewed,
		/// The commitment to an emergency's justification is all zeros.
		EmptyReason,
		/// An offer can only propose a permit.
		OfferMustPermit,
		/// An offer cannot name data classes: only the patient knows their class tags, and
		/// chooses the classes when accepting (security review H3). It may name records.
		OfferNamesClasses,
		/// An offer can only propose non-clinical purposes (payment, operations, research,
		/// public health); clinical grants are made by the patient.
		PurposeNotOfferable,
		/// The patient has as many offers waiting as allowed.
		TooManyOffers,
		/// No offer has this id (or it was answered, withdrawn or removed).
		OfferNotFound,
		/// The offer can no longer be accepted.
		OfferExpired,
		/// The offer can still be accepted: only an expired offer may be removed by anyone.
		OfferNotExpired,
		/// Only vetted proposers offer: an active practitioner for themself, or the admin of
		/// the grantee organisation for one of its roles (security review M3).
		ProposerNotVetted,
		/// The proposer has [`Config::MaxOffersPerProposer`] offers stored already.
		TooManyOffersByProposer,
		/// The record does not exist, is erased, or is not the patient's.
		RecordNotFound,
		/// The target names a data class other than the record's.
		WrongClassTag,
		/// A counter, an id or a block number would overflow.
		Overflow,
		/// The caller is not the custodian gateway of an active organisation.
		NotGateway,
		/// The record is held by another organisation than the calling gateway's.
		NotCustodian,
		/// The patient already has [`Config::MaxGrantsPerGrantee`] grants to this grantee for
		/// a data class of this provision that are or may come in force: revoke one first.
		TooManyGrantsForGrantee,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			use sp_runtime::traits::Zero;
			assert!(T::MaxGrantsPerPatient::get() > 0, "MaxGrantsPerPatient must allow a grant");
			assert!(T::MaxEmergenciesPerPatient::get() > 0, "MaxEmergenciesPerPatient must be >0");
			assert!(T::MaxOffersPerPatient::get() > 0, "MaxOffersPerPatient must allow an offer");
			assert!(T::MaxOffersPerProposer::get() > 0, "MaxOffersPerProposer must allow one");
			assert!(!T::OfferLifetime::get().is_zero(), "OfferLifetime must be > 0");
			assert!(T::MaxPageSize::get() > 0, "MaxPageSize must allow an entry per page");
			assert!(!T::EmergencyDuration::get().is_zero(), "EmergencyDuration must be > 0");
			assert!(!T::ReviewDeadline::get().is_zero(), "ReviewDeadline must be > 0");
			assert!(T::MaxGrantsPerGrantee::get() > 0, "MaxGrantsPerGrantee must be > 0");
			// The decision index holds a provision's lists inline, at these bounds.
			assert!(
				T::MaxScopeRecords::get() as usize <= INDEXED_RECORDS,
				"MaxScopeRecords must be at most INDEXED_RECORDS"
			);
			assert!(
				Actions::bound() <= INDEXED_ACTIONS && Purposes::bound() <= INDEXED_PURPOSES,
				"a provision's actions and purposes must fit the index's lists"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Make a grant: permit (or deny) `grantee` the provision's actions, for its purposes,
		/// on its data, during a validity period.
		///
		/// The origin must be signed by a registered patient (or their guardian through a
		/// proxy). The grant receives the next sequential id and is kept for good, with its
		/// history: when the patient's list is full, its ended grants move to [`PastGrants`].
		///
		/// - `grantee`: an account (not the patient's own) or a role within an organisation.
		/// - `provision`: the effect (permit or deny), the actions and purposes (each not empty),
		///   the data classes and specific records (not both empty); no entry twice.
		/// - `valid_from`: the first block of validity; `None` for the current block; not in the
		///   past.
		/// - `valid_until`: the first block in which the grant is no longer valid; `None` for no
		///   end; after `valid_from`.
		///
		/// Grants of the patient whose validity ended are recorded as expired first.
		///
		/// # Events
		/// [`Event::ConsentGranted`]; [`Event::ConsentExpired`] for each grant found expired;
		/// [`Event::GrantArchived`] for each ended grant archived to make room.
		///
		/// # Errors
		/// - [`Error::PatientNotFound`]: the caller is not a registered patient.
		/// - [`Error::SelfGrant`]: `grantee` is the caller's account.
		/// - [`Error::NoActions`], [`Error::NoPurposes`], [`Error::EmptyScope`],
		///   [`Error::DuplicateEntry`]: a malformed provision.
		/// - [`Error::StartInPast`], [`Error::InvalidPeriod`]: a malformed period.
		/// - [`Error::TooManyGrants`]: [`Config::MaxGrantsPerPatient`] of the patient's grants
		///   are in force (or not yet started), so none can be archived.
		/// - [`Error::RecordNotFound`]: a record the provision names is not the patient's, or
		///   is erased or unknown.
		/// - [`Error::TooManyGrantsForGrantee`]: the patient has
		///   [`Config::MaxGrantsPerGrantee`] grants to `grantee` about a class of the provision
		///   that are or may come in force.
		/// - [`Error::Overflow`]: grant ids are exhausted.
		///
		/// # Complexity
		/// O(G) in the patient's grants `G` (expiry scan), bounded by
		/// [`Config::MaxGrantsPerPatient`]; the directory question, two reads, three writes; one
		/// read per record the provision names, and one decision index list read and written
		/// per class it concerns (at most the provision's classes and records).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::grant_consent())]
		pub fn grant_consent(
			origin: OriginFor<T>,
			grantee: GranteeOf<T>,
			provision: ProvisionOf<T>,
			valid_from: Option<BlockNumberFor<T>>,
			valid_until: Option<BlockNumberFor<T>>,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			ensure!(T::Directory::is_patient(&patient), Error::<T>::PatientNotFound);
			ensure!(grantee != Grantee::Account(patient.clone()), Error::<T>::SelfGrant);
			Self::ensure_valid_provision(&provision)?;
			let valid_from = Self::ensure_valid_period(valid_from, valid_until)?;
			Self::do_grant(patient, grantee, provision, valid_from, valid_until).map(|_| ())
		}

		/// Revoke a grant, unilaterally and immediately: it is not in force from the current
		/// block on. It stays in the patient's grants as history (`ended` = this block,
		/// `Revoked`).
		///
		/// The origin must be signed by the patient who made the grant (or their proxy).
		///
		/// - `grant`: the grant's id.
		///
		/// Grants of the patient whose validity ended are recorded as expired first. What the
		/// grant delivered ends with it ([`Config::OnGrantRevoked`]: the records pallet removes
		/// the data keys given under it).
		///
		/// # Events
		/// [`Event::ConsentRevoked`]; [`Event::ConsentExpired`] for each grant found expired;
		/// the records pallet's `WrappedKeyRevoked` for each key removed.
		///
		/// # Errors
		/// - [`Error::GrantNotFound`]: no such grant.
		/// - [`Error::NotAuthorized`]: the caller did not make it.
		/// - [`Error::GrantEnded`]: it was already revoked or has expired.
		///
		/// # Complexity
		/// O(G) in the patient's grants, bounded by [`Config::MaxGrantsPerPatient`]; two reads,
		/// one write, and one decision index list per class the grant concerns; plus the keys
		/// the grant delivered (charged at
		/// [`OnGrantRevoked::max_weight`], refunded to what they used).
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::revoke_consent().saturating_add(T::OnGrantRevoked::max_weight())
		)]
		pub fn revoke_consent(origin: OriginFor<T>, grant: GrantId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let patient = GrantOwner::<T>::get(grant).ok_or(Error::<T>::GrantNotFound)?;
			ensure!(patient == who, Error::<T>::NotAuthorized);
			let consequences = Self::do_revoke(patient, grant)?;
			Ok(Some(T::WeightInfo::revoke_consent().saturating_add(consequences)).into())
		}

		/// Record an access: a receipt in the patient's access log, refused unless consent
		/// permits it ([`Pallet::evaluate_access`]). Clients record every access they make.
		///
		/// The origin must be signed by the accessing actor.
		///
		/// - `patient`: whose data (a registered patient).
		/// - `target`: a data class, or a record with its class. A record must be the
		///   patient's and not erased, and the class must be the record's: the records pallet
		///   says so ([`Config::Records`]), not the caller.
		/// - `purpose`: why.
		/// - `action`: what the actor does.
		///
		/// The receipt holds the actor, the block, the action, purpose and target, and the
		/// grant or emergency that permitted it. The log is append-only: no receipt is ever
		/// overwritten.
		///
		/// # Events
		/// [`Event::AccessRecorded`].
		///
		/// # Errors
		/// - [`Error::PatientNotFound`]: `patient` is not a registered patient.
		/// - [`Error::RecordNotFound`]: the target record does not exist, is erased, or is
		///   another patient's.
		/// - [`Error::WrongClassTag`]: the target names a class other than the record's.
		/// - [`Error::AccessDenied`]: consent does not permit the access.
		/// - [`Error::Overflow`]: the patient's receipt counter is exhausted.
		///
		/// # Complexity
		/// The evaluation: at most three decision index lists (each at most
		/// [`Config::MaxGrantsPerGrantee`] grants) and the patient's emergency accesses, bounded
		/// by the configuration; the directory questions, three reads, two writes.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::record_access())]
		pub fn record_access(
			origin: OriginFor<T>,
			patient: AccountIdLookupOf<T>,
			target: AccessTarget,
			purpose: PurposeOfUse,
			action: ConsentAction,
		) -> DispatchResult {
			let actor = ensure_signed(origin)?;
			let patient = T::Lookup::lookup(patient)?;
			ensure!(T::Directory::is_patient(&patient), Error::<T>::PatientNotFound);
			if let AccessTarget::Record { record, class } = target {
				let (subject, actual) =
					T::Records::record_scope(record).ok_or(Error::<T>::RecordNotFound)?;
				ensure!(subject == patient, Error::<T>::RecordNotFound);
				ensure!(class == actual, Error::<T>::WrongClassTag);
			}
			let decision = Self::evaluate_access(&patient, &actor, action, purpose, target);
			ensure!(decision.permitted, Error::<T>::AccessDenied);
			let entry = LogEntry::Accessed {
				action,
				purpose,
				target,
				grant: decision.grant,
				reason: decision.reason,
			};
			let receipt = Self::push_receipt(&patient, &actor, entry)?;
			Self::deposit_event(Event::AccessRecorded {
				patient,
				actor,
				receipt,
				action,
				purpose,
				grant: decision.grant,
			});
			Ok(())
		}

		/// As a custodian gateway, write the receipt of a requester's access to a record the
		/// gateway holds, before answering them: released if consent permits the access
		/// ([`Pallet::evaluate_access`] for the requester, the record's patient, `action` and
		/// `purpose`), refused otherwise. Either way the receipt is written and the call
		/// succeeds, so a refused attempt is on the patient's log too; the gateway releases
		/// data only after a [`Event::ReleasedByGateway`].
		///
		/// The origin must be signed by the gateway account of an active organisation
		/// (`DirectoryInspect::gateway_organisation`), the record's custodian. A self-reported
		/// record has no custodian: the patient may deposit it with any organisation's gateway,
		/// which then writes its receipts.
		///
		/// - `requester`: who asked (the account that signed the request to the gateway).
		/// - `record`: the record; its patient and class come from the records pallet.
		/// - `purpose`: the purpose the requester gave.
		/// - `action`: what the requester asked to do.
		///
		/// # Events
		/// [`Event::ReleasedByGateway`] or [`Event::RefusedByGateway`].
		///
		/// # Errors
		/// - [`Error::NotGateway`]: the caller is not an active organisation's gateway.
		/// - [`Error::RecordNotFound`]: the record does not exist or is erased.
		/// - [`Error::NotCustodian`]: another organisation holds the record.
		/// - [`Error::Overflow`]: the patient's receipt counter is exhausted.
		///
		/// # Complexity
		/// The evaluation: at most three decision index lists (each at most
		/// [`Config::MaxGrantsPerGrantee`] grants) and the patient's emergency accesses, bounded
		/// by the configuration; the directory questions, four reads, two writes.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::record_access_at_gateway())]
		pub fn record_access_at_gateway(
			origin: OriginFor<T>,
			requester: AccountIdLookupOf<T>,
			record: RecordId,
			purpose: PurposeOfUse,
			action: ConsentAction,
		) -> DispatchResult {
			let gateway = ensure_signed(origin)?;
			let requester = T::Lookup::lookup(requester)?;
			let organisation =
				T::Directory::gateway_organisation(&gateway).ok_or(Error::<T>::NotGateway)?;
			let (patient, class) =
				T::Records::record_scope(record).ok_or(Error::<T>::RecordNotFound)?;
			if let Some(custodian) = T::Records::record_custodian(record) {
				ensure!(custodian == organisation, Error::<T>::NotCustodian);
			}
			let target = AccessTarget::Record { record, class };
			let decision = Self::evaluate_access(&patient, &requester, action, purpose, target);
			let (grant, reason) = (decision.grant, decision.reason);
			let entry = if decision.permitted {
				LogEntry::ReleasedByGateway { organisation, action, purpose, target, grant, reason }
			} else {
				LogEntry::RefusedByGateway { organisation, action, purpose, target, grant, reason }
			};
			let receipt = Self::push_receipt(&patient, &requester, entry)?;
			Self::deposit_event(if decision.permitted {
				Event::ReleasedByGateway { patient, requester, organisation, receipt, grant }
			} else {
				Event::RefusedByGateway { patient, requester, organisation, receipt, grant }
			});
			Ok(())
		}

		/// Open emergency (break-glass) access to a patient's data: for
		/// [`Config::EmergencyDuration`] blocks the caller may read and write the patient's data
		/// for the purpose `EmergencyTreatment`, whatever the patient's grants say. The opening
		/// is written to the patient's access log and must be reviewed within
		/// [`Config::ReviewDeadline`] blocks.
		///
		/// The origin must be signed by an active practitioner whose role is
		/// `EmergencyPhysician`.
		///
		/// - `patient`: a registered patient (not the caller).
		/// - `reason`: the commitment to the physician's justification ([`EmergencyReason`]):
		///   the note itself stays with the physician's organisation, off chain; not all zeros.
		///
		/// The patient's emergency accesses no longer in force (expired, or ended by an
		/// unjustified review) move to [`PastEmergencies`] first, reviewed or not: they can
		/// still be reviewed there, and never block a new emergency.
		///
		/// # Events
		/// [`Event::EmergencyAccessOpened`]; [`Event::EmergencyArchived`] for each archived.
		///
		/// # Errors
		/// - [`Error::NotActivePractitioner`]: the caller is not an active practitioner.
		/// - [`Error::NotEmergencyPhysician`]: their role is not `EmergencyPhysician`.
		/// - [`Error::SelfAccess`]: `patient` is the caller.
		/// - [`Error::PatientNotFound`]: `patient` is not a registered patient.
		/// - [`Error::EmptyReason`]: `reason` is all zeros.
		/// - [`Error::EmergencyAlreadyOpen`]: the caller's emergency access to the patient is
		///   still in force.
		/// - [`Error::TooManyEmergencies`]: [`Config::MaxEmergenciesPerPatient`] emergency
		///   accesses to the patient are in force.
		/// - [`Error::Overflow`]: ids, block numbers or the receipt counter would overflow.
		///
		/// # Complexity
		/// O(E) in the patient's emergency accesses, bounded by
		/// [`Config::MaxEmergenciesPerPatient`]; the directory questions, three reads, six
		/// writes, and two writes per archived emergency.
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::open_emergency_access())]
		pub fn open_emergency_access(
			origin: OriginFor<T>,
			patient: AccountIdLookupOf<T>,
			reason: EmergencyReason,
		) -> DispatchResult {
			let practitioner = ensure_signed(origin)?;
			let patient = T::Lookup::lookup(patient)?;
			let active = T::Directory::active_practitioner(&practitioner)
				.ok_or(Error::<T>::NotActivePractitioner)?;
			ensure!(
				active.role == PractitionerRole::EmergencyPhysician,
				Error::<T>::NotEmergencyPhysician
			);
			ensure!(patient != practitioner, Error::<T>::SelfAccess);
			ensure!(T::Directory::is_patient(&patient), Error::<T>::PatientNotFound);
			ensure!(reason != [0u8; 32], Error::<T>::EmptyReason);

			let now = frame_system::Pallet::<T>::block_number();
			let mut list = Emergencies::<T>::get(&patient).unwrap_or_default();
			ensure!(
				!list.iter().any(|e| e.practitioner == practitioner && e.in_force_at(now)),
				Error::<T>::EmergencyAlreadyOpen
			);
			let id = NextEmergencyId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let expires_at =
				now.checked_add(&T::EmergencyDuration::get()).ok_or(Error::<T>::Overflow)?;
			let review_deadline =
				now.checked_add(&T::ReviewDeadline::get()).ok_or(Error::<T>::Overflow)?;
			let mut archived: Vec<EmergencyOf<T>> = Vec::new();
			list.retain(|e| {
				let keep = e.in_force_at(now);
				if !keep {
					archived.push(e.clone());
				}
				keep
			});
			list.try_push(Emergency {
				id,
				patient: patient.clone(),
				practitioner: practitioner.clone(),
				organisation: active.organisation,
				reason,
				opened_at: now,
				expires_at,
				review_deadline,
				review: None,
			})
			.map_err(|_| Error::<T>::TooManyEmergencies)?;
			Self::push_receipt(
				&patient,
				&practitioner,
				LogEntry::EmergencyOpened { emergency: id, reason },
			)?;

			Emergencies::<T>::insert(&patient, list);
			EmergencyPatient::<T>::insert(id, &patient);
			UnreviewedEmergencies::<T>::insert(id, ());
			NextEmergencyId::<T>::put(next);
			for old in archived {
				let emergency = old.id;
				PastEmergencies::<T>::insert(emergency, old);
				Self::deposit_event(Event::EmergencyArchived {
					emergency,
					patient: patient.clone(),
				});
			}
			Self::deposit_event(Event::EmergencyAccessOpened {
				emergency: id,
				patient,
				practitioner,
				organisation: active.organisation,
				reason,
				expires_at,
				review_deadline,
			});
			Ok(())
		}

		/// Review an emergency access: record whether it was justified. A review after the
		/// deadline is still recorded, as late. An access found unjustified ends at once: from
		/// the review's block it permits nothing (security review H5). Archived accesses are
		/// reviewed the same way.
		///
		/// The origin must be [`Config::ReviewOrigin`], or signed by an active privacy officer
		/// (`PractitionerRole::PrivacyOfficer`) of the organisation the access was opened for,
		/// who is not the physician who opened it. Nothing names the patient's other
		/// organisations: who reviews follows from the access itself.
		///
		/// - `emergency`: the emergency access's id.
		/// - `justified`: the review's outcome.
		///
		/// # Events
		/// [`Event::EmergencyReviewed`].
		///
		/// # Errors
		/// - [`Error::EmergencyNotFound`]: no such emergency access.
		/// - [`Error::NotAuthorized`]: the origin is neither the review origin nor an active
		///   privacy officer of the access's organisation (other than the physician).
		/// - [`Error::AlreadyReviewed`]: it has been reviewed.
		///
		/// # Complexity
		/// O(E) in the patient's emergency accesses, bounded by
		/// [`Config::MaxEmergenciesPerPatient`]; the directory questions, two reads, two writes.
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::review_emergency())]
		pub fn review_emergency(
			origin: OriginFor<T>,
			emergency: EmergencyId,
			justified: bool,
		) -> DispatchResult {
			let patient =
				EmergencyPatient::<T>::get(emergency).ok_or(Error::<T>::EmergencyNotFound)?;
			let mut list = Emergencies::<T>::get(&patient).unwrap_or_default();
			let mut past = PastEmergencies::<T>::get(emergency);
			let listed = list.iter().any(|e| e.id == emergency);
			let entry = if listed {
				list.iter_mut().find(|e| e.id == emergency).ok_or(Error::<T>::EmergencyNotFound)?
			} else {
				past.as_mut().ok_or(Error::<T>::EmergencyNotFound)?
			};
			let reviewer = match T::ReviewOrigin::try_origin(origin) {
				Ok(_) => Reviewer::ReviewAuthority,
				Err(origin) => {
					let who = ensure_signed(origin)?;
					let organisation = entry.organisation;
					let officer = T::Directory::active_practitioner(&who).is_some_and(|p| {
						p.organisation == organisation && p.role == PractitionerRole::PrivacyOfficer
					});
					ensure!(officer && who != entry.practitioner, Error::<T>::NotAuthorized);
					Reviewer::PrivacyOfficer { officer: who, organisation }
				},
			};
			ensure!(entry.review.is_none(), Error::<T>::AlreadyReviewed);
			let now = frame_system::Pallet::<T>::block_number();
			let late = now > entry.review_deadline;
			entry.review = Some(Review { reviewer: reviewer.clone(), at: now, justified });

			if listed {
				Emergencies::<T>::insert(&patient, list);
			} else if let Some(archived) = past {
				PastEmergencies::<T>::insert(emergency, archived);
			}
			UnreviewedEmergencies::<T>::remove(emergency);
			Self::deposit_event(Event::EmergencyReviewed { emergency, reviewer, justified, late });
			Ok(())
		}

		/// Propose a grant to a patient, for research, payment, operations or public health.
		/// The patient accepts it as proposed (it becomes a grant) or rejects it; the proposer
		/// can withdraw it until then. It can be accepted for [`Config::OfferLifetime`] blocks.
		///
		/// The origin must be signed by the proposer: the grantee account itself, or the admin
		/// of the grantee organisation for a role grant.
		///
		/// - `patient`: a registered patient (not the caller).
		/// - `grantee`: the caller's account, or a role in an organisation the caller
		///   administers.
		/// - `provision`: as for [`Pallet::grant_consent`], a permit, with non-clinical
		///   purposes only, and no data classes (the patient adds them on acceptance; the
		///   proposer cannot know the patient's class tags). It may name no data at all.
		/// - `valid_from`, `valid_until`: as for [`Pallet::grant_consent`].
		///
		/// Offers to the patient that can no longer be accepted are removed first.
		///
		/// # Events
		/// [`Event::OfferProposed`]; [`Event::OfferExpired`] for each expired offer removed.
		///
		/// # Errors
		/// - [`Error::PatientNotFound`]: `patient` is not a registered patient.
		/// - [`Error::SelfGrant`]: `patient` is the caller.
		/// - [`Error::NotAuthorized`]: the grantee is another account, or a role in an
		///   organisation the caller does not administer.
		/// - [`Error::ProposerNotVetted`]: an offer to the caller's own account by someone who is
		///   not an active practitioner (security review M3).
		/// - [`Error::OfferMustPermit`], [`Error::PurposeNotOfferable`],
		///   [`Error::OfferNamesClasses`]: a provision that cannot be offered.
		/// - [`Error::NoActions`], [`Error::NoPurposes`], [`Error::DuplicateEntry`]: a malformed
		///   provision.
		/// - [`Error::StartInPast`], [`Error::InvalidPeriod`]: a malformed period.
		/// - [`Error::TooManyOffers`]: [`Config::MaxOffersPerPatient`] offers are waiting.
		/// - [`Error::TooManyOffersByProposer`]: the caller has [`Config::MaxOffersPerProposer`]
		///   offers stored.
		/// - [`Error::Overflow`]: offer ids or block numbers are exhausted.
		///
		/// # Complexity
		/// O(P) in the offers waiting for the patient, bounded by
		/// [`Config::MaxOffersPerPatient`]: the directory questions, two reads, three writes, and
		/// a read of each waiting offer and a write of each expired one. Charged for the bound,
		/// refunded down to the offers waiting.
		#[pallet::call_index(30)]
		#[pallet::weight(T::WeightInfo::propose_grant(T::MaxOffersPerPatient::get()))]
		pub fn propose_grant(
			origin: OriginFor<T>,
			patient: AccountIdLookupOf<T>,
			grantee: GranteeOf<T>,
			provision: ProvisionOf<T>,
			valid_from: Option<BlockNumberFor<T>>,
			valid_until: Option<BlockNumberFor<T>>,
		) -> DispatchResultWithPostInfo {
			let proposer = ensure_signed(origin)?;
			let patient = T::Lookup::lookup(patient)?;
			ensure!(T::Directory::is_patient(&patient), Error::<T>::PatientNotFound);
			ensure!(patient != proposer, Error::<T>::SelfGrant);
			let (allowed, vetted) = match &grantee {
				Grantee::Account(account) => {
					(*account == proposer, T::Directory::active_practitioner(&proposer).is_some())
				},
				Grantee::Role { organisation, .. } => {
					let admin = T::Directory::is_organisation_admin(&proposer, *organisation);
					(admin, admin)
				},
			};
			ensure!(allowed, Error::<T>::NotAuthorized);
			ensure!(vetted, Error::<T>::ProposerNotVetted);
			ensure!(provision.effect == Effect::Permit, Error::<T>::OfferMustPermit);
			ensure!(
				provision.purposes.iter().all(|purpose| !purpose.is_clinical()),
				Error::<T>::PurposeNotOfferable
			);
			ensure!(provision.classes.is_empty(), Error::<T>::OfferNamesClasses);
			Self::ensure_valid_terms(&provision)?;
			let valid_from = Self::ensure_valid_period(valid_from, valid_until)?;

			let now = frame_system::Pallet::<T>::block_number();
			let expires_at =
				now.checked_add(&T::OfferLifetime::get()).ok_or(Error::<T>::Overflow)?;
			let id = NextOfferId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let mut waiting = PatientOffers::<T>::get(&patient).unwrap_or_default();
			let read = u32::try_from(waiting.len()).unwrap_or(u32::MAX);
			let mut expired: Vec<OfferOf<T>> = Vec::new();
			waiting.retain(|offer| match Offers::<T>::get(offer) {
				Some(o) if o.expires_at <= now => {
					expired.push(o);
					false
				},
				Some(_) => true,
				None => false,
			});
			waiting.try_push(id).map_err(|_| Error::<T>::TooManyOffers)?;

			// Expired offers go first (some may be the proposer's own); a refusal below
			// reverts it all, as every call is transactional.
			for offer in &expired {
				Offers::<T>::remove(offer.id);
				Self::uncount_offer(&offer.proposer);
				Self::deposit_event(Event::OfferExpired {
					offer: offer.id,
					patient: patient.clone(),
				});
			}
			let held = ProposerOffers::<T>::get(&proposer).unwrap_or(0);
			ensure!(held < T::MaxOffersPerProposer::get(), Error::<T>::TooManyOffersByProposer);
			ProposerOffers::<T>::insert(
				&proposer,
				held.checked_add(1).ok_or(Error::<T>::Overflow)?,
			);
			Offers::<T>::insert(
				id,
				Offer {
					id,
					patient: patient.clone(),
					proposer: proposer.clone(),
					grantee: grantee.clone(),
					provision,
					valid_from,
					valid_until,
					proposed_at: now,
					expires_at,
				},
			);
			PatientOffers::<T>::insert(&patient, waiting);
			NextOfferId::<T>::put(next);
			Self::deposit_event(Event::OfferProposed {
				offer: id,
				patient,
				proposer,
				grantee,
				expires_at,
			});
			Ok(Some(T::WeightInfo::propose_grant(read)).into())
		}

		/// Accept an offer: it becomes a grant as proposed (starting now if its start has
		/// passed), over the data classes the patient chooses, and the offer is removed.
		///
		/// The origin must be signed by the patient the offer is addressed to.
		///
		/// - `offer`: the offer's id.
		/// - `classes`: the tags of the data classes the grant covers besides the offer's
		///   records (none, if the offer names the records it wants); no duplicates.
		///
		/// # Events
		/// [`Event::OfferAccepted`], [`Event::ConsentGranted`]; [`Event::ConsentExpired`] for
		/// each of the patient's grants found expired.
		///
		/// # Errors
		/// - [`Error::OfferNotFound`]: no such offer.
		/// - [`Error::NotAuthorized`]: it is addressed to another patient.
		/// - [`Error::OfferExpired`]: it can no longer be accepted.
		/// - [`Error::EmptyScope`]: neither the offer nor `classes` names any data.
		/// - [`Error::DuplicateEntry`]: `classes` names a class twice.
		/// - [`Error::InvalidPeriod`]: the grant's validity would already be over.
		/// - [`Error::TooManyGrants`]: the patient keeps [`Config::MaxGrantsPerPatient`] grants.
		/// - [`Error::RecordNotFound`]: a record the offer names is not the patient's (any
		///   more).
		/// - [`Error::TooManyGrantsForGrantee`]: the patient has
		///   [`Config::MaxGrantsPerGrantee`] grants to the grantee about a class of the grant.
		/// - [`Error::Overflow`]: grant ids are exhausted.
		///
		/// # Complexity
		/// O(G + P) in the patient's grants and offers, bounded by the configuration; four
		/// reads, five writes.
		#[pallet::call_index(31)]
		#[pallet::weight(T::WeightInfo::accept_offer())]
		pub fn accept_offer(
			origin: OriginFor<T>,
			offer: OfferId,
			classes: Classes,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			let mut proposal = Offers::<T>::get(offer).ok_or(Error::<T>::OfferNotFound)?;
			ensure!(proposal.patient == patient, Error::<T>::NotAuthorized);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < proposal.expires_at, Error::<T>::OfferExpired);
			proposal.provision.classes = classes;
			Self::ensure_valid_provision(&proposal.provision)?;
			let valid_from = proposal.valid_from.max(now);
			ensure!(
				proposal.valid_until.is_none_or(|until| until > valid_from),
				Error::<T>::InvalidPeriod
			);

			Self::remove_offer(&patient, offer);
			let grant = Self::do_grant(
				patient,
				proposal.grantee,
				proposal.provision,
				valid_from,
				proposal.valid_until,
			)?;
			Self::deposit_event(Event::OfferAccepted { offer, grant });
			Ok(())
		}

		/// Reject an offer; it is removed.
		///
		/// The origin must be signed by the patient the offer is addressed to.
		///
		/// - `offer`: the offer's id.
		///
		/// # Events
		/// [`Event::OfferRejected`].
		///
		/// # Errors
		/// - [`Error::OfferNotFound`]: no such offer.
		/// - [`Error::NotAuthorized`]: it is addressed to another patient.
		///
		/// # Complexity
		/// O(P) in the patient's offers, bounded by [`Config::MaxOffersPerPatient`]; two reads,
		/// two writes.
		#[pallet::call_index(32)]
		#[pallet::weight(T::WeightInfo::reject_offer())]
		pub fn reject_offer(origin: OriginFor<T>, offer: OfferId) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			let proposal = Offers::<T>::get(offer).ok_or(Error::<T>::OfferNotFound)?;
			ensure!(proposal.patient == patient, Error::<T>::NotAuthorized);
			Self::remove_offer(&patient, offer);
			Self::deposit_event(Event::OfferRejected { offer, patient });
			Ok(())
		}

		/// Withdraw an offer; it is removed.
		///
		/// The origin must be signed by the offer's proposer.
		///
		/// - `offer`: the offer's id.
		///
		/// # Events
		/// [`Event::OfferWithdrawn`].
		///
		/// # Errors
		/// - [`Error::OfferNotFound`]: no such offer.
		/// - [`Error::NotAuthorized`]: the caller did not propose it.
		///
		/// # Complexity
		/// O(P) in the patient's offers, bounded by [`Config::MaxOffersPerPatient`]; two reads,
		/// two writes.
		#[pallet::call_index(33)]
		#[pallet::weight(T::WeightInfo::withdraw_offer())]
		pub fn withdraw_offer(origin: OriginFor<T>, offer: OfferId) -> DispatchResult {
			let proposer = ensure_signed(origin)?;
			let proposal = Offers::<T>::get(offer).ok_or(Error::<T>::OfferNotFound)?;
			ensure!(proposal.proposer == proposer, Error::<T>::NotAuthorized);
			Self::remove_offer(&proposal.patient, offer);
			Self::deposit_event(Event::OfferWithdrawn { offer, proposer });
			Ok(())
		}

		/// Remove an offer that can no longer be accepted (security review M3): anyone may,
		/// so expired offers never linger in state or in their proposer's count.
		///
		/// The origin must be signed (by anyone).
		///
		/// - `offer`: the offer's id.
		///
		/// # Events
		/// [`Event::OfferExpired`].
		///
		/// # Errors
		/// - [`Error::OfferNotFound`]: no such offer.
		/// - [`Error::OfferNotExpired`]: it can still be accepted.
		///
		/// # Complexity
		/// O(P) in the patient's offers, bounded by [`Config::MaxOffersPerPatient`]; three reads,
		/// three writes.
		#[pallet::call_index(34)]
		#[pallet::weight(T::WeightInfo::remove_expired_offer())]
		pub fn remove_expired_offer(origin: OriginFor<T>, offer: OfferId) -> DispatchResult {
			ensure_signed(origin)?;
			let proposal = Offers::<T>::get(offer).ok_or(Error::<T>::OfferNotFound)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(proposal.expires_at <= now, Error::<T>::OfferNotExpired);
			Self::remove_offer(&proposal.patient, offer);
			Self::deposit_event(Event::OfferExpired { offer, patient: proposal.patient });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Checks a provision: actions and purposes not empty, some data, nothing twice.
		fn ensure_valid_provision(provision: &ProvisionOf<T>) -> DispatchResult {
			ensure!(
				!provision.classes.is_empty() || !provision.records.is_empty(),
				Error::<T>::EmptyScope
			);
			Self::ensure_valid_terms(provision)
		}

		/// Checks a provision's terms, whatever data it names: actions and purposes not empty,
		/// nothing twice.
		fn ensure_valid_terms(provision: &ProvisionOf<T>) -> DispatchResult {
			ensure!(!provision.actions.is_empty(), Error::<T>::NoActions);
			ensure!(!provision.purposes.is_empty(), Error::<T>::NoPurposes);
			ensure!(
				!has_duplicates(&provision.actions)
					&& !has_duplicates(&provision.purposes)
					&& !has_duplicates(&provision.classes)
					&& !has_duplicates(&provision.records),
				Error::<T>::DuplicateEntry
			);
			Ok(())
		}

		/// Checks a validity period (`valid_from`: `None` for now, not in the past; `valid_until`
		/// after it) and returns its start.
		fn ensure_valid_period(
			valid_from: Option<BlockNumberFor<T>>,
			valid_until: Option<BlockNumberFor<T>>,
		) -> Result<BlockNumberFor<T>, DispatchError> {
			let now = frame_system::Pallet::<T>::block_number();
			let valid_from = valid_from.unwrap_or(now);
			ensure!(valid_from >= now, Error::<T>::StartInPast);
			ensure!(valid_until.is_none_or(|until| until > valid_from), Error::<T>::InvalidPeriod);
			Ok(valid_from)
		}

		/// Stores a new grant of `patient` (after recording their expired grants) and indexes
		/// it; returns its id. Every check on the caller and the fields is done by the caller
		/// of this function.
		fn do_grant(
			patient: T::AccountId,
			grantee: GranteeOf<T>,
			provision: ProvisionOf<T>,
			valid_from: BlockNumberFor<T>,
			valid_until: Option<BlockNumberFor<T>>,
		) -> Result<GrantId, DispatchError> {
			let now = frame_system::Pallet::<T>::block_number();
			let mut grants = Grants::<T>::get(&patient).unwrap_or_default();
			Self::settle_expired(&patient, &mut grants, now);
			let id = NextGrantId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let effect = provision.effect;
			let (classes, lists) =
				Self::indexed(&patient, &grantee, id, &provision, valid_from, valid_until, now)?;
			let mut archived: Vec<GrantOf<T>> = Vec::new();
			if grants.is_full() {
				grants.retain(|grant| {
					let keep = grant.ended.is_none();
					if !keep {
						archived.push(grant.clone());
					}
					keep
				});
			}
			grants
				.try_push(Grant {
					id,
					grantee: grantee.clone(),
					provision,
					valid_from,
					valid_until,
					granted_at: now,
					ended: None,
				})
				.map_err(|_| Error::<T>::TooManyGrants)?;

			Grants::<T>::insert(&patient, grants);
			GrantOwner::<T>::insert(id, &patient);
			NextGrantId::<T>::put(next);
			for (class, list) in lists {
				GrantIndex::<T>::insert((&patient, &grantee, class), list);
			}
			GrantClasses::<T>::insert(id, classes);
			for old in archived {
				let grant = old.id;
				GrantClasses::<T>::remove(grant);
				PastGrants::<T>::insert(&patient, grant, old);
				Self::deposit_event(Event::GrantArchived { grant, patient: patient.clone() });
			}
			Self::deposit_event(Event::ConsentGranted { grant: id, patient, grantee, effect });
			Ok(id)
		}

		/// Ends grant `grant` of `patient` now, as revoked, with what it delivered
		/// ([`Config::OnGrantRevoked`]); returns the weight those consequences used.
		fn do_revoke(patient: T::AccountId, grant: GrantId) -> Result<Weight, DispatchError> {
			let mut grants = Grants::<T>::get(&patient).ok_or(Error::<T>::GrantNotFound)?;
			let now = frame_system::Pallet::<T>::block_number();
			Self::settle_expired(&patient, &mut grants, now);
			let entry = grants
				.iter_mut()
				.find(|entry| entry.id == grant)
				.ok_or(Error::<T>::GrantNotFound)?;
			ensure!(entry.ended.is_none(), Error::<T>::GrantEnded);
			entry.ended = Some(Ending { at: now, reason: EndReason::Revoked });
			let grantee = entry.grantee.clone();

			Grants::<T>::insert(&patient, grants);
			Self::end_indexed(&patient, &grantee, grant, now);
			Self::deposit_event(Event::ConsentRevoked { grant, patient });
			Ok(T::OnGrantRevoked::on_grant_revoked(grant))
		}

		/// Makes a grant of `patient`'s, in force from now until [`Pallet::end_on_behalf`]
		/// ends it, under an agreement the patient accepted in another pallet (a coverage,
		/// whose claims each let the payer read the records claimed). Checked as the patient's
		/// own [`Pallet::grant_consent`] is, with the same errors; it is in the patient's
		/// grants like any other, and the patient may revoke it.
		pub fn grant_on_behalf(
			patient: &T::AccountId,
			grantee: GranteeOf<T>,
			provision: ProvisionOf<T>,
		) -> Result<GrantId, DispatchError> {
			ensure!(T::Directory::is_patient(patient), Error::<T>::PatientNotFound);
			ensure!(grantee != Grantee::Account(patient.clone()), Error::<T>::SelfGrant);
			Self::ensure_valid_provision(&provision)?;
			let now = frame_system::Pallet::<T>::block_number();
			Self::do_grant(patient.clone(), grantee, provision, now, None)
		}

		/// Ends grant `grant` of `patient`, made by [`Pallet::grant_on_behalf`], as a
		/// revocation would; returns the weight of what that ended besides
		/// ([`Config::OnGrantRevoked`]).
		///
		/// # Errors
		/// - [`Error::GrantNotFound`]: no such grant of `patient`'s.
		/// - [`Error::GrantEnded`]: it was already revoked (by the patient) or has expired.
		pub fn end_on_behalf(
			patient: &T::AccountId,
			grant: GrantId,
		) -> Result<Weight, DispatchError> {
			ensure!(
				GrantOwner::<T>::get(grant).as_ref() == Some(patient),
				Error::<T>::GrantNotFound
			);
			Self::do_revoke(patient.clone(), grant)
		}

		/// The decision index's lists for a new grant `id` of `patient` to `grantee`, with the
		/// grant added (nothing written yet), and the classes it is indexed under
		/// ([`Pallet::index_scopes`]). A full list first drops the grants that can never be in
		/// force again; [`Error::TooManyGrantsForGrantee`] if it is still full.
		#[allow(clippy::type_complexity)]
		fn indexed(
			patient: &T::AccountId,
			grantee: &GranteeOf<T>,
			id: GrantId,
			provision: &ProvisionOf<T>,
			valid_from: BlockNumberFor<T>,
			valid_until: Option<BlockNumberFor<T>>,
			now: BlockNumberFor<T>,
		) -> Result<(GrantClassesOf<T>, Vec<(ClassTag, IndexedGrantsOf<T>)>), DispatchError> {
			let scopes = Self::index_scopes(patient, provision, false)?;
			let classes = GrantClassesOf::<T>::try_from(
				scopes.iter().map(|(class, _, _)| *class).collect::<Vec<_>>(),
			)
			.map_err(|_| Error::<T>::Overflow)?;
			let mut lists = Vec::with_capacity(scopes.len());
			for (class, whole_class, records) in scopes {
				let entry = IndexedGrant {
					id,
					effect: provision.effect,
					actions: InlineList::truncate_from(&provision.actions),
					purposes: InlineList::truncate_from(&provision.purposes),
					valid_from,
					valid_until,
					ended_at: None,
					whole_class,
					records: InlineList::truncate_from(&records),
				};
				let list = Self::with_entry(patient, grantee, class, entry, now)
					.ok_or(Error::<T>::TooManyGrantsForGrantee)?;
				lists.push((class, list));
			}
			Ok((classes, lists))
		}

		/// The classes `provision` of `patient` is indexed under, each with whether it names
		/// the class as a whole and the records of that class it names: each class it names,
		/// and the class of each record it names. Every such record must be the patient's and
		/// not erased ([`Error::RecordNotFound`]), or, with `skip_unknown` (a migration of grants
		/// made before the check), is left out.
		#[allow(clippy::type_complexity)]
		pub(crate) fn index_scopes(
			patient: &T::AccountId,
			provision: &ProvisionOf<T>,
			skip_unknown: bool,
		) -> Result<Vec<(ClassTag, bool, ScopeRecordsOf<T>)>, DispatchError> {
			let mut scopes: Vec<(ClassTag, bool, ScopeRecordsOf<T>)> = provision
				.classes
				.iter()
				.map(|class| (*class, true, ScopeRecordsOf::<T>::default()))
				.collect();
			for record in provision.records.iter() {
				let class = match T::Records::record_scope(*record) {
					Some((subject, class)) if subject == *patient => class,
					_ if skip_unknown => continue,
					_ => return Err(Error::<T>::RecordNotFound.into()),
				};
				let records = match scopes.iter_mut().find(|(tag, _, _)| *tag == class) {
					Some((_, _, records)) => records,
					None => {
						scopes.push((class, false, ScopeRecordsOf::<T>::default()));
						match scopes.last_mut() {
							Some((_, _, records)) => records,
							None => return Err(Error::<T>::Overflow.into()),
						}
					},
				};
				// At most the provision's own records, which fit the same bound.
				records.try_push(*record).map_err(|_| Error::<T>::Overflow)?;
			}
			Ok(scopes)
		}

		/// `patient`'s index list for `grantee` and `class` with `entry` added (nothing
		/// written): when the list is full, the grants that can never be in force again from
		/// `now` on are dropped first; `None` if it is still full.
		pub(crate) fn with_entry(
			patient: &T::AccountId,
			grantee: &GranteeOf<T>,
			class: ClassTag,
			entry: IndexedGrantOf<T>,
			now: BlockNumberFor<T>,
		) -> Option<IndexedGrantsOf<T>> {
			let mut list = GrantIndex::<T>::get((patient, grantee, class)).unwrap_or_default();
			if list.is_full() {
				list.retain(|held| held.may_be_in_force_from(now));
			}
			list.try_push(entry).ok()?;
			Some(list)
		}

		/// Records in the decision index that grant `grant` of `patient` to `grantee` ended
		/// (was revoked) at block `at`.
		fn end_indexed(
			patient: &T::AccountId,
			grantee: &GranteeOf<T>,
			grant: GrantId,
			at: BlockNumberFor<T>,
		) {
			for class in GrantClasses::<T>::get(grant).unwrap_or_default() {
				GrantIndex::<T>::mutate((patient, grantee, class), |list| {
					for entry in list.iter_mut().flatten().filter(|entry| entry.id == grant) {
						entry.ended_at = Some(at);
					}
				});
			}
		}

		/// Removes offer `offer` of `patient` and its index entry.
		fn remove_offer(patient: &T::AccountId, offer: OfferId) {
			if let Some(removed) = Offers::<T>::take(offer) {
				Self::uncount_offer(&removed.proposer);
			}
			let mut waiting = PatientOffers::<T>::get(patient).unwrap_or_default();
			waiting.retain(|id| *id != offer);
			if waiting.is_empty() {
				PatientOffers::<T>::remove(patient);
			} else {
				PatientOffers::<T>::insert(patient, waiting);
			}
		}

		/// One offer fewer stored by `proposer`.
		fn uncount_offer(proposer: &T::AccountId) {
			match ProposerOffers::<T>::get(proposer).unwrap_or(0) {
				0 | 1 => ProposerOffers::<T>::remove(proposer),
				held => ProposerOffers::<T>::insert(proposer, held.saturating_sub(1)),
			}
		}

		/// Records as expired every grant of `patient` whose validity ended at or before `now`
		/// and that has no recorded end yet.
		fn settle_expired(
			patient: &T::AccountId,
			grants: &mut GrantsOf<T>,
			now: BlockNumberFor<T>,
		) {
			for grant in grants.iter_mut() {
				if grant.ended.is_some() {
					continue;
				}
				if let Some(until) = grant.valid_until.filter(|until| *until <= now) {
					grant.ended = Some(Ending { at: until, reason: EndReason::Expired });
					Self::deposit_event(Event::ConsentExpired {
						grant: grant.id,
						patient: patient.clone(),
						at: until,
					});
				}
			}
		}

		/// Appends a receipt to `patient`'s log (never overwriting one); returns its sequence
		/// number.
		fn push_receipt(
			patient: &T::AccountId,
			actor: &T::AccountId,
			entry: LogEntry,
		) -> Result<u64, DispatchError> {
			let seq = ReceiptCount::<T>::get(patient);
			let next = seq.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let at = frame_system::Pallet::<T>::block_number();
			Receipts::<T>::insert(
				patient,
				seq,
				AccessReceipt { seq, actor: actor.clone(), at, entry },
			);
			ReceiptCount::<T>::insert(patient, next);
			Ok(seq)
		}

		/// Whether `actor` may do `action`, for `purpose`, on `target` data of `patient` now.
		/// See [`Pallet::evaluate_access_at`].
		pub fn evaluate_access(
			patient: &T::AccountId,
			actor: &T::AccountId,
			action: ConsentAction,
			purpose: PurposeOfUse,
			target: AccessTarget,
		) -> Decision {
			let now = frame_system::Pallet::<T>::block_number();
			Self::evaluate_access_at(patient, actor, action, purpose, target, now)
		}

		/// The one consent evaluator: whether `actor` may do `action`, for `purpose`, on
		/// `target` data of `patient` at block `at`.
		///
		/// Grants and emergency accesses are taken as they are in force at `at`; the actor's
		/// standing in the directory (active practitioner, organisation, role) as it is in
		/// this state, because the directory keeps no history. So `at` is the current block
		/// everywhere but in tests of validity windows: the runtime API answers a past
		/// block's question by evaluating in that block's state (security review L7). In
		/// order, the first rule that applies decides:
		///
		/// 1. the actor is the patient: permitted ([`DecisionReason::Subject`]);
		/// 2. the purpose is `EmergencyTreatment`, the action `Read` or `Write`, the actor is an
		///    active `EmergencyPhysician` and an emergency access they opened to the patient,
		///    for the organisation they act for now, was in force: permitted
		///    ([`DecisionReason::Emergency`]), whatever the grants say;
		/// 3. a deny grant in force matches: denied ([`DecisionReason::Denied`], the lowest
		///    such id);
		/// 4. a permit grant in force matches: permitted ([`DecisionReason::Granted`], the
		///    lowest such id);
		/// 5. a permit grant in force to the actor's account, or to the role they hold while
		///    not active, would match but needs an active practitioner: denied
		///    ([`DecisionReason::NotActivePractitioner`]);
		/// 6. otherwise denied ([`DecisionReason::NoGrant`]).
		///
		/// Only the grants that could decide are read, from the decision index ([`GrantIndex`]):
		/// those to the actor's account and to the role they hold (as an active practitioner,
		/// and whatever their standing, for denies), about the target's data class. So a
		/// question reads at most three lists of at most [`Config::MaxGrantsPerGrantee`]
		/// grants, however many grants the patient made, and never reads a record.
		///
		/// A grant matches when its actions include `action`, its purposes `purpose`, its data
		/// the target (a data class is covered by the grant's classes; a record by its records
		/// or by its class), and its grantee the actor: an account grant matches that account
		/// (a permit for a clinical purpose only while it is an active practitioner); a role
		/// permit matches an active practitioner of that organisation with that role.
		///
		/// Deny overrides, always (security review M1): a deny naming a record also covers a
		/// question about that record's whole class (access to a class is access to each of
		/// its records; the record's class is the one it had when the deny was made, and the
		/// deny keeps covering the class after the record is erased), and a role deny matches
		/// a practitioner of that organisation with that role whatever their standing (a
		/// suspension lifts no denial).
		pub fn evaluate_access_at(
			patient: &T::AccountId,
			actor: &T::AccountId,
			action: ConsentAction,
			purpose: PurposeOfUse,
			target: AccessTarget,
			at: BlockNumberFor<T>,
		) -> Decision {
			if patient == actor {
				return Decision { permitted: true, grant: None, reason: DecisionReason::Subject };
			}
			let practitioner = T::Directory::active_practitioner(actor);
			let membership = match practitioner {
				Some(active) => Some(active),
				None => T::Directory::practitioner_membership(actor),
			};

			if let Some(emergency) =
				Self::emergency_in_force(patient, actor, action, purpose, at, practitioner)
			{
				return Decision {
					permitted: true,
					grant: None,
					reason: DecisionReason::Emergency { emergency },
				};
			}

			// Only the grantees the actor could be: their account, the role they hold as an
			// active practitioner (permits and denies), and the role they hold whatever their
			// standing (denies: a suspension lifts no denial).
			let class = target.class();
			let role = |p: ActivePractitioner| Grantee::Role {
				organisation: p.organisation,
				role: p.role,
			};
			let grantees = [
				Some(Grantee::Account(actor.clone())),
				practitioner.map(role),
				membership.filter(|m| Some(*m) != practitioner).map(role),
			];
			let mut deny: Option<GrantId> = None;
			let mut permit: Option<GrantId> = None;
			let mut needs_active_practitioner = false;
			for grantee in grantees.iter().flatten() {
				let Some(list) = GrantIndex::<T>::get((patient, grantee, class)) else {
					continue;
				};
				for entry in list.iter() {
					if !entry.in_force_at(at) || !entry.names(action, purpose) {
						continue;
					}
					let effect = entry.effect;
					// A class question is covered by the class as a whole, or, for a deny, by
					// any record of the class it names (access to a class is access to each
					// of its records); a record question by the class or that record.
					let covered = entry.whole_class
						|| match target {
							AccessTarget::Class(_) => {
								effect == Effect::Deny && !entry.records.is_empty()
							},
							AccessTarget::Record { record, .. } => entry.records.contains(&record),
						};
					if !covered {
						continue;
					}
					let standing = if effect == Effect::Deny { membership } else { practitioner };
					let lowest =
						|held: Option<GrantId>| Some(held.map_or(entry.id, |h| h.min(entry.id)));
					match (effect, grantee_match(grantee, effect, actor, purpose, standing)) {
						(Effect::Deny, GranteeMatch::Yes) => deny = lowest(deny),
						(Effect::Permit, GranteeMatch::Yes) => permit = lowest(permit),
						(Effect::Permit, GranteeMatch::NeedsActivePractitioner) => {
							needs_active_practitioner = true;
						},
						_ => {},
					}
				}
			}
			if let Some(id) = deny {
				return Decision {
					permitted: false,
					grant: Some(id),
					reason: DecisionReason::Denied,
				};
			}
			match permit {
				Some(id) => {
					Decision { permitted: true, grant: Some(id), reason: DecisionReason::Granted }
				},
				None if needs_active_practitioner => Decision {
					permitted: false,
					grant: None,
					reason: DecisionReason::NotActivePractitioner,
				},
				None => Decision { permitted: false, grant: None, reason: DecisionReason::NoGrant },
			}
		}

		/// The emergency access `actor` opened to `patient` that was in force at `at`, if the
		/// access is one break-glass allows and the actor is still an active emergency
		/// physician of the organisation they opened it for.
		fn emergency_in_force(
			patient: &T::AccountId,
			actor: &T::AccountId,
			action: ConsentAction,
			purpose: PurposeOfUse,
			at: BlockNumberFor<T>,
			practitioner: Option<ActivePractitioner>,
		) -> Option<EmergencyId> {
			if purpose != PurposeOfUse::EmergencyTreatment || action == ConsentAction::Share {
				return None;
			}
			let active = practitioner.filter(|p| p.role == PractitionerRole::EmergencyPhysician)?;
			Emergencies::<T>::get(patient)?
				.iter()
				.find(|e| {
					e.practitioner == *actor
						&& e.organisation == active.organisation
						&& e.in_force_at(at)
				})
				.map(|e| e.id)
		}
	}
}

/// Whether `items` has an entry twice (quadratic: the lists are a few entries long).
fn has_duplicates<I: PartialEq>(items: &[I]) -> bool {
	items
		.iter()
		.enumerate()
		.any(|(i, item)| items.iter().skip(i.saturating_add(1)).any(|o| o == item))
}

/// How the grantee of a grant with `effect` relates to `actor`, whose directory standing is
/// `practitioner`, for `purpose`. An account deny always applies to its account; an account
/// permit for a clinical purpose only while the account is an active practitioner.
fn grantee_match<AccountId: PartialEq>(
	grantee: &Grantee<AccountId>,
	effect: Effect,
	actor: &AccountId,
	purpose: PurposeOfUse,
	practitioner: Option<ActivePractitioner>,
) -> GranteeMatch {
	match grantee {
		Grantee::Account(account) if account != actor => GranteeMatch::No,
		Grantee::Account(_)
			if effect == Effect::Permit && purpose.is_clinical() && practitioner.is_none() =>
		{
			GranteeMatch::NeedsActivePractitioner
		},
		Grantee::Account(_) => GranteeMatch::Yes,
		Grantee::Role { organisation, role } => match practitioner {
			None => GranteeMatch::NeedsActivePractitioner,
			Some(p) if p.organisation == *organisation && p.role == *role => GranteeMatch::Yes,
			Some(_) => GranteeMatch::No,
		},
	}
}
