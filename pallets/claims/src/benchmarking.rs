//! Benchmarks for `pallet_claims`: one per call, each at its worst case (a claim naming the most
//! records, each checked against the member and the provider; a final decision that closes the
//! claim). They run as unit tests too (`cargo test -p pallet-claims --features
//! runtime-benchmarks`).
//!
//! The directory and the records pallet must know the payer, the provider, the member and the
//! records: [`Config::BenchmarkHelper`] sets them up.

use super::*;
use crate::Pallet as Claims;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		Get,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::traits::Saturating;

const SEED: u32 = 0;

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(event.into());
}

/// What the benchmarks work with.
struct Setup<T: Config> {
	payer_admin: T::AccountId,
	officer: T::AccountId,
	practitioner: T::AccountId,
	member: T::AccountId,
	payer: OrganisationId,
	provider: OrganisationId,
	records: alloc::vec::Vec<RecordId>,
}

/// An amount that covers the escrow floor of every claim a benchmark makes, many times.
fn plenty<T: Config>() -> BalanceOf<T> {
	T::EscrowPerClaim::get()
		.saturating_add(T::Currency::minimum_balance())
		.saturating_mul(1_000u32.into())
}

/// `who` holds twice [`plenty`].
fn endow<T: Config>(who: &T::AccountId) {
	T::Currency::set_balance(who, plenty::<T>().saturating_mul(2u32.into()));
}

/// A payer with [`plenty`] in its escrow, a provider holding `records` records about a member,
/// and coverage 0 of that member, accepted.
fn covered<T: Config>(records: u32) -> Setup<T> {
	let payer_admin: T::AccountId = account("payer-admin", 0, SEED);
	let officer: T::AccountId = account("officer", 0, SEED);
	let admin: T::AccountId = account("provider-admin", 0, SEED);
	let practitioner: T::AccountId = account("practitioner", 0, SEED);
	let member: T::AccountId = account("member", 0, SEED);
	let payer = T::BenchmarkHelper::setup_payer(&payer_admin, &officer).unwrap();
	endow::<T>(&payer_admin);
	Claims::<T>::fund_escrow(RawOrigin::Signed(payer_admin.clone()).into(), payer, plenty::<T>())
		.unwrap();
	let (provider, records) =
		T::BenchmarkHelper::setup_provider(&admin, &practitioner, &member, records).unwrap();
	let now = frame_system::Pallet::<T>::block_number();
	Claims::<T>::offer_coverage(
		RawOrigin::Signed(payer_admin.clone()).into(),
		payer,
		member.clone(),
		[1; 32],
		now,
		now.saturating_add(1_000u32.into()),
	)
	.unwrap();
	Claims::<T>::accept_coverage(RawOrigin::Signed(member.clone()).into(), 0).unwrap();
	Setup { payer_admin, officer, practitioner, member, payer, provider, records }
}

