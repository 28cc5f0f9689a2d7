//! `try_state` reports exactly the invariant a deliberate corruption breaks.

use super::mock::*;
use crate::{
	BatchDispenses, Batches, Custody, Dispenses, Holder, PrescriptionStatus,
	Prescriptions as Stored, Shipments,
};
use medchain_test_utils::assert_detects;

/// A prescription of two fills, the first dispensed at pharmacy A from [`BATCH`].
fn populate() {
	prescribe(2, 50);
	stock(PHARMACY_A, PHARMACIST_A);
	reserve_chosen(RX, PHARMACIST_A, PHARMACY_A, 0);
	dispense_from_batch(RX, PHARMACIST_A, DISPENSE, true);
}

fn detects(corrupt: impl FnOnce(), broken: &'static str) {
	assert_detects(ExtBuilder.build(), populate, corrupt, Prescriptions::do_try_state, broken);
}

#[test]
fn fills_beyond_the_allowance_are_detected() {
	detects(
		|| Stored::<Test>::mutate(RX, |p| p.as_mut().unwrap().fills_dispensed = 3),
		"a prescription has more fills dispensed than it allows",
	);
}

#[test]
fn a_completed_status_with_fills_left_is_detected() {
	detects(
		|| {
			Stored::<Test>::mutate(RX, |p| {
				p.as_mut().unwrap().status = PrescriptionStatus::Completed
			})
		},
		"a prescription is completed exactly when every fill is dispensed",
	);
}

#[test]
fn a_lost_dispense_is_detected() {
	detects(|| Dispenses::<Test>::remove(RX, 0), "a prescription's dispense count is wrong");
}

#[test]
fn a_dispense_missing_from_its_batch_is_detected() {
	detects(
		|| BatchDispenses::<Test>::remove(BATCH, (RX, 0)),
		"a dispense is missing from its batch's index",
	);
}

#[test]
fn a_wrong_holder_count_is_detected() {
	detects(
		|| Custody::<Test>::remove(BATCH, Holder::Pharmacy(PHARMACY_A)),
		"a batch's holder count is wrong",
	);
}

#[test]
fn a_shipment_from_nobody_is_detected() {
	detects(
		|| {
			Shipments::<Test>::insert(
				BATCH,
				Holder::Pharmacy(PHARMACY_B),
				Holder::Supplier(MALLORY),
			)
		},
		"a shipment comes from no holder",
	);
}

#[test]
fn a_batch_dispense_count_out_of_step_is_detected() {
	detects(
		|| Batches::<Test>::mutate(BATCH, |b| b.as_mut().unwrap().dispenses = 5),
		"a batch's dispense count is wrong",
	);
}

#[test]
fn a_reservation_at_an_unchosen_pharmacy_is_detected() {
	detects(
		|| {
			Stored::<Test>::mutate(RX, |p| {
				p.as_mut().unwrap().pending = Some(crate::PendingFill {
					pharmacy: PHARMACY_B,
					pharmacist: PHARMACIST_B,
					since: 1,
					parts: 0,
				})
			})
		},
		"a fill is reserved by a pharmacy the patient did not choose",
	);
}
