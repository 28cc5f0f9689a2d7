//! `try_state` catches each kind of inconsistency between storage items. These tests corrupt
//! storage on purpose, so they do not use `build_and_execute`.

use super::mock::*;
use crate::{
	Emergencies, EmergenciesOf, EmergencyOf, EmergencyPatient, EndReason, Ending, GrantOf,
	GrantOwner, Grants, NextEmergencyId, NextGrantId, NextOfferId, OfferOf, Offers, PatientOffers,
	ReceiptCount, Receipts, UnreviewedEmergencies,
};
use frame_support::{assert_ok, BoundedVec};
use medchain_primitives::{
	AccessTarget::Class,
	ConsentAction::Read,
	DataClass::General,
	PractitionerRole,
	PurposeOfUse::{Research, Treatment},
};
use polkadot_sdk::*;

/// A populated, consistent pallet: Alice has five grants (0 revoked, 1 expired and recorded,
/// 2 to 4 in force), Bob one; Alice's log has wrapped around; Alice has a reviewed and an
/// unreviewed emergency; Bob has an offer waiting.
fn populated() {
	grant(ALICE, account(DOC), treat_general(Effect::Permit));
	grant_period(ALICE, account(NURSE), treat_general(Effect::Permit), None, Some(3));
	grant(ALICE, role(ORG_A, PractitionerRole::Physician), treat_general(Effect::Deny));
	grant(BOB, account(DOC), treat_general(Effect::Permit));
	System::set_block_number(4);
	assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), 0));
	grant(ALICE, account(DOC_B), provision(Effect::Permit, &[Read], &[Treatment], &[], &[1, 2]));
	grant(
		ALICE,
		account(RESEARCHER),
		provision(Effect::Permit, &[Read], &[Research], &[General], &[]),
	);
	for _ in 0..MAX_RECEIPTS + 1 {
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(RESEARCHER),
			ALICE,
			Class(General),
			Research,
			Read
		));
	}
	set_practitioner(DOC_B, ORG_B, PractitionerRole::EmergencyPhysician);
	open_emergency(ER_DOC, ALICE);
	open_emergency(DOC_B, ALICE);
	assert_ok!(Consent::review_emergency(RuntimeOrigin::root(), 0, None, true));
	assert_ok!(Consent::propose_grant(
		RuntimeOrigin::signed(RESEARCHER),
		BOB,
		account(RESEARCHER),
		provision(Effect::Permit, &[Read], &[Research], &[General], &[]),
		None,
		None
	));
	assert_ok!(Consent::do_try_state());
}

/// Runs `corrupt` on a populated pallet and asserts that `try_state` reports it.
fn detects(corrupt: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		populated();
		corrupt();
		assert!(Consent::do_try_state().is_err());
	});
}

fn edit_grant(patient: u64, index: usize, f: impl FnOnce(&mut GrantOf<Test>)) {
	Grants::<Test>::mutate(patient, |grants| f(&mut grants.as_mut().expect("grants exist")[index]));
}

fn edit_emergency(index: usize, f: impl FnOnce(&mut EmergencyOf<Test>)) {
	Emergencies::<Test>::mutate(ALICE, |list| f(&mut list.as_mut().expect("emergencies")[index]));
}

fn edit_offer(f: impl FnOnce(&mut OfferOf<Test>)) {
	Offers::<Test>::mutate(0, |offer| f(offer.as_mut().expect("the offer exists")));
}

/// `list` with its first two entries swapped.
fn swapped<T, S: frame_support::traits::Get<u32>>(list: BoundedVec<T, S>) -> BoundedVec<T, S> {
	let mut entries = list.into_inner();
	entries.swap(0, 1);
	BoundedVec::truncate_from(entries)
}

#[test]
fn a_consistent_pallet_passes() {
	new_test_ext().execute_with(|| {
		assert_ok!(Consent::do_try_state());
		populated();
		assert_ok!(Consent::do_try_state());
	});
}

#[test]
fn detects_a_grant_id_at_or_above_next_grant_id() {
	detects(|| NextGrantId::<Test>::put(5));
}

#[test]
fn detects_grants_out_of_id_order() {
	detects(|| Grants::<Test>::mutate(ALICE, |g| *g = g.take().map(swapped)));
}

#[test]
fn detects_a_grant_missing_from_the_owner_index() {
	detects(|| GrantOwner::<Test>::remove(2));
}

#[test]
fn detects_an_owner_index_entry_without_its_grant() {
	detects(|| GrantOwner::<Test>::insert(3, ALICE));
	detects(|| GrantOwner::<Test>::insert(9, ALICE));
}

#[test]
fn detects_an_empty_grant_list() {
	detects(|| Grants::<Test>::insert(MALLORY, BoundedVec::default()));
}

#[test]
fn detects_a_grant_to_the_patient() {
	detects(|| edit_grant(ALICE, 2, |g| g.grantee = account(ALICE)));
}

