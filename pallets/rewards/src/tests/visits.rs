//! Trial visits: claimed by the participant with a ring proof, paid to the account they choose,
//! once per visit, within the cap per participant and period whatever the accounts, and every
//! way a claim is refused (by the transaction pool, and by the call itself when dispatched).

use super::mock::*;
use crate::{Error, Event, ParticipantEarnedIn, Pools, RewardRates, RewardedVisits};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;

/// The authorized origin a successful authorization gives.
fn authorized() -> RuntimeOrigin {
	frame_system::RawOrigin::Authorized.into()
}

/// `call` is refused by the pool with `error`, and, dispatched anyway (the proof's errors
/// aside: only the pool checks it), fails with `error` and changes nothing.
fn assert_refused(call: crate::Call<Test>, error: Error<Test>) {
	let proof_error = matches!(error, Error::UnknownRing | Error::RingTooSmall | Error::BadProof);
	let expected: sp_runtime::DispatchError = error.into();
	let sp_runtime::DispatchError::Module(module) = expected else { panic!("a pallet error") };
	assert_eq!(
		authorize(call.clone()),
		Err(sp_runtime::transaction_validity::InvalidTransaction::Custom(module.error[0]).into())
	);
	if proof_error {
		return;
	}
	let crate::Call::reward_visit { pool, trial, seq, payee, ring, proof } = call else {
		panic!("a visit's reward")
	};
	assert_noop!(
		Rewards::reward_visit(authorized(), pool, trial, seq, payee, ring, proof),
		expected
	);
}

#[test]
fn a_participant_is_paid_for_a_visit_to_the_account_they_choose() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		// A new account, known to nobody as the participant's.
		assert_eq!(balance(77), 0);
		submit(visit_call(0, TRIAL_A, 0, 77, &ANNA));
		assert_eq!(
			last_event(),
			Event::VisitRewarded { pool: 0, trial: TRIAL_A, seq: 0, payee: 77, amount: VISIT }
		);
		assert_eq!(balance(77), VISIT);
		assert_eq!(Rewards::pool_balance(0), POOLED - VISIT);
		let p = Pools::<Test>::get(0).unwrap();
		assert_eq!((p.rewards, p.paid), (1, VISIT));
		assert_eq!(RewardedVisits::<Test>::get(TRIAL_A, 0), Some(0));
		// What the runtime API answers.
		assert_eq!(Rewards::visit_reward(TRIAL_A, 0), Some(0));
		assert_eq!(Rewards::visit_reward(TRIAL_A, 1), None);
		assert_eq!(Rewards::participant_earned(0, TRIAL_A, ANNA, 1), Some(VISIT));
		assert_eq!(Rewards::participant_earned(0, TRIAL_A, BEN, 1), Some(0));
		assert_eq!(Rewards::participant_earned(1, TRIAL_A, ANNA, 1), None);
		// No patient account earned anything.
		assert_eq!(Rewards::earned(0, &77, 1), Some(0));
	});
}

#[test]
fn the_cap_holds_per_participant_whatever_accounts_they_are_paid_to() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		// 15 + 15 + 15 = 45 of a cap of 50, each to another account.
		submit(visit_call(0, TRIAL_A, 0, 77, &ANNA));
		submit(visit_call(0, TRIAL_A, 1, 78, &ANNA));
		submit(visit_call(0, TRIAL_A, 3, 79, &ANNA));
		assert_eq!(Rewards::participant_earned(0, TRIAL_A, ANNA, 1), Some(3 * VISIT));
		// A fourth would be 60: refused, to a new account or to one paid before.
		assert_refused(visit_call(0, TRIAL_A, 4, 80, &ANNA), Error::CapReached);
		assert_refused(visit_call(0, TRIAL_A, 4, 77, &ANNA), Error::CapReached);
		// Another participant has their own cap.
		submit(visit_call(0, TRIAL_A, 2, 81, &BEN));
		assert_eq!(balance(81), VISIT);
		// The next period starts afresh.
		run_to(PERIOD);
		assert_eq!(Rewards::participant_earned(0, TRIAL_A, ANNA, PERIOD), Some(0));
		submit(visit_call(0, TRIAL_A, 4, 80, &ANNA));
		assert_eq!(
			ParticipantEarnedIn::<Test>::get(0, (TRIAL_A, ANNA)),
			Some(crate::Earned { period: 1, amount: VISIT })
		);
	});
}

#[test]
fn a_visit_is_rewarded_once_by_any_pool() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		submit(visit_call(0, TRIAL_A, 0, 77, &ANNA));
		// Again, to another account, or from the sponsor's other pool.
		assert_refused(visit_call(0, TRIAL_A, 0, 78, &ANNA), Error::AlreadyRewarded);
		pooled();
		assert_refused(visit_call(1, TRIAL_A, 0, 77, &ANNA), Error::AlreadyRewarded);
		assert_eq!(balance(77), VISIT);
	});
}

