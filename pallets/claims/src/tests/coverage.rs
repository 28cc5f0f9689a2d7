//! Coverage offered by a payer, accepted by its member, ended by either.

use super::mock::*;
use crate::{Coverage, CoverageStatus, Coverages, Error, Event, MemberCoverages};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;

#[test]
fn a_payer_offers_and_the_member_accepts() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Claims::offer_coverage(
			RuntimeOrigin::signed(PAYER_ADMIN),
			PAYER,
			ALICE,
			PLAN,
			1,
			100
		));
		assert_eq!(
			last_event(),
			Event::CoverageOffered { coverage: 0, payer: PAYER, member: ALICE }
		);
		assert_eq!(
			Coverages::<Test>::get(0),
			Some(Coverage {
				payer: PAYER,
				member: ALICE,
				plan: PLAN,
				valid_from: 1,
				valid_until: 100,
				status: CoverageStatus::Offered,
				open_claims: 0
			})
		);
		assert!(MemberCoverages::<Test>::contains_key(ALICE, 0));
		assert_ok!(Claims::accept_coverage(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!(last_event(), Event::CoverageAccepted { coverage: 0 });
		assert_eq!(Coverages::<Test>::get(0).unwrap().status, CoverageStatus::Active);
		assert_noop!(
			Claims::accept_coverage(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::NotOffered
		);
	});
}

#[test]
fn an_offer_is_refused_with_what_is_wrong() {
	ExtBuilder.build_and_execute(|| {
		let offer = |who, member, from, until| {
			Claims::offer_coverage(RuntimeOrigin::signed(who), PAYER, member, PLAN, from, until)
		};
		for who in [ADMIN_A, OFFICER, MALLORY, ALICE] {
			assert_noop!(offer(who, ALICE, 1, 100), Error::<Test>::NotPayerAdmin);
		}
		assert_noop!(offer(PAYER_ADMIN, MALLORY, 1, 100), Error::<Test>::NotAPatient);
		assert_noop!(offer(PAYER_ADMIN, ALICE, 50, 40), Error::<Test>::BadTerm);
		run_to(60);
		assert_noop!(offer(PAYER_ADMIN, ALICE, 1, 59), Error::<Test>::BadTerm);
		assert_ok!(offer(PAYER_ADMIN, ALICE, 1, 60));
	});
}

#[test]
fn only_the_member_accepts() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Claims::accept_coverage(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::CoverageNotFound
		);
		assert_ok!(Claims::offer_coverage(
			RuntimeOrigin::signed(PAYER_ADMIN),
			PAYER,
			ALICE,
			PLAN,
			1,
			100
		));
		for who in [BOB, PAYER_ADMIN, OFFICER] {
			assert_noop!(
				Claims::accept_coverage(RuntimeOrigin::signed(who), 0),
				Error::<Test>::NotMember
			);
		}
	});
}

#[test]
fn the_member_or_the_payer_ends_a_coverage() {
	ExtBuilder.build_and_execute(|| {
		covered();
		for who in [BOB, OFFICER, ADMIN_A, MALLORY] {
			assert_noop!(
				Claims::end_coverage(RuntimeOrigin::signed(who), 0),
				Error::<Test>::NotAuthorized
			);
		}
		assert_ok!(Claims::end_coverage(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!(last_event(), Event::CoverageEnded { coverage: 0, by: ALICE });
		assert_noop!(
			Claims::end_coverage(RuntimeOrigin::signed(PAYER_ADMIN), 0),
			Error::<Test>::AlreadyEnded
		);
		assert_noop!(
			Claims::accept_coverage(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::NotOffered
		);
		// An offer the member never accepted: the payer withdraws it.
		assert_ok!(Claims::offer_coverage(
			RuntimeOrigin::signed(PAYER_ADMIN),
			PAYER,
			ALICE,
			PLAN,
			1,
			100
		));
		assert_ok!(Claims::end_coverage(RuntimeOrigin::signed(PAYER_ADMIN), 1));
		assert_noop!(
			Claims::end_coverage(RuntimeOrigin::signed(ALICE), 2),
			Error::<Test>::CoverageNotFound
		);
	});
}
