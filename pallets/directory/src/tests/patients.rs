//! Patients: registration and key rotation.

use super::mock::*;
use crate::{
	Error, Event, Patient, PatientByPseudonym, PatientCount, PatientKeyHistory, Patients,
	RetiredKey, RetiredPseudonyms,
};
use frame_support::{assert_noop, assert_ok};
use medchain_primitives::DirectoryInspect;
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn rotate(who: u64, key: u8) -> sp_runtime::DispatchResult {
	Directory::rotate_encryption_key(RuntimeOrigin::signed(who), b32(key))
}

#[test]
fn register_patient_records_the_patient_and_the_pseudonym() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Directory::register_patient(RuntimeOrigin::signed(ALICE), b32(1), b32(2)));
		assert_last_event(Event::PatientRegistered {
			patient: ALICE,
			pseudonym: b32(1),
			encryption_key: b32(2),
		});
		assert_eq!(
			Patients::<Test>::get(ALICE),
			Some(Patient {
				pseudonym: b32(1),
				encryption_key: b32(2),
				key_rotations: 0,
				key_set_at: 1,
				registered_at: 1,
			})
		);
		assert_eq!(PatientByPseudonym::<Test>::get(b32(1)), Some(ALICE));
		assert_eq!(PatientCount::<Test>::get(), 1);
		// The directory keeps the patient's account alive without funds, so that a patient
		// with a zero balance can sign their (free) calls.
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&ALICE), 1);
		assert!(frame_system::Pallet::<Test>::account_exists(&ALICE));
		register_patient(BOB, 3, 4);
		assert_eq!(PatientCount::<Test>::get(), 2);
	});
}

#[test]
fn register_patient_error_paths() {
	ExtBuilder.build_and_execute(|| {
		register_patient(ALICE, 1, 2);
		// The same patient twice (even with a fresh pseudonym).
		assert_noop!(
			Directory::register_patient(RuntimeOrigin::signed(ALICE), b32(5), b32(6)),
			Error::<Test>::AlreadyRegistered
		);
		// Another patient reusing a pseudonym.
		assert_noop!(
			Directory::register_patient(RuntimeOrigin::signed(BOB), b32(1), b32(6)),
			Error::<Test>::PseudonymTaken
		);
		assert_noop!(
			Directory::register_patient(RuntimeOrigin::signed(BOB), [0u8; 32], b32(6)),
			Error::<Test>::EmptyPseudonym
		);
		assert_noop!(
			Directory::register_patient(RuntimeOrigin::signed(BOB), b32(5), [0u8; 32]),
			Error::<Test>::EmptyEncryptionKey
		);
		assert_noop!(
			Directory::register_patient(RuntimeOrigin::root(), b32(5), b32(6)),
			DispatchError::BadOrigin
		);
		PatientCount::<Test>::put(u32::MAX);
		assert_noop!(
			Directory::register_patient(RuntimeOrigin::signed(BOB), b32(5), b32(6)),
			Error::<Test>::Overflow
		);
		PatientCount::<Test>::put(1);
	});
}

#[test]
fn rotate_encryption_key_keeps_a_bounded_history_newest_first() {
	ExtBuilder.build_and_execute(|| {
		register_patient(ALICE, 1, 2);

		System::set_block_number(5);
		assert_ok!(rotate(ALICE, 3));
		assert_last_event(Event::EncryptionKeyRotated {
			patient: ALICE,
			encryption_key: b32(3),
			rotation: 1,
		});
		let patient = Patients::<Test>::get(ALICE).unwrap();
		assert_eq!(
			(patient.encryption_key, patient.key_rotations, patient.key_set_at),
			(b32(3), 1, 5)
		);
		assert_eq!(
			PatientKeyHistory::<Test>::get(ALICE).map(|h| h.into_inner()),
			Some(vec![RetiredKey { key: b32(2), set_at: 1, retired_at: 5 }])
		);

		System::set_block_number(7);
		assert_ok!(rotate(ALICE, 4));
		System::set_block_number(9);
		assert_ok!(rotate(ALICE, 5));
		assert_last_event(Event::EncryptionKeyRotated {
			patient: ALICE,
			encryption_key: b32(5),
			rotation: 3,
		});
		// MAX_KEY_HISTORY is 2: the oldest key (b32(2)) was dropped.
		assert_eq!(
			PatientKeyHistory::<Test>::get(ALICE).map(|h| h.into_inner()),
			Some(vec![
				RetiredKey { key: b32(4), set_at: 7, retired_at: 9 },
				RetiredKey { key: b32(3), set_at: 5, retired_at: 7 },
			])
		);
		assert_eq!(Directory::patient_encryption_key(&ALICE), Some(b32(5)));
		// Going back to an old key is a rotation like any other.
		assert_ok!(rotate(ALICE, 3));
		assert_eq!(Patients::<Test>::get(ALICE).map(|p| p.key_rotations), Some(4));
	});
}