/// [`covered`] and claim 0 naming one record.
fn claimed<T: Config>() -> Setup<T> {
	let setup = covered::<T>(1);
	Claims::<T>::submit_claim(
		RawOrigin::Signed(setup.practitioner.clone()).into(),
		0,
		BoundedVec::truncate_from(setup.records.clone()),
		[2; 32],
	)
	.unwrap();
	setup
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn offer_coverage() {
		let payer_admin: T::AccountId = account("payer-admin", 0, SEED);
		let officer: T::AccountId = account("officer", 0, SEED);
		let member: T::AccountId = account("member", 0, SEED);
		let payer = T::BenchmarkHelper::setup_payer(&payer_admin, &officer).unwrap();
		T::BenchmarkHelper::setup_provider(
			&account("a", 0, SEED),
			&account("p", 0, SEED),
			&member,
			0,
		)
		.unwrap();
		// A term from now on (the node's benchmark may move to block 1 before the call).
		let now = frame_system::Pallet::<T>::block_number();
		let until = now.saturating_add(1_000u32.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(payer_admin), payer, member.clone(), [1; 32], now, until);

		assert_last_event::<T>(Event::CoverageOffered { coverage: 0, payer, member });
	}

	#[benchmark]
	fn accept_coverage() {
		let payer_admin: T::AccountId = account("payer-admin", 0, SEED);
		let officer: T::AccountId = account("officer", 0, SEED);
		let member: T::AccountId = account("member", 0, SEED);
		let payer = T::BenchmarkHelper::setup_payer(&payer_admin, &officer).unwrap();
		T::BenchmarkHelper::setup_provider(
			&account("a", 0, SEED),
			&account("p", 0, SEED),
			&member,
			0,
		)
		.unwrap();
		let now = frame_system::Pallet::<T>::block_number();
		Claims::<T>::offer_coverage(
			RawOrigin::Signed(payer_admin).into(),
			payer,
			member.clone(),
			[1; 32],
			now,
			now,
		)
		.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(member), 0);

		assert_last_event::<T>(Event::CoverageAccepted { coverage: 0 });
	}

	/// By the payer's admin (the member is compared first).
	#[benchmark]
	fn end_coverage() {
		let setup = covered::<T>(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.payer_admin.clone()), 0);

		assert_last_event::<T>(Event::CoverageEnded { coverage: 0, by: setup.payer_admin });
	}

	#[benchmark]
	fn submit_claim(r: Linear<1, { T::MaxRecordsPerClaim::get() }>) {
		let setup = covered::<T>(r);
		let records = BoundedVec::truncate_from(setup.records.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.practitioner), 0, records, [2; 32]);

		assert_eq!(crate::Coverages::<T>::get(0).unwrap().open_claims, 1);
		assert!(crate::Claims::<T>::contains_key(0));
	}

	/// The worst case: a denial after a dispute, which closes the claim and frees its
	/// escrow floor.
	#[benchmark]
	fn decide_claim() {
		let setup = claimed::<T>();
		let denied = Decision::Denied(DenialReason::MissingInformation);
		Claims::<T>::decide_claim(
			RawOrigin::Signed(setup.officer.clone()).into(),
			0,
			Decision::Partial,
			[3; 32],
		)
		.unwrap();
		Claims::<T>::dispute_claim(RawOrigin::Signed(setup.member).into(), 0, [4; 32]).unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.officer), 0, denied, [5; 32]);

		assert_last_event::<T>(Event::ClaimClosed { claim: 0, decision: denied });
		assert_eq!(crate::Liabilities::<T>::get(setup.payer), 0);
	}

	/// The worst case: the second side's acceptance of a denial, which makes it final and
	/// frees the claim's escrow floor.
	#[benchmark]
	fn accept_decision() {
		let setup = claimed::<T>();
		let denied = Decision::Denied(DenialReason::NotCovered);
		Claims::<T>::decide_claim(RawOrigin::Signed(setup.officer).into(), 0, denied, [3; 32])
			.unwrap();
		Claims::<T>::accept_decision(RawOrigin::Signed(setup.practitioner).into(), 0).unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.member), 0);

		assert_last_event::<T>(Event::ClaimClosed { claim: 0, decision: denied });
		assert_eq!(crate::Liabilities::<T>::get(setup.payer), 0);
	}

	/// The worst case: the provider disputing (the member is compared first).
	#[benchmark]
	fn dispute_claim() {
		let setup = claimed::<T>();
		Claims::<T>::decide_claim(
			RawOrigin::Signed(setup.officer).into(),
			0,
			Decision::Approved,
			[3; 32],
		)
		.unwrap();

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.practitioner), 0, [4; 32]);

		assert_last_event::<T>(Event::ClaimDisputed { claim: 0, by: Disputant::Provider });
	}

	#[benchmark]
	fn withdraw_claim() {
		let setup = claimed::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.practitioner), 0);

		assert_last_event::<T>(Event::ClaimWithdrawn { claim: 0 });
	}

	/// The worst case: a denial, which frees the claim's escrow floor.
	#[benchmark]
	fn close_claim() {
		let setup = claimed::<T>();
		let denied = Decision::Denied(DenialReason::NotCovered);
		Claims::<T>::decide_claim(RawOrigin::Signed(setup.officer).into(), 0, denied, [3; 32])
			.unwrap();
		let after: BlockNumberFor<T> = frame_system::Pallet::<T>::block_number()
			.saturating_add(T::DisputeWindow::get())
			.saturating_add(1u32.into());
		frame_system::Pallet::<T>::set_block_number(after);

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.member), 0);

		assert_last_event::<T>(Event::ClaimClosed { claim: 0, decision: denied });
		assert_eq!(crate::Liabilities::<T>::get(setup.payer), 0);
	}

	#[benchmark]
	fn fund_escrow() {
		let payer_admin: T::AccountId = account("payer-admin", 0, SEED);
		let officer: T::AccountId = account("officer", 0, SEED);
		let payer = T::BenchmarkHelper::setup_payer(&payer_admin, &officer).unwrap();
		endow::<T>(&payer_admin);
		let amount = plenty::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(payer_admin.clone()), payer, amount);

		assert_last_event::<T>(Event::EscrowFunded { payer, by: payer_admin, amount });
	}

	/// With a claim open: its floor is checked.
	#[benchmark]
	fn withdraw_escrow() {
		let setup = claimed::<T>();
		let amount = T::EscrowPerClaim::get().saturating_add(T::Currency::minimum_balance());

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.payer_admin), setup.payer, amount);

		assert_last_event::<T>(Event::EscrowWithdrawn { payer: setup.payer, amount });
	}

	/// `c` final approved claims paid at once.
	#[benchmark]
	fn settle_claims(c: Linear<1, { T::MaxClaimsPerSettlement::get() }>) {
		let setup = covered::<T>(1);
		let records: RecordsOf<T> = BoundedVec::truncate_from(setup.records.clone());
		for claim in 0..u64::from(c) {
			// Each closed before the next opens (a dispute and a second decision): consent
			// bounds the grants to one payer open at once.
			Claims::<T>::submit_claim(
				RawOrigin::Signed(setup.practitioner.clone()).into(),
				0,
				records.clone(),
				[2; 32],
			)
			.unwrap();
			for step in 0..2 {
				Claims::<T>::decide_claim(
					RawOrigin::Signed(setup.officer.clone()).into(),
					claim,
					Decision::Approved,
					[3; 32],
				)
				.unwrap();
				if step == 0 {
					Claims::<T>::dispute_claim(
						RawOrigin::Signed(setup.member.clone()).into(),
						claim,
						[4; 32],
					)
					.unwrap();
				}
			}
		}
		let claims: SettledClaimsOf<T> = BoundedVec::truncate_from((0..u64::from(c)).collect());
		let total = T::EscrowPerClaim::get().saturating_add(T::Currency::minimum_balance());

		#[extrinsic_call]
		_(RawOrigin::Signed(setup.officer), setup.provider, claims, total, [6; 32]);

		assert_last_event::<T>(Event::ClaimsSettled {
			settlement: 0,
			payer: setup.payer,
			provider: setup.provider,
			claims: c,
			total,
		});
	}

	impl_benchmark_test_suite!(
		Claims,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
