//! What the pallet offers other code: the queries behind its runtime API and its
//! implementations of the traits other pallets use it through (`medchain_primitives`).

use super::*;
use frame_support::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// Up to `limit` (at most [`Config::MaxPageSize`]) receipts of `patient`'s access log,
	/// newest first, with a sequence number below `before` (`None`: from the newest). Pass
	/// the last `seq` of a page as `before` for the next page; an empty page means the end.
	pub fn access_log(
		patient: &T::AccountId,
		before: Option<u64>,
		limit: u32,
	) -> Vec<ReceiptOf<T>> {
		let count = ReceiptCount::<T>::get(patient);
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let mut seq = before.map_or(count, |before| before.min(count));
		let mut page = Vec::new();
		while seq > 0 && page.len() < limit {
			seq = seq.saturating_sub(1);
			if let Some(receipt) = Receipts::<T>::get(patient, seq) {
				page.push(receipt);
			}
		}
		page
	}

	/// The grants in `patient`'s list, oldest first: those in force and the ended ones not
	/// yet archived ([`Pallet::past_grants_of`] lists the archive).
	pub fn grants_of(patient: &T::AccountId) -> Vec<GrantSummaryOf<T>> {
		Grants::<T>::get(patient)
			.unwrap_or_default()
			.into_iter()
			.map(|grant| Grant {
				id: grant.id,
				grantee: grant.grantee,
				provision: Provision {
					effect: grant.provision.effect,
					actions: grant.provision.actions,
					purposes: grant.provision.purposes,
					classes: grant.provision.classes,
					records: grant.provision.records.into_inner(),
				},
				valid_from: grant.valid_from,
				valid_until: grant.valid_until,
				granted_at: grant.granted_at,
				ended: grant.ended,
			})
			.collect()
	}

	/// Up to `limit` (at most [`Config::MaxPageSize`]) archived grants of `patient`, in a
	/// stable storage order: pass the last id of a page as `start_after`.
	pub fn past_grants_of(
		patient: &T::AccountId,
		start_after: Option<GrantId>,
		limit: u32,
	) -> Vec<GrantOf<T>> {
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let grants = match start_after {
			Some(after) => PastGrants::<T>::iter_prefix_from(
				patient,
				PastGrants::<T>::hashed_key_for(patient, after),
			),
			None => PastGrants::<T>::iter_prefix(patient),
		};
		grants.take(limit).map(|(_, grant)| grant).collect()
	}

	/// The offers waiting for `patient`'s answer, oldest first (expired ones included until
	/// they are removed).
	pub fn offers_of(patient: &T::AccountId) -> Vec<OfferSummaryOf<T>> {
		PatientOffers::<T>::get(patient)
			.unwrap_or_default()
			.into_iter()
			.filter_map(Offers::<T>::get)
			.map(|offer| Offer {
				id: offer.id,
				patient: offer.patient,
				proposer: offer.proposer,
				grantee: offer.grantee,
				provision: Provision {
					effect: offer.provision.effect,
					actions: offer.provision.actions,
					purposes: offer.provision.purposes,
					classes: offer.provision.classes,
					records: offer.provision.records.into_inner(),
				},
				valid_from: offer.valid_from,
				valid_until: offer.valid_until,
				proposed_at: offer.proposed_at,
				expires_at: offer.expires_at,
			})
			.collect()
	}

	/// Up to `limit` (at most [`Config::MaxPageSize`]) emergency accesses not reviewed yet,
	/// in a stable storage order (not by id): pass the last id of a page as `start_after`.
	pub fn unreviewed_emergencies(
		start_after: Option<EmergencyId>,
		limit: u32,
	) -> Vec<EmergencyOf<T>> {
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let ids = match start_after {
			Some(after) => UnreviewedEmergencies::<T>::iter_keys_from(
				UnreviewedEmergencies::<T>::hashed_key_for(after),
			),
			None => UnreviewedEmergencies::<T>::iter_keys(),
		};
		ids.take(limit).filter_map(Self::emergency).collect()
	}

	/// The emergency access `id`, in force or archived.
	pub fn emergency(id: EmergencyId) -> Option<EmergencyOf<T>> {
		let patient = EmergencyPatient::<T>::get(id)?;
		Emergencies::<T>::get(patient)
			.and_then(|list| list.into_iter().find(|e| e.id == id))
			.or_else(|| PastEmergencies::<T>::get(id))
	}
}