#[test]
fn rotate_encryption_key_error_paths() {
	ExtBuilder.build_and_execute(|| {
		register_patient(ALICE, 1, 2);
		assert_noop!(rotate(BOB, 3), Error::<Test>::PatientNotFound);
		assert_noop!(
			Directory::rotate_encryption_key(RuntimeOrigin::signed(ALICE), [0u8; 32]),
			Error::<Test>::EmptyEncryptionKey
		);
		assert_noop!(rotate(ALICE, 2), Error::<Test>::KeyUnchanged);
		assert_noop!(
			Directory::rotate_encryption_key(RuntimeOrigin::none(), b32(3)),
			DispatchError::BadOrigin
		);

		Patients::<Test>::mutate(ALICE, |p| {
			if let Some(p) = p {
				p.key_rotations = u32::MAX
			}
		});
		assert_noop!(rotate(ALICE, 3), Error::<Test>::Overflow);
		Patients::<Test>::mutate(ALICE, |p| {
			if let Some(p) = p {
				p.key_rotations = 0
			}
		});
	});
}

#[test]
fn a_patient_cannot_act_on_another_patients_record() {
	ExtBuilder.build_and_execute(|| {
		register_patient(ALICE, 1, 2);
		register_patient(BOB, 3, 4);

		// Bob's calls only ever touch Bob's record.
		assert_ok!(rotate(BOB, 9));
		assert_eq!(Directory::patient_encryption_key(&ALICE), Some(b32(2)));
		assert_eq!(Patients::<Test>::get(ALICE).map(|p| p.key_rotations), Some(0));
		assert!(!PatientKeyHistory::<Test>::contains_key(ALICE));

		// Nobody else can register under Alice's pseudonym.
		assert_noop!(
			Directory::register_patient(RuntimeOrigin::signed(MALLORY), b32(1), b32(7)),
			Error::<Test>::PseudonymTaken
		);
	});
}

#[test]
fn a_practitioner_may_also_be_a_patient() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		register_patient(DOC, 8, 9);
		assert!(Directory::is_patient(&DOC));
		assert_eq!(Directory::active_practitioner(&DOC).map(|p| p.organisation), Some(a));
	});
}

mod by_signature {
	//! Registration without funds: an unsigned transaction carrying the patient's signature.
	use super::*;
	use crate::{registration_message, Call, FreeRegistrations};
	use frame_support::pallet_prelude::{
		Authorize, InvalidTransaction, TransactionSource, TransactionValidityError,
	};
	use medchain_primitives::invalid_transaction;

	fn call(patient: u64, signer: u64, pseudonym: u8, key: u8) -> Call<Test> {
		let message = registration_message::<Test>(&b32(pseudonym), &b32(key));
		Call::register_patient_by_signature {
			patient,
			pseudonym: b32(pseudonym),
			encryption_key: b32(key),
			signature: TestSigner::sign_as(signer, &message),
		}
	}

	fn authorize(call: &Call<Test>) -> Result<(), TransactionValidityError> {
		call.authorize(TransactionSource::External).expect("the call authorizes").map(|_| ())
	}

	fn dispatch(call: Call<Test>) -> sp_runtime::DispatchResult {
		use sp_runtime::traits::Dispatchable;
		RuntimeCall::Directory(call)
			.dispatch(frame_system::RawOrigin::Authorized.into())
			.map(|_| ())
			.map_err(|e| e.error)
	}

