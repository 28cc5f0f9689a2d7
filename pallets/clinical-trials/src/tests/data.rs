//! Data anchors and the data lock.

use super::mock::*;
use crate::{DataAnchor, DataAnchors, DataLock, DataSubject, Error, Event, TrialStatus};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn anchor(
	who: u64,
	trial: crate::TrialId,
	subject: DataSubject,
	n: u8,
) -> sp_runtime::DispatchResult {
	Trials::anchor_data(RuntimeOrigin::signed(who), trial, subject, h(n))
}

fn visit(pseudonym: crate::Pseudonym, visit: u32) -> DataSubject {
	DataSubject::Participant { pseudonym, visit }
}

#[test]
fn anchor_data_stores_participant_and_batch_anchors_in_sequence() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let p = enrol(t, ALICE);
		System::set_block_number(3);
		assert_ok!(anchor(INVESTIGATOR, t, visit(p, 1), 60));
		assert_last_event(Event::DataAnchored {
			trial: t,
			seq: 0,
			subject: visit(p, 1),
			hash: h(60),
		});
		assert_ok!(Trials::close_recruitment(RuntimeOrigin::signed(ADMIN), t));
		assert_ok!(anchor(INVESTIGATOR, t, DataSubject::Batch { batch: 7 }, 61));
		assert_last_event(Event::DataAnchored {
			trial: t,
			seq: 1,
			subject: DataSubject::Batch { batch: 7 },
			hash: h(61),
		});
		assert_eq!(
			DataAnchors::<Test>::get(t, 0),
			Some(DataAnchor { subject: visit(p, 1), hash: h(60), by: INVESTIGATOR, at: 3 })
		);
		assert_eq!(trial(t).data_anchors, 2);
	});
}

#[test]
fn anchor_data_needs_a_current_investigator() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let batch = DataSubject::Batch { batch: 1 };
		assert_noop!(
			Trials::anchor_data(RuntimeOrigin::none(), t, batch, h(60)),
			DispatchError::BadOrigin
		);
		assert_noop!(anchor(INVESTIGATOR, 7, batch, 60), Error::<Test>::TrialNotFound);
		assert_noop!(anchor(DOC_B, t, batch, 60), Error::<Test>::NotInvestigator);
		assert_noop!(anchor(ADMIN, t, batch, 60), Error::<Test>::NotInvestigator);
		// The investigator's licence lapsed, or they moved to an organisation that is not a site.
		set_inactive(INVESTIGATOR);
		assert_noop!(anchor(INVESTIGATOR, t, batch, 60), Error::<Test>::NotSitePractitioner);
		set_practitioner(INVESTIGATOR, NON_SITE);
		assert_noop!(anchor(INVESTIGATOR, t, batch, 60), Error::<Test>::NotSitePractitioner);
		set_practitioner(INVESTIGATOR, SITE_A);
		assert_ok!(anchor(INVESTIGATOR, t, batch, 60));
		assert_ok!(Trials::remove_investigator(RuntimeOrigin::signed(ADMIN), t, INVESTIGATOR));
		assert_noop!(anchor(INVESTIGATOR, t, batch, 61), Error::<Test>::NotInvestigator);
	});
}

#[test]
fn anchor_data_only_while_recruiting_or_active() {
	ExtBuilder.build_and_execute(|| {
		let t = prepared();
		let batch = DataSubject::Batch { batch: 1 };
		assert_noop!(anchor(INVESTIGATOR, t, batch, 60), Error::<Test>::WrongStatus);
		open(t);
		assert_ok!(Trials::close_recruitment(RuntimeOrigin::signed(ADMIN), t));
		assert_ok!(Trials::lock_data(RuntimeOrigin::signed(ADMIN), t, h(77)));
		assert_noop!(anchor(INVESTIGATOR, t, batch, 60), Error::<Test>::WrongStatus);
	});
}

/// M2: every data anchor re-checks the participant's research consent: enrolled, not
/// withdrawn, consented to the current form (their consent is their own enrolment; re-consent
/// restores it).
#[test]
fn m2_every_anchor_rechecks_the_participants_consent() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let p = enrol(t, ALICE);
		assert_ok!(anchor(INVESTIGATOR, t, visit(p, 1), 60));
		assert_ok!(Trials::publish_consent_form(RuntimeOrigin::signed(ADMIN), t, h(41)));
		assert_noop!(anchor(INVESTIGATOR, t, visit(p, 2), 61), Error::<Test>::ReconsentRequired);
		submit(reconsent_call(t, ALICE, 2));
		assert_ok!(anchor(INVESTIGATOR, t, visit(p, 2), 61));
		withdraw(t, ALICE);
		assert_noop!(anchor(INVESTIGATOR, t, visit(p, 3), 62), Error::<Test>::Withdrawn);
		assert_eq!(trial(t).data_anchors, 2);
	});
}

#[test]
fn anchor_data_checks_the_participant() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let p = enrol(t, ALICE);
		assert_noop!(anchor(INVESTIGATOR, t, visit([3; 32], 1), 60), Error::<Test>::NotParticipant);
		assert_ok!(Trials::publish_consent_form(RuntimeOrigin::signed(ADMIN), t, h(41)));
		assert_noop!(anchor(INVESTIGATOR, t, visit(p, 1), 60), Error::<Test>::ReconsentRequired);
		withdraw(t, ALICE);
		assert_noop!(anchor(INVESTIGATOR, t, visit(p, 1), 60), Error::<Test>::Withdrawn);
	});
}

#[test]
fn anchor_data_stops_at_max_data_anchors() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		for n in 0..MAX_DATA_ANCHORS {
			assert_ok!(anchor(INVESTIGATOR, t, DataSubject::Batch { batch: n }, 60));
		}
		assert_noop!(
			anchor(INVESTIGATOR, t, DataSubject::Batch { batch: 9 }, 60),
			Error::<Test>::TooManyDataAnchors
		);
	});
}

#[test]
fn lock_data_locks_an_active_trial() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		assert_noop!(
			Trials::lock_data(RuntimeOrigin::signed(ADMIN), t, h(77)),
			Error::<Test>::WrongStatus
		);
		assert_ok!(Trials::close_recruitment(RuntimeOrigin::signed(ADMIN), t));
		assert_noop!(Trials::lock_data(RuntimeOrigin::none(), t, h(77)), DispatchError::BadOrigin);
		assert_noop!(
			Trials::lock_data(RuntimeOrigin::signed(ADMIN), 7, h(77)),
			Error::<Test>::TrialNotFound
		);
		assert_noop!(
			Trials::lock_data(RuntimeOrigin::signed(OTHER_ADMIN), t, h(77)),
			Error::<Test>::NotAuthorized
		);
		System::set_block_number(9);
		assert_ok!(Trials::lock_data(RuntimeOrigin::signed(ADMIN), t, h(77)));
		assert_last_event(Event::DataLocked { trial: t, root: h(77) });
		assert_eq!(trial(t).status, TrialStatus::Locked);
		assert_eq!(trial(t).lock, Some(DataLock { root: h(77), at: 9 }));
		assert_noop!(
			Trials::lock_data(RuntimeOrigin::signed(ADMIN), t, h(78)),
			Error::<Test>::WrongStatus
		);
	});
}
