//! Practitioners: inviting, accepting, declining, suspending, reinstating, revoking, changing the
//! role, renewing the licence, detaching and leaving.

use super::mock::*;
use crate::{
	Error, Event, Invitation, InvitationCount, Invitations, Licence, OrganisationPractitioners,
	Organisations, Practitioner, PractitionerKeys, Practitioners, Standing,
};
use codec::{Decode, Encode};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use medchain_primitives::{DirectoryInspect, OrganisationId, PractitionerRole};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn standing(who: u64) -> Option<Standing> {
	Practitioners::<Test>::get(who).map(|p| p.standing)
}

fn count(org: OrganisationId) -> Option<u32> {
	Organisations::<Test>::get(org).map(|o| o.practitioners)
}

/// Overwrites `org`'s practitioner count (to reach the defensive overflow paths).
fn set_count(org: OrganisationId, practitioners: u32) {
	Organisations::<Test>::mutate(org, |o| {
		if let Some(o) = o {
			o.practitioners = practitioners
		}
	});
}

/// `admin` invites `who` to `org` as a nurse with `licence`.
fn invite_call(
	admin: u64,
	org: OrganisationId,
	who: u64,
	licence: crate::LicenceOf<Test>,
) -> sp_runtime::DispatchResult {
	Directory::invite_practitioner(
		RuntimeOrigin::signed(admin),
		org,
		who,
		PractitionerRole::Nurse,
		licence,
	)
}

fn accept(who: u64, org: OrganisationId) -> sp_runtime::DispatchResult {
	Directory::accept_invitation(RuntimeOrigin::signed(who), org)
}

fn remove(by: u64, org: OrganisationId, who: u64) -> sp_runtime::DispatchResult {
	Directory::remove_invitation(RuntimeOrigin::signed(by), org, who)
}

#[test]
fn an_invitation_waits_for_the_accounts_answer() {
	ExtBuilder.build_and_execute(|| {
		let org = register_org(ADMIN_A, "St Elsewhere");
		assert_ok!(Directory::invite_practitioner(
			RuntimeOrigin::signed(ADMIN_A),
			org,
			DOC,
			PractitionerRole::Physician,
			current_licence(),
		));
		assert_last_event(Event::PractitionerInvited {
			organisation: org,
			practitioner: DOC,
			role: PractitionerRole::Physician,
			expires_at: 1 + INVITATION_LIFETIME,
		});
		assert_eq!(
			Invitations::<Test>::get(DOC, org),
			Some(Invitation {
				role: PractitionerRole::Physician,
				licence: current_licence(),
				invited_at: 1,
				expires_at: 1 + INVITATION_LIFETIME,
			})
		);
		assert_eq!(InvitationCount::<Test>::get(org), Some(1));
		// Nothing changed for the account yet.
		assert!(!Practitioners::<Test>::contains_key(DOC));
		assert_eq!(Directory::practitioner_membership(&DOC), None);
		assert_eq!(count(org), Some(0));
	});
}

#[test]
fn accepting_records_the_practitioner_and_the_index() {
	ExtBuilder.build_and_execute(|| {
		let org = register_org(ADMIN_A, "St Elsewhere");
		assert_ok!(Directory::invite_practitioner(
			RuntimeOrigin::signed(ADMIN_A),
			org,
			DOC,
			PractitionerRole::Physician,
			current_licence(),
		));
		System::set_block_number(3);
		assert_ok!(accept(DOC, org));
		assert_last_event(Event::PractitionerAttached {
			organisation: org,
			practitioner: DOC,
			role: PractitionerRole::Physician,
			valid_from: NOW - YEAR,
			valid_until: NOW + YEAR,
		});
		assert_eq!(
			Practitioners::<Test>::get(DOC),
			Some(Practitioner {
				organisation: org,
				role: PractitionerRole::Physician,
				licence: current_licence(),
				standing: Standing::Good,
				attached_at: 3,
			})
		);
		assert!(OrganisationPractitioners::<Test>::contains_key(org, DOC));
		assert_eq!(count(org), Some(1));
		assert_eq!(Invitations::<Test>::get(DOC, org), None);
		assert_eq!(InvitationCount::<Test>::get(org), None);
	});
}

