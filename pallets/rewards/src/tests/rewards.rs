//! Rewards: paid once per attestation, within the cap per patient and period, and every way
//! one is refused.

use super::mock::*;
use crate::{Attested, Earned, EarnedIn, Error, Event, Pools, RewardKind, RewardRates};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;

fn reward(who: u64, patient: u64, kind: RewardKind, n: u8) -> sp_runtime::DispatchResult {
	Rewards::reward(RuntimeOrigin::signed(who), 0, patient, kind, attestation(n))
}

#[test]
fn a_practitioner_attests_and_the_patient_is_paid_at_once() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		// Alice's account holds nothing before (a patient registers without funds).
		assert_eq!(balance(ALICE), 0);
		assert_ok!(reward(DOC, ALICE, RewardKind::AppointmentKept, 1));
		assert_eq!(
			last_event(),
			Event::Rewarded {
				pool: 0,
				patient: ALICE,
				kind: RewardKind::AppointmentKept,
				amount: APPOINTMENT
			}
		);
		// Any active practitioner of the organisation attests; a survey pays its own rate.
		assert_ok!(reward(NURSE, ALICE, RewardKind::SurveyAnswered, 2));
		assert_eq!(balance(ALICE), APPOINTMENT + SURVEY);
		assert_eq!(Rewards::pool_balance(0), POOLED - APPOINTMENT - SURVEY);
		let p = Pools::<Test>::get(0).unwrap();
		assert_eq!((p.rewards, p.paid), (2, APPOINTMENT + SURVEY));
		assert!(Attested::<Test>::contains_key(0, attestation(1)));
		assert_eq!(Rewards::earned(0, &ALICE, 1), Some(APPOINTMENT + SURVEY));
		assert_eq!(Rewards::earned(0, &BOB, 1), Some(0));
		assert_eq!(Rewards::earned(1, &ALICE, 1), None);
	});
}

#[test]
fn the_cap_holds_per_patient_and_period() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		// 20 + 20 + 10 = 50, the cap: a fourth reward is above it.
		kept(ALICE, 1);
		kept(ALICE, 2);
		assert_ok!(reward(DOC, ALICE, RewardKind::SurveyAnswered, 3));
		assert_eq!(Rewards::earned(0, &ALICE, 1), Some(CAP));
		assert_noop!(reward(DOC, ALICE, RewardKind::SurveyAnswered, 4), Error::<Test>::CapReached);
		// Another patient has their own cap.
		kept(BOB, 5);
		assert_eq!(balance(BOB), APPOINTMENT);
		// Block 99 is still period 0; block 100 starts period 1, afresh.
		run_to(PERIOD - 1);
		assert_noop!(reward(DOC, ALICE, RewardKind::SurveyAnswered, 4), Error::<Test>::CapReached);
		run_to(PERIOD);
		assert_eq!(Rewards::earned(0, &ALICE, PERIOD), Some(0));
		assert_ok!(reward(DOC, ALICE, RewardKind::SurveyAnswered, 4));
		assert_eq!(EarnedIn::<Test>::get(0, ALICE), Some(Earned { period: 1, amount: SURVEY }));
		assert_eq!(balance(ALICE), CAP + SURVEY);
		// What she received in period 0 no longer counts in period 1.
		assert_eq!(Rewards::earned(0, &ALICE, 1), Some(0));
	});
}

#[test]
fn a_reward_above_the_cap_is_refused_even_when_the_cap_is_not_yet_reached() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		kept(ALICE, 1);
		kept(ALICE, 2);
		// 40 received: a survey (10) fits, another appointment (20) would be 60 > 50.
		assert_noop!(reward(DOC, ALICE, RewardKind::AppointmentKept, 3), Error::<Test>::CapReached);
		assert_ok!(reward(DOC, ALICE, RewardKind::SurveyAnswered, 3));
	});
}

#[test]
fn reward_error_paths() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		let kind = RewardKind::AppointmentKept;
		assert_noop!(
			Rewards::reward(RuntimeOrigin::signed(DOC), 1, ALICE, kind, attestation(1)),
			Error::<Test>::PoolNotFound
		);
		// Another organisation's practitioner, the pool's admin (not a practitioner), an
		// inactive practitioner, an outsider.
		assert_noop!(reward(DOC_B, ALICE, kind, 1), Error::<Test>::NotPoolPractitioner);
		assert_noop!(reward(ADMIN_A, ALICE, kind, 1), Error::<Test>::NotPoolPractitioner);
		assert_noop!(reward(MALLORY, ALICE, kind, 1), Error::<Test>::NotPoolPractitioner);
		medchain_test_utils::directory::set_inactive(NURSE);
		assert_noop!(reward(NURSE, ALICE, kind, 1), Error::<Test>::NotPoolPractitioner);
		// Someone who is not a registered patient.
		assert_noop!(reward(DOC, MALLORY, kind, 1), Error::<Test>::NotAPatient);
		// The same attestation twice, even for another patient.
		kept(ALICE, 1);
		assert_noop!(reward(DOC, BOB, kind, 1), Error::<Test>::AlreadyRewarded);
		// A pool that does not reward surveys.
		assert_ok!(Rewards::create_pool(
			RuntimeOrigin::signed(ADMIN_A),
			ORG_A,
			RewardRates { appointment: APPOINTMENT, survey: 0, visit: VISIT },
			CAP,
			PERIOD
		));
		assert_noop!(
			Rewards::reward(
				RuntimeOrigin::signed(DOC),
				1,
				ALICE,
				RewardKind::SurveyAnswered,
				attestation(9)
			),
			Error::<Test>::KindNotRewarded
		);
		// A pool that does not hold the reward (pool 1 holds 15 < 20).
		assert_ok!(Rewards::fund_pool(RuntimeOrigin::signed(ADMIN_A), 1, 15));
		assert_noop!(
			Rewards::reward(RuntimeOrigin::signed(DOC), 1, ALICE, kind, attestation(9)),
			Error::<Test>::InsufficientFunds
		);
		// Counters at their limit.
		Pools::<Test>::mutate(0, |p| p.as_mut().unwrap().rewards = u32::MAX);
		assert_noop!(reward(DOC, BOB, kind, 2), Error::<Test>::Overflow);
		Pools::<Test>::mutate(0, |p| p.as_mut().unwrap().rewards = 1);
	});
}

#[test]
fn a_pool_pays_until_it_is_empty() {
	ExtBuilder.build_and_execute(|| {
		pooled();
		// Ten appointments of ten patients would be 200: the pool holds exactly that.
		for n in 0..10u64 {
			let patient = 1_000 + n;
			medchain_test_utils::directory::register_patient(patient);
			kept(patient, n as u8 + 1);
		}
		assert_eq!(Rewards::pool_balance(0), 0);
		assert_noop!(
			reward(DOC, ALICE, RewardKind::AppointmentKept, 50),
			Error::<Test>::InsufficientFunds
		);
		assert_eq!(Pools::<Test>::get(0).unwrap().paid, POOLED);
	});
}
