//! A minimal runtime with `frame_system`, `pallet_timestamp` and the directory.

use crate::{self as pallet_directory, Event, Licence, LicenceOf, NameOf};
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64},
	BoundedVec,
};
use frame_system::EnsureRoot;
use medchain_primitives::{OrganisationId, OrganisationKind, PractitionerRole};
pub use medchain_test_utils::accounts::{ADMIN_A, ADMIN_B, ALICE, BOB, DOC, MALLORY, NURSE};
use polkadot_sdk::*;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Directory: pallet_directory,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

/// Longest organisation name in the mock.
pub const MAX_NAME_LEN: u32 = 16;
/// Longest licence authority in the mock.
pub const MAX_AUTHORITY_LEN: u32 = 8;
/// Longest gateway endpoint in the mock.
pub const MAX_ENDPOINT_LEN: u32 = 32;
/// Retired keys kept per patient in the mock.
pub const MAX_KEY_HISTORY: u32 = 2;
/// Invitations an organisation may have waiting in the mock.
pub const MAX_INVITATIONS: u32 = 2;
/// Blocks an invitation can be accepted for in the mock.
pub const INVITATION_LIFETIME: u64 = 10;

impl pallet_directory::Config for Test {
	type RegistrarOrigin = EnsureRoot<u64>;
	type Time = Timestamp;
	type MaxNameLen = ConstU32<MAX_NAME_LEN>;
	type MaxAuthorityLen = ConstU32<MAX_AUTHORITY_LEN>;
	type MaxEndpointLen = ConstU32<MAX_ENDPOINT_LEN>;
	type MaxKeyHistory = ConstU32<MAX_KEY_HISTORY>;
	type MaxInvitations = ConstU32<MAX_INVITATIONS>;
	type InvitationLifetime = ConstU64<INVITATION_LIFETIME>;
	type Signature = sp_runtime::testing::TestSignature;
	type MaxFreeRegistrationsPerBlock = ConstU32<MAX_FREE_REGISTRATIONS>;
	type Records = PatientHoldings;
	type Grants = PatientHoldings;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = TestSigner;
}

std::thread_local! {
	/// (patient, live records, grants in force) the mock's other pallets report.
	static HOLDINGS: core::cell::RefCell<Vec<(u64, u32, u32)>> =
		const { core::cell::RefCell::new(Vec::new()) };
}

/// What the records and consent pallets would report about a patient: set by the tests.
pub struct PatientHoldings;

impl PatientHoldings {
	/// From now on, `patient` has `records` live records and `grants` grants in force.
	pub fn set(patient: u64, records: u32, grants: u32) {
		HOLDINGS.with(|h| {
			let mut h = h.borrow_mut();
			h.retain(|(who, _, _)| *who != patient);
			h.push((patient, records, grants));
		});
	}

	fn of(patient: u64) -> (u32, u32) {
		HOLDINGS.with(|h| {
			h.borrow().iter().find(|(who, _, _)| *who == patient).map_or((0, 0), |e| (e.1, e.2))
		})
	}
}

impl medchain_primitives::PatientRecordsInspect<u64> for PatientHoldings {
	fn live_records(patient: &u64) -> u32 {
		Self::of(*patient).0
	}
}

impl medchain_primitives::PatientGrantsInspect<u64> for PatientHoldings {
	fn grants_in_force(patient: &u64) -> u32 {
		Self::of(*patient).1
	}
}

/// Patients who may register by signature in one block.
pub const MAX_FREE_REGISTRATIONS: u32 = 2;

/// Signs registrations as the test signature scheme does (the signer and the message itself).
pub struct TestSigner;