#[test]
fn detects_an_empty_or_duplicated_provision() {
	detects(|| edit_grant(ALICE, 2, |g| g.provision.actions = BoundedVec::default()));
	detects(|| edit_grant(ALICE, 2, |g| g.provision.purposes = BoundedVec::default()));
	detects(|| edit_grant(ALICE, 2, |g| g.provision.classes = BoundedVec::default()));
	detects(|| {
		edit_grant(ALICE, 2, |g| {
			g.provision.classes = BoundedVec::truncate_from(vec![General, General])
		})
	});
}

#[test]
fn detects_a_malformed_period() {
	detects(|| edit_grant(ALICE, 2, |g| g.valid_from = 0));
	detects(|| edit_grant(ALICE, 2, |g| g.valid_until = Some(1)));
}

#[test]
fn detects_an_inconsistent_history() {
	detects(|| {
		edit_grant(ALICE, 0, |g| g.ended = Some(Ending { at: 0, reason: EndReason::Revoked }))
	});
	detects(|| {
		edit_grant(ALICE, 1, |g| g.ended = Some(Ending { at: 2, reason: EndReason::Expired }))
	});
	detects(|| {
		edit_grant(ALICE, 1, |g| g.ended = Some(Ending { at: 4, reason: EndReason::Revoked }))
	});
}

#[test]
fn detects_a_wrong_receipt_count() {
	detects(|| ReceiptCount::<Test>::insert(ALICE, 4));
	detects(|| ReceiptCount::<Test>::insert(ALICE, 9));
	detects(|| ReceiptCount::<Test>::insert(BOB, 1));
	detects(|| ReceiptCount::<Test>::insert(BOB, 0));
}

#[test]
fn detects_a_receipt_in_the_wrong_slot_or_missing() {
	detects(|| {
		let receipt = Receipts::<Test>::take(ALICE, 1).unwrap();
		Receipts::<Test>::insert(ALICE, 0, receipt);
	});
	detects(|| Receipts::<Test>::remove(ALICE, 2));
}

#[test]
fn detects_receipts_without_a_count() {
	detects(|| {
		let receipt = Receipts::<Test>::get(ALICE, 1).unwrap();
		Receipts::<Test>::insert(BOB, 1, receipt);
	});
}

#[test]
fn detects_an_emergency_id_at_or_above_next_emergency_id() {
	detects(|| NextEmergencyId::<Test>::put(1));
}

#[test]
fn detects_an_emergency_missing_from_or_extra_in_the_patient_index() {
	detects(|| EmergencyPatient::<Test>::remove(1));
	detects(|| EmergencyPatient::<Test>::insert(1, BOB));
	detects(|| EmergencyPatient::<Test>::insert(7, ALICE));
}

#[test]
fn detects_an_emergency_under_another_patient_or_out_of_order() {
	detects(|| edit_emergency(1, |e| e.patient = BOB));
	detects(|| Emergencies::<Test>::mutate(ALICE, |l| *l = l.take().map(swapped)));
	detects(|| Emergencies::<Test>::insert(BOB, EmergenciesOf::<Test>::default()));
	detects(|| edit_emergency(1, |e| e.practitioner = ALICE));
}

#[test]
fn detects_a_malformed_emergency() {
	detects(|| edit_emergency(1, |e| e.expires_at = e.opened_at));
	detects(|| edit_emergency(1, |e| e.review_deadline = e.opened_at));
	detects(|| edit_emergency(0, |e| e.review.as_mut().unwrap().at = 0));
}

#[test]
fn detects_a_wrong_unreviewed_list() {
	detects(|| UnreviewedEmergencies::<Test>::remove(1));
	detects(|| UnreviewedEmergencies::<Test>::insert(0, ()));
	detects(|| UnreviewedEmergencies::<Test>::insert(8, ()));
	detects(|| edit_emergency(0, |e| e.review = None));
}

#[test]
fn detects_an_offer_missing_from_or_extra_in_the_patient_index() {
	detects(|| PatientOffers::<Test>::remove(BOB));
	detects(|| PatientOffers::<Test>::insert(ALICE, BoundedVec::truncate_from(vec![0])));
	detects(|| PatientOffers::<Test>::insert(BOB, BoundedVec::truncate_from(vec![0, 0])));
	detects(|| PatientOffers::<Test>::insert(BOB, BoundedVec::default()));
	detects(|| Offers::<Test>::remove(0));
}

#[test]
fn detects_a_malformed_offer() {
	detects(|| NextOfferId::<Test>::put(0));
	detects(|| edit_offer(|o| o.id = 3));
	detects(|| edit_offer(|o| o.proposer = BOB));
	detects(|| edit_offer(|o| o.provision.effect = Effect::Deny));
	detects(|| edit_offer(|o| o.provision.purposes = BoundedVec::truncate_from(vec![Treatment])));
	detects(|| edit_offer(|o| o.provision.actions = BoundedVec::default()));
	detects(|| edit_offer(|o| o.expires_at = o.proposed_at));
	detects(|| edit_offer(|o| o.valid_until = Some(o.valid_from)));
}
