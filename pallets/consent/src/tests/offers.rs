//! Offers: a researcher or payer proposes, the patient accepts or rejects, the proposer may
//! withdraw; neither side can force the other.

use super::mock::*;
use crate::{Error, Event, Grants, NextOfferId, Offer, Offers, PatientOffers};
use frame_support::{assert_noop, assert_ok};
use medchain_primitives::{
	AccessTarget::Class,
	ClassTag,
	ConsentAction::{self, Read},
	PractitionerRole,
	PurposeOfUse::{self, EmergencyTreatment, Payment, Research, Treatment},
};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

/// A research permit as offered: no data classes (the proposer cannot know the patient's
/// tags; the patient adds them on acceptance).
fn research() -> crate::ProvisionOf<Test> {
	provision(Effect::Permit, &[Read], &[Research], &[], &[])
}

/// The grant [`research`] becomes when the patient accepts it for Genetic data.
fn research_genetic() -> crate::ProvisionOf<Test> {
	provision(Effect::Permit, &[Read], &[Research], &[GENETIC], &[])
}

/// Class tags as `accept_offer` takes them.
fn tags(classes: &[ClassTag]) -> crate::Classes {
	classes.to_vec().try_into().expect("test classes fit")
}

/// Alice accepts `offer` for Genetic data.
fn accept(offer: u64) -> sp_runtime::DispatchResult {
	Consent::accept_offer(RuntimeOrigin::signed(ALICE), offer, tags(&[GENETIC]))
}

/// `proposer` proposes `provision` for `grantee` to `patient` during `[from, until)`.
fn propose_call(
	proposer: u64,
	patient: u64,
	grantee: crate::GranteeOf<Test>,
	provision: crate::ProvisionOf<Test>,
	from: Option<u64>,
	until: Option<u64>,
) -> sp_runtime::DispatchResultWithInfo<frame_support::dispatch::PostDispatchInfo> {
	Consent::propose_grant(
		RuntimeOrigin::signed(proposer),
		patient,
		grantee,
		provision,
		from,
		until,
	)
}

/// The researcher proposes [`research`] to Alice; returns the offer's id.
fn offered() -> u64 {
	let id = NextOfferId::<Test>::get();
	assert_ok!(propose_call(RESEARCHER, ALICE, account(RESEARCHER), research(), None, None));
	id
}

#[test]
fn propose_grant_stores_the_offer_and_grants_nothing() {
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(2);
		assert_ok!(propose_call(
			RESEARCHER,
			ALICE,
			account(RESEARCHER),
			research(),
			Some(4),
			Some(40)
		));
		assert_last_event(Event::OfferProposed {
			offer: 0,
			patient: ALICE,
			proposer: RESEARCHER,
			grantee: account(RESEARCHER),
			expires_at: 2 + OFFER_LIFETIME,
		});
		assert_eq!(
			Offers::<Test>::get(0),
			Some(Offer {
				id: 0,
				patient: ALICE,
				proposer: RESEARCHER,
				grantee: account(RESEARCHER),
				provision: research(),
				valid_from: 4,
				valid_until: Some(40),
				proposed_at: 2,
				expires_at: 2 + OFFER_LIFETIME,
			})
		);
		assert_eq!(PatientOffers::<Test>::get(ALICE).unwrap().into_inner(), vec![0]);
		assert_eq!(NextOfferId::<Test>::get(), 1);
		assert!(Grants::<Test>::get(ALICE).is_none());
		assert!(!permitted(ALICE, RESEARCHER, Read, Research, Class(GENETIC)));
		let listed = Consent::offers_of(&ALICE);
		assert_eq!(listed.len(), 1);
		assert_eq!(listed[0].provision.records, Vec::<u64>::new());
	});
}

#[test]
fn an_organisation_admin_proposes_role_grants() {
	ExtBuilder.build_and_execute(|| {
		let claims = role(ORG_B, PractitionerRole::ClaimsOfficer);
		let payment = provision(Effect::Permit, &[Read], &[Payment], &[], &[]);
		assert_ok!(propose_call(ADMIN_B, ALICE, claims.clone(), payment.clone(), None, None));
		assert_noop!(
			propose_call(ADMIN_A, ALICE, claims, payment, None, None),
			Error::<Test>::NotAuthorized
		);
	});
}

