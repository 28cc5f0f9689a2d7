//! `try_state` catches each kind of inconsistency between storage items. These tests corrupt
//! storage on purpose, so they do not use `build_and_execute`.

use super::mock::*;
use crate::{
	NextOrganisationId, OrganisationByName, OrganisationPractitioners, Organisations,
	PatientByPseudonym, PatientCount, PatientKeyHistory, Patients, PractitionerKeys, Practitioners,
	TreatingOrganisations,
};
use frame_support::{assert_ok, BoundedVec};
use medchain_primitives::PractitionerRole;
use polkadot_sdk::*;

/// A populated, consistent directory: two organisations, two practitioners (one revoked), two
/// patients (one with a key history and treating organisations).
fn populated() {
	let (a, b) = two_orgs_and_doc();
	attach(ADMIN_B, b, NURSE, PractitionerRole::Nurse);
	assert_ok!(Directory::set_practitioner_encryption_key(RuntimeOrigin::signed(DOC), b32(6)));
	assert_ok!(Directory::revoke_practitioner(RuntimeOrigin::signed(ADMIN_B), NURSE));
	register_patient(ALICE, 1, 2);
	register_patient(BOB, 3, 4);
	System::set_block_number(3);
	assert_ok!(Directory::rotate_encryption_key(RuntimeOrigin::signed(ALICE), b32(5)));
	assert_ok!(Directory::add_treating_organisation(RuntimeOrigin::signed(ALICE), a));
	assert_ok!(Directory::add_treating_organisation(RuntimeOrigin::signed(ALICE), b));
	assert_ok!(Directory::do_try_state());
}

/// Runs `corrupt` on a populated directory and asserts that `try_state` reports it.
fn detects(corrupt: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		populated();
		corrupt();
		assert!(Directory::do_try_state().is_err());
	});
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
	detects(|| NextOrganisationId::<Test>::put(1));
}

#[test]
fn detects_a_missing_organisation_below_next_organisation_id() {
	detects(|| NextOrganisationId::<Test>::put(3));
}

#[test]
fn detects_a_name_index_out_of_step() {
	detects(|| OrganisationByName::<Test>::remove(name("St Elsewhere")));
}

#[test]
fn detects_a_stale_name_index_entry() {
	detects(|| OrganisationByName::<Test>::insert(name("Ghost"), 0));
}

#[test]
fn detects_a_wrong_practitioner_count() {
	detects(|| {
		Organisations::<Test>::mutate(0, |o| {
			if let Some(o) = o {
				o.practitioners = 2
			}
		})
	});
}

#[test]
fn detects_a_practitioner_missing_from_the_index() {
	detects(|| OrganisationPractitioners::<Test>::remove(0, DOC));
}

#[test]
fn detects_an_index_entry_without_a_practitioner() {
	detects(|| {
		Practitioners::<Test>::remove(DOC);
	});
}

#[test]
fn detects_an_index_entry_in_the_wrong_organisation() {
	detects(|| {
		OrganisationPractitioners::<Test>::remove(0, DOC);
		OrganisationPractitioners::<Test>::insert(1, DOC, ());
	});
}

#[test]
fn detects_a_malformed_licence() {
	detects(|| {
		Practitioners::<Test>::mutate(DOC, |p| {
			if let Some(p) = p {
				p.licence.authority = BoundedVec::default()
			}
		})
	});
}

#[test]
fn detects_a_wrong_patient_count() {
	detects(|| PatientCount::<Test>::put(3));
}

#[test]
fn detects_a_pseudonym_index_out_of_step() {
	detects(|| PatientByPseudonym::<Test>::remove(b32(1)));
}

#[test]
fn detects_a_pseudonym_pointing_to_another_patient() {
	detects(|| PatientByPseudonym::<Test>::insert(b32(1), BOB));
}

#[test]
fn detects_a_key_history_not_matching_the_rotations() {
	detects(|| {
		Patients::<Test>::mutate(ALICE, |p| {
			if let Some(p) = p {
				p.key_rotations = 2
			}
		})
	});
}

#[test]
fn detects_a_key_history_of_an_unregistered_patient() {
	detects(|| {
		let history = PatientKeyHistory::<Test>::get(ALICE).unwrap();
		PatientKeyHistory::<Test>::insert(MALLORY, history);
	});
}

#[test]
fn detects_a_treating_organisation_named_twice() {
	detects(|| {
		TreatingOrganisations::<Test>::insert(ALICE, BoundedVec::truncate_from(vec![0, 0]));
	});
}

#[test]
fn detects_a_treating_organisation_that_does_not_exist() {
	detects(|| {
		TreatingOrganisations::<Test>::insert(ALICE, BoundedVec::truncate_from(vec![0, 9]));
	});
}

#[test]
fn detects_an_empty_treating_list() {
	detects(|| TreatingOrganisations::<Test>::insert(BOB, BoundedVec::default()));
}

#[test]
fn detects_treating_organisations_of_an_unregistered_patient() {
	detects(|| TreatingOrganisations::<Test>::insert(MALLORY, BoundedVec::truncate_from(vec![0])));
}

#[test]
fn detects_a_key_of_an_account_that_is_no_practitioner() {
	detects(|| {
		PractitionerKeys::<Test>::insert(MALLORY, b32(6));
	});
}

#[test]
fn detects_an_empty_practitioner_key() {
	detects(|| {
		PractitionerKeys::<Test>::insert(DOC, [0u8; 32]);
	});
}
