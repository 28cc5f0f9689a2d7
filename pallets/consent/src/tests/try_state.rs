//! `try_state` catches each kind of inconsistency between storage items. These tests corrupt
//! storage on purpose, so they do not use `build_and_execute`.

use super::mock::*;
use crate::{
	Emergencies, EmergenciesOf, EmergencyOf, EmergencyPatient, EndReason, Ending, GrantClasses,
	GrantClassesOf, GrantIndex, GrantOf, GrantOwner, GranteeOf, Grants, IndexedGrantsOf,
	NextEmergencyId, NextGrantId, NextOfferId, OfferOf, Offers, PastEmergencies, PastGrants,
	PatientOffers, ReceiptCount, Receipts, UnreviewedEmergencies,
};
use frame_support::{assert_ok, BoundedVec};
use medchain_primitives::{
	AccessTarget::Class,
	ClassTag,
	ConsentAction::Read,
	PractitionerRole,
	PurposeOfUse::{Research, Treatment},
};
use polkadot_sdk::*;

/// A populated, consistent pallet: Alice has five grants (0 revoked, 1 expired and recorded,
/// 2 to 4 in force), Bob one; Alice's log has five receipts; Alice has a reviewed and an
/// unreviewed emergency; Bob has an offer waiting.
fn populated() {
	grant(ALICE, account(DOC), treat_general(Effect::Permit));
	grant_period(ALICE, account(NURSE), treat_general(Effect::Permit), None, Some(3));
	grant(ALICE, role(ORG_A, PractitionerRole::Physician), treat_general(Effect::Deny));
	grant(BOB, account(DOC), treat_general(Effect::Permit));
	System::set_block_number(4);
	assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), 0));
	add_record(1, ALICE, GENERAL);
	add_record(2, ALICE, MENTAL_HEALTH);
	grant(ALICE, account(DOC_B), provision(Effect::Permit, &[Read], &[Treatment], &[], &[1, 2]));
	grant(
		ALICE,
		account(RESEARCHER),
		provision(Effect::Permit, &[Read], &[Research], &[GENERAL], &[]),
	);
	for _ in 0..5 {
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(RESEARCHER),
			ALICE,
			Class(GENERAL),
			Research,
			Read
		));
	}
	set_practitioner(DOC_B, ORG_B, PractitionerRole::EmergencyPhysician);
	open_emergency(ER_DOC, ALICE);
	open_emergency(DOC_B, ALICE);
	assert_ok!(Consent::review_emergency(RuntimeOrigin::root(), 0, true));
	assert_ok!(Consent::propose_grant(
		RuntimeOrigin::signed(RESEARCHER),
		BOB,
		account(RESEARCHER),
		provision(Effect::Permit, &[Read], &[Research], &[], &[]),
		None,
		None
	));
	assert_ok!(Consent::do_try_state());
}

/// Runs `corrupt` on a populated pallet and asserts that `try_state` reports exactly `broken`,
/// the invariant the corruption breaks.
fn detects(broken: &'static str, corrupt: impl FnOnce()) {
	medchain_test_utils::assert_detects(
		new_test_ext(),
		populated,
		corrupt,
		Consent::do_try_state,
		broken,
	);
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
	detects("a grant id is not below NextGrantId", || NextGrantId::<Test>::put(5));
}

#[test]
fn detects_grants_out_of_id_order() {
	detects("a patient's grants are not in id order", || {
		Grants::<Test>::mutate(ALICE, |g| *g = g.take().map(swapped))
	});
}

#[test]
fn detects_a_grant_missing_from_the_owner_index() {
	detects("a grant is missing from the GrantOwner index", || GrantOwner::<Test>::remove(2));
}

#[test]
fn detects_an_owner_index_entry_without_its_grant() {
	detects("a grant is missing from the GrantOwner index", || {
		GrantOwner::<Test>::insert(3, ALICE)
	});
	detects("a GrantOwner entry points to no grant of that patient", || {
		GrantOwner::<Test>::insert(9, ALICE)
	});
}

#[test]
fn detects_an_empty_grant_list() {
	detects("a patient's grant list is stored empty", || {
		Grants::<Test>::insert(MALLORY, BoundedVec::default())
	});
}

#[test]
fn detects_a_grant_to_the_patient() {
	detects("a patient granted to themself", || {
		edit_grant(ALICE, 2, |g| g.grantee = account(ALICE))
	});
}

