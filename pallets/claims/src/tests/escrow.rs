//! The payer's escrow and settlements: funded and withdrawn by the payer's admin, holding a
//! floor for every claim the payer may still have to pay; final approved claims paid to the
//! provider in one settlement, each exactly once, only the total on chain.

use super::mock::*;
use crate::{
	ClaimStatus, Claims as Stored, Decision, DenialReason, Error, Event, Liabilities,
	NextSettlementId, Settlement, Settlements,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::Mutate, BoundedVec};
use medchain_primitives::PractitionerRole;
use medchain_test_utils::directory;
use polkadot_sdk::*;

/// Another insurer, its admin and its claims officer.
const PAYER_2: u32 = 8;
const PAYER_2_ADMIN: u64 = 30;
const OFFICER_2: u64 = 31;

fn escrow() -> u64 {
	Balances::free_balance(Claims::escrow_account(PAYER))
}

fn settle(who: u64, provider: u32, claims: &[u64], total: u64) -> sp_runtime::DispatchResult {
	Claims::settle_claims(
		RuntimeOrigin::signed(who),
		provider,
		BoundedVec::truncate_from(claims.to_vec()),
		total,
		[0x5e; 32],
	)
}

/// Claim `claim` (just submitted) decided `decision` and final: disputed and decided again.
fn finally(claim: u64, decision: Decision) {
	decided(claim, decision);
	assert_ok!(Claims::dispute_claim(RuntimeOrigin::signed(DOC), claim, GROUNDS));
	decided(claim, decision);
}

#[test]
fn the_payers_admin_funds_and_withdraws_the_escrow() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Claims::fund_escrow(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, 300));
		assert_eq!(
			last_event(),
			Event::EscrowFunded { payer: PAYER, by: PAYER_ADMIN, amount: 300 }
		);
		assert_eq!((escrow(), Balances::free_balance(PAYER_ADMIN)), (300, FUNDS - 300));
		assert_ok!(Claims::withdraw_escrow(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, 120));
		assert_eq!(last_event(), Event::EscrowWithdrawn { payer: PAYER, amount: 120 });
		assert_eq!((escrow(), Balances::free_balance(PAYER_ADMIN)), (180, FUNDS - 180));
		// The escrow's account is the pallet's, one per payer: no key controls it.
		assert_ne!(Claims::escrow_account(PAYER), Claims::escrow_account(PAYER_2));
	});
}

#[test]
fn only_the_payers_admin_moves_its_escrow_and_never_nothing() {
	ExtBuilder.build_and_execute(|| {
		Balances::set_balance(&MALLORY, FUNDS);
		for who in [MALLORY, OFFICER, ADMIN_A] {
			assert_noop!(
				Claims::fund_escrow(RuntimeOrigin::signed(who), PAYER, 10),
				Error::<Test>::NotPayerAdmin
			);
			assert_noop!(
				Claims::withdraw_escrow(RuntimeOrigin::signed(who), PAYER, 10),
				Error::<Test>::NotPayerAdmin
			);
		}
		assert_noop!(
			Claims::fund_escrow(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Claims::withdraw_escrow(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, 0),
			Error::<Test>::ZeroAmount
		);
		// More than the admin has (their account must stay alive): the currency refuses.
		assert!(Claims::fund_escrow(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, FUNDS).is_err());
		assert_eq!(escrow(), 0);
		assert_noop!(
			Claims::withdraw_escrow(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, 1),
			Error::<Test>::InsufficientEscrow
		);
	});
}

#[test]
fn the_escrow_holds_a_floor_for_every_claim_the_payer_may_have_to_pay() {
	ExtBuilder.build_and_execute(|| {
		covered();
		assert_eq!(escrow(), ESCROW);
		claimed();
		claimed();
		assert_eq!(Liabilities::<Test>::get(PAYER), 2);
		// Two claims hold 20: 80 may go, 81 may not.
		assert_noop!(
			Claims::withdraw_escrow(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, 81),
			Error::<Test>::InsufficientEscrow
		);
		assert_ok!(Claims::withdraw_escrow(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, 80));
		// No third claim until the payer funds it.
		assert_noop!(
			Claims::submit_claim(RuntimeOrigin::signed(DOC), 0, records(&[ALICE_A2]), CLAIM),
			Error::<Test>::InsufficientEscrow
		);
		assert_eq!(access(2), None, "no access opened for a refused claim");
		// A withdrawn claim and a finally denied one hold nothing any more.
		assert_ok!(Claims::withdraw_claim(RuntimeOrigin::signed(DOC), 0));
		finally(1, Decision::Denied(DenialReason::NotCovered));
		assert_eq!(Liabilities::<Test>::get(PAYER), 0);
		assert_ok!(Claims::withdraw_escrow(RuntimeOrigin::signed(PAYER_ADMIN), PAYER, 20));
		assert_eq!(escrow(), 0);
	});
}

#[test]
fn a_settlement_pays_the_provider_for_final_approved_claims_once() {
	ExtBuilder.build_and_execute(|| {
		covered();
		for claim in 0..3 {
			claimed();
			finally(claim, if claim == 1 { Decision::Partial } else { Decision::Approved });
		}
		run_to(4);
		assert_ok!(settle(OFFICER, ORG_A, &[0, 1, 2], 75));
		assert_eq!(
			last_event(),
			Event::ClaimsSettled {
				settlement: 0,
				payer: PAYER,
				provider: ORG_A,
				claims: 3,
				total: 75
			}
		);
		// The provider's admin is paid from the escrow.
		assert_eq!((Balances::free_balance(ADMIN_A), escrow()), (75, ESCROW - 75));
		assert_eq!(
			Settlements::<Test>::get(0),
			Some(Settlement {
				payer: PAYER,
				provider: ORG_A,
				claims: 3,
				total: 75,
				statement: [0x5e; 32],
				at: 4
			})
		);
		for claim in 0..3 {
			assert_eq!(Stored::<Test>::get(claim).unwrap().settlement, Some(0));
		}
		assert_eq!(Liabilities::<Test>::get(PAYER), 0);
		// Never twice.
		assert_noop!(settle(OFFICER, ORG_A, &[2], 10), Error::<Test>::AlreadySettled);
		assert_eq!(NextSettlementId::<Test>::get(), 1);
	});
}

#[test]
fn a_settlement_pays_only_what_is_final_and_approved() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed(); // 0: submitted
		claimed(); // 1: decided, still open to a dispute
		decided(1, Decision::Approved);
		claimed(); // 2: finally denied
		finally(2, Decision::Denied(DenialReason::Duplicate));
		claimed(); // 3: withdrawn
		assert_ok!(Claims::withdraw_claim(RuntimeOrigin::signed(DOC), 3));
		for claim in 0..4 {
			assert_noop!(settle(OFFICER, ORG_A, &[claim], 10), Error::<Test>::NotPayable);
		}
		// Once final, claim 1 is paid.
		run_to(12);
		assert_ok!(Claims::close_claim(RuntimeOrigin::signed(MALLORY), 1));
		assert_ok!(settle(OFFICER, ORG_A, &[1], 10));
		assert!(matches!(
			Stored::<Test>::get(1).unwrap().status,
			ClaimStatus::Closed { decision: Decision::Approved, .. }
		));
	});
}

