//! Accepting a decision: once the provider and the member both waived their dispute, the
//! decision is final at once; a side that accepted cannot dispute it.

use super::mock::*;
use crate::{ClaimStatus, Claims as Stored, Decision, DenialReason, Disputant, Error, Event};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;

fn accept(who: u64) -> frame_support::dispatch::DispatchResultWithPostInfo {
	Claims::accept_decision(RuntimeOrigin::signed(who), 0)
}

#[test]
fn a_decision_both_sides_accept_is_final_at_once() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		decided(0, Decision::Approved);
		// The provider accepts: still open, the member may still dispute.
		assert_ok!(accept(BILLING));
		assert_eq!(last_event(), Event::DecisionAccepted { claim: 0, by: Disputant::Provider });
		assert!(matches!(
			Stored::<Test>::get(0).unwrap().status,
			ClaimStatus::Decided { accepted: Some(Disputant::Provider), .. }
		));
		assert!(access(0).is_some(), "the payer still reads the records");
		// The member accepts too, well inside the window: final, the access ends, and the
		// actual weight includes what closing the access removed.
		let info = accept(ALICE).unwrap();
		assert_eq!(last_event(), Event::ClaimClosed { claim: 0, decision: Decision::Approved });
		assert_eq!(
			Stored::<Test>::get(0).unwrap().status,
			ClaimStatus::Closed { decision: Decision::Approved, response: RESPONSE }
		);
		assert_eq!(access(0), None);
		assert_eq!(
			info.actual_weight,
			Some(<() as crate::WeightInfo>::accept_decision().saturating_add(CLOSING))
		);
		// It may be paid now.
		assert_ok!(Claims::settle_claims(
			RuntimeOrigin::signed(OFFICER),
			ORG_A,
			vec![0].try_into().unwrap(),
			30,
			[0x5e; 32]
		));
	});
}

#[test]
fn a_side_that_accepted_cannot_dispute_but_the_other_can() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		decided(0, Decision::Denied(DenialReason::NotCovered));
		assert_ok!(accept(ALICE));
		assert_noop!(
			Claims::dispute_claim(RuntimeOrigin::signed(ALICE), 0, GROUNDS),
			Error::<Test>::AlreadyAccepted
		);
		assert_noop!(accept(ALICE), Error::<Test>::AlreadyAccepted);
		// The provider disputes instead: the payer decides again, finally.
		assert_ok!(Claims::dispute_claim(RuntimeOrigin::signed(DOC), 0, GROUNDS));
		assert_noop!(accept(DOC), Error::<Test>::NotDecided);
	});
}

#[test]
fn accept_decision_error_paths() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		assert_noop!(
			Claims::accept_decision(RuntimeOrigin::signed(ALICE), 9),
			Error::<Test>::ClaimNotFound
		);
		// Not decided yet.
		assert_noop!(accept(ALICE), Error::<Test>::NotDecided);
		decided(0, Decision::Partial);
		// Neither the member nor the provider's staff: the payer's officer, another patient,
		// another organisation's physician.
		for outsider in [OFFICER, BOB, DOC_B] {
			assert_noop!(accept(outsider), Error::<Test>::NotDisputant);
		}
		// A coverage gone from storage (a corrupted state) is refused, not assumed.
		crate::Coverages::<Test>::remove(0);
		assert_noop!(accept(ALICE), Error::<Test>::CoverageNotFound);
		crate::Coverages::<Test>::insert(
			0,
			crate::Coverage {
				payer: PAYER,
				member: ALICE,
				plan: PLAN,
				valid_from: 1,
				valid_until: 100,
				status: crate::CoverageStatus::Active,
				open_claims: 1,
			},
		);
		// Final already (closed after its window): nothing to accept.
		run_to(1 + DISPUTE_WINDOW + 1);
		assert_ok!(Claims::close_claim(RuntimeOrigin::signed(MALLORY), 0));
		assert_noop!(accept(ALICE), Error::<Test>::NotDecided);
	});
}