#[test]
fn detects_an_empty_or_duplicated_provision() {
	detects("a grant has an empty provision", || {
		edit_grant(ALICE, 2, |g| g.provision.actions = BoundedVec::default())
	});
	detects("a grant has an empty provision", || {
		edit_grant(ALICE, 2, |g| g.provision.purposes = BoundedVec::default())
	});
	detects("a grant has an empty provision", || {
		edit_grant(ALICE, 2, |g| g.provision.classes = BoundedVec::default())
	});
	detects("a grant's provision names an entry twice", || {
		edit_grant(ALICE, 2, |g| {
			g.provision.classes = BoundedVec::truncate_from(vec![GENERAL, GENERAL])
		})
	});
}

#[test]
fn detects_a_malformed_period() {
	detects("a grant is valid before it was made", || edit_grant(ALICE, 2, |g| g.valid_from = 0));
	detects("a grant's period ends before it starts", || {
		edit_grant(ALICE, 2, |g| g.valid_until = Some(1))
	});
}

#[test]
fn detects_an_inconsistent_history() {
	detects("a grant ended before it was made", || {
		edit_grant(ALICE, 0, |g| g.ended = Some(Ending { at: 0, reason: EndReason::Revoked }))
	});
	detects("an expired grant did not end at its valid_until", || {
		edit_grant(ALICE, 1, |g| g.ended = Some(Ending { at: 2, reason: EndReason::Expired }))
	});
	detects("a grant was revoked after it expired", || {
		edit_grant(ALICE, 1, |g| g.ended = Some(Ending { at: 4, reason: EndReason::Revoked }))
	});
}

#[test]
fn detects_a_wrong_receipt_count() {
	detects("a receipt's seq is not below the patient's count", || {
		ReceiptCount::<Test>::insert(ALICE, 4)
	});
	detects("a patient's log has lost a receipt", || ReceiptCount::<Test>::insert(ALICE, 9));
	detects("a patient's log has lost a receipt", || ReceiptCount::<Test>::insert(BOB, 1));
	detects("a zero receipt count is stored", || ReceiptCount::<Test>::insert(BOB, 0));
}

#[test]
fn detects_a_receipt_in_the_wrong_slot_or_missing() {
	detects("a receipt is stored under another sequence number", || {
		let receipt = Receipts::<Test>::take(ALICE, 1).unwrap();
		Receipts::<Test>::insert(ALICE, 0, receipt);
	});
	detects("a patient's log has lost a receipt", || Receipts::<Test>::remove(ALICE, 2));
}

#[test]
fn detects_receipts_without_a_count() {
	detects("a receipt's seq is not below the patient's count", || {
		let receipt = Receipts::<Test>::get(ALICE, 1).unwrap();
		Receipts::<Test>::insert(BOB, 1, receipt);
	});
}

#[test]
fn detects_an_emergency_id_at_or_above_next_emergency_id() {
	detects("an emergency id is not below NextEmergencyId", || NextEmergencyId::<Test>::put(1));
}

#[test]
fn detects_an_emergency_missing_from_or_extra_in_the_patient_index() {
	detects("an emergency is missing from the EmergencyPatient index", || {
		EmergencyPatient::<Test>::remove(1)
	});
	detects("an emergency is missing from the EmergencyPatient index", || {
		EmergencyPatient::<Test>::insert(1, BOB)
	});
	detects("EmergencyPatient does not index exactly the stored emergencies", || {
		EmergencyPatient::<Test>::insert(7, ALICE)
	});
}

#[test]
fn detects_an_emergency_under_another_patient_or_out_of_order() {
	detects("an emergency is stored under another patient", || {
		edit_emergency(1, |e| e.patient = BOB)
	});
	detects("emergencies are not in id order", || {
		Emergencies::<Test>::mutate(ALICE, |l| *l = l.take().map(swapped))
	});
	detects("a patient's emergency list is stored empty", || {
		Emergencies::<Test>::insert(BOB, EmergenciesOf::<Test>::default())
	});
	detects("an emergency opened by the patient", || edit_emergency(1, |e| e.practitioner = ALICE));
}

#[test]
fn detects_a_malformed_emergency() {
	detects("an emergency expires before it opens", || {
		edit_emergency(1, |e| e.expires_at = e.opened_at)
	});
	detects("an emergency's review is due at opening", || {
		edit_emergency(1, |e| e.review_deadline = e.opened_at)
	});
	detects("an emergency reviewed before it opened", || {
		edit_emergency(0, |e| e.review.as_mut().unwrap().at = 0)
	});
}

