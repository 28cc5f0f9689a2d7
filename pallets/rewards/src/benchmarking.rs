//! Benchmarks for `pallet_rewards`: one per call, each at its worst case (a reward that adds to
//! what the patient or participant received in the period; a visit's reward to a new account; a
//! pool closed with funds to return), and the authorization of a visit's reward (its ring
//! proof's verification). They run as unit tests too (`cargo test -p pallet-rewards --features
//! runtime-benchmarks`).
//!
//! The directory must know the organisation, its practitioner and the patient, and the trials a
//! participant's anchored visit with their proof: [`Config::BenchmarkHelper`] sets them up.

use super::*;
use crate::Pallet as Rewards;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::{Inspect, Mutate};
use frame_support::{pallet_prelude::TransactionSource, traits::Authorize};
use frame_system::RawOrigin;
use sp_runtime::traits::{Saturating, Zero};

const SEED: u32 = 0;

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(event.into());
}

/// What the benchmarks work with.
struct Setup<T: Config> {
	admin: T::AccountId,
	practitioner: T::AccountId,
	patient: T::AccountId,
	organisation: OrganisationId,
}

/// A rate: the existential deposit.
fn rate<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance()
}

/// An organisation whose admin holds plenty, its practitioner and a patient.
fn setup<T: Config>() -> Setup<T> {
	let admin: T::AccountId = account("admin", 0, SEED);
	let practitioner: T::AccountId = account("practitioner", 0, SEED);
	let patient: T::AccountId = account("patient", 0, SEED);
	let organisation = T::BenchmarkHelper::setup(&admin, &practitioner, &patient).unwrap();
	T::Currency::set_balance(&admin, rate::<T>().saturating_mul(1_000u32.into()));
	Setup { admin, practitioner, patient, organisation }
}

/// [`setup`] and pool 0, paying [`rate`] for either kind up to ten a period, funded with a
/// hundred.
fn pooled<T: Config>() -> Setup<T> {
	let s = setup::<T>();
	Rewards::<T>::create_pool(
		RawOrigin::Signed(s.admin.clone()).into(),
		s.organisation,
		RewardRates { appointment: rate::<T>(), survey: rate::<T>(), visit: rate::<T>() },
		rate::<T>().saturating_mul(10u32.into()),
		1_000u32.into(),
	)
	.unwrap();
	Rewards::<T>::fund_pool(
		RawOrigin::Signed(s.admin.clone()).into(),
		0,
		rate::<T>().saturating_mul(100u32.into()),
	)
	.unwrap();
	s
}

/// The trial's sponsor's pool (the first), paying [`rate`] for a visit up to ten a period and
/// funded with a hundred, with the participant having received one visit's reward this period
/// (read and added to); the claim's setup.
fn visit_pooled<T: Config>() -> VisitSetup<T::AccountId> {
	let v = T::BenchmarkHelper::trial_visit().unwrap();
	assert_eq!(NextPoolId::<T>::get(), v.pool, "the proof is for the first pool");
	T::Currency::set_balance(&v.admin, rate::<T>().saturating_mul(1_000u32.into()));
	Rewards::<T>::create_pool(
		RawOrigin::Signed(v.admin.clone()).into(),
		v.organisation,
		RewardRates { appointment: Zero::zero(), survey: Zero::zero(), visit: rate::<T>() },
		rate::<T>().saturating_mul(10u32.into()),
		1_000u32.into(),
	)
	.unwrap();
	Rewards::<T>::fund_pool(
		RawOrigin::Signed(v.admin.clone()).into(),
		v.pool,
		rate::<T>().saturating_mul(100u32.into()),
	)
	.unwrap();
	let (_, pseudonym) = T::Trials::visit(v.trial, v.seq).unwrap();
	ParticipantEarnedIn::<T>::insert(
		v.pool,
		(v.trial, pseudonym),
		Earned { period: Zero::zero(), amount: rate::<T>() },
	);
	v
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_pool() {
		let s = setup::<T>();
		let rates =
			RewardRates { appointment: rate::<T>(), survey: rate::<T>(), visit: rate::<T>() };

		#[extrinsic_call]
		_(RawOrigin::Signed(s.admin), s.organisation, rates, rate::<T>(), 1_000u32.into());

		assert_last_event::<T>(Event::PoolCreated { pool: 0, organisation: s.organisation });
	}

	#[benchmark]
	fn fund_pool() {
		let s = pooled::<T>();
		let amount = rate::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(s.admin.clone()), 0, amount);

		assert_last_event::<T>(Event::PoolFunded { pool: 0, by: s.admin, amount });
	}

	#[benchmark]
	fn reward() {
		let s = pooled::<T>();
		// What the patient received earlier in the period is read and added to.
		Rewards::<T>::reward(
			RawOrigin::Signed(s.practitioner.clone()).into(),
			0,
			s.patient.clone(),
			RewardKind::SurveyAnswered,
			[1; 32],
		)
		.unwrap();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(s.practitioner),
			0,
			s.patient.clone(),
			RewardKind::AppointmentKept,
			[2; 32],
		);

		assert_last_event::<T>(Event::Rewarded {
			pool: 0,
			patient: s.patient,
			kind: RewardKind::AppointmentKept,
			amount: rate::<T>(),
		});
	}

	/// Worst case: the payee a new account; the participant's earnings this period added to.
	#[benchmark]
	fn reward_visit() {
		let v = visit_pooled::<T>();
		assert_eq!(T::Currency::balance(&v.payee), Zero::zero());

		#[extrinsic_call]
		_(RawOrigin::Authorized, v.pool, v.trial, v.seq, v.payee.clone(), v.ring, v.proof);

		assert_last_event::<T>(Event::VisitRewarded {
			pool: v.pool,
			trial: v.trial,
			seq: v.seq,
			payee: v.payee,
			amount: rate::<T>(),
		});
	}

	/// The checks and the ring proof's verification (constant in the ring's size).
	#[benchmark]
	fn authorize_reward_visit() -> Result<(), BenchmarkError> {
		let v = visit_pooled::<T>();
		let call = Call::<T>::reward_visit {
			pool: v.pool,
			trial: v.trial,
			seq: v.seq,
			payee: v.payee,
			ring: v.ring,
			proof: v.proof,
		};

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("reward_visit must be authorized")?
				.map_err(|_| "the visit's proof must be valid")?;
		}

		Ok(())
	}

	#[benchmark]
	fn close_pool() {
		let s = pooled::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(s.admin), 0);

		assert_last_event::<T>(Event::PoolClosed {
			pool: 0,
			returned: rate::<T>().saturating_mul(100u32.into()),
		});
	}

	impl_benchmark_test_suite!(
		Rewards,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
