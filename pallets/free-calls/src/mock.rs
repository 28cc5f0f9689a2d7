//! A test runtime: System, Balances, TransactionPayment and this pallet; the shared test
//! directory (`medchain-test-utils`, where only whether an account is a patient matters here),
//! guardians and recovered accounts kept in thread-locals; `System::remark` is the one free call.

use crate::{self as pallet_free_calls, FreeCallFilter};
use alloc::collections::{BTreeMap, BTreeSet};
use core::cell::RefCell;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Contains},
	weights::Weight,
};
use medchain_test_utils::directory::{self, MockDirectory};
use polkadot_sdk::*;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		TransactionPayment: pallet_transaction_payment,
		FreeCalls: pallet_free_calls,
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

#[derive_impl(pallet_transaction_payment::config_preludes::TestDefaultConfig)]
impl pallet_transaction_payment::Config for Test {
	type OnChargeTransaction = pallet_transaction_payment::FungibleAdapter<Balances, ()>;
	type WeightToFee = frame_support::weights::IdentityFee<u64>;
	type LengthToFee = frame_support::weights::IdentityFee<u64>;
}

thread_local! {
	static GUARDIANS: RefCell<BTreeMap<u64, u64>> = const { RefCell::new(BTreeMap::new()) };
	static RECOVERED: RefCell<BTreeSet<u64>> = const { RefCell::new(BTreeSet::new()) };
}

/// Guardians acting for patients, and accounts recovered by their friends.
pub struct MockRecovery;

impl MockRecovery {
	/// Makes `guardian` act for `patient`: its remarks are the patient's free calls.
	pub fn add_guardian(guardian: u64, patient: u64) {
		GUARDIANS.with(|g| g.borrow_mut().insert(guardian, patient));
	}

	/// Marks `who` as recovered by its friends.
	pub fn recover(who: u64) {
		RECOVERED.with(|r| r.borrow_mut().insert(who));
	}
}

impl Contains<u64> for MockRecovery {
	fn contains(who: &u64) -> bool {
		RECOVERED.with(|r| r.borrow().contains(who))
	}
}

/// `System::remark` is free for patients, and for their guardians on their allowance; nothing
/// else is.
pub struct RemarksAreFree;

impl FreeCallFilter<u64, RuntimeCall> for RemarksAreFree {
	fn free_for(who: &u64, call: &RuntimeCall) -> Option<u64> {
		Self::may_be_free(call)
			.then(|| GUARDIANS.with(|g| g.borrow().get(who).copied()).unwrap_or(*who))
	}

	fn may_be_free(call: &RuntimeCall) -> bool {
		matches!(call, RuntimeCall::System(frame_system::Call::remark { .. }))
	}
}

/// Free calls per patient per period.
pub const CALLS: u32 = 3;
/// The period, in blocks.
pub const PERIOD: u64 = 10;
/// The weight free calls may use per block: two calls of [`CALL_WEIGHT`].
pub const CALL_WEIGHT: Weight = Weight::from_parts(1_000_000, 1_000);

parameter_types! {
	pub MaxFreeWeight: Weight = CALL_WEIGHT.saturating_mul(2);
}

impl pallet_free_calls::Config for Test {
	type Directory = MockDirectory;
	type Filter = RemarksAreFree;
	type Recovered = MockRecovery;
	type CallsPerPeriod = ConstU32<CALLS>;
	type Period = ConstU64<PERIOD>;
	type MaxFreeWeightPerBlock = MaxFreeWeight;
	type MaxFreeLengthPerBlock = ConstU32<1_000>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockRecovery;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, RuntimeCall> for MockRecovery {
	fn register_patient(who: &u64) {
		directory::register_patient(*who);
	}

	fn call_for(patient: &u64) -> (u64, RuntimeCall) {
		Self::add_guardian(GUARDIAN, *patient);
		(GUARDIAN, RuntimeCall::System(frame_system::Call::remark { remark: vec![1] }))
	}

	fn paid_call() -> RuntimeCall {
		RuntimeCall::System(frame_system::Call::remark_with_event { remark: vec![1] })
	}
}

/// A patient with no funds (the account exists: the directory holds a reference to it).
pub const POOR_PATIENT: u64 = 1;
/// A patient with funds.
pub const RICH_PATIENT: u64 = 2;
/// An account that is not a patient, with funds.
pub const OTHER: u64 = 3;
/// An account that is not a patient, with no funds.
pub const POOR_OTHER: u64 = 4;
/// Not a patient, no funds: acts for [`POOR_PATIENT`] in the tests that make it a guardian.
pub const GUARDIAN: u64 = 5;
/// What the funded accounts hold.
pub const FUNDS: u64 = 1_000_000_000_000;

pub fn new_test_ext() -> sp_io::TestExternalities {
	directory::reset();
	GUARDIANS.with(|g| g.borrow_mut().clear());
	RECOVERED.with(|r| r.borrow_mut().clear());
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(RICH_PATIENT, FUNDS), (OTHER, FUNDS)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		directory::register_patient(POOR_PATIENT);
		directory::register_patient(RICH_PATIENT);
		// As the directory does for every patient it registers.
		frame_system::Pallet::<Test>::inc_sufficients(&POOR_PATIENT);
		frame_system::Pallet::<Test>::inc_sufficients(&POOR_OTHER);
	});
	ext
}
