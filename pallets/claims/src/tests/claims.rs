//! Claims bound to recorded care: submitted, decided, disputed, withdrawn, closed; the payer's
//! access to exactly the records claimed, for the claim's life.

use super::mock::*;
use crate::{
	ClaimStatus, Claims as Stored, CoverageClaims, Coverages, Decision, DenialReason, Disputant,
	Error, Event,
};
use frame_support::{assert_noop, assert_ok};
use medchain_test_utils::directory;
use polkadot_sdk::*;

fn submit(who: u64, records_: &[u64]) -> sp_runtime::DispatchResult {
	Claims::submit_claim(RuntimeOrigin::signed(who), 0, records(records_), CLAIM)
}

#[test]
fn a_claim_opens_access_to_exactly_its_records() {
	ExtBuilder.build_and_execute(|| {
		covered();
		run_to(5);
		assert_ok!(submit(DOC, &[ALICE_A1, ALICE_A2]));
		assert_eq!(last_event(), Event::ClaimSubmitted { claim: 0, coverage: 0, provider: ORG_A });
		assert_eq!(access(0), Some((ALICE, PAYER, vec![ALICE_A1, ALICE_A2])));
		let c = Stored::<Test>::get(0).unwrap();
		assert_eq!((c.coverage, c.provider, c.submitter, c.claim), (0, ORG_A, DOC, CLAIM));
		assert_eq!((c.submitted_at, c.status), (5, ClaimStatus::Submitted));
		assert!(CoverageClaims::<Test>::contains_key(0, 0));
		assert_eq!(Coverages::<Test>::get(0).unwrap().open_claims, 1);
		// The provider's billing office submits too.
		assert_ok!(submit(BILLING, &[ALICE_A2]));
		assert_eq!(access(1), Some((ALICE, PAYER, vec![ALICE_A2])));
	});
}

#[test]
fn a_claim_must_bill_the_members_records_held_by_the_provider() {
	ExtBuilder.build_and_execute(|| {
		covered();
		assert_noop!(submit(DOC, &[]), Error::<Test>::NoRecords);
		assert_noop!(submit(DOC, &[ALICE_A1, ALICE_A1]), Error::<Test>::DuplicateRecord);
		assert_noop!(submit(DOC, &[ALICE_A1, 99]), Error::<Test>::RecordNotFound);
		assert_noop!(submit(DOC, &[ALICE_A1, BOB_A]), Error::<Test>::RecordOfAnotherPatient);
		assert_noop!(submit(DOC, &[ALICE_B]), Error::<Test>::NotProvidersRecord);
		erase_record(ALICE_A2);
		assert_noop!(submit(DOC, &[ALICE_A2]), Error::<Test>::RecordNotFound);
		assert_eq!(access(0), None);
	});
}

#[test]
fn only_active_provider_staff_submit() {
	ExtBuilder.build_and_execute(|| {
		covered();
		for who in [NURSE, ALICE, MALLORY, ADMIN_A] {
			assert_noop!(submit(who, &[ALICE_A1]), Error::<Test>::NotProviderStaff);
		}
		// The payer's own claims officer holds none of the records.
		assert_noop!(submit(OFFICER, &[ALICE_A1]), Error::<Test>::NotProvidersRecord);
		directory::set_inactive(DOC);
		assert_noop!(submit(DOC, &[ALICE_A1]), Error::<Test>::NotProviderStaff);
	});
}

#[test]
fn no_claim_without_an_active_coverage_in_its_term() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Claims::fund_escrow(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, ESCROW));
		assert_noop!(submit(DOC, &[ALICE_A1]), Error::<Test>::CoverageNotFound);
		assert_ok!(Claims::offer_coverage(
			RuntimeOrigin::signed(PAYER_ADMIN),
			PAYER,
			ALICE,
			PLAN,
			5,
			20
		));
		assert_noop!(submit(DOC, &[ALICE_A1]), Error::<Test>::CoverageNotActive);
		assert_ok!(Claims::accept_coverage(RuntimeOrigin::signed(ALICE), 0));
		assert_noop!(submit(DOC, &[ALICE_A1]), Error::<Test>::OutsideCoverageTerm);
		run_to(21);
		assert_noop!(submit(DOC, &[ALICE_A1]), Error::<Test>::OutsideCoverageTerm);
		run_to(20);
		assert_ok!(submit(DOC, &[ALICE_A1]));
		// After the coverage ended: refused.
		assert_ok!(Claims::end_coverage(RuntimeOrigin::signed(ALICE), 0));
		assert_noop!(submit(DOC, &[ALICE_A2]), Error::<Test>::CoverageNotActive);
	});
}

#[test]
fn what_consent_refuses_refuses_the_claim() {
	ExtBuilder.build_and_execute(|| {
		covered();
		refuse_access();
		assert_noop!(submit(DOC, &[ALICE_A1]), sp_runtime::DispatchError::Other("consent refused"));
	});
}

