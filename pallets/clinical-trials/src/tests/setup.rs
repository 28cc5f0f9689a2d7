//! Setting a trial up: sites, investigators, consent forms, opening and closing recruitment.

use super::mock::*;
use crate::{ConsentForm, ConsentForms, Error, Event, Investigators, Sites, TrialStatus};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

#[test]
fn add_site_adds_a_site_once() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_ok!(Trials::add_site(signed(ADMIN), t, SITE_A));
		assert_last_event(Event::SiteAdded { trial: t, organisation: SITE_A });
		assert_ok!(Trials::add_site(signed(ADMIN), t, SITE_B));
		assert_eq!(Sites::<Test>::get(t).into_inner(), vec![SITE_A, SITE_B]);
		assert_noop!(Trials::add_site(signed(ADMIN), t, SITE_A), Error::<Test>::AlreadySite);
		assert_noop!(Trials::add_site(signed(ADMIN), t, NON_SITE), Error::<Test>::TooManySites);
	});
}

#[test]
fn add_site_needs_the_sponsor_before_the_lock() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_noop!(Trials::add_site(RuntimeOrigin::none(), t, SITE_A), DispatchError::BadOrigin);
		assert_noop!(Trials::add_site(signed(ADMIN), 7, SITE_A), Error::<Test>::TrialNotFound);
		assert_noop!(
			Trials::add_site(signed(OTHER_ADMIN), t, SITE_A),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(Trials::terminate(signed(ADMIN), t, h(66)));
		assert_noop!(Trials::add_site(signed(ADMIN), t, SITE_A), Error::<Test>::WrongStatus);
	});
}

#[test]
fn add_investigator_needs_an_active_practitioner_of_a_site() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_ok!(Trials::add_site(signed(ADMIN), t, SITE_A));
		assert_noop!(
			Trials::add_investigator(signed(ADMIN), t, OUTSIDER),
			Error::<Test>::NotSitePractitioner
		);
		assert_noop!(
			Trials::add_investigator(signed(ADMIN), t, MALLORY),
			Error::<Test>::NotSitePractitioner
		);
		assert_ok!(Trials::add_investigator(signed(ADMIN), t, INVESTIGATOR));
		assert_last_event(Event::InvestigatorAdded { trial: t, investigator: INVESTIGATOR });
		assert_noop!(
			Trials::add_investigator(signed(ADMIN), t, INVESTIGATOR),
			Error::<Test>::AlreadyInvestigator
		);
		assert_ok!(Trials::add_site(signed(ADMIN), t, SITE_B));
		assert_ok!(Trials::add_investigator(signed(ADMIN), t, DOC_B));
		assert_eq!(Investigators::<Test>::get(t).into_inner(), vec![INVESTIGATOR, DOC_B]);
		set_practitioner(MALLORY, SITE_B);
		assert_noop!(
			Trials::add_investigator(signed(ADMIN), t, MALLORY),
			Error::<Test>::TooManyInvestigators
		);
	});
}

#[test]
fn add_investigator_needs_the_sponsor_before_the_lock() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_ok!(Trials::add_site(signed(ADMIN), t, SITE_A));
		assert_noop!(
			Trials::add_investigator(RuntimeOrigin::none(), t, INVESTIGATOR),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Trials::add_investigator(signed(ADMIN), 7, INVESTIGATOR),
			Error::<Test>::TrialNotFound
		);
		assert_noop!(
			Trials::add_investigator(signed(OTHER_ADMIN), t, INVESTIGATOR),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(Trials::terminate(signed(ADMIN), t, h(66)));
		assert_noop!(
			Trials::add_investigator(signed(ADMIN), t, INVESTIGATOR),
			Error::<Test>::WrongStatus
		);
	});
}

#[test]
fn remove_investigator_removes_them() {
	ExtBuilder.build_and_execute(|| {
		let t = prepared();
		assert_noop!(
			Trials::remove_investigator(signed(ADMIN), t, DOC_B),
			Error::<Test>::NotInvestigator
		);
		assert_noop!(
			Trials::remove_investigator(signed(OTHER_ADMIN), t, INVESTIGATOR),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			Trials::remove_investigator(signed(ADMIN), 7, INVESTIGATOR),
			Error::<Test>::TrialNotFound
		);
		assert_ok!(Trials::remove_investigator(signed(ADMIN), t, INVESTIGATOR));
		assert_last_event(Event::InvestigatorRemoved { trial: t, investigator: INVESTIGATOR });
		assert!(Investigators::<Test>::get(t).is_empty());
	});
}

