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

#[cfg(any(test, feature = "runtime-benchmarks"))]
pub mod benchmark_vectors;
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
#[cfg(feature = "runtime-benchmarks")]
pub use benchmarking::anchored_visit;
mod impls;
pub mod ring;
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
use medchain_primitives::{invalid_transaction, Commitment, DirectoryInspect, OrganisationId};
use polkadot_sdk::*;

/// Sets up, for the benchmarks, the organisations, practitioners and patients the directory must
/// know.
///
/// The runtime implements it with the directory's calls; the unit-test mock with its
/// test-controlled directory.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers an active organisation administered by `admin`; returns its id.
	fn create_organisation(admin: &AccountId) -> Result<OrganisationId, sp_runtime::DispatchError>;

	/// Makes `practitioner` an active practitioner of `organisation` (a licence valid now and
	/// from then on).
	fn add_practitioner(
		practitioner: &AccountId,
		organisation: OrganisationId,
	) -> sp_runtime::DispatchResult;

	/// Registers `patient` as a patient.
	fn register_patient(patient: &AccountId) -> sp_runtime::DispatchResult;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate, MutateHold},
			tokens::Precision,
			UnixTime,
		},
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::{
		traits::{CheckedAdd, Zero},
		SaturatedConversion,
	};

	/// The storage version of this pallet.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// An external registry id (e.g. an NCT number), bounded by [`Config::MaxRegistryIdLen`].
	pub type RegistryIdOf<T> = BoundedVec<u8, <T as Config>::MaxRegistryIdLen>;
	/// A link to a results report, bounded by [`Config::MaxLinkLen`].
	pub type LinkOf<T> = BoundedVec<u8, <T as Config>::MaxLinkLen>;
	/// Primary outcome hashes, bounded by [`Config::MaxPrimaryOutcomes`].
	pub type PrimaryOutcomesOf<T> = BoundedVec<Commitment, <T as Config>::MaxPrimaryOutcomes>;
	/// Secondary outcome hashes, bounded by [`Config::MaxSecondaryOutcomes`].
	pub type SecondaryOutcomesOf<T> = BoundedVec<Commitment, <T as Config>::MaxSecondaryOutcomes>;
	/// A protocol as calls take it and this runtime stores it.
	pub type ProtocolOf<T> = Protocol<PrimaryOutcomesOf<T>, SecondaryOutcomesOf<T>>;
	/// A trial as this runtime stores it.
	pub type TrialOf<T> = Trial<
		<T as frame_system::Config>::AccountId,
		BlockNumberFor<T>,
		RegistryIdOf<T>,
		PrimaryOutcomesOf<T>,
		SecondaryOutcomesOf<T>,
		LinkOf<T>,
	>;
	/// A trial as the runtime API answers.
	pub type TrialInfoOf<T> = TrialInfo<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// An amendment as this runtime stores it.
	pub type AmendmentOf<T> =
		Amendment<BlockNumberFor<T>, PrimaryOutcomesOf<T>, SecondaryOutcomesOf<T>>;
	/// An amendment as the runtime API answers.
	pub type AmendmentInfoOf<T> = Amendment<BlockNumberFor<T>, Vec<Commitment>, Vec<Commitment>>;
	/// A participant as this runtime stores it.
	pub type ParticipantOf<T> = Participant<BlockNumberFor<T>>;
	/// A dataset anchor as this runtime stores it.
	pub type DataAnchorOf<T> =
		DataAnchor<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A trial's sites.
	pub type SitesOf<T> = BoundedVec<OrganisationId, <T as Config>::MaxSites>;
	/// A trial's investigators.
	pub type InvestigatorsOf<T> =
		BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxInvestigators>;
	/// A research ring's keys.
	pub type RingMembersOf<T> = BoundedVec<ResearchKey, <T as Config>::MaxRingMembers>;
	/// An amount of the currency registration deposits are held in.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit on a registered trial, held from the admin who registered it until its
		/// results are published.
		TrialRegistration,
	}

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The clinical-trials pallet's configuration.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who organisation admins, practitioners and patients are (the directory).
		type Directory: DirectoryInspect<Self::AccountId>;

		/// The wall-clock time of amendments (Unix seconds).
		type Time: UnixTime;

		/// The most primary outcomes a protocol names. At least 1.
		#[pallet::constant]
		type MaxPrimaryOutcomes: Get<u32>;

		/// The most secondary outcomes a protocol names.
		#[pallet::constant]
		type MaxSecondaryOutcomes: Get<u32>;

		/// The most amendments a trial may have.
		#[pallet::constant]
		type MaxAmendments: Get<u32>;

		/// The most sites a trial may have. At least 1.
		#[pallet::constant]
		type MaxSites: Get<u32>;

		/// The most investigators a trial may have. At least 1.
		#[pallet::constant]
		type MaxInvestigators: Get<u32>;

		/// The most consent-form versions a trial may publish. At least 1.
		#[pallet::constant]
		type MaxConsentForms: Get<u32>;

		/// The largest planned enrolment of a trial. At least 1.
		#[pallet::constant]
		type MaxParticipants: Get<u32>;

		/// The most datasets a trial may anchor.
		#[pallet::constant]
		type MaxDataAnchors: Get<u32>;

		/// The longest external registry id, in bytes.
		#[pallet::constant]
		type MaxRegistryIdLen: Get<u32>;

		/// The longest results link, in bytes.
		#[pallet::constant]
		type MaxLinkLen: Get<u32>;

		/// The most entries one page of a listing returns. At least 1.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// The most research keys one ring takes before the next ring starts: the anonymity
		/// set of a trial call is the ring it proves membership of. At most
		/// [`ring::RING_CAPACITY`].
		#[pallet::constant]
		type MaxRingMembers: Get<u32>;

		/// The fewest research keys a ring must hold before trial calls may prove membership of
		/// it (a smaller ring would say too much about who is acting). At least 1, at most
		/// [`Config::MaxRingMembers`].
		#[pallet::constant]
		type MinRingMembers: Get<u32>;

		/// The currency registration deposits are held in (a hold, not a reserve: it stays the
		/// registering admin's, earns nothing and cannot be spent until released).
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;

		/// The runtime's hold reasons, of which this pallet's [`HoldReason`] is one.
		type RuntimeHoldReason: From<HoldReason>;

		/// What registering a trial holds from the registering admin until the trial's results
		/// are published: a trial's storage (protocol, amendments, sites, consent forms,
		/// anchors) is kept for good, so registering costs a stake that publishing returns.
		#[pallet::constant]
		type RegistrationDeposit: Get<BalanceOf<Self>>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up organisations, practitioners, patients and research grants for the
		/// benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The id the next trial receives (ids are sequential and never reused).
	#[pallet::storage]
	pub type NextTrialId<T> = StorageValue<_, TrialId, ValueQuery>;

	/// Every trial, by id. Trials are never deleted.
	#[pallet::storage]
	pub type Trials<T: Config> = StorageMap<_, Twox64Concat, TrialId, TrialOf<T>, OptionQuery>;

	/// Index from an external registry id to its trial (mirrors the trials' `registry_id`).
	#[pallet::storage]
	pub type RegistryIds<T: Config> =
		StorageMap<_, Blake2_128Concat, RegistryIdOf<T>, TrialId, OptionQuery>;

	/// Every amendment, by trial and the protocol version it created (2, 3, …). Never deleted.
	#[pallet::storage]
	pub type Amendments<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TrialId, Twox64Concat, u32, AmendmentOf<T>, OptionQuery>;

	/// Each trial's sites (organisations whose practitioners may be its investigators), in the
	/// order they were added.
	#[pallet::storage]
	pub type Sites<T: Config> = StorageMap<_, Twox64Concat, TrialId, SitesOf<T>, ValueQuery>;

	/// Each trial's investigators, in the order they were added.
	#[pallet::storage]
	pub type Investigators<T: Config> =
		StorageMap<_, Twox64Concat, TrialId, InvestigatorsOf<T>, ValueQuery>;

	/// Each trial's consent-form versions, by trial and version (1, 2, …).
	#[pallet::storage]
	pub type ConsentForms<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		TrialId,
		Twox64Concat,
		u32,
		ConsentForm<BlockNumberFor<T>>,
		OptionQuery,
	>;

	/// Each trial's participants, by per-study pseudonym (the alias of a research key in the
	/// trial's context: one per key and trial, so nobody enrols twice).
	#[pallet::storage]
	pub type Participants<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		TrialId,
		Blake2_128Concat,
		Pseudonym,
		ParticipantOf<T>,
		OptionQuery,
	>;

	/// Each patient's research key and the ring it joined (one key per patient, for good).
	#[pallet::storage]
	pub type ResearchKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (RingIndex, ResearchKey), OptionQuery>;

	/// The patient of each research key (so that no key joins a ring twice).
	#[pallet::storage]
	pub type ResearchKeyOwners<T: Config> =
		StorageMap<_, Blake2_128Concat, ResearchKey, T::AccountId, OptionQuery>;

	/// The ring new research keys join (the rings before it are full).
	#[pallet::storage]
	pub type CurrentRing<T> = StorageValue<_, RingIndex, ValueQuery>;

	/// Each ring's research keys, in the order they joined.
	#[pallet::storage]
	pub type RingMembers<T: Config> =
		StorageMap<_, Twox64Concat, RingIndex, RingMembersOf<T>, ValueQuery>;

	/// Each ring's builder (to add the next key).
	#[pallet::storage]
	pub type RingBuilders<T: Config> =
		StorageMap<_, Twox64Concat, RingIndex, ring::RingBuilder, OptionQuery>;

	/// Each ring's root: trial calls' proofs are verified against it.
	#[pallet::storage]
	pub type RingRoots<T: Config> =
		StorageMap<_, Twox64Concat, RingIndex, ring::RingRoot, OptionQuery>;

	/// Each trial's anchored datasets, by trial and sequence number (0, 1, …).
	#[pallet::storage]
	pub type DataAnchors<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TrialId, Twox64Concat, u32, DataAnchorOf<T>, OptionQuery>;

	/// The trials whose results are not published yet, with the last block in which publishing
	/// them is on time.
	#[pallet::storage]
	pub type PendingResults<T: Config> =
		StorageMap<_, Twox64Concat, TrialId, BlockNumberFor<T>, OptionQuery>;

	/// The deposit held for each trial whose results are not published yet: the account it is
	/// held from (the admin who registered the trial) and the amount. Released, and removed,
	/// when the results are published.
	#[pallet::storage]
	pub type Deposits<T: Config> =
		StorageMap<_, Twox64Concat, TrialId, (T::AccountId, BalanceOf<T>), OptionQuery>;

	/// What happened to trials. No event names a patient: participants appear only under their
	/// per-study pseudonym.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A trial was registered (pre-registration).
		TrialRegistered {
			/// The trial.
			trial: TrialId,
			/// Its sponsor organisation.
			sponsor: OrganisationId,
			/// Its external registry id, if any.
			registry_id: Option<RegistryIdOf<T>>,
			/// The last block in which publishing its results is on time.
			results_due: BlockNumberFor<T>,
			/// The deposit held from the registering admin until the results are published.
			deposit: BalanceOf<T>,
		},
		/// The sponsor amended the protocol.
		ProtocolAmended {
			/// The trial.
			trial: TrialId,
			/// The protocol version the amendment created.
			version: u32,
			/// Hash of the statement of reasons.
			reason: Commitment,
		},
		/// An amendment changed the primary or the secondary outcomes (outcome switching is on
		/// the record).
		OutcomeChanged {
			/// The trial.
			trial: TrialId,
			/// The protocol version the amendment created.
			version: u32,
			/// Whether the primary outcomes changed (else the secondary ones).
			primary: bool,
		},
		/// A site was added.
		SiteAdded {
			/// The trial.
			trial: TrialId,
			/// The site organisation.
			organisation: OrganisationId,
		},
		/// An investigator was added.
		InvestigatorAdded {
			/// The trial.
			trial: TrialId,
			/// The investigator.
			investigator: T::AccountId,
		},
		/// An investigator was removed.
		InvestigatorRemoved {
			/// The trial.
			trial: TrialId,
			/// The former investigator.
			investigator: T::AccountId,
		},
		/// A consent-form version was published; participants on older versions must
		/// re-consent.
		ConsentFormPublished {
			/// The trial.
			trial: TrialId,
			/// The new version.
			version: u32,
			/// Hash of the form's text.
			hash: Commitment,
		},
		/// Recruitment opened; the allocation seed is committed.
		RecruitmentOpened {
			/// The trial.
			trial: TrialId,
			/// The independent randomiser who holds the seed.
			randomiser: T::AccountId,
			/// The allocation commitment (`blake2_256` of the seed).
			commitment: Commitment,
		},
		/// Recruitment closed.
		RecruitmentClosed {
			/// The trial.
			trial: TrialId,
			/// How many participants enrolled.
			enrolled: u32,
		},
		/// A patient registered a research key; it joined ring `ring`.
		ResearchKeyRegistered {
			/// The patient.
			patient: T::AccountId,
			/// The ring the key joined.
			ring: RingIndex,
			/// The key.
			key: ResearchKey,
		},
		/// A participant enrolled.
		ParticipantEnrolled {
			/// The trial.
			trial: TrialId,
			/// The participant's per-study pseudonym.
			pseudonym: Pseudonym,
			/// The consent-form version they consented to.
			consent_form: u32,
		},
		/// A participant consented to the current consent form.
		ParticipantReconsented {
			/// The trial.
			trial: TrialId,
			/// The participant's pseudonym.
			pseudonym: Pseudonym,
			/// The consent-form version they consented to.
			consent_form: u32,
		},
		/// A participant withdrew.
		ParticipantWithdrew {
			/// The trial.
			trial: TrialId,
			/// The participant's pseudonym.
			pseudonym: Pseudonym,
		},
		/// An investigator anchored a dataset.
		DataAnchored {
			/// The trial.
			trial: TrialId,
			/// The anchor's sequence number in the trial.
			seq: u32,
			/// Whose data.
			subject: DataSubject,
			/// Hash of the dataset.
			hash: Commitment,
		},
		/// The dataset was locked.
		DataLocked {
			/// The trial.
			trial: TrialId,
			/// The dataset's root hash.
			root: Commitment,
		},
		/// The allocation seed was revealed: every participant's arm can now be computed.
		AllocationRevealed {
			/// The trial.
			trial: TrialId,
			/// The seed.
			seed: AllocationSeed,
		},
		/// Results were published.
		ResultsPublished {
			/// The trial.
			trial: TrialId,
			/// Hash of the results report.
			hash: Commitment,
			/// Whether they came after the due block.
			late: bool,
		},
		/// A trial's registration deposit was released to the admin who registered it (its
		/// results were published).
		DepositReleased {
			/// The trial.
			trial: TrialId,
			/// Whom the deposit was held from.
			who: T::AccountId,
			/// The amount released.
			amount: BalanceOf<T>,
		},
		/// The sponsor terminated the trial.
		TrialTerminated {
			/// The trial.
			trial: TrialId,
			/// Hash of the statement of reasons.
			reason: Commitment,
			/// The status it had.
			from: TrialStatus,
		},
	}

	/// Why a clinical-trials call failed.
	#[pallet::error]
	pub enum Error<T> {
		/// No trial has this id.
		TrialNotFound,
		/// The registering admin's free balance cannot cover the registration deposit
		/// ([`Config::RegistrationDeposit`]) and still keep the account alive.
		CannotHoldDeposit,
		/// The caller is not an admin of the trial's sponsor organisation.
		NotAuthorized,
		/// Another trial has this external registry id.
		RegistryIdTaken,
		/// The external registry id is empty.
		InvalidRegistryId,
		/// The protocol names no primary outcome.
		NoPrimaryOutcome,
		/// An outcome hash appears twice (within or across the primary and secondary lists).
		DuplicateOutcome,
		/// The planned enrolment is 0 or above `MaxParticipants`.
		InvalidEnrolment,
		/// The number of arms is not between 2 and 16.
		InvalidArms,
		/// The results-due period is 0.
		InvalidResultsPeriod,
		/// A counter, an id or a block number would overflow.
		Overflow,
		/// The trial's status does not allow this.
		WrongStatus,
		/// The amendment changes nothing.
		NothingChanged,
		/// The trial has as many amendments as allowed.
		TooManyAmendments,
		/// The organisation is a site of the trial already.
		AlreadySite,
		/// The trial has as many sites as allowed.
		TooManySites,
		/// The account is not an active practitioner of one of the trial's sites.
		NotSitePractitioner,
		/// The account is an investigator of the trial already.
		AlreadyInvestigator,
		/// The trial has as many investigators as allowed.
		TooManyInvestigators,
		/// The account is not an investigator of the trial.
		NotInvestigator,
		/// The trial has as many consent-form versions as allowed.
		TooManyConsentForms,
		/// Recruitment needs at least one site.
		NoSite,
		/// Recruitment needs a published consent form.
		NoConsentForm,
		/// The caller is not a registered patient.
		PatientNotFound,
		/// The consent-form version is not the trial's current one.
		StaleConsentForm,
		/// The pseudonym is enrolled in the trial already (its research key enrolled once).
		AlreadyEnrolled,
		/// The trial has enrolled as many participants as planned.
		EnrolmentFull,
		/// No participant of the trial has this pseudonym.
		NotParticipant,
		/// The participant has withdrawn.
		Withdrawn,
		/// The participant consented to the current consent form already.
		AlreadyConsented,
		/// The participant must consent to the current consent form first.
		ReconsentRequired,
		/// The trial has as many data anchors as allowed.
		TooManyDataAnchors,
		/// The seed does not match the allocation commitment.
		AllocationMismatch,
		/// The trial never committed an allocation (terminated before recruitment).
		NoAllocation,
		/// The allocation seed is revealed already.
		AllocationRevealed,
		/// Results are published already.
		ResultsPublished,
		/// The patient registered a research key already (one per patient).
		AlreadyHasResearchKey,
		/// Another patient registered this research key.
		ResearchKeyTaken,
		/// The research key is not a valid Bandersnatch public key.
		InvalidResearchKey,
		/// No research ring has this index.
		UnknownRing,
		/// The ring has fewer keys than [`Config::MinRingMembers`]: too small to hide who acts.
		RingTooSmall,
		/// The ring proof is not valid for this ring, trial, pseudonym and action.
		BadProof,
		/// The caller is not the trial's randomiser.
		NotRandomiser,
		/// The randomiser is an admin of the sponsor (it must be independent of it).
		RandomiserNotIndependent,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxPrimaryOutcomes::get() > 0, "MaxPrimaryOutcomes must allow one");
			assert!(T::MaxSites::get() > 0, "MaxSites must allow a site");
			assert!(T::MaxInvestigators::get() > 0, "MaxInvestigators must allow one");
			assert!(T::MaxConsentForms::get() > 0, "MaxConsentForms must allow a form");
			assert!(T::MaxParticipants::get() > 0, "MaxParticipants must allow a participant");
			assert!(T::MaxPageSize::get() > 0, "MaxPageSize must allow an entry per page");
			assert!(
				T::MaxRingMembers::get() <= ring::RING_CAPACITY,
				"MaxRingMembers exceeds the ring parameters' capacity"
			);
			assert!(
				T::MinRingMembers::get() > 0
					&& T::MinRingMembers::get() <= T::MaxRingMembers::get(),
				"MinRingMembers must be between 1 and MaxRingMembers"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register (pre-register) a trial: its protocol, analysis plan and outcomes are fixed
		/// on chain before any enrolment, and kept as registered for good.
		///
		/// The origin must be signed by an admin of `sponsor`.
		///
		/// - `sponsor`: the sponsor organisation.
		/// - `registry_id`: the trial's id in an external registry (e.g. an NCT number), if
		///   any; not empty, unique across trials.
		/// - `protocol`: hashes of the protocol and the analysis plan, of the primary outcomes
		///   (at least one) and of the secondary outcomes; no outcome hash twice.
		/// - `planned_enrolment`: 1 to [`Config::MaxParticipants`].
		/// - `arms`: the number of allocation arms, 2 to 16.
		/// - `results_due_period`: how many blocks after registration results are due (> 0).
		///
		/// The trial receives the next sequential id, protocol version 1, status `Registered`,
		/// and is listed as pending results. [`Config::RegistrationDeposit`] is held from the
		/// caller until the results are published ([`Deposits`]).
		///
		/// # Events
		/// [`Event::TrialRegistered`] (with the deposit held).
		///
		/// # Errors
		/// - [`Error::NotAuthorized`]: the caller is not an admin of `sponsor`.
		/// - [`Error::CannotHoldDeposit`]: the caller cannot pay the deposit.
		/// - [`Error::InvalidRegistryId`]: `registry_id` is empty.
		/// - [`Error::RegistryIdTaken`]: another trial has `registry_id`.
		/// - [`Error::NoPrimaryOutcome`], [`Error::DuplicateOutcome`]: malformed outcomes.
		/// - [`Error::InvalidEnrolment`], [`Error::InvalidArms`],
		///   [`Error::InvalidResultsPeriod`]: out of range.
		/// - [`Error::Overflow`]: trial ids or the due block would overflow.
		///
		/// # Complexity
		/// O(O²) in the outcomes `O` (duplicate check), bounded by the configuration; the
		/// directory question, a hold, two reads, five writes.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_trial())]
		pub fn register_trial(
			origin: OriginFor<T>,
			sponsor: OrganisationId,
			registry_id: Option<RegistryIdOf<T>>,
			protocol: ProtocolOf<T>,
			planned_enrolment: u32,
			arms: u8,
			results_due_period: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Directory::is_organisation_admin(&who, sponsor), Error::<T>::NotAuthorized);
			if let Some(id) = &registry_id {
				ensure!(!id.is_empty(), Error::<T>::InvalidRegistryId);
				ensure!(!RegistryIds::<T>::contains_key(id), Error::<T>::RegistryIdTaken);
			}
			Self::ensure_valid_outcomes(&protocol.primary_outcomes, &protocol.secondary_outcomes)?;
			ensure!(
				planned_enrolment > 0 && planned_enrolment <= T::MaxParticipants::get(),
				Error::<T>::InvalidEnrolment
			);
			ensure!((MIN_ARMS..=MAX_ARMS).contains(&arms), Error::<T>::InvalidArms);
			ensure!(!results_due_period.is_zero(), Error::<T>::InvalidResultsPeriod);

			let now = frame_system::Pallet::<T>::block_number();
			let results_due = now.checked_add(&results_due_period).ok_or(Error::<T>::Overflow)?;
			let id = NextTrialId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let deposit = T::RegistrationDeposit::get();
			if !deposit.is_zero() {
				T::Currency::hold(&HoldReason::TrialRegistration.into(), &who, deposit)
					.map_err(|_| Error::<T>::CannotHoldDeposit)?;
				Deposits::<T>::insert(id, (who.clone(), deposit));
			}
			let trial = Trial {
				id,
				sponsor,
				registered_by: who,
				registry_id: registry_id.clone(),
				registered: protocol.clone(),
				current: protocol,
				protocol_version: 1,
				planned_enrolment,
				arms,
				registered_at: now,
				results_due,
				status: TrialStatus::Registered,
				enrolled: 0,
				withdrawn: 0,
				allocation_commitment: None,
				randomiser: None,
				allocation_seed: None,
				data_anchors: 0,
				lock: None,
				results: None,
				outcome_changes: 0,
				consent_form: 0,
				termination: None,
			};

			Trials::<T>::insert(id, trial);
			if let Some(registry) = &registry_id {
				RegistryIds::<T>::insert(registry, id);
			}
			PendingResults::<T>::insert(id, results_due);
			NextTrialId::<T>::put(next);
			Self::deposit_event(Event::TrialRegistered {
				trial: id,
				sponsor,
				registry_id,
				results_due,
				deposit,
			});
			Ok(())
		}

		/// Amend the protocol: a new protocol hash, analysis plan, primary or secondary
		/// outcomes (any of them). The amendment is kept for good with its block, time and
		/// reason, and creates the next protocol version; the registered protocol stays as
		/// registered. An amendment whose primary (or secondary) outcomes differ from the
		/// current ones (a different list, or the same hashes in another order) is an
		/// **outcome change**: it is flagged, counted in the trial's `outcome_changes` and
		/// announced.
		///
		/// The origin must be signed by an admin of the sponsor. The trial must be
		/// `Registered`, `Recruiting` or `Active` (not after the data lock).
		///
		/// - `trial`: the trial.
		/// - `protocol`, `sap`: the new protocol and analysis-plan hashes, if they change.
		/// - `primary_outcomes`, `secondary_outcomes`: the new outcome lists, if they change
		///   (primary: at least one; no hash twice across the resulting lists).
		/// - `reason`: hash of the statement of reasons.
		///
		/// # Events
		/// [`Event::ProtocolAmended`]; [`Event::OutcomeChanged`] for each outcome list changed.
		///
		/// # Errors
		/// - [`Error::TrialNotFound`], [`Error::NotAuthorized`], [`Error::WrongStatus`].
		/// - [`Error::NoPrimaryOutcome`], [`Error::DuplicateOutcome`]: malformed outcomes.
		/// - [`Error::NothingChanged`]: everything given equals the current protocol.
		/// - [`Error::TooManyAmendments`]: the trial has [`Config::MaxAmendments`].
		/// - [`Error::Overflow`]: the version would overflow.
		///
		/// # Complexity
		/// O(O²) in the outcomes, bounded; the directory question, one read, two writes.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::amend_protocol())]
		pub fn amend_protocol(
			origin: OriginFor<T>,
			trial: TrialId,
			protocol: Option<Commitment>,
			sap: Option<Commitment>,
			primary_outcomes: Option<PrimaryOutcomesOf<T>>,
			secondary_outcomes: Option<SecondaryOutcomesOf<T>>,
			reason: Commitment,
		) -> DispatchResult {
			let mut record = Self::sponsor_trial(origin, trial)?;
			ensure!(
				matches!(
					record.status,
					TrialStatus::Registered | TrialStatus::Recruiting | TrialStatus::Active
				),
				Error::<T>::WrongStatus
			);
			let current = &record.current;
			let new_primary = primary_outcomes.as_ref().unwrap_or(&current.primary_outcomes);
			let new_secondary = secondary_outcomes.as_ref().unwrap_or(&current.secondary_outcomes);
			Self::ensure_valid_outcomes(new_primary, new_secondary)?;
			let primary_changed = *new_primary != current.primary_outcomes;
			let secondary_changed = *new_secondary != current.secondary_outcomes;
			let protocol_changed = protocol.is_some_and(|p| p != current.protocol);
			let sap_changed = sap.is_some_and(|s| s != current.sap);
			ensure!(
				primary_changed || secondary_changed || protocol_changed || sap_changed,
				Error::<T>::NothingChanged
			);
			ensure!(
				record.protocol_version.saturating_sub(1) < T::MaxAmendments::get(),
				Error::<T>::TooManyAmendments
			);
			let version = record.protocol_version.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let changes = u32::from(primary_changed).saturating_add(u32::from(secondary_changed));
			let outcome_changes =
				record.outcome_changes.checked_add(changes).ok_or(Error::<T>::Overflow)?;

			let new_primary = new_primary.clone();
			let new_secondary = new_secondary.clone();
			if let Some(p) = protocol {
				record.current.protocol = p;
			}
			if let Some(s) = sap {
				record.current.sap = s;
			}
			record.current.primary_outcomes = new_primary;
			record.current.secondary_outcomes = new_secondary;
			record.protocol_version = version;
			record.outcome_changes = outcome_changes;
			let amendment = Amendment {
				version,
				at: frame_system::Pallet::<T>::block_number(),
				timestamp: T::Time::now().as_secs(),
				protocol,
				sap,
				primary_outcomes,
				secondary_outcomes,
				primary_changed,
				secondary_changed,
				reason,
			};

			Amendments::<T>::insert(trial, version, amendment);
			Trials::<T>::insert(trial, record);
			Self::deposit_event(Event::ProtocolAmended { trial, version, reason });
			if primary_changed {
				Self::deposit_event(Event::OutcomeChanged { trial, version, primary: true });
			}
			if secondary_changed {
				Self::deposit_event(Event::OutcomeChanged { trial, version, primary: false });
			}
			Ok(())
		}

		/// Add a site: an organisation whose active practitioners may become investigators.
		///
		/// The origin must be signed by an admin of the sponsor. The trial must be
		/// `Registered`, `Recruiting` or `Active`.
		///
		/// - `trial`: the trial.
		/// - `organisation`: the site organisation.
		///
		/// # Events
		/// [`Event::SiteAdded`].
		///
		/// # Errors
		/// - [`Error::TrialNotFound`], [`Error::NotAuthorized`], [`Error::WrongStatus`].
		/// - [`Error::AlreadySite`]: it is a site already.
		/// - [`Error::TooManySites`]: the trial has [`Config::MaxSites`].
		///
		/// # Complexity
		/// O(S) in the sites, bounded by [`Config::MaxSites`]; two reads, one write.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::add_site())]
		pub fn add_site(
			origin: OriginFor<T>,
			trial: TrialId,
			organisation: OrganisationId,
		) -> DispatchResult {
			let record = Self::sponsor_trial(origin, trial)?;
			Self::ensure_before_lock(&record)?;
			let mut sites = Sites::<T>::get(trial);
			ensure!(!sites.contains(&organisation), Error::<T>::AlreadySite);
			sites.try_push(organisation).map_err(|_| Error::<T>::TooManySites)?;

			Sites::<T>::insert(trial, sites);
			Self::deposit_event(Event::SiteAdded { trial, organisation });
			Ok(())
		}

		/// Add an investigator: an active practitioner of one of the trial's sites, who may then
		/// anchor datasets.
		///
		/// The origin must be signed by an admin of the sponsor. The trial must be
		/// `Registered`, `Recruiting` or `Active`.
		///
		/// - `trial`: the trial.
		/// - `investigator`: the practitioner's account.
		///
		/// # Events
		/// [`Event::InvestigatorAdded`].
		///
		/// # Errors
		/// - [`Error::TrialNotFound`], [`Error::NotAuthorized`], [`Error::WrongStatus`].
		/// - [`Error::NotSitePractitioner`]: not an active practitioner of a site.
		/// - [`Error::AlreadyInvestigator`]: an investigator already.
		/// - [`Error::TooManyInvestigators`]: the trial has [`Config::MaxInvestigators`].
		///
		/// # Complexity
		/// O(S + I) in the sites and investigators, bounded; the directory questions, three
		/// reads, one write.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::add_investigator())]
		pub fn add_investigator(
			origin: OriginFor<T>,
			trial: TrialId,
			investigator: T::AccountId,
		) -> DispatchResult {
			let record = Self::sponsor_trial(origin, trial)?;
			Self::ensure_before_lock(&record)?;
			ensure!(
				Self::is_site_practitioner(trial, &investigator),
				Error::<T>::NotSitePractitioner
			);
			let mut investigators = Investigators::<T>::get(trial);
			ensure!(!investigators.contains(&investigator), Error::<T>::AlreadyInvestigator);
			investigators
				.try_push(investigator.clone())
				.map_err(|_| Error::<T>::TooManyInvestigators)?;

			Investigators::<T>::insert(trial, investigators);
			Self::deposit_event(Event::InvestigatorAdded { trial, investigator });
			Ok(())
		}

		/// Remove an investigator (at any status): they may no longer anchor datasets.
		///
		/// The origin must be signed by an admin of the sponsor.
		///
		/// - `trial`: the trial.
		/// - `investigator`: the investigator's account.
		///
		/// # Events
		/// [`Event::InvestigatorRemoved`].
		///
		/// # Errors
		/// - [`Error::TrialNotFound`], [`Error::NotAuthorized`].
		/// - [`Error::NotInvestigator`]: not an investigator of the trial.
		///
		/// # Complexity
		/// O(I) in the investigators, bounded by [`Config::MaxInvestigators`]; two reads, one
		/// write.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::remove_investigator())]
		pub fn remove_investigator(
			origin: OriginFor<T>,
			trial: TrialId,
			investigator: T::AccountId,
		) -> DispatchResult {
			Self::sponsor_trial(origin, trial)?;
			let mut investigators = Investigators::<T>::get(trial);
			let position = investigators
				.iter()
				.position(|i| *i == investigator)
				.ok_or(Error::<T>::NotInvestigator)?;
			investigators.remove(position);

			Investigators::<T>::insert(trial, investigators);
			Self::deposit_event(Event::InvestigatorRemoved { trial, investigator });
			Ok(())
		}

		/// Publish a new version of the participant consent form. Participants enrolled on an
		/// older version must re-consent before more of their data is anchored.
		///
		/// The origin must be signed by an admin of the sponsor. The trial must be
		/// `Registered`, `Recruiting` or `Active`.
		///
		/// - `trial`: the trial.
		/// - `hash`: hash of the form's text.
		///
		/// # Events
		/// [`Event::ConsentFormPublished`].
		///
		/// # Errors
		/// - [`Error::TrialNotFound`], [`Error::NotAuthorized`], [`Error::WrongStatus`].
		/// - [`Error::TooManyConsentForms`]: the trial has [`Config::MaxConsentForms`].
		///
		/// # Complexity
		/// O(1); the directory question, one read, two writes.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::publish_consent_form())]
		pub fn publish_consent_form(
			origin: OriginFor<T>,
			trial: TrialId,
			hash: Commitment,
		) -> DispatchResult {
			let mut record = Self::sponsor_trial(origin, trial)?;
			Self::ensure_before_lock(&record)?;
			ensure!(
				record.consent_form < T::MaxConsentForms::get(),
				Error::<T>::TooManyConsentForms
			);
			let version = record.consent_form.checked_add(1).ok_or(Error::<T>::Overflow)?;
			record.consent_form = version;
			let published_at = frame_system::Pallet::<T>::block_number();

			ConsentForms::<T>::insert(trial, version, ConsentForm { version, hash, published_at });
			Trials::<T>::insert(trial, record);
			Self::deposit_event(Event::ConsentFormPublished { trial, version, hash });
			Ok(())
		}

		/// Open recruitment (`Registered` → `Recruiting`), committing to the allocation seed
		/// before anyone enrols. The seed is held by an independent randomiser (e.g. the trial
		/// statistician or pharmacy), never by the sponsor: only the randomiser reveals it, and
		/// only after the data lock, so the sponsor cannot learn any participant's arm before.
		///
		/// The origin must be signed by an admin of the sponsor. The trial needs a site and a
		/// consent form.
		///
		/// - `trial`: the trial.
		/// - `randomiser`: who holds the seed; not an admin of the sponsor.
		/// - `commitment`: `blake2_256` of the secret allocation seed (from the randomiser).
		///
		/// # Events
		/// [`Event::RecruitmentOpened`].
		///
		/// # Errors
		/// - [`Error::TrialNotFound`], [`Error::NotAuthorized`].
		/// - [`Error::WrongStatus`]: the trial is not `Registered`.
		/// - [`Error::NoSite`], [`Error::NoConsentForm`]: not ready.
		/// - [`Error::RandomiserNotIndependent`]: `randomiser` is an admin of the sponsor.
		///
		/// # Complexity
		/// O(1); two directory questions, two reads, one write.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::open_recruitment())]
		pub fn open_recruitment(
			origin: OriginFor<T>,
			trial: TrialId,
			randomiser: T::AccountId,
			commitment: Commitment,
		) -> DispatchResult {
			let mut record = Self::sponsor_trial(origin, trial)?;
			ensure!(record.status == TrialStatus::Registered, Error::<T>::WrongStatus);
			ensure!(!Sites::<T>::get(trial).is_empty(), Error::<T>::NoSite);
			ensure!(record.consent_form > 0, Error::<T>::NoConsentForm);
			ensure!(
				!T::Directory::is_organisation_admin(&randomiser, record.sponsor),
				Error::<T>::RandomiserNotIndependent
			);
			record.status = TrialStatus::Recruiting;
			record.allocation_commitment = Some(commitment);
			record.randomiser = Some(randomiser.clone());

			Trials::<T>::insert(trial, record);
			Self::deposit_event(Event::RecruitmentOpened { trial, randomiser, commitment });
			Ok(())
		}

		/// Close recruitment (`Recruiting` → `Active`): no more enrolment.
		///
		/// The origin must be signed by an admin of the sponsor.
		///
		/// - `trial`: the trial.
		///
		/// # Events
		/// [`Event::RecruitmentClosed`].
		///
		/// # Errors
		/// - [`Error::TrialNotFound`], [`Error::NotAuthorized`].
		/// - [`Error::WrongStatus`]: the trial is not `Recruiting`.
		///
		/// # Complexity
		/// O(1); the directory question, one read, one write.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::close_recruitment())]
		pub fn close_recruitment(origin: OriginFor<T>, trial: TrialId) -> DispatchResult {
			let mut record = Self::sponsor_trial(origin, trial)?;
			ensure!(record.status == TrialStatus::Recruiting, Error::<T>::WrongStatus);
			record.status = TrialStatus::Active;
			let enrolled = record.enrolled;

			Trials::<T>::insert(trial, record);
			Self::deposit_event(Event::RecruitmentClosed { trial, enrolled });
			Ok(())
		}

		/// Enrol in a trial under a per-study pseudonym, without saying who enrols.
		///
		/// This is an unsigned (general, authorized) transaction: nobody signs it and nobody
		/// pays a fee for it, so no account appears next to it. It carries a ring VRF proof that
		/// its author holds the secret of one of ring `ring`'s research keys; the proof yields
		/// the key's alias in this trial (`pseudonym`) and binds the consent-form version. One
		/// key has one alias per trial, so nobody enrols twice. Taking part is itself the
		/// patient's consent to the trial (the consent form they signed); withdrawing ends it.
		///
		/// The transaction is valid only when the call would succeed (see the errors), so an
		/// invalid one never enters a block.
		///
		/// - `trial`: the trial (`Recruiting`, not full).
		/// - `ring`: the research ring the proof is made against (holding at least
		///   [`Config::MinRingMembers`] keys).
		/// - `consent_form`: the consent-form version consented to (the current one).
		/// - `pseudonym`: the alias the proof yields.
		/// - `proof`: the ring VRF proof for the trial's context ([`ring::context`]) and
		///   [`ring::enrol_message`].
		///
		/// # Events
		/// [`Event::ParticipantEnrolled`] (no account in it).
		///
		/// # Errors
		/// Refused as an invalid transaction with the error's index as custom code:
		/// - [`Error::TrialNotFound`], [`Error::WrongStatus`] (not `Recruiting`).
		/// - [`Error::StaleConsentForm`]: `consent_form` is not the current version.
		/// - [`Error::AlreadyEnrolled`]: the pseudonym is enrolled.
		/// - [`Error::EnrolmentFull`]: the planned enrolment is reached.
		/// - [`Error::UnknownRing`], [`Error::RingTooSmall`].
		/// - [`Error::BadProof`]: the proof does not yield `pseudonym` for this ring, trial and
		///   message.
		///
		/// # Complexity
		/// The proof's verification (constant in the ring's size) and five reads when
		/// authorizing; two reads and two writes when dispatching.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::enrol())]
		#[pallet::authorize(Self::authorize_enrol)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_enrol())]
		pub fn enrol(
			origin: OriginFor<T>,
			trial: TrialId,
			ring: RingIndex,
			consent_form: u32,
			pseudonym: Pseudonym,
			proof: RingProof,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = (ring, proof);
			let mut record = Self::check_enrol(trial, consent_form, &pseudonym)?;
			record.enrolled = record.enrolled.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let participant = Participant {
				consent_form,
				enrolled_at: frame_system::Pallet::<T>::block_number(),
				status: ParticipantStatus::Active,
				reconsented_at: None,
			};

			Participants::<T>::insert(trial, pseudonym, participant);
			Trials::<T>::insert(trial, record);
			Self::deposit_event(Event::ParticipantEnrolled { trial, pseudonym, consent_form });
			Ok(())
		}

		/// Consent to the trial's current consent form (after a new version was published),
		/// as the participant, without saying who they are: an unsigned, authorized transaction
		/// with a ring VRF proof like [`Pallet::enrol`]'s, for [`ring::reconsent_message`].
		///
		/// - `trial`: the trial (`Recruiting` or `Active`).
		/// - `ring`: the research ring the proof is made against.
		/// - `consent_form`: the version consented to (the current one).
		/// - `pseudonym`: the participant's pseudonym (the alias the proof yields).
		/// - `proof`: the ring VRF proof.
		///
		/// # Events
		/// [`Event::ParticipantReconsented`].
		///
		/// # Errors
		/// Refused as an invalid transaction with the error's index as custom code:
		/// - [`Error::TrialNotFound`], [`Error::WrongStatus`].
		/// - [`Error::StaleConsentForm`]: `consent_form` is not the current version.
		/// - [`Error::NotParticipant`]: no participant has the pseudonym.
		/// - [`Error::Withdrawn`]: the participant withdrew.
		/// - [`Error::AlreadyConsented`]: they consented to the current version already.
		/// - [`Error::UnknownRing`], [`Error::RingTooSmall`], [`Error::BadProof`].
		///
		/// # Complexity
		/// The proof's verification and five reads when authorizing; two reads and one write
		/// when dispatching.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::reconsent())]
		#[pallet::authorize(Self::authorize_reconsent)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_reconsent())]
		pub fn reconsent(
			origin: OriginFor<T>,
			trial: TrialId,
			ring: RingIndex,
			consent_form: u32,
			pseudonym: Pseudonym,
			proof: RingProof,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = (ring, proof);
			let mut participant = Self::check_reconsent(trial, consent_form, &pseudonym)?;
			participant.consent_form = consent_form;
			participant.reconsented_at = Some(frame_system::Pallet::<T>::block_number());

			Participants::<T>::insert(trial, pseudonym, participant);
			Self::deposit_event(Event::ParticipantReconsented { trial, pseudonym, consent_form });
			Ok(())
		}

		/// Withdraw from a trial, at any status (it is the participant's right): no more data
		/// may be anchored for the participant. Their pseudonym and the data anchored before
		/// stay on record. An unsigned, authorized transaction with a ring VRF proof like
		/// [`Pallet::enrol`]'s, for [`ring::withdraw_message`].
		///
		/// - `trial`: the trial.
		/// - `ring`: the research ring the proof is made against.
		/// - `pseudonym`: the participant's pseudonym (the alias the proof yields).
		/// - `proof`: the ring VRF proof.
		///
		/// # Events
		/// [`Event::ParticipantWithdrew`].
		///
		/// # Errors
		/// Refused as an invalid transaction with the error's index as custom code:
		/// - [`Error::TrialNotFound`].
		/// - [`Error::NotParticipant`]: no participant has the pseudonym.
		/// - [`Error::Withdrawn`]: withdrawn already.
		/// - [`Error::UnknownRing`], [`Error::RingTooSmall`], [`Error::BadProof`].
		///
		/// # Complexity
		/// The proof's verification and four reads when authorizing; two reads and two writes
		/// when dispatching.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::withdraw())]
		#[pallet::authorize(Self::authorize_withdraw)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_withdraw())]
		pub fn withdraw(
			origin: OriginFor<T>,
			trial: TrialId,
			ring: RingIndex,
			pseudonym: Pseudonym,
			proof: RingProof,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = (ring, proof);
			let (mut record, mut participant) = Self::check_withdraw(trial, &pseudonym)?;
			record.withdrawn = record.withdrawn.checked_add(1).ok_or(Error::<T>::Overflow)?;
			participant.status =
				ParticipantStatus::Withdrawn { at: frame_system::Pallet::<T>::block_number() };

			Participants::<T>::insert(trial, pseudonym, participant);
			Trials::<T>::insert(trial, record);
			Self::deposit_event(Event::ParticipantWithdrew { trial, pseudonym });
			Ok(())
		}

		/// Register the caller's research key: it joins the current research ring (a new ring
		/// starts when that one holds [`Config::MaxRingMembers`] keys). Trial calls then prove
		/// membership of the ring without naming the key. One key per patient, for good; the
		/// key is public, what it does in trials is not.
		///
		/// The origin must be signed by a registered patient.
		///
		/// - `key`: a Bandersnatch public key (compressed) whose secret only the patient's
		///   client holds.
		///
		/// # Events
		/// [`Event::ResearchKeyRegistered`].
		///
		/// # Errors
		/// - [`Error::PatientNotFound`]: the caller is not a registered patient.
		/// - [`Error::AlreadyHasResearchKey`]: the caller registered a key already.
		/// - [`Error::ResearchKeyTaken`]: another patient registered `key`.
		/// - [`Error::InvalidResearchKey`]: `key` is not a valid public key.
		/// - [`Error::Overflow`]: ring indexes would overflow.
		///
		/// # Complexity
		/// O(1) in the ring's size for the ring arithmetic (one key added to the builder, the
		/// root recomputed); the ring's member list is read and written (up to
		/// [`Config::MaxRingMembers`] keys).
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::register_research_key())]
		pub fn register_research_key(origin: OriginFor<T>, key: ResearchKey) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			ensure!(T::Directory::is_patient(&patient), Error::<T>::PatientNotFound);
			ensure!(!ResearchKeys::<T>::contains_key(&patient), Error::<T>::AlreadyHasResearchKey);
			ensure!(!ResearchKeyOwners::<T>::contains_key(key), Error::<T>::ResearchKeyTaken);
			ensure!(ring::is_valid_key(&key), Error::<T>::InvalidResearchKey);
			let mut index = CurrentRing::<T>::get();
			let mut members = RingMembers::<T>::get(index);
			if members.len().saturated_into::<u32>() >= T::MaxRingMembers::get() {
				index = index.checked_add(1).ok_or(Error::<T>::Overflow)?;
				members = BoundedVec::new();
			}
			let mut builder = RingBuilders::<T>::get(index).unwrap_or_else(ring::empty_ring);
			ring::push_key(&mut builder, &key).map_err(|_| Error::<T>::Overflow)?;
			members.try_push(key).map_err(|_| Error::<T>::Overflow)?;
			let root = ring::root(&builder);

			CurrentRing::<T>::put(index);
			RingMembers::<T>::insert(index, members);
			RingBuilders::<T>::insert(index, builder);
			RingRoots::<T>::insert(index, root);
			ResearchKeys::<T>::insert(&patient, (index, key));
			ResearchKeyOwners::<T>::insert(key, &patient);
			Self::deposit_event(Event::ResearchKeyRegistered { patient, ring: index, key });
			Ok(())
		}

		/// Anchor a dataset: its hash, and whose data it is (a participant's visit, or a
		/// batch). The data stays off chain.
		///
		/// The origin must be signed by an investigator of the trial who is an active
		/// practitioner of one of its sites now. The trial must be `Recruiting` or `Active`.
		///
		/// - `trial`: the trial.
		/// - `subject`: a participant (pseudonym and visit) or a batch.
		/// - `hash`: hash of the dataset.
		///
		/// # Events
		/// [`Event::DataAnchored`].
		///
		/// # Errors
		/// - [`Error::TrialNotFound`].
		/// - [`Error::NotInvestigator`]: the caller is not an investigator of the trial.
		/// - [`Error::NotSitePractitioner`]: no longer an active practitioner of a site.
		/// - [`Error::WrongStatus`]: the trial is not `Recruiting` or `Active`.
		/// - [`Error::NotParticipant`], [`Error::Withdrawn`], [`Error::ReconsentRequired`]: the
		///   participant is unknown, withdrew, or consented to an older form.
		/// - [`Error::TooManyDataAnchors`]: the trial has [`Config::MaxDataAnchors`].
		///
		/// # Complexity
		/// O(S + I) in the sites and investigators, bounded; the directory question, four
		/// reads, two writes.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::anchor_data())]
		pub fn anchor_data(
			origin: OriginFor<T>,
			trial: TrialId,
			subject: DataSubject,
			hash: Commitment,
		) -> DispatchResult {
			let investigator = ensure_signed(origin)?;
			let mut record = Trials::<T>::get(trial).ok_or(Error::<T>::TrialNotFound)?;
			ensure!(
				Investigators::<T>::get(trial).contains(&investigator),
				Error::<T>::NotInvestigator
			);
			ensure!(
				Self::is_site_practitioner(trial, &investigator),
				Error::<T>::NotSitePractitioner
			);
			ensure!(
				matches!(record.status, TrialStatus::Recruiting | TrialStatus::Active),
				Error::<T>::WrongStatus
			);
			if let DataSubject::Participant { pseudonym, .. } = subject {
				let participant =
					Participants::<T>::get(trial, pseudonym).ok_or(Error::<T>::NotParticipant)?;
				ensure!(participant.status == ParticipantStatus::Active, Error::<T>::Withdrawn);
				ensure!(
					participant.consent_form >= record.consent_form,
					Error::<T>::ReconsentRequired
				);
			}
			let seq = record.data_anchors;
			ensure!(seq < T::MaxDataAnchors::get(), Error::<T>::TooManyDataAnchors);
			record.data_anchors = seq.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let anchor = DataAnchor {
				subject,
				hash,
				by: investigator,
				at: frame_system::Pallet::<T>::block_number(),
			};

			DataAnchors::<T>::insert(trial, seq, anchor);
			Trials::<T>::insert(trial, record);
			Self::deposit_event(Event::DataAnchored { trial, seq, subject, hash });
			Ok(())
		}

		/// Lock the dataset (`Active` → `Locked`) with its root hash, computed off chain: no
		/// more data anchors or amendments.
		///
		/// The origin must be signed by an admin of the sponsor.
		///
		/// - `trial`: the trial.
		/// - `root`: the dataset's root hash.
		///
		/// # Events
		/// [`Event::DataLocked`].
		///
		/// # Errors
		/// - [`Error::TrialNotFound`], [`Error::NotAuthorized`].
		/// - [`Error::WrongStatus`]: the trial is not `Active`.
		///
		/// # Complexity
		/// O(1); the directory question, one read, one write.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::lock_data())]
		pub fn lock_data(origin: OriginFor<T>, trial: TrialId, root: Commitment) -> DispatchResult {
			let mut record = Self::sponsor_trial(origin, trial)?;
			ensure!(record.status == TrialStatus::Active, Error::<T>::WrongStatus);
			record.status = TrialStatus::Locked;
			record.lock = Some(DataLock { root, at: frame_system::Pallet::<T>::block_number() });

			Trials::<T>::insert(trial, record);
			Self::deposit_event(Event::DataLocked { trial, root });
			Ok(())
		}

		/// Reveal the allocation seed, once the data are locked: anyone can then compute every
		/// participant's arm ([`Pallet::allocation`]) and check it against the commitment made
		/// before enrolment. Until then nobody but the randomiser (and whoever it tells to
		/// treat participants) knows any arm.
		///
		/// The origin must be signed by the trial's randomiser. The trial must be `Locked`,
		/// `Completed` or `Terminated`.
		///
		/// - `trial`: the trial.
		/// - `seed`: the seed; its `blake2_256` must equal the commitment.
		///
		/// # Events
		/// [`Event::AllocationRevealed`].
		///
		/// # Errors
		/// - [`Error::TrialNotFound`].
		/// - [`Error::NoAllocation`]: no commitment was made (terminated before recruitment).
		/// - [`Error::NotRandomiser`]: the caller is not the trial's randomiser.
		/// - [`Error::WrongStatus`]: the data are not locked (nor the trial terminated).
		/// - [`Error::AllocationRevealed`]: revealed already.
		/// - [`Error::AllocationMismatch`]: the seed does not match the commitment.
		///
		/// # Complexity
		/// O(1); one hash, one read, one write.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::reveal_allocation())]
		pub fn reveal_allocation(
			origin: OriginFor<T>,
			trial: TrialId,
			seed: AllocationSeed,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut record = Trials::<T>::get(trial).ok_or(Error::<T>::TrialNotFound)?;
			let commitment = record.allocation_commitment.ok_or(Error::<T>::NoAllocation)?;
			ensure!(record.randomiser.as_ref() == Some(&who), Error::<T>::NotRandomiser);
			ensure!(
				matches!(
					record.status,
					TrialStatus::Locked | TrialStatus::Completed | TrialStatus::Terminated
				),
				Error::<T>::WrongStatus
			);
			ensure!(record.allocation_seed.is_none(), Error::<T>::AllocationRevealed);
			ensure!(hash_of(&seed) == commitment, Error::<T>::AllocationMismatch);
			record.allocation_seed = Some(seed);

			Trials::<T>::insert(trial, record);
			Self::deposit_event(Event::AllocationRevealed { trial, seed });
			Ok(())
		}

		/// Publish the results: `Locked` → `Completed`, or recorded on a `Terminated` trial
		/// (which stays terminated). Results after the due block are recorded as late.
		///
		/// The origin must be signed by an admin of the sponsor.
		///
		/// - `trial`: the trial.
		/// - `hash`: hash of the results report.
		/// - `link`: where the report is published (e.g. a URL; never health data).
		///
		/// The trial's registration deposit is released to the admin who registered it (even
		/// if they administer the sponsor no more).
		///
		/// # Events
		/// [`Event::ResultsPublished`]; [`Event::DepositReleased`] when a deposit was held.
		///
		/// # Errors
		/// - [`Error::TrialNotFound`], [`Error::NotAuthorized`].
		/// - [`Error::ResultsPublished`]: published already (on a terminated trial).
		/// - [`Error::WrongStatus`]: the trial is neither `Locked` nor `Terminated`.
		///
		/// # Complexity
		/// O(1); the directory question, a release, two reads, three writes.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::publish_results())]
		pub fn publish_results(
			origin: OriginFor<T>,
			trial: TrialId,
			hash: Commitment,
			link: LinkOf<T>,
		) -> DispatchResult {
			let mut record = Self::sponsor_trial(origin, trial)?;
			ensure!(record.results.is_none(), Error::<T>::ResultsPublished);
			match record.status {
				TrialStatus::Locked => record.status = TrialStatus::Completed,
				TrialStatus::Terminated => {},
				_ => return Err(Error::<T>::WrongStatus.into()),
			}
			let now = frame_system::Pallet::<T>::block_number();
			let late = now > record.results_due;
			record.results = Some(Results { hash, link, published_at: now, late });

			Trials::<T>::insert(trial, record);
			PendingResults::<T>::remove(trial);
			Self::deposit_event(Event::ResultsPublished { trial, hash, late });
			if let Some((who, held)) = Deposits::<T>::take(trial) {
				let amount = T::Currency::release(
					&HoldReason::TrialRegistration.into(),
					&who,
					held,
					Precision::BestEffort,
				)?;
				Self::deposit_event(Event::DepositReleased { trial, who, amount });
			}
			Ok(())
		}

		/// Terminate a trial early (from `Registered`, `Recruiting`, `Active` or `Locked`).
		/// Its results remain due.
		///
		/// The origin must be signed by an admin of the sponsor.
		///
		/// - `trial`: the trial.
		/// - `reason`: hash of the statement of reasons.
		///
		/// # Events
		/// [`Event::TrialTerminated`].
		///
		/// # Errors
		/// - [`Error::TrialNotFound`], [`Error::NotAuthorized`].
		/// - [`Error::WrongStatus`]: the trial is `Completed` or `Terminated`.
		///
		/// # Complexity
		/// O(1); the directory question, one read, one write.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::terminate())]
		pub fn terminate(
			origin: OriginFor<T>,
			trial: TrialId,
			reason: Commitment,
		) -> DispatchResult {
			let mut record = Self::sponsor_trial(origin, trial)?;
			let from = record.status;
			ensure!(
				!matches!(from, TrialStatus::Completed | TrialStatus::Terminated),
				Error::<T>::WrongStatus
			);
			record.status = TrialStatus::Terminated;
			record.termination =
				Some(Termination { reason, at: frame_system::Pallet::<T>::block_number(), from });

			Trials::<T>::insert(trial, record);
			Self::deposit_event(Event::TrialTerminated { trial, reason, from });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The trial `trial`, if the signed origin is an admin of its sponsor.
		fn sponsor_trial(
			origin: OriginFor<T>,
			trial: TrialId,
		) -> Result<TrialOf<T>, DispatchError> {
			let who = ensure_signed(origin)?;
			let record = Trials::<T>::get(trial).ok_or(Error::<T>::TrialNotFound)?;
			ensure!(
				T::Directory::is_organisation_admin(&who, record.sponsor),
				Error::<T>::NotAuthorized
			);
			Ok(record)
		}

		/// Refuses a trial that is locked, completed or terminated.
		fn ensure_before_lock(record: &TrialOf<T>) -> DispatchResult {
			ensure!(
				matches!(
					record.status,
					TrialStatus::Registered | TrialStatus::Recruiting | TrialStatus::Active
				),
				Error::<T>::WrongStatus
			);
			Ok(())
		}

		/// At least one primary outcome, and no outcome hash twice across both lists.
		fn ensure_valid_outcomes(
			primary: &[Commitment],
			secondary: &[Commitment],
		) -> DispatchResult {
			ensure!(!primary.is_empty(), Error::<T>::NoPrimaryOutcome);
			let all: Vec<&Commitment> = primary.iter().chain(secondary.iter()).collect();
			ensure!(!has_duplicates(&all), Error::<T>::DuplicateOutcome);
			Ok(())
		}

		/// Whether `who` is an active practitioner of one of `trial`'s sites now.
		fn is_site_practitioner(trial: TrialId, who: &T::AccountId) -> bool {
			T::Directory::active_practitioner(who)
				.is_some_and(|p| Sites::<T>::get(trial).contains(&p.organisation))
		}

		/// The trial `trial` if `pseudonym` may enrol in it now under consent-form version
		/// `consent_form` (everything [`Pallet::enrol`] checks but the proof).
		fn check_enrol(
			trial: TrialId,
			consent_form: u32,
			pseudonym: &Pseudonym,
		) -> Result<TrialOf<T>, Error<T>> {
			let record = Trials::<T>::get(trial).ok_or(Error::<T>::TrialNotFound)?;
			ensure!(record.status == TrialStatus::Recruiting, Error::<T>::WrongStatus);
			ensure!(consent_form == record.consent_form, Error::<T>::StaleConsentForm);
			ensure!(
				!Participants::<T>::contains_key(trial, pseudonym),
				Error::<T>::AlreadyEnrolled
			);
			ensure!(record.enrolled < record.planned_enrolment, Error::<T>::EnrolmentFull);
			Ok(record)
		}

		/// The participant `pseudonym` of `trial` if they may consent to version
		/// `consent_form` now (everything [`Pallet::reconsent`] checks but the proof).
		fn check_reconsent(
			trial: TrialId,
			consent_form: u32,
			pseudonym: &Pseudonym,
		) -> Result<ParticipantOf<T>, Error<T>> {
			let record = Trials::<T>::get(trial).ok_or(Error::<T>::TrialNotFound)?;
			ensure!(
				matches!(record.status, TrialStatus::Recruiting | TrialStatus::Active),
				Error::<T>::WrongStatus
			);
			ensure!(consent_form == record.consent_form, Error::<T>::StaleConsentForm);
			let participant =
				Participants::<T>::get(trial, pseudonym).ok_or(Error::<T>::NotParticipant)?;
			ensure!(participant.status == ParticipantStatus::Active, Error::<T>::Withdrawn);
			ensure!(participant.consent_form < consent_form, Error::<T>::AlreadyConsented);
			Ok(participant)
		}

		/// The trial and the participant `pseudonym` if they may withdraw now (everything
		/// [`Pallet::withdraw`] checks but the proof).
		fn check_withdraw(
			trial: TrialId,
			pseudonym: &Pseudonym,
		) -> Result<(TrialOf<T>, ParticipantOf<T>), Error<T>> {
			let record = Trials::<T>::get(trial).ok_or(Error::<T>::TrialNotFound)?;
			let participant =
				Participants::<T>::get(trial, pseudonym).ok_or(Error::<T>::NotParticipant)?;
			ensure!(participant.status == ParticipantStatus::Active, Error::<T>::Withdrawn);
			Ok((record, participant))
		}

		/// Whether `proof` proves, against ring `ring` (holding at least
		/// [`Config::MinRingMembers`] keys), that one of its keys has alias `pseudonym` in
		/// `trial` and chose `message`. Other pallets ask it through the runtime (a trial
		/// visit's reward is claimed this way).
		///
		/// # Errors
		/// [`Error::UnknownRing`], [`Error::RingTooSmall`], [`Error::BadProof`].
		pub fn check_proof(
			trial: TrialId,
			ring: RingIndex,
			message: &[u8],
			pseudonym: &Pseudonym,
			proof: &RingProof,
		) -> Result<(), Error<T>> {
			let root = RingRoots::<T>::get(ring).ok_or(Error::<T>::UnknownRing)?;
			let members = RingMembers::<T>::decode_len(ring).unwrap_or(0);
			ensure!(
				members.saturated_into::<u32>() >= T::MinRingMembers::get(),
				Error::<T>::RingTooSmall
			);
			let context = ring::context(&Self::genesis_hash(), trial);
			let alias = ring::verify(proof, &root, &context, message);
			ensure!(alias.as_ref() == Some(pseudonym), Error::<T>::BadProof);
			Ok(())
		}

		/// The chain's genesis hash (part of every trial's context, so that a proof made for
		/// one chain is worth nothing on another).
		pub fn genesis_hash() -> [u8; 32] {
			let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
			let mut out = [0u8; 32];
			let bytes = hash.as_ref();
			if let Some(prefix) = bytes.get(..32) {
				out.copy_from_slice(prefix);
			}
			out
		}

		/// The pool validity of an authorized trial call that passed its checks: it provides
		/// `tag` (so the pool keeps one of each) and lives a bounded number of blocks.
		fn validity(tag: impl Encode) -> TransactionValidityWithRefund {
			let validity = ValidTransaction::with_tag_prefix("medchain-trials")
				.and_provides(tag)
				.longevity(AUTHORIZED_LONGEVITY)
				.propagate(true)
				.build()?;
			Ok((validity, Weight::zero()))
		}

		/// Authorizes [`Pallet::enrol`] (see its errors).
		fn authorize_enrol(
			_source: TransactionSource,
			trial: &TrialId,
			ring: &RingIndex,
			consent_form: &u32,
			pseudonym: &Pseudonym,
			proof: &RingProof,
		) -> TransactionValidityWithRefund {
			Self::check_enrol(*trial, *consent_form, pseudonym).map_err(invalid_transaction)?;
			let message = ring::enrol_message(*consent_form);
			Self::check_proof(*trial, *ring, &message, pseudonym, proof)
				.map_err(invalid_transaction)?;
			Self::validity((b"enrol", trial, pseudonym))
		}

		/// Authorizes [`Pallet::reconsent`] (see its errors).
		fn authorize_reconsent(
			_source: TransactionSource,
			trial: &TrialId,
			ring: &RingIndex,
			consent_form: &u32,
			pseudonym: &Pseudonym,
			proof: &RingProof,
		) -> TransactionValidityWithRefund {
			Self::check_reconsent(*trial, *consent_form, pseudonym).map_err(invalid_transaction)?;
			let message = ring::reconsent_message(*consent_form);
			Self::check_proof(*trial, *ring, &message, pseudonym, proof)
				.map_err(invalid_transaction)?;
			Self::validity((b"reconsent", trial, pseudonym, consent_form))
		}

		/// Authorizes [`Pallet::withdraw`] (see its errors).
		fn authorize_withdraw(
			_source: TransactionSource,
			trial: &TrialId,
			ring: &RingIndex,
			pseudonym: &Pseudonym,
			proof: &RingProof,
		) -> TransactionValidityWithRefund {
			Self::check_withdraw(*trial, pseudonym).map_err(invalid_transaction)?;
			let message = ring::withdraw_message();
			Self::check_proof(*trial, *ring, &message, pseudonym, proof)
				.map_err(invalid_transaction)?;
			Self::validity((b"withdraw", trial, pseudonym))
		}
	}
}

