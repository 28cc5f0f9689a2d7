//! Erasure: the tombstone keeps only commitments and authorship.

use super::mock::*;
use crate::{
	weights::WeightInfo, Error, Event, IntegrityStatus, PatientRecordCount, PatientRecords,
	RecordId, RecordState, Records, VersionByCiphertext, Versions, WrappedKeys,
};
use codec::Encode;
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn erase_call(who: u64, record: RecordId) -> sp_runtime::DispatchResult {
	MedicalRecords::erase_record(RuntimeOrigin::signed(who), record)
		.map(|_| ())
		.map_err(|e| e.error)
}

/// A record by DOC about Alice with two versions and a third grantee (NURSE).
fn amended_and_shared() -> RecordId {
	let record = anchor(DOC, ALICE, 1);
	amend(DOC, record, 2);
	assert_ok!(MedicalRecords::add_wrapped_key(
		RuntimeOrigin::signed(ALICE),
		record,
		NURSE,
		key(3),
		medchain_primitives::PurposeOfUse::Treatment
	));
	record
}

/// Asserts that `record` is a tombstone erased by `by` at `at`, with `versions` versions whose
/// commitments remain.
fn assert_tombstone(record: RecordId, by: u64, at: u64, versions: u32) {
	let anchor = Records::<Test>::get(record).expect("the tombstone stays");
	assert_eq!(anchor.state, RecordState::Erased { by, at });
	assert_eq!(anchor.grantees, 0);
	assert_eq!(anchor.current_version, versions);
	assert_eq!(WrappedKeys::<Test>::iter_prefix(record).count(), 0);
	for version in 1..=versions {
		let info = Versions::<Test>::get(record, version).expect("versions stay");
		assert_eq!(info.cid, None);
		let n = version as u8;
		assert_eq!(info.ciphertext_hash, cipher(n));
		assert_eq!(info.plaintext_commitment, plain(n));
		assert_eq!(VersionByCiphertext::<Test>::get(record, cipher(n)), Some(version));
	}
}

#[test]
fn the_patient_erases_a_record() {
	ExtBuilder.build_and_execute(|| {
		let record = amended_and_shared();
		assert_eq!(WrappedKeys::<Test>::iter_prefix(record).count(), 3);
		System::set_block_number(9);
		assert_ok!(erase_call(ALICE, record));
		assert_last_event(Event::RecordErased { record, by: ALICE });
		assert_tombstone(record, ALICE, 9, 2);
		// Still listed for the patient, as a tombstone.
		assert!(PatientRecords::<Test>::contains_key(ALICE, record));
		assert_eq!(PatientRecordCount::<Test>::get(ALICE), 1);
		// Every version's hash now answers "erased".
		assert_eq!(MedicalRecords::integrity(record, cipher(1)), IntegrityStatus::Erased);
		assert_eq!(MedicalRecords::integrity(record, cipher(2)), IntegrityStatus::Erased);
	});
}

#[test]
fn the_erasure_event_says_which_record_and_by_whom_only() {
	ExtBuilder.build_and_execute(|| {
		let record = amended_and_shared();
		System::reset_events();
		assert_ok!(erase_call(ALICE, record));
		assert_eq!(events(), vec![Event::RecordErased { record, by: ALICE }]);
		let encoded = System::events().encode();
		let contains = |needle: &[u8]| encoded.windows(needle.len()).any(|w| w == needle);
		assert!(!contains(b"Observation"));
		assert!(!contains(&cipher(1)));
		assert!(!contains(&cid(1)));
	});
}

#[test]
fn the_custodians_admin_erases_a_record() {
	ExtBuilder.build_and_execute(|| {
		let record = amended_and_shared();
		assert_ok!(erase_call(ADMIN_A, record));
		assert_last_event(Event::RecordErased { record, by: ADMIN_A });
		assert_tombstone(record, ADMIN_A, 1, 2);
	});
}

#[test]
fn another_organisations_admin_cannot_erase() {
	ExtBuilder.build_and_execute(|| {
		let record = amended_and_shared();
		assert_noop!(erase_call(ADMIN_B, record), Error::<Test>::NotAuthorized);
		// Admin of the custodian no more (replaced, or the organisation deactivated).
		remove_admin(ADMIN_A, ORG_A);
		assert_noop!(erase_call(ADMIN_A, record), Error::<Test>::NotAuthorized);
	});
}

