//! Wrapped data keys: adding (or replacing) one for a grantee, removing one.

use super::mock::*;
use crate::{Error, Event, RecordId, Records, WrappedKeyOf, WrappedKeys};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use medchain_primitives::{AccessTarget, ConsentAction, PurposeOfUse};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn add(
	who: u64,
	record: RecordId,
	grantee: u64,
	k: WrappedKeyOf<Test>,
) -> sp_runtime::DispatchResult {
	MedicalRecords::add_wrapped_key(
		RuntimeOrigin::signed(who),
		record,
		grantee,
		k,
		PurposeOfUse::Treatment,
	)
}

fn remove(who: u64, record: RecordId, grantee: u64) -> sp_runtime::DispatchResult {
	MedicalRecords::remove_wrapped_key(RuntimeOrigin::signed(who), record, grantee)
}

fn grantees(record: RecordId) -> Option<u32> {
	Records::<Test>::get(record).map(|r| r.grantees)
}

#[test]
fn the_patient_wraps_the_key_for_a_grantee() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		assert_ok!(add(ALICE, record, DOC_B, key(7)));
		assert_last_event(Event::WrappedKeyAdded { record, grantee: DOC_B, by: ALICE });
		assert_eq!(WrappedKeys::<Test>::get(record, DOC_B), Some(key(7)));
		assert_eq!(grantees(record), Some(3));
	});
}

#[test]
fn a_custodian_practitioner_with_consent_wraps_the_key_for_a_grantee() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		// A colleague who did not author the record shares it with another organisation.
		assert_ok!(add(NURSE, record, DOC_B, key(7)));
		assert_last_event(Event::WrappedKeyAdded { record, grantee: DOC_B, by: NURSE });
		assert_eq!(grantees(record), Some(3));
	});
}

#[test]
fn replacing_a_wrapped_key_keeps_the_count() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		// The patient rotated their encryption key and re-wraps the data key.
		assert_ok!(add(ALICE, record, ALICE, key(8)));
		assert_last_event(Event::WrappedKeyReplaced { record, grantee: ALICE, by: ALICE });
		assert_eq!(WrappedKeys::<Test>::get(record, ALICE), Some(key(8)));
		assert_eq!(grantees(record), Some(2));
		// A practitioner replaces their own key.
		assert_ok!(add(DOC, record, DOC, key(9)));
		assert_last_event(Event::WrappedKeyReplaced { record, grantee: DOC, by: DOC });
		assert_eq!(WrappedKeys::<Test>::get(record, DOC), Some(key(9)));
		assert_eq!(grantees(record), Some(2));
		// But never the patient's own key.
		assert_noop!(add(DOC, record, ALICE, key(10)), Error::<Test>::NotAuthorized);
	});
}

#[test]
fn who_may_add_a_wrapped_key() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		// Another organisation's practitioner.
		assert_noop!(add(DOC_B, record, MALLORY, key(7)), Error::<Test>::NotAuthorized);
		// Another patient, a stranger, an admin: not practitioners.
		assert_noop!(add(BOB, record, BOB, key(7)), Error::<Test>::NotActivePractitioner);
		assert_noop!(add(MALLORY, record, MALLORY, key(7)), Error::<Test>::NotActivePractitioner);
		assert_noop!(add(ADMIN_A, record, MALLORY, key(7)), Error::<Test>::NotActivePractitioner);
		// The author once suspended.
		set_inactive(DOC);
		assert_noop!(add(DOC, record, MALLORY, key(7)), Error::<Test>::NotActivePractitioner);
		// A colleague whose consent was withdrawn, for everything or for the record's class.
		deny_consent(ALICE, NURSE);
		assert_noop!(add(NURSE, record, DOC_B, key(7)), Error::<Test>::ShareDenied);
		let sensitive = anchor_class(DOC_B, ALICE, SEXUAL_HEALTH, 2);
		set_practitioner(NURSE, ORG_B, medchain_primitives::PractitionerRole::Nurse);
		allow_consent(ALICE, NURSE, ORG_B);
		deny_class(ALICE, NURSE, SEXUAL_HEALTH);
		assert_noop!(add(NURSE, sensitive, MALLORY, key(7)), Error::<Test>::ShareDenied);
		assert_noop!(
			MedicalRecords::add_wrapped_key(
				RuntimeOrigin::none(),
				record,
				MALLORY,
				key(7),
				PurposeOfUse::Treatment
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn only_the_patient_shares_a_self_reported_record() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor_self(ALICE, 1);
		assert_noop!(add(BOB, record, BOB, key(7)), Error::<Test>::NotAuthorized);
		assert_noop!(add(DOC, record, DOC, key(7)), Error::<Test>::NotAuthorized);
		assert_ok!(add(ALICE, record, DOC, key(7)));
		assert_last_event(Event::WrappedKeyAdded { record, grantee: DOC, by: ALICE });
		assert_eq!(grantees(record), Some(2));
	});
}

