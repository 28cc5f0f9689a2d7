//! Storage migrations of pallet-consent, each behind the storage version it brings.

/// Storage version 0 → 1: builds the decision index ([`crate::GrantIndex`] and
/// [`crate::GrantClasses`]) from the grants in each patient's list, which grants keep up from
/// then on.
pub mod v1 {
	use crate::{
		Config, EndReason, GrantClasses, GrantClassesOf, GrantIndex, Grants, IndexedGrant,
		InlineList, Pallet,
	};
	use frame_support::{
		migrations::VersionedMigration,
		traits::{Get, UncheckedOnRuntimeUpgrade},
		weights::Weight,
	};
	use polkadot_sdk::*;

	/// The indexing, without the version check ([`IndexGrants`] adds it).
	pub struct IndexGrantsUnchecked<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for IndexGrantsUnchecked<T> {
		fn on_runtime_upgrade() -> Weight {
			let now = frame_system::Pallet::<T>::block_number();
			let (mut reads, mut writes) = (0u64, 0u64);
			for (patient, grants) in Grants::<T>::iter() {
				reads = reads.saturating_add(1);
				for grant in grants.iter() {
					let provision = &grant.provision;
					reads = reads.saturating_add(provision.records.len() as u64);
					// Records named before grants were checked and not the patient's (or no
					// longer there) are left out: no question about them can arise.
					let scopes =
						Pallet::<T>::index_scopes(&patient, provision, true).unwrap_or_default();
					let ended_at = grant
						.ended
						.filter(|ending| ending.reason == EndReason::Revoked)
						.map(|ending| ending.at);
					let classes = GrantClassesOf::<T>::truncate_from(
						scopes.iter().map(|(class, _, _)| *class).collect(),
					);
					for (class, whole_class, records) in scopes {
						let entry = IndexedGrant {
							id: grant.id,
							effect: provision.effect,
							actions: InlineList::truncate_from(&provision.actions),
							purposes: InlineList::truncate_from(&provision.purposes),
							valid_from: grant.valid_from,
							valid_until: grant.valid_until,
							ended_at,
							whole_class,
							records: InlineList::truncate_from(&records),
						};
						reads = reads.saturating_add(1);
						// More grants to one grantee about one class than the bound allows still
						// in force: the grant stays out of this list, try_state names it, and
						// the patient revokes one of them.
						if let Some(list) =
							Pallet::<T>::with_entry(&patient, &grant.grantee, class, entry, now)
						{
							GrantIndex::<T>::insert((&patient, &grant.grantee, class), list);
							writes = writes.saturating_add(1);
						}
					}
					GrantClasses::<T>::insert(grant.id, classes);
					writes = writes.saturating_add(1);
				}
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
			frame_support::ensure!(
				GrantIndex::<T>::iter_keys().next().is_none(),
				"the decision index exists before its migration"
			);
			Ok(alloc::vec::Vec::new())
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			Pallet::<T>::do_try_state()
		}
	}

	/// Storage version 0 → 1 of pallet-consent (a no-op at any other version).
	pub type IndexGrants<T> = VersionedMigration<
		0,
		1,
		IndexGrantsUnchecked<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
