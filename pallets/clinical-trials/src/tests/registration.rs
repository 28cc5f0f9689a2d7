//! Registration: pre-registering a trial, its validation and its indexes.

use super::mock::*;
use crate::{Error, Event, NextTrialId, PendingResults, Protocol, RegistryIds, Trial, TrialStatus};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

/// `register_trial` by `who` with the given fields.
fn register_call(
	who: u64,
	registry_id: Option<&[u8]>,
	protocol: crate::ProtocolOf<Test>,
	planned: u32,
	arms: u8,
	due_period: u64,
) -> sp_runtime::DispatchResult {
	Trials::register_trial(
		RuntimeOrigin::signed(who),
		SPONSOR,
		registry_id.map(registry),
		protocol,
		planned,
		arms,
		due_period,
	)
}

#[test]
fn register_trial_stores_the_trial_as_registered_and_indexes_it() {
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(5);
		assert_ok!(register_call(ADMIN, Some(b"NCT0001"), protocol(&[10, 11], &[20]), 4, 3, 50));
		assert_last_event(Event::TrialRegistered {
			trial: 0,
			sponsor: SPONSOR,
			registry_id: Some(registry(b"NCT0001")),
			results_due: 55,
			deposit: DEPOSIT,
		});
		let expected = Trial {
			id: 0,
			sponsor: SPONSOR,
			registered_by: ADMIN,
			registry_id: Some(registry(b"NCT0001")),
			registered: protocol(&[10, 11], &[20]),
			current: protocol(&[10, 11], &[20]),
			protocol_version: 1,
			planned_enrolment: 4,
			arms: 3,
			registered_at: 5,
			results_due: 55,
			status: TrialStatus::Registered,
			enrolled: 0,
			withdrawn: 0,
			allocation_commitment: None,
			randomiser: None,
			allocation_seed: None,
			data_anchors: 0,
			lock: None,
			results: None,
			outcome_changes: 0,
			consent_form: 0,
			termination: None,
		};
		assert_eq!(trial(0), expected);
		assert_eq!(RegistryIds::<Test>::get(registry(b"NCT0001")), Some(0));
		assert_eq!(PendingResults::<Test>::get(0), Some(55));
		assert_eq!(NextTrialId::<Test>::get(), 1);
	});
}

#[test]
fn register_trial_without_registry_id_and_ids_are_sequential() {
	ExtBuilder.build_and_execute(|| {
		assert_eq!(register_with(None), 0);
		assert_last_event(Event::TrialRegistered {
			trial: 0,
			sponsor: SPONSOR,
			registry_id: None,
			results_due: 1 + DUE_PERIOD,
			deposit: DEPOSIT,
		});
		assert_eq!(register_with(Some(b"NCT0002")), 1);
		assert_eq!(register_with(None), 2);
		assert_eq!(trial(2).registry_id, None);
		// Largest values in range are accepted.
		assert_ok!(register_call(
			ADMIN,
			None,
			protocol(&[10, 11], &[20, 21, 22]),
			MAX_PARTICIPANTS,
			16,
			1
		));
	});
}

#[test]
fn register_trial_needs_an_admin_of_the_sponsor() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Trials::register_trial(
				RuntimeOrigin::none(),
				SPONSOR,
				None,
				protocol(&[10], &[]),
				1,
				2,
				10
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			register_call(OTHER_ADMIN, None, protocol(&[10], &[]), 1, 2, 10),
			Error::<Test>::NotAuthorized
		);
		assert_noop!(
			register_call(MALLORY, None, protocol(&[10], &[]), 1, 2, 10),
			Error::<Test>::NotAuthorized
		);
	});
}

#[test]
fn register_trial_refuses_an_empty_or_taken_registry_id() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			register_call(ADMIN, Some(b""), protocol(&[10], &[]), 1, 2, 10),
			Error::<Test>::InvalidRegistryId
		);
		register();
		assert_noop!(
			register_call(ADMIN, Some(b"NCT0001"), protocol(&[10], &[]), 1, 2, 10),
			Error::<Test>::RegistryIdTaken
		);
	});
}

#[test]
fn register_trial_refuses_malformed_outcomes() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			register_call(ADMIN, None, protocol(&[], &[20]), 1, 2, 10),
			Error::<Test>::NoPrimaryOutcome
		);
		assert_noop!(
			register_call(ADMIN, None, protocol(&[10, 10], &[]), 1, 2, 10),
			Error::<Test>::DuplicateOutcome
		);
		assert_noop!(
			register_call(ADMIN, None, protocol(&[10], &[20, 21, 20]), 1, 2, 10),
			Error::<Test>::DuplicateOutcome
		);
		assert_noop!(
			register_call(ADMIN, None, protocol(&[10], &[20, 10]), 1, 2, 10),
			Error::<Test>::DuplicateOutcome
		);
	});
}

#[test]
fn register_trial_refuses_out_of_range_numbers() {
	ExtBuilder.build_and_execute(|| {
		let p = || protocol(&[10], &[]);
		assert_noop!(register_call(ADMIN, None, p(), 0, 2, 10), Error::<Test>::InvalidEnrolment);
		assert_noop!(
			register_call(ADMIN, None, p(), MAX_PARTICIPANTS + 1, 2, 10),
			Error::<Test>::InvalidEnrolment
		);
		assert_noop!(register_call(ADMIN, None, p(), 1, 1, 10), Error::<Test>::InvalidArms);
		assert_noop!(register_call(ADMIN, None, p(), 1, 17, 10), Error::<Test>::InvalidArms);
		assert_noop!(register_call(ADMIN, None, p(), 1, 2, 0), Error::<Test>::InvalidResultsPeriod);
	});
}

#[test]
fn register_trial_refuses_overflows() {
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(u64::MAX);
		assert_noop!(
			register_call(ADMIN, None, protocol(&[10], &[]), 1, 2, 1),
			Error::<Test>::Overflow
		);
		System::set_block_number(1);
		NextTrialId::<Test>::put(u32::MAX);
		assert_noop!(
			register_call(ADMIN, None, protocol(&[10], &[]), 1, 2, 1),
			Error::<Test>::Overflow
		);
		NextTrialId::<Test>::put(0);
	});
}

#[test]
fn the_registered_protocol_is_what_was_submitted() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		let registered = trial(t).registered;
		assert_eq!(
			registered,
			Protocol {
				protocol: h(1),
				sap: h(2),
				primary_outcomes: primary(&[10]),
				secondary_outcomes: secondary(&[20, 21]),
			}
		);
	});
}
