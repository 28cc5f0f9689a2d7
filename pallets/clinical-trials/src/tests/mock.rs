//! A minimal runtime with `frame_system` and the clinical-trials pallet, a directory and a
//! consent whose answers each test controls ([`set_practitioner`], [`set_inactive`],
//! [`unregister_patient`], [`revoke_grant`], …), and a clock ([`set_time`]).

use crate::{
	self as pallet_clinical_trials, hash_of, Event, PrimaryOutcomesOf, ProtocolOf, Pseudonym,
	SecondaryOutcomesOf, TrialId,
};
use alloc::collections::{BTreeMap, BTreeSet};
use core::{cell::RefCell, time::Duration};
use frame_support::{
	assert_ok, derive_impl,
	traits::{ConstU32, UnixTime},
	BoundedVec,
};
use medchain_primitives::{
	ActivePractitioner, Commitment, DirectoryInspect, EncryptionPublicKey, GrantId, OrganisationId,
	PractitionerRole, ResearchConsent,
};
use polkadot_sdk::*;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Trials: pallet_clinical_trials,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Primary outcomes per protocol in the mock.
pub const MAX_PRIMARY: u32 = 2;
/// Secondary outcomes per protocol in the mock.
pub const MAX_SECONDARY: u32 = 3;
/// Amendments per trial in the mock.
pub const MAX_AMENDMENTS: u32 = 3;
/// Sites per trial in the mock.
pub const MAX_SITES: u32 = 2;
/// Investigators per trial in the mock.
pub const MAX_INVESTIGATORS: u32 = 2;
/// Consent-form versions per trial in the mock.
pub const MAX_CONSENT_FORMS: u32 = 3;
/// Largest planned enrolment in the mock.
pub const MAX_PARTICIPANTS: u32 = 5;
/// Data anchors per trial in the mock.
pub const MAX_DATA_ANCHORS: u32 = 4;
/// Longest registry id in the mock.
pub const MAX_REGISTRY_ID_LEN: u32 = 12;
/// Longest results link in the mock.
pub const MAX_LINK_LEN: u32 = 16;
/// Entries per page in the mock.
pub const MAX_PAGE_SIZE: u32 = 3;