	#[test]
	fn a_patient_registers_by_signature_without_funds() {
		ExtBuilder.build_and_execute(|| {
			let c = call(ALICE, ALICE, 1, 2);
			assert_ok!(authorize(&c));
			assert_ok!(dispatch(c));
			assert_last_event(Event::PatientRegistered {
				patient: ALICE,
				pseudonym: b32(1),
				encryption_key: b32(2),
			});
			assert!(Directory::is_patient(&ALICE));
			assert_eq!(frame_system::Pallet::<Test>::sufficients(&ALICE), 1);
			assert_eq!(FreeRegistrations::<Test>::get(), (1, 1));
		});
	}

	#[test]
	fn register_patient_by_signature_error_paths() {
		ExtBuilder.build_and_execute(|| {
			let code = |e: Error<Test>| Err(invalid_transaction(e));
			// Another account's signature, or a signature over another key.
			assert_eq!(authorize(&call(ALICE, BOB, 1, 2)), code(Error::BadSignature));
			let mut other_key = call(ALICE, ALICE, 1, 2);
			if let Call::register_patient_by_signature { encryption_key, .. } = &mut other_key {
				*encryption_key = b32(3);
			}
			assert_eq!(authorize(&other_key), code(Error::BadSignature));
			assert_eq!(authorize(&call(ALICE, ALICE, 0, 2)), code(Error::EmptyPseudonym));
			assert_eq!(authorize(&call(ALICE, ALICE, 1, 0)), code(Error::EmptyEncryptionKey));
			register_patient(BOB, 7, 8);
			assert_eq!(authorize(&call(BOB, BOB, 1, 2)), code(Error::AlreadyRegistered));
			assert_eq!(authorize(&call(ALICE, ALICE, 7, 2)), code(Error::PseudonymTaken));
			// Only as an authorized transaction: not signed, not root.
			assert_noop!(
				Directory::register_patient_by_signature(
					RuntimeOrigin::signed(ALICE),
					ALICE,
					b32(1),
					b32(2),
					TestSigner::sign_as(ALICE, b"")
				),
				DispatchError::BadOrigin
			);
			// Dispatched after another registration took the pseudonym: refused, nothing kept.
			let late = call(ALICE, ALICE, 7, 2);
			assert_noop!(dispatch(late), Error::<Test>::PseudonymTaken);
			assert!(!Directory::is_patient(&ALICE));
		});
	}

	#[test]
	fn l2_a_registration_signature_in_an_old_block_cannot_bring_a_deregistered_patient_back() {
		ExtBuilder.build_and_execute(|| {
			let first = call(ALICE, ALICE, 1, 2);
			assert_ok!(dispatch(first.clone()));
			assert_ok!(Directory::deregister_patient(RuntimeOrigin::signed(ALICE)));
			// Anyone holding the old registration (it is in a block body) replays it: refused,
			// in the pool and in a block.
			assert_eq!(authorize(&first), Err(invalid_transaction(Error::<Test>::PseudonymTaken)));
			assert_noop!(dispatch(first), Error::<Test>::PseudonymTaken);
			// The patient may come back under a new pseudonym.
			let again = call(ALICE, ALICE, 3, 4);
			assert_ok!(authorize(&again));
			assert_ok!(dispatch(again));
			assert_eq!(Patients::<Test>::get(ALICE).map(|p| p.pseudonym), Some(b32(3)));
		});
	}

	#[test]
	fn a_block_takes_only_so_many_free_registrations() {
		ExtBuilder.build_and_execute(|| {
			for who in 0..MAX_FREE_REGISTRATIONS {
				let who = 100 + u64::from(who);
				let c = call(who, who, who as u8, 2);
				assert_ok!(authorize(&c));
				assert_ok!(dispatch(c));
			}
			let next = call(ALICE, ALICE, 1, 2);
			assert_eq!(
				authorize(&next),
				Err(InvalidTransaction::ExhaustsResources.into()),
				"waits for a later block"
			);
			System::set_block_number(System::block_number() + 1);
			assert_ok!(authorize(&next));
			assert_ok!(dispatch(next));
			assert_eq!(FreeRegistrations::<Test>::get(), (System::block_number(), 1));
		});
	}
}

