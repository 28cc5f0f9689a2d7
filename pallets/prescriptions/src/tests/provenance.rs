//! Medicine provenance: suppliers licensed by the regulator, batches registered, shipped and
//! received step by step, recalled and traced to the prescriptions that received them.

use super::mock::*;
use crate::{
	Batches, Custody, CustodyStep, Error, Event, Holder, Recall, Shipments, SupplierKind, Suppliers,
};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn ship(who: u64, to: Holder<u64>) -> sp_runtime::DispatchResult {
	Prescriptions::ship_batch(RuntimeOrigin::signed(who), BATCH, to)
}

fn receive(who: u64) -> sp_runtime::DispatchResult {
	Prescriptions::receive_batch(RuntimeOrigin::signed(who), BATCH)
}

#[test]
fn the_regulator_licenses_and_revokes_suppliers() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Prescriptions::license_supplier(
			RuntimeOrigin::root(),
			WHOLESALER,
			SupplierKind::Wholesaler
		));
		assert_eq!(Suppliers::<Test>::get(WHOLESALER), Some(SupplierKind::Wholesaler));
		assert_eq!(
			last_event(),
			Event::SupplierLicensed { supplier: WHOLESALER, kind: SupplierKind::Wholesaler }
		);
		assert_noop!(
			Prescriptions::license_supplier(
				RuntimeOrigin::root(),
				WHOLESALER,
				SupplierKind::Manufacturer
			),
			Error::<Test>::AlreadySupplier
		);
		assert_ok!(Prescriptions::revoke_supplier(RuntimeOrigin::root(), WHOLESALER));
		assert_eq!(Suppliers::<Test>::get(WHOLESALER), None);
		assert_eq!(last_event(), Event::SupplierRevoked { supplier: WHOLESALER });
		assert_noop!(
			Prescriptions::revoke_supplier(RuntimeOrigin::root(), WHOLESALER),
			Error::<Test>::NotSupplier
		);
	});
}

#[test]
fn nobody_but_the_regulator_licenses() {
	ExtBuilder.build_and_execute(|| {
		license_suppliers();
		for who in [MANUFACTURER, ADMIN_A, MALLORY] {
			assert_noop!(
				Prescriptions::license_supplier(
					RuntimeOrigin::signed(who),
					MALLORY,
					SupplierKind::Manufacturer
				),
				DispatchError::BadOrigin
			);
			assert_noop!(
				Prescriptions::revoke_supplier(RuntimeOrigin::signed(who), WHOLESALER),
				DispatchError::BadOrigin
			);
		}
	});
}

#[test]
fn a_manufacturer_registers_a_batch_it_then_holds() {
	ExtBuilder.build_and_execute(|| {
		license_suppliers();
		run_to(3);
		register(BATCH);
		let b = Batches::<Test>::get(BATCH).unwrap();
		assert_eq!((b.manufacturer, b.product, b.expiry), (MANUFACTURER, [1; 32], [2; 32]));
		assert_eq!((b.registered_at, b.holders, b.dispenses, b.recall), (3, 1, 0, None));
		assert_eq!(
			Custody::<Test>::get(BATCH, Holder::Supplier(MANUFACTURER)),
			Some(CustodyStep { from: None, at: 3 })
		);
		assert_eq!(
			last_event(),
			Event::BatchRegistered { batch: BATCH, manufacturer: MANUFACTURER }
		);
		assert_noop!(
			Prescriptions::register_batch(
				RuntimeOrigin::signed(MANUFACTURER_B),
				BATCH,
				[3; 32],
				[4; 32]
			),
			Error::<Test>::BatchExists
		);
	});
}

#[test]
fn only_a_licensed_manufacturer_registers() {
	ExtBuilder.build_and_execute(|| {
		license_suppliers();
		for who in [WHOLESALER, PHARMACIST_A, MALLORY] {
			assert_noop!(
				Prescriptions::register_batch(RuntimeOrigin::signed(who), BATCH, [1; 32], [2; 32]),
				Error::<Test>::NotManufacturer
			);
		}
		assert_ok!(Prescriptions::revoke_supplier(RuntimeOrigin::root(), MANUFACTURER));
		assert_noop!(
			Prescriptions::register_batch(
				RuntimeOrigin::signed(MANUFACTURER),
				BATCH,
				[1; 32],
				[2; 32]
			),
			Error::<Test>::NotManufacturer
		);
	});
}