#[test]
fn a_settlement_is_refused_with_what_is_wrong() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		finally(0, Decision::Approved);
		// A second payer, with its own covered member and a final claim.
		directory::add_admin(PAYER_2_ADMIN, PAYER_2);
		directory::set_practitioner(OFFICER_2, PAYER_2, PractitionerRole::ClaimsOfficer);
		Balances::set_balance(&PAYER_2_ADMIN, FUNDS);
		assert_ok!(Claims::fund_escrow(RuntimeOrigin::signed(PAYER_2_ADMIN), PAYER_2, ESCROW));
		assert_ok!(Claims::offer_coverage(
			RuntimeOrigin::signed(PAYER_2_ADMIN),
			PAYER_2,
			BOB,
			PLAN,
			1,
			100
		));
		assert_ok!(Claims::accept_coverage(RuntimeOrigin::signed(BOB), 1));
		assert_ok!(Claims::submit_claim(RuntimeOrigin::signed(DOC), 1, records(&[BOB_A]), CLAIM));
		assert_ok!(Claims::decide_claim(
			RuntimeOrigin::signed(OFFICER_2),
			1,
			Decision::Approved,
			RESPONSE
		));
		assert_ok!(Claims::dispute_claim(RuntimeOrigin::signed(BOB), 1, GROUNDS));
		assert_ok!(Claims::decide_claim(
			RuntimeOrigin::signed(OFFICER_2),
			1,
			Decision::Approved,
			RESPONSE
		));
		// A claim of ORG_B's, final, to the first payer.
		directory::add_admin(ADMIN_B, ORG_B);
		assert_ok!(Claims::submit_claim(
			RuntimeOrigin::signed(DOC_B),
			0,
			records(&[ALICE_B]),
			CLAIM
		));
		decided(2, Decision::Approved);
		assert_ok!(Claims::dispute_claim(RuntimeOrigin::signed(ALICE), 2, GROUNDS));
		decided(2, Decision::Approved);

		for who in [DOC, PAYER_ADMIN, MALLORY] {
			assert_noop!(settle(who, ORG_A, &[0], 10), Error::<Test>::NotClaimsOfficer);
		}
		assert_noop!(settle(OFFICER, ORG_A, &[], 10), Error::<Test>::NoClaims);
		assert_noop!(settle(OFFICER, ORG_A, &[0, 0], 10), Error::<Test>::DuplicateClaim);
		assert_noop!(settle(OFFICER, ORG_A, &[0, 9], 10), Error::<Test>::ClaimNotFound);
		assert_noop!(settle(OFFICER, ORG_A, &[0, 1], 10), Error::<Test>::NotPayersClaim);
		assert_noop!(settle(OFFICER, ORG_A, &[0, 2], 10), Error::<Test>::OtherProvider);
		// More than the escrow holds, or than it may spare: its floor for claim 2.
		assert_noop!(settle(OFFICER, ORG_A, &[0], ESCROW + 1), Error::<Test>::InsufficientEscrow);
		assert_noop!(
			settle(OFFICER, ORG_A, &[0], ESCROW - ESCROW_PER_CLAIM + 1),
			Error::<Test>::InsufficientEscrow
		);
		// A provider with no active admin cannot be paid.
		directory::remove_admin(ADMIN_A, ORG_A);
		assert_noop!(settle(OFFICER, ORG_A, &[0], 10), Error::<Test>::ProviderNotActive);
		directory::add_admin(ADMIN_A, ORG_A);
		// The full floor's worth but one claim's, and nothing at all, are both fine.
		assert_ok!(settle(OFFICER, ORG_A, &[0], ESCROW - ESCROW_PER_CLAIM));
		assert_ok!(settle(OFFICER, ORG_B, &[2], 0));
		assert_eq!(Balances::free_balance(ADMIN_B), 0, "nothing paid, nothing moved");
	});
}

#[test]
fn settlement_ids_that_would_overflow_refuse() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		finally(0, Decision::Approved);
		NextSettlementId::<Test>::put(u64::MAX);
		assert_noop!(settle(OFFICER, ORG_A, &[0], 10), Error::<Test>::Overflow);
	});
}
