//! The pallet's invariants over its storage (`try_state`): checked by the `try_state` hook
//! under try-runtime and after every unit test.

use super::*;

impl<T: Config> Pallet<T> {
	/// Checks every invariant that spans the pallet's storage items; an `Err` names the first
	/// one broken. Run by the `try_state` hook and after every unit test.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_records()?;
		Self::try_state_orphans()?;
		Self::try_state_patient_index()?;
		Self::try_state_grant_keys()?;
		Self::try_state_batches()?;
		Ok(())
	}

	/// Each batch: id below `NextBatchId`, leaves within bounds, indexed by its root; and
	/// the root index names only batches with that root.
	fn try_state_batches() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::{ensure, traits::Get};
		let next = NextBatchId::<T>::get();
		let mut count: u64 = 0;
		for (id, batch) in Batches::<T>::iter() {
			ensure!(id < next, "a batch id is not below NextBatchId");
			ensure!(
				batch.leaves >= 1 && batch.leaves <= T::MaxBatchLeaves::get(),
				"a batch's leaf count is out of range"
			);
			ensure!(
				BatchByRoot::<T>::get(batch.root) == Some(id),
				"a batch is missing from the root index"
			);
			count = count.saturating_add(1);
		}
		let indexed = BatchByRoot::<T>::iter().fold(0u64, |n, _| n.saturating_add(1));
		ensure!(indexed == count, "the root index names a batch that does not exist");
		Ok(())
	}

	/// Each record: id below `NextRecordId`, indexed for its patient, a complete version chain
	/// mirrored by the ciphertext index, and wrapped keys matching its state and count.
	fn try_state_records() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::{ensure, traits::Get};
		let next = NextRecordId::<T>::get();
		let mut count: u64 = 0;
		for (id, anchor) in Records::<T>::iter() {
			ensure!(id < next, "a record id is not below NextRecordId");
			ensure!(
				PatientRecords::<T>::contains_key(&anchor.subject, id),
				"a record is missing from its patient's index"
			);
			ensure!(
				anchor.current_version >= 1 && anchor.current_version <= T::MaxVersions::get(),
				"a record's current version is out of range"
			);
			if anchor.custodian.is_none() {
				ensure!(
					anchor.author == anchor.subject,
					"a self-reported record has another author"
				);
			}
			Self::try_state_versions(id, &anchor)?;

			let keys = WrappedKeys::<T>::iter_prefix(id).count();
			ensure!(
				u32::try_from(keys).ok() == Some(anchor.grantees),
				"a record's grantee count differs from its wrapped keys"
			);
			ensure!(anchor.grantees <= T::MaxGrantees::get(), "a record has too many grantees");
			match &anchor.state {
				RecordState::Erased { .. } => {
					ensure!(keys == 0, "an erased record holds a wrapped key");
				},
				RecordState::Active { .. } => {
					ensure!(
						WrappedKeys::<T>::contains_key(id, &anchor.subject),
						"a record lacks the patient's wrapped key"
					);
				},
			}
			count = count.saturating_add(1);
		}
		ensure!(count == next, "the records are not exactly the ids below NextRecordId");
		Ok(())
	}

	/// Versions `1..=current` exist, each superseding the previous (the first none), in
	/// block order, with non-zero commitments indexed by ciphertext hash; CIDs present exactly
	/// while the record is active; version 1 is the record's author and creation.
	fn try_state_versions(
		id: RecordId,
		anchor: &RecordOf<T>,
	) -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let erased = anchor.is_erased();
		let mut previous_at = anchor.created_at;
		for version in 1..=anchor.current_version {
			let info = Versions::<T>::get(id, version).ok_or("a version of a record is missing")?;
			let expected = version.checked_sub(1).filter(|v| *v > 0);
			ensure!(info.supersedes == expected, "a version does not supersede the previous one");
			ensure!(
				info.ciphertext_hash != [0u8; 32] && info.plaintext_commitment != [0u8; 32],
				"a version has an empty commitment"
			);
			ensure!(
				VersionByCiphertext::<T>::get(id, info.ciphertext_hash) == Some(version),
				"a version is missing from the ciphertext index"
			);
			if erased {
				ensure!(info.cid.is_none(), "a version of an erased record keeps its CID");
			} else {
				ensure!(
					info.cid.as_ref().is_some_and(|cid| !cid.is_empty()),
					"a version of an active record has no CID"
				);
			}
			if version == 1 {
				ensure!(
					info.author == anchor.author && info.created_at == anchor.created_at,
					"version 1 differs from the record's author or creation"
				);
			}
			ensure!(info.created_at >= previous_at, "a version is older than the one it amends");
			previous_at = info.created_at;
		}
		let stored = Versions::<T>::iter_prefix(id).count();
		ensure!(
			u32::try_from(stored).ok() == Some(anchor.current_version),
			"a record has versions beyond its current one"
		);
		Ok(())
	}

	/// No version, ciphertext index entry or wrapped key without its record.
	fn try_state_orphans() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		for (id, version, _) in Versions::<T>::iter() {
			ensure!(
				Records::<T>::get(id).is_some_and(|r| version >= 1 && version <= r.current_version),
				"a version exists without its record or beyond its current version"
			);
		}
		for (id, hash, version) in VersionByCiphertext::<T>::iter() {
			ensure!(
				Versions::<T>::get(id, version).is_some_and(|info| info.ciphertext_hash == hash),
				"a ciphertext index entry points to a version with another hash"
			);
		}
		for (id, _, key) in WrappedKeys::<T>::iter() {
			ensure!(Records::<T>::contains_key(id), "a wrapped key exists without its record");
			ensure!(!key.is_empty(), "an empty wrapped key is stored");
		}
		for id in StaleKeys::<T>::iter_keys() {
			ensure!(
				Records::<T>::get(id).is_some_and(|r| !r.is_erased()),
				"a stale-key mark exists without its active record"
			);
		}
		for (id, version, key) in KeyChain::<T>::iter() {
			ensure!(
				Records::<T>::get(id)
					.is_some_and(|r| !r.is_erased() && version >= 2 && version <= r.current_version),
				"a key-chain link exists without its version of an active record"
			);
			ensure!(!key.is_empty(), "an empty key-chain link is stored");
		}
		Ok(())
	}

	/// `PatientRecords` entries point to records of that patient; `PatientRecordCount` counts
	/// them and `ErasedRecordCount` the erased ones (each absent for none).
	fn try_state_patient_index() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::ensure;
		let mut tally: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut erased: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (patient, id, ()) in PatientRecords::<T>::iter() {
			let anchor = Records::<T>::get(id).filter(|r| r.subject == patient);
			ensure!(anchor.is_some(), "a PatientRecords entry has no matching record");
			if anchor.is_some_and(|r| r.is_erased()) {
				let entry = erased.entry(patient.clone()).or_insert(0);
				*entry = entry.saturating_add(1);
			}
			let entry = tally.entry(patient).or_insert(0);
			*entry = entry.saturating_add(1);
		}
		ensure_counted(
			&tally,
			PatientRecordCount::<T>::iter(),
			"a PatientRecordCount differs from the patient's index entries",
			"a patient's index entries are not counted",
		)?;
		ensure_counted(
			&erased,
			ErasedRecordCount::<T>::iter(),
			"an ErasedRecordCount differs from the patient's erased records",
			"a patient's erased records are not counted",
		)
	}

	/// `KeyGrant` names the grant of existing wrapped keys only (never the patient's);
	/// `GrantKeys` mirrors it exactly; `GrantKeyCount` counts each grant's entries, at most
	/// `MaxKeysPerGrant`, and is absent for none.
	fn try_state_grant_keys() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::{ensure, traits::Get};
		let mut tally: BTreeMap<GrantId, u32> = BTreeMap::new();
		for (record, holder, grant) in KeyGrant::<T>::iter() {
			ensure!(
				WrappedKeys::<T>::contains_key(record, &holder),
				"a key's grant is remembered for a key that does not exist"
			);
			ensure!(
				Records::<T>::get(record).is_some_and(|r| r.subject != holder),
				"the patient's own key is remembered as delivered by a grant"
			);
			ensure!(
				GrantKeys::<T>::contains_key(grant, (record, holder)),
				"a key's grant does not list the key"
			);
			let entry = tally.entry(grant).or_insert(0);
			*entry = entry.saturating_add(1);
		}
		for (grant, (record, holder), ()) in GrantKeys::<T>::iter() {
			ensure!(
				KeyGrant::<T>::get(record, &holder) == Some(grant),
				"a grant lists a key it did not deliver"
			);
		}
		ensure_counted(
			&tally,
			GrantKeyCount::<T>::iter(),
			"a grant's key count differs from the keys it delivered",
			"a grant's delivered keys are not counted",
		)?;
		ensure!(
			tally.values().all(|count| *count <= T::MaxKeysPerGrant::get()),
			"a grant delivered too many keys"
		);
		Ok(())
	}
}

/// A stored count per key (`stored`) is exactly the `tally` of entries: each stored count equals
/// the key's tally (`differs` otherwise), and every tallied key has one (`uncounted` otherwise).
fn ensure_counted<K: Ord>(
	tally: &alloc::collections::BTreeMap<K, u32>,
	stored: impl Iterator<Item = (K, u32)>,
	differs: &'static str,
	uncounted: &'static str,
) -> Result<(), sp_runtime::TryRuntimeError> {
	let mut counted: usize = 0;
	for (key, count) in stored {
		frame_support::ensure!(tally.get(&key) == Some(&count), differs);
		counted = counted.saturating_add(1);
	}
	// Every stored key is tallied, so as many stored keys as tallied ones means all are stored.
	frame_support::ensure!(counted == tally.len(), uncounted);
	Ok(())
}
