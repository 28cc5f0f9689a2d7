//! A minimal runtime with `frame_system`, balances and the rewards pallet, and the shared test
//! directory (`medchain-test-utils`).

use crate::{self as pallet_rewards, RatesOf, RewardKind};
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

/// [`pooled`]'s rates.
pub fn rates() -> RatesOf<Test> {
	crate::RewardRates { appointment: APPOINTMENT, survey: SURVEY }
}

fn reset_world() {
	directory::reset();
	directory::add_admin(ADMIN_A, ORG_A);
	directory::add_admin(ADMIN_B, ORG_B);
	directory::set_practitioner(DOC, ORG_A, PractitionerRole::Physician);
	directory::set_practitioner(NURSE, ORG_A, PractitionerRole::Nurse);
	directory::set_practitioner(DOC_B, ORG_B, PractitionerRole::Physician);
	directory::register_patient(ALICE);
	directory::register_patient(BOB);
}

/// [`ORG_A`] opens pool 0 with [`rates`], [`CAP`] and [`PERIOD`], and its admin funds it with
/// [`POOLED`].
pub fn pooled() {
	assert_ok!(Rewards::create_pool(RuntimeOrigin::signed(ADMIN_A), ORG_A, rates(), CAP, PERIOD));
	assert_ok!(Rewards::fund_pool(RuntimeOrigin::signed(ADMIN_A), 0, POOLED));
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