#[test]
fn publish_consent_form_numbers_versions_from_one() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		System::set_block_number(3);
		assert_ok!(Trials::publish_consent_form(signed(ADMIN), t, h(40)));
		assert_last_event(Event::ConsentFormPublished { trial: t, version: 1, hash: h(40) });
		assert_ok!(Trials::publish_consent_form(signed(ADMIN), t, h(41)));
		assert_last_event(Event::ConsentFormPublished { trial: t, version: 2, hash: h(41) });
		assert_eq!(
			ConsentForms::<Test>::get(t, 1),
			Some(ConsentForm { version: 1, hash: h(40), published_at: 3 })
		);
		assert_eq!(trial(t).consent_form, 2);
		assert_ok!(Trials::publish_consent_form(signed(ADMIN), t, h(42)));
		assert_noop!(
			Trials::publish_consent_form(signed(ADMIN), t, h(43)),
			Error::<Test>::TooManyConsentForms
		);
	});
}

#[test]
fn publish_consent_form_needs_the_sponsor_before_the_lock() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_noop!(
			Trials::publish_consent_form(RuntimeOrigin::none(), t, h(40)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Trials::publish_consent_form(signed(ADMIN), 7, h(40)),
			Error::<Test>::TrialNotFound
		);
		assert_noop!(
			Trials::publish_consent_form(signed(OTHER_ADMIN), t, h(40)),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(Trials::terminate(signed(ADMIN), t, h(66)));
		assert_noop!(
			Trials::publish_consent_form(signed(ADMIN), t, h(40)),
			Error::<Test>::WrongStatus
		);
	});
}

#[test]
fn open_recruitment_takes_the_allocation_commitment() {
	ExtBuilder.build_and_execute(|| {
		let t = prepared();
		// M9: the sponsor's own admin cannot hold the seed.
		assert_noop!(
			Trials::open_recruitment(signed(ADMIN), t, ADMIN, commitment()),
			Error::<Test>::RandomiserNotIndependent
		);
		open(t);
		assert_last_event(Event::RecruitmentOpened {
			trial: t,
			randomiser: RANDOMISER,
			commitment: commitment(),
		});
		assert_eq!(trial(t).status, TrialStatus::Recruiting);
		assert_eq!(trial(t).allocation_commitment, Some(commitment()));
		assert_eq!(trial(t).randomiser, Some(RANDOMISER));
		assert_noop!(
			Trials::open_recruitment(signed(ADMIN), t, RANDOMISER, commitment()),
			Error::<Test>::WrongStatus
		);
	});
}

#[test]
fn open_recruitment_needs_a_site_and_a_consent_form() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_noop!(
			Trials::open_recruitment(RuntimeOrigin::none(), t, RANDOMISER, commitment()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Trials::open_recruitment(signed(ADMIN), 7, RANDOMISER, commitment()),
			Error::<Test>::TrialNotFound
		);
		assert_noop!(
			Trials::open_recruitment(signed(OTHER_ADMIN), t, RANDOMISER, commitment()),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			Trials::open_recruitment(signed(ADMIN), t, RANDOMISER, commitment()),
			Error::<Test>::NoSite
		);
		assert_ok!(Trials::add_site(signed(ADMIN), t, SITE_A));
		assert_noop!(
			Trials::open_recruitment(signed(ADMIN), t, RANDOMISER, commitment()),
			Error::<Test>::NoConsentForm
		);
	});
}

#[test]
fn close_recruitment_ends_enrolment() {
	ExtBuilder.build_and_execute(|| {
		let t = prepared();
		assert_noop!(Trials::close_recruitment(signed(ADMIN), t), Error::<Test>::WrongStatus);
		open(t);
		enrol(t, ALICE);
		assert_noop!(Trials::close_recruitment(RuntimeOrigin::none(), t), DispatchError::BadOrigin);
		assert_noop!(Trials::close_recruitment(signed(ADMIN), 7), Error::<Test>::TrialNotFound);
		assert_noop!(
			Trials::close_recruitment(signed(OTHER_ADMIN), t),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(Trials::close_recruitment(signed(ADMIN), t));
		assert_last_event(Event::RecruitmentClosed { trial: t, enrolled: 1 });
		assert_eq!(trial(t).status, TrialStatus::Active);
		assert_noop!(Trials::close_recruitment(signed(ADMIN), t), Error::<Test>::WrongStatus);
	});
}
