//! `try_state` catches each kind of inconsistency between storage items. These tests corrupt
//! storage on purpose, so they do not use `build_and_execute`.

use super::mock::*;
use crate::{
	GrantKeyCount, GrantKeys, KeyChain, KeyGrant, NextRecordId, PatientRecordCount, PatientRecords,
	RecordId, RecordOf, Records, StaleKeys, VersionByCiphertext, VersionOf, Versions, WrappedKeys,
};
use frame_support::{assert_ok, BoundedVec};
use polkadot_sdk::*;

/// The grant under which Alice shared record 0 with NURSE.
const GRANT: u64 = 5;

/// Record 0: by DOC about Alice, three versions, shared with NURSE (under [`GRANT`]).
const AMENDED: RecordId = 0;
/// Record 1: self-reported by Bob.
const SELF_REPORTED: RecordId = 1;
/// Record 2: by DOC_B about Alice, erased by Alice.
const ERASED: RecordId = 2;

/// A populated, consistent pallet.
fn populated() {
	assert_eq!(anchor(DOC, ALICE, 1), AMENDED);
	System::set_block_number(2);
	amend(NURSE, AMENDED, 2);
	amend(DOC, AMENDED, 3);
	grant_read(ALICE, NURSE, GRANT);
	assert_ok!(MedicalRecords::add_wrapped_key(
		RuntimeOrigin::signed(ALICE),
		AMENDED,
		NURSE,
		key(9),
		medchain_primitives::PurposeOfUse::Treatment
	));
	assert_eq!(anchor_self(BOB, 4), SELF_REPORTED);
	assert_eq!(anchor(DOC_B, ALICE, 5), ERASED);
	amend(DOC_B, ERASED, 6);
	assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), ERASED));
	assert_ok!(MedicalRecords::do_try_state());
}

/// Runs `corrupt` on a populated pallet and asserts that `try_state` reports exactly `broken`.
fn detects(broken: &'static str, corrupt: impl FnOnce()) {
	medchain_test_utils::assert_detects(
		new_test_ext(),
		populated,
		corrupt,
		MedicalRecords::do_try_state,
		broken,
	);
}

fn edit_record(id: RecordId, f: impl FnOnce(&mut RecordOf<Test>)) {
	Records::<Test>::mutate(id, |r| f(r.as_mut().expect("the record exists")));
}

fn edit_version(id: RecordId, version: u32, f: impl FnOnce(&mut VersionOf<Test>)) {
	Versions::<Test>::mutate(id, version, |v| f(v.as_mut().expect("the version exists")));
}

#[test]
fn a_consistent_pallet_passes() {
	new_test_ext().execute_with(|| {
		assert_ok!(MedicalRecords::do_try_state());
		populated();
		assert_ok!(MedicalRecords::do_try_state());
	});
}

#[test]
fn detects_an_id_at_or_above_next_record_id() {
	detects("a record id is not below NextRecordId", || NextRecordId::<Test>::put(2));
}

#[test]
fn detects_a_missing_record_below_next_record_id() {
	detects("the records are not exactly the ids below NextRecordId", || {
		NextRecordId::<Test>::put(4)
	});
}

#[test]
fn detects_a_record_missing_from_its_patients_index() {
	detects("a record is missing from its patient's index", || {
		PatientRecords::<Test>::remove(ALICE, AMENDED)
	});
}

#[test]
fn detects_an_index_entry_for_another_patients_record() {
	detects("a PatientRecords entry has no matching record", || {
		PatientRecords::<Test>::insert(BOB, AMENDED, ())
	});
}

#[test]
fn detects_an_index_entry_without_a_record() {
	detects("a PatientRecords entry has no matching record", || {
		PatientRecords::<Test>::insert(ALICE, 9, ())
	});
}

#[test]
fn detects_a_wrong_patient_count() {
	detects("a PatientRecordCount differs from the patient's index entries", || {
		PatientRecordCount::<Test>::insert(ALICE, 3)
	});
}

#[test]
fn detects_a_count_for_a_patient_without_records() {
	detects("a PatientRecordCount differs from the patient's index entries", || {
		PatientRecordCount::<Test>::insert(MALLORY, 1)
	});
}

