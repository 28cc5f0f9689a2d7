//! Grants: making them, revoking them, their expiry and history.

use super::mock::*;
use crate::{
	EndReason, Ending, Error, Event, Grant, GrantClasses, GrantIndex, GrantOwner, Grants,
	IndexedGrant, InlineList, NextGrantId, Provision,
};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use medchain_primitives::{
	ConsentAction::{Read, Share, Write},
	OnGrantRevoked, PractitionerRole,
	PurposeOfUse::{Research, Treatment},
};
use polkadot_sdk::*;
use sp_runtime::{DispatchError, Weight};

/// `grant_consent` by `patient` with every field given.
fn grant_call(
	patient: u64,
	grantee: crate::GranteeOf<Test>,
	provision: crate::ProvisionOf<Test>,
	from: Option<u64>,
	until: Option<u64>,
) -> sp_runtime::DispatchResult {
	Consent::grant_consent(RuntimeOrigin::signed(patient), grantee, provision, from, until)
}

#[test]
fn grant_consent_stores_the_grant_and_indexes_it() {
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(4);
		add_record(5, ALICE, GENERAL);
		add_record(6, ALICE, MENTAL_HEALTH);
		let terms = provision(Effect::Permit, &[Read], &[Treatment], &[GENERAL], &[5, 6]);
		assert_ok!(grant_call(ALICE, account(DOC), terms.clone(), Some(6), Some(9)));
		assert_last_event(Event::ConsentGranted {
			grant: 0,
			patient: ALICE,
			grantee: account(DOC),
			effect: Effect::Permit,
		});
		assert_eq!(
			Grants::<Test>::get(ALICE).unwrap().into_inner(),
			vec![Grant {
				id: 0,
				grantee: account(DOC),
				provision: terms,
				valid_from: 6,
				valid_until: Some(9),
				granted_at: 4,
				ended: None,
			}]
		);
		assert_eq!(GrantOwner::<Test>::get(0), Some(ALICE));
		assert_eq!(NextGrantId::<Test>::get(), 1);
	});
}

#[test]
fn grant_consent_defaults_to_now_and_no_end_and_takes_role_and_deny_grants() {
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(3);
		assert_ok!(grant_call(
			ALICE,
			role(ORG_A, PractitionerRole::Nurse),
			treat_general(Effect::Deny),
			None,
			None
		));
		assert_last_event(Event::ConsentGranted {
			grant: 0,
			patient: ALICE,
			grantee: role(ORG_A, PractitionerRole::Nurse),
			effect: Effect::Deny,
		});
		let stored = &Grants::<Test>::get(ALICE).unwrap()[0];
		assert_eq!((stored.valid_from, stored.valid_until, stored.granted_at), (3, None, 3));
		// Ids are global and sequential.
		assert_eq!(grant(BOB, account(DOC), treat_general(Effect::Permit)), 1);
		assert_eq!(GrantOwner::<Test>::get(1), Some(BOB));
	});
}

#[test]
fn grant_consent_needs_a_signed_registered_patient() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Consent::grant_consent(
				RuntimeOrigin::none(),
				account(DOC),
				treat_general(Effect::Permit),
				None,
				None
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			grant_call(MALLORY, account(DOC), treat_general(Effect::Permit), None, None),
			Error::<Test>::PatientNotFound
		);
		unregister_patient(ALICE);
		assert_noop!(
			grant_call(ALICE, account(DOC), treat_general(Effect::Permit), None, None),
			Error::<Test>::PatientNotFound
		);
	});
}

#[test]
fn grant_consent_refuses_a_grant_to_oneself() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			grant_call(ALICE, account(ALICE), treat_general(Effect::Permit), None, None),
			Error::<Test>::SelfGrant
		);
	});
}