#[test]
fn a_licence_starting_later_is_accepted() {
	ExtBuilder.build_and_execute(|| {
		let org = register_org(ADMIN_A, "St Elsewhere");
		assert_ok!(invite_call(ADMIN_A, org, NURSE, licence(NOW + 10, NOW + YEAR)));
		assert_ok!(accept(NURSE, org));
		assert!(Practitioners::<Test>::contains_key(NURSE));
		assert_eq!(Directory::active_practitioner(&NURSE), None);
	});
}

#[test]
fn only_the_organisations_admin_invites() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		// Not an admin at all.
		assert_noop!(
			invite_call(MALLORY, a, NURSE, current_licence()),
			Error::<Test>::NotAuthorized
		);
		// A practitioner of the organisation is not its admin.
		assert_noop!(invite_call(DOC, a, NURSE, current_licence()), Error::<Test>::NotAuthorized);
		// Another organisation's admin.
		assert_noop!(
			invite_call(ADMIN_B, a, NURSE, current_licence()),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(invite_call(ADMIN_B, b, NURSE, current_licence()));
		assert_noop!(
			Directory::invite_practitioner(
				RuntimeOrigin::none(),
				a,
				MALLORY,
				PractitionerRole::Nurse,
				current_licence()
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn invite_practitioner_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		assert_noop!(
			invite_call(ADMIN_A, 7, NURSE, current_licence()),
			Error::<Test>::OrganisationNotFound
		);
		// A practitioner already, in the same organisation and in another one.
		assert_noop!(
			invite_call(ADMIN_A, a, DOC, current_licence()),
			Error::<Test>::AlreadyPractitioner
		);
		assert_noop!(
			invite_call(ADMIN_B, b, DOC, current_licence()),
			Error::<Test>::AlreadyPractitioner
		);

		let mut no_authority = current_licence();
		no_authority.authority = BoundedVec::default();
		assert_noop!(invite_call(ADMIN_A, a, NURSE, no_authority), Error::<Test>::EmptyAuthority);

		let mut no_id = current_licence();
		no_id.licence_id = [0u8; 32];
		assert_noop!(invite_call(ADMIN_A, a, NURSE, no_id), Error::<Test>::EmptyLicenceId);

		assert_noop!(
			invite_call(ADMIN_A, a, NURSE, licence(NOW + YEAR, NOW + YEAR)),
			Error::<Test>::InvalidLicencePeriod
		);
		assert_noop!(
			invite_call(ADMIN_A, a, NURSE, licence(NOW + YEAR, NOW - YEAR)),
			Error::<Test>::InvalidLicencePeriod
		);
		// Expired: validity ended in the past, or ends exactly now.
		assert_noop!(
			invite_call(ADMIN_A, a, NURSE, licence(NOW - 2 * YEAR, NOW - YEAR)),
			Error::<Test>::LicenceExpired
		);
		assert_noop!(
			invite_call(ADMIN_A, a, NURSE, licence(NOW - YEAR, NOW)),
			Error::<Test>::LicenceExpired
		);

		// Invited twice by one organisation; another organisation may invite too.
		assert_ok!(invite_call(ADMIN_A, a, NURSE, current_licence()));
		assert_noop!(
			invite_call(ADMIN_A, a, NURSE, current_licence()),
			Error::<Test>::AlreadyInvited
		);
		assert_ok!(invite_call(ADMIN_B, b, NURSE, current_licence()));

		// At most MAX_INVITATIONS waiting per organisation.
		assert_ok!(invite_call(ADMIN_A, a, BOB, current_licence()));
		assert_noop!(
			invite_call(ADMIN_A, a, MALLORY, current_licence()),
			Error::<Test>::TooManyInvitations
		);

		// The expiry block would overflow.
		System::set_block_number(u64::MAX - INVITATION_LIFETIME + 1);
		assert_noop!(invite_call(ADMIN_B, b, MALLORY, current_licence()), Error::<Test>::Overflow);
		System::set_block_number(1);

		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), b));
		assert_noop!(
			invite_call(ADMIN_B, b, MALLORY, current_licence()),
			Error::<Test>::OrganisationInactive
		);
	});
}

