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
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use frame_support::{
	ensure,
	pallet_prelude::{
		DispatchResult, InvalidTransaction, TransactionSource, ValidTransaction, Weight,
	},
	traits::Get,
};
use medchain_primitives::{
	invalid_transaction, ActivePractitioner, DirectoryInspect, EncryptionPublicKey, OrganisationId,
	PatientGrantsInspect, PatientRecordsInspect,
};
use polkadot_sdk::*;
use sp_runtime::{traits::Verify, transaction_validity::TransactionValidityWithRefund};

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::UnixTime};
	use frame_system::pallet_prelude::*;
	use medchain_primitives::{OrganisationKind, PractitionerRole};
	use sp_runtime::traits::{CheckedAdd, IdentifyAccount, StaticLookup, Verify, Zero};

	/// The storage version of this pallet.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// An account as a call names it (through the runtime's `Lookup`).
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;
	/// An organisation's name, bounded by [`Config::MaxNameLen`].
	pub type NameOf<T> = BoundedVec<u8, <T as Config>::MaxNameLen>;
	/// A licence's issuing authority, bounded by [`Config::MaxAuthorityLen`].
	pub type AuthorityOf<T> = BoundedVec<u8, <T as Config>::MaxAuthorityLen>;
	/// A licence as this runtime stores it.
	pub type LicenceOf<T> = Licence<AuthorityOf<T>>;
	/// An organisation as this runtime stores it.
	pub type OrganisationOf<T> =
		Organisation<<T as frame_system::Config>::AccountId, NameOf<T>, BlockNumberFor<T>>;
	/// A practitioner as this runtime stores it.
	pub type PractitionerOf<T> = Practitioner<AuthorityOf<T>, BlockNumberFor<T>>;
	/// An invitation as this runtime stores it.
	pub type InvitationOf<T> = Invitation<AuthorityOf<T>, BlockNumberFor<T>>;
	/// A patient as this runtime stores it.
	pub type PatientOf<T> = Patient<BlockNumberFor<T>>;
	/// A gateway's base URL, bounded by [`Config::MaxEndpointLen`].
	pub type EndpointOf<T> = BoundedVec<u8, <T as Config>::MaxEndpointLen>;
	/// A custodian gateway as this runtime stores it.
	pub type GatewayOf<T> =
		Gateway<<T as frame_system::Config>::AccountId, EndpointOf<T>, BlockNumberFor<T>>;
	/// A patient's retired keys, newest first.
	pub type KeyHistoryOf<T> =
		BoundedVec<RetiredKey<BlockNumberFor<T>>, <T as Config>::MaxKeyHistory>;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The directory's configuration.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The origin that registers organisations, changes their admin and deactivates or
		/// reactivates them (in the runtime a council majority, or root).
		type RegistrarOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Wall-clock time, against which licence validity (Unix seconds) is checked.
		type Time: UnixTime;

		/// The longest organisation name, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// The longest licence issuing authority, in bytes.
		#[pallet::constant]
		type MaxAuthorityLen: Get<u32>;

		/// The longest gateway endpoint (base URL), in bytes.
		#[pallet::constant]
		type MaxEndpointLen: Get<u32>;

		/// How many retired encryption keys are kept per patient (the oldest is dropped).
		#[pallet::constant]
		type MaxKeyHistory: Get<u32>;

		/// How many invitations an organisation may have waiting for an answer (expired ones
		/// count until removed).
		#[pallet::constant]
		type MaxInvitations: Get<u32>;

		/// How many blocks an invitation can be accepted for.
		#[pallet::constant]
		type InvitationLifetime: Get<BlockNumberFor<Self>>;

		/// The signature an account proves itself with when it registers as a patient without
		/// funds ([`Pallet::register_patient_by_signature`]); the runtime's `MultiSignature`.
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>> + Parameter;

		/// How many patients may register by signature (no fee) in one block; further
		/// registrations wait in the pool for a later block.
		#[pallet::constant]
		type MaxFreeRegistrationsPerBlock: Get<u32>;

		/// How many records name a patient and are not erased (pallet-medical-records): a
		/// patient deregisters only when none does.
		type Records: PatientRecordsInspect<Self::AccountId>;

		/// How many of a patient's consent grants are in force or still to begin
		/// (pallet-consent): a patient deregisters only when none is.
		type Grants: PatientGrantsInspect<Self::AccountId>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Signs registrations, for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::Signature>;
	}

	/// How many patients registered by signature in a block: the block, and the count. Only the
	/// latest block's count matters.
	#[pallet::storage]
	pub type FreeRegistrations<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	/// The id the next registered organisation receives. Ids are assigned sequentially and
	/// organisations are never removed, so the organisations are exactly the ids below it.
	#[pallet::storage]
	pub type NextOrganisationId<T> = StorageValue<_, OrganisationId, ValueQuery>;

	/// Organisations by id (sequential ids, not chosen by callers).
	#[pallet::storage]
	pub type Organisations<T: Config> =
		StorageMap<_, Twox64Concat, OrganisationId, OrganisationOf<T>, OptionQuery>;

	/// Index from an organisation's name to its id (names are unique).
	#[pallet::storage]
	pub type OrganisationByName<T: Config> =
		StorageMap<_, Blake2_128Concat, NameOf<T>, OrganisationId, OptionQuery>;

	/// Practitioners by account. An account is a practitioner in at most one organisation.
	#[pallet::storage]
	pub type Practitioners<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PractitionerOf<T>, OptionQuery>;

	/// Index of each organisation's practitioners (mirrors `Practitioners`).
	#[pallet::storage]
	pub type OrganisationPractitioners<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		OrganisationId,
		Blake2_128Concat,
		T::AccountId,
		(),
		OptionQuery,
	>;

	/// Invitations waiting for the invited account's answer, by account and organisation.
	#[pallet::storage]
	pub type Invitations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		OrganisationId,
		InvitationOf<T>,
		OptionQuery,
	>;

	/// How many invitations each organisation has waiting (absent when none; at most
	/// [`Config::MaxInvitations`]).
	#[pallet::storage]
	pub type InvitationCount<T> = StorageMap<_, Twox64Concat, OrganisationId, u32, OptionQuery>;

	/// The X25519 public key each practitioner registered for receiving wrapped data keys
	/// (absent until they register one; removed when they are detached).
	#[pallet::storage]
	pub type PractitionerKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, EncryptionPublicKey, OptionQuery>;

	/// Registered patients by account.
	#[pallet::storage]
	pub type Patients<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PatientOf<T>, OptionQuery>;

	/// Index from a patient's pseudonym to their account (pseudonyms are unique).
	#[pallet::storage]
	pub type PatientByPseudonym<T: Config> =
		StorageMap<_, Blake2_128Concat, PatientPseudonym, T::AccountId, OptionQuery>;

	/// How many patients are registered.
	#[pallet::storage]
	pub type PatientCount<T> = StorageValue<_, u32, ValueQuery>;

	/// Each patient's retired encryption keys, newest first (absent until the first rotation).
	#[pallet::storage]
	pub type PatientKeyHistory<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, KeyHistoryOf<T>, OptionQuery>;

	/// The pseudonyms of patients who deregistered: never registered again, so that a
	/// registration signature left in an old block cannot register the account once more.
	#[pallet::storage]
	pub type RetiredPseudonyms<T: Config> =
		StorageMap<_, Blake2_128Concat, PatientPseudonym, (), OptionQuery>;

	/// Each organisation's custodian gateway, where it published one.
	#[pallet::storage]
	pub type Gateways<T: Config> =
		StorageMap<_, Twox64Concat, OrganisationId, GatewayOf<T>, OptionQuery>;

	/// Index from a gateway's account to its organisation (mirrors `Gateways`; an account is
	/// the gateway of at most one organisation).
	#[pallet::storage]
	pub type GatewayAccounts<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, OrganisationId, OptionQuery>;

	/// What happened in the directory.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The registrar registered an organisation.
		OrganisationRegistered {
			/// The new organisation's id.
			organisation: OrganisationId,
			/// Its kind.
			kind: OrganisationKind,
			/// Its admin.
			admin: T::AccountId,
		},
		/// The registrar gave an organisation a new admin.
		OrganisationAdminChanged {
			/// The organisation.
			organisation: OrganisationId,
			/// The admin until now.
			old_admin: T::AccountId,
			/// The admin from now on.
			new_admin: T::AccountId,
		},
		/// The registrar deactivated an organisation: none of its practitioners is active.
		OrganisationDeactivated {
			/// The organisation.
			organisation: OrganisationId,
		},
		/// The registrar reactivated an organisation.
		OrganisationReactivated {
			/// The organisation.
			organisation: OrganisationId,
		},
		/// An organisation's admin invited an account to become one of its practitioners.
		PractitionerInvited {
			/// The organisation.
			organisation: OrganisationId,
			/// The invited account.
			practitioner: T::AccountId,
			/// The role offered.
			role: PractitionerRole,
			/// The first block at which the invitation can no longer be accepted.
			expires_at: BlockNumberFor<T>,
		},
		/// An invitation was removed without being accepted: declined by the invited account,
		/// withdrawn by the admin, or removed by anyone after it expired.
		InvitationRemoved {
			/// The organisation.
			organisation: OrganisationId,
			/// The invited account.
			practitioner: T::AccountId,
			/// Who removed it.
			by: T::AccountId,
		},
		/// An account accepted an organisation's invitation and became its practitioner.
		PractitionerAttached {
			/// The organisation.
			organisation: OrganisationId,
			/// The practitioner's account.
			practitioner: T::AccountId,
			/// The practitioner's role.
			role: PractitionerRole,
			/// First second (Unix time) of the licence's validity.
			valid_from: u64,
			/// First second (Unix time) after the licence's validity.
			valid_until: u64,
		},
		/// An organisation's admin suspended a practitioner.
		PractitionerSuspended {
			/// The organisation.
			organisation: OrganisationId,
			/// The practitioner's account.
			practitioner: T::AccountId,
		},
		/// An organisation's admin lifted a practitioner's suspension.
		PractitionerReinstated {
			/// The organisation.
			organisation: OrganisationId,
			/// The practitioner's account.
			practitioner: T::AccountId,
		},
		/// An organisation's admin revoked a practitioner (final).
		PractitionerRevoked {
			/// The organisation.
			organisation: OrganisationId,
			/// The practitioner's account.
			practitioner: T::AccountId,
		},
		/// An organisation's admin changed a practitioner's role.
		PractitionerRoleChanged {
			/// The organisation.
			organisation: OrganisationId,
			/// The practitioner's account.
			practitioner: T::AccountId,
			/// The role until now.
			old_role: PractitionerRole,
			/// The role from now on.
			new_role: PractitionerRole,
		},
		/// An organisation's admin recorded a new validity period for a practitioner's licence.
		LicenceRenewed {
			/// The organisation.
			organisation: OrganisationId,
			/// The practitioner's account.
			practitioner: T::AccountId,
			/// First second (Unix time) of the new validity.
			valid_from: u64,
			/// First second (Unix time) after the new validity.
			valid_until: u64,
		},
		/// An organisation's admin detached a practitioner.
		PractitionerDetached {
			/// The organisation.
			organisation: OrganisationId,
			/// The former practitioner's account.
			practitioner: T::AccountId,
		},
		/// A practitioner left their organisation (in any standing, revoked included).
		PractitionerLeft {
			/// The organisation.
			organisation: OrganisationId,
			/// The former practitioner's account.
			practitioner: T::AccountId,
			/// The standing they left in.
			standing: Standing,
		},
		/// A practitioner registered (or replaced) the key data keys are wrapped for.
		PractitionerEncryptionKeySet {
			/// The practitioner's account.
			practitioner: T::AccountId,
			/// The X25519 public key.
			encryption_key: EncryptionPublicKey,
		},
		/// An organisation's admin published (or replaced) its custodian gateway.
		GatewaySet {
			/// The organisation.
			organisation: OrganisationId,
			/// The gateway's account.
			account: T::AccountId,
			/// Its base URL.
			endpoint: EndpointOf<T>,
			/// The key data keys are wrapped for when records are deposited with it.
			encryption_key: EncryptionPublicKey,
		},
		/// An organisation's admin withdrew its custodian gateway.
		GatewayRemoved {
			/// The organisation.
			organisation: OrganisationId,
			/// The account the gateway had.
			account: T::AccountId,
		},
		/// A patient registered.
		PatientRegistered {
			/// The patient's account.
			patient: T::AccountId,
			/// The patient's pseudonymous id.
			pseudonym: PatientPseudonym,
			/// The patient's X25519 public key.
			encryption_key: EncryptionPublicKey,
		},
		/// A patient replaced their encryption key.
		EncryptionKeyRotated {
			/// The patient's account.
			patient: T::AccountId,
			/// The new X25519 public key.
			encryption_key: EncryptionPublicKey,
			/// How many rotations the patient has made, this one included.
			rotation: u32,
		},
		/// A patient deregistered: the account is no longer a patient and its pseudonym is
		/// retired.
		PatientDeregistered {
			/// The former patient's account.
			patient: T::AccountId,
		},
	}

	/// Why a directory call failed (or, for [`Pallet::ensure_active_practitioner`], why an
	/// account is not an active practitioner).
	#[pallet::error]
	pub enum Error<T> {
		/// No organisation has this id.
		OrganisationNotFound,
		/// The caller is not the admin of the organisation concerned.
		NotAuthorized,
		/// The organisation is deactivated.
		OrganisationInactive,
		/// The organisation is already active.
		AlreadyActive,
		/// Another organisation is registered under this name.
		NameTaken,
		/// The organisation name is empty.
		EmptyName,
		/// The new admin is already the organisation's admin.
		AdminUnchanged,
		/// The account is not a practitioner.
		PractitionerNotFound,
		/// The account is already a practitioner (in this or another organisation).
		AlreadyPractitioner,
		/// The organisation's kind may not have practitioners with this role (for example an
		/// emergency physician anywhere but at a hospital or clinic).
		RoleNotAllowed,
		/// The licence's issuing authority is empty.
		EmptyAuthority,
		/// The licence id commitment is all zeros.
		EmptyLicenceId,
		/// The licence's `valid_until` is not after its `valid_from`.
		InvalidLicencePeriod,
		/// The licence's validity has ended.
		LicenceExpired,
		/// The licence's validity has not started yet.
		LicenceNotYetValid,
		/// The practitioner is suspended.
		Suspended,
		/// The practitioner is not suspended.
		NotSuspended,
		/// The practitioner was revoked, which is final for the organisation.
		Revoked,
		/// The account has an invitation from this organisation already.
		AlreadyInvited,
		/// The organisation has as many invitations waiting as allowed.
		TooManyInvitations,
		/// The account has no invitation from this organisation.
		InvitationNotFound,
		/// The invitation expired; it can only be removed.
		InvitationExpired,
		/// The practitioner already has this role.
		RoleUnchanged,
		/// The account is already a registered patient.
		AlreadyRegistered,
		/// Another patient registered this pseudonym.
		PseudonymTaken,
		/// The pseudonym is all zeros.
		EmptyPseudonym,
		/// The encryption key is all zeros.
		EmptyEncryptionKey,
		/// The account is not a registered patient.
		PatientNotFound,
		/// The new encryption key is the current one.
		KeyUnchanged,
		/// A counter or an id would overflow.
		Overflow,
		/// The registration's signature is not the patient account's, over this chain's
		/// registration message.
		BadSignature,
		/// A record names the patient and is not erased: erase it before deregistering.
		PatientHasRecords,
		/// A consent grant of the patient is in force or still to begin: revoke it before
		/// deregistering.
		PatientHasGrants,
		/// The gateway endpoint is not `https://…` or `http://…` in printable ASCII without
		/// spaces.
		InvalidEndpoint,
		/// The account is another organisation's gateway.
		GatewayAccountTaken,
		/// The organisation's gateway already has this account, endpoint and key.
		GatewayUnchanged,
		/// The organisation has no gateway.
		NoGateway,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxNameLen::get() > 0, "MaxNameLen must allow a name");
			assert!(T::MaxAuthorityLen::get() > 0, "MaxAuthorityLen must allow an authority");
			assert!(T::MaxInvitations::get() > 0, "MaxInvitations must allow an invitation");
			assert!(T::MaxEndpointLen::get() > 8, "MaxEndpointLen must allow a URL");
			assert!(
				!T::InvitationLifetime::get().is_zero(),
				"InvitationLifetime must leave time to accept"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Register an organisation.
		///
		/// The origin must be [`Config::RegistrarOrigin`].
		///
		/// - `kind`: what kind of organisation it is.
		/// - `admin`: the account that will manage its practitioners.
		/// - `name`: its public display name or registry code; not empty, at most
		///   [`Config::MaxNameLen`] bytes (longer is refused when the call is decoded), unique.
		///
		/// The organisation receives the next sequential id and starts active.
		///
		/// # Events
		/// [`Event::OrganisationRegistered`].
		///
		/// # Errors
		/// - [`Error::EmptyName`]: `name` is empty.
		/// - [`Error::NameTaken`]: another organisation has this name.
		/// - [`Error::Overflow`]: the organisation ids are exhausted.
		///
		/// # Complexity
		/// O(n) in the length of `name` (hashed for the name index); two reads, three writes.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_organisation(name.len() as u32))]
		pub fn register_organisation(
			origin: OriginFor<T>,
			kind: OrganisationKind,
			admin: AccountIdLookupOf<T>,
			name: NameOf<T>,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			let admin = T::Lookup::lookup(admin)?;
			ensure!(!name.is_empty(), Error::<T>::EmptyName);
			ensure!(!OrganisationByName::<T>::contains_key(&name), Error::<T>::NameTaken);
			let organisation = NextOrganisationId::<T>::get();
			let next = organisation.checked_add(1).ok_or(Error::<T>::Overflow)?;

			OrganisationByName::<T>::insert(&name, organisation);
			Organisations::<T>::insert(
				organisation,
				Organisation {
					kind,
					name,
					admin: admin.clone(),
					active: true,
					practitioners: 0,
					registered_at: frame_system::Pallet::<T>::block_number(),
				},
			);
			NextOrganisationId::<T>::put(next);
			Self::deposit_event(Event::OrganisationRegistered { organisation, kind, admin });
			Ok(())
		}

		/// Give an organisation a new admin.
		///
		/// The origin must be [`Config::RegistrarOrigin`]. Works for a deactivated organisation
		/// too. The old admin loses every admin power at once.
		///
		/// - `organisation`: the organisation's id.
		/// - `new_admin`: the account that becomes its admin.
		///
		/// # Events
		/// [`Event::OrganisationAdminChanged`].
		///
		/// # Errors
		/// - [`Error::OrganisationNotFound`]: no such organisation.
		/// - [`Error::AdminUnchanged`]: `new_admin` already is the admin.
		///
		/// # Complexity
		/// O(1): one read, one write.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_organisation_admin())]
		pub fn set_organisation_admin(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			new_admin: AccountIdLookupOf<T>,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			let new_admin = T::Lookup::lookup(new_admin)?;
			let mut org =
				Organisations::<T>::get(organisation).ok_or(Error::<T>::OrganisationNotFound)?;
			ensure!(org.admin != new_admin, Error::<T>::AdminUnchanged);
			let old_admin = core::mem::replace(&mut org.admin, new_admin.clone());
			Organisations::<T>::insert(organisation, org);
			Self::deposit_event(Event::OrganisationAdminChanged {
				organisation,
				old_admin,
				new_admin,
			});
			Ok(())
		}

		/// Deactivate an organisation.
		///
		/// The origin must be [`Config::RegistrarOrigin`]. From now on none of its practitioners
		/// is active, its admin is not reported as an admin to other pallets, its admin can no
		/// longer invite, reinstate or
		/// renew anyone (suspending, revoking and detaching stay possible), and its
		/// invitations cannot be accepted.
		///
		/// - `organisation`: the organisation's id.
		///
		/// # Events
		/// [`Event::OrganisationDeactivated`].
		///
		/// # Errors
		/// - [`Error::OrganisationNotFound`]: no such organisation.
		/// - [`Error::OrganisationInactive`]: it is already deactivated.
		///
		/// # Complexity
		/// O(1): one read, one write (the practitioners are not touched; activity is checked
		/// when asked).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::deactivate_organisation())]
		pub fn deactivate_organisation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			let mut org =
				Organisations::<T>::get(organisation).ok_or(Error::<T>::OrganisationNotFound)?;
			ensure!(org.active, Error::<T>::OrganisationInactive);
			org.active = false;
			Organisations::<T>::insert(organisation, org);
			Self::deposit_event(Event::OrganisationDeactivated { organisation });
			Ok(())
		}

		/// Reactivate a deactivated organisation.
		///
		/// The origin must be [`Config::RegistrarOrigin`]. Its practitioners become active again
		/// if their own standing and licence allow it.
		///
		/// - `organisation`: the organisation's id.
		///
		/// # Events
		/// [`Event::OrganisationReactivated`].
		///
		/// # Errors
		/// - [`Error::OrganisationNotFound`]: no such organisation.
		/// - [`Error::AlreadyActive`]: it is active.
		///
		/// # Complexity
		/// O(1): one read, one write.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reactivate_organisation())]
		pub fn reactivate_organisation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
		) -> DispatchResult {
			T::RegistrarOrigin::ensure_origin(origin)?;
			let mut org =
				Organisations::<T>::get(organisation).ok_or(Error::<T>::OrganisationNotFound)?;
			ensure!(!org.active, Error::<T>::AlreadyActive);
			org.active = true;
			Organisations::<T>::insert(organisation, org);
			Self::deposit_event(Event::OrganisationReactivated { organisation });
			Ok(())
		}

		/// Invite an account to become one of the organisation's practitioners. Nothing changes
		/// for the account until it accepts ([`Pallet::accept_invitation`]): nobody is made a
		/// practitioner, and nobody is bound by a later revocation, without their consent.
		///
		/// The origin must be signed by the organisation's admin, and the organisation active.
		/// An account is a practitioner in at most one organisation; a licence that starts in
		/// the future is accepted (the practitioner becomes active when it starts). The
		/// invitation can be accepted for [`Config::InvitationLifetime`] blocks.
		///
		/// - `organisation`: the organisation's id.
		/// - `practitioner`: the invited account; not a practitioner anywhere, not invited by
		///   this organisation already.
		/// - `role`: the role offered.
		/// - `licence`: issuing authority (not empty, at most [`Config::MaxAuthorityLen`] bytes),
		///   licence id commitment (not all zeros), `valid_from < valid_until` in Unix seconds,
		///   `valid_until` in the future.
		///
		/// # Events
		/// [`Event::PractitionerInvited`].
		///
		/// # Errors
		/// - [`Error::OrganisationNotFound`]: no such organisation.
		/// - [`Error::NotAuthorized`]: the caller is not its admin.
		/// - [`Error::OrganisationInactive`]: it is deactivated.
		/// - [`Error::AlreadyPractitioner`]: the account is a practitioner already.
		/// - [`Error::AlreadyInvited`]: the organisation invited the account already.
		/// - [`Error::TooManyInvitations`]: the organisation has [`Config::MaxInvitations`]
		///   invitations waiting.
		/// - [`Error::RoleNotAllowed`]: the organisation's kind may not have this role
		///   ([`PractitionerRole::allowed_at`]).
		/// - [`Error::EmptyAuthority`], [`Error::EmptyLicenceId`]: an empty licence field.
		/// - [`Error::InvalidLicencePeriod`]: `valid_until` is not after `valid_from`.
		/// - [`Error::LicenceExpired`]: `valid_until` is not in the future.
		/// - [`Error::Overflow`]: the invitation's expiry block would overflow.
		///
		/// # Complexity
		/// O(1): five reads (organisation, practitioner, invitation, count, time), two writes.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::invite_practitioner())]
		pub fn invite_practitioner(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			practitioner: AccountIdLookupOf<T>,
			role: PractitionerRole,
			licence: LicenceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let practitioner = T::Lookup::lookup(practitioner)?;
			let org = Self::admin_organisation(&who, organisation)?;
			ensure!(org.active, Error::<T>::OrganisationInactive);
			ensure!(
				!Practitioners::<T>::contains_key(&practitioner),
				Error::<T>::AlreadyPractitioner
			);
			ensure!(
				!Invitations::<T>::contains_key(&practitioner, organisation),
				Error::<T>::AlreadyInvited
			);
			let waiting = InvitationCount::<T>::get(organisation).unwrap_or(0);
			ensure!(waiting < T::MaxInvitations::get(), Error::<T>::TooManyInvitations);
			ensure!(role.allowed_at(org.kind), Error::<T>::RoleNotAllowed);
			ensure!(!licence.authority.is_empty(), Error::<T>::EmptyAuthority);
			ensure!(licence.licence_id != [0u8; 32], Error::<T>::EmptyLicenceId);
			Self::ensure_valid_period(licence.valid_from, licence.valid_until)?;
			let now = frame_system::Pallet::<T>::block_number();
			let expires_at =
				now.checked_add(&T::InvitationLifetime::get()).ok_or(Error::<T>::Overflow)?;
			let waiting = waiting.checked_add(1).ok_or(Error::<T>::Overflow)?;

			Invitations::<T>::insert(
				&practitioner,
				organisation,
				Invitation { role, licence, invited_at: now, expires_at },
			);
			InvitationCount::<T>::insert(organisation, waiting);
			Self::deposit_event(Event::PractitionerInvited {
				organisation,
				practitioner,
				role,
				expires_at,
			});
			Ok(())
		}

		/// Accept an organisation's invitation: the caller becomes its practitioner with the
		/// role and licence of the invitation, in good standing.
		///
		/// The origin must be signed by the invited account.
		///
		/// - `organisation`: the inviting organisation's id.
		///
		/// # Events
		/// [`Event::PractitionerAttached`].
		///
		/// # Errors
		/// - [`Error::InvitationNotFound`]: the organisation has not invited the caller (or the
		///   invitation was removed).
		/// - [`Error::InvitationExpired`]: the invitation expired.
		/// - [`Error::AlreadyPractitioner`]: the caller became a practitioner elsewhere since.
		/// - [`Error::OrganisationNotFound`]: the organisation is missing (defensive).
		/// - [`Error::OrganisationInactive`]: it was deactivated since.
		/// - [`Error::LicenceExpired`]: the licence of the invitation ended since.
		/// - [`Error::Overflow`]: the organisation's practitioner count would overflow.
		///
		/// # Complexity
		/// O(1): five reads (invitation, practitioner, organisation, count, time), five writes.
		#[pallet::call_index(18)]
		#[pallet::weight(T::WeightInfo::accept_invitation())]
		pub fn accept_invitation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
		) -> DispatchResult {
			let practitioner = ensure_signed(origin)?;
			let invitation = Invitations::<T>::get(&practitioner, organisation)
				.ok_or(Error::<T>::InvitationNotFound)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now < invitation.expires_at, Error::<T>::InvitationExpired);
			ensure!(
				!Practitioners::<T>::contains_key(&practitioner),
				Error::<T>::AlreadyPractitioner
			);
			let mut org =
				Organisations::<T>::get(organisation).ok_or(Error::<T>::OrganisationNotFound)?;
			ensure!(org.active, Error::<T>::OrganisationInactive);
			ensure!(invitation.licence.valid_until > Self::now(), Error::<T>::LicenceExpired);
			org.practitioners = org.practitioners.checked_add(1).ok_or(Error::<T>::Overflow)?;

			Self::forget_invitation(&practitioner, organisation);
			let Invitation { role, licence, .. } = invitation;
			let (valid_from, valid_until) = (licence.valid_from, licence.valid_until);
			Practitioners::<T>::insert(
				&practitioner,
				Practitioner {
					organisation,
					role,
					licence,
					standing: Standing::Good,
					attached_at: now,
				},
			);
			OrganisationPractitioners::<T>::insert(organisation, &practitioner, ());
			Organisations::<T>::insert(organisation, org);
			Self::deposit_event(Event::PractitionerAttached {
				organisation,
				practitioner,
				role,
				valid_from,
				valid_until,
			});
			Ok(())
		}

		/// Remove an invitation without accepting it: the invited account declines it, the
		/// organisation's admin withdraws it, or anyone clears it once it has expired.
		///
		/// The origin must be signed.
		///
		/// - `organisation`: the inviting organisation's id.
		/// - `practitioner`: the invited account.
		///
		/// # Events
		/// [`Event::InvitationRemoved`].
		///
		/// # Errors
		/// - [`Error::InvitationNotFound`]: there is no such invitation.
		/// - [`Error::NotAuthorized`]: the invitation has not expired and the caller is neither
		///   the invited account nor the organisation's admin.
		///
		/// # Complexity
		/// O(1): three reads (invitation, organisation, count), two writes.
		#[pallet::call_index(19)]
		#[pallet::weight(T::WeightInfo::remove_invitation())]
		pub fn remove_invitation(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			practitioner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let practitioner = T::Lookup::lookup(practitioner)?;
			let invitation = Invitations::<T>::get(&practitioner, organisation)
				.ok_or(Error::<T>::InvitationNotFound)?;
			let expired = frame_system::Pallet::<T>::block_number() >= invitation.expires_at;
			let admin = Organisations::<T>::get(organisation).is_some_and(|o| o.admin == who);
			ensure!(expired || admin || who == practitioner, Error::<T>::NotAuthorized);
			Self::forget_invitation(&practitioner, organisation);
			Self::deposit_event(Event::InvitationRemoved { organisation, practitioner, by: who });
			Ok(())
		}

		/// Leave one's organisation: the caller stops being its practitioner, whatever their
		/// standing (a revoked practitioner included), and their encryption key is removed.
		/// They may then accept another organisation's invitation. The organisation keeps the
		/// trace of what happened in its events.
		///
		/// The origin must be signed by the practitioner.
		///
		/// # Events
		/// [`Event::PractitionerLeft`].
		///
		/// # Errors
		/// - [`Error::PractitionerNotFound`]: the caller is not a practitioner.
		/// - [`Error::OrganisationNotFound`]: their organisation is missing (defensive).
		/// - [`Error::Overflow`]: the organisation's practitioner count is already zero
		///   (defensive).
		///
		/// # Complexity
		/// O(1): two reads, four writes.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::leave_organisation())]
		pub fn leave_organisation(origin: OriginFor<T>) -> DispatchResult {
			let practitioner = ensure_signed(origin)?;
			let record =
				Practitioners::<T>::get(&practitioner).ok_or(Error::<T>::PractitionerNotFound)?;
			let organisation = record.organisation;
			let mut org =
				Organisations::<T>::get(organisation).ok_or(Error::<T>::OrganisationNotFound)?;
			org.practitioners = org.practitioners.checked_sub(1).ok_or(Error::<T>::Overflow)?;
			Self::remove_practitioner(&practitioner, organisation, org);
			Self::deposit_event(Event::PractitionerLeft {
				organisation,
				practitioner,
				standing: record.standing,
			});
			Ok(())
		}

		/// Suspend a practitioner: they stop being active at once.
		///
		/// The origin must be signed by the admin of the practitioner's organisation (also
		/// when the organisation is deactivated).
		///
		/// - `practitioner`: the practitioner's account.
		///
		/// # Events
		/// [`Event::PractitionerSuspended`].
		///
		/// # Errors
		/// - [`Error::PractitionerNotFound`]: the account is not a practitioner.
		/// - [`Error::NotAuthorized`]: the caller is not the admin of their organisation.
		/// - [`Error::Revoked`]: the practitioner was revoked.
		/// - [`Error::Suspended`]: the practitioner is suspended already.
		///
		/// # Complexity
		/// O(1): two reads, one write.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::suspend_practitioner())]
		pub fn suspend_practitioner(
			origin: OriginFor<T>,
			practitioner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let practitioner = T::Lookup::lookup(practitioner)?;
			let (mut record, _org) = Self::managed_practitioner(&who, &practitioner)?;
			match record.standing {
				Standing::Revoked => return Err(Error::<T>::Revoked.into()),
				Standing::Suspended => return Err(Error::<T>::Suspended.into()),
				Standing::Good => {},
			}
			record.standing = Standing::Suspended;
			let organisation = record.organisation;
			Practitioners::<T>::insert(&practitioner, record);
			Self::deposit_event(Event::PractitionerSuspended { organisation, practitioner });
			Ok(())
		}

		/// Lift a practitioner's suspension.
		///
		/// The origin must be signed by the admin of the practitioner's organisation, and the
		/// organisation active.
		///
		/// - `practitioner`: the practitioner's account.
		///
		/// # Events
		/// [`Event::PractitionerReinstated`].
		///
		/// # Errors
		/// - [`Error::PractitionerNotFound`]: the account is not a practitioner.
		/// - [`Error::NotAuthorized`]: the caller is not the admin of their organisation.
		/// - [`Error::OrganisationInactive`]: the organisation is deactivated.
		/// - [`Error::Revoked`]: the practitioner was revoked (final).
		/// - [`Error::NotSuspended`]: the practitioner is not suspended.
		///
		/// # Complexity
		/// O(1): two reads, one write.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::reinstate_practitioner())]
		pub fn reinstate_practitioner(
			origin: OriginFor<T>,
			practitioner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let practitioner = T::Lookup::lookup(practitioner)?;
			let (mut record, org) = Self::managed_practitioner(&who, &practitioner)?;
			ensure!(org.active, Error::<T>::OrganisationInactive);
			match record.standing {
				Standing::Revoked => return Err(Error::<T>::Revoked.into()),
				Standing::Good => return Err(Error::<T>::NotSuspended.into()),
				Standing::Suspended => {},
			}
			record.standing = Standing::Good;
			let organisation = record.organisation;
			Practitioners::<T>::insert(&practitioner, record);
			Self::deposit_event(Event::PractitionerReinstated { organisation, practitioner });
			Ok(())
		}

		/// Revoke a practitioner. Final for the organisation: the record stays as a trace and
		/// its admin cannot reinstate, renew, change or detach it. Only the practitioner ends
		/// it, by leaving ([`Pallet::leave_organisation`]); they may then accept another
		/// organisation's invitation.
		///
		/// The origin must be signed by the admin of the practitioner's organisation (also
		/// when the organisation is deactivated).
		///
		/// - `practitioner`: the practitioner's account (suspended or in good standing).
		///
		/// # Events
		/// [`Event::PractitionerRevoked`].
		///
		/// # Errors
		/// - [`Error::PractitionerNotFound`]: the account is not a practitioner.
		/// - [`Error::NotAuthorized`]: the caller is not the admin of their organisation.
		/// - [`Error::Revoked`]: the practitioner was revoked already.
		///
		/// # Complexity
		/// O(1): two reads, one write.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::revoke_practitioner())]
		pub fn revoke_practitioner(
			origin: OriginFor<T>,
			practitioner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let practitioner = T::Lookup::lookup(practitioner)?;
			let (mut record, _org) = Self::managed_practitioner(&who, &practitioner)?;
			ensure!(record.standing != Standing::Revoked, Error::<T>::Revoked);
			record.standing = Standing::Revoked;
			let organisation = record.organisation;
			Practitioners::<T>::insert(&practitioner, record);
			Self::deposit_event(Event::PractitionerRevoked { organisation, practitioner });
			Ok(())
		}

		/// Change a practitioner's role.
		///
		/// The origin must be signed by the admin of the practitioner's organisation, and the
		/// organisation active.
		///
		/// - `practitioner`: the practitioner's account.
		/// - `role`: the new role.
		///
		/// # Events
		/// [`Event::PractitionerRoleChanged`].
		///
		/// # Errors
		/// - [`Error::PractitionerNotFound`]: the account is not a practitioner.
		/// - [`Error::NotAuthorized`]: the caller is not the admin of their organisation.
		/// - [`Error::OrganisationInactive`]: the organisation is deactivated.
		/// - [`Error::Revoked`]: the practitioner was revoked.
		/// - [`Error::RoleUnchanged`]: the practitioner already has `role`.
		/// - [`Error::RoleNotAllowed`]: the organisation's kind may not have this role.
		///
		/// # Complexity
		/// O(1): two reads, one write.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::change_practitioner_role())]
		pub fn change_practitioner_role(
			origin: OriginFor<T>,
			practitioner: AccountIdLookupOf<T>,
			role: PractitionerRole,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let practitioner = T::Lookup::lookup(practitioner)?;
			let (mut record, org) = Self::managed_practitioner(&who, &practitioner)?;
			ensure!(org.active, Error::<T>::OrganisationInactive);
			ensure!(record.standing != Standing::Revoked, Error::<T>::Revoked);
			ensure!(record.role != role, Error::<T>::RoleUnchanged);
			ensure!(role.allowed_at(org.kind), Error::<T>::RoleNotAllowed);
			let old_role = core::mem::replace(&mut record.role, role);
			let organisation = record.organisation;
			Practitioners::<T>::insert(&practitioner, record);
			Self::deposit_event(Event::PractitionerRoleChanged {
				organisation,
				practitioner,
				old_role,
				new_role: role,
			});
			Ok(())
		}

		/// Record a new validity period for a practitioner's licence (a renewal). The issuing
		/// authority and licence id commitment stay; a suspension stays.
		///
		/// The origin must be signed by the admin of the practitioner's organisation, and the
		/// organisation active.
		///
		/// - `practitioner`: the practitioner's account.
		/// - `valid_from`: first second (Unix time) of the new validity.
		/// - `valid_until`: first second after it; after `valid_from` and in the future.
		///
		/// # Events
		/// [`Event::LicenceRenewed`].
		///
		/// # Errors
		/// - [`Error::PractitionerNotFound`]: the account is not a practitioner.
		/// - [`Error::NotAuthorized`]: the caller is not the admin of their organisation.
		/// - [`Error::OrganisationInactive`]: the organisation is deactivated.
		/// - [`Error::Revoked`]: the practitioner was revoked.
		/// - [`Error::InvalidLicencePeriod`]: `valid_until` is not after `valid_from`.
		/// - [`Error::LicenceExpired`]: `valid_until` is not in the future.
		///
		/// # Complexity
		/// O(1): three reads (practitioner, organisation, time), one write.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::renew_licence())]
		pub fn renew_licence(
			origin: OriginFor<T>,
			practitioner: AccountIdLookupOf<T>,
			valid_from: u64,
			valid_until: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let practitioner = T::Lookup::lookup(practitioner)?;
			let (mut record, org) = Self::managed_practitioner(&who, &practitioner)?;
			ensure!(org.active, Error::<T>::OrganisationInactive);
			ensure!(record.standing != Standing::Revoked, Error::<T>::Revoked);
			Self::ensure_valid_period(valid_from, valid_until)?;
			record.licence.valid_from = valid_from;
			record.licence.valid_until = valid_until;
			let organisation = record.organisation;
			Practitioners::<T>::insert(&practitioner, record);
			Self::deposit_event(Event::LicenceRenewed {
				organisation,
				practitioner,
				valid_from,
				valid_until,
			});
			Ok(())
		}

		/// Detach a practitioner from their organisation; the account may then accept another
		/// invitation. A revoked practitioner cannot be detached (only they can leave).
		///
		/// The origin must be signed by the admin of the practitioner's organisation (also
		/// when the organisation is deactivated).
		///
		/// - `practitioner`: the practitioner's account.
		///
		/// # Events
		/// [`Event::PractitionerDetached`].
		///
		/// # Errors
		/// - [`Error::PractitionerNotFound`]: the account is not a practitioner.
		/// - [`Error::NotAuthorized`]: the caller is not the admin of their organisation.
		/// - [`Error::Revoked`]: the practitioner was revoked (the record is kept).
		///
		/// # Complexity
		/// O(1): two reads, four writes.
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::detach_practitioner())]
		pub fn detach_practitioner(
			origin: OriginFor<T>,
			practitioner: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let practitioner = T::Lookup::lookup(practitioner)?;
			let (record, mut org) = Self::managed_practitioner(&who, &practitioner)?;
			ensure!(record.standing != Standing::Revoked, Error::<T>::Revoked);
			let organisation = record.organisation;
			org.practitioners = org.practitioners.checked_sub(1).ok_or(Error::<T>::Overflow)?;
			Self::remove_practitioner(&practitioner, organisation, org);
			Self::deposit_event(Event::PractitionerDetached { organisation, practitioner });
			Ok(())
		}

		/// Register or replace the X25519 public key the caller's data keys are wrapped for
		/// (what a patient shares a record to). Detaching the practitioner removes it.
		///
		/// The origin must be signed by a practitioner who is not revoked (a suspended one may
		/// still set it; consent decides whether anyone shares with them).
		///
		/// - `encryption_key`: the X25519 public key; not all zeros, not the current key.
		///
		/// # Events
		/// [`Event::PractitionerEncryptionKeySet`].
		///
		/// # Errors
		/// - [`Error::PractitionerNotFound`]: the caller is not a practitioner.
		/// - [`Error::Revoked`]: the caller's practitioner record was revoked.
		/// - [`Error::EmptyEncryptionKey`]: `encryption_key` is all zeros.
		/// - [`Error::KeyUnchanged`]: `encryption_key` is the current key.
		///
		/// # Complexity
		/// O(1): two reads, one write.
		#[pallet::call_index(17)]
		#[pallet::weight(T::WeightInfo::set_practitioner_encryption_key())]
		pub fn set_practitioner_encryption_key(
			origin: OriginFor<T>,
			encryption_key: EncryptionPublicKey,
		) -> DispatchResult {
			let practitioner = ensure_signed(origin)?;
			let record =
				Practitioners::<T>::get(&practitioner).ok_or(Error::<T>::PractitionerNotFound)?;
			ensure!(record.standing != Standing::Revoked, Error::<T>::Revoked);
			ensure!(encryption_key != [0u8; 32], Error::<T>::EmptyEncryptionKey);
			ensure!(
				PractitionerKeys::<T>::get(&practitioner) != Some(encryption_key),
				Error::<T>::KeyUnchanged
			);
			PractitionerKeys::<T>::insert(&practitioner, encryption_key);
			Self::deposit_event(Event::PractitionerEncryptionKeySet {
				practitioner,
				encryption_key,
			});
			Ok(())
		}

		/// Register the caller as a patient. The directory then holds a reference to the
		/// account (`frame_system` sufficients), so that it lives without funds.
		///
		/// The origin must be signed by the patient's account (a guardian signs through
		/// pallet-proxy).
		///
		/// - `pseudonym`: 32 bytes chosen by the patient's client; not all zeros, unique.
		/// - `encryption_key`: the patient's X25519 public key; not all zeros.
		///
		/// # Events
		/// [`Event::PatientRegistered`].
		///
		/// # Errors
		/// - [`Error::AlreadyRegistered`]: the caller is a registered patient.
		/// - [`Error::EmptyPseudonym`]: `pseudonym` is all zeros.
		/// - [`Error::EmptyEncryptionKey`]: `encryption_key` is all zeros.
		/// - [`Error::PseudonymTaken`]: another patient registered `pseudonym`, or a patient who
		///   deregistered had it.
		/// - [`Error::Overflow`]: the patient count would overflow.
		///
		/// # Complexity
		/// O(1): four reads, four writes (the account's reference included).
		#[pallet::call_index(20)]
		#[pallet::weight(T::WeightInfo::register_patient())]
		pub fn register_patient(
			origin: OriginFor<T>,
			pseudonym: PatientPseudonym,
			encryption_key: EncryptionPublicKey,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			Self::do_register_patient(patient, pseudonym, encryption_key)
		}

		/// Register `patient` as a patient without a fee and without funds: an unsigned
		/// transaction carrying the patient account's signature over
		/// [`registration_message`] (this chain's genesis hash, the pseudonym and the key).
		/// Nobody pays, so no funding transfer links the account to a person. The directory then
		/// holds a reference to the account, so it lives without funds and its own healthcare
		/// calls are free (`pallet-free-calls`). At most
		/// [`Config::MaxFreeRegistrationsPerBlock`] go in a block; the rest wait in the pool.
		///
		/// The origin must be `Authorized`: the transaction is valid only with the signature.
		///
		/// - `patient`: the account registering.
		/// - `pseudonym`, `encryption_key`: as for [`Pallet::register_patient`].
		/// - `signature`: `patient`'s signature over [`registration_message`].
		///
		/// # Events
		/// [`Event::PatientRegistered`].
		///
		/// # Errors
		/// When authorizing, as `InvalidTransaction::Custom` with the error's index:
		/// - [`Error::BadSignature`]: the signature is not `patient`'s over this registration.
		/// - [`Error::AlreadyRegistered`], [`Error::EmptyPseudonym`],
		///   [`Error::EmptyEncryptionKey`], [`Error::PseudonymTaken`]: as for
		///   [`Pallet::register_patient`].
		///
		/// And `ExhaustsResources` when the block's registrations are full. When dispatching,
		/// the same errors as [`Pallet::register_patient`] (another registration may have come
		/// first).
		///
		/// # Complexity
		/// A signature verification and four reads when authorizing; five reads, five writes
		/// when dispatching.
		#[pallet::call_index(22)]
		#[pallet::weight(T::WeightInfo::register_patient_by_signature())]
		#[pallet::authorize(Self::authorize_registration)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_registration())]
		pub fn register_patient_by_signature(
			origin: OriginFor<T>,
			patient: T::AccountId,
			pseudonym: PatientPseudonym,
			encryption_key: EncryptionPublicKey,
			signature: T::Signature,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = signature;
			Self::do_register_patient(patient, pseudonym, encryption_key)?;
			let now = frame_system::Pallet::<T>::block_number();
			FreeRegistrations::<T>::mutate(|(block, count)| {
				if *block != now {
					*block = now;
					*count = 0;
				}
				*count = count.saturating_add(1);
			});
			Ok(())
		}

		/// Replace the caller's encryption key. The old key goes to the front of the caller's
		/// key history (the oldest entry is dropped when [`Config::MaxKeyHistory`] is reached).
		///
		/// The origin must be signed by a registered patient (or their proxy).
		///
		/// - `encryption_key`: the new X25519 public key; not all zeros, not the current key.
		///
		/// # Events
		/// [`Event::EncryptionKeyRotated`].
		///
		/// # Errors
		/// - [`Error::PatientNotFound`]: the caller is not a registered patient.
		/// - [`Error::EmptyEncryptionKey`]: `encryption_key` is all zeros.
		/// - [`Error::KeyUnchanged`]: `encryption_key` is the current key.
		/// - [`Error::Overflow`]: the rotation counter would overflow.
		///
		/// # Complexity
		/// O(h) in [`Config::MaxKeyHistory`] (the history is shifted); two reads, two writes.
		#[pallet::call_index(21)]
		#[pallet::weight(T::WeightInfo::rotate_encryption_key())]
		pub fn rotate_encryption_key(
			origin: OriginFor<T>,
			encryption_key: EncryptionPublicKey,
		) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			let mut record = Patients::<T>::get(&patient).ok_or(Error::<T>::PatientNotFound)?;
			ensure!(encryption_key != [0u8; 32], Error::<T>::EmptyEncryptionKey);
			ensure!(encryption_key != record.encryption_key, Error::<T>::KeyUnchanged);
			let rotation = record.key_rotations.checked_add(1).ok_or(Error::<T>::Overflow)?;

			let now = frame_system::Pallet::<T>::block_number();
			let retired = RetiredKey {
				key: record.encryption_key,
				set_at: record.key_set_at,
				retired_at: now,
			};
			let mut history = PatientKeyHistory::<T>::get(&patient).unwrap_or_default();
			// Newest first; when full the oldest (last) entry is dropped. Refused only when
			// `MaxKeyHistory` is zero, in which case no history is kept.
			let _ = history.force_insert_keep_left(0, retired);
			if history.is_empty() {
				PatientKeyHistory::<T>::remove(&patient);
			} else {
				PatientKeyHistory::<T>::insert(&patient, history);
			}
			record.encryption_key = encryption_key;
			record.key_rotations = rotation;
			record.key_set_at = now;
			Patients::<T>::insert(&patient, record);
			Self::deposit_event(Event::EncryptionKeyRotated { patient, encryption_key, rotation });
			Ok(())
		}

		/// Deregister the caller as a patient (security review L2): the account is no longer a
		/// patient, its pseudonym, encryption key and key history are removed, and the
		/// directory's reference to the account is dropped (an account without funds then
		/// ceases to exist). The pseudonym is retired, never to be registered again, so a
		/// registration signature in an old block cannot bring the account back.
		///
		/// Refused while anything on chain still depends on the registration: a record that
		/// names the patient and is not erased (the patient erases it, `erase_record`, or asks
		/// its custodian to), or a consent grant in force or still to begin (the patient revokes
		/// it). What the chain keeps as history stays: the erased records' tombstones, ended
		/// grants and the access log, which others are accountable to.
		///
		/// The origin must be signed by the patient (or their guardian, through pallet-proxy).
		///
		/// # Events
		/// [`Event::PatientDeregistered`].
		///
		/// # Errors
		/// - [`Error::PatientNotFound`]: the caller is not a registered patient.
		/// - [`Error::PatientHasRecords`]: a record names the caller and is not erased.
		/// - [`Error::PatientHasGrants`]: a consent grant of the caller is in force or still to
		///   begin.
		///
		/// # Complexity
		/// O(g) in the caller's grants (their list read once, at most `MaxGrantsPerPatient`);
		/// five reads and five writes besides the account's reference. Benchmarked with the
		/// grant list full (every grant expired, so each is checked).
		#[pallet::call_index(23)]
		#[pallet::weight(T::WeightInfo::deregister_patient())]
		pub fn deregister_patient(origin: OriginFor<T>) -> DispatchResult {
			let patient = ensure_signed(origin)?;
			let record = Patients::<T>::get(&patient).ok_or(Error::<T>::PatientNotFound)?;
			ensure!(T::Records::live_records(&patient) == 0, Error::<T>::PatientHasRecords);
			ensure!(T::Grants::grants_in_force(&patient) == 0, Error::<T>::PatientHasGrants);
			Patients::<T>::remove(&patient);
			PatientByPseudonym::<T>::remove(record.pseudonym);
			RetiredPseudonyms::<T>::insert(record.pseudonym, ());
			PatientKeyHistory::<T>::remove(&patient);
			// At least one: the caller is counted (checked by `try_state`).
			PatientCount::<T>::mutate(|count| *count = count.saturating_sub(1));
			// Registration added one sufficient reference; without funds or other references
			// the account is reaped here.
			frame_system::Pallet::<T>::dec_sufficients(&patient);
			Self::deposit_event(Event::PatientDeregistered { patient });
			Ok(())
		}

		/// Publish (or replace) the organisation's custodian gateway: the service that holds
		/// its records and releases them under consent. Clients find a record's custodian's
		/// gateway here, sign their requests for its account, and wrap data keys for its key
		/// when they deposit a record with it.
		///
		/// The origin must be signed by the organisation's admin, and the organisation active.
		///
		/// - `organisation`: the organisation's id.
		/// - `account`: the account the gateway signs with; not another organisation's gateway.
		/// - `endpoint`: its base URL, `https://…` or `http://…` in printable ASCII without
		///   spaces, at most [`Config::MaxEndpointLen`] bytes (longer is refused when the call
		///   is decoded).
		/// - `encryption_key`: the gateway's X25519 public key; not all zeros.
		///
		/// # Events
		/// [`Event::GatewaySet`].
		///
		/// # Errors
		/// - [`Error::OrganisationNotFound`]: no such organisation.
		/// - [`Error::NotAuthorized`]: the caller is not its admin.
		/// - [`Error::OrganisationInactive`]: it is deactivated.
		/// - [`Error::InvalidEndpoint`]: `endpoint` is not such a URL.
		/// - [`Error::EmptyEncryptionKey`]: `encryption_key` is all zeros.
		/// - [`Error::GatewayAccountTaken`]: `account` is another organisation's gateway.
		/// - [`Error::GatewayUnchanged`]: the gateway has this account, endpoint and key already.
		///
		/// # Complexity
		/// O(n) in the length of `endpoint` (checked, stored); three reads, three writes (the
		/// old account's index entry removed when the account changes).
		#[pallet::call_index(24)]
		#[pallet::weight(T::WeightInfo::set_gateway(endpoint.len() as u32))]
		pub fn set_gateway(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			account: AccountIdLookupOf<T>,
			endpoint: EndpointOf<T>,
			encryption_key: EncryptionPublicKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let account = T::Lookup::lookup(account)?;
			let org = Self::admin_organisation(&who, organisation)?;
			ensure!(org.active, Error::<T>::OrganisationInactive);
			ensure!(valid_endpoint(&endpoint), Error::<T>::InvalidEndpoint);
			ensure!(encryption_key != [0u8; 32], Error::<T>::EmptyEncryptionKey);
			if let Some(owner) = GatewayAccounts::<T>::get(&account) {
				ensure!(owner == organisation, Error::<T>::GatewayAccountTaken);
			}
			let previous = Gateways::<T>::get(organisation);
			if let Some(previous) = &previous {
				ensure!(
					previous.account != account
						|| previous.endpoint != endpoint
						|| previous.encryption_key != encryption_key,
					Error::<T>::GatewayUnchanged
				);
				if previous.account != account {
					GatewayAccounts::<T>::remove(&previous.account);
				}
			}
			GatewayAccounts::<T>::insert(&account, organisation);
			let set_at = frame_system::Pallet::<T>::block_number();
			Gateways::<T>::insert(
				organisation,
				Gateway {
					account: account.clone(),
					endpoint: endpoint.clone(),
					encryption_key,
					set_at,
				},
			);
			Self::deposit_event(Event::GatewaySet {
				organisation,
				account,
				endpoint,
				encryption_key,
			});
			Ok(())
		}

		/// Withdraw the organisation's custodian gateway: clients no longer find it, and its
		/// account no longer acts for the organisation. The records it held stay anchored.
		///
		/// The origin must be signed by the organisation's admin (also while the organisation
		/// is deactivated).
		///
		/// - `organisation`: the organisation's id.
		///
		/// # Events
		/// [`Event::GatewayRemoved`].
		///
		/// # Errors
		/// - [`Error::OrganisationNotFound`]: no such organisation.
		/// - [`Error::NotAuthorized`]: the caller is not its admin.
		/// - [`Error::NoGateway`]: the organisation has no gateway.
		///
		/// # Complexity
		/// O(1): two reads, two writes.
		#[pallet::call_index(25)]
		#[pallet::weight(T::WeightInfo::remove_gateway())]
		pub fn remove_gateway(
			origin: OriginFor<T>,
			organisation: OrganisationId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::admin_organisation(&who, organisation)?;
			let gateway = Gateways::<T>::take(organisation).ok_or(Error::<T>::NoGateway)?;
			GatewayAccounts::<T>::remove(&gateway.account);
			Self::deposit_event(Event::GatewayRemoved { organisation, account: gateway.account });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The organisation `organisation` if `who` is its admin.
		fn admin_organisation(
			who: &T::AccountId,
			organisation: OrganisationId,
		) -> Result<OrganisationOf<T>, DispatchError> {
			let org =
				Organisations::<T>::get(organisation).ok_or(Error::<T>::OrganisationNotFound)?;
			ensure!(org.admin == *who, Error::<T>::NotAuthorized);
			Ok(org)
		}

		/// `practitioner`'s record and organisation if `who` is the admin of that organisation.
		fn managed_practitioner(
			who: &T::AccountId,
			practitioner: &T::AccountId,
		) -> Result<(PractitionerOf<T>, OrganisationOf<T>), DispatchError> {
			let record =
				Practitioners::<T>::get(practitioner).ok_or(Error::<T>::PractitionerNotFound)?;
			let org = Organisations::<T>::get(record.organisation)
				.ok_or(Error::<T>::OrganisationNotFound)?;
			ensure!(org.admin == *who, Error::<T>::NotAuthorized);
			Ok((record, org))
		}

		/// Removes `practitioner` from `organisation` (whose record, with its count already
		/// decremented, is `org`), with their encryption key.
		fn remove_practitioner(
			practitioner: &T::AccountId,
			organisation: OrganisationId,
			org: OrganisationOf<T>,
		) {
			Practitioners::<T>::remove(practitioner);
			OrganisationPractitioners::<T>::remove(organisation, practitioner);
			PractitionerKeys::<T>::remove(practitioner);
			Organisations::<T>::insert(organisation, org);
		}

		/// Removes `practitioner`'s invitation from `organisation` and counts it out.
		fn forget_invitation(practitioner: &T::AccountId, organisation: OrganisationId) {
			Invitations::<T>::remove(practitioner, organisation);
			InvitationCount::<T>::mutate_exists(organisation, |count| {
				*count = count.and_then(|c| c.checked_sub(1)).filter(|c| *c > 0);
			});
		}

		/// Checks a licence validity period given to `invite_practitioner` or `renew_licence`.
		fn ensure_valid_period(valid_from: u64, valid_until: u64) -> DispatchResult {
			ensure!(valid_from < valid_until, Error::<T>::InvalidLicencePeriod);
			ensure!(valid_until > Self::now(), Error::<T>::LicenceExpired);
			Ok(())
		}

		/// The current Unix time in seconds.
		pub fn now() -> u64 {
			T::Time::now().as_secs()
		}

		/// `who`'s organisation and role if `who` is an active practitioner now, otherwise the
		/// reason they are not: [`Error::PractitionerNotFound`], [`Error::Revoked`],
		/// [`Error::Suspended`], [`Error::OrganisationNotFound`] (defensive),
		/// [`Error::OrganisationInactive`], [`Error::LicenceNotYetValid`] or
		/// [`Error::LicenceExpired`]. A licence is valid for `valid_from <= now < valid_until`.
		pub fn ensure_active_practitioner(
			who: &T::AccountId,
		) -> Result<ActivePractitioner, Error<T>> {
			let record = Practitioners::<T>::get(who).ok_or(Error::<T>::PractitionerNotFound)?;
			match record.standing {
				Standing::Revoked => return Err(Error::<T>::Revoked),
				Standing::Suspended => return Err(Error::<T>::Suspended),
				Standing::Good => {},
			}
			let org = Organisations::<T>::get(record.organisation)
				.ok_or(Error::<T>::OrganisationNotFound)?;
			ensure!(org.active, Error::<T>::OrganisationInactive);
			let now = Self::now();
			ensure!(record.licence.valid_from <= now, Error::<T>::LicenceNotYetValid);
			ensure!(now < record.licence.valid_until, Error::<T>::LicenceExpired);
			Ok(ActivePractitioner { organisation: record.organisation, role: record.role })
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Registers `patient` (the checks of [`Pallet::register_patient`], then the records).
	fn do_register_patient(
		patient: T::AccountId,
		pseudonym: PatientPseudonym,
		encryption_key: EncryptionPublicKey,
	) -> DispatchResult {
		Self::check_registration(&patient, &pseudonym, &encryption_key)?;
		let count = PatientCount::<T>::get().checked_add(1).ok_or(Error::<T>::Overflow)?;

		let now = frame_system::Pallet::<T>::block_number();
		Patients::<T>::insert(
			&patient,
			Patient {
				pseudonym,
				encryption_key,
				key_rotations: 0,
				key_set_at: now,
				registered_at: now,
			},
		);
		PatientByPseudonym::<T>::insert(pseudonym, &patient);
		PatientCount::<T>::put(count);
		// A patient's account lives without funds: their own calls are free
		// (`pallet-free-calls`), and a transaction needs an existing account.
		frame_system::Pallet::<T>::inc_sufficients(&patient);
		Self::deposit_event(Event::PatientRegistered { patient, pseudonym, encryption_key });
		Ok(())
	}

	/// The checks a registration must pass, before any change.
	fn check_registration(
		patient: &T::AccountId,
		pseudonym: &PatientPseudonym,
		encryption_key: &EncryptionPublicKey,
	) -> Result<(), Error<T>> {
		ensure!(!Patients::<T>::contains_key(patient), Error::<T>::AlreadyRegistered);
		ensure!(*pseudonym != [0u8; 32], Error::<T>::EmptyPseudonym);
		ensure!(*encryption_key != [0u8; 32], Error::<T>::EmptyEncryptionKey);
		ensure!(
			!PatientByPseudonym::<T>::contains_key(pseudonym)
				&& !RetiredPseudonyms::<T>::contains_key(pseudonym),
			Error::<T>::PseudonymTaken
		);
		Ok(())
	}

	/// Authorizes [`Pallet::register_patient_by_signature`] (see its errors).
	fn authorize_registration(
		_source: TransactionSource,
		patient: &T::AccountId,
		pseudonym: &PatientPseudonym,
		encryption_key: &EncryptionPublicKey,
		signature: &T::Signature,
	) -> TransactionValidityWithRefund {
		Self::check_registration(patient, pseudonym, encryption_key)
			.map_err(invalid_transaction)?;
		let message = registration_message::<T>(pseudonym, encryption_key);
		ensure!(
			signature.verify(&message[..], patient),
			invalid_transaction(Error::<T>::BadSignature)
		);
		let (block, count) = FreeRegistrations::<T>::get();
		if block == frame_system::Pallet::<T>::block_number()
			&& count >= T::MaxFreeRegistrationsPerBlock::get()
		{
			return Err(InvalidTransaction::ExhaustsResources.into());
		}
		let validity = ValidTransaction::with_tag_prefix("medchain-directory")
			.and_provides((b"register-patient", patient))
			.and_provides((b"pseudonym", pseudonym))
			.longevity(REGISTRATION_LONGEVITY)
			.propagate(true)
			.build()?;
		Ok((validity, Weight::zero()))
	}
}

/// How long an unsigned registration stays valid in the pool, in blocks.
pub const REGISTRATION_LONGEVITY: u64 = 64;

/// The message a patient signs to register without funds on this chain
/// ([`pallet_directory_runtime_api::registration_message`] with this chain's genesis hash).
pub fn registration_message<T: Config>(
	pseudonym: &PatientPseudonym,
	encryption_key: &EncryptionPublicKey,
) -> alloc::vec::Vec<u8> {
	let genesis = frame_system::Pallet::<T>::block_hash(
		frame_system::pallet_prelude::BlockNumberFor::<T>::default(),
	);
	pallet_directory_runtime_api::registration_message(genesis.as_ref(), pseudonym, encryption_key)
}

/// Signs patient registrations, for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature> {
	/// A fresh account and its signature over `message`.
	fn sign(message: &[u8]) -> (AccountId, Signature);

	/// Gives `patient` the most that [`Config::Records`] and [`Config::Grants`] read when the
	/// patient deregisters, with nothing that refuses it (for example a full list of expired
	/// grants). Nothing by default.
	fn burden_patient(_patient: &AccountId) {}
}