#[test]
fn grant_consent_refuses_malformed_provisions() {
	ExtBuilder.build_and_execute(|| {
		let refused = |terms, error: Error<Test>| {
			assert_noop!(grant_call(ALICE, account(DOC), terms, None, None), error);
		};
		refused(provision(Effect::Permit, &[], &[Treatment], &[GENERAL], &[]), Error::NoActions);
		refused(provision(Effect::Permit, &[Read], &[], &[GENERAL], &[]), Error::NoPurposes);
		refused(provision(Effect::Permit, &[Read], &[Treatment], &[], &[]), Error::EmptyScope);
		refused(
			provision(Effect::Permit, &[Read, Read], &[Treatment], &[GENERAL], &[]),
			Error::DuplicateEntry,
		);
		refused(
			provision(Effect::Permit, &[Read], &[Research, Research], &[GENERAL], &[]),
			Error::DuplicateEntry,
		);
		refused(
			provision(Effect::Permit, &[Read], &[Treatment], &[GENETIC, GENETIC], &[]),
			Error::DuplicateEntry,
		);
		refused(
			provision(Effect::Permit, &[Read], &[Treatment], &[], &[4, 5, 4]),
			Error::DuplicateEntry,
		);
	});
}

#[test]
fn grant_consent_refuses_malformed_periods() {
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(5);
		let terms = || treat_general(Effect::Permit);
		assert_noop!(
			grant_call(ALICE, account(DOC), terms(), Some(4), None),
			Error::<Test>::StartInPast
		);
		assert_noop!(
			grant_call(ALICE, account(DOC), terms(), Some(7), Some(7)),
			Error::<Test>::InvalidPeriod
		);
		assert_noop!(
			grant_call(ALICE, account(DOC), terms(), None, Some(5)),
			Error::<Test>::InvalidPeriod
		);
		assert_noop!(
			grant_call(ALICE, account(DOC), terms(), Some(9), Some(8)),
			Error::<Test>::InvalidPeriod
		);
		assert_ok!(grant_call(ALICE, account(DOC), terms(), Some(5), Some(6)));
	});
}

#[test]
fn grant_consent_is_bounded_by_max_grants_in_force() {
	ExtBuilder.build_and_execute(|| {
		let mut ids = Vec::new();
		for n in 0..u64::from(MAX_GRANTS) {
			ids.push(grant(ALICE, account(100 + n), treat_general(Effect::Permit)));
		}
		assert_noop!(
			grant_call(ALICE, account(NURSE), treat_general(Effect::Permit), None, None),
			Error::<Test>::TooManyGrants
		);
		// Once one has ended it is archived to make room.
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), ids[3]));
		assert_ok!(grant_call(ALICE, account(NURSE), treat_general(Effect::Permit), None, None));
		assert!(crate::PastGrants::<Test>::contains_key(ALICE, ids[3]));
		// Another patient's bound is their own.
		grant(BOB, account(DOC), treat_general(Effect::Permit));
	});
}

#[test]
fn grant_consent_refuses_when_grant_ids_are_exhausted() {
	ExtBuilder.build_and_execute(|| {
		NextGrantId::<Test>::put(u64::MAX);
		assert_noop!(
			grant_call(ALICE, account(DOC), treat_general(Effect::Permit), None, None),
			Error::<Test>::Overflow
		);
	});
}

#[test]
fn revoke_consent_ends_the_grant_now_and_keeps_it_as_history() {
	ExtBuilder.build_and_execute(|| {
		let id = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		let other = grant(ALICE, account(NURSE), treat_general(Effect::Permit));
		System::set_block_number(7);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id));
		assert_last_event(Event::ConsentRevoked { grant: id, patient: ALICE });
		let grants = Grants::<Test>::get(ALICE).unwrap();
		assert_eq!(grants[0].ended, Some(Ending { at: 7, reason: EndReason::Revoked }));
		assert_eq!(grants[1].ended, None);
		assert_eq!(GrantOwner::<Test>::get(id), Some(ALICE));
		assert!(!permitted(
			ALICE,
			DOC,
			Read,
			Treatment,
			medchain_primitives::AccessTarget::Class(GENERAL)
		));
		assert!(permitted(
			ALICE,
			NURSE,
			Read,
			Treatment,
			medchain_primitives::AccessTarget::Class(GENERAL)
		));
		assert_eq!(other, 1);
	});
}

#[test]
fn h2_revoking_tells_the_records_pallet_and_charges_what_it_used() {
	ExtBuilder.build_and_execute(|| {
		let id = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		let info = Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id).unwrap();
		// The keys the grant delivered go in the same call.
		assert_eq!(revoked_grants(), vec![id]);
		// Charged for the most the records pallet could use, refunded to what it did use.
		let charged = <() as crate::WeightInfo>::revoke_consent()
			.saturating_add(<MockRecords as OnGrantRevoked>::max_weight());
		let used = <() as crate::WeightInfo>::revoke_consent()
			.saturating_add(Weight::from_parts(1_000, 0));
		assert_eq!(info.actual_weight, Some(used));
		let call = crate::Call::<Test>::revoke_consent { grant: id };
		assert_eq!(
			frame_support::dispatch::GetDispatchInfo::get_dispatch_info(&call).call_weight,
			charged
		);
		// A refused revocation tells nobody.
		assert!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id).is_err());
		assert_eq!(revoked_grants(), vec![id]);
	});
}

