//! Choosing a pharmacy, reserving a fill, dispensing it (whole or in parts), releasing it.

use super::mock::*;
use crate::{
	Batches, Dispense, Dispenses, Error, Event, PendingFill, PrescriptionStatus,
	Prescriptions as Stored,
};
use frame_support::{assert_noop, assert_ok};
use medchain_test_utils::directory;
use polkadot_sdk::*;
use sp_runtime::testing::TestSignature;

fn reserve(pharmacist: u64, choice: Option<TestSignature>) -> sp_runtime::DispatchResult {
	Prescriptions::reserve_fill(RuntimeOrigin::signed(pharmacist), RX, choice)
}

fn dispense(pharmacist: u64, completes_fill: bool) -> sp_runtime::DispatchResult {
	Prescriptions::dispense(RuntimeOrigin::signed(pharmacist), RX, BATCH, DISPENSE, completes_fill)
}

#[test]
fn two_fills_at_two_pharmacies_each_exactly_once_and_a_third_refused() {
	ExtBuilder.build_and_execute(|| {
		prescribe(2, 50);
		stock(PHARMACY_A, PHARMACIST_A);
		deliver(BATCH, PHARMACY_B, PHARMACIST_B);

		// The patient hands pharmacy A their code: it reserves the first fill.
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		assert_eq!(
			last_event(),
			Event::FillReserved {
				prescription: RX,
				fill: 1,
				pharmacy: PHARMACY_A,
				chosen_now: true
			}
		);
		// Pharmacy B, handed a code for itself while A's fill is pending, is refused: the fill
		// is dispensed once.
		assert_noop!(
			reserve(PHARMACIST_B, Some(choice(RX, PHARMACY_B, 1))),
			Error::<Test>::FillPending
		);
		assert_noop!(dispense(PHARMACIST_B, true), Error::<Test>::NotChosenPharmacy);
		run_to(2);
		assert_ok!(dispense(PHARMACIST_A, true));
		assert_eq!(
			last_event(),
			Event::Dispensed {
				prescription: RX,
				fill: 1,
				part: 1,
				completes_fill: true,
				pharmacy: PHARMACY_A,
				batch: BATCH
			}
		);
		assert_eq!(
			Dispenses::<Test>::get(RX, 0),
			Some(Dispense {
				fill: 1,
				part: 1,
				completes_fill: true,
				pharmacy: PHARMACY_A,
				pharmacist: PHARMACIST_A,
				batch: BATCH,
				dispense: DISPENSE,
				at: 2
			})
		);

		// The second fill, at B, with the patient's next choice.
		assert_ok!(reserve(PHARMACIST_B, Some(choice(RX, PHARMACY_B, 1))));
		assert_ok!(dispense(PHARMACIST_B, true));
		let p = Stored::<Test>::get(RX).unwrap();
		assert_eq!(
			(p.fills_dispensed, p.dispenses, p.status),
			(2, 2, PrescriptionStatus::Completed)
		);

		// A third is refused everywhere.
		assert_noop!(reserve(PHARMACIST_B, None), Error::<Test>::Completed);
		assert_noop!(
			reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 2))),
			Error::<Test>::Completed
		);
		assert_noop!(dispense(PHARMACIST_B, true), Error::<Test>::Completed);
	});
}

#[test]
fn a_chosen_pharmacy_reserves_again_without_a_new_choice_and_any_of_its_pharmacists_dispenses() {
	ExtBuilder.build_and_execute(|| {
		prescribe(2, 50);
		stock(PHARMACY_A, PHARMACIST_A);
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		assert_ok!(dispense(PHARMACIST_A2, true));
		assert_ok!(reserve(PHARMACIST_A2, None));
		assert_eq!(
			last_event(),
			Event::FillReserved {
				prescription: RX,
				fill: 2,
				pharmacy: PHARMACY_A,
				chosen_now: false
			}
		);
		assert_ok!(dispense(PHARMACIST_A, true));
	});
}

#[test]
fn only_the_patients_choice_lets_a_pharmacy_reserve() {
	ExtBuilder.build_and_execute(|| {
		prescribe(2, 50);
		assert_noop!(reserve(PHARMACIST_A, None), Error::<Test>::NoPharmacyChosen);
		// A code for another pharmacy, an old turn, or another key's signature is refused.
		assert_noop!(
			reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_B, 0))),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 1))),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			reserve(
				PHARMACIST_A,
				Some(TestSignature(MALLORY, Prescriptions::choice_message(&RX, PHARMACY_A, 0)))
			),
			Error::<Test>::BadSignature
		);
		assert_noop!(
			reserve(PHARMACIST_A, Some(choice([0x99; 32], PHARMACY_A, 0))),
			Error::<Test>::BadSignature
		);
		// Chosen A, B cannot reserve without a choice of its own.
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		assert_ok!(Prescriptions::release_fill(RuntimeOrigin::signed(PHARMACIST_A), RX));
		assert_noop!(reserve(PHARMACIST_B, None), Error::<Test>::NotChosenPharmacy);
		// A's code is used: replayed, it chooses nothing.
		assert_noop!(
			reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))),
			Error::<Test>::BadSignature
		);
	});
}

