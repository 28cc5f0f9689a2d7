//! A minimal runtime with `frame_system` and the claims pallet, the shared test directory
//! (`medchain-test-utils`), a records pallet answering from a world the test sets
//! ([`add_record`], [`erase_record`]) and a consent stand-in that remembers the access each
//! claim opened ([`access`]) and can refuse ([`refuse_access`]).

use crate::{self as pallet_claims, AccessHandle, ClaimId, Decision, RecordsOf};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{fungible::Mutate, ConstU32, ConstU64},
	PalletId,
};
use medchain_primitives::{ClassTag, OrganisationId, PractitionerRole, RecordId, RecordsInspect};
pub use medchain_test_utils::accounts::{
	ADMIN_A, ADMIN_B, ALICE, BOB, DOC, DOC_B, MALLORY, NURSE, ORG_A, ORG_B,
};
use medchain_test_utils::directory::{self, MockDirectory};
use polkadot_sdk::*;
use sp_runtime::Weight;
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Claims: pallet_claims,
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

/// Records one claim may name in the mock.
pub const MAX_RECORDS: u32 = 3;
/// How long a decision may be disputed in the mock, in blocks.
pub const DISPUTE_WINDOW: u64 = 10;
/// What a payer's escrow holds for each claim it may still have to pay, in the mock.
pub const ESCROW_PER_CLAIM: u64 = 10;
/// Claims one settlement pays in the mock.
pub const MAX_SETTLED: u32 = 3;
/// What the payer's admin starts with.
pub const FUNDS: u64 = 1_000;
/// What [`covered`] puts in the payer's escrow: enough for ten claims.
pub const ESCROW: u64 = 100;

parameter_types! {
	pub const ClaimsPalletId: PalletId = PalletId(*b"mc/claim");
}

impl pallet_claims::Config for Test {
	type Directory = MockDirectory;
	type Records = MockRecords;
	type Access = MockAccess;
	type MaxRecordsPerClaim = ConstU32<MAX_RECORDS>;
	type DisputeWindow = ConstU64<DISPUTE_WINDOW>;
	type Currency = Balances;
	type PalletId = ClaimsPalletId;
	type EscrowPerClaim = ConstU64<ESCROW_PER_CLAIM>;
	type MaxClaimsPerSettlement = ConstU32<MAX_SETTLED>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// An insurer.
pub const PAYER: OrganisationId = 7;
/// Its admin.
pub const PAYER_ADMIN: u64 = 3;
/// Its claims officer.
pub const OFFICER: u64 = 13;
/// A claims officer of the provider ([`ORG_A`]): its billing office.
pub const BILLING: u64 = 14;
/// Records about [`ALICE`] held by [`ORG_A`].
pub const ALICE_A1: RecordId = 1;
/// Another.
pub const ALICE_A2: RecordId = 2;
/// A record about [`BOB`] held by [`ORG_A`].
pub const BOB_A: RecordId = 3;
/// A record about [`ALICE`] held by [`ORG_B`].
pub const ALICE_B: RecordId = 4;
/// Commitments of the tests.
pub const PLAN: [u8; 32] = [0x50; 32];
pub const CLAIM: [u8; 32] = [0xc1; 32];
pub const RESPONSE: [u8; 32] = [0x72; 32];
pub const GROUNDS: [u8; 32] = [0x9d; 32];

#[derive(Default)]
struct World {
	/// record → (subject, custodian)
	records: BTreeMap<RecordId, (u64, OrganisationId)>,
	/// handle → (claim, member, payer, records) while its access is open
	access: BTreeMap<AccessHandle, (ClaimId, u64, OrganisationId, Vec<RecordId>)>,
	refuse: bool,
}

medchain_test_utils::mock_world!(World);

/// A record about `subject` held by `custodian`.
pub fn add_record(record: RecordId, subject: u64, custodian: OrganisationId) {
	with_world(|w| w.records.insert(record, (subject, custodian)));
}

/// Record `record` is erased (the records pallet no longer answers for it).
pub fn erase_record(record: RecordId) {
	with_world(|w| w.records.remove(&record));
}

/// The access claim `claim` opened, while it is open: (member, payer, records).
pub fn access(claim: ClaimId) -> Option<(u64, OrganisationId, Vec<RecordId>)> {
	with_world(|w| {
		w.access
			.values()
			.find(|(c, ..)| *c == claim)
			.map(|(_, member, payer, records)| (*member, *payer, records.clone()))
	})
}

/// The handle of the access claim `claim` opened (the mock's: the claim's id plus 1,000).
pub fn handle_of(claim: ClaimId) -> AccessHandle {
	claim + 1_000
}

/// The member revoked the access claim `claim` opened (as a patient may at any time).
pub fn with_access_revoked(claim: ClaimId) {
	with_world(|w| w.access.retain(|_, (c, ..)| *c != claim));
}

/// From now on consent refuses to open access.
pub fn refuse_access() {
	with_world(|w| w.refuse = true);
}

/// The records pallet, answering from the world.
pub struct MockRecords;

impl RecordsInspect<u64> for MockRecords {
	fn record_scope(record: RecordId) -> Option<(u64, ClassTag)> {
		with_world(|w| w.records.get(&record).map(|(subject, _)| (*subject, ClassTag([0; 32]))))
	}