#[test]
fn custody_moves_by_signed_steps_from_maker_to_wholesaler_to_pharmacies() {
	ExtBuilder.build_and_execute(|| {
		license_suppliers();
		register(BATCH);
		run_to(4);
		assert_ok!(ship(MANUFACTURER, Holder::Supplier(WHOLESALER)));
		assert_eq!(
			Shipments::<Test>::get(BATCH, Holder::Supplier(WHOLESALER)),
			Some(Holder::Supplier(MANUFACTURER))
		);
		assert_eq!(
			last_event(),
			Event::BatchShipped {
				batch: BATCH,
				from: Holder::Supplier(MANUFACTURER),
				to: Holder::Supplier(WHOLESALER)
			}
		);
		run_to(5);
		assert_ok!(receive(WHOLESALER));
		assert_eq!(Shipments::<Test>::get(BATCH, Holder::Supplier(WHOLESALER)), None);
		assert_eq!(
			Custody::<Test>::get(BATCH, Holder::Supplier(WHOLESALER)),
			Some(CustodyStep { from: Some(Holder::Supplier(MANUFACTURER)), at: 5 })
		);
		assert_eq!(
			last_event(),
			Event::BatchReceived {
				batch: BATCH,
				from: Holder::Supplier(MANUFACTURER),
				to: Holder::Supplier(WHOLESALER)
			}
		);
		// The wholesaler ships to pharmacy A, which passes part of it on to pharmacy B.
		assert_ok!(ship(WHOLESALER, Holder::Pharmacy(PHARMACY_A)));
		assert_ok!(receive(PHARMACIST_A2));
		assert_ok!(ship(PHARMACIST_A, Holder::Pharmacy(PHARMACY_B)));
		assert_ok!(receive(PHARMACIST_B));
		assert_eq!(
			Custody::<Test>::get(BATCH, Holder::Pharmacy(PHARMACY_B)).unwrap().from,
			Some(Holder::Pharmacy(PHARMACY_A))
		);
		// Everyone on the way still holds part of it.
		assert_eq!(Batches::<Test>::get(BATCH).unwrap().holders, 4);
	});
}

#[test]
fn shipping_is_refused_with_what_is_wrong() {
	ExtBuilder.build_and_execute(|| {
		license_suppliers();
		assert_noop!(
			ship(MANUFACTURER, Holder::Supplier(WHOLESALER)),
			Error::<Test>::BatchNotFound
		);
		register(BATCH);
		// Not holding it: another manufacturer, a pharmacy that never received it, an outsider.
		for who in [MANUFACTURER_B, WHOLESALER, PHARMACIST_A, MALLORY] {
			assert_noop!(ship(who, Holder::Pharmacy(PHARMACY_B)), Error::<Test>::NotHolder);
		}
		assert_noop!(ship(MANUFACTURER, Holder::Supplier(MALLORY)), Error::<Test>::NotSupplier);
		assert_noop!(
			ship(MANUFACTURER, Holder::Supplier(MANUFACTURER)),
			Error::<Test>::AlreadyHeld
		);
		assert_ok!(ship(MANUFACTURER, Holder::Supplier(WHOLESALER)));
		assert_noop!(
			ship(MANUFACTURER, Holder::Supplier(WHOLESALER)),
			Error::<Test>::ShipmentExists
		);
		assert_ok!(receive(WHOLESALER));
		assert_noop!(ship(MANUFACTURER, Holder::Supplier(WHOLESALER)), Error::<Test>::AlreadyHeld);
		// A revoked wholesaler ships nothing more.
		assert_ok!(Prescriptions::revoke_supplier(RuntimeOrigin::root(), WHOLESALER));
		assert_noop!(ship(WHOLESALER, Holder::Pharmacy(PHARMACY_A)), Error::<Test>::NotHolder);
		assert_ok!(Prescriptions::recall_batch(RuntimeOrigin::root(), BATCH, [5; 32]));
		assert_noop!(
			ship(MANUFACTURER, Holder::Pharmacy(PHARMACY_A)),
			Error::<Test>::BatchRecalled
		);
	});
}

#[test]
fn receiving_is_refused_with_what_is_wrong() {
	ExtBuilder.build_and_execute(|| {
		license_suppliers();
		assert_noop!(receive(WHOLESALER), Error::<Test>::BatchNotFound);
		register(BATCH);
		for who in [MALLORY, DOC] {
			assert_noop!(receive(who), Error::<Test>::NotSupplierOrPharmacist);
		}
		assert_noop!(receive(WHOLESALER), Error::<Test>::ShipmentNotFound);
		assert_ok!(ship(MANUFACTURER, Holder::Pharmacy(PHARMACY_A)));
		// Shipped to pharmacy A: B's pharmacist and the wholesaler have nothing to receive.
		assert_noop!(receive(PHARMACIST_B), Error::<Test>::ShipmentNotFound);
		assert_noop!(receive(WHOLESALER), Error::<Test>::ShipmentNotFound);
		Batches::<Test>::mutate(BATCH, |b| b.as_mut().unwrap().holders = u32::MAX);
		assert_noop!(receive(PHARMACIST_A), Error::<Test>::Overflow);
		Batches::<Test>::mutate(BATCH, |b| b.as_mut().unwrap().holders = 1);
		assert_ok!(Prescriptions::recall_batch(
			RuntimeOrigin::signed(MANUFACTURER),
			BATCH,
			[5; 32]
		));
		assert_noop!(receive(PHARMACIST_A), Error::<Test>::BatchRecalled);
		// The shipment stays on record, never received.
		assert!(Shipments::<Test>::contains_key(BATCH, Holder::Pharmacy(PHARMACY_A)));
	});
}

