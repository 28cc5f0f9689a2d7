//! The `DirectoryInspect` answers other pallets rely on, and why a practitioner is not active.

use super::mock::*;
use crate::{Error, Practitioners};
use frame_support::assert_ok;
use medchain_primitives::{ActivePractitioner, DirectoryInspect, PractitionerRole};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn active(who: u64) -> Option<ActivePractitioner> {
	<Directory as DirectoryInspect<u64>>::active_practitioner(&who)
}

fn why_not(who: u64) -> Option<DispatchError> {
	Directory::ensure_active_practitioner(&who).err().map(Into::into)
}

#[test]
fn an_attached_practitioner_with_a_current_licence_is_active() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		assert_eq!(
			active(DOC),
			Some(ActivePractitioner { organisation: a, role: PractitionerRole::Physician })
		);
		assert_eq!(Directory::ensure_active_practitioner(&DOC).ok(), active(DOC));
		// The answer follows a role change at once.
		assert_ok!(Directory::change_practitioner_role(
			RuntimeOrigin::signed(ADMIN_A),
			DOC,
			PractitionerRole::EmergencyPhysician
		));
		assert_eq!(active(DOC).map(|p| p.role), Some(PractitionerRole::EmergencyPhysician));
	});
}

#[test]
fn accounts_that_are_not_practitioners_are_not_active() {
	ExtBuilder.build_and_execute(|| {
		two_orgs_and_doc();
		register_patient(ALICE, 1, 2);
		assert_eq!(active(MALLORY), None);
		assert_eq!(why_not(MALLORY), Some(Error::<Test>::PractitionerNotFound.into()));
		// An organisation's admin is not a practitioner by being admin.
		assert_eq!(active(ADMIN_A), None);
		assert_eq!(active(ALICE), None);
	});
}

#[test]
fn a_suspended_practitioner_is_not_active_until_reinstated() {
	ExtBuilder.build_and_execute(|| {
		two_orgs_and_doc();
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_eq!(active(DOC), None);
		assert_eq!(why_not(DOC), Some(Error::<Test>::Suspended.into()));
		assert_ok!(Directory::reinstate_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert!(active(DOC).is_some());
	});
}

#[test]
fn a_revoked_practitioner_is_never_active_again() {
	ExtBuilder.build_and_execute(|| {
		two_orgs_and_doc();
		assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_eq!(active(DOC), None);
		assert_eq!(why_not(DOC), Some(Error::<Test>::Revoked.into()));
		set_now(NOW - 1);
		assert_eq!(why_not(DOC), Some(Error::<Test>::Revoked.into()));
	});
}

#[test]
fn a_licence_stops_working_the_second_it_expires() {
	ExtBuilder.build_and_execute(|| {
		two_orgs_and_doc();
		let until = NOW + YEAR;
		set_now(until - 1);
		assert!(active(DOC).is_some());
		set_now(until);
		assert_eq!(active(DOC), None);
		assert_eq!(why_not(DOC), Some(Error::<Test>::LicenceExpired.into()));
		set_now(until + 10 * YEAR);
		assert_eq!(why_not(DOC), Some(Error::<Test>::LicenceExpired.into()));
		// No task touched storage: the record still says what was recorded.
		assert_eq!(Practitioners::<Test>::get(DOC).map(|p| p.licence), Some(current_licence()));
	});
}

#[test]
fn a_licence_not_yet_valid_starts_working_at_valid_from() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		let from = NOW + 100;
		assert_ok!(invite_and_accept(
			ADMIN_A,
			a,
			NURSE,
			PractitionerRole::Nurse,
			licence(from, from + YEAR),
		));
		assert_eq!(active(NURSE), None);
		assert_eq!(why_not(NURSE), Some(Error::<Test>::LicenceNotYetValid.into()));
		set_now(from - 1);
		assert_eq!(why_not(NURSE), Some(Error::<Test>::LicenceNotYetValid.into()));
		set_now(from);
		assert_eq!(
			active(NURSE),
			Some(ActivePractitioner { organisation: a, role: PractitionerRole::Nurse })
		);
	});
}

#[test]
fn a_deactivated_organisations_practitioners_are_not_active() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		attach(ADMIN_B, b, NURSE, PractitionerRole::Nurse);
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), a));
		assert_eq!(active(DOC), None);
		assert_eq!(why_not(DOC), Some(Error::<Test>::OrganisationInactive.into()));
		// Another organisation's practitioners are unaffected.
		assert!(active(NURSE).is_some());

		assert_ok!(Directory::reactivate_organisation(RuntimeOrigin::root(), a));
		assert!(active(DOC).is_some());
	});
}

