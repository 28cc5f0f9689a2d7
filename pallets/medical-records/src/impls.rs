//! What the pallet offers other code: the queries behind its runtime API and its
//! implementations of the traits other pallets use it through (`medchain_primitives`).

use super::*;
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// What the chain knows of `ciphertext_hash` as a version of `record`: the current
	/// version, a superseded one, a version of an erased record, or unknown (no such
	/// record, or none of its versions).
	pub fn integrity(record: RecordId, ciphertext_hash: Commitment) -> IntegrityStatus {
		let Some(anchor) = Records::<T>::get(record) else {
			return IntegrityStatus::Unknown;
		};
		let Some(version) = VersionByCiphertext::<T>::get(record, ciphertext_hash) else {
			return IntegrityStatus::Unknown;
		};
		if anchor.is_erased() {
			IntegrityStatus::Erased
		} else if version == anchor.current_version {
			IntegrityStatus::Current { version }
		} else {
			IntegrityStatus::Superseded { version, current: anchor.current_version }
		}
	}

	/// Up to `limit` (at most [`Config::MaxPageSize`]) of `patient`'s records, erased ones
	/// included, in a stable storage order (not by id). Pass the last id of a page as
	/// `start_after` to get the next one; an empty page means there are no more.
	pub fn records_of(
		patient: &T::AccountId,
		start_after: Option<RecordId>,
		limit: u32,
	) -> Vec<RecordSummaryOf<T>> {
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let ids = match start_after {
			Some(after) => PatientRecords::<T>::iter_key_prefix_from(
				patient,
				PatientRecords::<T>::hashed_key_for(patient, after),
			),
			None => PatientRecords::<T>::iter_key_prefix(patient),
		};
		ids.take(limit)
			.filter_map(|id| Records::<T>::get(id).map(|anchor| Self::summary(id, anchor)))
			.collect()
	}

	/// Every version of `record`, first to current (empty if there is no such record).
	pub fn versions_of(record: RecordId) -> Vec<VersionSummaryOf<T>> {
		let Some(anchor) = Records::<T>::get(record) else {
			return Vec::new();
		};
		(1..=anchor.current_version)
			.filter_map(|version| {
				Versions::<T>::get(record, version).map(|info| VersionSummary {
					version,
					supersedes: info.supersedes,
					ciphertext_hash: info.ciphertext_hash,
					plaintext_commitment: info.plaintext_commitment,
					cid: info.cid.map(BoundedVec::into_inner),
					author: info.author,
					created_at: info.created_at,
				})
			})
			.collect()
	}

	/// Record `record` as the runtime API describes it; `None` if there is no such record.
	pub fn record(record: RecordId) -> Option<RecordSummaryOf<T>> {
		Records::<T>::get(record).map(|anchor| Self::summary(record, anchor))
	}

	/// The data key of `record` wrapped for `holder`, if the chain holds one.
	pub fn wrapped_key(record: RecordId, holder: &T::AccountId) -> Option<Vec<u8>> {
		WrappedKeys::<T>::get(record, holder).map(BoundedVec::into_inner)
	}

	/// The accounts holding a wrapped data key of `record` and whether its next amendment
	/// must change the data key; `None` if there is no such record. At most
	/// [`Config::MaxGrantees`] holders.
	pub fn key_holders(record: RecordId) -> Option<(Vec<T::AccountId>, bool)> {
		Records::<T>::contains_key(record).then(|| {
			let holders = WrappedKeys::<T>::iter_key_prefix(record).collect();
			(holders, StaleKeys::<T>::contains_key(record))
		})
	}

	/// A stored record as the runtime API lists it.
	fn summary(record: RecordId, anchor: RecordOf<T>) -> RecordSummaryOf<T> {
		let updated_at = Versions::<T>::get(record, anchor.current_version)
			.map_or(anchor.created_at, |info| info.created_at);
		let state = anchor.state;
		RecordSummary {
			record,
			subject: anchor.subject,
			custodian: anchor.custodian,
			author: anchor.author,
			created_at: anchor.created_at,
			current_version: anchor.current_version,
			updated_at,
			grantees: anchor.grantees,
			state,
		}
	}
}

/// The question pallet-consent asks: whose a record is and what class of data it holds.
impl<T: Config> RecordsInspect<T::AccountId> for Pallet<T> {
	fn record_scope(record: RecordId) -> Option<(T::AccountId, ClassTag)> {
		let anchor = Records::<T>::get(record)?;
		match anchor.state {
			RecordState::Active { data_class, .. } => Some((anchor.subject, data_class)),
			RecordState::Erased { .. } => None,
		}
	}

	fn record_custodian(record: RecordId) -> Option<OrganisationId> {
		let anchor = Records::<T>::get(record)?;
		match anchor.state {
			RecordState::Active { .. } => anchor.custodian,
			RecordState::Erased { .. } => None,
		}
	}
}

impl<T: Config> PatientRecordsInspect<T::AccountId> for Pallet<T> {
	fn live_records(patient: &T::AccountId) -> u32 {
		PatientRecordCount::<T>::get(patient).saturating_sub(ErasedRecordCount::<T>::get(patient))
	}
}

/// Keys follow consent (security review H2): when the patient revokes a grant, the wrapped keys
/// it delivered are removed in the same call (pallet-consent calls this).
impl<T: Config> OnGrantRevoked for Pallet<T> {
	fn on_grant_revoked(grant: GrantId) -> Weight {
		T::WeightInfo::end_grant_keys(Self::end_grant_keys(grant))
	}

	fn max_weight() -> Weight {
		T::WeightInfo::end_grant_keys(T::MaxKeysPerGrant::get())
	}
}
