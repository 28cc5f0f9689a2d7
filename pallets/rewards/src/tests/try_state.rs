//! `try_state` reports exactly the invariant a deliberate corruption breaks.

use super::mock::*;
use crate::{Attested, Earned, EarnedIn, Pools};
use medchain_test_utils::assert_detects;

fn populate() {
	pooled();
	kept(ALICE, 1);
	kept(BOB, 2);
}

fn detects(corrupt: impl FnOnce(), broken: &'static str) {
	assert_detects(ExtBuilder.build(), populate, corrupt, Rewards::do_try_state, broken);
}

#[test]
fn a_pool_id_at_or_above_the_next_is_detected() {
	detects(|| crate::NextPoolId::<Test>::put(0), "a pool's id is not below the next id");
}

#[test]
fn a_pool_of_no_blocks_is_detected() {
	detects(
		|| Pools::<Test>::mutate(0, |p| p.as_mut().unwrap().period = 0),
		"a pool's period is no blocks",
	);
}

#[test]
fn a_rate_above_the_cap_is_detected() {
	detects(
		|| Pools::<Test>::mutate(0, |p| p.as_mut().unwrap().cap = SURVEY),
		"a pool's rate is above its cap",
	);
}

#[test]
fn a_miscounted_reward_is_detected() {
	detects(
		|| Attested::<Test>::remove(0, attestation(1)),
		"a pool's rewards are not its attestations paid",
	);
}

#[test]
fn a_closed_pool_holding_funds_is_detected() {
	detects(
		|| Pools::<Test>::mutate(0, |p| p.as_mut().unwrap().closed = true),
		"a closed pool still holds funds",
	);
}

#[test]
fn earnings_of_a_missing_pool_are_detected() {
	detects(
		|| EarnedIn::<Test>::insert(7, ALICE, Earned { period: 0, amount: 1 }),
		"a patient earned from a pool that does not exist",
	);
}

#[test]
fn earnings_of_nothing_are_detected() {
	detects(
		|| EarnedIn::<Test>::insert(0, ALICE, Earned { period: 0, amount: 0 }),
		"a patient's earnings are recorded as nothing",
	);
}

#[test]
fn earnings_above_the_cap_are_detected() {
	detects(
		|| EarnedIn::<Test>::insert(0, ALICE, Earned { period: 0, amount: CAP + 1 }),
		"a patient received more than the cap in a period",
	);
}

#[test]
fn an_attestation_of_a_missing_pool_is_detected() {
	detects(
		|| Attested::<Test>::insert(7, attestation(3), ()),
		"an attestation of a pool that does not exist",
	);
}
