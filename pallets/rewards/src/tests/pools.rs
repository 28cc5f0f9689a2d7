//! Opening, funding and closing pools, and every way each is refused.

use super::mock::*;
use crate::{Error, Event, Pool, Pools, RewardRates};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::TokenError;

#[test]
fn an_admin_opens_a_pool_that_anyone_funds() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Rewards::create_pool(
			RuntimeOrigin::signed(ADMIN_A),
			ORG_A,
			rates(),
			CAP,
			PERIOD
		));
		assert_eq!(last_event(), Event::PoolCreated { pool: 0, organisation: ORG_A });
		assert_eq!(
			Pools::<Test>::get(0),
			Some(Pool {
				organisation: ORG_A,
				rates: rates(),
				cap: CAP,
				period: PERIOD,
				closed: false,
				rewards: 0,
				paid: 0,
			})
		);
		assert_eq!(Rewards::pool_balance(0), 0);

		// A sponsor that is not the organisation funds it too.
		assert_ok!(Rewards::fund_pool(RuntimeOrigin::signed(MALLORY), 0, 30));
		assert_eq!(last_event(), Event::PoolFunded { pool: 0, by: MALLORY, amount: 30 });
		assert_ok!(Rewards::fund_pool(RuntimeOrigin::signed(ADMIN_A), 0, 70));
		assert_eq!(Rewards::pool_balance(0), 100);
		assert_eq!(balance(MALLORY), FUNDS - 30);
		assert_eq!(balance(ADMIN_A), FUNDS - 70);

		// Ids are sequential; a pool rewarding one kind only is fine.
		assert_ok!(Rewards::create_pool(
			RuntimeOrigin::signed(ADMIN_B),
			ORG_B,
			RewardRates { appointment: 0, survey: ED, visit: 0 },
			ED,
			1
		));
		assert_eq!(last_event(), Event::PoolCreated { pool: 1, organisation: ORG_B });
		// A trial sponsor's pool may reward visits only.
		assert_ok!(Rewards::create_pool(
			RuntimeOrigin::signed(ADMIN_B),
			ORG_B,
			RewardRates { appointment: 0, survey: 0, visit: ED },
			ED,
			1
		));
		assert_eq!(last_event(), Event::PoolCreated { pool: 2, organisation: ORG_B });

		// What the runtime API answers.
		assert_eq!(Rewards::pools_of(ORG_A), vec![0]);
		assert_eq!(Rewards::pools_of(ORG_B), vec![1, 2]);
		let state = Rewards::pool_state(0).unwrap();
		assert_eq!((state.account, state.balance), (Rewards::pool_account(0), 100));
		assert_eq!(state.pool, Pools::<Test>::get(0).unwrap());
		assert_eq!(Rewards::pool_state(3), None);
	});
}

#[test]
fn create_pool_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let create = |who, org, rates, cap, period| {
			Rewards::create_pool(RuntimeOrigin::signed(who), org, rates, cap, period)
		};
		// Another organisation's admin, a practitioner.
		assert_noop!(
			create(ADMIN_B, ORG_A, rates(), CAP, PERIOD),
			Error::<Test>::NotOrganisationAdmin
		);
		assert_noop!(create(DOC, ORG_A, rates(), CAP, PERIOD), Error::<Test>::NotOrganisationAdmin);
		assert_noop!(create(ADMIN_A, ORG_A, rates(), CAP, 0), Error::<Test>::ZeroPeriod);
		assert_noop!(
			create(
				ADMIN_A,
				ORG_A,
				RewardRates { appointment: 0, survey: 0, visit: 0 },
				CAP,
				PERIOD
			),
			Error::<Test>::NothingRewarded
		);
		assert_noop!(
			create(
				ADMIN_A,
				ORG_A,
				RewardRates { appointment: ED - 1, survey: SURVEY, visit: VISIT },
				CAP,
				PERIOD
			),
			Error::<Test>::RateBelowMinimum
		);
		assert_noop!(
			create(
				ADMIN_A,
				ORG_A,
				RewardRates { appointment: 0, survey: 0, visit: ED - 1 },
				CAP,
				PERIOD
			),
			Error::<Test>::RateBelowMinimum
		);
		assert_noop!(
			create(
				ADMIN_A,
				ORG_A,
				RewardRates { appointment: APPOINTMENT, survey: CAP + 1, visit: VISIT },
				CAP,
				PERIOD
			),
			Error::<Test>::CapBelowRate
		);
		assert_noop!(
			create(
				ADMIN_A,
				ORG_A,
				RewardRates { appointment: APPOINTMENT, survey: SURVEY, visit: CAP + 1 },
				CAP,
				PERIOD
			),
			Error::<Test>::CapBelowRate
		);
		crate::NextPoolId::<Test>::put(u32::MAX);
		assert_noop!(create(ADMIN_A, ORG_A, rates(), CAP, PERIOD), Error::<Test>::Overflow);
		crate::NextPoolId::<Test>::put(0);
		assert_eq!(Pools::<Test>::iter().count(), 0);
	});
}