#[test]
fn practitioners_strangers_and_other_patients_cannot_erase() {
	ExtBuilder.build_and_execute(|| {
		let record = amended_and_shared();
		assert_noop!(erase_call(DOC, record), Error::<Test>::NotAuthorized);
		assert_noop!(erase_call(NURSE, record), Error::<Test>::NotAuthorized);
		assert_noop!(erase_call(BOB, record), Error::<Test>::NotAuthorized);
		assert_noop!(erase_call(MALLORY, record), Error::<Test>::NotAuthorized);
		assert_noop!(
			MedicalRecords::erase_record(RuntimeOrigin::none(), record),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn only_the_patient_erases_a_self_reported_record() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor_self(ALICE, 1);
		assert_noop!(erase_call(ADMIN_A, record), Error::<Test>::NotAuthorized);
		assert_noop!(erase_call(BOB, record), Error::<Test>::NotAuthorized);
		assert_ok!(erase_call(ALICE, record));
		assert_tombstone(record, ALICE, 1, 1);
	});
}

#[test]
fn erasing_an_unknown_or_erased_record_is_refused() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(erase_call(ALICE, 3), Error::<Test>::RecordNotFound);
		let record = anchor(DOC, ALICE, 1);
		assert_ok!(erase_call(ADMIN_A, record));
		assert_noop!(erase_call(ALICE, record), Error::<Test>::Erased);
		assert_noop!(erase_call(ADMIN_A, record), Error::<Test>::Erased);
	});
}

#[test]
fn erasure_leaves_other_records_alone() {
	ExtBuilder.build_and_execute(|| {
		let erased = amended_and_shared();
		let kept = anchor(DOC, ALICE, 5);
		let bobs = anchor(DOC, BOB, 6);
		assert_ok!(erase_call(ALICE, erased));
		for (record, patient) in [(kept, ALICE), (bobs, BOB)] {
			let anchor = Records::<Test>::get(record).unwrap();
			assert!(!anchor.is_erased());
			assert_eq!(anchor.grantees, 2);
			assert!(WrappedKeys::<Test>::contains_key(record, patient));
			assert!(WrappedKeys::<Test>::contains_key(record, DOC));
			assert!(Versions::<Test>::get(record, 1).and_then(|v| v.cid).is_some());
		}
	});
}

#[test]
fn erasure_is_charged_for_the_actual_versions_and_grantees() {
	ExtBuilder.build_and_execute(|| {
		let record = amended_and_shared();
		let info = MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), record).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::erase_record(2, 3)));
		assert!(<() as WeightInfo>::erase_record(2, 3)
			.all_lt(<() as WeightInfo>::erase_record(MAX_VERSIONS, MAX_GRANTEES)));
	});
}

#[test]
fn l2_erasures_are_counted_so_the_directory_knows_when_a_patient_may_leave() {
	use medchain_primitives::PatientRecordsInspect;
	ExtBuilder.build_and_execute(|| {
		assert_eq!(MedicalRecords::live_records(&ALICE), 0);
		let first = anchor(DOC, ALICE, 1);
		let second = anchor_self(ALICE, 2);
		let bobs = anchor(DOC, BOB, 3);
		assert_eq!(MedicalRecords::live_records(&ALICE), 2);
		assert_ok!(erase_call(ALICE, first));
		assert_eq!(crate::ErasedRecordCount::<Test>::get(ALICE), 1);
		assert_eq!(MedicalRecords::live_records(&ALICE), 1);
		assert_ok!(erase_call(ALICE, second));
		assert_eq!(MedicalRecords::live_records(&ALICE), 0);
		assert_eq!(PatientRecordCount::<Test>::get(ALICE), 2, "tombstones stay listed");
		// Another patient's records count apart, and a custodian's admin erasing counts too.
		assert_eq!(MedicalRecords::live_records(&BOB), 1);
		assert_ok!(erase_call(ADMIN_A, bobs));
		assert_eq!(MedicalRecords::live_records(&BOB), 0);
		// A refused erasure counts nothing.
		assert_noop!(erase_call(ALICE, first), Error::<Test>::Erased);
		assert_eq!(crate::ErasedRecordCount::<Test>::get(ALICE), 2);
	});
}

#[test]
fn l2_the_migration_counts_the_records_erased_before_it() {
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	ExtBuilder.build_and_execute(|| {
		let first = anchor(DOC, ALICE, 1);
		let _kept = anchor(DOC, ALICE, 2);
		let bobs = anchor(DOC, BOB, 3);
		assert_ok!(erase_call(ALICE, first));
		assert_ok!(erase_call(BOB, bobs));
		// The state of a chain before storage version 1: erasures not counted.
		let _ = crate::ErasedRecordCount::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<MedicalRecords>();

		crate::migrations::v1::CountErasedRecords::<Test>::on_runtime_upgrade();
		assert_eq!(crate::ErasedRecordCount::<Test>::get(ALICE), 1);
		assert_eq!(crate::ErasedRecordCount::<Test>::get(BOB), 1);
		assert_eq!(MedicalRecords::on_chain_storage_version(), StorageVersion::new(1));
		// Run again at version 1: a no-op, nothing counted twice.
		crate::migrations::v1::CountErasedRecords::<Test>::on_runtime_upgrade();
		assert_eq!(crate::ErasedRecordCount::<Test>::get(ALICE), 1);
	});
}