#[test]
fn detects_a_wrong_unreviewed_list() {
	detects("UnreviewedEmergencies does not match the reviews", || {
		UnreviewedEmergencies::<Test>::remove(1)
	});
	detects("UnreviewedEmergencies does not match the reviews", || {
		UnreviewedEmergencies::<Test>::insert(0, ())
	});
	detects("UnreviewedEmergencies lists an emergency that is not kept", || {
		UnreviewedEmergencies::<Test>::insert(8, ())
	});
	detects("UnreviewedEmergencies does not match the reviews", || {
		edit_emergency(0, |e| e.review = None)
	});
}

#[test]
fn detects_an_offer_missing_from_or_extra_in_the_patient_index() {
	detects("PatientOffers does not index exactly the stored offers", || {
		PatientOffers::<Test>::remove(BOB)
	});
	detects("a PatientOffers entry points to no offer to that patient", || {
		PatientOffers::<Test>::insert(ALICE, BoundedVec::truncate_from(vec![0]))
	});
	detects("an offer is indexed twice", || {
		PatientOffers::<Test>::insert(BOB, BoundedVec::truncate_from(vec![0, 0]))
	});
	detects("a patient's offer list is stored empty", || {
		PatientOffers::<Test>::insert(BOB, BoundedVec::default())
	});
	detects("a PatientOffers entry points to no offer to that patient", || {
		Offers::<Test>::remove(0)
	});
}

#[test]
fn detects_a_wrong_proposer_count() {
	detects("ProposerOffers does not count each proposer's stored offers", || {
		crate::ProposerOffers::<Test>::insert(RESEARCHER, 2)
	});
	detects("ProposerOffers does not count each proposer's stored offers", || {
		crate::ProposerOffers::<Test>::insert(DOC, 1)
	});
	detects("ProposerOffers does not count each proposer's stored offers", || {
		crate::ProposerOffers::<Test>::remove(RESEARCHER)
	});
	detects("a proposer has more offers than allowed", || {
		crate::ProposerOffers::<Test>::insert(RESEARCHER, MAX_OFFERS_PER_PROPOSER + 1)
	});
}

#[test]
fn detects_a_malformed_offer() {
	detects("an offer is stored under a wrong id", || NextOfferId::<Test>::put(0));
	detects("an offer is stored under a wrong id", || edit_offer(|o| o.id = 3));
	detects("an offer to its own proposer", || edit_offer(|o| o.proposer = BOB));
	detects("an offer is not a non-clinical permit", || {
		edit_offer(|o| o.provision.effect = Effect::Deny)
	});
	detects("an offer is not a non-clinical permit", || {
		edit_offer(|o| o.provision.purposes = BoundedVec::truncate_from(vec![Treatment]))
	});
	detects("an offer has no action or no purpose", || {
		edit_offer(|o| o.provision.actions = BoundedVec::default())
	});
	detects("an offer names data classes", || {
		edit_offer(|o| o.provision.classes = BoundedVec::truncate_from(vec![GENERAL]))
	});
	detects("an offer expires before it is made", || edit_offer(|o| o.expires_at = o.proposed_at));
	detects("an offer's period ends before it starts", || {
		edit_offer(|o| o.valid_until = Some(o.valid_from))
	});
}

#[test]
fn detects_an_archived_grant_out_of_step() {
	// An ended grant moved to the archive but left in the list, an archived grant in force,
	// an archived grant the index does not know.
	detects("a grant is both listed and archived", || {
		let grant = Grants::<Test>::get(ALICE).unwrap()[0].clone();
		PastGrants::<Test>::insert(ALICE, grant.id, grant);
	});
	detects("an archived grant has not ended", || {
		let grant = Grants::<Test>::get(ALICE).unwrap()[2].clone();
		Grants::<Test>::mutate(ALICE, |g| {
			g.as_mut().unwrap().retain(|x| x.id != grant.id);
		});
		PastGrants::<Test>::insert(ALICE, grant.id, grant);
	});
	detects("an archived grant is missing from the GrantOwner index", || {
		let grant = Grants::<Test>::get(ALICE).unwrap()[0].clone();
		Grants::<Test>::mutate(ALICE, |g| {
			g.as_mut().unwrap().retain(|x| x.id != grant.id);
		});
		PastGrants::<Test>::insert(BOB, grant.id, grant);
	});
}

