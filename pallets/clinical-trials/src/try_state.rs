//! The pallet's invariants over its storage (`try_state`): checked by the `try_state` hook
//! under try-runtime and after every unit test.

use super::*;
use sp_runtime::SaturatedConversion;

impl<T: Config> Pallet<T> {
	/// Checks every invariant that spans the pallet's storage items; an `Err` names the first
	/// one broken. Run by the `try_state` hook and after every unit test.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_trials()?;
		Self::try_state_indexes()?;
		Self::try_state_participants()?;
		Self::try_state_rings()?;
		Self::try_state_children()?;
		Self::try_state_deposits()?;
		Ok(())
	}

	/// Each trial: stored under its id, below `NextTrialId`; its status consistent with its
	/// fields; its consent forms, amendments and data anchors contiguous and counted.
	fn try_state_trials() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		use TrialStatus::*;
		let next = NextTrialId::<T>::get();
		for (id, t) in Trials::<T>::iter() {
			ensure!(id == t.id && id < next, "a trial is stored under a wrong id");
			ensure!(t.protocol_version >= 1, "a trial has protocol version 0");
			ensure!(
				t.withdrawn <= t.enrolled && t.enrolled <= t.planned_enrolment,
				"a trial's counts exceed its plan"
			);
			let committed = matches!(t.status, Recruiting | Active | Locked | Completed);
			ensure!(
				!committed || t.allocation_commitment.is_some(),
				"a trial past registration has no allocation commitment"
			);
			ensure!(
				t.status != Registered || (t.allocation_commitment.is_none() && t.enrolled == 0),
				"a registered trial has a commitment or participants"
			);
			let lock_expected = match t.status {
				Locked | Completed => true,
				Terminated => t.termination.is_some_and(|x| x.from == Locked),
				Registered | Recruiting | Active => false,
			};
			ensure!(
				t.lock.is_some() == lock_expected,
				"a trial's data lock does not match its status"
			);
			ensure!(
				t.results.is_none() || matches!(t.status, Completed | Terminated),
				"a trial has results but is neither completed nor terminated"
			);
			ensure!(
				t.status != Completed || t.results.is_some(),
				"a completed trial has no results"
			);
			ensure!(
				(t.status == Terminated) == t.termination.is_some(),
				"a trial's termination does not match its status"
			);
			ensure!(
				t.allocation_commitment.is_some() == t.randomiser.is_some(),
				"a trial's randomiser does not match its commitment"
			);
			if let Some(seed) = t.allocation_seed {
				ensure!(
					t.allocation_commitment == Some(hash_of(&seed)),
					"a revealed seed does not match the commitment"
				);
			}
			for version in 1..=t.consent_form {
				ensure!(
					ConsentForms::<T>::get(id, version).is_some_and(|f| f.version == version),
					"a consent-form version is missing"
				);
			}
			let forms = ConsentForms::<T>::iter_prefix(id).count() as u64;
			ensure!(
				forms == u64::from(t.consent_form),
				"consent-form versions are not 1..=current"
			);
			let mut changes: u32 = 0;
			for version in 2..=t.protocol_version {
				let amendment =
					Amendments::<T>::get(id, version).ok_or("an amendment version is missing")?;
				ensure!(
					amendment.version == version,
					"an amendment is stored under a wrong version"
				);
				changes = changes
					.saturating_add(u32::from(amendment.primary_changed))
					.saturating_add(u32::from(amendment.secondary_changed));
			}
			let amendments = Amendments::<T>::iter_prefix(id).count() as u64;
			ensure!(
				amendments == u64::from(t.protocol_version.saturating_sub(1)),
				"amendments are not 2..=version"
			);
			ensure!(changes == t.outcome_changes, "outcome_changes does not count the amendments");
			for seq in 0..t.data_anchors {
				ensure!(DataAnchors::<T>::contains_key(id, seq), "a data anchor is missing");
			}
			let anchors = DataAnchors::<T>::iter_prefix(id).count() as u64;
			ensure!(anchors == u64::from(t.data_anchors), "data anchors are not 0..count");
		}
		Ok(())
	}

	/// `RegistryIds` mirrors the trials' registry ids; `PendingResults` holds exactly the
	/// trials without results, with their due block.
	fn try_state_indexes() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let mut with_registry: u64 = 0;
		let mut pending: u64 = 0;
		for (id, t) in Trials::<T>::iter() {
			if let Some(registry) = &t.registry_id {
				ensure!(
					RegistryIds::<T>::get(registry) == Some(id),
					"a registry id is missing from RegistryIds"
				);
				with_registry = with_registry.saturating_add(1);
			}
			ensure!(
				PendingResults::<T>::get(id) == t.results.is_none().then_some(t.results_due),
				"PendingResults does not match the trial's results"
			);
			if t.results.is_none() {
				pending = pending.saturating_add(1);
			}
		}
		ensure!(
			RegistryIds::<T>::iter().count() as u64 == with_registry,
			"RegistryIds has an entry without its trial"
		);
		ensure!(
			PendingResults::<T>::iter().count() as u64 == pending,
			"PendingResults lists a trial that does not exist"
		);
		Ok(())
	}

	/// Each trial's `enrolled` and `withdrawn` counts equal its participants; no participant
	/// is on a newer form than the trial's.
	fn try_state_participants() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::ensure;
		let mut tally: BTreeMap<TrialId, (u32, u32)> = BTreeMap::new();
		for (trial, _, participant) in Participants::<T>::iter() {
			let t = Trials::<T>::get(trial).ok_or("a participant of no trial")?;
			ensure!(
				participant.consent_form >= 1 && participant.consent_form <= t.consent_form,
				"a participant consented to a form that does not exist"
			);
			let entry = tally.entry(trial).or_insert((0, 0));
			entry.0 = entry.0.saturating_add(1);
			if participant.status != ParticipantStatus::Active {
				entry.1 = entry.1.saturating_add(1);
			}
		}
		for (id, t) in Trials::<T>::iter() {
			let (enrolled, withdrawn) = tally.remove(&id).unwrap_or((0, 0));
			ensure!(enrolled == t.enrolled, "a trial's enrolled count does not match");
			ensure!(withdrawn == t.withdrawn, "a trial's withdrawn count does not match");
		}
		ensure!(tally.is_empty(), "participants of no trial");
		Ok(())
	}

	/// Research rings: every ring up to the current one has members, a builder and a root, and
	/// nothing beyond it does; the rings before the current one are full; no ring holds more
	/// than `MaxRingMembers`; each ring's root is its builder's, and its builder holds exactly
	/// its members; `ResearchKeys` and `ResearchKeyOwners` mirror each other and the rings.
	fn try_state_rings() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::{ensure, traits::Get};
		let current = CurrentRing::<T>::get();
		let mut keys: u64 = 0;
		for (index, members) in RingMembers::<T>::iter() {
			ensure!(index <= current, "a ring beyond the current one");
			ensure!(!members.is_empty(), "a ring without members");
			ensure!(
				index == current
					|| members.len().saturated_into::<u32>() == T::MaxRingMembers::get(),
				"a ring before the current one is not full"
			);
			let mut builder = ring::empty_ring();
			for key in members.iter() {
				ensure!(ring::push_key(&mut builder, key).is_ok(), "a ring holds an invalid key");
				ensure!(
					ResearchKeyOwners::<T>::get(key).and_then(ResearchKeys::<T>::get)
						== Some((index, *key)),
					"a ring member is not its owner's research key"
				);
				keys = keys.saturating_add(1);
			}
			ensure!(
				RingBuilders::<T>::get(index).as_ref() == Some(&builder),
				"a ring's builder does not hold its members"
			);
			ensure!(
				RingRoots::<T>::get(index) == Some(ring::root(&builder)),
				"a ring's root is not its builder's"
			);
		}
		let rings = RingMembers::<T>::iter_keys().count() as u64;
		ensure!(
			rings == 0 || rings == u64::from(current).saturating_add(1),
			"the rings are not 0..=current"
		);
		ensure!(
			RingBuilders::<T>::iter_keys().count() as u64 == rings
				&& RingRoots::<T>::iter_keys().count() as u64 == rings,
			"a ring builder or root without members"
		);
		ensure!(
			ResearchKeys::<T>::iter().count() as u64 == keys
				&& ResearchKeyOwners::<T>::iter().count() as u64 == keys,
			"research keys outside the rings"
		);
		Ok(())
	}

	/// Sites and investigators: of an existing trial, no duplicates; amendments, consent forms
	/// and anchors only for existing trials.
	fn try_state_children() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		for (trial, sites) in Sites::<T>::iter() {
			ensure!(Trials::<T>::contains_key(trial), "sites of no trial");
			ensure!(!has_duplicates(&sites), "a site is listed twice");
		}
		for (trial, investigators) in Investigators::<T>::iter() {
			ensure!(Trials::<T>::contains_key(trial), "investigators of no trial");
			ensure!(!has_duplicates(&investigators), "an investigator is listed twice");
		}
		ensure!(
			Amendments::<T>::iter_keys().all(|(trial, _)| Trials::<T>::contains_key(trial)),
			"an amendment of no trial"
		);
		ensure!(
			ConsentForms::<T>::iter_keys().all(|(trial, _)| Trials::<T>::contains_key(trial)),
			"a consent form of no trial"
		);
		ensure!(
			DataAnchors::<T>::iter_keys().all(|(trial, _)| Trials::<T>::contains_key(trial)),
			"a data anchor of no trial"
		);
		Ok(())
	}

	/// Deposits are held only for trials without results, and each depositor's balance on hold
	/// for trial registration is exactly the sum of their deposits. (A trial registered before
	/// deposits existed has none: nothing is said of trials without a deposit.)
	fn try_state_deposits() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::{ensure, traits::fungible::InspectHold};
		use sp_runtime::traits::{Saturating, Zero};
		let mut held: alloc::collections::BTreeMap<T::AccountId, BalanceOf<T>> = Default::default();
		for (trial, (who, amount)) in Deposits::<T>::iter() {
			ensure!(
				Trials::<T>::get(trial).is_some_and(|t| t.results.is_none()),
				"a deposit is held for a trial that does not exist or has results"
			);
			ensure!(!amount.is_zero(), "a deposit of nothing is recorded");
			let sum = held.entry(who).or_default();
			*sum = sum.saturating_add(amount);
		}
		let reason = HoldReason::TrialRegistration.into();
		for (who, sum) in held {
			ensure!(
				T::Currency::balance_on_hold(&reason, &who) == sum,
				"a depositor's held balance is not the sum of their deposits"
			);
		}
		Ok(())
	}
}
