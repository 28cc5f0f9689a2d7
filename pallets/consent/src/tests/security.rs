//! Fixes of the December 2026 security review in pallet-consent: each test is named after its
//! finding and fails on the code the review read (d0d3181).

use super::mock::*;
use crate::{
	Emergencies, Error, Event, GrantOwner, Grants, PastEmergencies, PastGrants, ReceiptCount,
	Receipts, Reviewer, UnreviewedEmergencies,
};
use frame_support::{assert_noop, assert_ok};
use medchain_primitives::{
	AccessTarget::{Class, Record},
	ConsentAction::{Read, Write},
	PractitionerRole,
	PurposeOfUse::{EmergencyTreatment, Research, Treatment},
};
use polkadot_sdk::*;

/// Read for research of the General class.
fn research_general(effect: Effect) -> crate::ProvisionOf<Test> {
	provision(effect, &[Read], &[Research], &[GENERAL], &[])
}

/// H4: a permitted actor evicted older receipts (emergencies included) by writing more than
/// the log kept; now every receipt stays, however many follow.
#[test]
fn h4_no_receipt_is_ever_evicted() {
	ExtBuilder.build_and_execute(|| {
		open_emergency(ER_DOC, ALICE);
		grant(ALICE, account(RESEARCHER), research_general(Effect::Permit));
		// The old log kept 4 receipts in the mock (1,000 in the runtime): write far more.
		for _ in 0..50 {
			assert_ok!(Consent::record_access(
				RuntimeOrigin::signed(RESEARCHER),
				ALICE,
				Class(GENERAL),
				Research,
				Read
			));
		}
		assert_eq!(ReceiptCount::<Test>::get(ALICE), 51);
		assert_eq!(Receipts::<Test>::iter_prefix(ALICE).count(), 51);
		// The emergency's opening, the first receipt, is still there and is the last page's.
		let first = Receipts::<Test>::get(ALICE, 0).expect("the first receipt is kept");
		assert!(matches!(first.entry, crate::LogEntry::EmergencyOpened { .. }));
		assert_eq!(first.actor, ER_DOC);
		assert_eq!(Consent::access_log(&ALICE, Some(1), 10), vec![first]);
	});
}

/// H4: the receipt's target was the caller's word: a General permit yielded a receipt for a
/// MentalHealth record labelled General, or for another patient's record.
#[test]
fn h4_a_receipt_target_comes_from_the_records_pallet() {
	ExtBuilder.build_and_execute(|| {
		grant(ALICE, account(DOC), treat_general(Effect::Permit));
		add_record(3, ALICE, MENTAL_HEALTH);
		add_record(4, BOB, GENERAL);
		add_record(5, ALICE, GENERAL);
		let access = |record, class| {
			Consent::record_access(
				RuntimeOrigin::signed(DOC),
				ALICE,
				Record { record, class },
				Treatment,
				Read,
			)
		};
		// A MentalHealth record passed off as General.
		assert_noop!(access(3, GENERAL), Error::<Test>::WrongClassTag);
		// Named truthfully, consent refuses it.
		assert_noop!(access(3, MENTAL_HEALTH), Error::<Test>::AccessDenied);
		// Another patient's record, a record that does not exist, an erased one.
		assert_noop!(access(4, GENERAL), Error::<Test>::RecordNotFound);
		assert_noop!(access(99, GENERAL), Error::<Test>::RecordNotFound);
		assert_ok!(access(5, GENERAL));
		erase_record(5);
		assert_noop!(access(5, GENERAL), Error::<Test>::RecordNotFound);
		assert_eq!(ReceiptCount::<Test>::get(ALICE), 1);
	});
}

/// H5: a review that found an emergency access unjustified left it in force.
#[test]
fn h5_an_unjustified_review_ends_the_access() {
	ExtBuilder.build_and_execute(|| {
		let emergency = open_emergency(ER_DOC, ALICE);
		assert!(permitted(ALICE, ER_DOC, Read, EmergencyTreatment, Class(MENTAL_HEALTH)));
		System::set_block_number(3);
		assert_ok!(Consent::review_emergency(RuntimeOrigin::root(), emergency, false));
		assert!(!permitted(ALICE, ER_DOC, Read, EmergencyTreatment, Class(MENTAL_HEALTH)));
		assert!(!permitted(ALICE, ER_DOC, Write, EmergencyTreatment, Class(GENERAL)));
		// It was in force before the review: the past stays as it was.
		assert!(
			Consent::evaluate_access_at(
				&ALICE,
				&ER_DOC,
				Read,
				EmergencyTreatment,
				Class(GENERAL),
				2
			)
			.permitted
		);
		// The physician may open a new one (reviewed in turn), the ended one no longer counts.
		let again = open_emergency(ER_DOC, ALICE);
		assert!(PastEmergencies::<Test>::contains_key(emergency));
		assert_eq!(Emergencies::<Test>::get(ALICE).map(|l| l.len()), Some(1));
		assert!(UnreviewedEmergencies::<Test>::contains_key(again));
	});
}

