//! Allocation reveal, results and termination.

use super::mock::*;
use crate::{Error, Event, PendingResults, Results, Termination, TrialStatus};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

fn admin() -> RuntimeOrigin {
	RuntimeOrigin::signed(ADMIN)
}

fn randomiser() -> RuntimeOrigin {
	RuntimeOrigin::signed(RANDOMISER)
}

/// An [`active`] trial with its data locked.
fn locked() -> crate::TrialId {
	let t = active();
	assert_ok!(Trials::lock_data(admin(), t, h(77)));
	t
}

/// A recruiting trial with Alice and Bob, recruitment closed (Active).
fn active() -> crate::TrialId {
	let t = recruiting();
	enrol(t, ALICE);
	enrol(t, BOB);
	assert_ok!(Trials::close_recruitment(admin(), t));
	t
}

#[test]
fn reveal_allocation_checks_the_seed_and_makes_arms_verifiable() {
	ExtBuilder.build_and_execute(|| {
		let t = locked();
		let (a, b) = (pseudonym(t, ALICE), pseudonym(t, BOB));
		assert_eq!(Trials::allocation(t, a), None);
		assert_noop!(
			Trials::reveal_allocation(randomiser(), t, [0; 32]),
			Error::<Test>::AllocationMismatch
		);
		assert_ok!(Trials::reveal_allocation(randomiser(), t, SEED));
		assert_last_event(Event::AllocationRevealed { trial: t, seed: SEED });
		for p in [a, b] {
			let hash = crate::hash_of(&(SEED, p));
			let expected = (u32::from_le_bytes([hash[0], hash[1], hash[2], hash[3]]) % 2) as u8;
			assert_eq!(Trials::allocation(t, p), Some(expected));
		}
		assert_eq!(Trials::allocation(t, [1; 32]), None);
		assert_eq!(Trials::allocation(9, a), None);
		assert_noop!(
			Trials::reveal_allocation(randomiser(), t, SEED),
			Error::<Test>::AllocationRevealed
		);
	});
}

/// M9: the allocation stays concealed until the data lock: before it the seed cannot be
/// revealed, and never by the sponsor; only the independent randomiser holds and reveals it.
#[test]
fn m9_allocation_revealed_only_by_the_randomiser_after_the_data_lock() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		assert_noop!(Trials::reveal_allocation(randomiser(), t, SEED), Error::<Test>::WrongStatus);
		assert_ok!(Trials::close_recruitment(admin(), t));
		// Active: recruitment closed, data not locked yet.
		assert_noop!(Trials::reveal_allocation(randomiser(), t, SEED), Error::<Test>::WrongStatus);
		assert_ok!(Trials::lock_data(admin(), t, h(77)));
		// The sponsor's admin is not the randomiser, locked or not.
		assert_noop!(Trials::reveal_allocation(admin(), t, SEED), Error::<Test>::NotRandomiser);
		assert_noop!(
			Trials::reveal_allocation(RuntimeOrigin::none(), t, SEED),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Trials::reveal_allocation(randomiser(), 7, SEED),
			Error::<Test>::TrialNotFound
		);
		assert_ok!(Trials::reveal_allocation(randomiser(), t, SEED));
	});
}

#[test]
fn reveal_allocation_on_terminated_trials() {
	ExtBuilder.build_and_execute(|| {
		// A trial terminated before recruitment never committed.
		let u = register_with(None);
		assert_ok!(Trials::terminate(admin(), u, h(66)));
		assert_noop!(Trials::reveal_allocation(randomiser(), u, SEED), Error::<Test>::NoAllocation);
		// A terminated trial that did commit can reveal, data locked or not.
		let t = recruiting();
		assert_ok!(Trials::terminate(admin(), t, h(66)));
		assert_ok!(Trials::reveal_allocation(randomiser(), t, SEED));
	});
}

