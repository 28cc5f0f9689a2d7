//! Access receipts and the patient's access log.

use super::mock::*;
use crate::{AccessReceipt, Error, Event, LogEntry, ReceiptCount, Receipts};
use frame_support::{assert_noop, assert_ok};
use medchain_primitives::{
	AccessTarget::{self, Class, Record},
	ConsentAction::{self, Read, Write},
	DecisionReason, PractitionerRole,
	PurposeOfUse::{self, Research, Treatment},
};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

/// `actor` records an access to `patient`'s `target`.
fn record_call(
	actor: u64,
	patient: u64,
	target: AccessTarget,
	purpose: PurposeOfUse,
	action: ConsentAction,
) -> sp_runtime::DispatchResult {
	Consent::record_access(RuntimeOrigin::signed(actor), patient, target, purpose, action)
}

/// The receipt the physician gets for reading record `record` of Alice under grant `grant`.
fn read_receipt(seq: u64, at: u64, record: u64, grant: u64) -> AccessReceipt<u64, u64> {
	AccessReceipt {
		seq,
		actor: DOC,
		at,
		entry: LogEntry::Accessed {
			action: Read,
			purpose: Treatment,
			target: Record { record, class: GENERAL },
			grant: Some(grant),
			reason: DecisionReason::Granted,
		},
	}
}

#[test]
fn record_access_stores_a_receipt_when_consent_permits() {
	ExtBuilder.build_and_execute(|| {
		let id =
			grant(ALICE, role(ORG_A, PractitionerRole::Physician), treat_general(Effect::Permit));
		System::set_block_number(3);
		add_record(5, ALICE, GENERAL);
		assert_ok!(record_call(DOC, ALICE, Record { record: 5, class: GENERAL }, Treatment, Read));
		assert_last_event(Event::AccessRecorded {
			patient: ALICE,
			actor: DOC,
			receipt: 0,
			action: Read,
			purpose: Treatment,
			grant: Some(id),
		});
		assert_eq!(Receipts::<Test>::get(ALICE, 0), Some(read_receipt(0, 3, 5, id)));
		assert_eq!(ReceiptCount::<Test>::get(ALICE), 1);
		assert_eq!(Consent::access_log(&ALICE, None, 10), vec![read_receipt(0, 3, 5, id)]);
	});
}

#[test]
fn record_access_is_refused_when_consent_denies() {
	ExtBuilder.build_and_execute(|| {
		assert_noop!(
			Consent::record_access(RuntimeOrigin::none(), ALICE, Class(GENERAL), Treatment, Read),
			DispatchError::BadOrigin
		);
		assert_noop!(
			record_call(DOC, ALICE, Class(GENERAL), Treatment, Read),
			Error::<Test>::AccessDenied
		);
		// No access log for an account that is not a registered patient, not even its own.
		assert_noop!(
			record_call(MALLORY, MALLORY, Class(GENERAL), Treatment, Read),
			Error::<Test>::PatientNotFound
		);
		let id = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		assert_noop!(
			record_call(DOC, ALICE, Class(MENTAL_HEALTH), Treatment, Read),
			Error::<Test>::AccessDenied
		);
		assert_noop!(
			record_call(DOC, ALICE, Class(GENERAL), Research, Read),
			Error::<Test>::AccessDenied
		);
		assert_ok!(record_call(DOC, ALICE, Class(GENERAL), Treatment, Write));
		// Revoked: the next receipt is refused at once.
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id));
		assert_noop!(
			record_call(DOC, ALICE, Class(GENERAL), Treatment, Write),
			Error::<Test>::AccessDenied
		);
		// Licence suspended: refused as well.
		grant(ALICE, account(DOC), treat_general(Effect::Permit));
		set_inactive(DOC);
		assert_noop!(
			record_call(DOC, ALICE, Class(GENERAL), Treatment, Write),
			Error::<Test>::AccessDenied
		);
		assert_eq!(ReceiptCount::<Test>::get(ALICE), 1);
	});
}

#[test]
fn record_access_is_refused_when_the_counter_is_exhausted() {
	ExtBuilder.build_and_execute(|| {
		ReceiptCount::<Test>::insert(ALICE, u64::MAX);
		assert_noop!(
			record_call(ALICE, ALICE, Class(GENERAL), Treatment, Read),
			Error::<Test>::Overflow
		);
		ReceiptCount::<Test>::remove(ALICE);
	});
}

#[test]
fn the_patient_records_their_own_accesses() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(record_call(ALICE, ALICE, Class(MENTAL_HEALTH), Research, Read));
		assert_last_event(Event::AccessRecorded {
			patient: ALICE,
			actor: ALICE,
			receipt: 0,
			action: Read,
			purpose: Research,
			grant: None,
		});
		assert_eq!(
			Consent::access_log(&ALICE, None, 1)[0].entry,
			LogEntry::Accessed {
				action: Read,
				purpose: Research,
				target: Class(MENTAL_HEALTH),
				grant: None,
				reason: DecisionReason::Subject,
			}
		);
	});
}

#[test]
fn the_access_log_is_newest_first_paged_and_keeps_every_receipt() {
	ExtBuilder.build_and_execute(|| {
		let id = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		assert!(Consent::access_log(&ALICE, None, 10).is_empty());
		for n in 0..6u64 {
			add_record(n, ALICE, GENERAL);
			System::set_block_number(n + 1);
			assert_ok!(record_call(
				DOC,
				ALICE,
				Record { record: n, class: GENERAL },
				Treatment,
				Read
			));
		}
		assert_eq!(ReceiptCount::<Test>::get(ALICE), 6);
		// The log keeps every receipt.
		assert_eq!(Receipts::<Test>::iter_prefix(ALICE).count(), 6);
		let all: Vec<u64> = Consent::access_log(&ALICE, None, 100).iter().map(|r| r.seq).collect();
		assert_eq!(all, vec![5, 4, 3], "a page holds at most MAX_PAGE_SIZE");
		let page = Consent::access_log(&ALICE, Some(3), 100);
		assert_eq!(
			page,
			vec![read_receipt(2, 3, 2, id), read_receipt(1, 2, 1, id), read_receipt(0, 1, 0, id)]
		);
		assert!(Consent::access_log(&ALICE, Some(0), 100).is_empty());
		let two: Vec<u64> = Consent::access_log(&ALICE, Some(5), 2).iter().map(|r| r.seq).collect();
		assert_eq!(two, vec![4, 3]);
		// `before` beyond the newest starts from the newest.
		assert_eq!(Consent::access_log(&ALICE, Some(99), 1)[0].seq, 5);
		assert!(Consent::access_log(&ALICE, None, 0).is_empty());
		assert!(Consent::access_log(&BOB, None, 10).is_empty());
	});
}
