//! Amendments: new protocol versions, and outcome changes made visible.

use super::mock::*;
use crate::{Amendment, Amendments, Error, Event, TrialStatus};
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

/// `amend_protocol` by `who` on `trial`.
fn amend(
	who: u64,
	trial: crate::TrialId,
	protocol: Option<u8>,
	sap: Option<u8>,
	primary_ns: Option<&[u8]>,
	secondary_ns: Option<&[u8]>,
) -> sp_runtime::DispatchResult {
	Trials::amend_protocol(
		RuntimeOrigin::signed(who),
		trial,
		protocol.map(h),
		sap.map(h),
		primary_ns.map(primary),
		secondary_ns.map(secondary),
		h(99),
	)
}

#[test]
fn amend_protocol_records_a_new_version_without_outcome_change() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		System::set_block_number(7);
		set_time(1_800_000_000);
		assert_ok!(amend(ADMIN, t, Some(3), None, None, None));
		assert_eq!(
			events().last().cloned(),
			Some(Event::ProtocolAmended { trial: t, version: 2, reason: h(99) })
		);
		assert!(!events().iter().any(|e| matches!(e, Event::OutcomeChanged { .. })));
		assert_eq!(
			Amendments::<Test>::get(t, 2),
			Some(Amendment {
				version: 2,
				at: 7,
				timestamp: 1_800_000_000,
				protocol: Some(h(3)),
				sap: None,
				primary_outcomes: None,
				secondary_outcomes: None,
				primary_changed: false,
				secondary_changed: false,
				reason: h(99),
			})
		);
		let stored = trial(t);
		assert_eq!(stored.protocol_version, 2);
		assert_eq!(stored.current.protocol, h(3));
		assert_eq!(stored.registered.protocol, h(1));
		assert_eq!(stored.outcome_changes, 0);
		// A SAP change, and restating unchanged outcomes, is not an outcome change either.
		assert_ok!(amend(ADMIN, t, None, Some(4), Some(&[10]), Some(&[20, 21])));
		let second = Amendments::<Test>::get(t, 3).unwrap();
		assert!(!second.primary_changed && !second.secondary_changed);
		assert_eq!(trial(t).current.sap, h(4));
		assert_eq!(trial(t).outcome_changes, 0);
	});
}

#[test]
fn a_secondary_outcome_change_is_flagged_and_counted() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_ok!(amend(ADMIN, t, None, None, None, Some(&[20])));
		assert_last_event(Event::OutcomeChanged { trial: t, version: 2, primary: false });
		let a = Amendments::<Test>::get(t, 2).unwrap();
		assert!(a.secondary_changed && !a.primary_changed);
		assert_eq!(trial(t).outcome_changes, 1);
		assert_eq!(trial(t).current.secondary_outcomes, secondary(&[20]));
		assert_eq!(trial(t).registered.secondary_outcomes, secondary(&[20, 21]));
	});
}

#[test]
fn changing_both_outcome_lists_counts_twice() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_ok!(amend(ADMIN, t, None, None, Some(&[11]), Some(&[22])));
		let tail: Vec<_> = events().into_iter().rev().take(3).collect();
		assert_eq!(
			tail,
			vec![
				Event::OutcomeChanged { trial: t, version: 2, primary: false },
				Event::OutcomeChanged { trial: t, version: 2, primary: true },
				Event::ProtocolAmended { trial: t, version: 2, reason: h(99) },
			]
		);
		assert_eq!(trial(t).outcome_changes, 2);
	});
}

#[test]
fn reordering_primary_outcomes_is_an_outcome_change() {
	ExtBuilder.build_and_execute(|| {
		let t = register_with(None);
		assert_ok!(amend(ADMIN, t, None, None, Some(&[10, 12]), None));
		assert_ok!(amend(ADMIN, t, None, None, Some(&[12, 10]), None));
		assert!(Amendments::<Test>::get(t, 3).unwrap().primary_changed);
		assert_eq!(trial(t).outcome_changes, 2);
	});
}

#[test]
fn amendments_are_allowed_until_the_data_lock() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		assert_ok!(amend(ADMIN, t, Some(3), None, None, None));
		assert_ok!(Trials::close_recruitment(RuntimeOrigin::signed(ADMIN), t));
		assert_ok!(amend(ADMIN, t, Some(4), None, None, None));
		assert_ok!(Trials::lock_data(RuntimeOrigin::signed(ADMIN), t, h(77)));
		assert_noop!(amend(ADMIN, t, Some(5), None, None, None), Error::<Test>::WrongStatus);
		let u = register_with(None);
		assert_ok!(Trials::terminate(RuntimeOrigin::signed(ADMIN), u, h(66)));
		assert_noop!(amend(ADMIN, u, Some(5), None, None, None), Error::<Test>::WrongStatus);
		assert_eq!(trial(t).status, TrialStatus::Locked);
	});
}

#[test]
fn amend_protocol_needs_the_sponsor_and_an_existing_trial() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_noop!(
			Trials::amend_protocol(RuntimeOrigin::none(), t, Some(h(3)), None, None, None, h(9)),
			DispatchError::BadOrigin
		);
		assert_noop!(amend(ADMIN, 9, Some(3), None, None, None), Error::<Test>::TrialNotFound);
		assert_noop!(
			amend(OTHER_ADMIN, t, Some(3), None, None, None),
			Error::<Test>::NotAuthorized
		);
	});
}

#[test]
fn amend_protocol_refuses_malformed_outcomes() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_noop!(amend(ADMIN, t, None, None, Some(&[]), None), Error::<Test>::NoPrimaryOutcome);
		assert_noop!(
			amend(ADMIN, t, None, None, Some(&[11, 11]), None),
			Error::<Test>::DuplicateOutcome
		);
		// The new primary outcome is one of the current secondary ones.
		assert_noop!(
			amend(ADMIN, t, None, None, Some(&[20]), None),
			Error::<Test>::DuplicateOutcome
		);
	});
}

#[test]
fn amend_protocol_refuses_an_amendment_that_changes_nothing() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		assert_noop!(amend(ADMIN, t, None, None, None, None), Error::<Test>::NothingChanged);
		assert_noop!(
			amend(ADMIN, t, Some(1), Some(2), Some(&[10]), Some(&[20, 21])),
			Error::<Test>::NothingChanged
		);
	});
}

#[test]
fn amend_protocol_refuses_more_than_max_amendments() {
	ExtBuilder.build_and_execute(|| {
		let t = register();
		for n in 0..MAX_AMENDMENTS as u8 {
			assert_ok!(amend(ADMIN, t, Some(50 + n), None, None, None));
		}
		assert_noop!(amend(ADMIN, t, Some(3), None, None, None), Error::<Test>::TooManyAmendments);
		assert_eq!(trial(t).protocol_version, MAX_AMENDMENTS + 1);
	});
}
