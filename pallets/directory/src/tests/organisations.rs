//! Organisations: registration, admin change, deactivation and reactivation.

use super::mock::*;
use crate::{Error, Event, NextOrganisationId, Organisation, OrganisationByName, Organisations};
use codec::{Decode, Encode};
use frame_support::{assert_noop, assert_ok};
use medchain_primitives::{OrganisationKind, PractitionerRole};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

#[test]
fn register_organisation_assigns_sequential_ids_and_records_it() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Directory::register_organisation(
			RuntimeOrigin::root(),
			OrganisationKind::Hospital,
			ADMIN_A,
			name("St Elsewhere"),
		));
		assert_last_event(Event::OrganisationRegistered {
			organisation: 0,
			kind: OrganisationKind::Hospital,
			admin: ADMIN_A,
		});
		assert_ok!(Directory::register_organisation(
			RuntimeOrigin::root(),
			OrganisationKind::Laboratory,
			ADMIN_B,
			name("Lab 7"),
		));
		assert_last_event(Event::OrganisationRegistered {
			organisation: 1,
			kind: OrganisationKind::Laboratory,
			admin: ADMIN_B,
		});

		assert_eq!(NextOrganisationId::<Test>::get(), 2);
		assert_eq!(
			Organisations::<Test>::get(1),
			Some(Organisation {
				kind: OrganisationKind::Laboratory,
				name: name("Lab 7"),
				admin: ADMIN_B,
				active: true,
				practitioners: 0,
				registered_at: 1,
			})
		);
		assert_eq!(OrganisationByName::<Test>::get(name("St Elsewhere")), Some(0));
		assert_eq!(OrganisationByName::<Test>::get(name("Lab 7")), Some(1));
	});
}

#[test]
fn one_account_may_administer_several_organisations() {
	ExtBuilder.build_and_execute(|| {
		let a = register_org(ADMIN_A, "North Clinic");
		let b = register_org(ADMIN_A, "South Clinic");
		attach(ADMIN_A, a, DOC, PractitionerRole::Physician);
		attach(ADMIN_A, b, NURSE, PractitionerRole::Nurse);
		assert_eq!(Organisations::<Test>::get(b).map(|o| o.practitioners), Some(1));
	});
}

#[test]
fn register_organisation_requires_the_registrar() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Directory::register_organisation(
				RuntimeOrigin::signed(ADMIN_A),
				OrganisationKind::Hospital,
				ADMIN_A,
				name("Self-made"),
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn register_organisation_refuses_an_empty_name() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Directory::register_organisation(
				RuntimeOrigin::root(),
				OrganisationKind::Clinic,
				ADMIN_A,
				name(""),
			),
			Error::<Test>::EmptyName
		);
	});
}

#[test]
fn register_organisation_refuses_a_name_already_registered() {
	ExtBuilder.build_and_execute(|| {
		register_org(ADMIN_A, "St Elsewhere");
		assert_noop!(
			Directory::register_organisation(
				RuntimeOrigin::root(),
				OrganisationKind::Clinic,
				ADMIN_B,
				name("St Elsewhere"),
			),
			Error::<Test>::NameTaken
		);
	});
}

#[test]
fn register_organisation_refuses_exhausted_ids() {
	ExtBuilder.build_and_execute(|| {
		NextOrganisationId::<Test>::put(u32::MAX);
		assert_noop!(
			Directory::register_organisation(
				RuntimeOrigin::root(),
				OrganisationKind::Clinic,
				ADMIN_A,
				name("Last"),
			),
			Error::<Test>::Overflow
		);
		// Restore a consistent state for the try_state check.
		NextOrganisationId::<Test>::put(0);
	});
}

/// The SCALE encoding of `register_organisation(Hospital, ADMIN_A, name)` with a raw name.
fn encoded_register_call(raw_name: Vec<u8>) -> Vec<u8> {
	let mut bytes = vec![0u8]; // call index 0
	OrganisationKind::Hospital.encode_to(&mut bytes);
	ADMIN_A.encode_to(&mut bytes);
	raw_name.encode_to(&mut bytes);
	bytes
}

#[test]
fn an_oversized_name_cannot_even_be_decoded() {
	ExtBuilder.build_and_execute(|| {
		let longest = vec![b'x'; MAX_NAME_LEN as usize];
		let decoded = crate::Call::<Test>::decode(&mut &encoded_register_call(longest.clone())[..]);
		assert_eq!(
			decoded.ok(),
			Some(crate::Call::<Test>::register_organisation {
				kind: OrganisationKind::Hospital,
				admin: ADMIN_A,
				name: longest.try_into().unwrap(),
			})
		);

		let oversized = vec![b'x'; MAX_NAME_LEN as usize + 1];
		assert!(crate::Call::<Test>::decode(&mut &encoded_register_call(oversized)[..]).is_err());
	});
}