#[test]
fn an_undisputed_decision_becomes_final_after_its_window() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		run_to(3);
		decided(0, Decision::Approved);
		assert_eq!(
			last_event(),
			Event::ClaimDecided { claim: 0, decision: Decision::Approved, last: false }
		);
		assert_eq!(
			Stored::<Test>::get(0).unwrap().status,
			ClaimStatus::Decided {
				decision: Decision::Approved,
				response: RESPONSE,
				dispute_until: 13,
				accepted: None
			}
		);
		// Still open to a dispute, so the payer still reads the records.
		assert_noop!(
			Claims::close_claim(RuntimeOrigin::signed(MALLORY), 0),
			Error::<Test>::DisputeWindowOpen
		);
		assert!(access(0).is_some());
		run_to(14);
		assert_ok!(Claims::close_claim(RuntimeOrigin::signed(MALLORY), 0));
		assert_eq!(last_event(), Event::ClaimClosed { claim: 0, decision: Decision::Approved });
		assert_eq!(access(0), None);
		assert_eq!(Coverages::<Test>::get(0).unwrap().open_claims, 0);
		assert_noop!(
			Claims::close_claim(RuntimeOrigin::signed(MALLORY), 0),
			Error::<Test>::NotDecided
		);
		assert_noop!(
			Claims::decide_claim(RuntimeOrigin::signed(OFFICER), 0, Decision::Partial, RESPONSE),
			Error::<Test>::NotAwaitingDecision
		);
		assert_noop!(
			Claims::dispute_claim(RuntimeOrigin::signed(ALICE), 0, GROUNDS),
			Error::<Test>::NotDecided
		);
		assert_noop!(
			Claims::close_claim(RuntimeOrigin::signed(MALLORY), 7),
			Error::<Test>::ClaimNotFound
		);
	});
}

#[test]
fn only_the_payers_active_claims_officer_decides() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		for who in [BILLING, DOC, PAYER_ADMIN, ALICE] {
			assert_noop!(
				Claims::decide_claim(RuntimeOrigin::signed(who), 0, Decision::Approved, RESPONSE),
				Error::<Test>::NotClaimsOfficer
			);
		}
		directory::set_inactive(OFFICER);
		assert_noop!(
			Claims::decide_claim(RuntimeOrigin::signed(OFFICER), 0, Decision::Approved, RESPONSE),
			Error::<Test>::NotClaimsOfficer
		);
		assert_noop!(
			Claims::decide_claim(RuntimeOrigin::signed(OFFICER), 5, Decision::Approved, RESPONSE),
			Error::<Test>::ClaimNotFound
		);
	});
}

#[test]
fn a_denial_is_disputed_and_decided_again_finally() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		decided(0, Decision::Denied(DenialReason::MissingInformation));
		for who in [MALLORY, OFFICER, DOC_B, BOB] {
			assert_noop!(
				Claims::dispute_claim(RuntimeOrigin::signed(who), 0, GROUNDS),
				Error::<Test>::NotDisputant
			);
		}
		assert_ok!(Claims::dispute_claim(RuntimeOrigin::signed(BILLING), 0, GROUNDS));
		assert_eq!(last_event(), Event::ClaimDisputed { claim: 0, by: Disputant::Provider });
		assert_eq!(
			Stored::<Test>::get(0).unwrap().status,
			ClaimStatus::Disputed { by: Disputant::Provider, grounds: GROUNDS }
		);
		// Disputed once: the member cannot dispute it again while the payer decides.
		assert_noop!(
			Claims::dispute_claim(RuntimeOrigin::signed(ALICE), 0, GROUNDS),
			Error::<Test>::NotDecided
		);
		decided(0, Decision::Partial);
		assert_eq!(last_event(), Event::ClaimClosed { claim: 0, decision: Decision::Partial });
		assert_eq!(
			Stored::<Test>::get(0).unwrap().status,
			ClaimStatus::Closed { decision: Decision::Partial, response: RESPONSE }
		);
		assert_eq!(access(0), None);
		assert_noop!(
			Claims::dispute_claim(RuntimeOrigin::signed(ALICE), 0, GROUNDS),
			Error::<Test>::NotDecided
		);
	});
}

#[test]
fn the_member_disputes_in_time_only() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		assert_noop!(
			Claims::dispute_claim(RuntimeOrigin::signed(ALICE), 0, GROUNDS),
			Error::<Test>::NotDecided
		);
		decided(0, Decision::Approved);
		run_to(1 + DISPUTE_WINDOW + 1);
		assert_noop!(
			Claims::dispute_claim(RuntimeOrigin::signed(ALICE), 0, GROUNDS),
			Error::<Test>::DisputeWindowOver
		);
		run_to(1 + DISPUTE_WINDOW);
		assert_ok!(Claims::dispute_claim(RuntimeOrigin::signed(ALICE), 0, GROUNDS));
		assert_eq!(last_event(), Event::ClaimDisputed { claim: 0, by: Disputant::Member });
		assert_noop!(
			Claims::dispute_claim(RuntimeOrigin::signed(ALICE), 9, GROUNDS),
			Error::<Test>::ClaimNotFound
		);
	});
}

