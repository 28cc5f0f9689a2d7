//! A minimal runtime with `frame_system` and the consent pallet, the shared test directory
//! (`medchain-test-utils`: [`set_practitioner`], [`set_inactive`], [`unregister_patient`], …)
//! and records whose answers each test controls ([`add_record`], [`erase_record`]).

use crate::{self as pallet_consent, Event, GranteeOf, ProvisionOf, ScopeRecordsOf};
use alloc::collections::BTreeMap;
use frame_support::{assert_ok, derive_impl, parameter_types, traits::ConstU32, BoundedVec};
use frame_system::EnsureRoot;
use medchain_primitives::{
	AccessTarget, ClassTag, ConsentAction, GrantId, OnGrantRevoked, OrganisationId,
	PractitionerRole, PurposeOfUse, RecordId, RecordsInspect,
};
pub use medchain_test_utils::accounts::{
	ADMIN_A, ADMIN_B, ALICE, BOB, DOC, DOC_B, MALLORY, NURSE, ORG_A, ORG_B,
};
pub use medchain_test_utils::directory::{
	add_admin, detach, register_patient, set_inactive, set_practitioner, unregister_patient,
	MockDirectory,
};
use polkadot_sdk::*;
use sp_runtime::Weight;

pub use crate::{Effect, Grantee};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Consent: pallet_consent,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The tags of a patient's data classes (any distinct values: the chain only compares them).
pub const GENERAL: ClassTag = ClassTag([0x01; 32]);
/// Mental health's tag.
pub const MENTAL_HEALTH: ClassTag = ClassTag([0x02; 32]);
/// Genetic data's tag.
pub const GENETIC: ClassTag = ClassTag([0x04; 32]);

/// Grants kept per patient in the mock.
pub const MAX_GRANTS: u32 = 12;
/// Records per provision in the mock.
pub const MAX_SCOPE_RECORDS: u32 = 3;
pub const MAX_GRANTS_PER_GRANTEE: u32 = 4;
/// Emergency accesses in force at once per patient in the mock.
pub const MAX_EMERGENCIES: u32 = 2;
/// Blocks an emergency access lasts in the mock.
pub const EMERGENCY_DURATION: u64 = 10;
/// Blocks until an emergency's review is due in the mock.
pub const REVIEW_DEADLINE: u64 = 20;
/// Offers waiting per patient in the mock.
pub const MAX_OFFERS: u32 = 3;
/// Offers one proposer may have stored in the mock.
pub const MAX_OFFERS_PER_PROPOSER: u32 = 4;
/// Blocks an offer can be accepted for in the mock.
pub const OFFER_LIFETIME: u64 = 5;
/// Entries per page in the mock.
pub const MAX_PAGE_SIZE: u32 = 3;

parameter_types! {
	pub const EmergencyDuration: u64 = EMERGENCY_DURATION;
	pub const ReviewDeadline: u64 = REVIEW_DEADLINE;
	pub const OfferLifetime: u64 = OFFER_LIFETIME;
}