#[test]
fn accept_invitation_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		// Nobody invited the caller; an invitation to someone else is not theirs.
		assert_noop!(accept(NURSE, a), Error::<Test>::InvitationNotFound);
		assert_ok!(invite_call(ADMIN_A, a, NURSE, current_licence()));
		assert_noop!(accept(MALLORY, a), Error::<Test>::InvitationNotFound);
		assert_noop!(accept(NURSE, b), Error::<Test>::InvitationNotFound);
		assert_noop!(
			Directory::accept_invitation(RuntimeOrigin::root(), a),
			DispatchError::BadOrigin
		);

		// The invitation's last block is the one before `expires_at`.
		System::set_block_number(INVITATION_LIFETIME + 1);
		assert_noop!(accept(NURSE, a), Error::<Test>::InvitationExpired);
		System::set_block_number(INVITATION_LIFETIME);

		// The licence ended while the invitation waited.
		assert_ok!(invite_call(ADMIN_B, b, BOB, licence(NOW - YEAR, NOW + 5)));
		set_now(NOW + 5);
		assert_noop!(accept(BOB, b), Error::<Test>::LicenceExpired);
		set_now(NOW);

		// The organisation was deactivated while the invitation waited.
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), b));
		assert_noop!(accept(BOB, b), Error::<Test>::OrganisationInactive);
		assert_ok!(Directory::reactivate_organisation(RuntimeOrigin::root(), b));

		// The account became a practitioner elsewhere since.
		assert_ok!(invite_call(ADMIN_B, b, NURSE, current_licence()));
		assert_ok!(accept(NURSE, b));
		assert_noop!(accept(NURSE, a), Error::<Test>::AlreadyPractitioner);

		// Defensive: a practitioner count that would overflow.
		set_count(b, u32::MAX);
		assert_noop!(accept(BOB, b), Error::<Test>::Overflow);
		set_count(b, 1);
	});
}

#[test]
fn accept_invitation_refuses_a_missing_organisation() {
	// Defensive path: only reachable if storage were inconsistent.
	ExtBuilder.build().execute_with(|| {
		let a = register_org(ADMIN_A, "St Elsewhere");
		assert_ok!(invite_call(ADMIN_A, a, NURSE, current_licence()));
		Organisations::<Test>::remove(a);
		assert_noop!(accept(NURSE, a), Error::<Test>::OrganisationNotFound);
	});
}

#[test]
fn an_invitation_is_declined_withdrawn_or_cleared_once_expired() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		// The invited account declines.
		assert_ok!(invite_call(ADMIN_A, a, NURSE, current_licence()));
		assert_ok!(remove(NURSE, a, NURSE));
		assert_last_event(Event::InvitationRemoved {
			organisation: a,
			practitioner: NURSE,
			by: NURSE,
		});
		assert_eq!(Invitations::<Test>::get(NURSE, a), None);
		assert_eq!(InvitationCount::<Test>::get(a), None);
		assert_noop!(accept(NURSE, a), Error::<Test>::InvitationNotFound);

		// The admin withdraws.
		assert_ok!(invite_call(ADMIN_A, a, NURSE, current_licence()));
		assert_ok!(invite_call(ADMIN_A, a, BOB, current_licence()));
		assert_ok!(remove(ADMIN_A, a, NURSE));
		assert_last_event(Event::InvitationRemoved {
			organisation: a,
			practitioner: NURSE,
			by: ADMIN_A,
		});
		assert_eq!(InvitationCount::<Test>::get(a), Some(1));

		// Anyone clears it from its expiry on, which frees the organisation's slot.
		System::set_block_number(1 + INVITATION_LIFETIME);
		assert_ok!(remove(MALLORY, a, BOB));
		assert_last_event(Event::InvitationRemoved {
			organisation: a,
			practitioner: BOB,
			by: MALLORY,
		});
		assert_eq!(InvitationCount::<Test>::get(a), None);
	});
}

