//! The runtime API's answers: integrity check, a patient's records (paged), one record, a record's
//! versions, the data key wrapped for one holder.

use super::mock::*;
use crate::{IntegrityStatus, RecordState, RecordSummary, VersionSummary};
use alloc::collections::BTreeSet;
use frame_support::assert_ok;
use polkadot_sdk::*;

#[test]
fn integrity_tells_current_superseded_erased_and_unknown() {
	ExtBuilder.build_and_execute(|| {
		assert_eq!(MedicalRecords::integrity(0, cipher(1)), IntegrityStatus::Unknown);
		let record = anchor(DOC, ALICE, 1);
		let other = anchor(DOC, ALICE, 9);
		assert_eq!(
			MedicalRecords::integrity(record, cipher(1)),
			IntegrityStatus::Current { version: 1 }
		);
		amend(DOC, record, 2);
		amend(NURSE, record, 3);
		assert_eq!(
			MedicalRecords::integrity(record, cipher(1)),
			IntegrityStatus::Superseded { version: 1, current: 3 }
		);
		assert_eq!(
			MedicalRecords::integrity(record, cipher(2)),
			IntegrityStatus::Superseded { version: 2, current: 3 }
		);
		assert_eq!(
			MedicalRecords::integrity(record, cipher(3)),
			IntegrityStatus::Current { version: 3 }
		);
		// A hash never anchored, or anchored for another record.
		assert_eq!(MedicalRecords::integrity(record, cipher(4)), IntegrityStatus::Unknown);
		assert_eq!(MedicalRecords::integrity(record, cipher(9)), IntegrityStatus::Unknown);
		assert_eq!(MedicalRecords::integrity(5, cipher(1)), IntegrityStatus::Unknown);

		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), record));
		for n in 1..=3 {
			assert_eq!(MedicalRecords::integrity(record, cipher(n)), IntegrityStatus::Erased);
		}
		assert_eq!(MedicalRecords::integrity(record, cipher(4)), IntegrityStatus::Unknown);
		assert_eq!(
			MedicalRecords::integrity(other, cipher(9)),
			IntegrityStatus::Current { version: 1 }
		);
	});
}

#[test]
fn versions_of_lists_the_chain_first_to_current() {
	ExtBuilder.build_and_execute(|| {
		assert!(MedicalRecords::versions_of(0).is_empty());
		let record = anchor(DOC, ALICE, 1);
		System::set_block_number(3);
		amend(NURSE, record, 2);
		let version = |n: u8, author, created_at, supersedes, with_cid: bool| VersionSummary {
			version: n as u32,
			supersedes,
			ciphertext_hash: cipher(n),
			plaintext_commitment: plain(n),
			cid: with_cid.then(|| cid(n).into_inner()),
			author,
			created_at,
		};
		assert_eq!(
			MedicalRecords::versions_of(record),
			vec![version(1, DOC, 1, None, true), version(2, NURSE, 3, Some(1), true)]
		);
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ADMIN_A), record));
		assert_eq!(
			MedicalRecords::versions_of(record),
			vec![version(1, DOC, 1, None, false), version(2, NURSE, 3, Some(1), false)]
		);
	});
}

#[test]
fn records_of_summarises_each_record() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor_class(DOC, ALICE, GENETIC, 1);
		System::set_block_number(4);
		amend(DOC, record, 2);
		let own = anchor_self(ALICE, 3);
		System::set_block_number(6);
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), own));

		let mut page = MedicalRecords::records_of(&ALICE, None, 10);
		page.sort_by_key(|s| s.record);
		assert_eq!(
			page,
			vec![
				RecordSummary {
					record,
					subject: ALICE,
					custodian: Some(ORG_A),
					author: DOC,
					created_at: 1,
					current_version: 2,
					updated_at: 4,
					grantees: 2,
					state: RecordState::Active { data_class: GENETIC },
				},
				// An erased record is listed as a tombstone: no class.
				RecordSummary {
					record: own,
					subject: ALICE,
					custodian: None,
					author: ALICE,
					created_at: 4,
					current_version: 1,
					updated_at: 4,
					grantees: 0,
					state: RecordState::Erased { by: ALICE, at: 6 },
				},
			]
		);
	});
}