/// H5: sixteen (two in the mock) expired, unreviewed emergencies blocked every new break-glass
/// for the patient; now they are archived and still awaiting review.
#[test]
fn h5_expired_unreviewed_emergencies_do_not_block_new_ones() {
	ExtBuilder.build_and_execute(|| {
		set_practitioner(DOC_B, ORG_B, PractitionerRole::EmergencyPhysician);
		set_practitioner(NURSE, ORG_A, PractitionerRole::EmergencyPhysician);
		let first = open_emergency(ER_DOC, ALICE);
		let second = open_emergency(DOC_B, ALICE);
		System::set_block_number(1 + EMERGENCY_DURATION);
		let third = open_emergency(NURSE, ALICE);
		assert_eq!(
			Emergencies::<Test>::get(ALICE).map(|l| l.iter().map(|e| e.id).collect::<Vec<_>>()),
			Some(vec![third])
		);
		// Neither archived emergency is lost to its review.
		for id in [first, second] {
			assert!(UnreviewedEmergencies::<Test>::contains_key(id));
			assert_eq!(Consent::unreviewed_emergencies(None, 10).len(), 3);
		}
		assert_ok!(Consent::review_emergency(RuntimeOrigin::root(), first, false));
		assert!(!UnreviewedEmergencies::<Test>::contains_key(first));
		assert_eq!(
			PastEmergencies::<Test>::get(first).and_then(|e| e.review).map(|r| r.justified),
			Some(false)
		);
		assert!(events().contains(&Event::EmergencyReviewed {
			emergency: first,
			reviewer: crate::Reviewer::ReviewAuthority,
			justified: false,
			late: false,
		}));
		assert_noop!(
			Consent::review_emergency(RuntimeOrigin::root(), first, true),
			Error::<Test>::AlreadyReviewed
		);
	});
}

/// M1: a record-level deny did not answer a question about the record's class, while a class
/// permit did: access to the class meant access to the denied record.
#[test]
fn m1_a_record_deny_covers_a_question_about_its_class() {
	ExtBuilder.build_and_execute(|| {
		add_record(9, ALICE, GENERAL);
		add_record(10, ALICE, MENTAL_HEALTH);
		add_record(11, BOB, GENERAL);
		grant(ALICE, role(ORG_A, PractitionerRole::Physician), treat_general(Effect::Permit));
		let deny =
			grant(ALICE, account(DOC), provision(Effect::Deny, &[Read], &[Treatment], &[], &[9]));
		let decision = Consent::evaluate_access(&ALICE, &DOC, Read, Treatment, Class(GENERAL));
		assert!(!decision.permitted);
		assert_eq!(decision.grant, Some(deny));
		// Not other actions, purposes, or classes the denied record is not in.
		assert!(permitted(ALICE, DOC, Write, Treatment, Class(GENERAL)));
		grant(
			ALICE,
			account(DOC),
			provision(Effect::Permit, &[Read], &[Treatment], &[MENTAL_HEALTH], &[]),
		);
		assert!(permitted(ALICE, DOC, Read, Treatment, Class(MENTAL_HEALTH)));
		// Another of Alice's General records, asked about by record, stays permitted.
		assert!(permitted(ALICE, DOC, Read, Treatment, Record { record: 12, class: GENERAL }));
		// A grant naming another patient's record (chain ids are global) is refused: it could
		// say nothing about this patient's data.
		grant(ALICE, account(NURSE), treat_general(Effect::Permit));
		assert_noop!(
			Consent::grant_consent(
				RuntimeOrigin::signed(ALICE),
				account(NURSE),
				provision(Effect::Deny, &[Read], &[Treatment], &[], &[11]),
				None,
				None
			),
			Error::<Test>::RecordNotFound
		);
		assert!(permitted(ALICE, NURSE, Read, Treatment, Class(GENERAL)));
		// The deny keeps covering the class once its record is erased: erasure ends no
		// denial.
		erase_record(9);
		assert_eq!(
			Consent::evaluate_access(&ALICE, &DOC, Read, Treatment, Class(GENERAL)).grant,
			Some(deny)
		);
	});
}