#[test]
fn add_wrapped_key_field_and_state_errors() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(add(ALICE, 5, DOC_B, key(7)), Error::<Test>::RecordNotFound);
		let record = anchor(DOC, ALICE, 1);
		assert_noop!(
			add(ALICE, record, DOC_B, BoundedVec::default()),
			Error::<Test>::EmptyWrappedKey
		);
		assert_noop!(
			add(DOC, record, DOC_B, BoundedVec::default()),
			Error::<Test>::EmptyWrappedKey
		);
		// Two grantees already (patient, author); fill up to the bound.
		for grantee in 2..MAX_GRANTEES as u64 {
			assert_ok!(add(ALICE, record, 100 + grantee, key(7)));
		}
		assert_eq!(grantees(record), Some(MAX_GRANTEES));
		assert_noop!(add(ALICE, record, DOC_B, key(7)), Error::<Test>::TooManyGrantees);
		// Replacing an existing key is still possible when full.
		assert_ok!(add(ALICE, record, DOC, key(8)));
		// The count would overflow (only with inconsistent storage).
		Records::<Test>::mutate(record, |r| {
			if let Some(r) = r {
				r.grantees = u32::MAX
			}
		});
		assert_noop!(add(ALICE, record, DOC_B, key(7)), Error::<Test>::Overflow);
		Records::<Test>::mutate(record, |r| {
			if let Some(r) = r {
				r.grantees = MAX_GRANTEES
			}
		});
	});
}

#[test]
fn keys_of_an_erased_record_cannot_be_added_or_removed() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(ALICE), record));
		assert_noop!(add(ALICE, record, DOC_B, key(7)), Error::<Test>::Erased);
		assert_noop!(add(ALICE, record, ALICE, key(7)), Error::<Test>::Erased);
		assert_noop!(remove(ALICE, record, DOC), Error::<Test>::Erased);
	});
}

#[test]
fn the_patient_removes_a_grantees_key() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		assert_ok!(add(ALICE, record, DOC_B, key(7)));
		assert_ok!(remove(ALICE, record, DOC_B));
		assert_last_event(Event::WrappedKeyRemoved { record, grantee: DOC_B, by: ALICE });
		assert!(!WrappedKeys::<Test>::contains_key(record, DOC_B));
		assert_eq!(grantees(record), Some(2));
		// Even the author's.
		assert_ok!(remove(ALICE, record, DOC));
		assert_eq!(grantees(record), Some(1));
		// And the grantee can be added again.
		assert_ok!(add(ALICE, record, DOC_B, key(8)));
		assert_eq!(grantees(record), Some(2));
	});
}

#[test]
fn a_custodian_practitioner_removes_a_key_without_needing_consent() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		assert_ok!(add(ALICE, record, DOC_B, key(7)));
		deny_consent(ALICE, NURSE);
		assert_ok!(remove(NURSE, record, DOC_B));
		assert_last_event(Event::WrappedKeyRemoved { record, grantee: DOC_B, by: NURSE });
		assert_eq!(grantees(record), Some(2));
	});
}

