//! `try_state` catches each kind of inconsistency between storage items. These tests corrupt
//! storage on purpose, so they do not use `build_and_execute`.

use super::mock::*;
use crate::{
	GatewayAccounts, Gateways, Invitation, InvitationCount, Invitations, NextOrganisationId,
	OrganisationByName, OrganisationPractitioners, Organisations, PatientByPseudonym, PatientCount,
	PatientKeyHistory, Patients, PractitionerKeys, Practitioners,
};
use frame_support::{assert_ok, BoundedVec};
use medchain_primitives::PractitionerRole;
use polkadot_sdk::*;

/// A populated, consistent directory: two organisations, two practitioners (one revoked), two
/// patients (one with a key history) and one who deregistered, one invitation waiting.
fn populated() {
	let (a, b) = two_orgs_and_doc();
	attach(ADMIN_B, b, NURSE, PractitionerRole::Nurse);
	assert_ok!(Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(DOC), b32(6)));
	assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_B), NURSE));
	register_patient(ALICE, 1, 2);
	register_patient(BOB, 3, 4);
	// A patient who left: their pseudonym retired.
	register_patient(77, 9, 9);
	assert_ok!(Directory::deregister_patient(RuntimeOrigin::signed(77)));
	System::set_block_number(3);
	assert_ok!(Directory::rotate_encryption_key(RuntimeOrigin::signed(ALICE), b32(5)));
	assert_ok!(Directory::invite_practitioner(
		RuntimeOrigin::signed(ADMIN_A),
		a,
		MALLORY,
		PractitionerRole::Nurse,
		current_licence(),
	));
	assert_ok!(Directory::set_gateway(
		RuntimeOrigin::signed(ADMIN_A),
		a,
		30,
		BoundedVec::truncate_from(b"https://a.example".to_vec()),
		b32(8),
	));
	assert_ok!(Directory::do_try_state());
}

/// The invitation [`populated`] leaves waiting (organisation 0 to [`MALLORY`]).
fn waiting() -> crate::InvitationOf<Test> {
	Invitations::<Test>::get(MALLORY, 0).expect("populated invites MALLORY")
}

/// Runs `corrupt` on a populated pallet and asserts that `try_state` reports exactly `broken`,
/// the invariant the corruption breaks.
fn detects(broken: &'static str, corrupt: impl FnOnce()) {
	medchain_test_utils::assert_detects(
		new_test_ext(),
		populated,
		corrupt,
		Directory::do_try_state,
		broken,
	);
}

#[test]
fn a_consistent_directory_passes() {
	new_test_ext().execute_with(|| {
		assert_ok!(Directory::do_try_state());
		populated();
		assert_ok!(Directory::do_try_state());
	});
}

#[test]
fn detects_an_id_at_or_above_next_organisation_id() {
	detects("an organisation id is not below NextOrganisationId", || {
		NextOrganisationId::<Test>::put(1)
	});
}

#[test]
fn detects_a_missing_organisation_below_next_organisation_id() {
	detects("the organisations are not exactly the ids below NextOrganisationId", || {
		NextOrganisationId::<Test>::put(3)
	});
}

#[test]
fn detects_a_name_index_out_of_step() {
	detects("an organisation's name does not map back to it in OrganisationByName", || {
		OrganisationByName::<Test>::remove(name("St Elsewhere"))
	});
}

#[test]
fn detects_a_stale_name_index_entry() {
	detects("an OrganisationByName entry points to an organisation of another name", || {
		OrganisationByName::<Test>::insert(name("Ghost"), 0)
	});
}

#[test]
fn detects_a_wrong_practitioner_count() {
	detects("an organisation's practitioner count differs from OrganisationPractitioners", || {
		Organisations::<Test>::mutate(0, |o| {
			if let Some(o) = o {
				o.practitioners = 2
			}
		})
	});
}

#[test]
fn detects_a_practitioner_missing_from_the_index() {
	detects("an organisation's practitioner count differs from OrganisationPractitioners", || {
		OrganisationPractitioners::<Test>::remove(0, DOC)
	});
}

#[test]
fn detects_an_index_entry_without_a_practitioner() {
	detects("a PractitionerKeys entry has no practitioner", || {
		Practitioners::<Test>::remove(DOC);
	});
}

#[test]
fn detects_an_index_entry_in_the_wrong_organisation() {
	detects("an organisation's practitioner count differs from OrganisationPractitioners", || {
		OrganisationPractitioners::<Test>::remove(0, DOC);
		OrganisationPractitioners::<Test>::insert(1, DOC, ());
	});
}

#[test]
fn detects_a_malformed_licence() {
	detects("a licence has an empty authority", || {
		Practitioners::<Test>::mutate(DOC, |p| {
			if let Some(p) = p {
				p.licence.authority = BoundedVec::default()
			}
		})
	});
}

#[test]
fn detects_a_wrong_patient_count() {
	detects("PatientCount differs from Patients", || PatientCount::<Test>::put(3));
}

#[test]
fn detects_a_pseudonym_index_out_of_step() {
	detects("a patient's pseudonym does not map back to them in PatientByPseudonym", || {
		PatientByPseudonym::<Test>::remove(b32(1))
	});
}

