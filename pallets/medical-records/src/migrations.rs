//! Storage migrations of pallet-medical-records, each behind the storage version it brings.

/// Storage version 0 → 1: counts each patient's erased records into
/// [`crate::ErasedRecordCount`], which erasures keep up from then on.
pub mod v1 {
	use crate::{Config, ErasedRecordCount, Pallet, Records};
	use alloc::collections::BTreeMap;
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use polkadot_sdk::*;

	/// The counting, without the version check ([`CountErasedRecords`] adds it).
	pub struct CountErasedRecordsUnchecked<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for CountErasedRecordsUnchecked<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut read: u64 = 0;
			let mut counts: BTreeMap<T::AccountId, u32> = BTreeMap::new();
			for (_, anchor) in Records::<T>::iter() {
				read = read.saturating_add(1);
				if anchor.is_erased() {
					let count = counts.entry(anchor.subject).or_insert(0);
					*count = count.saturating_add(1);
				}
			}
			let written = u64::try_from(counts.len()).unwrap_or(u64::MAX);
			for (patient, count) in counts {
				ErasedRecordCount::<T>::insert(patient, count);
			}
			T::DbWeight::get().reads_writes(read, written)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			use codec::Encode;
			let erased = Records::<T>::iter_values().filter(|r| r.is_erased()).count();
			let erased = u64::try_from(erased).unwrap_or(u64::MAX);
			Ok(erased.encode())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			use codec::Decode;
			let before = u64::decode(&mut state.as_slice())
				.map_err(|_| sp_runtime::TryRuntimeError::Other("undecodable pre-upgrade state"))?;
			let counted = ErasedRecordCount::<T>::iter_values()
				.map(u64::from)
				.fold(0u64, u64::saturating_add);
			frame_support::ensure!(
				counted == before,
				"ErasedRecordCount does not count every erased record"
			);
			Ok(())
		}
	}

	/// Storage version 0 → 1 of pallet-medical-records (a no-op at any other version).
	pub type CountErasedRecords<T> = VersionedMigration<
		0,
		1,
		CountErasedRecordsUnchecked<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