#[test]
fn only_an_active_pharmacist_reserves_dispenses_or_releases() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 50);
		stock(PHARMACY_A, PHARMACIST_A);
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		for who in [DOC, NURSE, MALLORY, MANUFACTURER] {
			assert_noop!(reserve(who, None), Error::<Test>::NotPharmacist);
			assert_noop!(dispense(who, true), Error::<Test>::NotPharmacist);
			assert_noop!(
				Prescriptions::release_fill(RuntimeOrigin::signed(who), RX),
				Error::<Test>::NotPharmacist
			);
		}
		directory::set_inactive(PHARMACIST_A);
		assert_noop!(dispense(PHARMACIST_A, true), Error::<Test>::NotPharmacist);
	});
}

#[test]
fn an_unknown_prescription_is_named_as_such() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(reserve(PHARMACIST_A, None), Error::<Test>::NotFound);
		assert_noop!(dispense(PHARMACIST_A, true), Error::<Test>::NotFound);
		assert_noop!(
			Prescriptions::release_fill(RuntimeOrigin::signed(PHARMACIST_A), RX),
			Error::<Test>::NotFound
		);
	});
}

#[test]
fn nothing_is_reserved_or_dispensed_after_expiry() {
	ExtBuilder.build_and_execute(|| {
		prescribe(2, 10);
		stock(PHARMACY_A, PHARMACIST_A);
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		run_to(11);
		// The last valid block.
		assert_ok!(dispense(PHARMACIST_A, true));
		run_to(12);
		assert_noop!(reserve(PHARMACIST_A, None), Error::<Test>::Expired);
		assert_noop!(
			reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 1))),
			Error::<Test>::Expired
		);
	});
}

#[test]
fn a_reserved_fill_is_not_dispensed_after_expiry() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 10);
		stock(PHARMACY_A, PHARMACIST_A);
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		run_to(12);
		assert_noop!(dispense(PHARMACIST_A, true), Error::<Test>::Expired);
	});
}

#[test]
fn a_fill_is_dispensed_in_parts_and_its_last_possible_part_completes_it() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 50);
		stock(PHARMACY_A, PHARMACIST_A);
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		assert_ok!(dispense(PHARMACIST_A, false));
		assert_ok!(dispense(PHARMACIST_A2, false));
		assert_eq!(
			Stored::<Test>::get(RX).unwrap().pending,
			Some(PendingFill {
				pharmacy: PHARMACY_A,
				pharmacist: PHARMACIST_A,
				since: 1,
				parts: 2
			})
		);
		// MAX_PARTS (3) is the last part: it must complete the fill.
		assert_noop!(dispense(PHARMACIST_A, false), Error::<Test>::TooManyParts);
		// Part of it is dispensed: it cannot be released.
		assert_noop!(
			Prescriptions::release_fill(RuntimeOrigin::signed(PHARMACIST_A), RX),
			Error::<Test>::PartsDispensed
		);
		assert_ok!(dispense(PHARMACIST_A, true));
		assert_eq!(
			last_event(),
			Event::Dispensed {
				prescription: RX,
				fill: 1,
				part: 3,
				completes_fill: true,
				pharmacy: PHARMACY_A,
				batch: BATCH
			}
		);
		let p = Stored::<Test>::get(RX).unwrap();
		assert_eq!(
			(p.fills_dispensed, p.dispenses, p.status),
			(1, 3, PrescriptionStatus::Completed)
		);
		assert_eq!(Batches::<Test>::get(BATCH).unwrap().dispenses, 3);
	});
}

#[test]
fn dispensing_needs_a_reservation_by_the_same_pharmacy() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 50);
		stock(PHARMACY_A, PHARMACIST_A);
		deliver(BATCH, PHARMACY_B, PHARMACIST_B);
		assert_noop!(dispense(PHARMACIST_A, true), Error::<Test>::NoFillPending);
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		assert_noop!(dispense(PHARMACIST_B, true), Error::<Test>::NotChosenPharmacy);
		assert_noop!(
			Prescriptions::release_fill(RuntimeOrigin::signed(PHARMACIST_B), RX),
			Error::<Test>::NotChosenPharmacy
		);
	});
}

