//! Fixes of the December 2026 security review that live in the directory: each test is named
//! after its finding and fails on the code the review read (d0d3181).

use super::mock::*;
use crate::{Error, Event, Practitioners};
use frame_support::{assert_noop, assert_ok};
use medchain_primitives::{
	ActivePractitioner, DirectoryInspect, OrganisationId, OrganisationKind, PractitionerRole,
};
use polkadot_sdk::*;

/// Registers an organisation of `kind` administered by `admin`; returns its id.
fn register_kind(admin: u64, kind: OrganisationKind) -> OrganisationId {
	let id = crate::NextOrganisationId::<Test>::get();
	assert_ok!(Directory::register_organisation(
		RuntimeOrigin::root(),
		kind,
		admin,
		name(&format!("Org of {admin}"))
	));
	id
}

/// H5: an insurer's admin could attach emergency physicians and so open break-glass access.
#[test]
fn h5_only_care_providers_attach_emergency_physicians() {
	ExtBuilder.build_and_execute(|| {
		let insurer = register_kind(ADMIN_A, OrganisationKind::Insurer);
		let sponsor = register_kind(ADMIN_B, OrganisationKind::TrialSponsor);
		for (org, admin) in [(insurer, ADMIN_A), (sponsor, ADMIN_B)] {
			for role in [
				PractitionerRole::EmergencyPhysician,
				PractitionerRole::Physician,
				PractitionerRole::Nurse,
			] {
				assert_noop!(
					Directory::invite_practitioner(
						RuntimeOrigin::signed(admin),
						org,
						DOC,
						role,
						current_licence(),
					),
					Error::<Test>::RoleNotAllowed
				);
			}
		}
		// The roles such organisations do have are attached as before.
		attach(ADMIN_A, insurer, DOC, PractitionerRole::ClaimsOfficer);
		attach(ADMIN_B, sponsor, NURSE, PractitionerRole::Researcher);
		// A hospital and a clinic attach emergency physicians.
		let hospital = register_org(60, "St Elsewhere");
		let clinic = register_kind(61, OrganisationKind::Clinic);
		attach(60, hospital, 50, PractitionerRole::EmergencyPhysician);
		attach(61, clinic, 51, PractitionerRole::EmergencyPhysician);
	});
}

/// H5: a role change is the other way to make someone an emergency physician.
#[test]
fn h5_a_role_change_cannot_make_an_insurer_emergency_physician() {
	ExtBuilder.build_and_execute(|| {
		let insurer = register_kind(ADMIN_A, OrganisationKind::Insurer);
		attach(ADMIN_A, insurer, DOC, PractitionerRole::ClaimsOfficer);
		assert_noop!(
			Directory::change_practitioner_role(
				RuntimeOrigin::signed(ADMIN_A),
				DOC,
				PractitionerRole::EmergencyPhysician
			),
			Error::<Test>::RoleNotAllowed
		);
		assert_eq!(
			Practitioners::<Test>::get(DOC).map(|p| p.role),
			Some(PractitionerRole::ClaimsOfficer)
		);
		assert_ok!(Directory::change_practitioner_role(
			RuntimeOrigin::signed(ADMIN_A),
			DOC,
			PractitionerRole::PrivacyOfficer
		));
	});
}

/// The role and kind rule, all of it.
#[test]
fn the_role_and_kind_table() {
	use OrganisationKind::*;
	use PractitionerRole::*;
	let kinds = [Hospital, Clinic, Laboratory, Pharmacy, Insurer, TrialSponsor, Regulator];
	let allowed = |role: PractitionerRole| -> Vec<OrganisationKind> {
		kinds.iter().copied().filter(|kind| role.allowed_at(*kind)).collect()
	};
	assert_eq!(allowed(Physician), vec![Hospital, Clinic]);
	assert_eq!(allowed(EmergencyPhysician), vec![Hospital, Clinic]);
	assert_eq!(allowed(Nurse), vec![Hospital, Clinic]);
	assert_eq!(allowed(Pharmacist), vec![Hospital, Pharmacy]);
	assert_eq!(allowed(LabTechnician), vec![Hospital, Clinic, Laboratory]);
	assert_eq!(allowed(Researcher), vec![Hospital, Clinic, Laboratory, TrialSponsor, Regulator]);
	assert_eq!(allowed(ClaimsOfficer), vec![Hospital, Clinic, Insurer]);
	assert_eq!(allowed(PrivacyOfficer), kinds.to_vec());
}

/// M1: consent needs a suspended practitioner's organisation and role, so that a denial of
/// their role still applies to them.
#[test]
fn m1_membership_outlives_suspension_but_not_detachment() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		let doc = Some(ActivePractitioner { organisation: a, role: PractitionerRole::Physician });
		assert_eq!(Directory::practitioner_membership(&DOC), doc);
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_eq!(Directory::active_practitioner(&DOC), None);
		assert_eq!(Directory::practitioner_membership(&DOC), doc);
		assert_ok!(Directory::detach_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_eq!(Directory::practitioner_membership(&DOC), None);
		// A revoked practitioner stays on record, and so does their membership.
		attach(ADMIN_A, a, NURSE, PractitionerRole::Nurse);
		assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_A), NURSE));
		assert_eq!(
			Directory::practitioner_membership(&NURSE),
			Some(ActivePractitioner { organisation: a, role: PractitionerRole::Nurse })
		);
		assert_eq!(Directory::practitioner_membership(&MALLORY), None);
	});
}

#[test]
fn m6_nobody_becomes_a_practitioner_without_accepting() {
	ExtBuilder.build_and_execute(|| {
		let a = register_org(ADMIN_A, "St Elsewhere");
		assert_ok!(Directory::invite_practitioner(
			RuntimeOrigin::signed(ADMIN_A),
			a,
			DOC,
			PractitionerRole::Physician,
			current_licence(),
		));
		// On d0d3181 the admin's call alone made DOC a practitioner.
		assert!(!Practitioners::<Test>::contains_key(DOC));
		assert_eq!(Directory::practitioner_membership(&DOC), None);
		// The admin cannot accept for the account.
		assert_noop!(
			Directory::accept_invitation(RuntimeOrigin::signed(ADMIN_A), a),
			Error::<Test>::InvitationNotFound
		);
		// The account declines: it stays free.
		assert_ok!(Directory::remove_invitation(RuntimeOrigin::signed(DOC), a, DOC));
		assert_noop!(
			Directory::accept_invitation(RuntimeOrigin::signed(DOC), a),
			Error::<Test>::InvitationNotFound
		);
		assert!(!Practitioners::<Test>::contains_key(DOC));
	});
}

#[test]
fn m6_a_revoked_practitioner_leaves_and_may_join_another_organisation() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		// On d0d3181 the revoked account could never be attached anywhere again.
		assert_ok!(Directory::leave_organisation(RuntimeOrigin::signed(DOC)));
		assert_last_event(Event::PractitionerLeft {
			organisation: a,
			practitioner: DOC,
			standing: crate::Standing::Revoked,
		});
		attach(ADMIN_B, b, DOC, PractitionerRole::Physician);
		assert_eq!(
			Directory::active_practitioner(&DOC).map(|p| p.organisation),
			Some(b),
			"the account practises at its new organisation"
		);
		// The revoking organisation has no hold on it any more.
		assert_noop!(
			Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC),
			Error::<Test>::NotAuthorized
		);
	});
}