#[test]
fn suspension_is_reported_before_other_reasons() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), a));
		set_now(NOW + 2 * YEAR);
		assert_eq!(why_not(DOC), Some(Error::<Test>::Suspended.into()));
		assert_ok!(Directory::reactivate_organisation(RuntimeOrigin::root(), a));
		assert_ok!(Directory::reinstate_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		// Reinstated, but the licence has expired meanwhile.
		assert_eq!(why_not(DOC), Some(Error::<Test>::LicenceExpired.into()));
	});
}

#[test]
fn is_organisation_admin_answers_only_for_the_admin_of_an_active_organisation() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		assert!(Directory::is_organisation_admin(&ADMIN_A, a));
		assert!(!Directory::is_organisation_admin(&ADMIN_A, b));
		assert!(!Directory::is_organisation_admin(&DOC, a));
		assert!(!Directory::is_organisation_admin(&ADMIN_A, 42));

		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), a));
		assert!(!Directory::is_organisation_admin(&ADMIN_A, a));
		assert_ok!(Directory::reactivate_organisation(RuntimeOrigin::root(), a));
		assert!(Directory::is_organisation_admin(&ADMIN_A, a));

		assert_ok!(Directory::set_organisation_admin(RuntimeOrigin::root(), a, MALLORY));
		assert!(!Directory::is_organisation_admin(&ADMIN_A, a));
		assert!(Directory::is_organisation_admin(&MALLORY, a));
	});
}

#[test]
fn organisation_admin_names_the_admin_of_an_active_organisation_only() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		assert_eq!(Directory::organisation_admin(a), Some(ADMIN_A));
		assert_eq!(Directory::organisation_admin(42), None);
		assert_ok!(Directory::set_organisation_admin(RuntimeOrigin::root(), a, MALLORY));
		assert_eq!(Directory::organisation_admin(a), Some(MALLORY));
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), a));
		assert_eq!(Directory::organisation_admin(a), None);
	});
}

#[test]
fn patient_answers() {
	ExtBuilder.build_and_execute(|| {
		two_orgs_and_doc();
		assert!(!Directory::is_patient(&ALICE));
		assert_eq!(Directory::patient_encryption_key(&ALICE), None);

		register_patient(ALICE, 1, 2);
		assert!(Directory::is_patient(&ALICE));
		assert!(!Directory::is_patient(&BOB));
		assert_eq!(Directory::patient_encryption_key(&ALICE), Some(b32(2)));
		assert_ok!(Directory::rotate_encryption_key(RuntimeOrigin::signed(ALICE), b32(3)));
		assert_eq!(Directory::patient_encryption_key(&ALICE), Some(b32(3)));
	});
}

/// `DirectoryApi::account`: what a client learns of an account, patient or practitioner.
#[test]
fn the_account_summary_shows_patient_practitioner_standing_and_the_key_to_wrap_for() {
	use pallet_directory_runtime_api::{AccountSummary, PractitionerSummary, Standing};
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		// Unknown: nothing.
		assert_eq!(
			Directory::account_summary(&MALLORY),
			AccountSummary { patient: None, practitioner: None, encryption_key: None }
		);
		// A patient: their record, and their key is the one to wrap for.
		register_patient(ALICE, 1, 2);
		let alice = Directory::account_summary(&ALICE);
		assert_eq!(alice.patient, crate::Patients::<Test>::get(ALICE));
		assert_eq!(alice.patient.map(|p| p.pseudonym), Some(b32(1)));
		assert_eq!((alice.practitioner, alice.encryption_key), (None, Some(b32(2))));
		// A practitioner: active, no key until they register one.
		let doc = PractitionerSummary {
			organisation: a,
			role: PractitionerRole::Physician,
			standing: Standing::Good,
			active: true,
			attached_at: Practitioners::<Test>::get(DOC).map(|p| p.attached_at).unwrap_or(99),
		};
		assert_eq!(
			Directory::account_summary(&DOC),
			AccountSummary { patient: None, practitioner: Some(doc.clone()), encryption_key: None }
		);
		assert_ok!(Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(DOC), b32(7)));
		assert_eq!(Directory::account_summary(&DOC).encryption_key, Some(b32(7)));
		// Suspended: still listed, with its standing, and not active.
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_eq!(
			Directory::account_summary(&DOC).practitioner,
			Some(PractitionerSummary {
				standing: Standing::Suspended,
				active: false,
				..doc.clone()
			})
		);
		// An expired licence: good standing, not active.
		assert_ok!(Directory::reinstate_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		set_now(NOW + YEAR);
		assert_eq!(
			Directory::account_summary(&DOC).practitioner,
			Some(PractitionerSummary { active: false, ..doc })
		);
	});
}