#[test]
fn the_registration_message_is_the_documented_bytes() {
	ExtBuilder.build_and_execute(|| {
		let genesis = frame_system::Pallet::<Test>::block_hash(0);
		let mut expected = b"medchain/register-patient/v1".to_vec();
		expected.extend_from_slice(genesis.as_ref());
		expected.extend_from_slice(&b32(1));
		expected.extend_from_slice(&b32(2));
		assert_eq!(crate::registration_message::<Test>(&b32(1), &b32(2)), expected);
	});
}

#[test]
fn l2_a_patient_deregisters_and_no_registration_is_left() {
	ExtBuilder.build_and_execute(|| {
		register_patient(ALICE, 1, 2);
		register_patient(BOB, 3, 4);
		assert_ok!(rotate(ALICE, 5));
		assert!(PatientKeyHistory::<Test>::contains_key(ALICE));
		// Records all erased and grants all ended: nothing refuses.
		PatientHoldings::set(ALICE, 0, 0);
		assert_ok!(Directory::deregister_patient(RuntimeOrigin::signed(ALICE)));
		assert_last_event(Event::PatientDeregistered { patient: ALICE });
		assert!(!Directory::is_patient(&ALICE));
		assert_eq!(Directory::patient_encryption_key(&ALICE), None);
		assert_eq!(Patients::<Test>::get(ALICE), None);
		assert_eq!(PatientByPseudonym::<Test>::get(b32(1)), None);
		assert!(!PatientKeyHistory::<Test>::contains_key(ALICE));
		assert!(RetiredPseudonyms::<Test>::contains_key(b32(1)));
		assert_eq!(PatientCount::<Test>::get(), 1);
		// The directory's reference is dropped: the account had no funds, so it is gone.
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&ALICE), 0);
		assert!(!frame_system::Pallet::<Test>::account_exists(&ALICE));
		// Bob is untouched.
		assert!(Directory::is_patient(&BOB));
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&BOB), 1);
	});
}

#[test]
fn l2_deregister_patient_error_paths() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Directory::deregister_patient(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::PatientNotFound
		);
		register_patient(ALICE, 1, 2);
		assert_noop!(
			Directory::deregister_patient(RuntimeOrigin::root()),
			DispatchError::BadOrigin
		);
		// A record that is not erased names the patient.
		PatientHoldings::set(ALICE, 1, 0);
		assert_noop!(
			Directory::deregister_patient(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::PatientHasRecords
		);
		// A grant of theirs is in force (records checked first when both hold).
		PatientHoldings::set(ALICE, 0, 2);
		assert_noop!(
			Directory::deregister_patient(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::PatientHasGrants
		);
		PatientHoldings::set(ALICE, 3, 2);
		assert_noop!(
			Directory::deregister_patient(RuntimeOrigin::signed(ALICE)),
			Error::<Test>::PatientHasRecords
		);
		assert!(Directory::is_patient(&ALICE));
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&ALICE), 1);
	});
}

#[test]
fn l2_a_retired_pseudonym_is_never_registered_again() {
	ExtBuilder.build_and_execute(|| {
		register_patient(ALICE, 1, 2);
		assert_ok!(Directory::deregister_patient(RuntimeOrigin::signed(ALICE)));
		assert_noop!(
			Directory::register_patient(RuntimeOrigin::signed(BOB), b32(1), b32(6)),
			Error::<Test>::PseudonymTaken
		);
		assert_noop!(
			Directory::register_patient(RuntimeOrigin::signed(ALICE), b32(1), b32(2)),
			Error::<Test>::PseudonymTaken
		);
		// Under a new pseudonym the account registers again, from nothing.
		assert_ok!(Directory::register_patient(RuntimeOrigin::signed(ALICE), b32(7), b32(8)));
		assert_eq!(Patients::<Test>::get(ALICE).map(|p| p.key_rotations), Some(0));
		assert_eq!(PatientCount::<Test>::get(), 1);
		assert_eq!(frame_system::Pallet::<Test>::sufficients(&ALICE), 1);
	});
}