#[test]
fn propose_grant_error_paths() {
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(3);
		assert_noop!(
			Consent::propose_grant(
				RuntimeOrigin::none(),
				ALICE,
				account(RESEARCHER),
				research(),
				None,
				None
			),
			DispatchError::BadOrigin
		);
		let refused = |proposer, patient, grantee, terms, from, until, error: Error<Test>| {
			assert_noop!(propose_call(proposer, patient, grantee, terms, from, until), error);
		};
		refused(
			RESEARCHER,
			MALLORY,
			account(RESEARCHER),
			research(),
			None,
			None,
			Error::PatientNotFound,
		);
		refused(ALICE, ALICE, account(ALICE), research(), None, None, Error::SelfGrant);
		refused(RESEARCHER, ALICE, account(DOC), research(), None, None, Error::NotAuthorized);
		refused(
			RESEARCHER,
			ALICE,
			role(ORG_A, PractitionerRole::Researcher),
			research(),
			None,
			None,
			Error::NotAuthorized,
		);
		refused(
			RESEARCHER,
			ALICE,
			account(RESEARCHER),
			provision(Effect::Deny, &[Read], &[Research], &[GENETIC], &[]),
			None,
			None,
			Error::OfferMustPermit,
		);
		for clinical in [Treatment, EmergencyTreatment] {
			refused(
				DOC,
				ALICE,
				account(DOC),
				provision(Effect::Permit, &[Read], &[Research, clinical], &[GENERAL], &[]),
				None,
				None,
				Error::PurposeNotOfferable,
			);
		}
		let bad = |actions: &[ConsentAction], purposes: &[PurposeOfUse], classes: &[ClassTag]| {
			provision(Effect::Permit, actions, purposes, classes, &[])
		};
		// Only the patient knows their class tags (security review H3).
		refused(
			RESEARCHER,
			ALICE,
			account(RESEARCHER),
			bad(&[Read], &[Research], &[GENETIC]),
			None,
			None,
			Error::OfferNamesClasses,
		);
		refused(
			RESEARCHER,
			ALICE,
			account(RESEARCHER),
			bad(&[], &[Research], &[]),
			None,
			None,
			Error::NoActions,
		);
		refused(
			RESEARCHER,
			ALICE,
			account(RESEARCHER),
			bad(&[Read], &[], &[]),
			None,
			None,
			Error::NoPurposes,
		);
		refused(
			RESEARCHER,
			ALICE,
			account(RESEARCHER),
			bad(&[Read], &[Research, Research], &[]),
			None,
			None,
			Error::DuplicateEntry,
		);
		refused(
			RESEARCHER,
			ALICE,
			account(RESEARCHER),
			research(),
			Some(2),
			None,
			Error::StartInPast,
		);
		refused(
			RESEARCHER,
			ALICE,
			account(RESEARCHER),
			research(),
			None,
			Some(3),
			Error::InvalidPeriod,
		);
		NextOfferId::<Test>::put(u64::MAX);
		refused(RESEARCHER, ALICE, account(RESEARCHER), research(), None, None, Error::Overflow);
	});
}

#[test]
fn offers_are_bounded_and_expired_ones_make_room() {
	ExtBuilder.build_and_execute(|| {
		let first = offered();
		System::set_block_number(3);
		for _ in 1..MAX_OFFERS {
			offered();
		}
		assert_noop!(
			propose_call(RESEARCHER, ALICE, account(RESEARCHER), research(), None, None),
			Error::<Test>::TooManyOffers
		);
		// The first offer can no longer be accepted from block 1 + OFFER_LIFETIME.
		System::set_block_number(1 + OFFER_LIFETIME);
		let next = offered();
		assert!(events().contains(&Event::OfferExpired { offer: first, patient: ALICE }));
		assert!(Offers::<Test>::get(first).is_none());
		assert_eq!(PatientOffers::<Test>::get(ALICE).unwrap().len() as u32, MAX_OFFERS);
		assert!(PatientOffers::<Test>::get(ALICE).unwrap().contains(&next));
	});
}