impl<T: Config> ConsentEvaluator<T::AccountId> for Pallet<T> {
	fn evaluate_access(
		patient: &T::AccountId,
		actor: &T::AccountId,
		action: ConsentAction,
		purpose: PurposeOfUse,
		target: AccessTarget,
	) -> Decision {
		Pallet::<T>::evaluate_access(patient, actor, action, purpose, target)
	}
}

/// The write question of pallet-medical-records: `evaluate_access(patient, author, Write,
/// Treatment, Class(class))` permits, and the author is an active practitioner of
/// `organisation` now.
impl<T: Config> ConsentVerifier<T::AccountId> for Pallet<T> {
	fn may_write(
		patient: &T::AccountId,
		author: &T::AccountId,
		organisation: OrganisationId,
		class: ClassTag,
	) -> bool {
		T::Directory::active_practitioner(author).is_some_and(|p| p.organisation == organisation)
			&& Pallet::<T>::evaluate_access(
				patient,
				author,
				ConsentAction::Write,
				PurposeOfUse::Treatment,
				AccessTarget::Class(class),
			)
			.permitted
	}
}

/// What the directory asks before a patient deregisters (security review L2): their grants
/// that are in force or will be (neither ended nor expired, whether or not their validity has
/// begun).
impl<T: Config> PatientGrantsInspect<T::AccountId> for Pallet<T> {
	fn grants_in_force(patient: &T::AccountId) -> u32 {
		let now = frame_system::Pallet::<T>::block_number();
		let grants = Grants::<T>::get(patient).unwrap_or_default();
		let live = grants
			.iter()
			.filter(|grant| {
				grant.ended.as_ref().is_none_or(|ending| now < ending.at)
					&& grant.valid_until.is_none_or(|until| now < until)
			})
			.count();
		// At most `MaxGrantsPerPatient`, a u32.
		u32::try_from(live).unwrap_or(u32::MAX)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Fills `patient`'s grant list with the longest grants, every one expired but not
	/// settled: the most [`PatientGrantsInspect::grants_in_force`] reads and checks, with
	/// none in force (for the directory's `deregister_patient` benchmark).
	pub fn benchmark_fill_expired_grants(patient: &T::AccountId) {
		use frame_support::traits::Get;
		// Records are not checked here (nothing is granted through the call): any ids.
		let records: Vec<RecordId> = (0..u64::from(T::MaxScopeRecords::get())).collect();
		let provision =
			crate::benchmarking::provision::<T>(Effect::Permit, &PurposeOfUse::ALL, &records);
		let mut grants = GrantsOf::<T>::default();
		for index in 0..T::MaxGrantsPerPatient::get() {
			let id = NextGrantId::<T>::get();
			let grantee: T::AccountId = frame_benchmarking::account("expired-grantee", index, 0);
			let pushed = grants.try_push(Grant {
				id,
				grantee: Grantee::Account(grantee),
				provision: provision.clone(),
				valid_from: sp_runtime::traits::Zero::zero(),
				valid_until: Some(sp_runtime::traits::Zero::zero()),
				granted_at: sp_runtime::traits::Zero::zero(),
				ended: None,
			});
			if pushed.is_err() {
				break;
			}
			GrantOwner::<T>::insert(id, patient);
			// Expired, so out of the decision index; its classes as the index would hold them.
			GrantClasses::<T>::insert(
				id,
				GrantClassesOf::<T>::truncate_from(provision.classes.to_vec()),
			);
			NextGrantId::<T>::put(id.saturating_add(1));
		}
		Grants::<T>::insert(patient, grants);
	}
}
