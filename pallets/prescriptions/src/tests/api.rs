//! The queries the runtime API answers: a prescription, its dispenses, a batch, its custody and
//! the dispenses a recall traces, paged.

use super::mock::*;
use crate::{CustodyStep, Holder, PrescriptionStatus};
use frame_support::assert_ok;
use polkadot_sdk::*;

#[test]
fn a_prescription_and_its_dispenses_in_order() {
	ExtBuilder.build_and_execute(|| {
		assert_eq!(Prescriptions::prescription(RX), None);
		assert!(Prescriptions::dispenses(RX).is_empty());
		prescribe(2, 50);
		stock(PHARMACY_A, PHARMACIST_A);
		reserve_chosen(RX, PHARMACIST_A, PHARMACY_A, 0);
		dispense_from_batch(RX, PHARMACIST_A, DISPENSE, false);
		dispense_from_batch(RX, PHARMACIST_A2, [0x45; 32], true);
		let p = Prescriptions::prescription(RX).unwrap();
		assert_eq!((p.fills_dispensed, p.status), (1, PrescriptionStatus::Active));
		let dispenses = Prescriptions::dispenses(RX);
		assert_eq!(
			dispenses
				.iter()
				.map(|d| (d.fill, d.part, d.completes_fill, d.pharmacist))
				.collect::<Vec<_>>(),
			vec![(1, 1, false, PHARMACIST_A), (1, 2, true, PHARMACIST_A2)]
		);
		assert_eq!(dispenses[1].dispense, [0x45; 32]);
	});
}

#[test]
fn a_batch_its_custody_and_its_dispenses_come_in_pages() {
	ExtBuilder.build_and_execute(|| {
		assert_eq!(Prescriptions::batch(BATCH), None);
		assert!(Prescriptions::custody(BATCH, 0, 10).is_empty());
		stock(PHARMACY_A, PHARMACIST_A);
		deliver(BATCH, PHARMACY_B, PHARMACIST_B);
		assert_eq!(Prescriptions::batch(BATCH).unwrap().holders, 4);
		// Pages of at most MAX_PAGE_SIZE (2), whatever the limit asked.
		let first = Prescriptions::custody(BATCH, 0, 10);
		let second = Prescriptions::custody(BATCH, 2, 10);
		assert_eq!((first.len(), second.len()), (2, 2));
		assert!(Prescriptions::custody(BATCH, 4, 10).is_empty());
		let mut holders: Vec<_> = first.into_iter().chain(second).collect();
		holders.sort_by_key(|(holder, _)| *holder);
		assert_eq!(
			holders,
			vec![
				(Holder::Supplier(MANUFACTURER), CustodyStep { from: None, at: 1 }),
				(
					Holder::Supplier(WHOLESALER),
					CustodyStep { from: Some(Holder::Supplier(MANUFACTURER)), at: 1 }
				),
				(
					Holder::Pharmacy(PHARMACY_A),
					CustodyStep { from: Some(Holder::Supplier(WHOLESALER)), at: 1 }
				),
				(
					Holder::Pharmacy(PHARMACY_B),
					CustodyStep { from: Some(Holder::Supplier(WHOLESALER)), at: 1 }
				),
			]
		);

		// Three prescriptions dispensed from the batch: the recall finds all three, in pages.
		let ids = [[0x31; 32], [0x32; 32], [0x33; 32]];
		for id in ids {
			assert_ok!(Prescriptions::prescribe(
				RuntimeOrigin::signed(DOC),
				id,
				REQUEST,
				SCHEDULE,
				COUNTER,
				1,
				50
			));
			reserve_chosen(id, PHARMACIST_B, PHARMACY_B, 0);
			dispense_from_batch(id, PHARMACIST_B, DISPENSE, true);
		}
		let mut traced = Prescriptions::dispenses_of_batch(BATCH, 0, 2);
		assert_eq!(traced.len(), 2);
		traced.extend(Prescriptions::dispenses_of_batch(BATCH, 2, 2));
		traced.sort();
		assert_eq!(traced, ids.iter().map(|id| (*id, 0)).collect::<Vec<_>>());
	});
}
