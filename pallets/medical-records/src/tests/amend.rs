//! Amendments: a new version supersedes the current one; nothing is overwritten.

use super::mock::*;
use crate::{
	Error, Event, RecordId, Records, VersionByCiphertext, VersionContent, VersionInfo, Versions,
};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

/// `amend_record` by `who` with content `n`.
fn amend_call(who: u64, record: RecordId, n: u8) -> sp_runtime::DispatchResult {
	MedicalRecords::amend_record(RuntimeOrigin::signed(who), record, content(n), None)
}

fn current_version(record: RecordId) -> Option<u32> {
	Records::<Test>::get(record).map(|r| r.current_version)
}

#[test]
fn an_amendment_supersedes_the_current_version_and_keeps_the_old_one() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		let first = Versions::<Test>::get(record, 1);

		System::set_block_number(4);
		assert_ok!(amend_call(NURSE, record, 2));
		assert_last_event(Event::RecordAmended {
			record,
			version: 2,
			supersedes: 1,
			author: NURSE,
			ciphertext_hash: cipher(2),
		});
		assert_eq!(
			Versions::<Test>::get(record, 2),
			Some(VersionInfo {
				ciphertext_hash: cipher(2),
				plaintext_commitment: plain(2),
				cid: Some(cid(2)),
				author: NURSE,
				created_at: 4,
				supersedes: Some(1),
			})
		);
		// Version 1 is untouched.
		assert_eq!(Versions::<Test>::get(record, 1), first);
		assert_eq!(current_version(record), Some(2));
		assert_eq!(VersionByCiphertext::<Test>::get(record, cipher(2)), Some(2));
		assert_eq!(VersionByCiphertext::<Test>::get(record, cipher(1)), Some(1));

		System::set_block_number(6);
		assert_ok!(amend_call(DOC, record, 3));
		assert_last_event(Event::RecordAmended {
			record,
			version: 3,
			supersedes: 2,
			author: DOC,
			ciphertext_hash: cipher(3),
		});
		assert_eq!(Versions::<Test>::get(record, 3).and_then(|v| v.supersedes), Some(2));
		assert_eq!(current_version(record), Some(3));
		// The record's author, creation, keys and grantees are unchanged.
		let anchor = Records::<Test>::get(record).unwrap();
		assert_eq!((anchor.author, anchor.created_at, anchor.grantees), (DOC, 1, 2));
	});
}

#[test]
fn the_patient_amends_a_self_reported_record() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor_self(ALICE, 1);
		assert_ok!(amend_call(ALICE, record, 2));
		assert_last_event(Event::RecordAmended {
			record,
			version: 2,
			supersedes: 1,
			author: ALICE,
			ciphertext_hash: cipher(2),
		});
		assert_eq!(current_version(record), Some(2));
	});
}

#[test]
fn only_active_practitioners_of_the_custodian_with_consent_amend() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		// Another organisation's practitioner, although Alice consents to them.
		assert_noop!(amend_call(DOC_B, record, 2), Error::<Test>::NotAuthorized);
		// The patient cannot alter a clinical record (they self-report instead).
		assert_noop!(amend_call(ALICE, record, 2), Error::<Test>::NotAuthorized);
		// Another patient, a stranger, the custodian's admin: not practitioners.
		assert_noop!(amend_call(BOB, record, 2), Error::<Test>::NotActivePractitioner);
		assert_noop!(amend_call(MALLORY, record, 2), Error::<Test>::NotActivePractitioner);
		assert_noop!(amend_call(ADMIN_A, record, 2), Error::<Test>::NotActivePractitioner);
		// The author themself once suspended or expired.
		set_inactive(DOC);
		assert_noop!(amend_call(DOC, record, 2), Error::<Test>::NotActivePractitioner);
		// A colleague whose consent was withdrawn.
		deny_consent(ALICE, NURSE);
		assert_noop!(amend_call(NURSE, record, 2), Error::<Test>::ConsentDenied);
		assert_noop!(
			MedicalRecords::amend_record(RuntimeOrigin::none(), record, content(2), None),
			DispatchError::BadOrigin
		);
		allow_consent(ALICE, NURSE, ORG_A);
		assert_ok!(amend_call(NURSE, record, 2));
	});
}

#[test]
fn consent_is_asked_for_the_records_data_class() {
	ExtBuilder.build_and_execute(|| {
		let sensitive = anchor_class(DOC, ALICE, MENTAL_HEALTH, 1);
		let general = anchor(DOC, ALICE, 2);
		deny_class(ALICE, NURSE, MENTAL_HEALTH);
		assert_noop!(amend_call(NURSE, sensitive, 3), Error::<Test>::ConsentDenied);
		assert_ok!(amend_call(NURSE, general, 3));
	});
}

#[test]
fn only_the_patient_amends_a_self_reported_record() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor_self(ALICE, 1);
		assert_noop!(amend_call(BOB, record, 2), Error::<Test>::NotAuthorized);
		assert_noop!(amend_call(DOC, record, 2), Error::<Test>::NotAuthorized);
		assert_noop!(amend_call(ADMIN_A, record, 2), Error::<Test>::NotAuthorized);
	});
}

#[test]
fn amend_record_field_and_state_errors() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(amend_call(DOC, 7, 2), Error::<Test>::RecordNotFound);
		let record = anchor(DOC, ALICE, 1);
		assert_noop!(
			MedicalRecords::amend_record(
				RuntimeOrigin::signed(DOC),
				record,
				VersionContent { ciphertext_hash: [0u8; 32], ..content(2) },
				None
			),
			Error::<Test>::EmptyCommitment
		);
		assert_noop!(
			MedicalRecords::amend_record(
				RuntimeOrigin::signed(DOC),
				record,
				VersionContent { plaintext_commitment: [0u8; 32], ..content(2) },
				None
			),
			Error::<Test>::EmptyCommitment
		);
		assert_noop!(
			MedicalRecords::amend_record(
				RuntimeOrigin::signed(DOC),
				record,
				VersionContent { cid: BoundedVec::default(), ..content(2) },
				None
			),
			Error::<Test>::EmptyCid
		);
		// The current version's ciphertext, and an older one's.
		assert_noop!(amend_call(DOC, record, 1), Error::<Test>::DuplicateContent);
		amend(DOC, record, 2);
		assert_noop!(amend_call(DOC, record, 1), Error::<Test>::DuplicateContent);
		assert_noop!(amend_call(DOC, record, 2), Error::<Test>::DuplicateContent);
	});
}

#[test]
fn the_number_of_versions_is_bounded() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		for n in 2..=MAX_VERSIONS as u8 {
			amend(DOC, record, n);
		}
		assert_eq!(current_version(record), Some(MAX_VERSIONS));
		assert_noop!(amend_call(DOC, record, 50), Error::<Test>::TooManyVersions);
	});
}

#[test]
fn an_overflowing_version_number_is_refused() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		let set_current = |version| {
			Records::<Test>::mutate(record, |r| {
				if let Some(r) = r {
					r.current_version = version
				}
			})
		};
		set_current(u32::MAX);
		assert_noop!(amend_call(DOC, record, 2), Error::<Test>::Overflow);
		set_current(1);
	});
}

#[test]
fn an_erased_record_cannot_be_amended() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		let own = anchor_self(ALICE, 2);
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), record));
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), own));
		assert_noop!(amend_call(DOC, record, 3), Error::<Test>::Erased);
		assert_noop!(amend_call(ALICE, own, 3), Error::<Test>::Erased);
	});
}
