//! `try_state` reports exactly the invariant a deliberate corruption breaks.

use super::mock::*;
use crate::{ClaimStatus, Claims as Stored, CoverageClaims, Coverages, MemberCoverages};
use medchain_test_utils::assert_detects;

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