/// M1: a role deny was ignored once the practitioner was suspended, so an account permit
/// for a non-clinical purpose came back into force.
#[test]
fn m1_a_role_deny_still_applies_to_a_suspended_practitioner() {
	ExtBuilder.build_and_execute(|| {
		set_practitioner(RESEARCHER, ORG_B, PractitionerRole::Researcher);
		grant(ALICE, account(RESEARCHER), research_general(Effect::Permit));
		let deny =
			grant(ALICE, role(ORG_B, PractitionerRole::Researcher), research_general(Effect::Deny));
		assert!(!permitted(ALICE, RESEARCHER, Read, Research, Class(GENERAL)));
		set_inactive(RESEARCHER);
		let decision =
			Consent::evaluate_access(&ALICE, &RESEARCHER, Read, Research, Class(GENERAL));
		assert!(!decision.permitted);
		assert_eq!(decision.grant, Some(deny));
		// Once detached they are no longer the role the deny names; their own permit applies.
		detach(RESEARCHER);
		assert!(permitted(ALICE, RESEARCHER, Read, Research, Class(GENERAL)));
	});
}

/// M4: ended grants were never pruned, so after 64 (12 in the mock) a patient could never
/// grant again; now ended grants move to the archive and their history is kept.
#[test]
fn m4_a_patient_never_runs_out_of_grants() {
	ExtBuilder.build_and_execute(|| {
		let mut ended = Vec::new();
		for _ in 0..MAX_GRANTS * 3 {
			let id = grant(ALICE, account(DOC), treat_general(Effect::Permit));
			assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id));
			ended.push(id);
		}
		let last = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		assert!(permitted(ALICE, DOC, Read, Treatment, Class(GENERAL)));
		// Every ended grant is kept, listed or archived, and still indexed.
		for id in &ended {
			assert_eq!(GrantOwner::<Test>::get(id), Some(ALICE));
			let listed = Grants::<Test>::get(ALICE).unwrap().iter().any(|g| g.id == *id);
			assert!(listed ^ PastGrants::<Test>::contains_key(ALICE, id));
		}
		assert!(events().contains(&Event::GrantArchived { grant: ended[0], patient: ALICE }));
		let archived = Consent::past_grants_of(&ALICE, None, MAX_PAGE_SIZE);
		assert_eq!(archived.len() as u32, MAX_PAGE_SIZE);
		assert!(archived.iter().all(|g| g.ended.is_some()));
		let next = Consent::past_grants_of(&ALICE, archived.last().map(|g| g.id), MAX_PAGE_SIZE);
		assert!(next.iter().all(|g| !archived.contains(g)));
		// Only grants in force fill the list for good.
		let _ = last;
	});
}

/// M4: the list bound still holds for grants in force.
#[test]
fn m4_grants_in_force_are_still_bounded() {
	ExtBuilder.build_and_execute(|| {
		for n in 0..u64::from(MAX_GRANTS) {
			grant(ALICE, account(100 + n), treat_general(Effect::Permit));
		}
		assert_noop!(
			Consent::grant_consent(
				RuntimeOrigin::signed(ALICE),
				account(DOC),
				treat_general(Effect::Permit),
				None,
				None
			),
			Error::<Test>::TooManyGrants
		);
	});
}

/// H3: review by a treating organisation's admin needed a public list of the organisations
/// treating each patient. The privacy officer of the organisation the access was opened for
/// reviews it; nothing on chain names the patient's organisations.
#[test]
fn h3_an_emergency_is_reviewed_without_a_list_of_the_patients_organisations() {
	ExtBuilder.build_and_execute(|| {
		let emergency = open_emergency(ER_DOC, BOB);
		// Hospital A's privacy officer has nothing to do with this access.
		assert_noop!(
			Consent::review_emergency(RuntimeOrigin::signed(PRIVACY_A), emergency, true),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(Consent::review_emergency(RuntimeOrigin::signed(PRIVACY_B), emergency, true));
		System::assert_last_event(
			Event::EmergencyReviewed {
				emergency,
				reviewer: Reviewer::PrivacyOfficer { officer: PRIVACY_B, organisation: ORG_B },
				justified: true,
				late: false,
			}
			.into(),
		);
	});
}