#[test]
fn detects_a_pseudonym_pointing_to_another_patient() {
	detects("a patient's pseudonym does not map back to them in PatientByPseudonym", || {
		PatientByPseudonym::<Test>::insert(b32(1), BOB)
	});
}

#[test]
fn detects_a_retired_pseudonym_in_use() {
	detects("a retired pseudonym is a registered patient's", || {
		crate::RetiredPseudonyms::<Test>::insert(b32(1), ())
	});
}

#[test]
fn detects_a_key_history_not_matching_the_rotations() {
	detects("a patient's key history length differs from their rotation count", || {
		Patients::<Test>::mutate(ALICE, |p| {
			if let Some(p) = p {
				p.key_rotations = 2
			}
		})
	});
}

#[test]
fn detects_a_key_history_of_an_unregistered_patient() {
	detects("key history of an unregistered patient", || {
		let history = PatientKeyHistory::<Test>::get(ALICE).unwrap();
		PatientKeyHistory::<Test>::insert(MALLORY, history);
	});
}

#[test]
fn detects_a_key_of_an_account_that_is_no_practitioner() {
	detects("a PractitionerKeys entry has no practitioner", || {
		PractitionerKeys::<Test>::insert(MALLORY, b32(6));
	});
}

#[test]
fn detects_an_empty_practitioner_key() {
	detects("a practitioner has an empty key", || {
		PractitionerKeys::<Test>::insert(DOC, [0u8; 32]);
	});
}

#[test]
fn detects_an_invitation_count_out_of_step() {
	detects("InvitationCount differs from the invitations stored", || {
		InvitationCount::<Test>::insert(0, 2)
	});
	detects("InvitationCount differs from the invitations stored", || {
		InvitationCount::<Test>::insert(1, 1)
	});
}

#[test]
fn detects_an_invitation_count_of_zero() {
	detects("an organisation's invitation count is zero or above MaxInvitations", || {
		Invitations::<Test>::remove(MALLORY, 0);
		InvitationCount::<Test>::insert(0, 0);
	});
}

#[test]
fn detects_an_invitation_count_above_the_maximum() {
	detects("an organisation's invitation count is zero or above MaxInvitations", || {
		for who in 100..=MAX_INVITATIONS as u64 + 100 {
			Invitations::<Test>::insert(who, 0, waiting());
		}
		InvitationCount::<Test>::insert(0, MAX_INVITATIONS + 2);
	});
}

#[test]
fn detects_an_invitation_from_a_missing_organisation() {
	detects("an invitation's organisation does not exist", || {
		Invitations::<Test>::insert(MALLORY, 7, waiting());
		InvitationCount::<Test>::insert(7, 1);
	});
}

#[test]
fn detects_an_invitation_offering_a_role_the_kind_may_not_have() {
	detects("an invitation offers a role its organisation's kind may not have", || {
		Organisations::<Test>::mutate(0, |o| {
			if let Some(o) = o {
				o.kind = medchain_primitives::OrganisationKind::Insurer
			}
		});
	});
}

#[test]
fn detects_an_invitation_to_a_member() {
	detects("an account is invited by the organisation it already belongs to", || {
		Invitations::<Test>::insert(DOC, 0, waiting());
		InvitationCount::<Test>::insert(0, 2);
	});
}

#[test]
fn detects_an_invitation_expiring_before_it_was_made() {
	detects("an invitation expires before it was made", || {
		Invitations::<Test>::insert(MALLORY, 0, Invitation { expires_at: 1, ..waiting() })
	});
}

#[test]
fn detects_an_invitation_with_an_empty_licence() {
	detects("an invitation has no authority", || {
		let mut invitation = waiting();
		invitation.licence.authority = BoundedVec::default();
		Invitations::<Test>::insert(MALLORY, 0, invitation);
	});
	detects("an invitation has no licence id", || {
		let mut invitation = waiting();
		invitation.licence.licence_id = [0u8; 32];
		Invitations::<Test>::insert(MALLORY, 0, invitation);
	});
}

#[test]
fn detects_a_gateway_of_no_organisation() {
	detects("a gateway's organisation does not exist", || {
		let gateway = Gateways::<Test>::take(0).expect("populated sets one");
		Gateways::<Test>::insert(7, gateway);
		GatewayAccounts::<Test>::insert(30, 7);
	});
}

#[test]
fn detects_a_malformed_gateway() {
	detects("a gateway's endpoint is not a URL", || {
		Gateways::<Test>::mutate(0, |g| {
			if let Some(g) = g {
				g.endpoint = BoundedVec::truncate_from(b"a.example".to_vec())
			}
		})
	});
	detects("a gateway has no encryption key", || {
		Gateways::<Test>::mutate(0, |g| {
			if let Some(g) = g {
				g.encryption_key = [0; 32]
			}
		})
	});
}

#[test]
fn detects_a_gateway_account_index_out_of_step() {
	detects("a gateway's account does not map back to its organisation in GatewayAccounts", || {
		GatewayAccounts::<Test>::remove(30)
	});
	detects(
		"a GatewayAccounts entry points to an organisation whose gateway has another account",
		|| GatewayAccounts::<Test>::insert(31, 0),
	);
}