#[test]
fn revoke_consent_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let id = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		assert_noop!(Consent::revoke_consent(RuntimeOrigin::none(), id), DispatchError::BadOrigin);
		assert_noop!(
			Consent::revoke_consent(RuntimeOrigin::signed(ALICE), 9),
			Error::<Test>::GrantNotFound
		);
		// Not even the grantee can revoke it.
		assert_noop!(
			Consent::revoke_consent(RuntimeOrigin::signed(DOC), id),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			Consent::revoke_consent(RuntimeOrigin::signed(BOB), id),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id));
		assert_noop!(
			Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::GrantEnded
		);
	});
}

#[test]
fn revoking_an_expired_grant_is_refused() {
	ExtBuilder.build_and_execute(|| {
		let id = grant_period(ALICE, account(DOC), treat_general(Effect::Permit), None, Some(4));
		System::set_block_number(4);
		assert_noop!(
			Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id),
			Error::<Test>::GrantEnded
		);
		// Nothing was recorded by the failed call.
		assert_eq!(Grants::<Test>::get(ALICE).unwrap()[0].ended, None);
	});
}

#[test]
fn expired_grants_are_recorded_when_the_patient_next_changes_their_grants() {
	ExtBuilder.build_and_execute(|| {
		let short = grant_period(ALICE, account(DOC), treat_general(Effect::Permit), None, Some(3));
		let long =
			grant_period(ALICE, account(NURSE), treat_general(Effect::Permit), None, Some(30));
		let open = grant(ALICE, account(DOC_B), treat_general(Effect::Permit));
		System::set_block_number(10);
		let next = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		assert_eq!(
			events()[events().len() - 2..].to_vec(),
			vec![
				Event::ConsentExpired { grant: short, patient: ALICE, at: 3 },
				Event::ConsentGranted {
					grant: next,
					patient: ALICE,
					grantee: account(DOC),
					effect: Effect::Permit
				},
			]
		);
		let grants = Grants::<Test>::get(ALICE).unwrap();
		assert_eq!(grants[0].ended, Some(Ending { at: 3, reason: EndReason::Expired }));
		assert_eq!(grants[1].ended, None);
		assert_eq!(grants[2].ended, None);
		// Revocation records expiries too.
		System::set_block_number(30);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), open));
		assert!(events().contains(&Event::ConsentExpired { grant: long, patient: ALICE, at: 30 }));
		let grants = Grants::<Test>::get(ALICE).unwrap();
		assert_eq!(grants[1].ended, Some(Ending { at: 30, reason: EndReason::Expired }));
		assert_eq!(grants[2].ended, Some(Ending { at: 30, reason: EndReason::Revoked }));
	});
}

#[test]
fn grants_of_lists_every_grant_with_its_history() {
	ExtBuilder.build_and_execute(|| {
		assert!(Consent::grants_of(&ALICE).is_empty());
		add_record(3, ALICE, GENERAL);
		let terms = provision(Effect::Deny, &[Share, Write], &[Treatment], &[], &[3]);
		let id = grant(ALICE, account(DOC), terms.clone());
		System::set_block_number(2);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id));
		assert_eq!(
			Consent::grants_of(&ALICE),
			vec![Grant {
				id,
				grantee: account(DOC),
				provision: Provision {
					effect: Effect::Deny,
					actions: terms.actions,
					purposes: terms.purposes,
					classes: terms.classes,
					records: vec![3],
				},
				valid_from: 1,
				valid_until: None,
				granted_at: 1,
				ended: Some(Ending { at: 2, reason: EndReason::Revoked }),
			}]
		);
		assert!(Consent::grants_of(&BOB).is_empty());
	});
}