impl pallet_clinical_trials::Config for Test {
	type Directory = MockDirectory;
	type Consent = MockConsent;
	type Time = MockTime;
	type MaxPrimaryOutcomes = ConstU32<MAX_PRIMARY>;
	type MaxSecondaryOutcomes = ConstU32<MAX_SECONDARY>;
	type MaxAmendments = ConstU32<MAX_AMENDMENTS>;
	type MaxSites = ConstU32<MAX_SITES>;
	type MaxInvestigators = ConstU32<MAX_INVESTIGATORS>;
	type MaxConsentForms = ConstU32<MAX_CONSENT_FORMS>;
	type MaxParticipants = ConstU32<MAX_PARTICIPANTS>;
	type MaxDataAnchors = ConstU32<MAX_DATA_ANCHORS>;
	type MaxRegistryIdLen = ConstU32<MAX_REGISTRY_ID_LEN>;
	type MaxLinkLen = ConstU32<MAX_LINK_LEN>;
	type MaxPageSize = ConstU32<MAX_PAGE_SIZE>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// The sponsor organisation.
pub const SPONSOR: OrganisationId = 0;
/// Another organisation (not the sponsor).
pub const OTHER_ORG: OrganisationId = 1;
/// A site organisation.
pub const SITE_A: OrganisationId = 10;
/// Another site organisation.
pub const SITE_B: OrganisationId = 11;
/// An organisation that is not a site.
pub const NON_SITE: OrganisationId = 12;
/// Admin of [`SPONSOR`].
pub const ADMIN: u64 = 1;
/// Admin of [`OTHER_ORG`].
pub const OTHER_ADMIN: u64 = 2;
/// A practitioner of [`SITE_A`].
pub const INVESTIGATOR: u64 = 20;
/// A practitioner of [`SITE_B`].
pub const DOC_B: u64 = 21;
/// A practitioner of [`NON_SITE`].
pub const OUTSIDER: u64 = 22;
/// A patient.
pub const ALICE: u64 = 30;
/// Another patient.
pub const BOB: u64 = 31;
/// A third patient.
pub const CAROL: u64 = 32;
/// A fourth patient.
pub const DAVE: u64 = 33;
/// An account with no role anywhere.
pub const MALLORY: u64 = 99;

/// What the mock directory and consent answer.
#[derive(Default)]
struct World {
	practitioners: BTreeMap<u64, ActivePractitioner>,
	admins: BTreeSet<(u64, OrganisationId)>,
	patients: BTreeSet<u64>,
	/// Research grants in force: (patient, grant, organisation).
	grants: BTreeSet<(u64, GrantId, OrganisationId)>,
	next_grant: GrantId,
	next_organisation: OrganisationId,
	now_secs: u64,
}

thread_local! {
	static WORLD: RefCell<World> = RefCell::new(World::default());
}

fn with_world<R>(f: impl FnOnce(&mut World) -> R) -> R {
	WORLD.with(|world| f(&mut world.borrow_mut()))
}

/// The population every test starts with: [`ADMIN`] of [`SPONSOR`], [`OTHER_ADMIN`] of
/// [`OTHER_ORG`], practitioners [`INVESTIGATOR`] ([`SITE_A`]), [`DOC_B`] ([`SITE_B`]),
/// [`OUTSIDER`] ([`NON_SITE`]), patients [`ALICE`], [`BOB`], [`CAROL`], [`DAVE`], each with
/// a research grant to the sponsor ([`grant_of`]); the clock at 1_700_000_000.
fn reset_world() {
	with_world(|world| {
		*world = World::default();
		world.next_grant = 100;
		world.next_organisation = 50;
		world.now_secs = 1_700_000_000;
	});
	add_admin(ADMIN, SPONSOR);
	add_admin(OTHER_ADMIN, OTHER_ORG);
	set_practitioner(INVESTIGATOR, SITE_A);
	set_practitioner(DOC_B, SITE_B);
	set_practitioner(OUTSIDER, NON_SITE);
	for patient in [ALICE, BOB, CAROL, DAVE] {
		register_patient(patient);
		add_grant(patient, SPONSOR);
	}
}

/// Makes `who` an active practitioner of `organisation`.
pub fn set_practitioner(who: u64, organisation: OrganisationId) {
	with_world(|w| {
		w.practitioners
			.insert(who, ActivePractitioner { organisation, role: PractitionerRole::Researcher })
	});
}

/// Makes `who` no longer an active practitioner.
pub fn set_inactive(who: u64) {
	with_world(|w| w.practitioners.remove(&who));
}

/// Makes `who` an admin of `organisation`.
pub fn add_admin(who: u64, organisation: OrganisationId) {
	with_world(|w| w.admins.insert((who, organisation)));
}

/// Registers `who` as a patient.
pub fn register_patient(who: u64) {
	with_world(|w| w.patients.insert(who));
}

/// `who` is no longer a registered patient.
pub fn unregister_patient(who: u64) {
	with_world(|w| w.patients.remove(&who));
}

/// `patient` makes a research grant to `organisation`; returns its id.
pub fn add_grant(patient: u64, organisation: OrganisationId) -> GrantId {
	with_world(|w| {
		let id = w.next_grant;
		w.next_grant += 1;
		w.grants.insert((patient, id, organisation));
		id
	})
}

/// The research grant of `patient` to the sponsor made by [`ExtBuilder`].
pub fn grant_of(patient: u64) -> GrantId {
	with_world(|w| {
		w.grants
			.iter()
			.find(|(p, _, o)| *p == patient && *o == SPONSOR)
			.map(|(_, g, _)| *g)
			.expect("the patient has a grant to the sponsor")
	})
}

/// The grant `grant` of `patient` is no longer in force.
pub fn revoke_grant(patient: u64, grant: GrantId) {
	with_world(|w| w.grants.retain(|(p, g, _)| !(*p == patient && *g == grant)));
}

/// Sets the wall clock (Unix seconds).
pub fn set_time(secs: u64) {
	with_world(|w| w.now_secs = secs);
}

/// A directory answering from the test-controlled world.
pub struct MockDirectory;

impl DirectoryInspect<u64> for MockDirectory {
	fn active_practitioner(who: &u64) -> Option<ActivePractitioner> {
		with_world(|w| w.practitioners.get(who).copied())
	}

