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
	AccessTarget, ClassTag, Commitment, ConsentAction, ConsentEvaluator, ConsentVerifier,
	DecisionReason, DirectoryInspect, GrantId, OnGrantRevoked, OrganisationId,
	PatientRecordsInspect, PurposeOfUse, RecordsInspect,
};
use polkadot_sdk::*;

/// Sets up, for the benchmarks, the accounts the directory and consent must say yes to.
///
/// The runtime implements it with the directory's calls (and whatever its consent
/// implementation needs); the unit-test mock with its test-controlled directory.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers an active organisation administered by `admin`, attaches `practitioner` to it
	/// with a licence valid now and from then on (an active practitioner), registers `patient`
	/// as a patient, and makes consent allow `practitioner`, acting for that organisation, to
	/// write data of every class (at least [`BENCHMARK_CLASS`]) about `patient` and to share it
	/// for treatment and research.
	/// Returns the organisation's id.
	fn setup_practitioner_and_patient(
		admin: &AccountId,
		practitioner: &AccountId,
		patient: &AccountId,
	) -> Result<OrganisationId, sp_runtime::DispatchError>;

	/// Makes consent permit `reader` to read every class of `patient`'s data for research (at
	/// least [`BENCHMARK_CLASS`]).
	fn allow_reading(patient: &AccountId, reader: &AccountId) -> sp_runtime::DispatchResult;

	/// Makes consent permit `reader` to read none of `patient`'s data, for any purpose.
	fn forbid_reading(patient: &AccountId, reader: &AccountId) -> sp_runtime::DispatchResult;
}