#[test]
fn remove_invitation_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		assert_noop!(remove(ADMIN_A, a, NURSE), Error::<Test>::InvitationNotFound);
		assert_ok!(invite_call(ADMIN_A, a, NURSE, current_licence()));
		// Before it expires, neither a stranger, another organisation's admin nor a
		// practitioner of the organisation removes it.
		assert_noop!(remove(MALLORY, a, NURSE), Error::<Test>::NotAuthorized);
		assert_noop!(remove(ADMIN_B, a, NURSE), Error::<Test>::NotAuthorized);
		assert_noop!(remove(DOC, a, NURSE), Error::<Test>::NotAuthorized);
		// The last block before expiry.
		System::set_block_number(INVITATION_LIFETIME);
		assert_noop!(remove(MALLORY, a, NURSE), Error::<Test>::NotAuthorized);
		assert_noop!(remove(ADMIN_B, b, NURSE), Error::<Test>::InvitationNotFound);
		assert_noop!(
			Directory::remove_invitation(RuntimeOrigin::root(), a, NURSE),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_practitioner_leaves_in_any_standing() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		attach(ADMIN_A, a, NURSE, PractitionerRole::Nurse);
		assert_ok!(Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(DOC), b32(5)));
		assert_ok!(Directory::leave_organisation(RuntimeOrigin::signed(DOC)));
		assert_last_event(Event::PractitionerLeft {
			organisation: a,
			practitioner: DOC,
			standing: Standing::Good,
		});
		assert!(!Practitioners::<Test>::contains_key(DOC));
		assert!(!OrganisationPractitioners::<Test>::contains_key(a, DOC));
		assert_eq!(PractitionerKeys::<Test>::get(DOC), None);
		assert_eq!(count(a), Some(1));

		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), NURSE));
		assert_ok!(Directory::leave_organisation(RuntimeOrigin::signed(NURSE)));
		assert_last_event(Event::PractitionerLeft {
			organisation: a,
			practitioner: NURSE,
			standing: Standing::Suspended,
		});
		assert_eq!(count(a), Some(0));
	});
}

#[test]
fn leave_organisation_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		// An admin is not a practitioner; nor is a patient.
		assert_noop!(
			Directory::leave_organisation(RuntimeOrigin::signed(ADMIN_A)),
			Error::<Test>::PractitionerNotFound
		);
		assert_noop!(
			Directory::leave_organisation(RuntimeOrigin::root()),
			DispatchError::BadOrigin
		);
		// Defensive: a count that would underflow is refused.
		set_count(a, 0);
		assert_noop!(
			Directory::leave_organisation(RuntimeOrigin::signed(DOC)),
			Error::<Test>::Overflow
		);
		set_count(a, 1);
	});
}

#[test]
fn leave_organisation_refuses_a_missing_organisation() {
	// Defensive path: only reachable if storage were inconsistent.
	ExtBuilder.build().execute_with(|| {
		let (a, _) = two_orgs_and_doc();
		Organisations::<Test>::remove(a);
		assert_noop!(
			Directory::leave_organisation(RuntimeOrigin::signed(DOC)),
			Error::<Test>::OrganisationNotFound
		);
	});
}

#[test]
fn an_oversized_authority_cannot_even_be_decoded() {
	ExtBuilder.build_and_execute(|| {
		let encoded = |authority: Vec<u8>| {
			let mut bytes = vec![10u8]; // call index 10
			0u32.encode_to(&mut bytes);
			NURSE.encode_to(&mut bytes);
			PractitionerRole::Nurse.encode_to(&mut bytes);
			authority.encode_to(&mut bytes);
			[9u8; 32].encode_to(&mut bytes);
			(NOW - YEAR).encode_to(&mut bytes);
			(NOW + YEAR).encode_to(&mut bytes);
			bytes
		};
		let longest = vec![b'a'; MAX_AUTHORITY_LEN as usize];
		assert_eq!(
			crate::Call::<Test>::decode(&mut &encoded(longest.clone())[..]).ok(),
			Some(crate::Call::<Test>::invite_practitioner {
				organisation: 0,
				practitioner: NURSE,
				role: PractitionerRole::Nurse,
				licence: Licence {
					authority: longest.try_into().unwrap(),
					licence_id: [9u8; 32],
					valid_from: NOW - YEAR,
					valid_until: NOW + YEAR,
				},
			})
		);
		let oversized = vec![b'a'; MAX_AUTHORITY_LEN as usize + 1];
		assert!(crate::Call::<Test>::decode(&mut &encoded(oversized)[..]).is_err());
	});
}