#[test]
fn who_may_remove_a_wrapped_key() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		assert_ok!(add(ALICE, record, MALLORY, key(7)));
		assert_noop!(remove(DOC_B, record, MALLORY), Error::<Test>::NotAuthorized);
		assert_noop!(remove(BOB, record, MALLORY), Error::<Test>::NotActivePractitioner);
		assert_noop!(remove(MALLORY, record, MALLORY), Error::<Test>::NotActivePractitioner);
		assert_noop!(remove(ADMIN_A, record, MALLORY), Error::<Test>::NotActivePractitioner);
		set_inactive(NURSE);
		assert_noop!(remove(NURSE, record, MALLORY), Error::<Test>::NotActivePractitioner);
		assert_noop!(
			MedicalRecords::remove_wrapped_key(RuntimeOrigin::none(), record, MALLORY),
			DispatchError::BadOrigin
		);
		// On a self-reported record only the patient removes keys.
		let own = anchor_self(ALICE, 2);
		assert_ok!(add(ALICE, own, DOC, key(7)));
		assert_noop!(remove(DOC, own, DOC), Error::<Test>::NotAuthorized);
		assert_noop!(remove(BOB, own, DOC), Error::<Test>::NotAuthorized);
		assert_ok!(remove(ALICE, own, DOC));
	});
}

#[test]
fn remove_wrapped_key_error_paths() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(remove(ALICE, 4, DOC), Error::<Test>::RecordNotFound);
		let record = anchor(DOC, ALICE, 1);
		// The patient's own key stays until erasure, whoever asks.
		assert_noop!(remove(ALICE, record, ALICE), Error::<Test>::CannotRemovePatientKey);
		assert_noop!(remove(DOC, record, ALICE), Error::<Test>::CannotRemovePatientKey);
		assert_noop!(remove(ALICE, record, DOC_B), Error::<Test>::KeyNotFound);
		assert_noop!(remove(NURSE, record, NURSE), Error::<Test>::KeyNotFound);
		// The count would underflow (only with inconsistent storage).
		Records::<Test>::mutate(record, |r| {
			if let Some(r) = r {
				r.grantees = 0
			}
		});
		assert_noop!(remove(ALICE, record, DOC), Error::<Test>::Overflow);
		Records::<Test>::mutate(record, |r| {
			if let Some(r) = r {
				r.grantees = 2
			}
		});
	});
}

/// H1: custodian staff could wrap a record's key for anyone: the share itself is now a
/// consented action, for a purpose, on that record.
#[test]
fn h1_staff_share_only_what_consent_lets_them_share() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		assert_ok!(MedicalRecords::add_wrapped_key(
			RuntimeOrigin::signed(NURSE),
			record,
			DOC_B,
			key(7),
			PurposeOfUse::Payment
		));
		// The question was the nurse's Share, for the stated purpose, on that very record.
		assert_eq!(
			last_consent_question(),
			Some((
				ALICE,
				DOC_B,
				ConsentAction::Read,
				PurposeOfUse::Payment,
				AccessTarget::Record { record, class: GENERAL }
			))
		);
		// Without consent to share, nothing is wrapped.
		deny_consent(ALICE, DOC);
		assert_noop!(add(DOC, record, MALLORY, key(7)), Error::<Test>::ShareDenied);
		assert!(!WrappedKeys::<Test>::contains_key(record, MALLORY));
	});
}

/// H1: the grantee must be permitted to read the record, whoever shares it (the patient
/// included: keys never run ahead of consent).
#[test]
fn h1_a_grantee_consent_denies_receives_no_key() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		deny_read(ALICE, MALLORY);
		assert_noop!(add(NURSE, record, MALLORY, key(7)), Error::<Test>::GranteeNotPermitted);
		assert_noop!(add(ALICE, record, MALLORY, key(7)), Error::<Test>::GranteeNotPermitted);
		// The patient's own key needs no permission.
		deny_read(ALICE, ALICE);
		assert_ok!(add(ALICE, record, ALICE, key(9)));
	});
}

/// H1: staff could replace another grantee's key (and so cut them off, or swap in a key they
/// control); only the patient replaces another account's key.
#[test]
fn h1_only_the_patient_replaces_another_accounts_key() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor(DOC, ALICE, 1);
		assert_ok!(add(ALICE, record, DOC_B, key(7)));
		assert_noop!(add(NURSE, record, DOC, key(9)), Error::<Test>::NotAuthorized);
		assert_noop!(add(NURSE, record, DOC_B, key(9)), Error::<Test>::NotAuthorized);
		assert_eq!(WrappedKeys::<Test>::get(record, DOC_B), Some(key(7)));
		assert_ok!(add(ALICE, record, DOC_B, key(8)));
		assert_eq!(WrappedKeys::<Test>::get(record, DOC_B), Some(key(8)));
	});
}
