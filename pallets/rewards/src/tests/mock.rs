//! A minimal runtime with `frame_system`, balances and the rewards pallet, and the shared test
//! directory (`medchain-test-utils`).

use crate::{
	self as pallet_rewards, ProofRefusal, Pseudonym, RatesOf, RewardKind, RingIndex, RingProof,
	TrialId, TrialVisits,
};
use codec::Encode;
use frame_support::pallet_prelude::{Authorize, TransactionSource, TransactionValidityError};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungible::Mutate, ConstU64},
	PalletId,
};
use medchain_primitives::{OrganisationId, PractitionerRole};
pub use medchain_test_utils::accounts::{
	ADMIN_A, ADMIN_B, ALICE, BOB, DOC, DOC_B, MALLORY, NURSE, ORG_A, ORG_B,
};
use medchain_test_utils::directory::{self, MockDirectory};
use polkadot_sdk::*;
use sp_runtime::traits::Dispatchable;
use std::{cell::RefCell, collections::BTreeMap};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Rewards: pallet_rewards,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

/// The existential deposit of the mock: rates must be at least this.
pub const ED: u64 = 5;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<ED>;
}

parameter_types! {
	pub const RewardsPalletId: PalletId = PalletId(*b"mc/rewrd");
}

impl pallet_rewards::Config for Test {
	type Directory = MockDirectory;
	type Currency = Balances;
	type PalletId = RewardsPalletId;
	type Trials = MockTrials;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// What the admins start with.
pub const FUNDS: u64 = 1_000;
/// What [`pooled`] pays for an appointment kept and for a survey answered.
pub const APPOINTMENT: u64 = 20;
pub const SURVEY: u64 = 10;
/// Its cap per patient and period, and its period in blocks.
pub const CAP: u64 = 50;
pub const PERIOD: u64 = 100;
/// What [`pooled`] puts in the pool.
pub const POOLED: u64 = 200;

/// Attestations of the tests (salted commitments to FHIR resources).
pub fn attestation(n: u8) -> [u8; 32] {
	[n; 32]
}

/// What [`pooled`] pays for a trial visit.
pub const VISIT: u64 = 15;

/// [`pooled`]'s rates.
pub fn rates() -> RatesOf<Test> {
	crate::RewardRates { appointment: APPOINTMENT, survey: SURVEY, visit: VISIT }
}

thread_local! {
	/// The mock's trials: each data anchor's sponsor and participant (absent: a batch's, or
	/// none).
	static VISITS: RefCell<BTreeMap<(TrialId, u32), (OrganisationId, Pseudonym)>> =
		const { RefCell::new(BTreeMap::new()) };
}

/// The research ring the mock knows (ring [`SMALL_RING`] holds too few keys; others are
/// unknown).
pub const RING: RingIndex = 0;
pub const SMALL_RING: RingIndex = 1;

/// The trials of the tests: [`TRIAL_A`] sponsored by [`ORG_A`], [`TRIAL_B`] by [`ORG_B`].
pub const TRIAL_A: TrialId = 3;
pub const TRIAL_B: TrialId = 4;

/// The pseudonyms of two participants.
pub const ANNA: Pseudonym = [0xa1; 32];
pub const BEN: Pseudonym = [0xb2; 32];

/// The trials pallet as the mock sees it: visits recorded with [`anchor_visit`], and a ring
/// proof that is the hash of the participant's pseudonym and the message chosen (the real
/// ring VRF is tested with the trials pallet and through the runtime).
pub struct MockTrials;

impl TrialVisits for MockTrials {
	fn visit(trial: TrialId, seq: u32) -> Option<(OrganisationId, Pseudonym)> {
		VISITS.with(|v| v.borrow().get(&(trial, seq)).copied())
	}

