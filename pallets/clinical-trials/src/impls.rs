//! What the pallet offers other code: the queries behind its runtime API and its
//! implementations of the traits other pallets use it through (`medchain_primitives`).

use super::*;
use frame_support::pallet_prelude::*;
use frame_system::pallet_prelude::*;

impl<T: Config> Pallet<T> {
	/// The research key `patient` registered and its ring (runtime API).
	pub fn research_key(patient: &T::AccountId) -> Option<(RingIndex, ResearchKey)> {
		ResearchKeys::<T>::get(patient)
	}

	/// The research keys of ring `index`, in the order they joined (runtime API).
	pub fn ring_members(index: RingIndex) -> Vec<ResearchKey> {
		RingMembers::<T>::get(index).into_inner()
	}

	/// The sponsor of `trial` and the participant whose visit its data anchor `seq` records;
	/// `None` when there is no such anchor or it is a batch's. What a visit's reward needs.
	pub fn participant_visit(trial: TrialId, seq: u32) -> Option<(OrganisationId, Pseudonym)> {
		let DataSubject::Participant { pseudonym, .. } = DataAnchors::<T>::get(trial, seq)?.subject
		else {
			return None;
		};
		Some((Trials::<T>::get(trial)?.sponsor, pseudonym))
	}

	/// The allocation arm (`0..arms`) of participant `pseudonym` of `trial`, once the seed is
	/// revealed: the first four bytes (little endian) of `blake2_256(SCALE((seed,
	/// pseudonym)))` modulo the trial's arms. Withdrawn participants keep their arm.
	pub fn allocation(trial: TrialId, pseudonym: Pseudonym) -> Option<u8> {
		let record = Trials::<T>::get(trial)?;
		let seed = record.allocation_seed?;
		if !Participants::<T>::contains_key(trial, pseudonym) {
			return None;
		}
		Some(arm(&seed, &pseudonym, record.arms))
	}

	/// The trial `id` with its sites, investigators and consent forms (runtime API).
	pub fn trial_info(id: TrialId) -> Option<TrialInfoOf<T>> {
		let t = Trials::<T>::get(id)?;
		let protocol = |p: ProtocolOf<T>| Protocol {
			protocol: p.protocol,
			sap: p.sap,
			primary_outcomes: p.primary_outcomes.into_inner(),
			secondary_outcomes: p.secondary_outcomes.into_inner(),
		};
		let trial = Trial {
			id: t.id,
			sponsor: t.sponsor,
			registered_by: t.registered_by,
			registry_id: t.registry_id.map(|r| r.into_inner()),
			registered: protocol(t.registered),
			current: protocol(t.current),
			protocol_version: t.protocol_version,
			planned_enrolment: t.planned_enrolment,
			arms: t.arms,
			registered_at: t.registered_at,
			results_due: t.results_due,
			status: t.status,
			enrolled: t.enrolled,
			withdrawn: t.withdrawn,
			allocation_commitment: t.allocation_commitment,
			randomiser: t.randomiser,
			allocation_seed: t.allocation_seed,
			data_anchors: t.data_anchors,
			lock: t.lock,
			results: t.results.map(|r| Results {
				hash: r.hash,
				link: r.link.into_inner(),
				published_at: r.published_at,
				late: r.late,
			}),
			outcome_changes: t.outcome_changes,
			consent_form: t.consent_form,
			termination: t.termination,
		};
		let consent_forms =
			(1..=t.consent_form).filter_map(|v| ConsentForms::<T>::get(id, v)).collect();
		Some(TrialInfo {
			trial,
			sites: Sites::<T>::get(id).into_inner(),
			investigators: Investigators::<T>::get(id).into_inner(),
			consent_forms,
		})
	}

	/// Every amendment of trial `id`, oldest first (runtime API).
	pub fn amendments(id: TrialId) -> Vec<AmendmentInfoOf<T>> {
		let version = Trials::<T>::get(id).map_or(0, |t| t.protocol_version);
		(2..=version)
			.filter_map(|v| Amendments::<T>::get(id, v))
			.map(|a| Amendment {
				version: a.version,
				at: a.at,
				timestamp: a.timestamp,
				protocol: a.protocol,
				sap: a.sap,
				primary_outcomes: a.primary_outcomes.map(|o| o.into_inner()),
				secondary_outcomes: a.secondary_outcomes.map(|o| o.into_inner()),
				primary_changed: a.primary_changed,
				secondary_changed: a.secondary_changed,
				reason: a.reason,
			})
			.collect()
	}

	/// The participant `pseudonym` of `trial` and whether they must re-consent (runtime
	/// API).
	pub fn participant_info(
		trial: TrialId,
		pseudonym: Pseudonym,
	) -> Option<ParticipantInfo<BlockNumberFor<T>>> {
		let record = Trials::<T>::get(trial)?;
		let participant = Participants::<T>::get(trial, pseudonym)?;
		Some(ParticipantInfo {
			participant,
			needs_reconsent: participant.consent_form < record.consent_form,
		})
	}

	/// Up to `limit` (at most [`Config::MaxPageSize`]) trials whose results were due before
	/// the current block and are not published, with their due block, in a stable storage
	/// order (not by id): pass the last id of a page as `start_after` (runtime API). Only
	/// trials pending results are read, never all trials.
	pub fn overdue_results(
		start_after: Option<TrialId>,
		limit: u32,
	) -> Vec<(TrialId, BlockNumberFor<T>)> {
		let now = frame_system::Pallet::<T>::block_number();
		let limit = limit.min(T::MaxPageSize::get()) as usize;
		let entries = match start_after {
			Some(after) => {
				PendingResults::<T>::iter_from(PendingResults::<T>::hashed_key_for(after))
			},
			None => PendingResults::<T>::iter(),
		};
		entries.filter(|(_, due)| *due < now).take(limit).collect()
	}

	/// Up to `limit` (at most [`Config::MaxPageSize`]) datasets anchored for `trial`, from
	/// sequence number `from` on, with their sequence numbers (runtime API).
	pub fn data_anchors(trial: TrialId, from: u32, limit: u32) -> Vec<(u32, DataAnchorOf<T>)> {
		let count = Trials::<T>::get(trial).map_or(0, |t| t.data_anchors);
		let limit = limit.min(T::MaxPageSize::get());
		let end = from.saturating_add(limit).min(count);
		(from..end).filter_map(|seq| DataAnchors::<T>::get(trial, seq).map(|a| (seq, a))).collect()
	}
}
