//! Benchmarks for `pallet_rewards`: one per call, each at its worst case (a reward that adds to
//! what the patient received in the period; a pool closed with funds to return). They run as
//! unit tests too (`cargo test -p pallet-rewards --features runtime-benchmarks`).
//!
//! The directory must know the organisation, its practitioner and the patient:
//! [`Config::BenchmarkHelper`] sets them up.

use super::*;
use crate::Pallet as Rewards;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::{Inspect, Mutate};
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;

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
		RewardRates { appointment: rate::<T>(), survey: rate::<T>() },
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

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_pool() {
		let s = setup::<T>();
		let rates = RewardRates { appointment: rate::<T>(), survey: rate::<T>() };

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
