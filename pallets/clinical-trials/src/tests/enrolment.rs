//! Enrolment under per-study pseudonyms, re-consent and withdrawal.

use super::mock::*;
use crate::{Enrolled, Error, Event, Participant, ParticipantStatus, Participants};
use codec::Encode;
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn enrol_call(
	patient: u64,
	trial: crate::TrialId,
	form: u32,
	grant: u64,
) -> sp_runtime::DispatchResult {
	Trials::enrol(RuntimeOrigin::signed(patient), trial, form, grant, secret(patient))
}

fn reconsent_call(patient: u64, trial: crate::TrialId, form: u32) -> sp_runtime::DispatchResult {
	Trials::reconsent(
		RuntimeOrigin::signed(patient),
		trial,
		form,
		grant_of(patient),
		secret(patient),
	)
}

#[test]
fn enrol_stores_the_participant_under_a_pseudonym() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		System::set_block_number(4);
		assert_ok!(enrol_call(ALICE, t, 1, grant_of(ALICE)));
		let p = pseudonym(t, ALICE);
		assert_last_event(Event::ParticipantEnrolled { trial: t, pseudonym: p, consent_form: 1 });
		assert_eq!(
			Participants::<Test>::get(t, p),
			Some(Participant {
				consent_form: 1,
				enrolled_at: 4,
				status: ParticipantStatus::Active,
				reconsented_at: None,
			})
		);
		assert!(Enrolled::<Test>::contains_key(t, ALICE));
		assert_eq!(trial(t).enrolled, 1);
	});
}

#[test]
fn the_pseudonym_does_not_reveal_the_patient() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let p = enrol(t, ALICE);
		// The pseudonym is the domain-separated hash, neither the account nor containing it.
		assert_eq!(
			p,
			crate::hash_of(&(b"medchain/trial-pseudonym".as_slice(), t, ALICE, secret(ALICE)))
		);
		let account = ALICE.encode();
		assert_ne!(&p[..account.len()], account.as_slice());
		assert!(!p.windows(account.len()).any(|w| w == account.as_slice()));
		// Another secret, or another trial, gives another pseudonym.
		assert_ne!(p, Trials::pseudonym(t, &ALICE, &[0u8; 32]));
		assert_ne!(p, Trials::pseudonym(t + 1, &ALICE, &secret(ALICE)));
		// The event names the pseudonym and the form, and no account.
		let event = Event::<Test>::ParticipantEnrolled { trial: t, pseudonym: p, consent_form: 1 };
		assert_eq!(events().last(), Some(&event));
		let encoded = event.encode();
		assert_eq!(encoded.len(), 1 + 4 + 32 + 4);
	});
}

#[test]
fn enrolment_is_refused_without_a_research_grant() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		// A grant that is not the patient's.
		assert_noop!(enrol_call(ALICE, t, 1, grant_of(BOB)), Error::<Test>::NoResearchConsent);
		// A grant to another organisation than the sponsor.
		let other = add_grant(ALICE, OTHER_ORG);
		assert_noop!(enrol_call(ALICE, t, 1, other), Error::<Test>::NoResearchConsent);
		// A revoked grant.
		revoke_grant(ALICE, grant_of(ALICE));
		assert_noop!(enrol_call(ALICE, t, 1, 100), Error::<Test>::NoResearchConsent);
		assert_eq!(trial(t).enrolled, 0);
		// With a grant in force, the same patient enrols.
		let fresh = add_grant(ALICE, SPONSOR);
		assert_ok!(enrol_call(ALICE, t, 1, fresh));
	});
}

#[test]
fn enrol_refuses_non_patients_and_unknown_trials() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		assert_noop!(
			Trials::enrol(RuntimeOrigin::none(), t, 1, 100, [0; 32]),
			DispatchError::BadOrigin
		);
		assert_noop!(enrol_call(ALICE, 7, 1, grant_of(ALICE)), Error::<Test>::TrialNotFound);
		assert_noop!(enrol_call(MALLORY, t, 1, 100), Error::<Test>::NotPatient);
		unregister_patient(BOB);
		assert_noop!(enrol_call(BOB, t, 1, grant_of(BOB)), Error::<Test>::NotPatient);
	});
}

#[test]
fn enrol_only_while_recruiting() {
	ExtBuilder.build_and_execute(|| {
		let t = prepared();
		assert_noop!(enrol_call(ALICE, t, 1, grant_of(ALICE)), Error::<Test>::WrongStatus);
		assert_ok!(Trials::open_recruitment(RuntimeOrigin::signed(ADMIN), t, commitment()));
		assert_ok!(Trials::close_recruitment(RuntimeOrigin::signed(ADMIN), t));
		assert_noop!(enrol_call(ALICE, t, 1, grant_of(ALICE)), Error::<Test>::WrongStatus);
	});
}

#[test]
fn enrol_needs_the_current_consent_form() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		assert_ok!(Trials::publish_consent_form(RuntimeOrigin::signed(ADMIN), t, h(41)));
		assert_noop!(enrol_call(ALICE, t, 1, grant_of(ALICE)), Error::<Test>::StaleConsentForm);
		assert_noop!(enrol_call(ALICE, t, 3, grant_of(ALICE)), Error::<Test>::StaleConsentForm);
		assert_ok!(enrol_call(ALICE, t, 2, grant_of(ALICE)));
	});
}