#[test]
fn the_provider_withdraws_a_claim_that_is_not_final() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		claimed();
		for who in [DOC_B, OFFICER, ALICE, MALLORY] {
			assert_noop!(
				Claims::withdraw_claim(RuntimeOrigin::signed(who), 0),
				Error::<Test>::NotProvider
			);
		}
		assert_ok!(Claims::withdraw_claim(RuntimeOrigin::signed(BILLING), 0));
		assert_eq!(last_event(), Event::ClaimWithdrawn { claim: 0 });
		assert_eq!(Stored::<Test>::get(0).unwrap().status, ClaimStatus::Withdrawn);
		assert_eq!(access(0), None);
		assert_eq!(Coverages::<Test>::get(0).unwrap().open_claims, 1);
		assert_noop!(
			Claims::withdraw_claim(RuntimeOrigin::signed(DOC), 0),
			Error::<Test>::AlreadyFinal
		);
		assert_noop!(
			Claims::decide_claim(RuntimeOrigin::signed(OFFICER), 0, Decision::Approved, RESPONSE),
			Error::<Test>::NotAwaitingDecision
		);
		// A decided claim may be withdrawn before it is final, not after.
		decided(1, Decision::Approved);
		run_to(20);
		assert_ok!(Claims::close_claim(RuntimeOrigin::signed(ALICE), 1));
		assert_noop!(
			Claims::withdraw_claim(RuntimeOrigin::signed(DOC), 1),
			Error::<Test>::AlreadyFinal
		);
		assert_noop!(
			Claims::withdraw_claim(RuntimeOrigin::signed(DOC), 2),
			Error::<Test>::ClaimNotFound
		);
	});
}

#[test]
fn an_ended_coverage_keeps_its_open_claims_going() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		assert_ok!(Claims::end_coverage(RuntimeOrigin::signed(PAYER_ADMIN), 0));
		decided(0, Decision::Denied(DenialReason::NotCovered));
		assert_ok!(Claims::dispute_claim(RuntimeOrigin::signed(ALICE), 0, GROUNDS));
		decided(0, Decision::Denied(DenialReason::NotCovered));
		assert_eq!(Coverages::<Test>::get(0).unwrap().open_claims, 0);
	});
}

#[test]
fn ids_that_would_overflow_refuse() {
	ExtBuilder.build_and_execute(|| {
		crate::NextCoverageId::<Test>::put(u64::MAX);
		assert_noop!(
			Claims::offer_coverage(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, ALICE, PLAN, 1, 100),
			Error::<Test>::Overflow
		);
		crate::NextCoverageId::<Test>::put(0);
		covered();
		crate::NextClaimId::<Test>::put(u64::MAX);
		assert_noop!(submit(DOC, &[ALICE_A1]), Error::<Test>::Overflow);
		crate::NextClaimId::<Test>::put(0);
		assert_eq!(access(u64::MAX), None);
	});
}

#[test]
fn ending_a_claim_charges_closing_its_access_at_most_and_refunds_the_rest() {
	use crate::weights::WeightInfo;
	use frame_support::dispatch::GetDispatchInfo;
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		claimed();
		claimed();
		// Declared: each call's own weight and the most closing an access may cost.
		let declared = |call: crate::Call<Test>| call.get_dispatch_info().call_weight;
		assert_eq!(
			declared(crate::Call::withdraw_claim { claim: 0 }),
			<() as WeightInfo>::withdraw_claim() + MAX_CLOSING
		);
		assert_eq!(
			declared(crate::Call::close_claim { claim: 0 }),
			<() as WeightInfo>::close_claim() + MAX_CLOSING
		);
		assert_eq!(
			declared(crate::Call::decide_claim {
				claim: 0,
				decision: Decision::Approved,
				response: RESPONSE
			}),
			<() as WeightInfo>::decide_claim() + MAX_CLOSING
		);
		// Charged: what closing used.
		let used = Claims::withdraw_claim(RuntimeOrigin::signed(DOC), 0).unwrap();
		assert_eq!(used.actual_weight, Some(<() as WeightInfo>::withdraw_claim() + CLOSING));
		// A first decision closes nothing.
		let used =
			Claims::decide_claim(RuntimeOrigin::signed(OFFICER), 1, Decision::Approved, RESPONSE)
				.unwrap();
		assert_eq!(used.actual_weight, Some(<() as WeightInfo>::decide_claim()));
		run_to(20);
		let used = Claims::close_claim(RuntimeOrigin::signed(MALLORY), 1).unwrap();
		assert_eq!(used.actual_weight, Some(<() as WeightInfo>::close_claim() + CLOSING));
		// The member revoked the access already: closing it removes nothing more.
		with_access_revoked(2);
		let used = Claims::withdraw_claim(RuntimeOrigin::signed(DOC), 2).unwrap();
		assert_eq!(used.actual_weight, Some(<() as WeightInfo>::withdraw_claim()));
	});
}