#[test]
fn accept_offer_makes_the_grant_as_proposed() {
	ExtBuilder.build_and_execute(|| {
		let offer = offered();
		System::set_block_number(3);
		assert_ok!(accept(offer));
		assert_eq!(
			events()[events().len() - 2..].to_vec(),
			vec![
				Event::ConsentGranted {
					grant: 0,
					patient: ALICE,
					grantee: account(RESEARCHER),
					effect: Effect::Permit
				},
				Event::OfferAccepted { offer, grant: 0 },
			]
		);
		assert!(Offers::<Test>::get(offer).is_none());
		assert!(PatientOffers::<Test>::get(ALICE).is_none());
		let grant = &Grants::<Test>::get(ALICE).unwrap()[0];
		// Its start (block 1) had passed: the grant starts at acceptance.
		assert_eq!((grant.valid_from, grant.granted_at), (3, 3));
		assert_eq!(grant.provision, research_genetic());
		assert!(permitted(ALICE, RESEARCHER, Read, Research, Class(GENETIC)));
		assert!(!permitted(ALICE, RESEARCHER, Read, Research, Class(GENERAL)));
	});
}

#[test]
fn accept_offer_keeps_a_future_start() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(propose_call(RESEARCHER, ALICE, account(RESEARCHER), research(), Some(9), None));
		assert_ok!(accept(0));
		assert_eq!(Grants::<Test>::get(ALICE).unwrap()[0].valid_from, 9);
		assert!(!permitted(ALICE, RESEARCHER, Read, Research, Class(GENETIC)));
	});
}

#[test]
fn accept_offer_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let offer = offered();
		let genetic = || tags(&[GENETIC]);
		assert_noop!(
			Consent::accept_offer(RuntimeOrigin::none(), offer, genetic()),
			DispatchError::BadOrigin
		);
		assert_noop!(accept(7), Error::<Test>::OfferNotFound);
		// The proposer cannot force it.
		assert_noop!(
			Consent::accept_offer(RuntimeOrigin::signed(RESEARCHER), offer, genetic()),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			Consent::accept_offer(RuntimeOrigin::signed(BOB), offer, genetic()),
			Error::<Test>::NotAuthorized
		);
		// The offer names no records: the patient must add some data.
		assert_noop!(
			Consent::accept_offer(RuntimeOrigin::signed(ALICE), offer, tags(&[])),
			Error::<Test>::EmptyScope
		);
		assert_noop!(
			Consent::accept_offer(RuntimeOrigin::signed(ALICE), offer, tags(&[GENETIC, GENETIC])),
			Error::<Test>::DuplicateEntry
		);
		// A grant whose period would be over.
		assert_ok!(propose_call(RESEARCHER, ALICE, account(RESEARCHER), research(), None, Some(3)));
		System::set_block_number(3);
		assert_noop!(accept(1), Error::<Test>::InvalidPeriod);
		System::set_block_number(1 + OFFER_LIFETIME);
		assert_noop!(accept(offer), Error::<Test>::OfferExpired);
	});
}

#[test]
fn accept_offer_is_refused_when_grants_are_full_or_ids_exhausted() {
	ExtBuilder.build_and_execute(|| {
		let offer = offered();
		crate::NextGrantId::<Test>::put(u64::MAX);
		assert_noop!(accept(offer), Error::<Test>::Overflow);
		crate::NextGrantId::<Test>::put(0);
		for n in 0..u64::from(MAX_GRANTS) {
			grant(ALICE, account(100 + n), treat_general(Effect::Permit));
		}
		assert_noop!(accept(offer), Error::<Test>::TooManyGrants);
	});
}

