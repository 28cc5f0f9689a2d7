//! The functions the runtime API answers with.

use super::mock::*;
use crate::{ConsentForm, DataSubject, ParticipantStatus};
use frame_support::assert_ok;
use polkadot_sdk::*;

#[test]
fn trial_info_has_the_trial_sites_investigators_and_forms() {
	ExtBuilder.build_and_execute(|| {
		assert!(Trials::trial_info(0).is_none());
		let t = prepared();
		let info = Trials::trial_info(t).unwrap();
		assert_eq!(info.trial.id, t);
		assert_eq!(info.trial.registry_id, Some(b"NCT0001".to_vec()));
		assert_eq!(info.trial.registered.primary_outcomes, vec![h(10)]);
		assert_eq!(info.trial.current.secondary_outcomes, vec![h(20), h(21)]);
		assert_eq!(info.sites, vec![SITE_A]);
		assert_eq!(info.investigators, vec![INVESTIGATOR]);
		assert_eq!(
			info.consent_forms,
			vec![ConsentForm { version: 1, hash: h(40), published_at: 1 }]
		);
	});
}

#[test]
fn amendments_are_listed_oldest_first() {
	ExtBuilder.build_and_execute(|| {
		assert!(Trials::amendments(0).is_empty());
		let t = register();
		for n in [3u8, 4] {
			assert_ok!(Trials::amend_protocol(
				RuntimeOrigin::signed(ADMIN),
				t,
				Some(h(n)),
				None,
				None,
				None,
				h(99)
			));
		}
		let versions: Vec<_> =
			Trials::amendments(t).iter().map(|a| (a.version, a.protocol)).collect();
		assert_eq!(versions, vec![(2, Some(h(3))), (3, Some(h(4)))]);
	});
}

#[test]
fn participant_info_answers_by_pseudonym() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let a = enrol(t, ALICE);
		let info = Trials::participant_info(t, a).unwrap();
		assert_eq!(info.participant.status, ParticipantStatus::Active);
		assert!(!info.needs_reconsent);
		assert!(Trials::participant_info(t, [0; 32]).is_none());
		assert!(Trials::participant_info(9, a).is_none());
	});
}

#[test]
fn overdue_results_are_paged() {
	ExtBuilder.build_and_execute(|| {
		for _ in 0..5 {
			register_with(None);
		}
		System::set_block_number(2 + DUE_PERIOD);
		let first = Trials::overdue_results(None, 100);
		assert_eq!(first.len(), MAX_PAGE_SIZE as usize);
		let second = Trials::overdue_results(first.last().map(|(id, _)| *id), 100);
		assert_eq!(second.len(), 2);
		let mut all: Vec<_> = first.into_iter().chain(second).map(|(id, _)| id).collect();
		all.sort();
		assert_eq!(all, vec![0, 1, 2, 3, 4]);
		assert_eq!(Trials::overdue_results(None, 1).len(), 1);
	});
}

#[test]
fn data_anchors_are_paged_by_sequence() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		for n in 0..4 {
			assert_ok!(Trials::anchor_data(
				RuntimeOrigin::signed(INVESTIGATOR),
				t,
				DataSubject::Batch { batch: n },
				h(60)
			));
		}
		let seqs = |from, limit| -> Vec<u32> {
			Trials::data_anchors(t, from, limit).into_iter().map(|(s, _)| s).collect()
		};
		assert_eq!(seqs(0, 100), vec![0, 1, 2]);
		assert_eq!(seqs(3, 100), vec![3]);
		assert_eq!(seqs(1, 2), vec![1, 2]);
		assert!(seqs(4, 10).is_empty());
		assert!(Trials::data_anchors(9, 0, 10).is_empty());
	});
}
