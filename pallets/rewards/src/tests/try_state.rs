//! `try_state` reports exactly the invariant a deliberate corruption breaks.

use super::mock::*;
use crate::{Attested, Earned, EarnedIn, ParticipantEarnedIn, Pools, RewardedVisits};
use medchain_test_utils::assert_detects;

fn populate() {
	pooled();
	kept(ALICE, 1);
	kept(BOB, 2);
	submit(visit_call(0, TRIAL_A, 0, 77, &ANNA));
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
		"a pool's rewards are not its attestations and visits paid",
	);
}

#[test]
fn a_miscounted_visit_is_detected() {
	detects(
		|| RewardedVisits::<Test>::remove(TRIAL_A, 0),
		"a pool's rewards are not its attestations and visits paid",
	);
}

#[test]
fn a_visit_rate_above_the_cap_is_detected() {
	detects(
		|| {
			Pools::<Test>::mutate(0, |p| {
				let p = p.as_mut().unwrap();
				p.rates.visit = p.cap + 1;
			})
		},
		"a pool's rate is above its cap",
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
		"earnings from a pool that does not exist",
	);
}

#[test]
fn earnings_of_nothing_are_detected() {
	detects(
		|| EarnedIn::<Test>::insert(0, ALICE, Earned { period: 0, amount: 0 }),
		"earnings are recorded as nothing",
	);
}

#[test]
fn earnings_above_the_cap_are_detected() {
	detects(
		|| EarnedIn::<Test>::insert(0, ALICE, Earned { period: 0, amount: CAP + 1 }),
		"more than the cap received in a period",
	);
}

#[test]
fn a_participant_earning_from_a_missing_pool_is_detected() {
	detects(
		|| ParticipantEarnedIn::<Test>::insert(7, (TRIAL_A, BEN), Earned { period: 0, amount: 1 }),
		"earnings from a pool that does not exist",
	);
}

#[test]
fn a_participant_earning_above_the_cap_is_detected() {
	detects(
		|| {
			ParticipantEarnedIn::<Test>::insert(
				0,
				(TRIAL_A, ANNA),
				Earned { period: 0, amount: CAP + 1 },
			)
		},
		"more than the cap received in a period",
	);
}

#[test]
fn an_attestation_of_a_missing_pool_is_detected() {
	detects(
		|| Attested::<Test>::insert(7, attestation(3), ()),
		"an attestation of a pool that does not exist",
	);
}

#[test]
fn a_visit_paid_by_a_missing_pool_is_detected() {
	detects(
		|| RewardedVisits::<Test>::insert(TRIAL_B, 0, 7),
		"a visit paid by a pool that does not exist",
	);
}