#[test]
fn the_manufacturer_or_the_regulator_recalls_and_the_recall_finds_the_prescriptions() {
	ExtBuilder.build_and_execute(|| {
		prescribe(2, 50);
		stock(PHARMACY_A, PHARMACIST_A);
		reserve_chosen(RX, PHARMACIST_A, PHARMACY_A, 0);
		dispense_from_batch(RX, PHARMACIST_A, DISPENSE, true);
		assert_noop!(
			Prescriptions::recall_batch(RuntimeOrigin::signed(MANUFACTURER_B), BATCH, [5; 32]),
			Error::<Test>::NotManufacturer
		);
		assert_noop!(
			Prescriptions::recall_batch(RuntimeOrigin::signed(PHARMACIST_A), BATCH, [5; 32]),
			Error::<Test>::NotManufacturer
		);
		// Even with its licence revoked, the manufacturer recalls its own batch.
		assert_ok!(Prescriptions::revoke_supplier(RuntimeOrigin::root(), MANUFACTURER));
		run_to(7);
		assert_ok!(Prescriptions::recall_batch(
			RuntimeOrigin::signed(MANUFACTURER),
			BATCH,
			[5; 32]
		));
		assert_eq!(
			Batches::<Test>::get(BATCH).unwrap().recall,
			Some(Recall { at: 7, notice: [5; 32] })
		);
		assert_eq!(
			last_event(),
			Event::BatchRecalled { batch: BATCH, notice: [5; 32], dispenses: 1 }
		);
		assert_eq!(Prescriptions::dispenses_of_batch(BATCH, 0, 10), vec![(RX, 0)]);
		assert_eq!(Prescriptions::dispenses_of_batch(BATCH, 0, 0), vec![]);
		assert_eq!(Prescriptions::dispenses_of_batch(BATCH, 1, 10), vec![]);
		assert_noop!(
			Prescriptions::recall_batch(RuntimeOrigin::root(), BATCH, [6; 32]),
			Error::<Test>::AlreadyRecalled
		);
		assert_noop!(
			Prescriptions::recall_batch(RuntimeOrigin::root(), [0xcc; 32], [6; 32]),
			Error::<Test>::BatchNotFound
		);
	});
}

#[test]
fn the_regulator_recalls_any_batch() {
	ExtBuilder.build_and_execute(|| {
		license_suppliers();
		register(BATCH);
		assert_ok!(Prescriptions::recall_batch(RuntimeOrigin::root(), BATCH, [5; 32]));
		assert!(Batches::<Test>::get(BATCH).unwrap().recall.is_some());
	});
}

#[test]
fn the_sender_cancels_a_shipment_not_yet_received() {
	ExtBuilder.build_and_execute(|| {
		license_suppliers();
		register(BATCH);
		let to = Holder::Pharmacy(PHARMACY_B);
		assert_noop!(
			Prescriptions::cancel_shipment(RuntimeOrigin::signed(MANUFACTURER), BATCH, to),
			Error::<Test>::ShipmentNotFound
		);
		assert_ok!(ship(MANUFACTURER, to));
		for who in [MANUFACTURER_B, WHOLESALER, PHARMACIST_B, MALLORY] {
			assert_noop!(
				Prescriptions::cancel_shipment(RuntimeOrigin::signed(who), BATCH, to),
				Error::<Test>::NotSender
			);
		}
		assert_ok!(Prescriptions::cancel_shipment(RuntimeOrigin::signed(MANUFACTURER), BATCH, to));
		assert_eq!(
			last_event(),
			Event::ShipmentCancelled { batch: BATCH, from: Holder::Supplier(MANUFACTURER), to }
		);
		assert_eq!(Shipments::<Test>::get(BATCH, to), None);
		assert_noop!(receive(PHARMACIST_B), Error::<Test>::ShipmentNotFound);
		// The sender still holds it and may ship it again.
		assert_ok!(ship(MANUFACTURER, to));
	});
}
