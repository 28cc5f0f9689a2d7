//! Test doubles and helpers the MedChain pallets' unit tests share, so that no mock is copied
//! from one pallet's tests to another's. A dev-dependency only: nothing here reaches a runtime.
//!
//! * [`accounts`]: the accounts and organisations the tests share.
//! * [`directory`]: a directory answering [`DirectoryInspect`] from a world each test controls
//!   (organisation admins, practitioners active or not, patients), for the pallets that ask
//!   the directory (`consent`, `medical-records`, `clinical-trials`).
//! * [`mock_world!`]: the thread-local world a pallet's own mocks answer from, declared once.
//! * [`new_ext`], [`execute_checked`], [`assert_detects`]: externalities at block 1, a test
//!   followed by the pallet's `try_state` invariants, and the check that `try_state` reports
//!   exactly the invariant a deliberate corruption breaks.
//! * `node` (feature `e2e`): the real `medchain-node` as a dev chain for the end-to-end tests,
//!   with bounded waits for RPC, finality and transactions.
//! * `postgres` (feature `postgres`): a throwaway PostgreSQL server in a temporary directory.

use polkadot_sdk::{
	frame_system,
	sp_io::TestExternalities,
	sp_runtime::{BuildStorage, DispatchError, TryRuntimeError},
};

#[doc(inline)]
pub use medchain_primitives::DirectoryInspect;

#[cfg(feature = "e2e")]
pub mod node;
#[cfg(feature = "postgres")]
pub mod postgres;

/// Declares a mock's test-controlled world: a thread-local value of type `$world` (its
/// `Default` at first; each test thread has its own) and `fn with_world(f)`, which runs `f` on
/// it. A mock's answers read it; its setters change it.
#[macro_export]
macro_rules! mock_world {
	($world:ty) => {
		::std::thread_local! {
			static WORLD: ::core::cell::RefCell<$world> =
				::core::cell::RefCell::new(<$world as ::core::default::Default>::default());
		}

		fn with_world<R>(f: impl FnOnce(&mut $world) -> R) -> R {
			WORLD.with(|world| f(&mut world.borrow_mut()))
		}
	};
}

/// The checks a pallet's `try_state` hook runs (`Pallet::do_try_state`).
pub type TryState = fn() -> Result<(), TryRuntimeError>;

/// Externalities from `T`'s default genesis, at block 1 so that events are recorded.
pub fn new_ext<T: frame_system::Config>() -> TestExternalities {
	let storage = match frame_system::GenesisConfig::<T>::default().build_storage() {
		Ok(storage) => storage,
		Err(e) => panic!("the default genesis builds: {e}"),
	};
	let mut ext = TestExternalities::new(storage);
	ext.execute_with(|| frame_system::Pallet::<T>::set_block_number(1u32.into()));
	ext
}

/// Runs `test` in `ext`, then asserts that every `try_state` invariant holds.
pub fn execute_checked(mut ext: TestExternalities, test: impl FnOnce(), try_state: TryState) {
	ext.execute_with(|| {
		test();
		if let Err(e) = try_state() {
			panic!("try_state invariants hold after the test, but: {e:?}");
		}
	})
}

/// In `ext`: `populate` a consistent pallet, `corrupt` it, and assert that `try_state` reports
/// exactly `broken`, the invariant the corruption breaks.
pub fn assert_detects(
	mut ext: TestExternalities,
	populate: impl FnOnce(),
	corrupt: impl FnOnce(),
	try_state: TryState,
	broken: &'static str,
) {
	ext.execute_with(|| {
		populate();
		assert_eq!(try_state(), Ok(()), "the populated pallet is consistent");
		corrupt();
		assert_eq!(
			try_state(),
			Err(DispatchError::Other(broken)),
			"expected try_state to report: {broken}"
		);
	});
}

/// The cast the pallets' tests share: two organisations, their admins and practitioners, two
/// patients and an outsider (accounts are `u64`, as in the pallets' mocks).
pub mod accounts {
	use medchain_primitives::OrganisationId;

	/// The first organisation (a hospital).
	pub const ORG_A: OrganisationId = 0;
	/// The second organisation.
	pub const ORG_B: OrganisationId = 1;
	/// Admin of [`ORG_A`].
	pub const ADMIN_A: u64 = 1;
	/// Admin of [`ORG_B`].
	pub const ADMIN_B: u64 = 2;
	/// A physician of [`ORG_A`].
	pub const DOC: u64 = 10;
	/// A nurse of [`ORG_A`].
	pub const NURSE: u64 = 11;
	/// A physician of [`ORG_B`].
	pub const DOC_B: u64 = 12;
	/// A patient.
	pub const ALICE: u64 = 20;
	/// Another patient.
	pub const BOB: u64 = 21;
	/// An account with no role anywhere.
	pub const MALLORY: u64 = 99;
}

/// A directory whose answers each test sets: accounts are `u64`, as in the pallets' mocks.
pub mod directory {
	use std::collections::{BTreeMap, BTreeSet};

	use medchain_primitives::{
		ActivePractitioner, DirectoryInspect, EncryptionPublicKey, OrganisationId, PractitionerRole,
	};

	/// The encryption key every registered patient has in this directory.
	pub const PATIENT_KEY: EncryptionPublicKey = [7; 32];

	/// What the directory answers.
	#[derive(Default)]
	struct World {
		/// Active practitioners (an inactive one is simply absent, as the directory reports it).
		active: BTreeMap<u64, ActivePractitioner>,
		/// Every practitioner attached anywhere, active or not.
		members: BTreeMap<u64, ActivePractitioner>,
		/// (admin, organisation) pairs of active organisations.
		admins: BTreeSet<(u64, OrganisationId)>,
		/// Registered patients.
		patients: BTreeSet<u64>,
		/// Gateway accounts of active organisations.
		gateways: BTreeMap<u64, OrganisationId>,
	}

