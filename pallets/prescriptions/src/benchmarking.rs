//! Benchmarks for `pallet_prescriptions`: one per call, each at its worst case (a reservation
//! that checks the patient's signature and moves a stale reservation; a dispense that completes
//! the last fill; a recall by the manufacturer). They run as unit tests too
//! (`cargo test -p pallet-prescriptions --features runtime-benchmarks`).
//!
//! The directory must know the physician and the pharmacists: [`Config::BenchmarkHelper`] sets
//! them up, and signs as the patient's one-time key.

use super::*;
use crate::Pallet as Prescriptions;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;

const SEED: u32 = 0;
const RX: PrescriptionId = [0x11; 32];
const BATCH: BatchId = [0xba; 32];

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(event.into());
}

/// A physician prescribes [`RX`] with the most fills and the longest validity, for the helper's
/// one-time key; returns the physician.
fn prescribed<T: Config>() -> T::AccountId {
	let admin: T::AccountId = account("admin", 0, SEED);
	let physician: T::AccountId = account("physician", 0, SEED);
	T::BenchmarkHelper::setup_physician(&admin, &physician).unwrap();
	let (counter, _) = T::BenchmarkHelper::sign(b"");
	Prescriptions::<T>::prescribe(
		RawOrigin::Signed(physician.clone()).into(),
		RX,
		[1; 32],
		[2; 32],
		counter,
		T::MaxFills::get(),
		T::MaxValidity::get(),
	)
	.unwrap();
	physician
}

/// A pharmacist of a pharmacy set up by the helper; returns them and the pharmacy.
fn pharmacist<T: Config>(index: u32) -> (T::AccountId, OrganisationId) {
	let admin: T::AccountId = account("pharmacy-admin", index, SEED);
	let who: T::AccountId = account("pharmacist", index, SEED);
	let pharmacy = T::BenchmarkHelper::setup_pharmacist(&admin, &who).unwrap();
	(who, pharmacy)
}

/// The patient's one-time key's choice of `pharmacy` for [`RX`] at its `nonce`-th choice.
fn choice<T: Config>(pharmacy: OrganisationId, nonce: u32) -> T::Signature {
	T::BenchmarkHelper::sign(&Prescriptions::<T>::choice_message(&RX, pharmacy, nonce)).1
}

/// A licensed manufacturer that registered [`BATCH`]; returns it.
fn registered<T: Config>() -> T::AccountId {
	let manufacturer: T::AccountId = account("manufacturer", 0, SEED);
	Suppliers::<T>::insert(&manufacturer, SupplierKind::Manufacturer);
	Prescriptions::<T>::register_batch(
		RawOrigin::Signed(manufacturer.clone()).into(),
		BATCH,
		[3; 32],
		[4; 32],
	)
	.unwrap();
	manufacturer
}