#[test]
fn reject_offer_removes_it_and_grants_nothing() {
	ExtBuilder.build_and_execute(|| {
		let offer = offered();
		let other = offered();
		assert_noop!(Consent::reject_offer(RuntimeOrigin::none(), offer), DispatchError::BadOrigin);
		assert_noop!(
			Consent::reject_offer(RuntimeOrigin::signed(ALICE), 9),
			Error::<Test>::OfferNotFound
		);
		assert_noop!(
			Consent::reject_offer(RuntimeOrigin::signed(RESEARCHER), offer),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(Consent::reject_offer(RuntimeOrigin::signed(ALICE), offer));
		assert_last_event(Event::OfferRejected { offer, patient: ALICE });
		assert!(Offers::<Test>::get(offer).is_none());
		assert_eq!(PatientOffers::<Test>::get(ALICE).unwrap().into_inner(), vec![other]);
		assert!(Grants::<Test>::get(ALICE).is_none());
		// An expired offer can still be rejected.
		System::set_block_number(1 + OFFER_LIFETIME);
		assert_ok!(Consent::reject_offer(RuntimeOrigin::signed(ALICE), other));
		assert!(PatientOffers::<Test>::get(ALICE).is_none());
	});
}

#[test]
fn withdraw_offer_removes_it() {
	ExtBuilder.build_and_execute(|| {
		let offer = offered();
		assert_noop!(
			Consent::withdraw_offer(RuntimeOrigin::none(), offer),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Consent::withdraw_offer(RuntimeOrigin::signed(RESEARCHER), 9),
			Error::<Test>::OfferNotFound
		);
		// The patient rejects; only the proposer withdraws.
		assert_noop!(
			Consent::withdraw_offer(RuntimeOrigin::signed(ALICE), offer),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(Consent::withdraw_offer(RuntimeOrigin::signed(RESEARCHER), offer));
		assert_last_event(Event::OfferWithdrawn { offer, proposer: RESEARCHER });
		assert!(Offers::<Test>::get(offer).is_none());
		assert!(PatientOffers::<Test>::get(ALICE).is_none());
		assert!(Consent::offers_of(&ALICE).is_empty());
	});
}

#[test]
fn h3_an_offer_of_named_records_is_accepted_without_classes() {
	ExtBuilder.build_and_execute(|| {
		add_record(3, ALICE, GENETIC);
		let records = provision(Effect::Permit, &[Read], &[Research], &[], &[3]);
		assert_ok!(propose_call(
			RESEARCHER,
			ALICE,
			account(RESEARCHER),
			records.clone(),
			None,
			None
		));
		assert_ok!(Consent::accept_offer(RuntimeOrigin::signed(ALICE), 0, tags(&[])));
		assert_eq!(Grants::<Test>::get(ALICE).unwrap()[0].provision, records);
		assert!(permitted(
			ALICE,
			RESEARCHER,
			Read,
			Research,
			medchain_primitives::AccessTarget::Record { record: 3, class: GENETIC }
		));
		assert!(!permitted(ALICE, RESEARCHER, Read, Research, Class(GENETIC)));
	});
}

/// M3: any account could offer itself a grant to any patient, and expired offers stayed until
/// the next offer to the same patient.
#[test]
fn m3_only_vetted_proposers_offer() {
	ExtBuilder.build_and_execute(|| {
		// Mallory, no practitioner, offers to himself: refused.
		assert_noop!(
			propose_call(MALLORY, ALICE, account(MALLORY), research(), None, None),
			Error::<Test>::ProposerNotVetted
		);
		// A suspended researcher neither.
		set_inactive(RESEARCHER);
		assert_noop!(
			propose_call(RESEARCHER, ALICE, account(RESEARCHER), research(), None, None),
			Error::<Test>::ProposerNotVetted
		);
		// Reinstated, the same offer is accepted for the chain.
		set_practitioner(RESEARCHER, ORG_B, PractitionerRole::Researcher);
		assert_ok!(propose_call(RESEARCHER, ALICE, account(RESEARCHER), research(), None, None));
		assert_eq!(crate::ProposerOffers::<Test>::get(RESEARCHER), Some(1));
	});
}

#[test]
fn m3_a_proposer_has_at_most_max_offers_stored() {
	ExtBuilder.build_and_execute(|| {
		let patients: Vec<u64> = (30..30 + u64::from(MAX_OFFERS_PER_PROPOSER) + 1).collect();
		for patient in &patients {
			register_patient(*patient);
		}
		let (last, first) = (patients[patients.len() - 1], &patients[..patients.len() - 1]);
		for patient in first {
			assert_ok!(propose_call(
				RESEARCHER,
				*patient,
				account(RESEARCHER),
				research(),
				None,
				None
			));
		}
		assert_noop!(
			propose_call(RESEARCHER, last, account(RESEARCHER), research(), None, None),
			Error::<Test>::TooManyOffersByProposer
		);
		// Another proposer is not held back.
		assert_ok!(propose_call(DOC, last, account(DOC), research(), None, None));
		// An answered offer frees a place.
		assert_ok!(Consent::reject_offer(RuntimeOrigin::signed(first[0]), 0));
		assert_ok!(propose_call(RESEARCHER, last, account(RESEARCHER), research(), None, None));
		assert_eq!(crate::ProposerOffers::<Test>::get(RESEARCHER), Some(MAX_OFFERS_PER_PROPOSER));
	});
}

#[test]
fn m3_anyone_removes_an_expired_offer_and_only_an_expired_one() {
	ExtBuilder.build_and_execute(|| {
		let offer = offered();
		assert_noop!(
			Consent::remove_expired_offer(RuntimeOrigin::signed(MALLORY), offer),
			Error::<Test>::OfferNotExpired
		);
		assert_noop!(
			Consent::remove_expired_offer(RuntimeOrigin::signed(MALLORY), 9),
			Error::<Test>::OfferNotFound
		);
		assert_noop!(
			Consent::remove_expired_offer(RuntimeOrigin::none(), offer),
			DispatchError::BadOrigin
		);
		System::set_block_number(1 + OFFER_LIFETIME);
		assert_ok!(Consent::remove_expired_offer(RuntimeOrigin::signed(MALLORY), offer));
		assert_eq!(events().last(), Some(&Event::OfferExpired { offer, patient: ALICE }));
		assert!(Offers::<Test>::get(offer).is_none());
		assert!(PatientOffers::<Test>::get(ALICE).is_none());
		assert_eq!(crate::ProposerOffers::<Test>::get(RESEARCHER), None);
	});
}

#[test]
fn m3_expired_offers_removed_on_a_new_offer_leave_their_proposers_count() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(propose_call(DOC, ALICE, account(DOC), research(), None, None));
		offered();
		System::set_block_number(1 + OFFER_LIFETIME);
		// The researcher's new offer to Alice removes both expired ones: the researcher's
		// count ends at one (the new offer), the physician's at none.
		offered();
		assert_eq!(crate::ProposerOffers::<Test>::get(RESEARCHER), Some(1));
		assert_eq!(crate::ProposerOffers::<Test>::get(DOC), None);
	});
}

#[test]
fn accept_offer_is_refused_for_records_not_the_patients_or_a_full_grantee() {
	ExtBuilder.build_and_execute(|| {
		// The offer names a record that is Bob's (or is gone by the time Alice answers).
		add_record(3, BOB, GENETIC);
		add_record(4, ALICE, GENETIC);
		let naming = |record| provision(Effect::Permit, &[Read], &[Research], &[], &[record]);
		assert_ok!(propose_call(RESEARCHER, ALICE, account(RESEARCHER), naming(3), None, None));
		assert_noop!(accept(0), Error::<Test>::RecordNotFound);
		assert_ok!(propose_call(RESEARCHER, ALICE, account(RESEARCHER), naming(4), None, None));
		erase_record(4);
		assert_noop!(accept(1), Error::<Test>::RecordNotFound);

		// The researcher already holds as many of Alice's Genetic grants as allowed.
		for _ in 0..MAX_GRANTS_PER_GRANTEE {
			grant(
				ALICE,
				account(RESEARCHER),
				provision(Effect::Permit, &[Read], &[Research], &[GENETIC], &[]),
			);
		}
		let offer = offered();
		assert_noop!(accept(offer), Error::<Test>::TooManyGrantsForGrantee);
	});
}