impl TestSigner {
	/// `who`'s signature over `message`.
	pub fn sign_as(who: u64, message: &[u8]) -> sp_runtime::testing::TestSignature {
		sp_runtime::testing::TestSignature(who, message.to_vec())
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, sp_runtime::testing::TestSignature> for TestSigner {
	fn sign(message: &[u8]) -> (u64, sp_runtime::testing::TestSignature) {
		(4242, Self::sign_as(4242, message))
	}
}

/// The mock chain's time at the start of every test (Unix seconds, mid-2025).
pub const NOW: u64 = 1_750_000_000;
/// A year in seconds.
pub const YEAR: u64 = 365 * 24 * 60 * 60;

/// Test externalities: block 1 (so events are recorded), time [`NOW`].
#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	/// Builds the externalities.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut ext = medchain_test_utils::new_ext::<Test>();
		ext.execute_with(|| set_now(NOW));
		ext
	}

	/// Runs `test`, then checks every `try_state` invariant.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		medchain_test_utils::execute_checked(self.build(), test, Directory::do_try_state)
	}
}

/// Externalities for the benchmark test suite.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder.build()
}

/// Sets the chain's time (Unix seconds).
pub fn set_now(seconds: u64) {
	Timestamp::set_timestamp(seconds * 1000);
}

/// An organisation name.
pub fn name(s: &str) -> NameOf<Test> {
	BoundedVec::try_from(s.as_bytes().to_vec()).expect("test names fit")
}

/// A licence from `GMC` with id commitment `[9; 32]`, valid for `[from, until)`.
pub fn licence(valid_from: u64, valid_until: u64) -> LicenceOf<Test> {
	Licence {
		authority: BoundedVec::try_from(b"GMC".to_vec()).expect("fits"),
		licence_id: [9u8; 32],
		valid_from,
		valid_until,
	}
}

/// A licence valid from a year ago to a year ahead.
pub fn current_licence() -> LicenceOf<Test> {
	licence(NOW - YEAR, NOW + YEAR)
}

/// Registers a hospital named `org_name` with `admin`; returns its id.
pub fn register_org(admin: u64, org_name: &str) -> OrganisationId {
	let id = crate::NextOrganisationId::<Test>::get();
	Directory::register_organisation(
		RuntimeOrigin::root(),
		OrganisationKind::Hospital,
		admin,
		name(org_name),
	)
	.expect("registers");
	id
}

/// `admin` invites `who` to `organisation` with `role` and `licence`; `who` accepts.
pub fn invite_and_accept(
	admin: u64,
	organisation: OrganisationId,
	who: u64,
	role: PractitionerRole,
	licence: LicenceOf<Test>,
) -> sp_runtime::DispatchResult {
	Directory::invite_practitioner(RuntimeOrigin::signed(admin), organisation, who, role, licence)?;
	Directory::accept_invitation(RuntimeOrigin::signed(who), organisation)
}

/// Attaches `who` to `organisation` (administered by `admin`) with a current licence: the
/// admin invites, `who` accepts.
pub fn attach(admin: u64, organisation: OrganisationId, who: u64, role: PractitionerRole) {
	invite_and_accept(admin, organisation, who, role, current_licence()).expect("attaches");
}

/// Two hospitals (0 administered by [`ADMIN_A`], 1 by [`ADMIN_B`]) and [`DOC`], a physician
/// of the first.
pub fn two_orgs_and_doc() -> (OrganisationId, OrganisationId) {
	let a = register_org(ADMIN_A, "St Elsewhere");
	let b = register_org(ADMIN_B, "County General");
	attach(ADMIN_A, a, DOC, PractitionerRole::Physician);
	(a, b)
}

/// A 32-byte value filled with `byte`.
pub fn b32(byte: u8) -> [u8; 32] {
	[byte; 32]
}

/// Registers `who` as a patient with pseudonym `[p; 32]` and key `[k; 32]`.
pub fn register_patient(who: u64, p: u8, k: u8) {
	Directory::register_patient(RuntimeOrigin::signed(who), b32(p), b32(k)).expect("registers");
}

/// Asserts that the last event deposited is the directory's `event`.
pub fn assert_last_event(event: Event<Test>) {
	System::assert_last_event(event.into());
}
