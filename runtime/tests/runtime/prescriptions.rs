//! Prescriptions through the real runtime (no mocks): the council licenses a manufacturer, whose
//! batch travels to a pharmacy; a physician prescribes two fills for a patient's one-time key;
//! the patient's key (a real sr25519 signature over the chain's genesis hash) chooses pharmacy A,
//! and pharmacy B, handed a code of its own while A's fill is pending, is refused; A dispenses
//! from the batch; the batch is recalled, after which it is refused at the counter and the
//! runtime API traces it to the dispense. Afterwards neither the medicine, its product code,
//! batch number nor schedule class is anywhere in storage or in the events (the patient is
//! named nowhere either: only the one-time key stands for them).

use crate::common::{chain_bytes, contains, dispatch, join, new_ext, NOW_SECS};
use medchain_primitives::{OrganisationKind, PractitionerRole};
use medchain_runtime::{
	genesis_config_presets::DEVELOPMENT_PRESET, AccountId, Prescriptions, Runtime, RuntimeCall,
	RuntimeOrigin, System, DAYS,
};
use pallet_prescriptions::{Error, Holder, PrescriptionStatus, SupplierKind};
use pallet_prescriptions_runtime_api::choice_message;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	pallet_timestamp, sp_core,
	sp_core::Pair,
	sp_io::hashing::blake2_256,
	sp_keyring::Sr25519Keyring,
	sp_runtime::MultiSignature,
};

/// What the MedicationRequest and the pack's label say: never on chain.
const MEDICATION: &str = "Oxycodone hydrochloride 10 mg prolonged-release tablets";
/// The pack's GTIN (product code) and batch number.
const PRODUCT_CODE: &str = "05012345678900";
const BATCH_NUMBER: &str = "OXY-2026-117";
/// The controlled-substance class the prescription states.
const SCHEDULE: &str = "CD2-POM";

/// A salted commitment, as the client makes them.
fn commit(salt: u8, text: &str) -> [u8; 32] {
	blake2_256(&[&[salt; 16][..], text.as_bytes()].concat())
}

/// Registers organisation `id` (the next one) of `kind` administered by `admin`.
fn organisation(id: u32, kind: OrganisationKind, admin: &AccountId) {
	dispatch(
		RuntimeCall::Directory(pallet_directory::Call::register_organisation {
			kind,
			admin: admin.clone().into(),
			name: format!("Organisation {id}").into_bytes().try_into().unwrap(),
		}),
		RuntimeOrigin::root(),
	);
}