#[test]
fn suspend_and_reinstate() {
	ExtBuilder.build_and_execute(|| {
		let (org, _) = two_orgs_and_doc();
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_last_event(Event::PractitionerSuspended { organisation: org, practitioner: DOC });
		assert_eq!(standing(DOC), Some(Standing::Suspended));

		assert_ok!(Directory::reinstate_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_last_event(Event::PractitionerReinstated { organisation: org, practitioner: DOC });
		assert_eq!(standing(DOC), Some(Standing::Good));
	});
}

#[test]
fn suspend_practitioner_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let (_, b) = two_orgs_and_doc();
		attach(ADMIN_B, b, NURSE, PractitionerRole::Nurse);
		assert_noop!(
			Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), MALLORY),
			Error::<Test>::PractitionerNotFound
		);
		assert_noop!(
			Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_B), DOC),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			Directory::suspend_practitioner(RuntimeOrigin::signed(NURSE), DOC),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			Directory::suspend_practitioner(RuntimeOrigin::root(), DOC),
			DispatchError::BadOrigin
		);
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_noop!(
			Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC),
			Error::<Test>::Suspended
		);
		assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_B), NURSE));
		assert_noop!(
			Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_B), NURSE),
			Error::<Test>::Revoked
		);
	});
}

#[test]
fn reinstate_practitioner_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		attach(ADMIN_A, a, NURSE, PractitionerRole::Nurse);
		assert_noop!(
			Directory::reinstate_practitioner(RuntimeOrigin::signed(ADMIN_A), MALLORY),
			Error::<Test>::PractitionerNotFound
		);
		assert_noop!(
			Directory::reinstate_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC),
			Error::<Test>::NotSuspended
		);
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_noop!(
			Directory::reinstate_practitioner(RuntimeOrigin::signed(ADMIN_B), DOC),
			Error::<Test>::NotAuthorized
		);
		// A suspended practitioner cannot lift their own suspension.
		assert_noop!(
			Directory::reinstate_practitioner(RuntimeOrigin::signed(DOC), DOC),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), NURSE));
		assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_A), NURSE));
		assert_noop!(
			Directory::reinstate_practitioner(RuntimeOrigin::signed(ADMIN_A), NURSE),
			Error::<Test>::Revoked
		);
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), a));
		assert_noop!(
			Directory::reinstate_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC),
			Error::<Test>::OrganisationInactive
		);
	});
}

#[test]
fn revocation_is_final_for_the_organisation() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_last_event(Event::PractitionerRevoked { organisation: a, practitioner: DOC });
		assert_eq!(standing(DOC), Some(Standing::Revoked));

		let admin = RuntimeOrigin::signed(ADMIN_A);
		assert_noop!(Directory::reinstate_practitioner(admin.clone(), DOC), Error::<Test>::Revoked);
		assert_noop!(
			Directory::change_practitioner_role(admin.clone(), DOC, PractitionerRole::Nurse),
			Error::<Test>::Revoked
		);
		assert_noop!(
			Directory::renew_licence(admin.clone(), DOC, NOW, NOW + 2 * YEAR),
			Error::<Test>::Revoked
		);
		assert_noop!(Directory::detach_practitioner(admin.clone(), DOC), Error::<Test>::Revoked);
		assert_noop!(Directory::revoke_practitioner(admin, DOC), Error::<Test>::Revoked);
		// While the record stands, no organisation can invite the account.
		assert_noop!(
			invite_call(ADMIN_B, b, DOC, current_licence()),
			Error::<Test>::AlreadyPractitioner
		);
		assert_eq!(count(a), Some(1));
	});
}

#[test]
fn a_suspended_practitioner_can_be_revoked() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_last_event(Event::PractitionerRevoked { organisation: a, practitioner: DOC });
		assert_eq!(standing(DOC), Some(Standing::Revoked));
	});
}

#[test]
fn revoke_practitioner_error_paths() {
	ExtBuilder.build_and_execute(|| {
		two_orgs_and_doc();
		assert_noop!(
			Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_A), MALLORY),
			Error::<Test>::PractitionerNotFound
		);
		assert_noop!(
			Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_B), DOC),
			Error::<Test>::NotAuthorized
		);
		// Revoked twice: covered in `revocation_is_final`.
	});
}

#[test]
fn change_practitioner_role() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		assert_ok!(Directory::change_practitioner_role(
			RuntimeOrigin::signed(ADMIN_A),
			DOC,
			PractitionerRole::EmergencyPhysician
		));
		assert_last_event(Event::PractitionerRoleChanged {
			organisation: a,
			practitioner: DOC,
			old_role: PractitionerRole::Physician,
			new_role: PractitionerRole::EmergencyPhysician,
		});
		assert_eq!(
			Practitioners::<Test>::get(DOC).map(|p| p.role),
			Some(PractitionerRole::EmergencyPhysician)
		);
	});
}