/// [`BATCH`] shipped by its manufacturer to `pharmacy` and received there by `pharmacist`.
fn stocked<T: Config>(
	manufacturer: &T::AccountId,
	pharmacist: &T::AccountId,
	pharmacy: OrganisationId,
) {
	Prescriptions::<T>::ship_batch(
		RawOrigin::Signed(manufacturer.clone()).into(),
		BATCH,
		Holder::Pharmacy(pharmacy),
	)
	.unwrap();
	Prescriptions::<T>::receive_batch(RawOrigin::Signed(pharmacist.clone()).into(), BATCH).unwrap();
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn prescribe() {
		let admin: T::AccountId = account("admin", 0, SEED);
		let physician: T::AccountId = account("physician", 0, SEED);
		let organisation = T::BenchmarkHelper::setup_physician(&admin, &physician).unwrap();
		let (counter, _) = T::BenchmarkHelper::sign(b"");
		let fills = T::MaxFills::get();
		let valid_for = T::MaxValidity::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(physician.clone()), RX, [1; 32], [2; 32], counter, fills, valid_for);

		let valid_until = frame_system::Pallet::<T>::block_number().saturating_add(valid_for);
		assert_last_event::<T>(Event::Prescribed {
			prescription: RX,
			prescriber: physician,
			organisation,
			fills,
			valid_until,
		});
	}

	/// The worst case: a stale reservation elsewhere moved by the patient's new choice (a
	/// signature checked).
	#[benchmark]
	fn reserve_fill() {
		prescribed::<T>();
		let (first, first_pharmacy) = pharmacist::<T>(0);
		Prescriptions::<T>::reserve_fill(
			RawOrigin::Signed(first).into(),
			RX,
			Some(choice::<T>(first_pharmacy, 0)),
		)
		.unwrap();
		let later = frame_system::Pallet::<T>::block_number()
			.saturating_add(T::PendingLifetime::get())
			.saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(later);
		let (second, pharmacy) = pharmacist::<T>(1);
		let signature = choice::<T>(pharmacy, 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(second), RX, Some(signature));

		assert_last_event::<T>(Event::FillReserved {
			prescription: RX,
			fill: 1,
			pharmacy,
			chosen_now: true,
		});
	}

	/// The worst case: the part that completes the last fill (the prescription completes).
	#[benchmark]
	fn dispense() {
		prescribed::<T>();
		let manufacturer = registered::<T>();
		let (who, pharmacy) = pharmacist::<T>(0);
		stocked::<T>(&manufacturer, &who, pharmacy);
		let fills = T::MaxFills::get();
		// Every fill but the last dispensed already.
		crate::Prescriptions::<T>::mutate(RX, |p| {
			p.as_mut().unwrap().fills_dispensed = fills.saturating_sub(1)
		});
		Prescriptions::<T>::reserve_fill(
			RawOrigin::Signed(who.clone()).into(),
			RX,
			Some(choice::<T>(pharmacy, 0)),
		)
		.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), RX, BATCH, [5; 32], true);

		assert_eq!(
			crate::Prescriptions::<T>::get(RX).unwrap().status,
			PrescriptionStatus::Completed
		);
		assert_last_event::<T>(Event::Dispensed {
			prescription: RX,
			fill: fills,
			part: 1,
			completes_fill: true,
			pharmacy,
			batch: BATCH,
		});
	}

	#[benchmark]
	fn release_fill() {
		prescribed::<T>();
		let (who, pharmacy) = pharmacist::<T>(0);
		Prescriptions::<T>::reserve_fill(
			RawOrigin::Signed(who.clone()).into(),
			RX,
			Some(choice::<T>(pharmacy, 0)),
		)
		.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), RX);

		assert_last_event::<T>(Event::FillReleased { prescription: RX, fill: 1, pharmacy });
	}

	/// The worst case: a reserved fill dropped with it.
	#[benchmark]
	fn cancel_prescription() {
		let physician = prescribed::<T>();
		let (who, pharmacy) = pharmacist::<T>(0);
		Prescriptions::<T>::reserve_fill(
			RawOrigin::Signed(who).into(),
			RX,
			Some(choice::<T>(pharmacy, 0)),
		)
		.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(physician.clone()), RX);

		assert_last_event::<T>(Event::PrescriptionCancelled {
			prescription: RX,
			by: physician,
			dropped_pending: true,
		});
	}

	#[benchmark]
	fn license_supplier() -> Result<(), BenchmarkError> {
		let origin =
			T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let supplier: T::AccountId = account("supplier", 0, SEED);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, supplier.clone(), SupplierKind::Wholesaler);

		assert_last_event::<T>(Event::SupplierLicensed {
			supplier,
			kind: SupplierKind::Wholesaler,
		});
		Ok(())
	}

	#[benchmark]
	fn revoke_supplier() -> Result<(), BenchmarkError> {
		let origin =
			T::RegulatorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let supplier: T::AccountId = account("supplier", 0, SEED);
		Suppliers::<T>::insert(&supplier, SupplierKind::Wholesaler);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, supplier.clone());

		assert_last_event::<T>(Event::SupplierRevoked { supplier });
		Ok(())
	}

	#[benchmark]
	fn register_batch() {
		let manufacturer: T::AccountId = account("manufacturer", 0, SEED);
		Suppliers::<T>::insert(&manufacturer, SupplierKind::Manufacturer);

		#[extrinsic_call]
		_(RawOrigin::Signed(manufacturer.clone()), BATCH, [3; 32], [4; 32]);

		assert_last_event::<T>(Event::BatchRegistered { batch: BATCH, manufacturer });
	}

	/// The worst case: a pharmacist shipping on to another pharmacy (the directory asked, the
	/// supplier list read first).
	#[benchmark]
	fn ship_batch() {
		let manufacturer = registered::<T>();
		let (who, pharmacy) = pharmacist::<T>(0);
		stocked::<T>(&manufacturer, &who, pharmacy);
		let to = Holder::Pharmacy(pharmacy.saturating_add(1));

		#[extrinsic_call]
		_(RawOrigin::Signed(who), BATCH, to.clone());

		assert_last_event::<T>(Event::BatchShipped {
			batch: BATCH,
			from: Holder::Pharmacy(pharmacy),
			to,
		});
	}

	/// The worst case: a pharmacist receiving (the supplier list read, then the directory asked).
	#[benchmark]
	fn receive_batch() {
		let manufacturer = registered::<T>();
		let (who, pharmacy) = pharmacist::<T>(0);
		Prescriptions::<T>::ship_batch(
			RawOrigin::Signed(manufacturer.clone()).into(),
			BATCH,
			Holder::Pharmacy(pharmacy),
		)
		.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), BATCH);

		assert_last_event::<T>(Event::BatchReceived {
			batch: BATCH,
			from: Holder::Supplier(manufacturer),
			to: Holder::Pharmacy(pharmacy),
		});
	}

	/// The worst case: a pharmacist cancelling (the supplier list read, then the directory asked).
	#[benchmark]
	fn cancel_shipment() {
		let manufacturer = registered::<T>();
		let (who, pharmacy) = pharmacist::<T>(0);
		stocked::<T>(&manufacturer, &who, pharmacy);
		let to = Holder::Pharmacy(pharmacy.saturating_add(1));
		Prescriptions::<T>::ship_batch(RawOrigin::Signed(who.clone()).into(), BATCH, to.clone())
			.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(who), BATCH, to.clone());

		assert_last_event::<T>(Event::ShipmentCancelled {
			batch: BATCH,
			from: Holder::Pharmacy(pharmacy),
			to,
		});
	}

	/// By the manufacturer (the regulator's origin tried first).
	#[benchmark]
	fn recall_batch() {
		let manufacturer = registered::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(manufacturer), BATCH, [6; 32]);

		assert_last_event::<T>(Event::BatchRecalled {
			batch: BATCH,
			notice: [6; 32],
			dispenses: 0,
		});
	}

	impl_benchmark_test_suite!(
		Prescriptions,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