#[test]
fn l2_the_directory_counts_grants_in_force_or_still_to_begin() {
	use medchain_primitives::PatientGrantsInspect;
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(4);
		assert_eq!(Consent::grants_in_force(&ALICE), 0);
		let revoked = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		let _open = grant(ALICE, account(NURSE), treat_general(Effect::Permit));
		let _later =
			grant_period(ALICE, account(DOC), treat_general(Effect::Permit), Some(8), None);
		let _expiring =
			grant_period(ALICE, account(NURSE), treat_general(Effect::Permit), None, Some(6));
		let _bobs = grant(BOB, account(DOC), treat_general(Effect::Permit));
		// In force, still to begin and expiring later all count; another patient's apart.
		assert_eq!(Consent::grants_in_force(&ALICE), 4);
		assert_eq!(Consent::grants_in_force(&BOB), 1);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), revoked));
		assert_eq!(Consent::grants_in_force(&ALICE), 3);
		// At its `valid_until` a grant no longer counts, settled or not.
		System::set_block_number(6);
		assert_eq!(Consent::grants_in_force(&ALICE), 2);
	});
}

#[test]
fn a_grant_names_only_the_patients_own_records() {
	ExtBuilder.build_and_execute(|| {
		add_record(5, ALICE, GENERAL);
		add_record(6, BOB, GENERAL);
		add_record(7, ALICE, MENTAL_HEALTH);
		erase_record(7);
		let naming =
			|records: &[u64]| provision(Effect::Permit, &[Read], &[Treatment], &[GENERAL], records);
		// Unknown, another patient's, erased: each refused, nothing stored.
		for records in [&[5, 8][..], &[6], &[7]] {
			assert_noop!(
				grant_call(ALICE, account(DOC), naming(records), None, None),
				Error::<Test>::RecordNotFound
			);
		}
		assert_ok!(grant_call(ALICE, account(DOC), naming(&[5]), None, None));
	});
}

#[test]
fn the_decision_index_holds_each_grant_under_each_class_it_concerns() {
	ExtBuilder.build_and_execute(|| {
		add_record(5, ALICE, GENERAL);
		add_record(6, ALICE, MENTAL_HEALTH);
		add_record(8, ALICE, MENTAL_HEALTH);
		System::set_block_number(4);
		let terms = provision(Effect::Permit, &[Read], &[Treatment], &[GENERAL], &[5, 6, 8]);
		let id = grant(ALICE, account(DOC), terms.clone());
		let general = GrantIndex::<Test>::get((ALICE, account(DOC), GENERAL)).unwrap();
		assert_eq!(
			general.into_inner(),
			vec![IndexedGrant {
				id,
				effect: Effect::Permit,
				actions: InlineList::truncate_from(&terms.actions),
				purposes: InlineList::truncate_from(&terms.purposes),
				valid_from: 4,
				valid_until: None,
				ended_at: None,
				whole_class: true,
				records: InlineList::truncate_from(&[5]),
			}]
		);
		let mental = GrantIndex::<Test>::get((ALICE, account(DOC), MENTAL_HEALTH)).unwrap();
		assert_eq!(mental.len(), 1);
		assert!(!mental[0].whole_class);
		assert_eq!(mental[0].records.to_vec(), vec![6, 8]);
		assert_eq!(GrantClasses::<Test>::get(id).unwrap().to_vec(), vec![GENERAL, MENTAL_HEALTH]);
		// Nothing under another grantee or class.
		assert!(GrantIndex::<Test>::get((ALICE, account(NURSE), GENERAL)).is_none());
		assert!(GrantIndex::<Test>::get((ALICE, account(DOC), GENETIC)).is_none());

		// A revocation is recorded in every list the grant is in.
		System::set_block_number(6);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id));
		for class in [GENERAL, MENTAL_HEALTH] {
			let list = GrantIndex::<Test>::get((ALICE, account(DOC), class)).unwrap();
			assert_eq!(list[0].ended_at, Some(6));
		}
		assert!(!permitted(
			ALICE,
			DOC,
			Read,
			Treatment,
			medchain_primitives::AccessTarget::Class(GENERAL)
		));
	});
}

