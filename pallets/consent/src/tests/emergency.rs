//! Break-glass: opening emergency access, its expiry, the access log, review and the list of
//! unreviewed emergencies.

use super::mock::*;
use crate::{
	Emergencies, Emergency, EmergencyPatient, Error, Event, LogEntry, NextEmergencyId,
	ReceiptCount, Review, Reviewer, UnreviewedEmergencies,
};
use frame_support::{assert_noop, assert_ok};
use medchain_primitives::{
	AccessTarget::Class, ConsentAction::Read, PractitionerRole, PurposeOfUse::EmergencyTreatment,
};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

/// `who` opens emergency access to `patient` for `reason`.
fn open_call(who: u64, patient: u64) -> sp_runtime::DispatchResult {
	Consent::open_emergency_access(RuntimeOrigin::signed(who), patient, [0xE7u8; 32])
}

/// `origin` reviews `emergency`.
fn review_call(
	origin: RuntimeOrigin,
	emergency: u64,
	justified: bool,
) -> sp_runtime::DispatchResult {
	Consent::review_emergency(origin, emergency, justified)
}

#[test]
fn open_emergency_access_stores_logs_and_lists_it() {
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(4);
		assert_ok!(Consent::open_emergency_access(
			RuntimeOrigin::signed(ER_DOC),
			ALICE,
			[0xE1u8; 32]
		));
		let expected = Emergency {
			id: 0,
			patient: ALICE,
			practitioner: ER_DOC,
			organisation: ORG_B,
			reason: [0xE1u8; 32],
			opened_at: 4,
			expires_at: 4 + EMERGENCY_DURATION,
			review_deadline: 4 + REVIEW_DEADLINE,
			review: None,
		};
		assert_last_event(Event::EmergencyAccessOpened {
			emergency: 0,
			patient: ALICE,
			practitioner: ER_DOC,
			organisation: ORG_B,
			reason: [0xE1u8; 32],
			expires_at: 4 + EMERGENCY_DURATION,
			review_deadline: 4 + REVIEW_DEADLINE,
		});
		assert_eq!(Emergencies::<Test>::get(ALICE).unwrap().into_inner(), vec![expected.clone()]);
		assert_eq!(EmergencyPatient::<Test>::get(0), Some(ALICE));
		assert!(UnreviewedEmergencies::<Test>::contains_key(0));
		assert_eq!(NextEmergencyId::<Test>::get(), 1);
		assert_eq!(Consent::emergency(0), Some(expected.clone()));
		assert_eq!(Consent::unreviewed_emergencies(None, 10), vec![expected]);
		// The patient sees it in their access log.
		let log = Consent::access_log(&ALICE, None, 10);
		assert_eq!(log.len(), 1);
		assert_eq!((log[0].actor, log[0].at), (ER_DOC, 4));
		assert_eq!(log[0].entry, LogEntry::EmergencyOpened { emergency: 0, reason: [0xE1u8; 32] });
		assert!(permitted(ALICE, ER_DOC, Read, EmergencyTreatment, Class(MENTAL_HEALTH)));
	});
}

#[test]
fn open_emergency_access_error_paths() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Consent::open_emergency_access(RuntimeOrigin::none(), ALICE, [0xE1u8; 32]),
			DispatchError::BadOrigin
		);
		assert_noop!(open_call(MALLORY, ALICE), Error::<Test>::NotActivePractitioner);
		assert_noop!(open_call(DOC, ALICE), Error::<Test>::NotEmergencyPhysician);
		register_patient(ER_DOC);
		assert_noop!(open_call(ER_DOC, ER_DOC), Error::<Test>::SelfAccess);
		assert_noop!(open_call(ER_DOC, MALLORY), Error::<Test>::PatientNotFound);
		assert_noop!(
			Consent::open_emergency_access(RuntimeOrigin::signed(ER_DOC), ALICE, [0u8; 32]),
			Error::<Test>::EmptyReason
		);
		set_inactive(ER_DOC);
		assert_noop!(open_call(ER_DOC, ALICE), Error::<Test>::NotActivePractitioner);
	});
}

