//! A minimal runtime with `frame_system` and the prescriptions pallet, the shared test directory
//! (`medchain-test-utils`), and the people of a prescription's life: a hospital's physician, two
//! pharmacies' pharmacists, a manufacturer and a wholesaler licensed by root (the regulator), and
//! the patient's one-time key ([`COUNTER`], whose signatures are `TestSignature`s).

use crate::{
	self as pallet_prescriptions, choice_message, BatchId, Commitment, Holder, PrescriptionId,
	SupplierKind,
};
use frame_support::{
	assert_ok, derive_impl,
	traits::{ConstU32, ConstU64, ConstU8},
};
use frame_system::EnsureRoot;
use medchain_primitives::{OrganisationId, PractitionerRole};
pub use medchain_test_utils::accounts::{ADMIN_A, DOC, MALLORY, NURSE, ORG_A};
use medchain_test_utils::directory::{self, MockDirectory};
use polkadot_sdk::*;
use sp_runtime::testing::TestSignature;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Prescriptions: pallet_prescriptions,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Fills one prescription may allow in the mock.
pub const MAX_FILLS: u8 = 3;
/// Parts one fill may be dispensed in, in the mock.
pub const MAX_PARTS: u8 = 3;
/// The longest validity in the mock, in blocks.
pub const MAX_VALIDITY: u64 = 100;
/// How long a reservation holds off other pharmacies in the mock, in blocks.
pub const PENDING_LIFETIME: u64 = 10;
/// The longest page of custody or recall tracing in the mock.
pub const MAX_PAGE_SIZE: u32 = 2;