#[test]
fn a_fill_is_dispensed_once_at_the_chosen_pharmacy_and_a_recall_finds_it() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(NOW_SECS * 1000);
		let account = |k: Sr25519Keyring| k.to_account_id();
		let (admin, physician) = (account(Sr25519Keyring::Bob), account(Sr25519Keyring::Charlie));
		let (admin_a, pharmacist_a) = (account(Sr25519Keyring::Dave), account(Sr25519Keyring::Eve));
		let (admin_b, pharmacist_b) =
			(account(Sr25519Keyring::Ferdie), account(Sr25519Keyring::One));
		let manufacturer = account(Sr25519Keyring::Two);
		organisation(0, OrganisationKind::Hospital, &admin);
		join(&admin, 0, &physician, PractitionerRole::Physician);
		let (pharmacy_a, pharmacy_b) = (1, 2);
		organisation(pharmacy_a, OrganisationKind::Pharmacy, &admin_a);
		join(&admin_a, pharmacy_a, &pharmacist_a, PractitionerRole::Pharmacist);
		organisation(pharmacy_b, OrganisationKind::Pharmacy, &admin_b);
		join(&admin_b, pharmacy_b, &pharmacist_b, PractitionerRole::Pharmacist);

		// The regulator (the council; root here) licenses the manufacturer, whose batch goes
		// to pharmacy A.
		dispatch(
			RuntimeCall::Prescriptions(pallet_prescriptions::Call::license_supplier {
				supplier: manufacturer.clone(),
				kind: SupplierKind::Manufacturer,
			}),
			RuntimeOrigin::root(),
		);
		let batch =
			blake2_256(&[PRODUCT_CODE, BATCH_NUMBER, "manufacturer salt"].concat().into_bytes());
		dispatch(
			RuntimeCall::Prescriptions(pallet_prescriptions::Call::register_batch {
				batch,
				product: commit(1, PRODUCT_CODE),
				expiry: commit(2, "2028-06-30"),
			}),
			RuntimeOrigin::signed(manufacturer.clone()),
		);
		dispatch(
			RuntimeCall::Prescriptions(pallet_prescriptions::Call::ship_batch {
				batch,
				to: Holder::Pharmacy(pharmacy_a),
			}),
			RuntimeOrigin::signed(manufacturer.clone()),
		);
		dispatch(
			RuntimeCall::Prescriptions(pallet_prescriptions::Call::receive_batch { batch }),
			RuntimeOrigin::signed(pharmacist_a.clone()),
		);

		// Two fills for a month, for a one-time key whose secret only the patient's copy holds.
		let counter = sp_core::sr25519::Pair::from_seed(&[9; 32]);
		let counter_key = AccountId::from(counter.public());
		let rx = [0x5a; 32];
		dispatch(
			RuntimeCall::Prescriptions(pallet_prescriptions::Call::prescribe {
				prescription: rx,
				request: commit(3, MEDICATION),
				schedule: commit(4, SCHEDULE),
				counter_key,
				fills: 2,
				valid_for: 30 * DAYS,
			}),
			RuntimeOrigin::signed(physician.clone()),
		);

		// The patient's code for pharmacy A (their first choice) over this chain's genesis.
		let genesis = System::block_hash(0);
		let code = |pharmacy: u32, nonce: u32| {
			MultiSignature::Sr25519(counter.sign(&choice_message(
				genesis.as_ref(),
				&rx,
				pharmacy,
				nonce,
			)))
		};
		// A code signed for another chain (another genesis hash) chooses nothing.
		let foreign =
			MultiSignature::Sr25519(counter.sign(&choice_message(&[0x11; 32], &rx, pharmacy_a, 0)));
		assert_noop!(
			Prescriptions::reserve_fill(
				RuntimeOrigin::signed(pharmacist_a.clone()),
				rx,
				Some(foreign)
			),
			Error::<Runtime>::BadSignature
		);
		dispatch(
			RuntimeCall::Prescriptions(pallet_prescriptions::Call::reserve_fill {
				prescription: rx,
				choice: Some(code(pharmacy_a, 0)),
			}),
			RuntimeOrigin::signed(pharmacist_a.clone()),
		);
		// Pharmacy B, handed the patient's next code while A's fill is pending, is refused.
		assert_noop!(
			Prescriptions::reserve_fill(
				RuntimeOrigin::signed(pharmacist_b.clone()),
				rx,
				Some(code(pharmacy_b, 1)),
			),
			Error::<Runtime>::FillPending
		);
		dispatch(
			RuntimeCall::Prescriptions(pallet_prescriptions::Call::dispense {
				prescription: rx,
				batch,
				dispense: commit(5, "MedicationDispense 28 tablets"),
				completes_fill: true,
			}),
			RuntimeOrigin::signed(pharmacist_a.clone()),
		);
		let p = Prescriptions::prescription(rx).unwrap();
		assert_eq!((p.fills_dispensed, p.dispenses, p.status), (1, 1, PrescriptionStatus::Active));
		assert_eq!(p.pending, None);

		// The manufacturer recalls the batch: it is refused at the counter, and the runtime API
		// traces it to the dispense (the pharmacy then tells the patient through their copy).
		dispatch(
			RuntimeCall::Prescriptions(pallet_prescriptions::Call::recall_batch {
				batch,
				notice: commit(6, "recall notice"),
			}),
			RuntimeOrigin::signed(manufacturer.clone()),
		);
		assert_ok!(Prescriptions::reserve_fill(
			RuntimeOrigin::signed(pharmacist_a.clone()),
			rx,
			None
		));
		assert_noop!(
			Prescriptions::dispense(
				RuntimeOrigin::signed(pharmacist_a.clone()),
				rx,
				batch,
				commit(7, "MedicationDispense 28 tablets"),
				true,
			),
			Error::<Runtime>::BatchRecalled
		);
		assert_eq!(Prescriptions::dispenses_of_batch(batch, 0, 10), vec![(rx, 0)]);
		assert!(Prescriptions::batch(batch).unwrap().recall.is_some());

		// Nothing of the medicine, its code or class on chain.
		let items = chain_bytes();
		for needle in [MEDICATION, "Oxycodone", PRODUCT_CODE, BATCH_NUMBER, SCHEDULE, "2028-06-30"]
		{
			assert!(
				!items.iter().any(|item| contains(item, needle.as_bytes())),
				"{needle:?} is readable on chain"
			);
		}
	});
}