#[test]
fn detects_uncounted_records() {
	detects("a patient's index entries are not counted", || {
		PatientRecordCount::<Test>::remove(BOB)
	});
}

#[test]
fn detects_a_wrong_erased_count() {
	detects("an ErasedRecordCount differs from the patient's erased records", || {
		crate::ErasedRecordCount::<Test>::insert(ALICE, 2)
	});
}

#[test]
fn detects_uncounted_erasures() {
	detects("a patient's erased records are not counted", || {
		crate::ErasedRecordCount::<Test>::remove(ALICE)
	});
}

#[test]
fn detects_an_erased_count_of_a_patient_without_erasures() {
	detects("an ErasedRecordCount differs from the patient's erased records", || {
		crate::ErasedRecordCount::<Test>::insert(BOB, 1)
	});
}

#[test]
fn detects_a_missing_version() {
	detects("a version of a record is missing", || Versions::<Test>::remove(AMENDED, 2));
}

#[test]
fn detects_a_version_beyond_the_current_one() {
	detects("a record has versions beyond its current one", || {
		let v3 = Versions::<Test>::get(AMENDED, 3).unwrap();
		Versions::<Test>::insert(AMENDED, 4, v3);
	});
}

#[test]
fn detects_a_version_without_its_record() {
	detects("a version exists without its record or beyond its current version", || {
		let v1 = Versions::<Test>::get(AMENDED, 1).unwrap();
		Versions::<Test>::insert(9, 1, v1);
	});
}

#[test]
fn detects_a_version_superseding_the_wrong_one() {
	detects("a version does not supersede the previous one", || {
		edit_version(AMENDED, 3, |v| v.supersedes = Some(1))
	});
}

#[test]
fn detects_a_first_version_superseding_something() {
	detects("a version does not supersede the previous one", || {
		edit_version(SELF_REPORTED, 1, |v| v.supersedes = Some(1))
	});
}

#[test]
fn detects_a_current_version_out_of_range() {
	detects("a record's current version is out of range", || {
		edit_record(SELF_REPORTED, |r| r.current_version = 0)
	});
	detects("a record's current version is out of range", || {
		edit_record(AMENDED, |r| r.current_version = MAX_VERSIONS + 1)
	});
}

#[test]
fn detects_a_version_older_than_the_one_it_amends() {
	detects("a version is older than the one it amends", || {
		edit_version(AMENDED, 2, |v| v.created_at = 0)
	});
}

#[test]
fn detects_a_first_version_not_matching_the_record() {
	detects("version 1 differs from the record's author or creation", || {
		edit_version(AMENDED, 1, |v| v.author = NURSE)
	});
}

#[test]
fn detects_an_empty_commitment() {
	detects("a version has an empty commitment", || {
		edit_version(AMENDED, 2, |v| v.plaintext_commitment = [0u8; 32])
	});
}

#[test]
fn detects_a_version_missing_from_the_ciphertext_index() {
	detects("a version is missing from the ciphertext index", || {
		VersionByCiphertext::<Test>::remove(AMENDED, cipher(2))
	});
}

#[test]
fn detects_a_stale_ciphertext_index_entry() {
	detects("a ciphertext index entry points to a version with another hash", || {
		VersionByCiphertext::<Test>::insert(AMENDED, cipher(7), 2)
	});
}

#[test]
fn detects_an_erased_record_holding_a_wrapped_key() {
	detects("an erased record holds a wrapped key", || {
		WrappedKeys::<Test>::insert(ERASED, ALICE, key(1));
		edit_record(ERASED, |r| r.grantees = 1);
	});
}

#[test]
fn detects_an_erased_record_keeping_a_cid() {
	detects("a version of an erased record keeps its CID", || {
		edit_version(ERASED, 2, |v| v.cid = Some(cid(6)))
	});
}

#[test]
fn detects_an_active_record_without_a_cid() {
	detects("a version of an active record has no CID", || {
		edit_version(AMENDED, 1, |v| v.cid = None)
	});
	detects("a version of an active record has no CID", || {
		edit_version(AMENDED, 1, |v| v.cid = Some(BoundedVec::default()))
	});
}

#[test]
fn detects_an_active_record_without_the_patients_key() {
	detects("a record lacks the patient's wrapped key", || {
		WrappedKeys::<Test>::remove(AMENDED, ALICE);
		edit_record(AMENDED, |r| r.grantees = 2);
	});
}

