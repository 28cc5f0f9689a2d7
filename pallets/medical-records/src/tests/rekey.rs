//! Keys follow consent (security review H2): a key consent no longer backs is pruned by anyone,
//! and after any removal the next amendment changes the data key, chained to the previous one.

use super::mock::*;
use crate::{Error, Event, KeyChain, Records, Rekey, RekeyOf, StaleKeys, WrappedKeys};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use medchain_primitives::PurposeOfUse;
use polkadot_sdk::*;

/// The patient shares `record` with `grantee` for treatment.
fn share(record: u64, grantee: u64) {
	assert_ok!(MedicalRecords::add_wrapped_key(
		RuntimeOrigin::signed(ALICE),
		record,
		grantee,
		key(7),
		PurposeOfUse::Treatment
	));
}

/// A re-keying with the previous key `n` and the new key wrapped (as `n + 1`) for `holders`.
fn rekey(n: u8, holders: &[u64]) -> RekeyOf<Test> {
	Rekey {
		previous_key: key(n),
		keys: BoundedVec::truncate_from(holders.iter().map(|h| (*h, key(n + 1))).collect()),
	}
}

fn amend_with(
	who: u64,
	record: u64,
	n: u8,
	r: Option<RekeyOf<Test>>,
) -> sp_runtime::DispatchResult {
	MedicalRecords::amend_record(RuntimeOrigin::signed(who), record, content(n), r)
}

fn prune(who: u64, record: u64, holder: u64) -> sp_runtime::DispatchResult {
	MedicalRecords::prune_wrapped_key(RuntimeOrigin::signed(who), record, holder)
}

/// H2: a removed holder kept the one data key of every later version; now the amendment after a
/// removal must carry a fresh key for exactly the remaining holders.
#[test]
fn h2_after_a_removal_the_next_amendment_changes_the_data_key() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		share(record, DOC_B);
		assert_ok!(amend_with(DOC, record, 2, None));
		assert!(!StaleKeys::<Test>::contains_key(record));
		assert_ok!(MedicalRecords::remove_wrapped_key(RuntimeOrigin::signed(ALICE), record, DOC_B));
		assert!(StaleKeys::<Test>::contains_key(record));
		// The old key may not be used again.
		assert_noop!(amend_with(DOC, record, 3, None), Error::<Test>::RekeyRequired);
		assert_ok!(amend_with(DOC, record, 3, Some(rekey(30, &[ALICE, DOC]))));
		assert_last_event(Event::RecordAmended {
			record,
			version: 3,
			supersedes: 2,
			author: DOC,
			ciphertext_hash: cipher(3),
		});
		assert!(events().contains(&Event::RecordRekeyed { record, version: 3, holders: 2 }));
		assert_eq!(WrappedKeys::<Test>::get(record, ALICE), Some(key(31)));
		assert_eq!(WrappedKeys::<Test>::get(record, DOC), Some(key(31)));
		assert_eq!(WrappedKeys::<Test>::get(record, DOC_B), None);
		assert_eq!(KeyChain::<Test>::get(record, 3), Some(key(30)));
		assert!(!StaleKeys::<Test>::contains_key(record));
		// Back to normal amendments under the new key.
		assert_ok!(amend_with(DOC, record, 4, None));
		assert_eq!(Records::<Test>::get(record).map(|r| r.grantees), Some(2));
	});
}

#[test]
fn a_rekey_must_wrap_the_new_key_for_exactly_the_holders() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		share(record, DOC_B);
		// Missing a holder, a stranger instead of a holder, a holder twice, one too many.
		for holders in [
			&[ALICE, DOC][..],
			&[ALICE, DOC, MALLORY][..],
			&[ALICE, DOC, DOC][..],
			&[ALICE, DOC, DOC_B, MALLORY][..],
		] {
			assert_noop!(
				amend_with(DOC, record, 2, Some(rekey(20, holders))),
				Error::<Test>::RekeyMismatch
			);
		}
		let mut empty_previous = rekey(20, &[ALICE, DOC, DOC_B]);
		empty_previous.previous_key = BoundedVec::default();
		assert_noop!(
			amend_with(DOC, record, 2, Some(empty_previous)),
			Error::<Test>::EmptyWrappedKey
		);
		let mut empty_key = rekey(20, &[ALICE, DOC, DOC_B]);
		empty_key.keys[1].1 = BoundedVec::default();
		assert_noop!(amend_with(DOC, record, 2, Some(empty_key)), Error::<Test>::EmptyWrappedKey);
		// A voluntary rotation, in any order.
		assert_ok!(amend_with(DOC, record, 2, Some(rekey(20, &[DOC_B, ALICE, DOC]))));
		assert_eq!(WrappedKeys::<Test>::get(record, DOC_B), Some(key(21)));
	});
}