#[test]
fn detects_an_archived_emergency_out_of_step() {
	detects("an emergency is both listed and archived", || {
		System::set_block_number(100);
		let emergency = Emergencies::<Test>::get(ALICE).unwrap()[0].clone();
		PastEmergencies::<Test>::insert(emergency.id, emergency);
	});
	detects("an archived emergency is in force", || {
		let emergency = Emergencies::<Test>::get(ALICE).unwrap()[1].clone();
		Emergencies::<Test>::mutate(ALICE, |l| {
			l.as_mut().unwrap().retain(|e| e.id != emergency.id);
		});
		PastEmergencies::<Test>::insert(emergency.id, emergency);
	});
	// Archived once expired: consistent.
	new_test_ext().execute_with(|| {
		populated();
		System::set_block_number(100);
		let list = Emergencies::<Test>::take(ALICE).unwrap();
		for emergency in list {
			PastEmergencies::<Test>::insert(emergency.id, emergency);
		}
		assert_ok!(Consent::do_try_state());
	});
}

/// The index list of Alice's grants to `grantee` about `class`.
fn index_of(grantee: GranteeOf<Test>, class: ClassTag) -> IndexedGrantsOf<Test> {
	GrantIndex::<Test>::get((ALICE, grantee, class)).expect("an index list")
}

#[test]
fn detects_a_listed_grant_without_indexed_classes() {
	detects("a listed grant has no indexed classes", || GrantClasses::<Test>::remove(2));
	detects("a grant is not indexed under a class its provision names", || {
		GrantClasses::<Test>::insert(2, GrantClassesOf::<Test>::truncate_from(vec![MENTAL_HEALTH]))
	});
	detects("GrantClasses names a grant that is not in a patient's list", || {
		GrantClasses::<Test>::insert(9, GrantClassesOf::<Test>::truncate_from(vec![GENERAL]))
	});
}

#[test]
fn detects_a_grant_in_force_missing_from_or_misstated_in_the_index() {
	let physicians = || role(ORG_A, PractitionerRole::Physician);
	detects("a grant in force is missing from the index", || {
		GrantIndex::<Test>::remove((ALICE, physicians(), GENERAL))
	});
	detects("an index entry does not say what its grant says", || {
		GrantIndex::<Test>::mutate((ALICE, physicians(), GENERAL), |list| {
			list.as_mut().expect("a list")[0].effect = Effect::Permit
		})
	});
	detects("an index entry does not say what its grant says", || {
		// A record of the wrong class (or none the grant names) in the entry.
		GrantIndex::<Test>::mutate((ALICE, account(DOC_B), MENTAL_HEALTH), |list| {
			list.as_mut().expect("a list")[0].records = crate::InlineList::truncate_from(&[7])
		})
	});
	detects("a grant is indexed twice under a class", || {
		let mut list = index_of(physicians(), GENERAL);
		let again = list[0].clone();
		list.try_push(again).expect("room");
		GrantIndex::<Test>::insert((ALICE, physicians(), GENERAL), list);
	});
}

#[test]
fn detects_an_index_entry_out_of_place() {
	let entry = || index_of(account(RESEARCHER), GENERAL)[0].clone();
	detects("an index list is stored empty", || {
		GrantIndex::<Test>::insert(
			(ALICE, account(MALLORY), GENERAL),
			IndexedGrantsOf::<Test>::default(),
		)
	});
	detects("an index list is not in id order", || {
		let mut list = index_of(account(DOC), GENERAL);
		list.try_insert(0, entry()).expect("room");
		GrantIndex::<Test>::insert((ALICE, account(DOC), GENERAL), list);
	});
	detects("an index entry names a grant of another patient", || {
		GrantIndex::<Test>::insert(
			(BOB, account(RESEARCHER), GENERAL),
			IndexedGrantsOf::<Test>::truncate_from(vec![entry()]),
		)
	});
	detects("an index entry is under another grantee", || {
		let mut list = index_of(account(NURSE), GENERAL);
		list.try_push(entry()).expect("room");
		GrantIndex::<Test>::insert((ALICE, account(NURSE), GENERAL), list);
	});
	detects("an index entry is under a class its grant is not indexed under", || {
		GrantIndex::<Test>::insert(
			(ALICE, account(RESEARCHER), MENTAL_HEALTH),
			IndexedGrantsOf::<Test>::truncate_from(vec![entry()]),
		)
	});
	detects("an archived grant could still be in force by the index", || {
		// Grant 5 archived as revoked, its index entry left as if it were still in force.
		let mut grant = Grants::<Test>::get(ALICE).expect("grants").into_iter().last().expect("5");
		Grants::<Test>::mutate(ALICE, |grants| {
			grants.as_mut().expect("grants").retain(|g| g.id != 5)
		});
		GrantClasses::<Test>::remove(5);
		grant.ended = Some(Ending { at: 4, reason: EndReason::Revoked });
		PastGrants::<Test>::insert(ALICE, 5, grant);
	});
}
