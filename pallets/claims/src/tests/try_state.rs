//! `try_state` reports exactly the invariant a deliberate corruption breaks.

use super::mock::*;
use crate::{ClaimStatus, Claims as Stored, CoverageClaims, Coverages, MemberCoverages};
use medchain_test_utils::assert_detects;
use polkadot_sdk::frame_support::traits::fungible::Mutate;

fn populate() {
	covered();
	claimed();
	claimed();
}

fn detects(corrupt: impl FnOnce(), broken: &'static str) {
	assert_detects(ExtBuilder.build(), populate, corrupt, Claims::do_try_state, broken);
}

#[test]
fn a_miscounted_open_claim_is_detected() {
	detects(
		|| Stored::<Test>::mutate(0, |c| c.as_mut().unwrap().status = ClaimStatus::Withdrawn),
		"a coverage's open claims are not counted right",
	);
}

#[test]
fn a_coverage_missing_from_its_members_index_is_detected() {
	detects(
		|| MemberCoverages::<Test>::remove(ALICE, 0),
		"a coverage is missing from its member's index",
	);
}

#[test]
fn a_claim_missing_from_its_coverages_index_is_detected() {
	detects(
		|| CoverageClaims::<Test>::remove(0, 1),
		"a coverage's open claims are not counted right",
	);
}

#[test]
fn a_claim_of_no_coverage_is_detected() {
	detects(
		|| {
			Coverages::<Test>::remove(0);
			MemberCoverages::<Test>::remove(ALICE, 0);
		},
		"a claim's coverage does not exist",
	);
}

#[test]
fn a_stray_index_entry_is_detected() {
	detects(
		|| CoverageClaims::<Test>::insert(0, 9, ()),
		"the coverages' index holds claims that do not exist",
	);
}

#[test]
fn miscounted_liabilities_are_detected() {
	detects(
		|| crate::Liabilities::<Test>::insert(PAYER, 5),
		"a payer's liabilities are not counted right",
	);
}

#[test]
fn an_escrow_below_its_floor_is_detected() {
	detects(
		|| {
			Balances::set_balance(&Claims::escrow_account(PAYER), ESCROW_PER_CLAIM);
		},
		"a payer's escrow does not cover the claims it may have to pay",
	);
}

#[test]
fn a_settlement_naming_no_claims_it_counts_is_detected() {
	detects(
		|| {
			crate::NextSettlementId::<Test>::put(1);
			crate::Settlements::<Test>::insert(0, settlement());
		},
		"a settlement's claims are not counted right",
	);
}

#[test]
fn a_settlement_beyond_the_next_id_is_detected() {
	detects(
		|| crate::Settlements::<Test>::insert(0, settlement()),
		"a settlement's id is not below the next id",
	);
}

#[test]
fn a_paid_claim_that_was_not_payable_is_detected() {
	detects(
		|| {
			crate::NextSettlementId::<Test>::put(1);
			crate::Settlements::<Test>::insert(0, settlement());
			Stored::<Test>::mutate(0, |c| c.as_mut().unwrap().settlement = Some(0));
		},
		"a settlement paid a claim that is not payable",
	);
}

/// A settlement of one claim of [`PAYER`]'s to [`ORG_A`].
fn settlement() -> crate::SettlementOf<Test> {
	crate::Settlement {
		payer: PAYER,
		provider: ORG_A,
		claims: 1,
		total: 10,
		statement: [0x5e; 32],
		at: 1,
	}
}

#[test]
fn a_claim_missing_from_its_payers_index_is_detected() {
	detects(
		|| crate::PartyClaims::<Test>::remove(crate::ClaimParty::Payer(PAYER), 1),
		"the parties' index does not hold each claim once for its provider and its payer",
	);
}

#[test]
fn a_claim_indexed_for_another_provider_is_detected() {
	detects(
		|| {
			crate::PartyClaims::<Test>::insert(crate::ClaimParty::Provider(ORG_B), 0, 0);
			crate::PartyClaimCount::<Test>::insert(crate::ClaimParty::Provider(ORG_B), 1);
		},
		"a party's index names another party's claim",
	);
}

#[test]
fn a_party_entry_beyond_its_count_is_detected() {
	detects(
		|| crate::PartyClaimCount::<Test>::insert(crate::ClaimParty::Provider(ORG_A), 1),
		"a party's claim is beyond its count",
	);
}

#[test]
fn an_index_entry_of_a_missing_claim_is_detected() {
	detects(
		|| {
			crate::PartyClaims::<Test>::insert(crate::ClaimParty::Provider(ORG_A), 2, 9);
			crate::PartyClaimCount::<Test>::insert(crate::ClaimParty::Provider(ORG_A), 3);
		},
		"a party's index names a claim that does not exist",
	);
}