/// H2: revocation, suspension or expiry left keys in place; a key consent no longer backs is
/// now pruned, by anyone, and the record must change its key.
#[test]
fn h2_a_key_consent_no_longer_backs_is_pruned_by_anyone() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		share(record, DOC_B);
		// Still permitted: nobody may take it.
		assert_noop!(prune(MALLORY, record, DOC_B), Error::<Test>::StillPermitted);
		deny_read(ALICE, DOC_B);
		assert_ok!(prune(MALLORY, record, DOC_B));
		assert_last_event(Event::WrappedKeyPruned { record, holder: DOC_B, by: MALLORY });
		assert_eq!(WrappedKeys::<Test>::get(record, DOC_B), None);
		assert_eq!(Records::<Test>::get(record).map(|r| r.grantees), Some(2));
		assert!(StaleKeys::<Test>::contains_key(record));
		assert_noop!(amend_with(DOC, record, 2, None), Error::<Test>::RekeyRequired);
	});
}

#[test]
fn prune_wrapped_key_error_paths() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(prune(MALLORY, 9, DOC), Error::<Test>::RecordNotFound);
		let record = anchor(DOC, ALICE, 1);
		deny_read(ALICE, ALICE);
		assert_noop!(prune(MALLORY, record, ALICE), Error::<Test>::CannotRemovePatientKey);
		deny_read(ALICE, NURSE);
		assert_noop!(prune(MALLORY, record, NURSE), Error::<Test>::KeyNotFound);
		assert_noop!(
			MedicalRecords::prune_wrapped_key(RuntimeOrigin::none(), record, DOC),
			sp_runtime::DispatchError::BadOrigin
		);
		deny_read(ALICE, DOC);
		Records::<Test>::mutate(record, |r| {
			if let Some(r) = r {
				r.grantees = 0
			}
		});
		assert_noop!(prune(MALLORY, record, DOC), Error::<Test>::Overflow);
		Records::<Test>::mutate(record, |r| {
			if let Some(r) = r {
				r.grantees = 2
			}
		});
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), record));
		assert_noop!(prune(MALLORY, record, DOC), Error::<Test>::Erased);
	});
}

#[test]
fn erasure_removes_the_key_chain_and_the_stale_mark() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		share(record, DOC_B);
		assert_ok!(amend_with(DOC, record, 2, Some(rekey(20, &[ALICE, DOC, DOC_B]))));
		assert_ok!(MedicalRecords::remove_wrapped_key(RuntimeOrigin::signed(ALICE), record, DOC_B));
		assert!(
			KeyChain::<Test>::contains_key(record, 2) && StaleKeys::<Test>::contains_key(record)
		);
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), record));
		assert_eq!(KeyChain::<Test>::iter_prefix(record).count(), 0);
		assert!(!StaleKeys::<Test>::contains_key(record));
	});
}

#[test]
fn key_holders_lists_the_holders_and_whether_a_rekey_is_due() {
	ExtBuilder.build_and_execute(|| {
		assert_eq!(MedicalRecords::key_holders(0), None);
		let record = anchor(DOC, ALICE, 1);
		share(record, DOC_B);
		let (mut holders, stale) = MedicalRecords::key_holders(record).unwrap();
		holders.sort();
		assert_eq!((holders, stale), (vec![DOC, DOC_B, ALICE], false));
		assert_ok!(MedicalRecords::remove_wrapped_key(RuntimeOrigin::signed(ALICE), record, DOC_B));
		let (mut holders, stale) = MedicalRecords::key_holders(record).unwrap();
		holders.sort();
		assert_eq!((holders, stale), (vec![DOC, ALICE], true));
	});
}