#[test]
fn fund_pool_error_paths() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		assert_noop!(
			Rewards::fund_pool(RuntimeOrigin::signed(ADMIN_A), 1, 10),
			Error::<Test>::PoolNotFound
		);
		assert_noop!(
			Rewards::fund_pool(RuntimeOrigin::signed(ADMIN_A), 0, 0),
			Error::<Test>::ZeroAmount
		);
		// More than the caller has.
		assert_noop!(
			Rewards::fund_pool(RuntimeOrigin::signed(BOB), 0, 10),
			TokenError::FundsUnavailable
		);
		assert_ok!(Rewards::close_pool(RuntimeOrigin::signed(ADMIN_A), 0));
		assert_noop!(
			Rewards::fund_pool(RuntimeOrigin::signed(ADMIN_A), 0, 10),
			Error::<Test>::PoolClosed
		);
	});
}

#[test]
fn closing_a_pool_returns_what_it_holds_and_ends_its_rewards() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		kept(ALICE, 1);
		assert_ok!(Rewards::close_pool(RuntimeOrigin::signed(ADMIN_A), 0));
		assert_eq!(last_event(), Event::PoolClosed { pool: 0, returned: POOLED - APPOINTMENT });
		assert_eq!(balance(ADMIN_A), FUNDS - APPOINTMENT);
		assert_eq!(Rewards::pool_balance(0), 0);
		let p = Pools::<Test>::get(0).unwrap();
		assert!(p.closed);
		assert_eq!((p.rewards, p.paid), (1, APPOINTMENT));
		assert_noop!(
			Rewards::reward(
				RuntimeOrigin::signed(DOC),
				0,
				BOB,
				crate::RewardKind::AppointmentKept,
				attestation(2)
			),
			Error::<Test>::PoolClosed
		);
	});
}

#[test]
fn an_empty_pool_closes_with_nothing_returned() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(Rewards::create_pool(
			RuntimeOrigin::signed(ADMIN_A),
			ORG_A,
			rates(),
			CAP,
			PERIOD
		));
		assert_ok!(Rewards::close_pool(RuntimeOrigin::signed(ADMIN_A), 0));
		assert_eq!(last_event(), Event::PoolClosed { pool: 0, returned: 0 });
		assert_eq!(balance(ADMIN_A), FUNDS);
	});
}

#[test]
fn close_pool_error_paths() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		assert_noop!(
			Rewards::close_pool(RuntimeOrigin::signed(ADMIN_A), 1),
			Error::<Test>::PoolNotFound
		);
		// Another organisation's admin; a practitioner of the pool's own.
		assert_noop!(
			Rewards::close_pool(RuntimeOrigin::signed(ADMIN_B), 0),
			Error::<Test>::NotOrganisationAdmin
		);
		assert_noop!(
			Rewards::close_pool(RuntimeOrigin::signed(DOC), 0),
			Error::<Test>::NotOrganisationAdmin
		);
		assert_ok!(Rewards::close_pool(RuntimeOrigin::signed(ADMIN_A), 0));
		assert_noop!(
			Rewards::close_pool(RuntimeOrigin::signed(ADMIN_A), 0),
			Error::<Test>::PoolClosed
		);
	});
}
