//! Benchmarks for `pallet_free_calls`: the transaction extension's check of a call that can be
//! free, at its worst case (a call made for a patient by another account, the signer checked for
//! recovery, the patient's allowance and the block's share both counted already), and of a call
//! that never is (only the signer checked for recovery). They run as
//! unit tests too (`cargo test -p pallet-free-calls --features runtime-benchmarks`).

use super::*;
use frame_benchmarking::v2::*;
use frame_support::{traits::Contains, weights::Weight};
use medchain_primitives::DirectoryInspect;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn free_call_check() -> Result<(), BenchmarkError> {
		let patient: T::AccountId = account("patient", 0, 0);
		T::BenchmarkHelper::register_patient(&patient);
		let (signer, call) = T::BenchmarkHelper::call_for(&patient);
		// The worst case writes both counters: an earlier free call in this block.
		let weight = Weight::from_parts(1_000, 100);
		Pallet::<T>::use_free_call(&patient, weight, 100);

		#[block]
		{
			assert!(!T::Recovered::contains(&signer));
			let payer = T::Filter::free_for(&signer, &call);
			assert!(payer.as_ref().is_some_and(T::Directory::is_patient));
			assert!(Pallet::<T>::check(&patient, weight, 100).is_ok());
			Pallet::<T>::use_free_call(&patient, weight, 100);
		}

		assert_eq!(Pallet::<T>::used(&patient), 2);
		Ok(())
	}

	/// A call that is never free (a transfer, a practitioner's call): only its signer is checked
	/// for recovery.
	#[benchmark]
	fn paid_call_check() -> Result<(), BenchmarkError> {
		let signer: T::AccountId = account("signer", 0, 0);
		let call = T::BenchmarkHelper::paid_call();

		#[block]
		{
			assert!(!T::Recovered::contains(&signer));
			assert!(!T::Filter::may_be_free(&call));
		}

		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