#[test]
fn records_of_pages_through_a_patients_records_only() {
	ExtBuilder.build_and_execute(|| {
		let mut alices = BTreeSet::new();
		for n in 0..7u8 {
			alices.insert(anchor(DOC, ALICE, n));
			anchor(DOC, BOB, n.wrapping_add(50));
		}
		assert!(MedicalRecords::records_of(&MALLORY, None, 10).is_empty());
		assert!(MedicalRecords::records_of(&ALICE, None, 0).is_empty());
		assert_eq!(MedicalRecords::records_of(&ALICE, None, 2).len(), 2);

		// Pages are capped at MAX_PAGE_SIZE; following `start_after` visits every record once.
		let mut seen = BTreeSet::new();
		let mut start_after = None;
		let mut pages = 0;
		loop {
			let page = MedicalRecords::records_of(&ALICE, start_after, 100);
			if page.is_empty() {
				break;
			}
			assert!(page.len() <= MAX_PAGE_SIZE as usize);
			for summary in &page {
				assert_eq!(summary.subject, ALICE);
				assert!(seen.insert(summary.record), "a record is listed twice");
			}
			start_after = page.last().map(|s| s.record);
			pages += 1;
		}
		assert_eq!(seen, alices);
		assert_eq!(pages, 3);
	});
}

#[test]
fn record_describes_one_record_as_records_of_lists_it() {
	ExtBuilder.build_and_execute(|| {
		assert_eq!(MedicalRecords::record(0), None);
		let record = anchor_class(DOC, ALICE, GENETIC, 1);
		let own = anchor_self(ALICE, 2);
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), own));
		let page = MedicalRecords::records_of(&ALICE, None, 10);
		for id in [record, own] {
			let listed = page.iter().find(|summary| summary.record == id).cloned();
			assert!(listed.is_some(), "record {id} is listed");
			assert_eq!(MedicalRecords::record(id), listed);
		}
		assert_eq!(MedicalRecords::record(own + 1), None);
	});
}

#[test]
fn wrapped_key_is_the_key_held_for_that_account_and_goes_with_erasure() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		// The patient's key is `key(1)`, the author's `key(101)` (see `anchor_class`).
		assert_eq!(MedicalRecords::wrapped_key(record, &ALICE), Some(key(1).into_inner()));
		assert_eq!(MedicalRecords::wrapped_key(record, &DOC), Some(key(101).into_inner()));
		assert_eq!(MedicalRecords::wrapped_key(record, &MALLORY), None);
		assert_eq!(MedicalRecords::wrapped_key(record + 1, &ALICE), None);
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), record));
		assert_eq!(MedicalRecords::wrapped_key(record, &ALICE), None);
		assert_eq!(MedicalRecords::wrapped_key(record, &DOC), None);
	});
}

#[test]
fn consent_learns_a_records_scope_and_custodian_from_the_chain() {
	use medchain_primitives::RecordsInspect;
	ExtBuilder.build_and_execute(|| {
		let held = anchor(DOC, ALICE, 1);
		let own = anchor_self(ALICE, 2);
		assert_eq!(MedicalRecords::record_scope(held), Some((ALICE, GENERAL)));
		assert_eq!(MedicalRecords::record_custodian(held), Some(ORG_A));
		// A self-reported record has no custodian; an unknown one neither.
		assert_eq!(MedicalRecords::record_scope(own), Some((ALICE, GENERAL)));
		assert_eq!(MedicalRecords::record_custodian(own), None);
		assert_eq!(MedicalRecords::record_custodian(99), None);
		// Erased: no scope, no custodian.
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), held));
		assert_eq!(MedicalRecords::record_scope(held), None);
		assert_eq!(MedicalRecords::record_custodian(held), None);
	});
}
