//! M3: registering a trial holds a deposit from the registering admin until the trial's results
//! are published, so the storage a trial keeps for good is paid for.

use super::mock::*;
use crate::{Deposits, Error, Event, HoldReason};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold, Mutate},
};
use medchain_test_utils::directory::{add_admin, remove_admin};
use polkadot_sdk::*;

/// What `who` has on hold for trial registrations.
fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::TrialRegistration.into(), &who)
}

/// `t`, registered by [`register_with`], taken through recruitment to its data lock.
fn lock(t: crate::TrialId) {
	assert_ok!(Trials::add_site(RuntimeOrigin::signed(ADMIN), t, SITE_A));
	assert_ok!(Trials::publish_consent_form(RuntimeOrigin::signed(ADMIN), t, h(40)));
	open(t);
	assert_ok!(Trials::close_recruitment(RuntimeOrigin::signed(ADMIN), t));
	assert_ok!(Trials::lock_data(RuntimeOrigin::signed(ADMIN), t, h(77)));
}

#[test]
fn m3_registering_a_trial_holds_a_deposit_until_its_results_are_published() {
	ExtBuilder.build_and_execute(|| {
		let first = register_with(None);
		assert_eq!(Deposits::<Test>::get(first), Some((ADMIN, DEPOSIT)));
		assert_eq!(held(ADMIN), DEPOSIT);
		assert_eq!(Balances::balance(&ADMIN), FUNDS - DEPOSIT);
		let second = register_with(None);
		assert_eq!(held(ADMIN), 2 * DEPOSIT);

		lock(first);
		assert_ok!(Trials::publish_results(RuntimeOrigin::signed(ADMIN), first, h(88), link(b"x")));
		assert_last_event(Event::DepositReleased { trial: first, who: ADMIN, amount: DEPOSIT });
		assert_eq!(Deposits::<Test>::get(first), None);
		assert_eq!(Deposits::<Test>::get(second), Some((ADMIN, DEPOSIT)));
		assert_eq!(held(ADMIN), DEPOSIT);
		assert_eq!(Balances::balance(&ADMIN), FUNDS - DEPOSIT);
	});
}

#[test]
fn m3_an_admin_who_cannot_pay_the_deposit_registers_nothing() {
	ExtBuilder.build_and_execute(|| {
		const POOR_ADMIN: u64 = 3;
		add_admin(POOR_ADMIN, SPONSOR);
		for funds in [0, DEPOSIT - 1] {
			Balances::set_balance(&POOR_ADMIN, funds);
			assert_noop!(
				Trials::register_trial(
					RuntimeOrigin::signed(POOR_ADMIN),
					SPONSOR,
					None,
					protocol(&[10], &[]),
					PLANNED,
					2,
					DUE_PERIOD
				),
				Error::<Test>::CannotHoldDeposit
			);
		}
		assert_eq!(crate::NextTrialId::<Test>::get(), 0);
		assert_eq!(held(POOR_ADMIN), 0);
	});
}

#[test]
fn m3_the_deposit_goes_back_to_whoever_paid_it_whoever_publishes() {
	ExtBuilder.build_and_execute(|| {
		let t = register_with(None);
		lock(t);
		// ADMIN hands the sponsor over to OTHER_ADMIN, who publishes the results.
		add_admin(OTHER_ADMIN, SPONSOR);
		remove_admin(ADMIN, SPONSOR);
		assert_ok!(Trials::publish_results(
			RuntimeOrigin::signed(OTHER_ADMIN),
			t,
			h(88),
			link(b"x")
		));
		assert_last_event(Event::DepositReleased { trial: t, who: ADMIN, amount: DEPOSIT });
		assert_eq!(held(ADMIN), 0);
		assert_eq!(Balances::balance(&ADMIN), FUNDS);
		assert_eq!(Balances::balance(&OTHER_ADMIN), FUNDS);
	});
}

#[test]
fn m3_a_terminated_trial_keeps_its_deposit_until_its_results_are_published() {
	ExtBuilder.build_and_execute(|| {
		let t = register_with(None);
		assert_ok!(Trials::terminate(RuntimeOrigin::signed(ADMIN), t, h(66)));
		assert_eq!(held(ADMIN), DEPOSIT, "termination does not end the duty to publish");
		assert_ok!(Trials::publish_results(RuntimeOrigin::signed(ADMIN), t, h(88), link(b"x")));
		assert_eq!(held(ADMIN), 0);
		assert_eq!(Deposits::<Test>::get(t), None);
	});
}