	fn check_proof(
		_trial: TrialId,
		ring: RingIndex,
		pseudonym: &Pseudonym,
		message: &[u8],
		proof: &RingProof,
	) -> Result<(), ProofRefusal> {
		match ring {
			RING if *proof == mock_proof(pseudonym, message) => Ok(()),
			RING => Err(ProofRefusal::BadProof),
			SMALL_RING => Err(ProofRefusal::RingTooSmall),
			_ => Err(ProofRefusal::UnknownRing),
		}
	}
}

/// The mock's proof that `pseudonym` chose `message`.
pub fn mock_proof(pseudonym: &Pseudonym, message: &[u8]) -> RingProof {
	let mut proof = [0u8; 788];
	proof[..32].copy_from_slice(&sp_io::hashing::blake2_256(&(pseudonym, message).encode()));
	proof
}

/// Records data anchor `seq` of `trial` (sponsored by `sponsor`) as a visit of `pseudonym`.
pub fn anchor_visit(trial: TrialId, seq: u32, sponsor: OrganisationId, pseudonym: Pseudonym) {
	VISITS.with(|v| v.borrow_mut().insert((trial, seq), (sponsor, pseudonym)));
}

/// The participant `pseudonym`'s claim of the reward for visit `seq` of `trial` from `pool`,
/// paid to `payee`, proved against [`RING`].
pub fn visit_call(
	pool: u32,
	trial: TrialId,
	seq: u32,
	payee: u64,
	pseudonym: &Pseudonym,
) -> crate::Call<Test> {
	let message = pallet_clinical_trials_runtime_api::ring_statement::visit_reward_message(
		seq,
		pool,
		&payee.encode(),
	);
	crate::Call::reward_visit {
		pool,
		trial,
		seq,
		payee,
		ring: RING,
		proof: mock_proof(pseudonym, &message),
	}
}

/// How the transaction pool answers `call` (an authorized call): `Ok` if it would be accepted.
pub fn authorize(call: crate::Call<Test>) -> Result<(), TransactionValidityError> {
	call.authorize(TransactionSource::External).expect("an authorized call").map(|_| ())
}

/// Authorizes `call` and dispatches it as the authorized origin does.
pub fn submit(call: crate::Call<Test>) {
	assert_eq!(authorize(call.clone()), Ok(()));
	assert_ok!(RuntimeCall::from(call).dispatch(frame_system::RawOrigin::Authorized.into()));
}

fn reset_world() {
	directory::reset();
	VISITS.with(|v| v.borrow_mut().clear());
	anchor_visit(TRIAL_A, 0, ORG_A, ANNA);
	anchor_visit(TRIAL_A, 1, ORG_A, ANNA);
	anchor_visit(TRIAL_A, 2, ORG_A, BEN);
	anchor_visit(TRIAL_A, 3, ORG_A, ANNA);
	anchor_visit(TRIAL_A, 4, ORG_A, ANNA);
	anchor_visit(TRIAL_B, 0, ORG_B, BEN);
	directory::add_admin(ADMIN_A, ORG_A);
	directory::add_admin(ADMIN_B, ORG_B);
	directory::set_practitioner(DOC, ORG_A, PractitionerRole::Physician);
	directory::set_practitioner(NURSE, ORG_A, PractitionerRole::Nurse);
	directory::set_practitioner(DOC_B, ORG_B, PractitionerRole::Physician);
	directory::register_patient(ALICE);
	directory::register_patient(BOB);
}

/// [`ORG_A`] opens a pool (0 in a fresh state) with [`rates`], [`CAP`] and [`PERIOD`], and its
/// admin funds it with [`POOLED`].
pub fn pooled() {
	let pool = crate::NextPoolId::<Test>::get();
	assert_ok!(Rewards::create_pool(RuntimeOrigin::signed(ADMIN_A), ORG_A, rates(), CAP, PERIOD));
	assert_ok!(Rewards::fund_pool(RuntimeOrigin::signed(ADMIN_A), pool, POOLED));
}

/// [`DOC`] attests that `patient` kept an appointment (attestation `n`), paid by pool 0.
pub fn kept(patient: u64, n: u8) {
	assert_ok!(Rewards::reward(
		RuntimeOrigin::signed(DOC),
		0,
		patient,
		RewardKind::AppointmentKept,
		attestation(n)
	));
}

/// Moves to block `n`.
pub fn run_to(n: u64) {
	System::set_block_number(n);
}

/// The free balance of `who`.
pub fn balance(who: u64) -> u64 {
	Balances::free_balance(who)
}

/// The last event the pallet deposited.
pub fn last_event() -> crate::Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Rewards(e) => Some(e),
			_ => None,
		})
		.expect("the pallet deposited an event")
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockBenchmarkHelper {
	fn setup(
		admin: &u64,
		practitioner: &u64,
		patient: &u64,
	) -> Result<OrganisationId, sp_runtime::DispatchError> {
		directory::add_admin(*admin, ORG_A);
		directory::set_practitioner(*practitioner, ORG_A, PractitionerRole::Physician);
		directory::register_patient(*patient);
		Ok(ORG_A)
	}

	fn trial_visit() -> Result<crate::VisitSetup<u64>, sp_runtime::DispatchError> {
		let payee = 77;
		let crate::Call::reward_visit { proof, .. } = visit_call(0, TRIAL_A, 0, payee, &ANNA)
		else {
			unreachable!("a visit's reward")
		};
		Ok(crate::VisitSetup {
			admin: ADMIN_A,
			organisation: ORG_A,
			trial: TRIAL_A,
			seq: 0,
			ring: RING,
			payee,
			proof,
			pool: 0,
		})
	}
}

#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build(self) -> sp_io::TestExternalities {
		reset_world();
		let mut ext = medchain_test_utils::new_ext::<Test>();
		ext.execute_with(|| {
			Balances::set_balance(&ADMIN_A, FUNDS);
			Balances::set_balance(&ADMIN_B, FUNDS);
			Balances::set_balance(&MALLORY, FUNDS);
		});
		ext
	}

	pub fn build_and_execute(self, test: impl FnOnce()) {
		medchain_test_utils::execute_checked(self.build(), test, Rewards::do_try_state)
	}
}

#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder.build()
}
