//! Keys follow consent (security review H2): a key delivered to an account a grant permits is
//! remembered with that grant, and revoking the grant removes it (pallet-consent calls
//! `OnGrantRevoked` in `revoke_consent`).

use super::mock::*;
use crate::{
	Error, Event, GrantKeyCount, GrantKeys, KeyGrant, RecordId, Records, StaleKeys, WrappedKeys,
};
use frame_support::{assert_noop, assert_ok};
use medchain_primitives::{OnGrantRevoked, PurposeOfUse};
use polkadot_sdk::*;

/// The grant the tests' grantees read under.
const GRANT: u64 = 5;
/// Another grant.
const OTHER_GRANT: u64 = 6;

fn share(who: u64, record: RecordId, grantee: u64, n: u8) -> sp_runtime::DispatchResult {
	MedicalRecords::add_wrapped_key(
		RuntimeOrigin::signed(who),
		record,
		grantee,
		key(n),
		PurposeOfUse::Treatment,
	)
}

fn grantees(record: RecordId) -> u32 {
	Records::<Test>::get(record).map(|r| r.grantees).unwrap_or_default()
}

#[test]
fn h2_revoking_a_grant_removes_every_key_it_delivered() {
	ExtBuilder.build_and_execute(|| {
		let first = anchor(DOC, ALICE, 1);
		let second = anchor(DOC, ALICE, 2);
		grant_read(ALICE, DOC_B, GRANT);
		grant_read(ALICE, NURSE, OTHER_GRANT);
		assert_ok!(share(ALICE, first, DOC_B, 7));
		// A practitioner of the custodian shares too: the key is still the grant's.
		assert_ok!(share(NURSE, second, DOC_B, 8));
		assert_ok!(share(ALICE, first, NURSE, 9));
		assert_eq!(KeyGrant::<Test>::get(first, DOC_B), Some(GRANT));
		assert_eq!(GrantKeyCount::<Test>::get(GRANT), Some(2));
		assert_eq!(grantees(first), 4);

		assert_eq!(MedicalRecords::end_grant_keys(GRANT), 2);

		for record in [first, second] {
			assert!(!WrappedKeys::<Test>::contains_key(record, DOC_B));
			assert!(!KeyGrant::<Test>::contains_key(record, DOC_B));
			// The next amendment must change the data key.
			assert!(StaleKeys::<Test>::contains_key(record));
			// The patient's and the author's keys stay.
			assert!(WrappedKeys::<Test>::contains_key(record, ALICE));
			assert!(WrappedKeys::<Test>::contains_key(record, DOC));
		}
		assert_eq!(grantees(first), 3);
		assert_eq!(grantees(second), 2);
		assert!(!GrantKeyCount::<Test>::contains_key(GRANT));
		assert_eq!(GrantKeys::<Test>::iter_prefix(GRANT).count(), 0);
		// Another grant's key is untouched.
		assert!(WrappedKeys::<Test>::contains_key(first, NURSE));
		assert_eq!(GrantKeyCount::<Test>::get(OTHER_GRANT), Some(1));
		let revoked: Vec<_> = events()
			.into_iter()
			.filter_map(|e| match e {
				Event::WrappedKeyRevoked { record, holder, grant } => Some((record, holder, grant)),
				_ => None,
			})
			.collect();
		assert_eq!(revoked.len(), 2);
		assert!(revoked.contains(&(first, DOC_B, GRANT)));
		assert!(revoked.contains(&(second, DOC_B, GRANT)));
	});
}

#[test]
fn h2_the_hook_reports_its_weight_and_a_grant_without_keys_changes_nothing() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		assert_ok!(share(ALICE, record, DOC_B, 7));
		let before = frame_system::Pallet::<Test>::event_count();
		assert_eq!(MedicalRecords::end_grant_keys(GRANT), 0);
		assert_eq!(frame_system::Pallet::<Test>::event_count(), before);
		assert!(WrappedKeys::<Test>::contains_key(record, DOC_B));
		assert!(!StaleKeys::<Test>::contains_key(record));
		// The charged bound covers what any revocation uses.
		assert!(MedicalRecords::on_grant_revoked(GRANT)
			.all_lte(<MedicalRecords as OnGrantRevoked>::max_weight()));
	});
}

