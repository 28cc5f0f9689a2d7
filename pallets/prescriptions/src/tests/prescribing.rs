//! Issuing and cancelling prescriptions.

use super::mock::*;
use crate::{Error, Event, PrescriptionStatus, Prescriptions as Stored};
use frame_support::{assert_noop, assert_ok};
use medchain_test_utils::directory;
use polkadot_sdk::*;

#[test]
fn a_physician_prescribes_what_dispensing_needs_and_nothing_more() {
	ExtBuilder.build_and_execute(|| {
		run_to(5);
		prescribe(2, 30);
		let p = Stored::<Test>::get(RX).unwrap();
		assert_eq!(p.prescriber, DOC);
		assert_eq!(p.organisation, ORG_A);
		assert_eq!((p.request, p.schedule, p.counter_key), (REQUEST, SCHEDULE, COUNTER));
		assert_eq!((p.fills_allowed, p.fills_dispensed, p.dispenses), (2, 0, 0));
		assert_eq!((p.issued_at, p.valid_until), (5, 35));
		assert_eq!((p.pharmacy, p.choices, p.pending), (None, 0, None));
		assert_eq!(p.status, PrescriptionStatus::Active);
		assert_eq!(
			last_event(),
			Event::Prescribed {
				prescription: RX,
				prescriber: DOC,
				organisation: ORG_A,
				fills: 2,
				valid_until: 35
			}
		);
	});
}

#[test]
fn an_emergency_physician_prescribes_too() {
	ExtBuilder.build_and_execute(|| {
		directory::set_practitioner(
			MALLORY,
			ORG_A,
			medchain_primitives::PractitionerRole::EmergencyPhysician,
		);
		assert_ok!(Prescriptions::prescribe(
			RuntimeOrigin::signed(MALLORY),
			RX,
			REQUEST,
			SCHEDULE,
			COUNTER,
			1,
			10
		));
	});
}

#[test]
fn only_an_active_physician_prescribes() {
	ExtBuilder.build_and_execute(|| {
		for who in [NURSE, PHARMACIST_A, MALLORY] {
			assert_noop!(
				Prescriptions::prescribe(
					RuntimeOrigin::signed(who),
					RX,
					REQUEST,
					SCHEDULE,
					COUNTER,
					1,
					10
				),
				Error::<Test>::NotPrescriber
			);
		}
		directory::set_inactive(DOC);
		assert_noop!(
			Prescriptions::prescribe(
				RuntimeOrigin::signed(DOC),
				RX,
				REQUEST,
				SCHEDULE,
				COUNTER,
				1,
				10
			),
			Error::<Test>::NotPrescriber
		);
	});
}

#[test]
fn fills_and_validity_stay_in_bounds() {
	ExtBuilder.build_and_execute(|| {
		let issue = |fills, valid_for| {
			Prescriptions::prescribe(
				RuntimeOrigin::signed(DOC),
				RX,
				REQUEST,
				SCHEDULE,
				COUNTER,
				fills,
				valid_for,
			)
		};
		assert_noop!(issue(0, 10), Error::<Test>::BadFillCount);
		assert_noop!(issue(MAX_FILLS + 1, 10), Error::<Test>::BadFillCount);
		assert_noop!(issue(1, 0), Error::<Test>::BadValidity);
		assert_noop!(issue(1, MAX_VALIDITY + 1), Error::<Test>::BadValidity);
		assert_ok!(issue(MAX_FILLS, MAX_VALIDITY));
	});
}

#[test]
fn an_id_is_used_once() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 10);
		assert_noop!(
			Prescriptions::prescribe(
				RuntimeOrigin::signed(DOC),
				RX,
				[9; 32],
				SCHEDULE,
				COUNTER,
				2,
				10
			),
			Error::<Test>::AlreadyExists
		);
	});
}

#[test]
fn the_prescriber_or_their_organisations_admin_cancels() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 10);
		assert_ok!(Prescriptions::cancel_prescription(RuntimeOrigin::signed(DOC), RX));
		assert_eq!(Stored::<Test>::get(RX).unwrap().status, PrescriptionStatus::Cancelled);
		assert_eq!(
			last_event(),
			Event::PrescriptionCancelled { prescription: RX, by: DOC, dropped_pending: false }
		);
		assert_noop!(
			Prescriptions::cancel_prescription(RuntimeOrigin::signed(DOC), RX),
			Error::<Test>::Cancelled
		);

		let other = [0x12; 32];
		assert_ok!(Prescriptions::prescribe(
			RuntimeOrigin::signed(DOC),
			other,
			REQUEST,
			SCHEDULE,
			COUNTER,
			1,
			10
		));
		assert_ok!(Prescriptions::cancel_prescription(RuntimeOrigin::signed(ADMIN_A), other));
	});
}

#[test]
fn nobody_else_cancels() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 10);
		for who in [NURSE, PHARMACIST_A, MALLORY, COUNTER] {
			assert_noop!(
				Prescriptions::cancel_prescription(RuntimeOrigin::signed(who), RX),
				Error::<Test>::NotAuthorized
			);
		}
		assert_noop!(
			Prescriptions::cancel_prescription(RuntimeOrigin::signed(DOC), [0; 32]),
			Error::<Test>::NotFound
		);
	});
}

#[test]
fn a_completed_prescription_is_not_cancelled() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 10);
		stock(PHARMACY_A, PHARMACIST_A);
		reserve_chosen(RX, PHARMACIST_A, PHARMACY_A, 0);
		dispense_from_batch(RX, PHARMACIST_A, DISPENSE, true);
		assert_noop!(
			Prescriptions::cancel_prescription(RuntimeOrigin::signed(DOC), RX),
			Error::<Test>::Completed
		);
	});
}

#[test]
fn cancelling_drops_a_reserved_fill_and_stops_dispensing() {
	ExtBuilder.build_and_execute(|| {
		prescribe(2, 10);
		stock(PHARMACY_A, PHARMACIST_A);
		reserve_chosen(RX, PHARMACIST_A, PHARMACY_A, 0);
		dispense_from_batch(RX, PHARMACIST_A, DISPENSE, false);
		assert_ok!(Prescriptions::cancel_prescription(RuntimeOrigin::signed(DOC), RX));
		assert_eq!(
			last_event(),
			Event::PrescriptionCancelled { prescription: RX, by: DOC, dropped_pending: true }
		);
		assert_eq!(Stored::<Test>::get(RX).unwrap().pending, None);
		assert_noop!(
			Prescriptions::dispense(RuntimeOrigin::signed(PHARMACIST_A), RX, BATCH, DISPENSE, true),
			Error::<Test>::Cancelled
		);
		assert_noop!(
			Prescriptions::reserve_fill(
				RuntimeOrigin::signed(PHARMACIST_A),
				RX,
				Some(choice(RX, PHARMACY_A, 1))
			),
			Error::<Test>::Cancelled
		);
	});
}