	fn practitioner_membership(who: &u64) -> Option<ActivePractitioner> {
		Self::active_practitioner(who)
	}

	fn is_organisation_admin(who: &u64, organisation: OrganisationId) -> bool {
		with_world(|w| w.admins.contains(&(*who, organisation)))
	}

	fn is_patient(who: &u64) -> bool {
		with_world(|w| w.patients.contains(who))
	}

	fn patient_encryption_key(patient: &u64) -> Option<EncryptionPublicKey> {
		Self::is_patient(patient).then_some([7u8; 32])
	}

	fn is_treating_organisation(_patient: &u64, _organisation: OrganisationId) -> bool {
		false
	}
}

/// A consent answering from the test-controlled world.
pub struct MockConsent;

impl ResearchConsent<u64> for MockConsent {
	fn research_grant_in_force(
		patient: &u64,
		grant: GrantId,
		organisation: OrganisationId,
	) -> bool {
		with_world(|w| w.grants.contains(&(*patient, grant, organisation)))
	}
}

/// A clock answering from the test-controlled world.
pub struct MockTime;

impl UnixTime for MockTime {
	fn now() -> Duration {
		Duration::from_secs(with_world(|w| w.now_secs))
	}
}

/// Sets up the benchmarks' accounts in the mock world.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockBenchmarkHelper {
	fn create_organisation(admin: &u64) -> Result<OrganisationId, sp_runtime::DispatchError> {
		let organisation = with_world(|w| {
			let id = w.next_organisation;
			w.next_organisation += 1;
			id
		});
		add_admin(*admin, organisation);
		Ok(organisation)
	}

	fn add_practitioner(
		practitioner: &u64,
		organisation: OrganisationId,
	) -> sp_runtime::DispatchResult {
		set_practitioner(*practitioner, organisation);
		Ok(())
	}

	fn register_patient(patient: &u64) -> sp_runtime::DispatchResult {
		register_patient(*patient);
		Ok(())
	}

	fn research_grant(
		patient: &u64,
		organisation: OrganisationId,
	) -> Result<GrantId, sp_runtime::DispatchError> {
		Ok(add_grant(*patient, organisation))
	}
}