/// How many blocks an authorized trial call stays valid in the pool.
const AUTHORIZED_LONGEVITY: u64 = 64;

/// The arm of `pseudonym` under `seed`: the first four bytes (little endian) of
/// `blake2_256(SCALE((seed, pseudonym)))` modulo `arms` (`arms` 0 is answered as arm 0).
pub fn arm(seed: &AllocationSeed, pseudonym: &Pseudonym, arms: u8) -> u8 {
	let hash = hash_of(&(seed, pseudonym));
	let value = u32::from_le_bytes([hash[0], hash[1], hash[2], hash[3]]);
	value.checked_rem(u32::from(arms)).and_then(|a| u8::try_from(a).ok()).unwrap_or(0)
}

/// `blake2_256` of the SCALE encoding of `value`.
pub fn hash_of<E: codec::Encode>(value: &E) -> [u8; 32] {
	use sp_runtime::traits::{BlakeTwo256, Hash};
	BlakeTwo256::hash_of(value).0
}

/// Whether `items` has an entry twice (quadratic: the lists are a few entries long).
fn has_duplicates<I: PartialEq>(items: &[I]) -> bool {
	items
		.iter()
		.enumerate()
		.any(|(i, item)| items.iter().skip(i.saturating_add(1)).any(|o| o == item))
}