	fn record_custodian(record: RecordId) -> Option<OrganisationId> {
		with_world(|w| w.records.get(&record).map(|(_, custodian)| *custodian))
	}
}

/// What closing an access costs in the mock, and the most it may.
pub const CLOSING: Weight = Weight::from_parts(7_000, 0);
pub const MAX_CLOSING: Weight = Weight::from_parts(100_000, 0);

/// Consent's part: remembers each claim's access.
pub struct MockAccess;

impl crate::ClaimAccess<u64> for MockAccess {
	fn open(
		member: &u64,
		payer: OrganisationId,
		claim: ClaimId,
		records: &[RecordId],
	) -> Result<AccessHandle, sp_runtime::DispatchError> {
		if with_world(|w| w.refuse) {
			return Err(sp_runtime::DispatchError::Other("consent refused"));
		}
		let handle = handle_of(claim);
		with_world(|w| w.access.insert(handle, (claim, *member, payer, records.to_vec())));
		Ok(handle)
	}

	/// [`CLOSING`] for an access it ends, nothing for one ended already.
	fn close(member: &u64, handle: AccessHandle) -> Weight {
		with_world(|w| {
			if w.access.get(&handle).is_some_and(|(_, m, ..)| m == member) {
				w.access.remove(&handle);
				CLOSING
			} else {
				Weight::zero()
			}
		})
	}

	fn max_close_weight() -> Weight {
		MAX_CLOSING
	}
}

fn reset_world() {
	with_world(|w| *w = World::default());
	directory::reset();
	directory::add_admin(ADMIN_A, ORG_A);
	directory::add_admin(PAYER_ADMIN, PAYER);
	directory::set_practitioner(DOC, ORG_A, PractitionerRole::Physician);
	directory::set_practitioner(NURSE, ORG_A, PractitionerRole::Nurse);
	directory::set_practitioner(BILLING, ORG_A, PractitionerRole::ClaimsOfficer);
	directory::set_practitioner(DOC_B, ORG_B, PractitionerRole::Physician);
	directory::set_practitioner(OFFICER, PAYER, PractitionerRole::ClaimsOfficer);
	directory::register_patient(ALICE);
	directory::register_patient(BOB);
	add_record(ALICE_A1, ALICE, ORG_A);
	add_record(ALICE_A2, ALICE, ORG_A);
	add_record(BOB_A, BOB, ORG_A);
	add_record(ALICE_B, ALICE, ORG_B);
}

/// `records` as a claim names them.
pub fn records(records: &[RecordId]) -> RecordsOf<Test> {
	records.to_vec().try_into().unwrap()
}

/// [`PAYER`] funds its escrow with [`ESCROW`] and offers [`ALICE`] coverage 0 for blocks 1 to
/// 100, and she accepts.
pub fn covered() {
	assert_ok!(Claims::fund_escrow(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, ESCROW));
	assert_ok!(Claims::offer_coverage(
		RuntimeOrigin::signed(PAYER_ADMIN),
		PAYER,
		ALICE,
		PLAN,
		1,
		100
	));
	assert_ok!(Claims::accept_coverage(RuntimeOrigin::signed(ALICE), 0));
}

/// [`DOC`] claims [`ALICE_A1`] against coverage 0: claim `next`.
pub fn claimed() {
	assert_ok!(Claims::submit_claim(RuntimeOrigin::signed(DOC), 0, records(&[ALICE_A1]), CLAIM));
}

/// The officer decides claim `claim`.
pub fn decided(claim: ClaimId, decision: Decision) {
	assert_ok!(Claims::decide_claim(RuntimeOrigin::signed(OFFICER), claim, decision, RESPONSE));
}

/// Moves to block `n`.
pub fn run_to(n: u64) {
	System::set_block_number(n);
}

/// The last event the pallet deposited.
pub fn last_event() -> crate::Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Claims(e) => Some(e),
			_ => None,
		})
		.expect("the pallet deposited an event")
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockBenchmarkHelper {
	fn setup_payer(
		admin: &u64,
		officer: &u64,
	) -> Result<OrganisationId, sp_runtime::DispatchError> {
		directory::add_admin(*admin, PAYER);
		directory::set_practitioner(*officer, PAYER, PractitionerRole::ClaimsOfficer);
		Ok(PAYER)
	}

	fn setup_provider(
		admin: &u64,
		practitioner: &u64,
		member: &u64,
		count: u32,
	) -> Result<(OrganisationId, Vec<RecordId>), sp_runtime::DispatchError> {
		directory::add_admin(*admin, ORG_A);
		directory::set_practitioner(*practitioner, ORG_A, PractitionerRole::Physician);
		directory::register_patient(*member);
		let ids: Vec<RecordId> = (100..100 + u64::from(count)).collect();
		for id in &ids {
			add_record(*id, *member, ORG_A);
		}
		Ok((ORG_A, ids))
	}
}

#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build(self) -> sp_io::TestExternalities {
		reset_world();
		let mut ext = medchain_test_utils::new_ext::<Test>();
		ext.execute_with(|| {
			Balances::set_balance(&PAYER_ADMIN, FUNDS);
		});
		ext
	}

	pub fn build_and_execute(self, test: impl FnOnce()) {
		medchain_test_utils::execute_checked(self.build(), test, Claims::do_try_state)
	}
}

#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder.build()
}