/// Test externalities at block 1 (so events are recorded), with the default world.
#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	/// Builds the externalities and resets the mock world.
	pub fn build(self) -> sp_io::TestExternalities {
		reset_world();
		let storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test`, then checks every `try_state` invariant.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Trials::do_try_state().expect("try_state invariants hold after the test");
		})
	}
}

/// Externalities for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder.build()
}

/// A 32-byte hash made of `n`.
pub fn h(n: u8) -> Commitment {
	[n; 32]
}

/// The allocation seed the tests commit to.
pub const SEED: [u8; 32] = [0xA5; 32];

/// The commitment to [`SEED`].
pub fn commitment() -> Commitment {
	hash_of(&SEED)
}

/// Primary outcomes `h(n)` for each `n`.
pub fn primary(ns: &[u8]) -> PrimaryOutcomesOf<Test> {
	BoundedVec::try_from(ns.iter().map(|n| h(*n)).collect::<alloc::vec::Vec<_>>())
		.expect("test primary outcomes fit")
}

/// Secondary outcomes `h(n)` for each `n`.
pub fn secondary(ns: &[u8]) -> SecondaryOutcomesOf<Test> {
	BoundedVec::try_from(ns.iter().map(|n| h(*n)).collect::<alloc::vec::Vec<_>>())
		.expect("test secondary outcomes fit")
}

/// A protocol `h(1)`, SAP `h(2)` with the given outcomes.
pub fn protocol(primary_ns: &[u8], secondary_ns: &[u8]) -> ProtocolOf<Test> {
	crate::Protocol {
		protocol: h(1),
		sap: h(2),
		primary_outcomes: primary(primary_ns),
		secondary_outcomes: secondary(secondary_ns),
	}
}

/// Registry id bytes.
pub fn registry(id: &[u8]) -> crate::RegistryIdOf<Test> {
	BoundedVec::try_from(id.to_vec()).expect("test registry id fits")
}

/// Results-link bytes.
pub fn link(bytes: &[u8]) -> crate::LinkOf<Test> {
	BoundedVec::try_from(bytes.to_vec()).expect("test link fits")
}

/// The default registration's results-due period (blocks).
pub const DUE_PERIOD: u64 = 100;

/// The default registration's planned enrolment.
pub const PLANNED: u32 = 3;

/// [`ADMIN`] registers a trial of [`SPONSOR`] with registry id `registry_id`, primary outcome
/// `h(10)`, secondary outcomes `h(20)`, `h(21)`, [`PLANNED`] participants, 2 arms, results due
/// [`DUE_PERIOD`] blocks after registration; returns its id.
pub fn register_with(registry_id: Option<&[u8]>) -> TrialId {
	let id = crate::NextTrialId::<Test>::get();
	assert_ok!(Trials::register_trial(
		RuntimeOrigin::signed(ADMIN),
		SPONSOR,
		registry_id.map(registry),
		protocol(&[10], &[20, 21]),
		PLANNED,
		2,
		DUE_PERIOD
	));
	id
}

/// [`register_with`] `NCT0001`.
pub fn register() -> TrialId {
	register_with(Some(b"NCT0001"))
}

/// A registered trial with site [`SITE_A`], investigator [`INVESTIGATOR`] and consent form 1
/// (`h(40)`), not recruiting yet.
pub fn prepared() -> TrialId {
	let trial = register();
	assert_ok!(Trials::add_site(RuntimeOrigin::signed(ADMIN), trial, SITE_A));
	assert_ok!(Trials::add_investigator(RuntimeOrigin::signed(ADMIN), trial, INVESTIGATOR));
	assert_ok!(Trials::publish_consent_form(RuntimeOrigin::signed(ADMIN), trial, h(40)));
	trial
}

/// A [`prepared`] trial, recruiting with the commitment to [`SEED`].
pub fn recruiting() -> TrialId {
	let trial = prepared();
	assert_ok!(Trials::open_recruitment(RuntimeOrigin::signed(ADMIN), trial, commitment()));
	trial
}

/// The secret `patient`'s client keeps for trials.
pub fn secret(patient: u64) -> [u8; 32] {
	[patient as u8 ^ 0x5A; 32]
}

/// The pseudonym of `patient` in `trial` with [`secret`].
pub fn pseudonym(trial: TrialId, patient: u64) -> Pseudonym {
	Trials::pseudonym(trial, &patient, &secret(patient))
}

/// `patient` enrols in `trial` on the current consent form with their grant; returns the
/// pseudonym.
pub fn enrol(trial: TrialId, patient: u64) -> Pseudonym {
	let form = crate::Trials::<Test>::get(trial).expect("trial").consent_form;
	assert_ok!(Trials::enrol(
		RuntimeOrigin::signed(patient),
		trial,
		form,
		grant_of(patient),
		secret(patient)
	));
	pseudonym(trial, patient)
}

/// The trial `trial` as stored.
pub fn trial(trial: TrialId) -> crate::TrialOf<Test> {
	crate::Trials::<Test>::get(trial).expect("the trial exists")
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
			RuntimeEvent::Trials(event) => Some(event),
			_ => None,
		})
		.collect()
}