#[test]
fn publish_results_completes_a_locked_trial() {
	ExtBuilder.build_and_execute(|| {
		let t = active();
		assert_noop!(
			Trials::publish_results(admin(), t, h(88), link(b"https://r/1")),
			Error::<Test>::WrongStatus
		);
		assert_ok!(Trials::lock_data(admin(), t, h(77)));
		assert_noop!(
			Trials::publish_results(RuntimeOrigin::none(), t, h(88), link(b"x")),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Trials::publish_results(admin(), 7, h(88), link(b"x")),
			Error::<Test>::TrialNotFound
		);
		assert_noop!(
			Trials::publish_results(RuntimeOrigin::signed(OTHER_ADMIN), t, h(88), link(b"x")),
			Error::<Test>::NotAuthorized
		);
		System::set_block_number(1 + DUE_PERIOD);
		assert_ok!(Trials::publish_results(admin(), t, h(88), link(b"https://r/1")));
		assert_results_published(t, h(88), false);
		assert_eq!(trial(t).status, TrialStatus::Completed);
		assert_eq!(
			trial(t).results,
			Some(Results {
				hash: h(88),
				link: link(b"https://r/1"),
				published_at: 101,
				late: false
			})
		);
		assert_eq!(PendingResults::<Test>::get(t), None);
		assert_noop!(
			Trials::publish_results(admin(), t, h(89), link(b"x")),
			Error::<Test>::ResultsPublished
		);
	});
}

#[test]
fn results_of_a_terminated_trial_are_recorded_once() {
	ExtBuilder.build_and_execute(|| {
		let t = active();
		assert_ok!(Trials::terminate(admin(), t, h(66)));
		System::set_block_number(2 + DUE_PERIOD);
		assert_ok!(Trials::publish_results(admin(), t, h(88), link(b"x")));
		assert_results_published(t, h(88), true);
		assert_eq!(trial(t).status, TrialStatus::Terminated);
		assert!(trial(t).results.is_some_and(|r| r.late));
		assert_noop!(
			Trials::publish_results(admin(), t, h(89), link(b"x")),
			Error::<Test>::ResultsPublished
		);
	});
}

#[test]
fn terminate_from_each_open_status() {
	ExtBuilder.build_and_execute(|| {
		let registered = register_with(None);
		let recruiting_trial = recruiting();
		let active_trial = {
			let t = prepared_second();
			open(t);
			assert_ok!(Trials::close_recruitment(admin(), t));
			t
		};
		let locked = {
			let t = prepared_third();
			open(t);
			assert_ok!(Trials::close_recruitment(admin(), t));
			assert_ok!(Trials::lock_data(admin(), t, h(77)));
			t
		};
		System::set_block_number(8);
		for (t, from) in [
			(registered, TrialStatus::Registered),
			(recruiting_trial, TrialStatus::Recruiting),
			(active_trial, TrialStatus::Active),
			(locked, TrialStatus::Locked),
		] {
			assert_ok!(Trials::terminate(admin(), t, h(66)));
			assert_last_event(Event::TrialTerminated { trial: t, reason: h(66), from });
			assert_eq!(trial(t).status, TrialStatus::Terminated);
			assert_eq!(trial(t).termination, Some(Termination { reason: h(66), at: 8, from }));
			assert_noop!(Trials::terminate(admin(), t, h(66)), Error::<Test>::WrongStatus);
			// Results stay due.
			assert!(PendingResults::<Test>::contains_key(t));
		}
	});
}

#[test]
fn terminate_refusals() {
	ExtBuilder.build_and_execute(|| {
		let t = active();
		assert_noop!(Trials::terminate(RuntimeOrigin::none(), t, h(66)), DispatchError::BadOrigin);
		assert_noop!(Trials::terminate(admin(), 7, h(66)), Error::<Test>::TrialNotFound);
		assert_noop!(
			Trials::terminate(RuntimeOrigin::signed(OTHER_ADMIN), t, h(66)),
			Error::<Test>::NotAuthorized
		);
		assert_ok!(Trials::lock_data(admin(), t, h(77)));
		assert_ok!(Trials::publish_results(admin(), t, h(88), link(b"x")));
		assert_noop!(Trials::terminate(admin(), t, h(66)), Error::<Test>::WrongStatus);
	});
}

/// A prepared trial with its own registry id.
fn prepared_second() -> crate::TrialId {
	prepared_with(b"NCT0002")
}

/// A prepared trial with its own registry id.
fn prepared_third() -> crate::TrialId {
	prepared_with(b"NCT0003")
}

fn prepared_with(id: &[u8]) -> crate::TrialId {
	let t = register_with(Some(id));
	assert_ok!(Trials::add_site(admin(), t, SITE_A));
	assert_ok!(Trials::publish_consent_form(admin(), t, h(40)));
	t
}