impl pallet_consent::Config for Test {
	type Directory = MockDirectory;
	type Records = MockRecords;
	type OnGrantRevoked = MockRecords;
	type ReviewOrigin = EnsureRoot<u64>;
	type MaxGrantsPerPatient = ConstU32<MAX_GRANTS>;
	type MaxScopeRecords = ConstU32<MAX_SCOPE_RECORDS>;
	type MaxGrantsPerGrantee = ConstU32<MAX_GRANTS_PER_GRANTEE>;
	type MaxEmergenciesPerPatient = ConstU32<MAX_EMERGENCIES>;
	type EmergencyDuration = EmergencyDuration;
	type ReviewDeadline = ReviewDeadline;
	type MaxOffersPerPatient = ConstU32<MAX_OFFERS>;
	type MaxOffersPerProposer = ConstU32<MAX_OFFERS_PER_PROPOSER>;
	type OfferLifetime = OfferLifetime;
	type MaxPageSize = ConstU32<MAX_PAGE_SIZE>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// An emergency physician of [`ORG_B`].
pub const ER_DOC: u64 = 13;
/// A researcher (not a practitioner).
pub const RESEARCHER: u64 = 14;
/// The privacy officer of [`ORG_A`].
pub const PRIVACY_A: u64 = 15;
/// The privacy officer of [`ORG_B`] (where [`ER_DOC`] works).
pub const PRIVACY_B: u64 = 16;

/// What the mock records pallet answers.
#[derive(Default)]
struct World {
	/// Records the records pallet knows: id → (subject, class). Erased ones are absent.
	records: BTreeMap<RecordId, (u64, ClassTag)>,
	/// The custodian of each record anchored by a practitioner (self-reported ones are absent).
	custodians: BTreeMap<RecordId, OrganisationId>,
	/// The grants whose revocation the records pallet was told of.
	revoked_grants: alloc::vec::Vec<GrantId>,
}

medchain_test_utils::mock_world!(World);

/// The population every test starts with: [`ORG_A`] (admin [`ADMIN_A`], physician [`DOC`],
/// nurse [`NURSE`]), [`ORG_B`] (admin [`ADMIN_B`], physician [`DOC_B`], emergency physician
/// [`ER_DOC`], researcher [`RESEARCHER`]), a privacy officer at each ([`PRIVACY_A`],
/// [`PRIVACY_B`]), patients [`ALICE`] and [`BOB`].
fn reset_world() {
	with_world(|world| *world = World::default());
	medchain_test_utils::directory::reset();
	add_admin(ADMIN_A, ORG_A);
	add_admin(ADMIN_B, ORG_B);
	set_practitioner(DOC, ORG_A, PractitionerRole::Physician);
	set_practitioner(NURSE, ORG_A, PractitionerRole::Nurse);
	set_practitioner(DOC_B, ORG_B, PractitionerRole::Physician);
	set_practitioner(ER_DOC, ORG_B, PractitionerRole::EmergencyPhysician);
	set_practitioner(RESEARCHER, ORG_B, PractitionerRole::Researcher);
	set_practitioner(PRIVACY_A, ORG_A, PractitionerRole::PrivacyOfficer);
	set_practitioner(PRIVACY_B, ORG_B, PractitionerRole::PrivacyOfficer);
	register_patient(ALICE);
	register_patient(BOB);
}

/// The records pallet knows record `record` of `patient` in `class`.
pub fn add_record(record: RecordId, patient: u64, class: ClassTag) {
	with_world(|w| w.records.insert(record, (patient, class)));
}

/// Record `record` is held by organisation `organisation`.
pub fn set_custodian(record: RecordId, organisation: OrganisationId) {
	with_world(|w| w.custodians.insert(record, organisation));
}

/// Record `record` is erased.
pub fn erase_record(record: RecordId) {
	with_world(|w| w.records.remove(&record));
}

/// Records answering from the test-controlled world.
pub struct MockRecords;

impl RecordsInspect<u64> for MockRecords {
	fn record_scope(record: RecordId) -> Option<(u64, ClassTag)> {
		with_world(|w| w.records.get(&record).copied())
	}

	fn record_custodian(record: RecordId) -> Option<OrganisationId> {
		with_world(|w| w.records.contains_key(&record).then(|| w.custodians.get(&record).copied()))
			.flatten()
	}
}

/// The records pallet's part of a revocation: the mock notes which grants were revoked.
impl OnGrantRevoked for MockRecords {
	fn on_grant_revoked(grant: GrantId) -> Weight {
		with_world(|w| w.revoked_grants.push(grant));
		Weight::from_parts(1_000, 0)
	}
	fn max_weight() -> Weight {
		Weight::from_parts(5_000, 0)
	}
}

/// The grants whose revocation the records pallet was told of, in order.
pub fn revoked_grants() -> alloc::vec::Vec<GrantId> {
	with_world(|w| w.revoked_grants.clone())
}

/// Sets up the benchmarks' accounts in the mock world.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockBenchmarkHelper {
	fn register_patient(patient: &u64) -> sp_runtime::DispatchResult {
		register_patient(*patient);
		Ok(())
	}

	fn setup_organisation(
		admin: &u64,
		practitioner: &u64,
		role: PractitionerRole,
	) -> Result<OrganisationId, sp_runtime::DispatchError> {
		let organisation = 7;
		add_admin(*admin, organisation);
		set_practitioner(*practitioner, organisation, role);
		Ok(organisation)
	}

	fn add_practitioner(
		_admin: &u64,
		organisation: OrganisationId,
		practitioner: &u64,
		role: PractitionerRole,
	) -> sp_runtime::DispatchResult {
		set_practitioner(*practitioner, organisation, role);
		Ok(())
	}

