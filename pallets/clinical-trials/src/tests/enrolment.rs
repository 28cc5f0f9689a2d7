//! Enrolment under per-study pseudonyms, re-consent and withdrawal: unsigned calls authorized by
//! a ring VRF proof. Each refusal is checked twice: the pool refuses the transaction (so it never
//! enters a block) and the call itself, dispatched anyway, fails with the same error.

use super::mock::*;
use crate::{ring, Error, Event, Participant, ParticipantStatus, Participants};
use codec::Encode;
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;

fn authorized() -> RuntimeOrigin {
	frame_system::RawOrigin::Authorized.into()
}

/// Asserts the pool refuses `call` with `error` and that dispatching it anyway fails with the
/// same error and changes nothing.
fn assert_refused(call: crate::Call<Test>, error: Error<Test>) {
	let bad_proof = matches!(error, Error::<Test>::BadProof);
	let expected: sp_runtime::DispatchError = error.into();
	let sp_runtime::DispatchError::Module(module) = expected else { panic!("a pallet error") };
	assert_eq!(
		authorize(call.clone()),
		Err(sp_runtime::transaction_validity::InvalidTransaction::Custom(module.error[0]).into())
	);
	// A bad proof is the pool's to refuse: the call trusts the `Authorized` origin, which only
	// a successful authorization gives.
	if bad_proof {
		return;
	}
	let dispatched = match call {
		crate::Call::enrol { trial, ring, consent_form, pseudonym, proof } => {
			Trials::enrol(authorized(), trial, ring, consent_form, pseudonym, proof)
		},
		crate::Call::reconsent { trial, ring, consent_form, pseudonym, proof } => {
			Trials::reconsent(authorized(), trial, ring, consent_form, pseudonym, proof)
		},
		crate::Call::withdraw { trial, ring, pseudonym, proof } => {
			Trials::withdraw(authorized(), trial, ring, pseudonym, proof)
		},
		_ => panic!("not a trial call"),
	};
	assert_eq!(dispatched, Err(expected));
}

#[test]
fn enrol_stores_the_participant_under_a_pseudonym() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		System::set_block_number(4);
		submit(enrol_call(t, ALICE, 1));
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
		assert_eq!(trial(t).enrolled, 1);
	});
}

#[test]
fn the_enrolment_event_names_no_account() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let p = enrol(t, ALICE);
		let event = Event::<Test>::ParticipantEnrolled { trial: t, pseudonym: p, consent_form: 1 };
		assert_eq!(events().last(), Some(&event));
		// Pallet index, trial, pseudonym, form: nothing else.
		assert_eq!(event.encode().len(), 1 + 4 + 32 + 4);
	});
}

#[test]
fn enrol_refuses_unknown_trials() {
	ExtBuilder.build_and_execute(|| {
		let _ = recruiting();
		assert_refused(enrol_call(7, ALICE, 1), Error::TrialNotFound);
	});
}

#[test]
fn enrol_only_while_recruiting() {
	ExtBuilder.build_and_execute(|| {
		let t = prepared();
		assert_refused(enrol_call(t, ALICE, 1), Error::WrongStatus);
		open(t);
		assert_ok!(Trials::close_recruitment(RuntimeOrigin::signed(ADMIN), t));
		assert_refused(enrol_call(t, ALICE, 1), Error::WrongStatus);
	});
}

#[test]
fn enrol_needs_the_current_consent_form() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		assert_ok!(Trials::publish_consent_form(RuntimeOrigin::signed(ADMIN), t, h(41)));
		assert_refused(enrol_call(t, ALICE, 1), Error::StaleConsentForm);
		assert_refused(enrol_call(t, ALICE, 3), Error::StaleConsentForm);
		submit(enrol_call(t, ALICE, 2));
	});
}

#[test]
fn a_research_key_enrols_once_per_trial() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		enrol(t, ALICE);
		// A fresh proof by the same key yields the same pseudonym: refused.
		assert_refused(enrol_call(t, ALICE, 1), Error::AlreadyEnrolled);
		assert_eq!(trial(t).enrolled, 1);
	});
}