/// The class tag the benchmarks anchor records with; the runtime's [`BenchmarkHelper`] grants
/// consent for it (as the last of its classes, so that evaluating it scans them all).
#[cfg(feature = "runtime-benchmarks")]
pub const BENCHMARK_CLASS: ClassTag = ClassTag([0xc1; 32]);

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::StaticLookup;

	/// The storage version of this pallet: 1 since [`ErasedRecordCount`] was added
	/// ([`crate::migrations::v1`] counts the records erased before).
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	/// An account as a call names it (through the runtime's `Lookup`).
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;
	/// A content address (CID) of a ciphertext, bounded by [`Config::MaxCidLen`].
	pub type CidOf<T> = BoundedVec<u8, <T as Config>::MaxCidLen>;
	/// A data key wrapped (HPKE) for one account, bounded by [`Config::MaxWrappedKeyLen`].
	pub type WrappedKeyOf<T> = BoundedVec<u8, <T as Config>::MaxWrappedKeyLen>;
	/// A new version's content as calls take it.
	pub type VersionContentOf<T> = VersionContent<CidOf<T>>;
	/// A fresh data key wrapped for every holder, as [`Pallet::amend_record`] takes it.
	pub type RekeyOf<T> = Rekey<
		BoundedVec<
			(<T as frame_system::Config>::AccountId, WrappedKeyOf<T>),
			<T as Config>::MaxGrantees,
		>,
		WrappedKeyOf<T>,
	>;
	/// A record anchor as this runtime stores it.
	pub type RecordOf<T> = Record<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A batch anchor as stored.
	pub type BatchOf<T> = BatchAnchor<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A record version as this runtime stores it.
	pub type VersionOf<T> =
		VersionInfo<<T as frame_system::Config>::AccountId, CidOf<T>, BlockNumberFor<T>>;
	/// A record as the runtime API lists it.
	pub type RecordSummaryOf<T> =
		RecordSummary<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A record version as the runtime API lists it.
	pub type VersionSummaryOf<T> =
		VersionSummary<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The medical records pallet's configuration.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who the practitioners, organisation admins and patients are (the directory).
		type Directory: DirectoryInspect<Self::AccountId>;

		/// Whether consent lets a practitioner write a class of data about a patient, and the
		/// one evaluator asked before a data key is shared.
		type Consent: ConsentVerifier<Self::AccountId> + ConsentEvaluator<Self::AccountId>;

		/// The longest content address (CID), in bytes.
		#[pallet::constant]
		type MaxCidLen: Get<u32>;

		/// The longest wrapped data key, in bytes.
		#[pallet::constant]
		type MaxWrappedKeyLen: Get<u32>;

		/// How many versions a record may have (the first included). At least 2.
		#[pallet::constant]
		type MaxVersions: Get<u32>;

		/// How many accounts may hold a wrapped data key for one record (the patient and the
		/// author included). At least 2.
		#[pallet::constant]
		type MaxGrantees: Get<u32>;

		/// The most records one page of [`Pallet::records_of`] returns.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// How many wrapped keys one consent grant may deliver (keys removed together when the
		/// patient revokes it). At least 1.
		#[pallet::constant]
		type MaxKeysPerGrant: Get<u32>;

		/// How many record versions one batch anchor ([`Pallet::anchor_batch`]) may commit to.
		/// At least 1.
		#[pallet::constant]
		type MaxBatchLeaves: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up an active practitioner, a patient and consent for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The id the next anchored record receives. Ids are assigned sequentially and records are
	/// never removed (erasure leaves a tombstone), so the records are exactly the ids below it.
	#[pallet::storage]
	pub type NextRecordId<T> = StorageValue<_, RecordId, ValueQuery>;

	/// Record anchors by id (sequential ids, not chosen by callers).
	#[pallet::storage]
	pub type Records<T: Config> = StorageMap<_, Twox64Concat, RecordId, RecordOf<T>, OptionQuery>;

	/// Every version of every record: versions `1..=current_version` of each record.
	#[pallet::storage]
	pub type Versions<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RecordId,
		Twox64Concat,
		VersionNumber,
		VersionOf<T>,
		OptionQuery,
	>;

	/// Index from a record's ciphertext hashes to their version numbers (mirrors `Versions`;
	/// kept after erasure, like the commitments).
	#[pallet::storage]
	pub type VersionByCiphertext<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RecordId,
		Blake2_128Concat,
		Commitment,
		VersionNumber,
		OptionQuery,
	>;

	/// The record's data key wrapped for each account that may decrypt it (the patient always,
	/// until erasure). One data key per record, used for every version.
	#[pallet::storage]
	pub type WrappedKeys<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RecordId,
		Blake2_128Concat,
		T::AccountId,
		WrappedKeyOf<T>,
		OptionQuery,
	>;

	/// Index of each patient's records (mirrors the records' subjects; erased records stay).
	#[pallet::storage]
	pub type PatientRecords<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		RecordId,
		(),
		OptionQuery,
	>;

	/// Records whose data key must change at the next amendment: a wrapped key was removed
	/// since the current data key was chosen (security review H2).
	#[pallet::storage]
	pub type StaleKeys<T: Config> = StorageMap<_, Twox64Concat, RecordId, (), OptionQuery>;

	/// The data key chain: for a version that re-keyed its record, the previous data key sealed
	/// under the version's own data key (removed at erasure).
	#[pallet::storage]
	pub type KeyChain<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RecordId,
		Twox64Concat,
		VersionNumber,
		WrappedKeyOf<T>,
		OptionQuery,
	>;

	/// The consent grant whose read permission delivered each wrapped key (a key given to an
	/// account a grant permits; not the patient's, the author's or a key given under an
	/// emergency access). Revoking the grant removes the key (security review H2).
	#[pallet::storage]
	pub type KeyGrant<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		RecordId,
		Blake2_128Concat,
		T::AccountId,
		GrantId,
		OptionQuery,
	>;

	/// The keys each grant delivered (mirrors [`KeyGrant`]): (record, holder) under the grant.
	#[pallet::storage]
	pub type GrantKeys<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		GrantId,
		Blake2_128Concat,
		(RecordId, T::AccountId),
		(),
		OptionQuery,
	>;

	/// How many keys each grant delivered (entries in [`GrantKeys`]), at most
	/// [`Config::MaxKeysPerGrant`]; absent for none.
	#[pallet::storage]
	pub type GrantKeyCount<T: Config> = StorageMap<_, Twox64Concat, GrantId, u32, OptionQuery>;

	/// How many records each patient has (entries in `PatientRecords`); absent for none.
	#[pallet::storage]
	pub type PatientRecordCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// How many of each patient's records are erased (at most their `PatientRecordCount`);
	/// absent for none. A patient deregisters only when every record of theirs is erased
	/// (security review L2).
	#[pallet::storage]
	pub type ErasedRecordCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The id the next batch anchor receives (sequential, never reused).
	#[pallet::storage]
	pub type NextBatchId<T> = StorageValue<_, BatchId, ValueQuery>;

	/// Batch anchors: Merkle roots over many record versions, each with its custodian, author,
	/// size and block. Never removed.
	#[pallet::storage]
	pub type Batches<T: Config> = StorageMap<_, Twox64Concat, BatchId, BatchOf<T>, OptionQuery>;

	/// Index from a batch's Merkle root to its id (mirrors [`Batches`]): a verifier holding a
	/// record's inclusion proof finds the batch by the root the proof ends in. A root is
	/// anchored once.
	#[pallet::storage]
	pub type BatchByRoot<T: Config> = StorageMap<_, Identity, Commitment, BatchId, OptionQuery>;

	/// What happened to records. No event carries content, a CID, a resource type or a data
	/// class; commitments only.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A practitioner or a patient anchored a new record (its version 1).
		RecordAnchored {
			/// The new record's id.
			record: RecordId,
			/// The patient it is about.
			subject: T::AccountId,
			/// The organisation holding it; `None` for self-reported data.
			custodian: Option<OrganisationId>,
			/// Who anchored it.
			author: T::AccountId,
			/// Its version number (1).
			version: VersionNumber,
			/// Hash of its ciphertext.
			ciphertext_hash: Commitment,
		},
		/// A record was amended: a new version supersedes the previous one.
		RecordAmended {
			/// The record.
			record: RecordId,
			/// The new version's number.
			version: VersionNumber,
			/// The version it supersedes.
			supersedes: VersionNumber,
			/// Who anchored the new version.
			author: T::AccountId,
			/// Hash of the new version's ciphertext.
			ciphertext_hash: Commitment,
		},
		/// A record was erased: its CIDs and wrapped keys are gone, a tombstone remains.
		RecordErased {
			/// The record.
			record: RecordId,
			/// Who erased it (the patient or the custodian organisation's admin).
			by: T::AccountId,
		},
		/// A data key of a record was wrapped for an account that had none.
		WrappedKeyAdded {
			/// The record.
			record: RecordId,
			/// The account that can now decrypt the record.
			grantee: T::AccountId,
			/// Who added the wrapped key.
			by: T::AccountId,
		},
		/// An account's wrapped data key of a record was replaced (for example after the
		/// account rotated its encryption key).
		WrappedKeyReplaced {
			/// The record.
			record: RecordId,
			/// The account whose wrapped key was replaced.
			grantee: T::AccountId,
			/// Who replaced it.
			by: T::AccountId,
		},
		/// An account's wrapped data key of a record was removed.
		WrappedKeyRemoved {
			/// The record.
			record: RecordId,
			/// The account that no longer holds a wrapped key.
			grantee: T::AccountId,
			/// Who removed it.
			by: T::AccountId,
		},
		/// A wrapped key that consent no longer backs was pruned: consent permits its holder
		/// to read the record for no purpose any more (revoked, expired, suspended, detached).
		WrappedKeyPruned {
			/// The record.
			record: RecordId,
			/// The account that no longer holds a wrapped key.
			holder: T::AccountId,
			/// Who pruned it.
			by: T::AccountId,
		},
		/// The patient revoked the grant that delivered an account's wrapped data key, and the
		/// key went with it.
		WrappedKeyRevoked {
			/// The record.
			record: RecordId,
			/// The account that no longer holds a wrapped key.
			holder: T::AccountId,
			/// The revoked grant.
			grant: GrantId,
		},
		/// An amendment changed the record's data key: every holder's key was replaced.
		RecordRekeyed {
			/// The record.
			record: RecordId,
			/// The first version under the new data key.
			version: VersionNumber,
			/// How many accounts hold the new key.
			holders: u32,
		},
		/// A practitioner anchored a batch of record versions by its Merkle root. Which
		/// patients, classes or documents it holds is known only to the custodian and to the
		/// holders of each record's inclusion proof.
		BatchAnchored {
			/// The new batch's id.
			batch: BatchId,
			/// The organisation holding the batch's records (the author's).
			custodian: OrganisationId,
			/// Who anchored it.
			author: T::AccountId,
			/// The Merkle root over the batch's leaves.
			root: Commitment,
			/// How many record versions (leaves) it commits to.
			leaves: u32,
		},
	}

	/// Why a medical records call failed.
	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not an active practitioner (unknown, suspended, revoked, licence not
		/// valid now, or organisation inactive).
		NotActivePractitioner,
		/// The account the record would be about is not a registered patient.
		PatientNotFound,
		/// A practitioner cannot anchor a record about themself (they self-report as a patient).
		SelfAuthored,
		/// Consent does not let the caller write this class of data about the patient.
		ConsentDenied,
		/// The caller may not act on this record.
		NotAuthorized,
		/// No record has this id.
		RecordNotFound,
		/// The record was erased; it cannot be amended, shared or erased again.
		Erased,
		/// The ciphertext hash or the plaintext commitment is all zeros.
		EmptyCommitment,
		/// The CID is empty.
		EmptyCid,
		/// A wrapped data key is empty.
		EmptyWrappedKey,
		/// The ciphertext hash is already a version of this record.
		DuplicateContent,
		/// The record has as many versions as allowed.
		TooManyVersions,
		/// As many accounts as allowed hold a wrapped key for the record.
		TooManyGrantees,
		/// The grantee holds no wrapped key for the record.
		KeyNotFound,
		/// The patient's own wrapped key cannot be removed.
		CannotRemovePatientKey,
		/// Consent does not permit the caller to share the record for this purpose.
		ShareDenied,
		/// Consent does not permit the grantee to read the record for this purpose.
		GranteeNotPermitted,
		/// A wrapped key was removed since the record's data key was chosen: this amendment must
		/// change it (`rekey`).
		RekeyRequired,
		/// The re-keyed wrapped keys are not exactly one for each account that holds a key now.
		RekeyMismatch,
		/// Consent still permits the holder to read the record for some purpose.
		StillPermitted,
		/// The consent grant that permits the grantee has delivered as many keys as allowed
		/// ([`Config::MaxKeysPerGrant`]).
		TooManyKeysForGrant,
		/// A batch anchor commits to no leaf.
		EmptyBatch,
		/// A batch anchor commits to more leaves than [`Config::MaxBatchLeaves`].
		BatchTooLarge,
		/// This Merkle root is anchored already (as the batch [`BatchByRoot`] names).
		DuplicateBatch,
		/// A counter or an id would overflow.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxCidLen::get() > 0, "MaxCidLen must allow a CID");
			assert!(T::MaxWrappedKeyLen::get() > 0, "MaxWrappedKeyLen must allow a key");
			assert!(T::MaxVersions::get() >= 2, "MaxVersions must allow an amendment");
			assert!(T::MaxGrantees::get() >= 2, "MaxGrantees must allow the patient and author");
			assert!(T::MaxPageSize::get() > 0, "MaxPageSize must allow a record per page");
			assert!(T::MaxKeysPerGrant::get() > 0, "MaxKeysPerGrant must allow a key per grant");
			assert!(T::MaxBatchLeaves::get() > 0, "MaxBatchLeaves must allow a leaf");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Anchor a new record written by a practitioner about a patient.
		///
		/// The origin must be signed by an active practitioner (the author); the record's
		/// custodian is the author's organisation. Consent must let the author, acting for that
		/// organisation, write data of the class `data_class` tags about the patient.
		///
		/// - `patient`: the registered patient the record is about (not the author).
		/// - `data_class`: the record's data class as the patient's salted tag (consent is scoped
		///   by it; the chain never learns the class). The FHIR resource type is inside the
		///   encrypted document only.
		/// - `content`: version 1: the hash of the ciphertext and the salted commitment of the
		///   plaintext (neither all zeros), and the content address (CID) of the ciphertext (not
		///   empty, at most [`Config::MaxCidLen`] bytes).
		/// - `patient_key`: the record's data key wrapped for the patient; not empty, at most
		///   [`Config::MaxWrappedKeyLen`].
		/// - `author_key`: the same data key wrapped for the author; same bounds.
		///
		/// The record receives the next sequential id; it is version 1.
		///
		/// # Events
		/// [`Event::RecordAnchored`].
		///
		/// # Errors
		/// - [`Error::NotActivePractitioner`]: the caller is not an active practitioner.
		/// - [`Error::SelfAuthored`]: `patient` is the caller.
		/// - [`Error::PatientNotFound`]: `patient` is not a registered patient.
		/// - [`Error::ConsentDenied`]: consent does not allow the write.
		/// - [`Error::EmptyCommitment`]: a commitment in `content` is all zeros.
		/// - [`Error::EmptyCid`]: the CID in `content` is empty.
		/// - [`Error::EmptyWrappedKey`]: a wrapped key is empty.
		/// - [`Error::Overflow`]: record ids or the patient's record count are exhausted.
		///
		/// # Complexity
		/// O(1): the directory and consent questions, two reads, eight writes.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::anchor_record())]
		pub fn anchor_record(
			origin: OriginFor<T>,
			patient: AccountIdLookupOf<T>,
			data_class: ClassTag,
			content: VersionContentOf<T>,
			patient_key: WrappedKeyOf<T>,
			author_key: WrappedKeyOf<T>,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			let patient = T::Lookup::lookup(patient)?;
			let practitioner = T::Directory::active_practitioner(&author)
				.ok_or(Error::<T>::NotActivePractitioner)?;
			ensure!(patient != author, Error::<T>::SelfAuthored);
			ensure!(T::Directory::is_patient(&patient), Error::<T>::PatientNotFound);
			ensure!(
				T::Consent::may_write(&patient, &author, practitioner.organisation, data_class),
				Error::<T>::ConsentDenied
			);
			Self::ensure_valid_content(&content)?;
			ensure!(!patient_key.is_empty(), Error::<T>::EmptyWrappedKey);
			ensure!(!author_key.is_empty(), Error::<T>::EmptyWrappedKey);

			Self::do_anchor(
				patient,
				Some(practitioner.organisation),
				author,
				RecordState::Active { data_class },
				content,
				patient_key,
				Some(author_key),
			)
		}

		/// Anchor a new record the patient reports about themself (a home reading, a symptom
		/// diary). It has no custodian organisation; only the patient amends, shares and erases
		/// it.
		///
		/// The origin must be signed by a registered patient (or their proxy), who is both the
		/// subject and the author.
		///
		/// - `data_class`, `content`: as for [`Pallet::anchor_record`].
		/// - `patient_key`: the record's data key wrapped for the patient; not empty, at most
		///   [`Config::MaxWrappedKeyLen`].
		///
		/// # Events
		/// [`Event::RecordAnchored`] (with no custodian).
		///
		/// # Errors
		/// - [`Error::PatientNotFound`]: the caller is not a registered patient.
		/// - [`Error::EmptyCommitment`]: a commitment in `content` is all zeros.
		/// - [`Error::EmptyCid`]: the CID in `content` is empty.
		/// - [`Error::EmptyWrappedKey`]: `patient_key` is empty.
		/// - [`Error::Overflow`]: record ids or the patient's record count are exhausted.
		///
		/// # Complexity
		/// O(1): the directory question, two reads, seven writes.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::anchor_self_reported())]
		pub fn anchor_self_reported(
			origin: OriginFor<T>,
			data_class: ClassTag,
			content: VersionContentOf<T>,
			patient_key: WrappedKeyOf<T>,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			ensure!(T::Directory::is_patient(&patient), Error::<T>::PatientNotFound);
			Self::ensure_valid_content(&content)?;
			ensure!(!patient_key.is_empty(), Error::<T>::EmptyWrappedKey);

			Self::do_anchor(
				patient.clone(),
				None,
				patient,
				RecordState::Active { data_class },
				content,
				patient_key,
				None,
			)
		}

		/// Amend a record: anchor a new version that supersedes the current one. Nothing is
		/// overwritten; the resource type and the data class stay those of the record. The new
		/// ciphertext is encrypted under the record's data key, or, with `rekey`, under a fresh
		/// one: then every holder's wrapped key is replaced and the previous key is chained to
		/// the new version ([`KeyChain`]). After a wrapped key was removed ([`StaleKeys`]) the
		/// amendment must re-key (security review H2), so a removed holder never receives what
		/// is written afterwards.
		///
		/// The origin must be signed, for a record with a custodian, by an active practitioner
		/// of the custodian organisation whom consent lets write the record's data class about
		/// the patient (never by the patient: a patient adds a self-reported record instead);
		/// for a self-reported record, by the patient.
		///
		/// - `record`: the record's id.
		/// - `content`: the new version, as for [`Pallet::anchor_record`]; its ciphertext hash
		///   must not be that of any version of the record.
		/// - `rekey`: a fresh data key: the previous key sealed under it (not empty) and the new
		///   key wrapped (not empty) for exactly the accounts that hold a key now, each once.
		///
		/// # Events
		/// [`Event::RecordAmended`]; [`Event::RecordRekeyed`] with `rekey`.
		///
		/// # Errors
		/// - [`Error::RecordNotFound`]: no such record.
		/// - [`Error::Erased`]: the record was erased.
		/// - [`Error::NotAuthorized`]: the caller is the patient of a record with a custodian,
		///   not the patient of a self-reported record, or a practitioner of another
		///   organisation.
		/// - [`Error::NotActivePractitioner`]: the record has a custodian and the caller is not an
		///   active practitioner.
		/// - [`Error::ConsentDenied`]: consent does not allow the write.
		/// - [`Error::EmptyCommitment`]: a commitment in `content` is all zeros.
		/// - [`Error::EmptyCid`]: the CID in `content` is empty.
		/// - [`Error::DuplicateContent`]: the ciphertext hash is already a version of the record.
		/// - [`Error::TooManyVersions`]: the record has [`Config::MaxVersions`] versions.
		/// - [`Error::RekeyRequired`]: a key was removed since the data key was chosen and
		///   `rekey` is `None`.
		/// - [`Error::RekeyMismatch`]: `rekey` does not wrap the new key for exactly the current
		///   holders.
		/// - [`Error::EmptyWrappedKey`]: a key in `rekey` is empty.
		/// - [`Error::Overflow`]: the version number would overflow.
		///
		/// # Complexity
		/// O(1) without `rekey`: the directory and consent questions, three reads, three writes;
		/// with it O(k) in its keys `k` (bounded by [`Config::MaxGrantees`]): a read and a write
		/// per key, the key chain and the stale mark.
		#[pallet::call_index(2)]
		#[pallet::weight(match rekey {
			Some(rekey) => T::WeightInfo::amend_record_rekeyed(
				u32::try_from(rekey.keys.len()).unwrap_or(u32::MAX)
			),
			None => T::WeightInfo::amend_record(),
		})]
		pub fn amend_record(
			origin: OriginFor<T>,
			record: RecordId,
			content: VersionContentOf<T>,
			rekey: Option<RekeyOf<T>>,
		) -> DispatchResult {
			let author = ensure_signed(origin)?;
			let mut anchor = Records::<T>::get(record).ok_or(Error::<T>::RecordNotFound)?;
			let data_class = Self::active_data_class(&anchor)?;
			if anchor.custodian.is_some() {
				ensure!(author != anchor.subject, Error::<T>::NotAuthorized);
				Self::ensure_custodian_writer(&author, &anchor, data_class)?;
			} else {
				ensure!(author == anchor.subject, Error::<T>::NotAuthorized);
			}
			Self::ensure_valid_content(&content)?;
			let VersionContent { ciphertext_hash, plaintext_commitment, cid } = content;
			ensure!(
				!VersionByCiphertext::<T>::contains_key(record, ciphertext_hash),
				Error::<T>::DuplicateContent
			);
			let previous = anchor.current_version;
			let version = previous.checked_add(1).ok_or(Error::<T>::Overflow)?;
			ensure!(version <= T::MaxVersions::get(), Error::<T>::TooManyVersions);
			match &rekey {
				None => ensure!(!StaleKeys::<T>::contains_key(record), Error::<T>::RekeyRequired),
				Some(rekey) => Self::ensure_valid_rekey(record, &anchor, rekey)?,
			}

			if let Some(Rekey { previous_key, keys }) = rekey {
				let holders = anchor.grantees;
				for (holder, key) in keys {
					WrappedKeys::<T>::insert(record, &holder, key);
				}
				KeyChain::<T>::insert(record, version, previous_key);
				StaleKeys::<T>::remove(record);
				Self::deposit_event(Event::RecordRekeyed { record, version, holders });
			}
			Versions::<T>::insert(
				record,
				version,
				VersionInfo {
					ciphertext_hash,
					plaintext_commitment,
					cid: Some(cid),
					author: author.clone(),
					created_at: frame_system::Pallet::<T>::block_number(),
					supersedes: Some(previous),
				},
			);
			VersionByCiphertext::<T>::insert(record, ciphertext_hash, version);
			anchor.current_version = version;
			Records::<T>::insert(record, anchor);
			Self::deposit_event(Event::RecordAmended {
				record,
				version,
				supersedes: previous,
				author,
				ciphertext_hash,
			});
			Ok(())
		}

		/// Erase a record: remove the CID of every version and every wrapped data key from
		/// storage and mark the record erased. The commitments and authorship of the versions
		/// remain as a tombstone (so an integrity check answers "erased"); the resource type
		/// and data class are dropped. Final.
		///
		/// The origin must be signed by the patient (their right to erasure) or by the admin of
		/// the record's custodian organisation (while that organisation is active). A
		/// self-reported record only the patient erases.
		///
		/// - `record`: the record's id.
		///
		/// # Events
		/// [`Event::RecordErased`] (which record, by whom; nothing of what it was).
		///
		/// # Errors
		/// - [`Error::RecordNotFound`]: no such record.
		/// - [`Error::Erased`]: the record was erased already.
		/// - [`Error::NotAuthorized`]: the caller is neither the patient nor the custodian's
		///   admin.
		///
		/// # Complexity
		/// O(v + g) in the record's versions `v` and grantees `g`: one read and one write per
		/// version, one removal per wrapped key, plus the admin question. Charged for
		/// [`Config::MaxVersions`] and [`Config::MaxGrantees`], refunded to the actual counts.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::erase_record(
			T::MaxVersions::get(),
			T::MaxGrantees::get()
		))]
		pub fn erase_record(origin: OriginFor<T>, record: RecordId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut anchor = Records::<T>::get(record).ok_or(Error::<T>::RecordNotFound)?;
			ensure!(!anchor.is_erased(), Error::<T>::Erased);
			let allowed = who == anchor.subject
				|| anchor
					.custodian
					.is_some_and(|org| T::Directory::is_organisation_admin(&who, org));
			ensure!(allowed, Error::<T>::NotAuthorized);
			// At most the patient's record count (a u32), so this never saturates; an erasure
			// never fails on a counter.
			let erased = ErasedRecordCount::<T>::get(&anchor.subject).saturating_add(1);

			let versions = anchor.current_version;
			let grantees = anchor.grantees;
			for version in 1..=versions {
				Versions::<T>::mutate(record, version, |info| {
					if let Some(info) = info {
						info.cid = None;
					}
				});
			}
			// At most `MaxGrantees` keys exist for a record, so one pass removes them all; at most
			// `MaxVersions` key-chain links.
			let _ = WrappedKeys::<T>::clear_prefix(record, T::MaxGrantees::get(), None);
			for (holder, grant) in KeyGrant::<T>::drain_prefix(record) {
				Self::forget_grant_key(grant, record, &holder);
			}
			let _ = KeyChain::<T>::clear_prefix(record, T::MaxVersions::get(), None);
			StaleKeys::<T>::remove(record);
			ErasedRecordCount::<T>::insert(&anchor.subject, erased);
			anchor.grantees = 0;
			anchor.state = RecordState::Erased {
				by: who.clone(),
				at: frame_system::Pallet::<T>::block_number(),
			};
			Records::<T>::insert(record, anchor);
			Self::deposit_event(Event::RecordErased { record, by: who });
			Ok(Some(T::WeightInfo::erase_record(versions, grantees)).into())
		}

		/// Anchor a batch of record versions by the root of a binary Merkle tree over them (a
		/// gateway's batch, a day's work): one call, one storage entry, whatever the size.
		///
		/// Each leaf is the SCALE encoding of a record version's anchor (the patient, the data
		/// class tag, the ciphertext hash, the plaintext commitment and the CID; see
		/// `medchain_client::batch`) and the tree is `binary-merkle-tree`'s over BLAKE2-256.
		/// The chain sees only the root and the count; each record's inclusion proof is kept
		/// with it off chain, and a verifier checks a document against the root with it.
		///
		/// Custody and consent apply as to [`Pallet::anchor_record`]: the origin must be an
		/// active practitioner, and the batch's custodian is their organisation. The chain
		/// cannot see the leaves, so a verifier asks consent for each one it checks: whether
		/// it let the batch's author write that class of data about that patient at the
		/// batch's block (the consent runtime API, in that block's state). A leaf it did not
		/// is refused there as unconsented.
		///
		/// - `root`: the Merkle root; not all zeros, not anchored before.
		/// - `leaves`: how many leaves the tree has, 1 to [`Config::MaxBatchLeaves`].
		///
		/// # Events
		/// [`Event::BatchAnchored`].
		///
		/// # Errors
		/// - [`Error::NotActivePractitioner`]: the caller is not an active practitioner.
		/// - [`Error::EmptyCommitment`]: `root` is all zeros.
		/// - [`Error::EmptyBatch`]: `leaves` is 0.
		/// - [`Error::BatchTooLarge`]: `leaves` is above [`Config::MaxBatchLeaves`].
		/// - [`Error::DuplicateBatch`]: `root` is anchored already.
		/// - [`Error::Overflow`]: batch ids are exhausted.
		///
		/// # Complexity
		/// O(1): the directory question, two reads, three writes.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::anchor_batch())]
		pub fn anchor_batch(origin: OriginFor<T>, root: Commitment, leaves: u32) -> DispatchResult {
			let author = ensure_signed(origin)?;
			let practitioner = T::Directory::active_practitioner(&author)
				.ok_or(Error::<T>::NotActivePractitioner)?;
			ensure!(root != [0u8; 32], Error::<T>::EmptyCommitment);
			ensure!(leaves > 0, Error::<T>::EmptyBatch);
			ensure!(leaves <= T::MaxBatchLeaves::get(), Error::<T>::BatchTooLarge);
			ensure!(!BatchByRoot::<T>::contains_key(root), Error::<T>::DuplicateBatch);
			let batch = NextBatchId::<T>::get();
			let next = batch.checked_add(1).ok_or(Error::<T>::Overflow)?;

			let custodian = practitioner.organisation;
			let anchored_at = frame_system::Pallet::<T>::block_number();
			Batches::<T>::insert(
				batch,
				BatchAnchor { root, leaves, custodian, author: author.clone(), anchored_at },
			);
			BatchByRoot::<T>::insert(root, batch);
			NextBatchId::<T>::put(next);
			Self::deposit_event(Event::BatchAnchored { batch, custodian, author, root, leaves });
			Ok(())
		}

		/// Wrap the record's data key for an account (a grantee), or replace the grantee's
		/// wrapped key (for example after they rotated their encryption key). A wrapped key lets
		/// its holder decrypt the record; who may *access* it is for consent to say.
		///
		/// Sharing a key is itself a consented action (security review H1): the origin must be
		/// signed by the patient, or, for a record with a custodian, by an active practitioner
		/// of the custodian organisation whom consent permits to `Share` the record for
		/// `purpose`. Whoever shares, consent must permit the grantee (other than the patient)
		/// to `Read` the record for `purpose`. Only the patient replaces another account's key
		/// (a practitioner may replace only their own); only the patient replaces theirs.
		///
		/// - `record`: the record's id.
		/// - `grantee`: the account the key is wrapped for.
		/// - `wrapped_key`: the data key wrapped for `grantee`; not empty, at most
		///   [`Config::MaxWrappedKeyLen`].
		/// - `purpose`: why the grantee will read the record.
		///
		/// # Events
		/// [`Event::WrappedKeyAdded`], or [`Event::WrappedKeyReplaced`] if `grantee` held one.
		///
		/// # Errors
		/// - [`Error::RecordNotFound`]: no such record.
		/// - [`Error::Erased`]: the record was erased.
		/// - [`Error::NotAuthorized`]: the caller is not the patient and the record is
		///   self-reported, the caller is a practitioner of another organisation, or a
		///   practitioner tried to replace the patient's key or another account's key.
		/// - [`Error::NotActivePractitioner`]: the caller is not the patient and not an active
		///   practitioner.
		/// - [`Error::ShareDenied`]: consent does not permit the caller to share the record for
		///   `purpose`.
		/// - [`Error::GranteeNotPermitted`]: consent does not permit the grantee to read the
		///   record for `purpose`.
		/// - [`Error::EmptyWrappedKey`]: `wrapped_key` is empty.
		/// - [`Error::TooManyGrantees`]: [`Config::MaxGrantees`] accounts hold a key already.
		/// - [`Error::TooManyKeysForGrant`]: the grant that permits the grantee has delivered
		///   [`Config::MaxKeysPerGrant`] keys already.
		/// - [`Error::Overflow`]: the grantee count would overflow.
		///
		/// The grant that permits the grantee to read (if a grant does, not an emergency access)
		/// is remembered with the key ([`KeyGrant`]): when the patient revokes it, the key goes
		/// too ([`Event::WrappedKeyRevoked`]).
		///
		/// # Complexity
		/// O(1): the directory and consent questions, four reads, up to six writes.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::add_wrapped_key())]
		pub fn add_wrapped_key(
			origin: OriginFor<T>,
			record: RecordId,
			grantee: AccountIdLookupOf<T>,
			wrapped_key: WrappedKeyOf<T>,
			purpose: PurposeOfUse,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let grantee = T::Lookup::lookup(grantee)?;
			let mut anchor = Records::<T>::get(record).ok_or(Error::<T>::RecordNotFound)?;
			let data_class = Self::active_data_class(&anchor)?;
			let target = AccessTarget::Record { record, class: data_class };
			if who != anchor.subject {
				Self::ensure_custodian_practitioner(&who, &anchor)?;
				ensure!(grantee != anchor.subject, Error::<T>::NotAuthorized);
				ensure!(
					grantee == who || !WrappedKeys::<T>::contains_key(record, &grantee),
					Error::<T>::NotAuthorized
				);
				let share = T::Consent::evaluate_access(
					&anchor.subject,
					&who,
					ConsentAction::Share,
					purpose,
					target,
				);
				ensure!(share.permitted, Error::<T>::ShareDenied);
			}
			// The grant whose read permission delivers the key (none for the patient's own key
			// or one permitted by an emergency access): revoking it removes the key.
			let mut backing = None;
			if grantee != anchor.subject {
				let decision = T::Consent::evaluate_access(
					&anchor.subject,
					&grantee,
					ConsentAction::Read,
					purpose,
					target,
				);
				ensure!(decision.permitted, Error::<T>::GranteeNotPermitted);
				if decision.reason == DecisionReason::Granted {
					backing = decision.grant;
				}
			}
			ensure!(!wrapped_key.is_empty(), Error::<T>::EmptyWrappedKey);
			let replacing = WrappedKeys::<T>::contains_key(record, &grantee);
			let grantees = if replacing {
				anchor.grantees
			} else {
				let grantees = anchor.grantees.checked_add(1).ok_or(Error::<T>::Overflow)?;
				ensure!(grantees <= T::MaxGrantees::get(), Error::<T>::TooManyGrantees);
				grantees
			};
			Self::back_key(record, &grantee, backing)?;

			WrappedKeys::<T>::insert(record, &grantee, wrapped_key);
			if replacing {
				Self::deposit_event(Event::WrappedKeyReplaced { record, grantee, by: who });
			} else {
				anchor.grantees = grantees;
				Records::<T>::insert(record, anchor);
				Self::deposit_event(Event::WrappedKeyAdded { record, grantee, by: who });
			}
			Ok(())
		}

		/// Remove an account's wrapped data key of a record. This stops the chain from handing
		/// the key out; it cannot make the grantee forget a data key they already unwrapped, so
		/// the record's next amendment must change the data key ([`StaleKeys`]).
		///
		/// The origin must be signed by the patient or, for a record with a custodian, by an
		/// active practitioner of the custodian organisation (taking access away needs no
		/// consent). The patient's own key cannot be removed (erase the record instead).
		///
		/// - `record`: the record's id.
		/// - `grantee`: the account whose wrapped key is removed.
		///
		/// # Events
		/// [`Event::WrappedKeyRemoved`].
		///
		/// # Errors
		/// - [`Error::RecordNotFound`]: no such record.
		/// - [`Error::Erased`]: the record was erased.
		/// - [`Error::NotAuthorized`]: the caller is not the patient and the record is
		///   self-reported, or the caller is a practitioner of another organisation.
		/// - [`Error::NotActivePractitioner`]: the caller is not the patient and not an active
		///   practitioner.
		/// - [`Error::CannotRemovePatientKey`]: `grantee` is the patient.
		/// - [`Error::KeyNotFound`]: `grantee` holds no wrapped key for the record.
		/// - [`Error::Overflow`]: the grantee count is inconsistent (defensive).
		///
		/// # Complexity
		/// O(1): the directory question, two reads, two writes.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::remove_wrapped_key())]
		pub fn remove_wrapped_key(
			origin: OriginFor<T>,
			record: RecordId,
			grantee: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let grantee = T::Lookup::lookup(grantee)?;
			let mut anchor = Records::<T>::get(record).ok_or(Error::<T>::RecordNotFound)?;
			ensure!(!anchor.is_erased(), Error::<T>::Erased);
			if who != anchor.subject {
				Self::ensure_custodian_practitioner(&who, &anchor)?;
			}
			ensure!(grantee != anchor.subject, Error::<T>::CannotRemovePatientKey);
			ensure!(WrappedKeys::<T>::contains_key(record, &grantee), Error::<T>::KeyNotFound);
			let grantees = anchor.grantees.checked_sub(1).ok_or(Error::<T>::Overflow)?;

			WrappedKeys::<T>::remove(record, &grantee);
			if let Some(grant) = KeyGrant::<T>::take(record, &grantee) {
				Self::forget_grant_key(grant, record, &grantee);
			}
			StaleKeys::<T>::insert(record, ());
			anchor.grantees = grantees;
			Records::<T>::insert(record, anchor);
			Self::deposit_event(Event::WrappedKeyRemoved { record, grantee, by: who });
			Ok(())
		}

		/// Prune a wrapped data key that consent no longer backs: consent permits its holder to
		/// read the record for none of the purposes of use (their grant was revoked or expired,
		/// their licence suspended, they were detached, a deny was added). Keys follow consent
		/// (security review H2): anyone may prune such a key (the patient's client does it when
		/// revoking, a gateway or a watcher at any time), and the record's next amendment must
		/// change the data key ([`StaleKeys`]).
		///
		/// The origin must be signed (by anyone).
		///
		/// - `record`: the record's id.
		/// - `holder`: the account whose wrapped key is pruned; not the patient.
		///
		/// # Events
		/// [`Event::WrappedKeyPruned`].
		///
		/// # Errors
		/// - [`Error::RecordNotFound`]: no such record.
		/// - [`Error::Erased`]: the record was erased.
		/// - [`Error::CannotRemovePatientKey`]: `holder` is the patient.
		/// - [`Error::KeyNotFound`]: `holder` holds no wrapped key for the record.
		/// - [`Error::StillPermitted`]: consent permits `holder` to read the record for some
		///   purpose.
		/// - [`Error::Overflow`]: the grantee count is inconsistent (defensive).
		///
		/// # Complexity
		/// O(1): one consent question per purpose of use (six), two reads, three writes.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::prune_wrapped_key())]
		pub fn prune_wrapped_key(
			origin: OriginFor<T>,
			record: RecordId,
			holder: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let holder = T::Lookup::lookup(holder)?;
			let mut anchor = Records::<T>::get(record).ok_or(Error::<T>::RecordNotFound)?;
			let class = Self::active_data_class(&anchor)?;
			ensure!(holder != anchor.subject, Error::<T>::CannotRemovePatientKey);
			ensure!(WrappedKeys::<T>::contains_key(record, &holder), Error::<T>::KeyNotFound);
			let target = AccessTarget::Record { record, class };
			let permitted = PurposeOfUse::ALL.iter().any(|purpose| {
				T::Consent::evaluate_access(
					&anchor.subject,
					&holder,
					ConsentAction::Read,
					*purpose,
					target,
				)
				.permitted
			});
			ensure!(!permitted, Error::<T>::StillPermitted);
			let grantees = anchor.grantees.checked_sub(1).ok_or(Error::<T>::Overflow)?;

			WrappedKeys::<T>::remove(record, &holder);
			if let Some(grant) = KeyGrant::<T>::take(record, &holder) {
				Self::forget_grant_key(grant, record, &holder);
			}
			StaleKeys::<T>::insert(record, ());
			anchor.grantees = grantees;
			Records::<T>::insert(record, anchor);
			Self::deposit_event(Event::WrappedKeyPruned { record, holder, by: who });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Remembers that `grant` delivered `holder`'s key of `record` (or that no grant did),
		/// forgetting the grant that delivered the key it replaces. Fails, changing nothing, if
		/// `grant` has delivered [`Config::MaxKeysPerGrant`] keys already.
		fn back_key(
			record: RecordId,
			holder: &T::AccountId,
			grant: Option<GrantId>,
		) -> DispatchResult {
			let previous = KeyGrant::<T>::get(record, holder);
			if previous == grant {
				return Ok(());
			}
			let count = match grant {
				Some(grant) => {
					let count = GrantKeyCount::<T>::get(grant)
						.unwrap_or(0)
						.checked_add(1)
						.ok_or(Error::<T>::Overflow)?;
					ensure!(count <= T::MaxKeysPerGrant::get(), Error::<T>::TooManyKeysForGrant);
					Some((grant, count))
				},
				None => None,
			};
			if let Some(previous) = previous {
				Self::forget_grant_key(previous, record, holder);
			}
			match count {
				Some((grant, count)) => {
					KeyGrant::<T>::insert(record, holder, grant);
					GrantKeys::<T>::insert(grant, (record, holder.clone()), ());
					GrantKeyCount::<T>::insert(grant, count);
				},
				None => KeyGrant::<T>::remove(record, holder),
			}
			Ok(())
		}

		/// Removes `(record, holder)` from the keys `grant` delivered (the caller removes the
		/// [`KeyGrant`] entry).
		fn forget_grant_key(grant: GrantId, record: RecordId, holder: &T::AccountId) {
			GrantKeys::<T>::remove(grant, (record, holder));
			GrantKeyCount::<T>::mutate_exists(grant, |count| {
				*count = count.and_then(|count| count.checked_sub(1)).filter(|count| *count > 0);
			});
		}

		/// Removes every wrapped key `grant` delivered: the patient revoked it. Each record
		/// losing a key must change its data key at its next amendment ([`StaleKeys`]).
		/// Returns how many keys went.
		pub(crate) fn end_grant_keys(grant: GrantId) -> u32 {
			let mut ended: u32 = 0;
			let max = T::MaxKeysPerGrant::get() as usize;
			for ((record, holder), ()) in GrantKeys::<T>::drain_prefix(grant).take(max) {
				KeyGrant::<T>::remove(record, &holder);
				if WrappedKeys::<T>::take(record, &holder).is_none() {
					continue;
				}
				Records::<T>::mutate(record, |anchor| {
					if let Some(anchor) = anchor {
						anchor.grantees = anchor.grantees.saturating_sub(1);
					}
				});
				StaleKeys::<T>::insert(record, ());
				ended = ended.saturating_add(1);
				Self::deposit_event(Event::WrappedKeyRevoked { record, holder, grant });
			}
			GrantKeyCount::<T>::remove(grant);
			ended
		}

		/// Stores a new record (version 1) with its wrapped keys and indexes it for its patient.
		/// Every check on the caller and the fields is done by the caller of this function.
		fn do_anchor(
			patient: T::AccountId,
			custodian: Option<OrganisationId>,
			author: T::AccountId,
			state: RecordState<T::AccountId, BlockNumberFor<T>>,
			content: VersionContentOf<T>,
			patient_key: WrappedKeyOf<T>,
			author_key: Option<WrappedKeyOf<T>>,
		) -> DispatchResult {
			let record = NextRecordId::<T>::get();
			let next = record.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let count = PatientRecordCount::<T>::get(&patient)
				.checked_add(1)
				.ok_or(Error::<T>::Overflow)?;
			// The patient and, unless self-reported, the author; `integrity_test` ensures that
			// `MaxGrantees` allows both.
			let grantees: u32 = if author_key.is_some() { 2 } else { 1 };

			let VersionContent { ciphertext_hash, plaintext_commitment, cid } = content;
			let now = frame_system::Pallet::<T>::block_number();
			Versions::<T>::insert(
				record,
				1,
				VersionInfo {
					ciphertext_hash,
					plaintext_commitment,
					cid: Some(cid),
					author: author.clone(),
					created_at: now,
					supersedes: None,
				},
			);
			VersionByCiphertext::<T>::insert(record, ciphertext_hash, 1);
			WrappedKeys::<T>::insert(record, &patient, patient_key);
			if let Some(key) = author_key {
				WrappedKeys::<T>::insert(record, &author, key);
			}
			Records::<T>::insert(
				record,
				Record {
					subject: patient.clone(),
					custodian,
					author: author.clone(),
					created_at: now,
					current_version: 1,
					grantees,
					state,
				},
			);
			PatientRecords::<T>::insert(&patient, record, ());
			PatientRecordCount::<T>::insert(&patient, count);
			NextRecordId::<T>::put(next);
			Self::deposit_event(Event::RecordAnchored {
				record,
				subject: patient,
				custodian,
				author,
				version: 1,
				ciphertext_hash,
			});
			Ok(())
		}

		/// Checks a new version's content: commitments not all zeros, a CID.
		/// Checks a re-keying of `record`: the chained key and every wrapped key not empty, and
		/// exactly one new key for each account that holds a key now.
		fn ensure_valid_rekey(
			record: RecordId,
			anchor: &RecordOf<T>,
			rekey: &RekeyOf<T>,
		) -> DispatchResult {
			ensure!(!rekey.previous_key.is_empty(), Error::<T>::EmptyWrappedKey);
			ensure!(rekey.keys.iter().all(|(_, key)| !key.is_empty()), Error::<T>::EmptyWrappedKey);
			let count = u32::try_from(rekey.keys.len()).map_err(|_| Error::<T>::RekeyMismatch)?;
			ensure!(count == anchor.grantees, Error::<T>::RekeyMismatch);
			let mut seen: Vec<&T::AccountId> = Vec::with_capacity(rekey.keys.len());
			for (holder, _) in rekey.keys.iter() {
				ensure!(
					!seen.contains(&holder) && WrappedKeys::<T>::contains_key(record, holder),
					Error::<T>::RekeyMismatch
				);
				seen.push(holder);
			}
			Ok(())
		}

		fn ensure_valid_content(content: &VersionContentOf<T>) -> DispatchResult {
			ensure!(
				content.ciphertext_hash != [0u8; 32] && content.plaintext_commitment != [0u8; 32],
				Error::<T>::EmptyCommitment
			);
			ensure!(!content.cid.is_empty(), Error::<T>::EmptyCid);
			Ok(())
		}

		/// The record's data class, or [`Error::Erased`].
		fn active_data_class(anchor: &RecordOf<T>) -> Result<ClassTag, DispatchError> {
			match anchor.state {
				RecordState::Active { data_class, .. } => Ok(data_class),
				RecordState::Erased { .. } => Err(Error::<T>::Erased.into()),
			}
		}

		/// The record's custodian organisation if `who` is an active practitioner of it.
		fn ensure_custodian_practitioner(
			who: &T::AccountId,
			anchor: &RecordOf<T>,
		) -> Result<OrganisationId, DispatchError> {
			let custodian = anchor.custodian.ok_or(Error::<T>::NotAuthorized)?;
			let practitioner =
				T::Directory::active_practitioner(who).ok_or(Error::<T>::NotActivePractitioner)?;
			ensure!(practitioner.organisation == custodian, Error::<T>::NotAuthorized);
			Ok(custodian)
		}

		/// Whether `who` is an active practitioner of the record's custodian whom consent lets
		/// write `data_class` about the record's patient.
		fn ensure_custodian_writer(
			who: &T::AccountId,
			anchor: &RecordOf<T>,
			data_class: ClassTag,
		) -> DispatchResult {
			let custodian = Self::ensure_custodian_practitioner(who, anchor)?;
			ensure!(
				T::Consent::may_write(&anchor.subject, who, custodian, data_class),
				Error::<T>::ConsentDenied
			);
			Ok(())
		}
	}
}
