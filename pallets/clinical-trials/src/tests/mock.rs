//! A minimal runtime with `frame_system`, balances (for the registration deposit) and the
//! clinical-trials pallet, the shared test
//! directory (`medchain-test-utils`: [`set_inactive`], [`register_patient`], …, and
//! [`set_practitioner`] here for researchers), a clock ([`set_time`]), and the patients' research keys with a prover ([`prove`]) for the
//! trial calls' ring VRF proofs.

use crate::{
	self as pallet_clinical_trials, hash_of, ring, Error, Event, PrimaryOutcomesOf, ProtocolOf,
	Pseudonym, ResearchKey, RingIndex, RingProof, SecondaryOutcomesOf, TrialId,
};
use core::time::Duration;
use frame_support::{
	assert_ok, derive_impl,
	pallet_prelude::{Authorize, TransactionSource, TransactionValidityError},
	traits::{fungible::Mutate, ConstU32, ConstU64, UnixTime},
	BoundedVec,
};
use medchain_primitives::{Commitment, OrganisationId, PractitionerRole};
use medchain_test_utils::directory;
pub use medchain_test_utils::directory::{
	add_admin, register_patient, set_inactive, MockDirectory,
};
use polkadot_sdk::*;
use sp_runtime::traits::Dispatchable;
use verifiable::{
	ring_vrf_impl::{BandersnatchVrfVerifiable as Vrf, EncodedPublicKey},
	GenerateVerifiable,
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Trials: pallet_clinical_trials,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

/// The registration deposit in the mock.
pub const DEPOSIT: u64 = 100;
/// What [`ADMIN`] and [`OTHER_ADMIN`] start with: ten deposits and the existential deposit.
pub const FUNDS: u64 = 10 * DEPOSIT + 1;

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
/// Research keys per ring in the mock.
pub const MAX_RING_MEMBERS: u32 = 8;
/// The fewest research keys a ring must hold for trial calls in the mock.
pub const MIN_RING_MEMBERS: u32 = 3;

impl pallet_clinical_trials::Config for Test {
	type Directory = MockDirectory;
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
	type MaxRingMembers = ConstU32<MAX_RING_MEMBERS>;
	type MinRingMembers = ConstU32<MIN_RING_MEMBERS>;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RegistrationDeposit = ConstU64<DEPOSIT>;
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
/// The trials' independent randomiser (no role at the sponsor).
pub const RANDOMISER: u64 = 40;

/// The mock clock and organisation ids (the directory is `medchain-test-utils`').
#[derive(Default)]
struct World {
	next_organisation: OrganisationId,
	now_secs: u64,
}

medchain_test_utils::mock_world!(World);

/// The population every test starts with: [`ADMIN`] of [`SPONSOR`], [`OTHER_ADMIN`] of
/// [`OTHER_ORG`], practitioners [`INVESTIGATOR`] ([`SITE_A`]), [`DOC_B`] ([`SITE_B`]),
/// [`OUTSIDER`] ([`NON_SITE`]), patients [`ALICE`], [`BOB`], [`CAROL`], [`DAVE`] (whose research
/// keys [`ExtBuilder`] registers); the clock at 1_700_000_000.
fn reset_world() {
	with_world(|world| {
		*world = World::default();
		world.next_organisation = 50;
		world.now_secs = 1_700_000_000;
	});
	directory::reset();
	add_admin(ADMIN, SPONSOR);
	add_admin(OTHER_ADMIN, OTHER_ORG);
	set_practitioner(INVESTIGATOR, SITE_A);
	set_practitioner(DOC_B, SITE_B);
	set_practitioner(OUTSIDER, NON_SITE);
	for patient in [ALICE, BOB, CAROL, DAVE] {
		register_patient(patient);
	}
}

/// Makes `who` an active practitioner (a researcher) of `organisation`.
pub fn set_practitioner(who: u64, organisation: OrganisationId) {
	directory::set_practitioner(who, organisation, PractitionerRole::Researcher);
}

/// Sets the wall clock (Unix seconds).
pub fn set_time(secs: u64) {
	with_world(|w| w.now_secs = secs);
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
}

/// Test externalities at block 1 (so events are recorded), with the default world.
#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	/// Builds the externalities and resets the mock world; [`ALICE`], [`BOB`], [`CAROL`] and
	/// [`DAVE`] register their research keys (ring 0).
	pub fn build(self) -> sp_io::TestExternalities {
		reset_world();
		let mut ext = medchain_test_utils::new_ext::<Test>();
		ext.execute_with(|| {
			for admin in [ADMIN, OTHER_ADMIN] {
				Balances::set_balance(&admin, FUNDS);
			}
			for patient in [ALICE, BOB, CAROL, DAVE] {
				assert_ok!(Trials::register_research_key(
					RuntimeOrigin::signed(patient),
					research_key(patient)
				));
			}
		});
		ext
	}

	/// Builds the externalities with the mock world and no research key registered (what the
	/// benchmarks start from).
	#[cfg(feature = "runtime-benchmarks")]
	pub fn build_bare(self) -> sp_io::TestExternalities {
		reset_world();
		medchain_test_utils::new_ext::<Test>()
	}

	/// Runs `test`, then checks every `try_state` invariant.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		medchain_test_utils::execute_checked(self.build(), test, Trials::do_try_state)
	}
}

