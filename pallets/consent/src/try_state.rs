//! The pallet's invariants over its storage (`try_state`): checked by the `try_state` hook
//! under try-runtime and after every unit test.

use super::*;

impl<T: Config> Pallet<T> {
	/// Checks every invariant that spans the pallet's storage items; an `Err` names the first
	/// one broken. Run by the `try_state` hook and after every unit test.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_grants()?;
		Self::try_state_index()?;
		Self::try_state_receipts()?;
		Self::try_state_emergencies()?;
		Self::try_state_offers()?;
		Ok(())
	}

	/// The decision index: every grant in a patient's list has its indexed classes (its
	/// provision's classes among them), and while it may still be in force, exactly one entry
	/// under each of them that says what the grant says; every entry belongs to a grant of that
	/// patient to that grantee, lists are ordered by id, and an entry of an archived grant can
	/// never be in force again.
	fn try_state_index() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let now = frame_system::Pallet::<T>::block_number();
		let mut listed: u64 = 0;
		for (patient, grants) in Grants::<T>::iter() {
			for grant in grants.iter() {
				let classes = GrantClasses::<T>::get(grant.id)
					.ok_or("a listed grant has no indexed classes")?;
				let p = &grant.provision;
				ensure!(!has_duplicates(&classes), "a grant is indexed under a class twice");
				ensure!(
					p.classes.iter().all(|class| classes.contains(class)),
					"a grant is not indexed under a class its provision names"
				);
				ensure!(
					classes.len() <= p.classes.len().saturating_add(p.records.len()),
					"a grant is indexed under more classes than it names"
				);
				listed = listed.saturating_add(1);
				let ended_at = grant
					.ended
					.filter(|ending| ending.reason == EndReason::Revoked)
					.map(|ending| ending.at);
				let may_be_in_force = grant.valid_until.is_none_or(|until| now < until)
					&& ended_at.is_none_or(|at| now < at);
				if !may_be_in_force {
					continue;
				}
				for class in classes.iter() {
					let list =
						GrantIndex::<T>::get((&patient, &grant.grantee, class)).unwrap_or_default();
					let mut entries = list.iter().filter(|entry| entry.id == grant.id);
					let entry =
						entries.next().ok_or("a grant in force is missing from the index")?;
					ensure!(entries.next().is_none(), "a grant is indexed twice under a class");
					ensure!(
						entry.effect == p.effect
							&& entry.actions[..] == p.actions[..]
							&& entry.purposes[..] == p.purposes[..]
							&& entry.valid_from == grant.valid_from
							&& entry.valid_until == grant.valid_until
							&& entry.ended_at == ended_at
							&& entry.whole_class == p.classes.contains(class)
							&& entry.records.iter().all(|record| p.records.contains(record)),
						"an index entry does not say what its grant says"
					);
				}
			}
		}
		ensure!(
			GrantClasses::<T>::iter_keys().fold(0u64, |n, _| n.saturating_add(1)) == listed,
			"GrantClasses names a grant that is not in a patient's list"
		);
		for ((patient, grantee, class), list) in GrantIndex::<T>::iter() {
			ensure!(!list.is_empty(), "an index list is stored empty");
			ensure!(
				list.windows(2).all(|pair| matches!(pair, [a, b] if a.id < b.id)),
				"an index list is not in id order"
			);
			for entry in list.iter() {
				ensure!(
					GrantOwner::<T>::get(entry.id).as_ref() == Some(&patient),
					"an index entry names a grant of another patient"
				);
				let listed = Grants::<T>::get(&patient)
					.and_then(|grants| grants.into_iter().find(|g| g.id == entry.id));
				match listed {
					Some(grant) => {
						ensure!(
							grant.grantee == grantee,
							"an index entry is under another grantee"
						);
						ensure!(
							GrantClasses::<T>::get(entry.id)
								.is_some_and(|classes| classes.contains(&class)),
							"an index entry is under a class its grant is not indexed under"
						);
					},
					None => {
						let archived = PastGrants::<T>::get(&patient, entry.id)
							.ok_or("an index entry names no grant")?;
						ensure!(
							archived.grantee == grantee,
							"an index entry is under another grantee"
						);
						ensure!(
							!entry.may_be_in_force_from(now),
							"an archived grant could still be in force by the index"
						);
					},
				}
			}
		}
		Ok(())
	}

	/// Offers: each indexed once for its patient (and nothing else is), ids below `NextOfferId`,
	/// a well-formed permit for non-clinical purposes, proposed before it expires.
	fn try_state_offers() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::{ensure, traits::Get};
		let next = NextOfferId::<T>::get();
		let mut indexed: u64 = 0;
		for (patient, waiting) in PatientOffers::<T>::iter() {
			ensure!(!waiting.is_empty(), "a patient's offer list is stored empty");
			ensure!(!has_duplicates(&waiting), "an offer is indexed twice");
			for id in waiting.iter() {
				ensure!(
					Offers::<T>::get(id).is_some_and(|o| o.patient == patient),
					"a PatientOffers entry points to no offer to that patient"
				);
				indexed = indexed.saturating_add(1);
			}
		}
		let mut total: u64 = 0;
		let mut proposers: alloc::collections::BTreeMap<T::AccountId, u32> = Default::default();
		for (id, offer) in Offers::<T>::iter() {
			ensure!(id == offer.id && id < next, "an offer is stored under a wrong id");
			ensure!(offer.patient != offer.proposer, "an offer to its own proposer");
			let p = &offer.provision;
			ensure!(
				p.effect == Effect::Permit && p.purposes.iter().all(|p| !p.is_clinical()),
				"an offer is not a non-clinical permit"
			);
			ensure!(
				!p.actions.is_empty() && !p.purposes.is_empty(),
				"an offer has no action or no purpose"
			);
			ensure!(p.classes.is_empty(), "an offer names data classes");
			ensure!(offer.proposed_at < offer.expires_at, "an offer expires before it is made");
			ensure!(
				offer.valid_until.is_none_or(|until| until > offer.valid_from),
				"an offer's period ends before it starts"
			);
			total = total.saturating_add(1);
			let held = proposers.entry(offer.proposer).or_insert(0u32);
			*held = held.saturating_add(1);
		}
		ensure!(indexed == total, "PatientOffers does not index exactly the stored offers");
		ensure!(
			ProposerOffers::<T>::iter_values().all(|held| held <= T::MaxOffersPerProposer::get()),
			"a proposer has more offers than allowed"
		);
		let counted = ProposerOffers::<T>::iter().count();
		ensure!(
			counted == proposers.len()
				&& proposers
					.iter()
					.all(|(proposer, held)| { ProposerOffers::<T>::get(proposer) == Some(*held) }),
			"ProposerOffers does not count each proposer's stored offers"
		);
		Ok(())
	}

	/// Each patient's grants: ids ascending, below `NextGrantId`, indexed in `GrantOwner` (and
	/// nothing else is); well-formed provisions and periods; a history that is consistent.
	fn try_state_grants() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let next = NextGrantId::<T>::get();
		let mut total: u64 = 0;
		for (patient, grants) in Grants::<T>::iter() {
			ensure!(!grants.is_empty(), "a patient's grant list is stored empty");
			let mut previous: Option<GrantId> = None;
			for grant in grants.iter() {
				ensure!(grant.id < next, "a grant id is not below NextGrantId");
				ensure!(
					previous.is_none_or(|p| p < grant.id),
					"a patient's grants are not in id order"
				);
				previous = Some(grant.id);
				ensure!(
					GrantOwner::<T>::get(grant.id).as_ref() == Some(&patient),
					"a grant is missing from the GrantOwner index"
				);
				ensure!(
					grant.grantee != Grantee::Account(patient.clone()),
					"a patient granted to themself"
				);
				let p = &grant.provision;
				ensure!(
					!p.actions.is_empty()
						&& !p.purposes.is_empty()
						&& (!p.classes.is_empty() || !p.records.is_empty()),
					"a grant has an empty provision"
				);
				ensure!(
					!has_duplicates(&p.actions)
						&& !has_duplicates(&p.purposes)
						&& !has_duplicates(&p.classes)
						&& !has_duplicates(&p.records),
					"a grant's provision names an entry twice"
				);
				ensure!(
					grant.valid_from >= grant.granted_at,
					"a grant is valid before it was made"
				);
				ensure!(
					grant.valid_until.is_none_or(|until| until > grant.valid_from),
					"a grant's period ends before it starts"
				);
				if let Some(ending) = grant.ended {
					ensure!(ending.at >= grant.granted_at, "a grant ended before it was made");
					match ending.reason {
						EndReason::Expired => ensure!(
							grant.valid_until == Some(ending.at),
							"an expired grant did not end at its valid_until"
						),
						EndReason::Revoked => ensure!(
							grant.valid_until.is_none_or(|until| ending.at < until),
							"a grant was revoked after it expired"
						),
					}
				}
				total = total.saturating_add(1);
			}
		}
		for (patient, id, grant) in PastGrants::<T>::iter() {
			ensure!(grant.id == id && id < next, "an archived grant is stored under a wrong id");
			ensure!(grant.ended.is_some(), "an archived grant has not ended");
			ensure!(
				GrantOwner::<T>::get(id).as_ref() == Some(&patient),
				"an archived grant is missing from the GrantOwner index"
			);
			ensure!(
				!Grants::<T>::get(&patient).is_some_and(|list| list.iter().any(|g| g.id == id)),
				"a grant is both listed and archived"
			);
			total = total.saturating_add(1);
		}
		let mut indexed: u64 = 0;
		for (id, patient) in GrantOwner::<T>::iter() {
			ensure!(
				Grants::<T>::get(&patient).is_some_and(|grants| grants.iter().any(|g| g.id == id))
					|| PastGrants::<T>::contains_key(&patient, id),
				"a GrantOwner entry points to no grant of that patient"
			);
			indexed = indexed.saturating_add(1);
		}
		ensure!(indexed == total, "GrantOwner does not index exactly the stored grants");
		Ok(())
	}

	/// Each patient's log holds every receipt ever written, `0..count`, each under its own
	/// sequence number; no receipt without a count.
	fn try_state_receipts() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::ensure;
		let mut tally: BTreeMap<T::AccountId, u64> = BTreeMap::new();
		for (patient, seq, receipt) in Receipts::<T>::iter() {
			let count = ReceiptCount::<T>::get(&patient);
			ensure!(receipt.seq < count, "a receipt's seq is not below the patient's count");
			ensure!(receipt.seq == seq, "a receipt is stored under another sequence number");
			let entry = tally.entry(patient).or_insert(0);
			*entry = entry.saturating_add(1);
		}
		for (patient, count) in ReceiptCount::<T>::iter() {
			ensure!(count > 0, "a zero receipt count is stored");
			ensure!(
				tally.get(&patient).copied().unwrap_or(0) == count,
				"a patient's log has lost a receipt"
			);
		}
		for patient in tally.keys() {
			ensure!(ReceiptCount::<T>::contains_key(patient), "receipts without a count");
		}
		Ok(())
	}

	/// Each patient's emergency accesses: ids ascending, below `NextEmergencyId`, indexed in
	/// `EmergencyPatient` (and nothing else is); listed as unreviewed exactly when they are.
	fn try_state_emergencies() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let next = NextEmergencyId::<T>::get();
		let mut total: u64 = 0;
		let mut unreviewed: u64 = 0;
		for (patient, list) in Emergencies::<T>::iter() {
			ensure!(!list.is_empty(), "a patient's emergency list is stored empty");
			let mut previous: Option<EmergencyId> = None;
			for e in list.iter() {
				ensure!(e.id < next, "an emergency id is not below NextEmergencyId");
				ensure!(previous.is_none_or(|p| p < e.id), "emergencies are not in id order");
				previous = Some(e.id);
				ensure!(e.patient == patient, "an emergency is stored under another patient");
				ensure!(e.practitioner != patient, "an emergency opened by the patient");
				ensure!(
					EmergencyPatient::<T>::get(e.id).as_ref() == Some(&patient),
					"an emergency is missing from the EmergencyPatient index"
				);
				ensure!(e.opened_at < e.expires_at, "an emergency expires before it opens");
				ensure!(e.opened_at < e.review_deadline, "an emergency's review is due at opening");
				ensure!(
					UnreviewedEmergencies::<T>::contains_key(e.id) == e.review.is_none(),
					"UnreviewedEmergencies does not match the reviews"
				);
				if let Some(review) = &e.review {
					ensure!(review.at >= e.opened_at, "an emergency reviewed before it opened");
				} else {
					unreviewed = unreviewed.saturating_add(1);
				}
				total = total.saturating_add(1);
			}
		}
		let now = frame_system::Pallet::<T>::block_number();
		for (id, e) in PastEmergencies::<T>::iter() {
			ensure!(e.id == id && id < next, "an archived emergency is stored under a wrong id");
			ensure!(!e.in_force_at(now), "an archived emergency is in force");
			ensure!(
				EmergencyPatient::<T>::get(id).as_ref() == Some(&e.patient),
				"an archived emergency is missing from the EmergencyPatient index"
			);
			ensure!(
				!Emergencies::<T>::get(&e.patient)
					.is_some_and(|list| list.iter().any(|listed| listed.id == id)),
				"an emergency is both listed and archived"
			);
			ensure!(
				UnreviewedEmergencies::<T>::contains_key(id) == e.review.is_none(),
				"UnreviewedEmergencies does not match the reviews"
			);
			if e.review.is_none() {
				unreviewed = unreviewed.saturating_add(1);
			}
			total = total.saturating_add(1);
		}
		let indexed = EmergencyPatient::<T>::iter().count() as u64;
		ensure!(indexed == total, "EmergencyPatient does not index exactly the stored emergencies");
		let listed = UnreviewedEmergencies::<T>::iter().count() as u64;
		ensure!(listed == unreviewed, "UnreviewedEmergencies lists an emergency that is not kept");
		Ok(())
	}
}