#[test]
fn change_practitioner_role_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		let change = |who: u64, p: u64, role| {
			Directory::change_practitioner_role(RuntimeOrigin::signed(who), p, role)
		};
		assert_noop!(
			change(ADMIN_A, MALLORY, PractitionerRole::Nurse),
			Error::<Test>::PractitionerNotFound
		);
		assert_noop!(change(ADMIN_B, DOC, PractitionerRole::Nurse), Error::<Test>::NotAuthorized);
		// A practitioner cannot promote themself.
		assert_noop!(
			change(DOC, DOC, PractitionerRole::EmergencyPhysician),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			change(ADMIN_A, DOC, PractitionerRole::Physician),
			Error::<Test>::RoleUnchanged
		);
		attach(ADMIN_A, a, NURSE, PractitionerRole::Nurse);
		assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_A), NURSE));
		assert_noop!(change(ADMIN_A, NURSE, PractitionerRole::Physician), Error::<Test>::Revoked);
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), a));
		assert_noop!(
			change(ADMIN_A, DOC, PractitionerRole::Nurse),
			Error::<Test>::OrganisationInactive
		);
	});
}

#[test]
fn renew_licence_restores_an_expired_practitioner() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		set_now(NOW + YEAR);
		assert_eq!(Directory::active_practitioner(&DOC), None);

		assert_ok!(Directory::renew_licence(
			RuntimeOrigin::signed(ADMIN_A),
			DOC,
			NOW + YEAR,
			NOW + 3 * YEAR
		));
		assert_last_event(Event::LicenceRenewed {
			organisation: a,
			practitioner: DOC,
			valid_from: NOW + YEAR,
			valid_until: NOW + 3 * YEAR,
		});
		let licence = Practitioners::<Test>::get(DOC).map(|p| p.licence);
		assert_eq!(
			licence.as_ref().map(|l| (l.valid_from, l.valid_until)),
			Some((NOW + YEAR, NOW + 3 * YEAR))
		);
		// Authority and licence id are kept.
		assert_eq!(
			licence.map(|l| (l.authority, l.licence_id)),
			Some((current_licence().authority, [9u8; 32]))
		);
		assert!(Directory::active_practitioner(&DOC).is_some());
	});
}

#[test]
fn renewing_keeps_a_suspension() {
	ExtBuilder.build_and_execute(|| {
		two_orgs_and_doc();
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_ok!(Directory::renew_licence(RuntimeOrigin::signed(ADMIN_A), DOC, NOW, NOW + YEAR));
		assert_eq!(standing(DOC), Some(Standing::Suspended));
		assert_eq!(Directory::active_practitioner(&DOC), None);
	});
}

#[test]
fn renew_licence_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		let renew = |who: u64, p: u64, from: u64, until: u64| {
			Directory::renew_licence(RuntimeOrigin::signed(who), p, from, until)
		};
		assert_noop!(renew(ADMIN_A, MALLORY, NOW, NOW + YEAR), Error::<Test>::PractitionerNotFound);
		assert_noop!(renew(ADMIN_B, DOC, NOW, NOW + YEAR), Error::<Test>::NotAuthorized);
		assert_noop!(renew(DOC, DOC, NOW, NOW + 9 * YEAR), Error::<Test>::NotAuthorized);
		assert_noop!(renew(ADMIN_A, DOC, NOW + YEAR, NOW), Error::<Test>::InvalidLicencePeriod);
		assert_noop!(renew(ADMIN_A, DOC, NOW, NOW), Error::<Test>::InvalidLicencePeriod);
		assert_noop!(renew(ADMIN_A, DOC, NOW - YEAR, NOW), Error::<Test>::LicenceExpired);
		attach(ADMIN_A, a, NURSE, PractitionerRole::Nurse);
		assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_A), NURSE));
		assert_noop!(renew(ADMIN_A, NURSE, NOW, NOW + YEAR), Error::<Test>::Revoked);
		assert_ok!(Directory::deactivate_organisation(RuntimeOrigin::root(), a));
		assert_noop!(renew(ADMIN_A, DOC, NOW, NOW + YEAR), Error::<Test>::OrganisationInactive);
	});
}

