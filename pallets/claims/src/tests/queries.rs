//! What the runtime API answers: a member's claims, each party's claims in pages, a payer's
//! escrow.

use super::mock::*;
use crate::{ClaimParty, Escrow, PartyClaimCount};
use frame_support::assert_ok;
use polkadot_sdk::*;

#[test]
fn each_party_and_the_member_find_their_claims() {
	ExtBuilder.build_and_execute(|| {
		covered();
		claimed();
		// Bob's coverage by the same payer; ORG_B's claim for Alice.
		assert_ok!(Claims::offer_coverage(
			RuntimeOrigin::signed(PAYER_ADMIN),
			PAYER,
			BOB,
			PLAN,
			1,
			100
		));
		assert_ok!(Claims::accept_coverage(RuntimeOrigin::signed(BOB), 1));
		assert_ok!(Claims::submit_claim(RuntimeOrigin::signed(DOC), 1, records(&[BOB_A]), CLAIM));
		assert_ok!(Claims::submit_claim(
			RuntimeOrigin::signed(DOC_B),
			0,
			records(&[ALICE_B]),
			CLAIM
		));
		assert_eq!(Claims::claims_of_member(&ALICE), vec![0, 2]);
		assert_eq!(Claims::claims_of_member(&BOB), vec![1]);
		assert_eq!(Claims::claims_of_member(&MALLORY), Vec::<u64>::new());
		assert_eq!(Claims::claims_of(ClaimParty::Provider(ORG_A), 0, 10), vec![0, 1]);
		assert_eq!(Claims::claims_of(ClaimParty::Provider(ORG_B), 0, 10), vec![2]);
		assert_eq!(Claims::claims_of(ClaimParty::Payer(PAYER), 0, 10), vec![0, 1, 2]);
		// Pages: from the start-th, at most limit; beyond the end, nothing.
		assert_eq!(Claims::claims_of(ClaimParty::Payer(PAYER), 1, 1), vec![1]);
		assert_eq!(Claims::claims_of(ClaimParty::Payer(PAYER), 2, 5), vec![2]);
		assert_eq!(Claims::claims_of(ClaimParty::Payer(PAYER), 3, 5), Vec::<u64>::new());
		assert_eq!(Claims::claims_of(ClaimParty::Payer(ORG_A), 0, 5), Vec::<u64>::new());
		assert_eq!(PartyClaimCount::<Test>::get(ClaimParty::Payer(PAYER)), 3);
		assert_eq!(
			Claims::escrow(PAYER),
			Escrow {
				account: Claims::escrow_account(PAYER),
				balance: ESCROW,
				liabilities: 3,
				floor: 3 * ESCROW_PER_CLAIM,
			}
		);
	});
}

#[test]
fn a_page_holds_at_most_the_api_page_size() {
	ExtBuilder.build_and_execute(|| {
		for n in 0..pallet_claims_runtime_api::MAX_PAGE + 1 {
			crate::PartyClaims::<Test>::insert(ClaimParty::Provider(ORG_A), n, 0);
		}
		PartyClaimCount::<Test>::insert(ClaimParty::Provider(ORG_A), 101);
		let page = Claims::claims_of(ClaimParty::Provider(ORG_A), 0, u32::MAX);
		assert_eq!(page.len(), pallet_claims_runtime_api::MAX_PAGE as usize);
		// Restore a consistent state for the invariants checked after the test.
		let _ = crate::PartyClaims::<Test>::clear_prefix(ClaimParty::Provider(ORG_A), 200, None);
		PartyClaimCount::<Test>::remove(ClaimParty::Provider(ORG_A));
	});
}