	fn anchor_record(
		patient: &u64,
		class: ClassTag,
	) -> Result<RecordId, sp_runtime::DispatchError> {
		// Sequential ids from 1000, as the records pallet assigns them.
		let record = 1_000 + with_world(|w| w.records.len()) as u64;
		add_record(record, *patient, class);
		Ok(record)
	}

	fn set_gateway(
		_admin: &u64,
		organisation: OrganisationId,
		gateway: &u64,
	) -> sp_runtime::DispatchResult {
		medchain_test_utils::directory::set_gateway(*gateway, organisation);
		Ok(())
	}
}

/// Test externalities at block 1 (so events are recorded), with the default world.
#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	/// Builds the externalities and resets the mock directory and records.
	pub fn build(self) -> sp_io::TestExternalities {
		reset_world();
		medchain_test_utils::new_ext::<Test>()
	}

	/// Runs `test`, then checks every `try_state` invariant.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		medchain_test_utils::execute_checked(self.build(), test, Consent::do_try_state)
	}
}

/// Externalities for the benchmark test suite.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder.build()
}

/// A provision: `effect` on `actions` for `purposes` over `classes` and `records`.
pub fn provision(
	effect: Effect,
	actions: &[ConsentAction],
	purposes: &[PurposeOfUse],
	classes: &[ClassTag],
	records: &[RecordId],
) -> ProvisionOf<Test> {
	crate::Provision {
		effect,
		actions: BoundedVec::try_from(actions.to_vec()).expect("test actions fit"),
		purposes: BoundedVec::try_from(purposes.to_vec()).expect("test purposes fit"),
		classes: BoundedVec::try_from(classes.to_vec()).expect("test classes fit"),
		records: ScopeRecordsOf::<Test>::try_from(records.to_vec()).expect("test records fit"),
	}
}

/// Read and write, for treatment, of the General class.
pub fn treat_general(effect: Effect) -> ProvisionOf<Test> {
	provision(
		effect,
		&[ConsentAction::Read, ConsentAction::Write],
		&[PurposeOfUse::Treatment],
		&[GENERAL],
		&[],
	)
}

/// `patient` grants `provision` to `grantee` from now with no end; returns the grant's id.
pub fn grant(patient: u64, grantee: GranteeOf<Test>, provision: ProvisionOf<Test>) -> GrantId {
	grant_period(patient, grantee, provision, None, None)
}

/// `patient` grants `provision` to `grantee` during `[from, until)`; returns the grant's id.
pub fn grant_period(
	patient: u64,
	grantee: GranteeOf<Test>,
	provision: ProvisionOf<Test>,
	from: Option<u64>,
	until: Option<u64>,
) -> GrantId {
	let id = crate::NextGrantId::<Test>::get();
	assert_ok!(Consent::grant_consent(
		RuntimeOrigin::signed(patient),
		grantee,
		provision,
		from,
		until
	));
	id
}

/// The account grantee `who`.
pub fn account(who: u64) -> GranteeOf<Test> {
	Grantee::Account(who)
}

/// The role grantee `role` at `organisation`.
pub fn role(organisation: OrganisationId, role: PractitionerRole) -> GranteeOf<Test> {
	Grantee::Role { organisation, role }
}

/// `practitioner` opens emergency access to `patient`; returns its id.
pub fn open_emergency(practitioner: u64, patient: u64) -> u64 {
	let id = crate::NextEmergencyId::<Test>::get();
	assert_ok!(Consent::open_emergency_access(
		RuntimeOrigin::signed(practitioner),
		patient,
		[0xE2u8; 32]
	));
	id
}

/// Whether `actor` may do `action` for `purpose` on `target` of `patient` now.
pub fn permitted(
	patient: u64,
	actor: u64,
	action: ConsentAction,
	purpose: PurposeOfUse,
	target: AccessTarget,
) -> bool {
	Consent::evaluate_access(&patient, &actor, action, purpose, target).permitted
}

/// Asserts that the last event deposited is the pallet's `event`.
pub fn assert_last_event(event: Event<Test>) {
	System::assert_last_event(event.into());
}

/// The pallet's events so far.
pub fn events() -> alloc::vec::Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Consent(event) => Some(event),
			_ => None,
		})
		.collect()
}