#[test]
fn detach_removes_the_practitioner_who_may_then_join_another_organisation() {
	ExtBuilder.build_and_execute(|| {
		let (a, b) = two_orgs_and_doc();
		assert_ok!(Directory::detach_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_last_event(Event::PractitionerDetached { organisation: a, practitioner: DOC });
		assert!(!Practitioners::<Test>::contains_key(DOC));
		assert!(!OrganisationPractitioners::<Test>::contains_key(a, DOC));
		assert_eq!(count(a), Some(0));
		assert_eq!(Directory::active_practitioner(&DOC), None);

		attach(ADMIN_B, b, DOC, PractitionerRole::Physician);
		assert_eq!(Practitioners::<Test>::get(DOC).map(|p| p.organisation), Some(b));
		assert_eq!(count(b), Some(1));
	});
}

#[test]
fn a_suspended_practitioner_can_be_detached() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_ok!(Directory::detach_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_last_event(Event::PractitionerDetached { organisation: a, practitioner: DOC });
		assert!(!Practitioners::<Test>::contains_key(DOC));
	});
}

#[test]
fn detach_practitioner_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		assert_noop!(
			Directory::detach_practitioner(RuntimeOrigin::signed(ADMIN_A), MALLORY),
			Error::<Test>::PractitionerNotFound
		);
		assert_noop!(
			Directory::detach_practitioner(RuntimeOrigin::signed(ADMIN_B), DOC),
			Error::<Test>::NotAuthorized
		);
		// Only the admin detaches; a practitioner cannot detach themself.
		assert_noop!(
			Directory::detach_practitioner(RuntimeOrigin::signed(DOC), DOC),
			Error::<Test>::NotAuthorized
		);
		// Defensive: a count that would underflow is refused.
		set_count(a, 0);
		assert_noop!(
			Directory::detach_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC),
			Error::<Test>::Overflow
		);
		set_count(a, 1);
	});
}

#[test]
fn admin_calls_refuse_a_practitioner_whose_organisation_is_missing() {
	// Defensive path: only reachable if storage were inconsistent.
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		let org = Organisations::<Test>::take(a);
		assert_noop!(
			Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC),
			Error::<Test>::OrganisationNotFound
		);
		Organisations::<Test>::set(a, org);
	});
}

#[test]
fn set_practitioner_encryption_key_registers_and_replaces_the_key() {
	ExtBuilder.build_and_execute(|| {
		two_orgs_and_doc();
		assert_eq!(PractitionerKeys::<Test>::get(DOC), None);
		assert_ok!(Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(DOC), b32(7)));
		assert_last_event(Event::PractitionerEncryptionKeySet {
			practitioner: DOC,
			encryption_key: b32(7),
		});
		assert_eq!(PractitionerKeys::<Test>::get(DOC), Some(b32(7)));
		// A suspended practitioner may still replace it.
		assert_ok!(Directory::suspend_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_ok!(Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(DOC), b32(8)));
		assert_last_event(Event::PractitionerEncryptionKeySet {
			practitioner: DOC,
			encryption_key: b32(8),
		});
		assert_eq!(PractitionerKeys::<Test>::get(DOC), Some(b32(8)));
	});
}

#[test]
fn set_practitioner_encryption_key_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let (a, _) = two_orgs_and_doc();
		assert_noop!(
			Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(MALLORY), b32(7)),
			Error::<Test>::PractitionerNotFound
		);
		assert_noop!(
			Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(DOC), [0u8; 32]),
			Error::<Test>::EmptyEncryptionKey
		);
		assert_ok!(Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(DOC), b32(7)));
		assert_noop!(
			Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(DOC), b32(7)),
			Error::<Test>::KeyUnchanged
		);
		attach(ADMIN_A, a, NURSE, PractitionerRole::Nurse);
		assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_A), NURSE));
		assert_noop!(
			Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(NURSE), b32(9)),
			Error::<Test>::Revoked
		);
	});
}

#[test]
fn detaching_a_practitioner_removes_their_key() {
	ExtBuilder.build_and_execute(|| {
		two_orgs_and_doc();
		assert_ok!(Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(DOC), b32(7)));
		assert_ok!(Directory::detach_practitioner(RuntimeOrigin::signed(ADMIN_A), DOC));
		assert_eq!(PractitionerKeys::<Test>::get(DOC), None);
	});
}