impl pallet_prescriptions::Config for Test {
	type Directory = MockDirectory;
	type Signature = TestSignature;
	type RegulatorOrigin = EnsureRoot<u64>;
	type MaxFills = ConstU8<MAX_FILLS>;
	type MaxPartsPerFill = ConstU8<MAX_PARTS>;
	type MaxValidity = ConstU64<MAX_VALIDITY>;
	type PendingLifetime = ConstU64<PENDING_LIFETIME>;
	type MaxPageSize = ConstU32<MAX_PAGE_SIZE>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// A pharmacy.
pub const PHARMACY_A: OrganisationId = 5;
/// Another pharmacy.
pub const PHARMACY_B: OrganisationId = 6;
/// A pharmacist of [`PHARMACY_A`].
pub const PHARMACIST_A: u64 = 30;
/// A second pharmacist of [`PHARMACY_A`].
pub const PHARMACIST_A2: u64 = 32;
/// A pharmacist of [`PHARMACY_B`].
pub const PHARMACIST_B: u64 = 31;
/// A licensed manufacturer.
pub const MANUFACTURER: u64 = 40;
/// A licensed wholesaler.
pub const WHOLESALER: u64 = 41;
/// Another licensed manufacturer.
pub const MANUFACTURER_B: u64 = 42;
/// The patient's one-time key for the prescriptions of the tests.
pub const COUNTER: u64 = 50;

/// The prescription of the tests.
pub const RX: PrescriptionId = [0x11; 32];
/// A batch of the tests.
pub const BATCH: BatchId = [0xba; 32];
/// Commitment to the MedicationRequest.
pub const REQUEST: Commitment = [0x22; 32];
/// Commitment to the schedule class.
pub const SCHEDULE: Commitment = [0x33; 32];
/// Commitment to a MedicationDispense.
pub const DISPENSE: Commitment = [0x44; 32];

fn reset_world() {
	directory::reset();
	directory::add_admin(ADMIN_A, ORG_A);
	directory::set_practitioner(DOC, ORG_A, PractitionerRole::Physician);
	directory::set_practitioner(NURSE, ORG_A, PractitionerRole::Nurse);
	directory::set_practitioner(PHARMACIST_A, PHARMACY_A, PractitionerRole::Pharmacist);
	directory::set_practitioner(PHARMACIST_A2, PHARMACY_A, PractitionerRole::Pharmacist);
	directory::set_practitioner(PHARMACIST_B, PHARMACY_B, PractitionerRole::Pharmacist);
}

/// The one-time key's signature choosing `pharmacy` for `rx` at its `nonce`-th choice.
pub fn choice(rx: PrescriptionId, pharmacy: OrganisationId, nonce: u32) -> TestSignature {
	TestSignature(COUNTER, choice_message(System::block_hash(0).as_ref(), &rx, pharmacy, nonce))
}

/// [`DOC`] prescribes [`RX`] with `fills` fills, valid for `valid_for` blocks.
pub fn prescribe(fills: u8, valid_for: u64) {
	assert_ok!(Prescriptions::prescribe(
		RuntimeOrigin::signed(DOC),
		RX,
		REQUEST,
		SCHEDULE,
		COUNTER,
		fills,
		valid_for
	));
}

/// `pharmacist` reserves the next fill of `rx` for `pharmacy`, with the patient's choice at its
/// `nonce`-th turn.
pub fn reserve_chosen(rx: PrescriptionId, pharmacist: u64, pharmacy: OrganisationId, nonce: u32) {
	assert_ok!(Prescriptions::reserve_fill(
		RuntimeOrigin::signed(pharmacist),
		rx,
		Some(choice(rx, pharmacy, nonce))
	));
}

/// `pharmacist` dispenses the reserved fill of `rx` (`completes_fill`) from [`BATCH`], with the
/// dispense commitment `dispense`.
pub fn dispense_from_batch(
	rx: PrescriptionId,
	pharmacist: u64,
	dispense: Commitment,
	completes_fill: bool,
) {
	assert_ok!(Prescriptions::dispense(
		RuntimeOrigin::signed(pharmacist),
		rx,
		BATCH,
		dispense,
		completes_fill
	));
}

/// Licenses [`MANUFACTURER`], [`MANUFACTURER_B`] and [`WHOLESALER`], registers [`BATCH`] and
/// has it reach `pharmacy` through the wholesaler.
pub fn stock(pharmacy: OrganisationId, pharmacist: u64) {
	license_suppliers();
	register(BATCH);
	deliver(BATCH, pharmacy, pharmacist);
}

/// Licenses [`MANUFACTURER`], [`MANUFACTURER_B`] and [`WHOLESALER`].
pub fn license_suppliers() {
	for (who, kind) in [
		(MANUFACTURER, SupplierKind::Manufacturer),
		(MANUFACTURER_B, SupplierKind::Manufacturer),
		(WHOLESALER, SupplierKind::Wholesaler),
	] {
		assert_ok!(Prescriptions::license_supplier(RuntimeOrigin::root(), who, kind));
	}
}

/// [`MANUFACTURER`] registers `batch`.
pub fn register(batch: BatchId) {
	assert_ok!(Prescriptions::register_batch(
		RuntimeOrigin::signed(MANUFACTURER),
		batch,
		[1; 32],
		[2; 32]
	));
}

/// `batch` goes from [`MANUFACTURER`] to [`WHOLESALER`] to `pharmacy` (received by
/// `pharmacist`).
pub fn deliver(batch: BatchId, pharmacy: OrganisationId, pharmacist: u64) {
	if !crate::Custody::<Test>::contains_key(batch, Holder::Supplier(WHOLESALER)) {
		assert_ok!(Prescriptions::ship_batch(
			RuntimeOrigin::signed(MANUFACTURER),
			batch,
			Holder::Supplier(WHOLESALER)
		));
		assert_ok!(Prescriptions::receive_batch(RuntimeOrigin::signed(WHOLESALER), batch));
	}
	assert_ok!(Prescriptions::ship_batch(
		RuntimeOrigin::signed(WHOLESALER),
		batch,
		Holder::Pharmacy(pharmacy)
	));
	assert_ok!(Prescriptions::receive_batch(RuntimeOrigin::signed(pharmacist), batch));
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
			RuntimeEvent::Prescriptions(e) => Some(e),
			_ => None,
		})
		.expect("the pallet deposited an event")
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64, TestSignature> for MockBenchmarkHelper {
	fn setup_physician(
		admin: &u64,
		who: &u64,
	) -> Result<OrganisationId, sp_runtime::DispatchError> {
		directory::add_admin(*admin, ORG_A);
		directory::set_practitioner(*who, ORG_A, PractitionerRole::Physician);
		Ok(ORG_A)
	}

	/// A pharmacy per admin (numbered from 100 by the admin's account).
	fn setup_pharmacist(
		admin: &u64,
		who: &u64,
	) -> Result<OrganisationId, sp_runtime::DispatchError> {
		let pharmacy = 100 + OrganisationId::try_from(*admin % 1000).unwrap();
		directory::add_admin(*admin, pharmacy);
		directory::set_practitioner(*who, pharmacy, PractitionerRole::Pharmacist);
		Ok(pharmacy)
	}

	fn sign(message: &[u8]) -> (u64, TestSignature) {
		(COUNTER, TestSignature(COUNTER, message.to_vec()))
	}
}

#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	pub fn build(self) -> sp_io::TestExternalities {
		reset_world();
		medchain_test_utils::new_ext::<Test>()
	}

	pub fn build_and_execute(self, test: impl FnOnce()) {
		medchain_test_utils::execute_checked(self.build(), test, Prescriptions::do_try_state)
	}
}

#[cfg(feature = "runtime-benchmarks")]
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder.build()
}