#[test]
fn the_proof_binds_the_participant_pool_visit_and_payee() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		pooled();
		let redirect = |call: crate::Call<Test>, f: &dyn Fn(&mut crate::Call<Test>)| {
			let mut call = call;
			f(&mut call);
			call
		};
		let anna = visit_call(0, TRIAL_A, 0, 77, &ANNA);
		// Someone who saw Anna's claim in the pool sends it with their own account as payee.
		let to_mallory = redirect(anna.clone(), &|c| {
			if let crate::Call::reward_visit { payee, .. } = c {
				*payee = MALLORY;
			}
		});
		assert_refused(to_mallory, Error::BadProof);
		// Her proof for pool 0 does not claim from pool 1; for visit 0 not visit 1.
		let other_pool = redirect(anna.clone(), &|c| {
			if let crate::Call::reward_visit { pool, .. } = c {
				*pool = 1;
			}
		});
		assert_refused(other_pool, Error::BadProof);
		let other_visit = redirect(anna.clone(), &|c| {
			if let crate::Call::reward_visit { seq, .. } = c {
				*seq = 1;
			}
		});
		assert_refused(other_visit, Error::BadProof);
		// Ben cannot claim Anna's visit.
		assert_refused(visit_call(0, TRIAL_A, 0, 81, &BEN), Error::BadProof);
		// Against a ring too small to hide anyone, or one that does not exist.
		let ring = |r| {
			redirect(anna.clone(), &move |c| {
				if let crate::Call::reward_visit { ring, .. } = c {
					*ring = r;
				}
			})
		};
		assert_refused(ring(SMALL_RING), Error::RingTooSmall);
		assert_refused(ring(9), Error::UnknownRing);
		assert_eq!(balance(77) + balance(MALLORY), FUNDS);
		// Her own claim still stands.
		submit(anna);
		assert_eq!(balance(77), VISIT);
	});
}

#[test]
fn reward_visit_error_paths() {
	ExtBuilder.build_and_execute(|| {
		// No pool.
		assert_refused(visit_call(0, TRIAL_A, 0, 77, &ANNA), Error::PoolNotFound);
		pooled();
		// No such data anchor (or a batch's).
		assert_refused(visit_call(0, TRIAL_A, 9, 77, &ANNA), Error::NotAVisit);
		// A visit of a trial another organisation sponsors.
		assert_refused(visit_call(0, TRIAL_B, 0, 77, &BEN), Error::NotSponsorPool);
		// The pool's own account as payee.
		let own = Rewards::pool_account(0);
		let message = pallet_clinical_trials_runtime_api::ring_statement::visit_reward_message(
			0,
			0,
			&codec::Encode::encode(&own),
		);
		let to_pool = crate::Call::reward_visit {
			pool: 0,
			trial: TRIAL_A,
			seq: 0,
			payee: own,
			ring: RING,
			proof: mock_proof(&ANNA, &message),
		};
		assert_refused(to_pool, Error::PayeeIsPool);
		// A pool that pays nothing for visits.
		assert_ok!(Rewards::create_pool(
			RuntimeOrigin::signed(ADMIN_A),
			ORG_A,
			RewardRates { appointment: APPOINTMENT, survey: SURVEY, visit: 0 },
			CAP,
			PERIOD
		));
		assert_ok!(Rewards::fund_pool(RuntimeOrigin::signed(ADMIN_A), 1, POOLED));
		assert_refused(visit_call(1, TRIAL_A, 0, 77, &ANNA), Error::KindNotRewarded);
		// A pool holding less than the reward.
		assert_ok!(Rewards::create_pool(RuntimeOrigin::signed(ADMIN_A), ORG_A, rates(), CAP, 1));
		assert_ok!(Rewards::fund_pool(RuntimeOrigin::signed(ADMIN_A), 2, VISIT - 1));
		assert_refused(visit_call(2, TRIAL_A, 0, 77, &ANNA), Error::InsufficientFunds);
		// A closed pool.
		assert_ok!(Rewards::close_pool(RuntimeOrigin::signed(ADMIN_A), 0));
		assert_refused(visit_call(0, TRIAL_A, 0, 77, &ANNA), Error::PoolClosed);
		// A pool whose count of rewards would overflow: only the call finds it.
		pooled();
		Pools::<Test>::mutate(3, |p| p.as_mut().unwrap().rewards = u32::MAX);
		let crate::Call::reward_visit { pool, trial, seq, payee, ring, proof } =
			visit_call(3, TRIAL_A, 0, 77, &ANNA)
		else {
			unreachable!()
		};
		assert_noop!(
			Rewards::reward_visit(authorized(), pool, trial, seq, payee, ring, proof),
			Error::<Test>::Overflow
		);
		Pools::<Test>::mutate(3, |p| p.as_mut().unwrap().rewards = 0);
	});
}

#[test]
fn only_the_authorized_origin_dispatches_a_visit_reward() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		let crate::Call::reward_visit { pool, trial, seq, payee, ring, proof } =
			visit_call(0, TRIAL_A, 0, 77, &ANNA)
		else {
			unreachable!()
		};
		for origin in [RuntimeOrigin::signed(ALICE), RuntimeOrigin::root(), RuntimeOrigin::none()] {
			assert_noop!(
				Rewards::reward_visit(origin, pool, trial, seq, payee, ring, proof),
				sp_runtime::DispatchError::BadOrigin
			);
		}
	});
}