#[test]
fn a_patient_enrols_once_whatever_the_secret() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		enrol(t, ALICE);
		assert_noop!(enrol_call(ALICE, t, 1, grant_of(ALICE)), Error::<Test>::AlreadyEnrolled);
		assert_noop!(
			Trials::enrol(RuntimeOrigin::signed(ALICE), t, 1, grant_of(ALICE), [1; 32]),
			Error::<Test>::AlreadyEnrolled
		);
	});
}

#[test]
fn enrolment_stops_at_the_planned_number() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		enrol(t, ALICE);
		enrol(t, BOB);
		enrol(t, CAROL);
		assert_noop!(enrol_call(DAVE, t, 1, grant_of(DAVE)), Error::<Test>::EnrolmentFull);
		// A withdrawal does not free a place (participants are counted as enrolled).
		assert_ok!(Trials::withdraw(RuntimeOrigin::signed(BOB), t, secret(BOB)));
		assert_noop!(enrol_call(DAVE, t, 1, grant_of(DAVE)), Error::<Test>::EnrolmentFull);
	});
}

#[test]
fn reconsent_moves_the_participant_to_the_current_form() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let p = enrol(t, ALICE);
		assert_noop!(reconsent_call(ALICE, t, 1), Error::<Test>::AlreadyConsented);
		assert_ok!(Trials::publish_consent_form(RuntimeOrigin::signed(ADMIN), t, h(41)));
		System::set_block_number(6);
		assert_ok!(reconsent_call(ALICE, t, 2));
		assert_last_event(Event::ParticipantReconsented {
			trial: t,
			pseudonym: p,
			consent_form: 2,
		});
		let stored = Participants::<Test>::get(t, p).unwrap();
		assert_eq!((stored.consent_form, stored.reconsented_at), (2, Some(6)));
	});
}

#[test]
fn reconsent_refusals() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		enrol(t, ALICE);
		enrol(t, BOB);
		assert_ok!(Trials::publish_consent_form(RuntimeOrigin::signed(ADMIN), t, h(41)));
		assert_noop!(
			Trials::reconsent(RuntimeOrigin::none(), t, 2, 100, [0; 32]),
			DispatchError::BadOrigin
		);
		assert_noop!(reconsent_call(ALICE, 7, 2), Error::<Test>::TrialNotFound);
		assert_noop!(reconsent_call(ALICE, t, 1), Error::<Test>::StaleConsentForm);
		assert_noop!(reconsent_call(CAROL, t, 2), Error::<Test>::NotParticipant);
		assert_noop!(
			Trials::reconsent(RuntimeOrigin::signed(ALICE), t, 2, grant_of(ALICE), [9; 32]),
			Error::<Test>::NotParticipant
		);
		assert_noop!(
			Trials::reconsent(RuntimeOrigin::signed(ALICE), t, 2, grant_of(BOB), secret(ALICE)),
			Error::<Test>::NoResearchConsent
		);
		assert_ok!(Trials::withdraw(RuntimeOrigin::signed(BOB), t, secret(BOB)));
		assert_noop!(reconsent_call(BOB, t, 2), Error::<Test>::Withdrawn);
		assert_ok!(Trials::close_recruitment(RuntimeOrigin::signed(ADMIN), t));
		assert_ok!(Trials::lock_data(RuntimeOrigin::signed(ADMIN), t, h(77)));
		assert_noop!(reconsent_call(ALICE, t, 2), Error::<Test>::WrongStatus);
	});
}

#[test]
fn withdraw_marks_the_participant_withdrawn_at_any_status() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let p = enrol(t, ALICE);
		enrol(t, BOB);
		System::set_block_number(5);
		assert_ok!(Trials::withdraw(RuntimeOrigin::signed(ALICE), t, secret(ALICE)));
		assert_last_event(Event::ParticipantWithdrew { trial: t, pseudonym: p });
		assert_eq!(
			Participants::<Test>::get(t, p).unwrap().status,
			ParticipantStatus::Withdrawn { at: 5 }
		);
		assert_eq!((trial(t).enrolled, trial(t).withdrawn), (2, 1));
		// Still allowed on a terminated trial.
		assert_ok!(Trials::terminate(RuntimeOrigin::signed(ADMIN), t, h(66)));
		assert_ok!(Trials::withdraw(RuntimeOrigin::signed(BOB), t, secret(BOB)));
		assert_eq!(trial(t).withdrawn, 2);
	});
}

#[test]
fn withdraw_refusals() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		enrol(t, ALICE);
		assert_noop!(Trials::withdraw(RuntimeOrigin::none(), t, [0; 32]), DispatchError::BadOrigin);
		assert_noop!(
			Trials::withdraw(RuntimeOrigin::signed(ALICE), 7, secret(ALICE)),
			Error::<Test>::TrialNotFound
		);
		assert_noop!(
			Trials::withdraw(RuntimeOrigin::signed(BOB), t, secret(BOB)),
			Error::<Test>::NotParticipant
		);
		assert_noop!(
			Trials::withdraw(RuntimeOrigin::signed(ALICE), t, secret(BOB)),
			Error::<Test>::NotParticipant
		);
		assert_ok!(Trials::withdraw(RuntimeOrigin::signed(ALICE), t, secret(ALICE)));
		assert_noop!(
			Trials::withdraw(RuntimeOrigin::signed(ALICE), t, secret(ALICE)),
			Error::<Test>::Withdrawn
		);
	});
}
