//! Patients: registration and key rotation.

use super::mock::*;
use crate::{
	Error, Event, Patient, PatientByPseudonym, PatientCount, PatientKeyHistory, Patients,
	RetiredKey,
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