	crate::mock_world!(World);

	/// An empty directory: no organisation, practitioner or patient (each test thread has its
	/// own).
	pub fn reset() {
		with_world(|world| *world = World::default());
	}

	/// Makes `who` an active practitioner of `organisation` with `role`.
	pub fn set_practitioner(who: u64, organisation: OrganisationId, role: PractitionerRole) {
		let practitioner = ActivePractitioner { organisation, role };
		with_world(|w| {
			w.active.insert(who, practitioner);
			w.members.insert(who, practitioner);
		});
	}

	/// Makes `who` no longer active (suspended, revoked, licence expired: the directory
	/// answers the same for all of them); they stay attached to their organisation.
	pub fn set_inactive(who: u64) {
		with_world(|w| w.active.remove(&who));
	}

	/// Detaches `who`: no longer a practitioner anywhere, active or not.
	pub fn detach(who: u64) {
		with_world(|w| {
			w.active.remove(&who);
			w.members.remove(&who);
		});
	}

	/// Makes `who` the admin of the active organisation `organisation`.
	pub fn add_admin(who: u64, organisation: OrganisationId) {
		with_world(|w| w.admins.insert((who, organisation)));
	}

	/// `who` is no longer answered as the admin of `organisation` (new admin, or organisation
	/// deactivated).
	pub fn remove_admin(who: u64, organisation: OrganisationId) {
		with_world(|w| w.admins.remove(&(who, organisation)));
	}

	/// Registers `who` as a patient (with [`PATIENT_KEY`]).
	pub fn register_patient(who: u64) {
		with_world(|w| w.patients.insert(who));
	}

	/// `who` is no longer a registered patient.
	pub fn unregister_patient(who: u64) {
		with_world(|w| w.patients.remove(&who));
	}

	/// Makes `who` the gateway of the active organisation `organisation`.
	pub fn set_gateway(who: u64, organisation: OrganisationId) {
		with_world(|w| w.gateways.insert(who, organisation));
	}

	/// `who` is no longer answered as a gateway (removed, or its organisation deactivated).
	pub fn remove_gateway(who: u64) {
		with_world(|w| w.gateways.remove(&who));
	}

	/// The directory, answering from the world the test set.
	pub struct MockDirectory;

	impl DirectoryInspect<u64> for MockDirectory {
		fn active_practitioner(who: &u64) -> Option<ActivePractitioner> {
			with_world(|w| w.active.get(who).copied())
		}

		fn practitioner_membership(who: &u64) -> Option<ActivePractitioner> {
			with_world(|w| w.members.get(who).copied())
		}

		fn is_organisation_admin(who: &u64, organisation: OrganisationId) -> bool {
			with_world(|w| w.admins.contains(&(*who, organisation)))
		}

		fn organisation_admin(organisation: OrganisationId) -> Option<u64> {
			with_world(|w| {
				w.admins.iter().find(|(_, org)| *org == organisation).map(|(who, _)| *who)
			})
		}

		fn is_patient(who: &u64) -> bool {
			with_world(|w| w.patients.contains(who))
		}

		fn patient_encryption_key(patient: &u64) -> Option<EncryptionPublicKey> {
			Self::is_patient(patient).then_some(PATIENT_KEY)
		}

		fn gateway_organisation(who: &u64) -> Option<OrganisationId> {
			with_world(|w| w.gateways.get(who).copied())
		}
	}

	#[cfg(test)]
	mod tests {
		use super::*;

		#[test]
		fn the_directory_answers_what_the_test_set_and_nothing_else() {
			reset();
			let nurse = ActivePractitioner { organisation: 3, role: PractitionerRole::Nurse };
			assert_eq!(MockDirectory::active_practitioner(&10), None);
			set_practitioner(10, 3, PractitionerRole::Nurse);
			assert_eq!(MockDirectory::active_practitioner(&10), Some(nurse));
			set_inactive(10);
			assert_eq!(MockDirectory::active_practitioner(&10), None);
			assert_eq!(MockDirectory::practitioner_membership(&10), Some(nurse));
			detach(10);
			assert_eq!(MockDirectory::practitioner_membership(&10), None);

			add_admin(1, 3);
			assert!(MockDirectory::is_organisation_admin(&1, 3));
			assert!(!MockDirectory::is_organisation_admin(&1, 4));
			assert_eq!(MockDirectory::organisation_admin(3), Some(1));
			assert_eq!(MockDirectory::organisation_admin(4), None);
			remove_admin(1, 3);
			assert!(!MockDirectory::is_organisation_admin(&1, 3));
			assert_eq!(MockDirectory::organisation_admin(3), None);

			register_patient(20);
			assert_eq!(MockDirectory::patient_encryption_key(&20), Some(PATIENT_KEY));
			unregister_patient(20);
			assert!(!MockDirectory::is_patient(&20));
			assert_eq!(MockDirectory::patient_encryption_key(&20), None);

			set_gateway(30, 3);
			assert_eq!(MockDirectory::gateway_organisation(&30), Some(3));
			assert_eq!(MockDirectory::gateway_organisation(&31), None);
			remove_gateway(30);
			assert_eq!(MockDirectory::gateway_organisation(&30), None);

			set_practitioner(11, 3, PractitionerRole::Physician);
			reset();
			assert_eq!(MockDirectory::active_practitioner(&11), None);
		}
	}
}
