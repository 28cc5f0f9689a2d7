//! Batch anchoring: one Merkle root over many record versions.

use super::mock::*;
use crate::{BatchAnchor, BatchByRoot, Batches, Error, Event, NextBatchId};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn root(n: u8) -> [u8; 32] {
	[n; 32]
}

#[test]
fn a_practitioner_anchors_a_batch_for_their_organisation() {
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(7);
		assert_ok!(MedicalRecords::anchor_batch(RuntimeOrigin::signed(DOC), root(1), 250));
		assert_eq!(
			Batches::<Test>::get(0),
			Some(BatchAnchor {
				root: root(1),
				leaves: 250,
				custodian: ORG_A,
				author: DOC,
				anchored_at: 7
			})
		);
		assert_eq!(BatchByRoot::<Test>::get(root(1)), Some(0));
		assert_last_event(Event::BatchAnchored {
			batch: 0,
			custodian: ORG_A,
			author: DOC,
			root: root(1),
			leaves: 250,
		});

		// Ids are sequential; the custodian is the author's organisation, whichever it is.
		assert_ok!(MedicalRecords::anchor_batch(
			RuntimeOrigin::signed(DOC_B),
			root(2),
			MAX_BATCH_LEAVES
		));
		assert_eq!(Batches::<Test>::get(1).map(|b| (b.custodian, b.leaves)), Some((ORG_B, 1_000)));
		assert_eq!(BatchByRoot::<Test>::get(root(2)), Some(1));
		assert_eq!(NextBatchId::<Test>::get(), 2);
	});
}

#[test]
fn only_an_active_practitioner_anchors_a_batch() {
	ExtBuilder.build_and_execute(|| {
		for who in [MALLORY, ALICE, ADMIN_A] {
			assert_noop!(
				MedicalRecords::anchor_batch(RuntimeOrigin::signed(who), root(1), 10),
				Error::<Test>::NotActivePractitioner
			);
		}
		set_inactive(DOC);
		assert_noop!(
			MedicalRecords::anchor_batch(RuntimeOrigin::signed(DOC), root(1), 10),
			Error::<Test>::NotActivePractitioner
		);
		assert_noop!(
			MedicalRecords::anchor_batch(RuntimeOrigin::none(), root(1), 10),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_batch_needs_a_root_and_between_one_and_the_maximum_leaves() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			MedicalRecords::anchor_batch(RuntimeOrigin::signed(DOC), [0; 32], 10),
			Error::<Test>::EmptyCommitment
		);
		assert_noop!(
			MedicalRecords::anchor_batch(RuntimeOrigin::signed(DOC), root(1), 0),
			Error::<Test>::EmptyBatch
		);
		assert_noop!(
			MedicalRecords::anchor_batch(RuntimeOrigin::signed(DOC), root(1), MAX_BATCH_LEAVES + 1),
			Error::<Test>::BatchTooLarge
		);
		assert_eq!(NextBatchId::<Test>::get(), 0);
	});
}

#[test]
fn a_root_is_anchored_once() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(MedicalRecords::anchor_batch(RuntimeOrigin::signed(DOC), root(1), 10));
		// Not again, by anyone, with any count: the root would name two batches.
		assert_noop!(
			MedicalRecords::anchor_batch(RuntimeOrigin::signed(DOC_B), root(1), 11),
			Error::<Test>::DuplicateBatch
		);
		assert_eq!(BatchByRoot::<Test>::get(root(1)), Some(0));
	});
}

#[test]
fn batch_ids_never_wrap() {
	ExtBuilder.build_and_execute(|| {
		NextBatchId::<Test>::put(u64::MAX);
		assert_noop!(
			MedicalRecords::anchor_batch(RuntimeOrigin::signed(DOC), root(1), 10),
			Error::<Test>::Overflow
		);
	});
}