#[test]
fn keys_not_delivered_by_a_grant_are_not_remembered() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		// Permitted, but by no grant (the mock's default: an emergency or the like).
		assert_ok!(share(ALICE, record, DOC_B, 7));
		// The patient's own key, and the author's.
		assert_ok!(share(ALICE, record, ALICE, 8));
		assert_eq!(KeyGrant::<Test>::iter_prefix(record).count(), 0);
		assert_eq!(GrantKeys::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_grant_delivers_at_most_max_keys_per_grant() {
	ExtBuilder.build_and_execute(|| {
		grant_read(ALICE, DOC_B, GRANT);
		let records: Vec<_> =
			(1..=MAX_KEYS_PER_GRANT + 1).map(|n| anchor(DOC, ALICE, n as u8)).collect();
		let (last, first) = records.split_last().expect("records");
		for (n, record) in first.iter().enumerate() {
			assert_ok!(share(ALICE, *record, DOC_B, n as u8));
		}
		assert_noop!(share(ALICE, *last, DOC_B, 9), Error::<Test>::TooManyKeysForGrant);
		// Replacing a key the grant delivered needs no room.
		assert_ok!(share(ALICE, first[0], DOC_B, 10));
		assert_eq!(GrantKeyCount::<Test>::get(GRANT), Some(MAX_KEYS_PER_GRANT));
	});
}

#[test]
fn a_key_replaced_under_another_grant_moves_to_it() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		grant_read(ALICE, DOC_B, GRANT);
		assert_ok!(share(ALICE, record, DOC_B, 7));
		grant_read(ALICE, DOC_B, OTHER_GRANT);
		assert_ok!(share(ALICE, record, DOC_B, 8));
		assert_eq!(KeyGrant::<Test>::get(record, DOC_B), Some(OTHER_GRANT));
		assert!(!GrantKeyCount::<Test>::contains_key(GRANT));
		// Revoking the first grant no longer touches the key.
		assert_eq!(MedicalRecords::end_grant_keys(GRANT), 0);
		assert!(WrappedKeys::<Test>::contains_key(record, DOC_B));
		assert_eq!(MedicalRecords::end_grant_keys(OTHER_GRANT), 1);
		assert!(!WrappedKeys::<Test>::contains_key(record, DOC_B));
	});
}

#[test]
fn removing_pruning_or_erasing_forgets_the_grant() {
	ExtBuilder.build_and_execute(|| {
		grant_read(ALICE, DOC_B, GRANT);
		grant_read(ALICE, NURSE, GRANT);
		let removed = anchor(DOC, ALICE, 1);
		let pruned = anchor(DOC, ALICE, 2);
		assert_ok!(share(ALICE, removed, DOC_B, 7));
		assert_ok!(share(ALICE, pruned, NURSE, 8));
		assert_eq!(GrantKeyCount::<Test>::get(GRANT), Some(2));

		assert_ok!(MedicalRecords::remove_wrapped_key(
			RuntimeOrigin::signed(ALICE),
			removed,
			DOC_B
		));
		assert!(!KeyGrant::<Test>::contains_key(removed, DOC_B));
		assert_eq!(GrantKeyCount::<Test>::get(GRANT), Some(1));

		deny_read(ALICE, NURSE);
		assert_ok!(MedicalRecords::prune_wrapped_key(
			RuntimeOrigin::signed(MALLORY),
			pruned,
			NURSE
		));
		assert!(!KeyGrant::<Test>::contains_key(pruned, NURSE));
		assert!(!GrantKeyCount::<Test>::contains_key(GRANT));

		let erased = anchor(DOC, ALICE, 3);
		assert_ok!(share(ALICE, erased, DOC_B, 9));
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), erased));
		assert!(!KeyGrant::<Test>::contains_key(erased, DOC_B));
		assert!(!GrantKeyCount::<Test>::contains_key(GRANT));
		assert_eq!(GrantKeys::<Test>::iter_prefix(GRANT).count(), 0);
	});
}