#[test]
fn set_organisation_admin_moves_every_admin_power() {
	ExtBuilder.build_and_execute(|| {
		let org = register_org(ADMIN_A, "St Elsewhere");
		assert_ok!(Directory::set_organisation_admin(RuntimeOrigin::root(), org, ADMIN_B));
		assert_last_event(Event::OrganisationAdminChanged {
			organisation: org,
			old_admin: ADMIN_A,
			new_admin: ADMIN_B,
		});
		assert_eq!(Organisations::<Test>::get(org).map(|o| o.admin), Some(ADMIN_B));

		assert_noop!(
			Directory::invite_practitioner(
				RuntimeOrigin::signed(ADMIN_A),
				org,
				DOC,
				PractitionerRole::Physician,
				current_licence(),
			),
			Error::<Test>::NotAuthorized
		);
		attach(ADMIN_B, org, DOC, PractitionerRole::Physician);
		assert_noop!(
			Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC),
			Error::<Test>::NotAuthorized
		);
	});
}

#[test]
fn set_organisation_admin_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let org = register_org(ADMIN_A, "St Elsewhere");
		assert_noop!(
			Directory::set_organisation_admin(RuntimeOrigin::signed(ADMIN_A), org, ADMIN_B),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Directory::set_organisation_admin(RuntimeOrigin::root(), 7, ADMIN_B),
			Error::<Test>::OrganisationNotFound
		);
		assert_noop!(
			Directory::set_organisation_admin(RuntimeOrigin::root(), org, ADMIN_A),
			Error::<Test>::AdminUnchanged
		);
	});
}

#[test]
fn deactivate_and_reactivate_organisation() {
	ExtBuilder.build_and_execute(|| {
		let org = register_org(ADMIN_A, "St Elsewhere");
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), org));
		assert_last_event(Event::OrganisationDeactivated { organisation: org });
		assert_eq!(Organisations::<Test>::get(org).map(|o| o.active), Some(false));

		assert_ok!(Directory::reactivate_organisation(RuntimeOrigin::root(), org));
		assert_last_event(Event::OrganisationReactivated { organisation: org });
		assert_eq!(Organisations::<Test>::get(org).map(|o| o.active), Some(true));
	});
}

#[test]
fn deactivate_organisation_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let org = register_org(ADMIN_A, "St Elsewhere");
		assert_noop!(
			Directory::deactivate_organisation(RuntimeOrigin::signed(ADMIN_A), org),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Directory::deactivate_organisation(RuntimeOrigin::root(), 7),
			Error::<Test>::OrganisationNotFound
		);
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), org));
		assert_noop!(
			Directory::deactivate_organisation(RuntimeOrigin::root(), org),
			Error::<Test>::OrganisationInactive
		);
	});
}

#[test]
fn reactivate_organisation_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let org = register_org(ADMIN_A, "St Elsewhere");
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), org));
		assert_noop!(
			Directory::reactivate_organisation(RuntimeOrigin::signed(ADMIN_A), org),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Directory::reactivate_organisation(RuntimeOrigin::root(), 7),
			Error::<Test>::OrganisationNotFound
		);
		assert_ok!(Directory::reactivate_organisation(RuntimeOrigin::root(), org));
		assert_noop!(
			Directory::reactivate_organisation(RuntimeOrigin::root(), org),
			Error::<Test>::AlreadyActive
		);
	});
}

#[test]
fn a_deactivated_organisation_admin_can_only_take_rights_away() {
	ExtBuilder.build_and_execute(|| {
		let (org, _) = two_orgs_and_doc();
		attach(ADMIN_A, org, NURSE, PractitionerRole::Nurse);
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), NURSE));
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), org));

		assert_noop!(
			Directory::invite_practitioner(
				RuntimeOrigin::signed(ADMIN_A),
				org,
				MALLORY,
				PractitionerRole::Physician,
				current_licence(),
			),
			Error::<Test>::OrganisationInactive
		);
		assert_noop!(
			Directory::reinstate_practitioner(RuntimeOrigin::signed(ADMIN_A), NURSE),
			Error::<Test>::OrganisationInactive
		);
		assert_noop!(
			Directory::change_practitioner_role(
				RuntimeOrigin::signed(ADMIN_A),
				DOC,
				PractitionerRole::Researcher
			),
			Error::<Test>::OrganisationInactive
		);
		assert_noop!(
			Directory::renew_licence(RuntimeOrigin::signed(ADMIN_A), DOC, NOW, NOW + 2 * YEAR),
			Error::<Test>::OrganisationInactive
		);

		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_ok!(Directory::detach_practitioner(RuntimeOrigin::signed(ADMIN_A), NURSE));
		assert_last_event(Event::PractitionerDetached { organisation: org, practitioner: NURSE });
	});
}