#[test]
fn only_a_held_batch_that_is_not_recalled_is_dispensed() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 50);
		license_suppliers();
		register(BATCH);
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		// A counterfeit: no such batch.
		assert_noop!(
			Prescriptions::dispense(
				RuntimeOrigin::signed(PHARMACIST_A),
				RX,
				[0xcc; 32],
				DISPENSE,
				true
			),
			Error::<Test>::BatchNotFound
		);
		// A real batch the pharmacy never received.
		assert_noop!(dispense(PHARMACIST_A, true), Error::<Test>::BatchNotHeld);
		deliver(BATCH, PHARMACY_A, PHARMACIST_A);
		assert_ok!(Prescriptions::recall_batch(
			RuntimeOrigin::signed(MANUFACTURER),
			BATCH,
			[5; 32]
		));
		assert_noop!(dispense(PHARMACIST_A, true), Error::<Test>::BatchRecalled);
	});
}

#[test]
fn a_release_gives_the_fill_back() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 50);
		stock(PHARMACY_A, PHARMACIST_A);
		deliver(BATCH, PHARMACY_B, PHARMACIST_B);
		assert_noop!(
			Prescriptions::release_fill(RuntimeOrigin::signed(PHARMACIST_A), RX),
			Error::<Test>::NoFillPending
		);
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		assert_ok!(Prescriptions::release_fill(RuntimeOrigin::signed(PHARMACIST_A2), RX));
		assert_eq!(
			last_event(),
			Event::FillReleased { prescription: RX, fill: 1, pharmacy: PHARMACY_A }
		);
		assert_eq!(Stored::<Test>::get(RX).unwrap().pending, None);
		assert_ok!(reserve(PHARMACIST_B, Some(choice(RX, PHARMACY_B, 1))));
		assert_ok!(dispense(PHARMACIST_B, true));
	});
}

#[test]
fn a_stale_reservation_moves_with_the_patients_new_choice_only() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 50);
		stock(PHARMACY_A, PHARMACIST_A);
		deliver(BATCH, PHARMACY_B, PHARMACIST_B);
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		run_to(1 + PENDING_LIFETIME);
		assert_noop!(
			reserve(PHARMACIST_B, Some(choice(RX, PHARMACY_B, 1))),
			Error::<Test>::FillPending
		);
		run_to(2 + PENDING_LIFETIME);
		// Without the patient's choice, still nothing.
		assert_noop!(reserve(PHARMACIST_B, None), Error::<Test>::FillPending);
		assert_ok!(reserve(PHARMACIST_B, Some(choice(RX, PHARMACY_B, 1))));
		let events: Vec<_> = System::events().into_iter().rev().take(2).map(|r| r.event).collect();
		assert_eq!(
			events,
			vec![
				RuntimeEvent::Prescriptions(Event::FillReserved {
					prescription: RX,
					fill: 1,
					pharmacy: PHARMACY_B,
					chosen_now: true
				}),
				RuntimeEvent::Prescriptions(Event::FillReleased {
					prescription: RX,
					fill: 1,
					pharmacy: PHARMACY_A
				}),
			]
		);
		assert_noop!(dispense(PHARMACIST_A, true), Error::<Test>::NotChosenPharmacy);
		assert_ok!(dispense(PHARMACIST_B, true));
	});
}

#[test]
fn a_reservation_with_parts_dispensed_never_moves() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 90);
		stock(PHARMACY_A, PHARMACIST_A);
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		assert_ok!(dispense(PHARMACIST_A, false));
		run_to(50);
		assert_noop!(
			reserve(PHARMACIST_B, Some(choice(RX, PHARMACY_B, 1))),
			Error::<Test>::FillPending
		);
	});
}

#[test]
fn counters_that_would_overflow_refuse() {
	ExtBuilder.build_and_execute(|| {
		prescribe(1, 50);
		stock(PHARMACY_A, PHARMACIST_A);
		Stored::<Test>::mutate(RX, |p| p.as_mut().unwrap().choices = u32::MAX);
		assert_noop!(
			reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, u32::MAX))),
			Error::<Test>::Overflow
		);
		Stored::<Test>::mutate(RX, |p| {
			let p = p.as_mut().unwrap();
			p.choices = 0;
		});
		assert_ok!(reserve(PHARMACIST_A, Some(choice(RX, PHARMACY_A, 0))));
		let dispenses = Batches::<Test>::get(BATCH).unwrap().dispenses;
		Batches::<Test>::mutate(BATCH, |b| b.as_mut().unwrap().dispenses = u32::MAX);
		assert_noop!(dispense(PHARMACIST_A, true), Error::<Test>::Overflow);
		Batches::<Test>::mutate(BATCH, |b| b.as_mut().unwrap().dispenses = dispenses);
	});
}