#[test]
fn one_open_emergency_per_physician_and_patient_and_it_reopens_after_expiry() {
	ExtBuilder.build_and_execute(|| {
		let first = open_emergency(ER_DOC, ALICE);
		System::set_block_number(EMERGENCY_DURATION);
		assert_noop!(open_call(ER_DOC, ALICE), Error::<Test>::EmergencyAlreadyOpen);
		// Another patient, or another physician, is fine.
		open_emergency(ER_DOC, BOB);
		System::set_block_number(1 + EMERGENCY_DURATION);
		assert!(!permitted(ALICE, ER_DOC, Read, EmergencyTreatment, Class(MENTAL_HEALTH)));
		let second = open_emergency(ER_DOC, ALICE);
		assert_eq!((first, second), (0, 2));
	});
}

#[test]
fn emergencies_in_force_are_bounded_and_the_others_archived() {
	ExtBuilder.build_and_execute(|| {
		set_practitioner(DOC_B, ORG_B, PractitionerRole::EmergencyPhysician);
		set_practitioner(NURSE, ORG_A, PractitionerRole::EmergencyPhysician);
		let first = open_emergency(ER_DOC, ALICE);
		let second = open_emergency(DOC_B, ALICE);
		// Two in force: the bound.
		assert_noop!(open_call(NURSE, ALICE), Error::<Test>::TooManyEmergencies);
		// Reviewed (justified) but still in force: still counts.
		assert_ok!(review_call(RuntimeOrigin::root(), second, true));
		System::set_block_number(EMERGENCY_DURATION);
		assert_noop!(open_call(NURSE, ALICE), Error::<Test>::TooManyEmergencies);
		System::set_block_number(1 + EMERGENCY_DURATION);
		let third = open_emergency(NURSE, ALICE);
		assert!(events().contains(&Event::EmergencyArchived { emergency: first, patient: ALICE }));
		assert!(events().contains(&Event::EmergencyArchived { emergency: second, patient: ALICE }));
		let kept: Vec<u64> =
			Emergencies::<Test>::get(ALICE).unwrap().iter().map(|e| e.id).collect();
		assert_eq!(kept, vec![third]);
		// Archived, not lost.
		assert_eq!(EmergencyPatient::<Test>::get(second), Some(ALICE));
		assert_eq!(Consent::emergency(second).map(|e| e.id), Some(second));
		assert!(crate::PastEmergencies::<Test>::contains_key(first));
	});
}

#[test]
fn open_emergency_access_refuses_on_overflow() {
	ExtBuilder.build_and_execute(|| {
		NextEmergencyId::<Test>::put(u64::MAX);
		assert_noop!(open_call(ER_DOC, ALICE), Error::<Test>::Overflow);
		NextEmergencyId::<Test>::put(0);
		System::set_block_number(u64::MAX - 1);
		assert_noop!(open_call(ER_DOC, ALICE), Error::<Test>::Overflow);
		System::set_block_number(1);
		ReceiptCount::<Test>::insert(ALICE, u64::MAX);
		assert_noop!(open_call(ER_DOC, ALICE), Error::<Test>::Overflow);
		ReceiptCount::<Test>::remove(ALICE);
	});
}

#[test]
fn the_review_origin_reviews() {
	ExtBuilder.build_and_execute(|| {
		let id = open_emergency(ER_DOC, ALICE);
		System::set_block_number(5);
		assert_ok!(review_call(RuntimeOrigin::root(), id, true));
		assert_last_event(Event::EmergencyReviewed {
			emergency: id,
			reviewer: Reviewer::ReviewAuthority,
			justified: true,
			late: false,
		});
		assert_eq!(
			Consent::emergency(id).unwrap().review,
			Some(Review { reviewer: Reviewer::ReviewAuthority, at: 5, justified: true })
		);
		assert!(!UnreviewedEmergencies::<Test>::contains_key(id));
		assert!(Consent::unreviewed_emergencies(None, 10).is_empty());
		// The review does not close the access.
		assert!(permitted(ALICE, ER_DOC, Read, EmergencyTreatment, Class(MENTAL_HEALTH)));
	});
}

