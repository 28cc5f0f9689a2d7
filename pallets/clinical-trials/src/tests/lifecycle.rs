//! The lifecycles the issue asks for, end to end.

use super::mock::*;
use crate::{DataSubject, Error, Event, TrialStatus};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;

fn admin() -> RuntimeOrigin {
	RuntimeOrigin::signed(ADMIN)
}

fn visit(pseudonym: crate::Pseudonym, visit: u32) -> DataSubject {
	DataSubject::Participant { pseudonym, visit }
}

/// (1) A full trial from registration to published results.
#[test]
fn a_full_trial_from_registration_to_results() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_ok!(Trials::add_site(admin(), t, SITE_A));
		assert_ok!(Trials::add_investigator(admin(), t, INVESTIGATOR));
		assert_ok!(Trials::publish_consent_form(admin(), t, h(40)));
		open(t);
		let a = enrol(t, ALICE);
		let b = enrol(t, BOB);
		System::set_block_number(10);
		assert_ok!(Trials::anchor_data(RuntimeOrigin::signed(INVESTIGATOR), t, visit(a, 1), h(60)));
		assert_ok!(Trials::anchor_data(RuntimeOrigin::signed(INVESTIGATOR), t, visit(b, 1), h(61)));
		assert_ok!(Trials::close_recruitment(admin(), t));
		assert_ok!(Trials::anchor_data(
			RuntimeOrigin::signed(INVESTIGATOR),
			t,
			DataSubject::Batch { batch: 1 },
			h(62)
		));
		assert_ok!(Trials::lock_data(admin(), t, h(77)));
		assert_ok!(Trials::reveal_allocation(RuntimeOrigin::signed(RANDOMISER), t, SEED));
		System::set_block_number(50);
		assert_ok!(Trials::publish_results(admin(), t, h(88), link(b"https://r/1")));
		assert_results_published(t, h(88), false);

		let done = trial(t);
		assert_eq!(done.status, TrialStatus::Completed);
		assert_eq!((done.enrolled, done.withdrawn, done.data_anchors), (2, 0, 3));
		assert_eq!(done.lock.map(|l| l.root), Some(h(77)));
		assert_eq!(done.registered, done.current);
		assert!(Trials::allocation(t, a).is_some() && Trials::allocation(t, b).is_some());
		assert!(Trials::overdue_results(None, 10).is_empty());
	});
}

/// (2) An outcome switch made visible: registered and current outcomes differ, the amendment is
/// flagged, counted and announced.
#[test]
fn an_outcome_switch_is_visible() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		enrol(t, ALICE);
		assert_ok!(Trials::amend_protocol(
			admin(),
			t,
			None,
			None,
			Some(primary(&[11])),
			None,
			h(99)
		));
		assert_last_event(Event::OutcomeChanged { trial: t, version: 2, primary: true });
		let switched = trial(t);
		assert_eq!(switched.registered.primary_outcomes, primary(&[10]));
		assert_eq!(switched.current.primary_outcomes, primary(&[11]));
		assert_ne!(switched.registered.primary_outcomes, switched.current.primary_outcomes);
		assert_eq!(switched.outcome_changes, 1);
		let amendments = Trials::amendments(t);
		assert_eq!(amendments.len(), 1);
		assert!(amendments[0].primary_changed);
		assert_eq!(amendments[0].primary_outcomes, Some(vec![h(11)]));
		let info = Trials::trial_info(t).unwrap();
		assert_ne!(info.trial.registered.primary_outcomes, info.trial.current.primary_outcomes);
	});
}

/// (3) A participant who withdraws, whose later data anchors are refused.
#[test]
fn a_withdrawn_participants_data_is_refused() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let a = enrol(t, ALICE);
		let investigator = || RuntimeOrigin::signed(INVESTIGATOR);
		assert_ok!(Trials::anchor_data(investigator(), t, visit(a, 1), h(60)));
		withdraw(t, ALICE);
		assert_noop!(
			Trials::anchor_data(investigator(), t, visit(a, 2), h(61)),
			Error::<Test>::Withdrawn
		);
		// The earlier anchor stays on record.
		assert_eq!(trial(t).data_anchors, 1);
		assert_eq!(Trials::data_anchors(t, 0, 10).len(), 1);
	});
}

/// (4) Re-consent after a new consent-form version: anchors are refused until the participant
/// re-consents, then accepted.
#[test]
fn reconsent_after_a_new_consent_form() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let a = enrol(t, ALICE);
		let investigator = || RuntimeOrigin::signed(INVESTIGATOR);
		assert_ok!(Trials::publish_consent_form(admin(), t, h(41)));
		assert!(Trials::participant_info(t, a).unwrap().needs_reconsent);
		assert_noop!(
			Trials::anchor_data(investigator(), t, visit(a, 2), h(61)),
			Error::<Test>::ReconsentRequired
		);
		submit(reconsent_call(t, ALICE, 2));
		assert!(!Trials::participant_info(t, a).unwrap().needs_reconsent);
		assert_ok!(Trials::anchor_data(investigator(), t, visit(a, 2), h(61)));
	});
}

/// (5) Enrolment refused without a valid ring proof: a patient who holds no research key of
/// the ring cannot make one, and a proof made for another action does not enrol.
#[test]
fn enrolment_refused_without_a_ring_proof() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let (pseudonym, proof) = prove(ALICE, 0, t, &crate::ring::withdraw_message());
		let call = crate::Call::enrol { trial: t, ring: 0, consent_form: 1, pseudonym, proof };
		assert_eq!(authorize(call), refused(Error::BadProof));
		assert_eq!(trial(t).enrolled, 0);
		assert!(Trials::participant_info(t, pseudonym).is_none());
	});
}

/// (6) Overdue results are listed by the API function, and no longer once published (late).
#[test]
fn overdue_results_are_listed_until_published() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let other = register_with(None); // due at 101 too
		assert_ok!(Trials::close_recruitment(admin(), t));
		assert_ok!(Trials::lock_data(admin(), t, h(77)));
		System::set_block_number(1 + DUE_PERIOD);
		assert!(Trials::overdue_results(None, 10).is_empty(), "due, not yet overdue");
		System::set_block_number(2 + DUE_PERIOD);
		let mut overdue = Trials::overdue_results(None, 10);
		overdue.sort();
		assert_eq!(overdue, vec![(t, 1 + DUE_PERIOD), (other, 1 + DUE_PERIOD)]);
		assert_ok!(Trials::publish_results(admin(), t, h(88), link(b"x")));
		assert_results_published(t, h(88), true);
		assert_eq!(Trials::overdue_results(None, 10), vec![(other, 1 + DUE_PERIOD)]);
	});
}