#[test]
fn detects_a_wrong_grantee_count() {
	detects("a record's grantee count differs from its wrapped keys", || {
		edit_record(AMENDED, |r| r.grantees = 2)
	});
}

#[test]
fn detects_a_wrapped_key_without_its_record() {
	detects("a wrapped key exists without its record", || {
		WrappedKeys::<Test>::insert(9, ALICE, key(1))
	});
}

#[test]
fn detects_an_empty_wrapped_key() {
	detects("an empty wrapped key is stored", || {
		WrappedKeys::<Test>::insert(AMENDED, NURSE, BoundedVec::default())
	});
}

#[test]
fn detects_a_self_reported_record_by_someone_else() {
	detects("a self-reported record has another author", || {
		edit_record(SELF_REPORTED, |r| r.author = DOC);
		edit_version(SELF_REPORTED, 1, |v| v.author = DOC);
	});
}

#[test]
fn detects_a_stale_key_mark_without_an_active_record() {
	let broken = "a stale-key mark exists without its active record";
	detects(broken, || StaleKeys::<Test>::insert(ERASED, ()));
	detects(broken, || StaleKeys::<Test>::insert(9, ()));
	// On an active record it is consistent.
	new_test_ext().execute_with(|| {
		populated();
		StaleKeys::<Test>::insert(AMENDED, ());
		assert_ok!(MedicalRecords::do_try_state());
	});
}

#[test]
fn detects_a_key_chain_link_out_of_place() {
	let broken = "a key-chain link exists without its version of an active record";
	detects(broken, || KeyChain::<Test>::insert(AMENDED, 1, key(5)));
	detects(broken, || KeyChain::<Test>::insert(AMENDED, 4, key(5)));
	detects(broken, || KeyChain::<Test>::insert(ERASED, 2, key(5)));
	detects("an empty key-chain link is stored", || {
		KeyChain::<Test>::insert(AMENDED, 2, BoundedVec::default())
	});
	new_test_ext().execute_with(|| {
		populated();
		KeyChain::<Test>::insert(AMENDED, 3, key(5));
		assert_ok!(MedicalRecords::do_try_state());
	});
}

#[test]
fn detects_a_grant_remembered_for_a_missing_key() {
	detects("a key's grant is remembered for a key that does not exist", || {
		KeyGrant::<Test>::insert(AMENDED, MALLORY, GRANT)
	});
	detects("the patient's own key is remembered as delivered by a grant", || {
		KeyGrant::<Test>::insert(AMENDED, ALICE, GRANT)
	});
}

#[test]
fn detects_a_grant_index_out_of_step() {
	new_test_ext().execute_with(|| {
		populated();
		assert_eq!(KeyGrant::<Test>::get(AMENDED, NURSE), Some(GRANT));
		assert_eq!(GrantKeyCount::<Test>::get(GRANT), Some(1));
	});
	detects("a key's grant does not list the key", || {
		GrantKeys::<Test>::remove(GRANT, (AMENDED, NURSE))
	});
	detects("a grant lists a key it did not deliver", || {
		GrantKeys::<Test>::insert(GRANT + 1, (AMENDED, NURSE), ())
	});
	detects("a grant's key count differs from the keys it delivered", || {
		GrantKeyCount::<Test>::insert(GRANT, 2)
	});
	detects("a grant's key count differs from the keys it delivered", || {
		GrantKeyCount::<Test>::insert(GRANT + 1, 1)
	});
	detects("a grant's delivered keys are not counted", || GrantKeyCount::<Test>::remove(GRANT));
}

#[test]
fn detects_a_grant_with_too_many_keys() {
	detects("a grant delivered too many keys", || {
		// Two more keys under the grant (the mock allows it two), on two records.
		for (record, holder) in [(AMENDED, DOC_B), (SELF_REPORTED, MALLORY)] {
			WrappedKeys::<Test>::insert(record, holder, key(4));
			KeyGrant::<Test>::insert(record, holder, GRANT);
			GrantKeys::<Test>::insert(GRANT, (record, holder), ());
			edit_record(record, |r| r.grantees += 1);
		}
		GrantKeyCount::<Test>::insert(GRANT, 3);
	});
}