/// Externalities for the benchmark test suite.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder.build_bare()
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

/// A [`prepared`] trial, recruiting with [`RANDOMISER`]'s commitment to [`SEED`].
pub fn recruiting() -> TrialId {
	let trial = prepared();
	open(trial);
	trial
}

/// [`ADMIN`] opens recruitment of `trial` with [`RANDOMISER`]'s commitment to [`SEED`].
pub fn open(trial: TrialId) {
	assert_ok!(Trials::open_recruitment(
		RuntimeOrigin::signed(ADMIN),
		trial,
		RANDOMISER,
		commitment()
	));
}

/// The research secret `patient`'s client keeps.
pub fn research_secret(patient: u64) -> <Vrf as GenerateVerifiable>::Secret {
	Vrf::new_secret([patient as u8; 32])
}

/// The research key of `patient` (from [`research_secret`]).
pub fn research_key(patient: u64) -> ResearchKey {
	Vrf::member_from_secret(&research_secret(patient)).0
}

/// `patient`'s pseudonym in `trial`: the alias of their research key in the trial's context.
pub fn pseudonym(trial: TrialId, patient: u64) -> Pseudonym {
	let context = ring::context(&Trials::genesis_hash(), trial);
	Vrf::alias_in_context(&research_secret(patient), &context).expect("an alias")
}

/// A ring VRF proof by `patient` against ring `ring` as stored now, for `trial` and `message`:
/// what the client makes. Returns the alias it yields and the proof.
pub fn prove(
	patient: u64,
	ring: RingIndex,
	trial: TrialId,
	message: &[u8],
) -> (Pseudonym, RingProof) {
	let members = crate::RingMembers::<Test>::get(ring);
	let commitment = Vrf::open(
		&EncodedPublicKey(research_key(patient)),
		members.iter().map(|key| EncodedPublicKey(*key)),
	)
	.expect("the patient's key is in the ring");
	let context = ring::context(&Trials::genesis_hash(), trial);
	let (proof, alias) =
		Vrf::create(commitment, &research_secret(patient), &context, message).expect("a proof");
	(alias, proof)
}

/// How the pool answers `call` (an authorized trial call): `Ok` if it would be accepted.
pub fn authorize(call: crate::Call<Test>) -> Result<(), TransactionValidityError> {
	call.authorize(TransactionSource::External).expect("an authorized call").map(|_| ())
}

/// Authorizes `call` like the pool, then dispatches it with the `Authorized` origin; asserts
/// both succeed.
pub fn submit(call: crate::Call<Test>) {
	assert_eq!(authorize(call.clone()), Ok(()));
	assert_ok!(RuntimeCall::from(call).dispatch(frame_system::RawOrigin::Authorized.into()));
}

/// The pool's refusal of a call that would fail with `error`.
pub fn refused(error: Error<Test>) -> Result<(), TransactionValidityError> {
	Err(medchain_primitives::invalid_transaction(error))
}

/// The enrolment call of `patient` in `trial` on consent form `form`, proved against ring 0.
pub fn enrol_call(trial: TrialId, patient: u64, form: u32) -> crate::Call<Test> {
	let (pseudonym, proof) = prove(patient, 0, trial, &ring::enrol_message(form));
	crate::Call::enrol { trial, ring: 0, consent_form: form, pseudonym, proof }
}

/// The re-consent call of `patient` in `trial` to consent form `form`, proved against ring 0.
pub fn reconsent_call(trial: TrialId, patient: u64, form: u32) -> crate::Call<Test> {
	let (pseudonym, proof) = prove(patient, 0, trial, &ring::reconsent_message(form));
	crate::Call::reconsent { trial, ring: 0, consent_form: form, pseudonym, proof }
}

/// The withdrawal call of `patient` from `trial`, proved against ring 0.
pub fn withdraw_call(trial: TrialId, patient: u64) -> crate::Call<Test> {
	let (pseudonym, proof) = prove(patient, 0, trial, &ring::withdraw_message());
	crate::Call::withdraw { trial, ring: 0, pseudonym, proof }
}

/// `patient` enrols in `trial` on the current consent form; returns the pseudonym.
pub fn enrol(trial: TrialId, patient: u64) -> Pseudonym {
	let form = crate::Trials::<Test>::get(trial).expect("trial").consent_form;
	submit(enrol_call(trial, patient, form));
	pseudonym(trial, patient)
}

/// `patient` withdraws from `trial`.
pub fn withdraw(trial: TrialId, patient: u64) {
	submit(withdraw_call(trial, patient));
}

/// The trial `trial` as stored.
pub fn trial(trial: TrialId) -> crate::TrialOf<Test> {
	crate::Trials::<Test>::get(trial).expect("the trial exists")
}

/// Asserts that the last event deposited is the pallet's `event`.
pub fn assert_last_event(event: Event<Test>) {
	System::assert_last_event(event.into());
}

/// Asserts that the last events are `trial`'s results published (`hash`, `late`) and the
/// release of its deposit to [`ADMIN`], who registered it.
pub fn assert_results_published(trial: TrialId, hash: Commitment, late: bool) {
	let events = events();
	assert_eq!(
		events[events.len() - 2..],
		[
			Event::ResultsPublished { trial, hash, late },
			Event::DepositReleased { trial, who: ADMIN, amount: DEPOSIT },
		]
	);
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