#[test]
fn a_privacy_officer_of_the_accesss_organisation_reviews_late_or_on_time() {
	ExtBuilder.build_and_execute(|| {
		let id = open_emergency(ER_DOC, ALICE);
		System::set_block_number(2 + REVIEW_DEADLINE);
		assert_ok!(review_call(RuntimeOrigin::signed(PRIVACY_B), id, false));
		assert_last_event(Event::EmergencyReviewed {
			emergency: id,
			reviewer: Reviewer::PrivacyOfficer { officer: PRIVACY_B, organisation: ORG_B },
			justified: false,
			late: true,
		});
		// On the deadline itself is on time.
		let other = open_emergency(ER_DOC, BOB);
		System::set_block_number(2 + REVIEW_DEADLINE + REVIEW_DEADLINE);
		assert_ok!(review_call(RuntimeOrigin::signed(PRIVACY_B), other, true));
		assert_last_event(Event::EmergencyReviewed {
			emergency: other,
			reviewer: Reviewer::PrivacyOfficer { officer: PRIVACY_B, organisation: ORG_B },
			justified: true,
			late: false,
		});
	});
}

#[test]
fn review_emergency_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let id = open_emergency(ER_DOC, ALICE);
		assert_noop!(review_call(RuntimeOrigin::root(), 9, true), Error::<Test>::EmergencyNotFound);
		assert_noop!(review_call(RuntimeOrigin::none(), id, true), DispatchError::BadOrigin);
		// Not a practitioner; the organisation's admin; another organisation's privacy
		// officer; a colleague in another role.
		for who in [MALLORY, ADMIN_B, PRIVACY_A, DOC_B] {
			assert_noop!(
				review_call(RuntimeOrigin::signed(who), id, true),
				Error::<Test>::NotAuthorized
			);
		}
		// A privacy officer who is not active (suspended, licence expired).
		set_inactive(PRIVACY_B);
		assert_noop!(
			review_call(RuntimeOrigin::signed(PRIVACY_B), id, true),
			Error::<Test>::NotAuthorized
		);
		set_practitioner(PRIVACY_B, ORG_B, PractitionerRole::PrivacyOfficer);
		// The physician who opened it cannot review it, even as a privacy officer since.
		set_practitioner(ER_DOC, ORG_B, PractitionerRole::PrivacyOfficer);
		assert_noop!(
			review_call(RuntimeOrigin::signed(ER_DOC), id, true),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(review_call(RuntimeOrigin::signed(PRIVACY_B), id, true));
		assert_noop!(review_call(RuntimeOrigin::root(), id, false), Error::<Test>::AlreadyReviewed);
	});
}

#[test]
fn unreviewed_emergencies_are_listed_in_pages() {
	ExtBuilder.build_and_execute(|| {
		set_practitioner(DOC_B, ORG_B, PractitionerRole::EmergencyPhysician);
		register_patient(MALLORY);
		for (doc, patient) in [(ER_DOC, ALICE), (ER_DOC, BOB), (DOC_B, ALICE), (ER_DOC, MALLORY)] {
			open_emergency(doc, patient);
		}
		assert_ok!(review_call(RuntimeOrigin::root(), 1, true));
		let first = Consent::unreviewed_emergencies(None, 100);
		assert_eq!(first.len() as u32, MAX_PAGE_SIZE);
		let last = first.last().unwrap().id;
		let rest = Consent::unreviewed_emergencies(Some(last), 100);
		let mut ids: Vec<u64> = first.iter().chain(rest.iter()).map(|e| e.id).collect();
		ids.sort();
		assert_eq!(ids, vec![0, 2, 3]);
		assert!(Consent::unreviewed_emergencies(None, 0).is_empty());
	});
}

/// H3: the reason for break-glass was a public code (`LifeThreatening` next to the patient's
/// account); it is a salted commitment now, and the opening stores and emits nothing else about it.
#[test]
fn h3_an_emergency_reason_is_only_a_commitment() {
	ExtBuilder.build_and_execute(|| {
		let note = b"code 12: unconscious on arrival";
		let salt = [0x5au8; 32];
		let reason = sp_io::hashing::blake2_256(
			&[&b"medchain/emergency-reason/v1"[..], &salt[..], &note[..]].concat(),
		);
		assert_ok!(Consent::open_emergency_access(RuntimeOrigin::signed(ER_DOC), ALICE, reason));
		let stored = Emergencies::<Test>::get(ALICE).unwrap()[0].clone();
		assert_eq!(stored.reason, reason);
		let everything = (stored, System::events(), crate::Receipts::<Test>::get(ALICE, 0));
		let encoded = codec::Encode::encode(&everything);
		assert!(!encoded.windows(note.len()).any(|w| w == note));
		assert!(!encoded.windows(7).any(|w| w == b"code 12"));
	});
}