#[test]
fn enrolment_stops_at_the_planned_number() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		enrol(t, ALICE);
		enrol(t, BOB);
		enrol(t, CAROL);
		assert_refused(enrol_call(t, DAVE, 1), Error::EnrolmentFull);
		// A withdrawal does not free a place (participants are counted as enrolled).
		withdraw(t, BOB);
		assert_refused(enrol_call(t, DAVE, 1), Error::EnrolmentFull);
	});
}

#[test]
fn enrol_refuses_a_bad_proof() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		// Bob's proof does not enrol Alice's pseudonym.
		let (_, proof) = prove(BOB, 0, t, &ring::enrol_message(1));
		let call = crate::Call::enrol {
			trial: t,
			ring: 0,
			consent_form: 1,
			pseudonym: pseudonym(t, ALICE),
			proof,
		};
		assert_refused(call, Error::BadProof);
	});
}

#[test]
fn reconsent_moves_the_participant_to_the_current_form() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let p = enrol(t, ALICE);
		assert_refused(reconsent_call(t, ALICE, 1), Error::AlreadyConsented);
		assert_ok!(Trials::publish_consent_form(RuntimeOrigin::signed(ADMIN), t, h(41)));
		System::set_block_number(6);
		submit(reconsent_call(t, ALICE, 2));
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
		assert_refused(reconsent_call(7, ALICE, 2), Error::TrialNotFound);
		assert_refused(reconsent_call(t, ALICE, 1), Error::StaleConsentForm);
		assert_refused(reconsent_call(t, CAROL, 2), Error::NotParticipant);
		// A proof for another message (an enrolment) does not re-consent.
		let (pseudonym, proof) = prove(ALICE, 0, t, &ring::enrol_message(2));
		let call = crate::Call::reconsent { trial: t, ring: 0, consent_form: 2, pseudonym, proof };
		assert_refused(call, Error::BadProof);
		withdraw(t, BOB);
		assert_refused(reconsent_call(t, BOB, 2), Error::Withdrawn);
		assert_ok!(Trials::close_recruitment(RuntimeOrigin::signed(ADMIN), t));
		assert_ok!(Trials::lock_data(RuntimeOrigin::signed(ADMIN), t, h(77)));
		assert_refused(reconsent_call(t, ALICE, 2), Error::WrongStatus);
	});
}

#[test]
fn withdraw_marks_the_participant_withdrawn_at_any_status() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let p = enrol(t, ALICE);
		enrol(t, BOB);
		System::set_block_number(5);
		withdraw(t, ALICE);
		assert_last_event(Event::ParticipantWithdrew { trial: t, pseudonym: p });
		assert_eq!(
			Participants::<Test>::get(t, p).unwrap().status,
			ParticipantStatus::Withdrawn { at: 5 }
		);
		assert_eq!((trial(t).enrolled, trial(t).withdrawn), (2, 1));
		// Still allowed on a terminated trial.
		assert_ok!(Trials::terminate(RuntimeOrigin::signed(ADMIN), t, h(66)));
		withdraw(t, BOB);
		assert_eq!(trial(t).withdrawn, 2);
	});
}

#[test]
fn withdraw_refusals() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		enrol(t, ALICE);
		assert_refused(withdraw_call(7, ALICE), Error::TrialNotFound);
		assert_refused(withdraw_call(t, BOB), Error::NotParticipant);
		// Bob's proof cannot withdraw Alice.
		let (_, proof) = prove(BOB, 0, t, &ring::withdraw_message());
		let call =
			crate::Call::withdraw { trial: t, ring: 0, pseudonym: pseudonym(t, ALICE), proof };
		assert_refused(call, Error::BadProof);
		withdraw(t, ALICE);
		assert_refused(withdraw_call(t, ALICE), Error::Withdrawn);
		assert_noop!(
			Trials::withdraw(authorized(), 7, 0, [0; 32], [0; crate::RING_PROOF_LEN]),
			Error::<Test>::TrialNotFound
		);
	});
}