#[test]
fn a_grantee_holds_a_bounded_number_of_grants_per_class() {
	ExtBuilder.build_and_execute(|| {
		let mut ids = Vec::new();
		for _ in 0..MAX_GRANTS_PER_GRANTEE {
			ids.push(grant(ALICE, account(DOC), treat_general(Effect::Permit)));
		}
		assert_noop!(
			grant_call(ALICE, account(DOC), treat_general(Effect::Deny), None, None),
			Error::<Test>::TooManyGrantsForGrantee
		);
		// Other classes and other grantees have their own bound.
		let mental = provision(Effect::Permit, &[Read], &[Treatment], &[MENTAL_HEALTH], &[]);
		assert_ok!(grant_call(ALICE, account(DOC), mental, None, None));
		assert_ok!(grant_call(ALICE, account(NURSE), treat_general(Effect::Permit), None, None));
		// A revoked grant makes room once its list needs it; so does an expired one.
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), ids[1]));
		System::set_block_number(2);
		let deny = grant(ALICE, account(DOC), treat_general(Effect::Deny));
		let list = GrantIndex::<Test>::get((ALICE, account(DOC), GENERAL)).unwrap();
		assert_eq!(
			list.iter().map(|e| e.id).collect::<Vec<_>>(),
			vec![ids[0], ids[2], ids[3], deny]
		);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), deny));
		let short = grant_period(ALICE, account(DOC), treat_general(Effect::Permit), None, Some(5));
		System::set_block_number(5);
		assert_ok!(grant_call(ALICE, account(DOC), treat_general(Effect::Permit), None, None));
		let list = GrantIndex::<Test>::get((ALICE, account(DOC), GENERAL)).unwrap();
		assert!(!list.iter().any(|e| e.id == short || e.id == deny));
	});
}

#[test]
fn an_archived_grant_leaves_the_index_classes() {
	ExtBuilder.build_and_execute(|| {
		let first = grant(ALICE, account(100), treat_general(Effect::Permit));
		for n in 1..u64::from(MAX_GRANTS) {
			grant(ALICE, account(100 + n), treat_general(Effect::Permit));
		}
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), first));
		grant(ALICE, account(DOC), treat_general(Effect::Permit));
		assert!(crate::PastGrants::<Test>::contains_key(ALICE, first));
		assert!(GrantClasses::<Test>::get(first).is_none());
		// Its entry stays, revoked, until its list needs the room: it says nothing now.
		assert!(!permitted(
			ALICE,
			100,
			Read,
			Treatment,
			medchain_primitives::AccessTarget::Class(GENERAL)
		));
	});
}

/// The decision index's entries keep their lists inline, in the bytes a bounded vector has:
/// entries written before decode as they were, and a list longer than its bound is refused.
#[test]
fn an_indexed_grant_encodes_as_with_bounded_lists_and_refuses_a_list_over_its_bound() {
	use codec::{Decode, Encode, MaxEncodedLen};
	use frame_support::traits::ConstU32;
	let entry = IndexedGrant::<u64> {
		id: 7,
		effect: crate::Effect::Deny,
		actions: InlineList::truncate_from(&[Read, Share]),
		purposes: InlineList::truncate_from(&[Treatment, Research]),
		valid_from: 4,
		valid_until: Some(9),
		ended_at: None,
		whole_class: false,
		records: InlineList::truncate_from(&[5, 6, 1 << 40]),
	};
	// The layout the index had with bounded vectors.
	let bounded = (
		7u64,
		crate::Effect::Deny,
		BoundedVec::<_, ConstU32<3>>::truncate_from(vec![Read, Share]),
		BoundedVec::<_, ConstU32<8>>::truncate_from(vec![Treatment, Research]),
		4u64,
		Some(9u64),
		None::<u64>,
		false,
		BoundedVec::<u64, ConstU32<16>>::truncate_from(vec![5, 6, 1 << 40]),
	);
	assert_eq!(entry.encode(), bounded.encode());
	assert_eq!(IndexedGrant::<u64>::decode(&mut &bounded.encode()[..]), Ok(entry));
	assert_eq!(
		InlineList::<u64, 16>::max_encoded_len(),
		BoundedVec::<u64, ConstU32<16>>::max_encoded_len()
	);

	let over = (0..17u64).collect::<Vec<_>>().encode();
	assert!(InlineList::<u64, 16>::decode(&mut &over[..]).is_err());
	let full = (0..16u64).collect::<Vec<_>>().encode();
	assert_eq!(InlineList::<u64, 16>::decode(&mut &full[..]).map(|l| l.len()), Ok(16));
	// More records than fit are cut at the bound, never a panic.
	assert_eq!(InlineList::<u64, 2>::truncate_from(&[1, 2, 3])[..], [1, 2]);
}
