//! Receipts written by custodian gateways: a record released under consent, or refused, is on
//! the patient's log either way, with the organisation whose gateway answered.

use super::mock::*;
use crate::{AccessReceipt, Error, Event, LogEntry, ReceiptCount, Receipts};
use frame_support::{assert_noop, assert_ok};
use medchain_primitives::{
	AccessTarget::Record,
	ConsentAction::{self, Read},
	DecisionReason, PractitionerRole,
	PurposeOfUse::{self, EmergencyTreatment, Research, Treatment},
};
use medchain_test_utils::directory::{remove_gateway, set_gateway};
use polkadot_sdk::*;
use sp_runtime::DispatchError;

/// Organisation A's gateway account.
const GATEWAY_A: u64 = 30;
/// Organisation B's gateway account.
const GATEWAY_B: u64 = 31;
/// Alice's record held by organisation A.
const RECORD: u64 = 5;

/// Alice's record [`RECORD`] (General), held by organisation A; both organisations have a
/// gateway.
fn world() {
	set_gateway(GATEWAY_A, ORG_A);
	set_gateway(GATEWAY_B, ORG_B);
	add_record(RECORD, ALICE, GENERAL);
	set_custodian(RECORD, ORG_A);
}

fn at_gateway(
	gateway: u64,
	requester: u64,
	record: u64,
	purpose: PurposeOfUse,
	action: ConsentAction,
) -> sp_runtime::DispatchResult {
	Consent::record_access_at_gateway(
		RuntimeOrigin::signed(gateway),
		requester,
		record,
		purpose,
		action,
	)
}

/// The last receipt in Alice's log.
fn last_receipt() -> AccessReceipt<u64, u64> {
	let seq = ReceiptCount::<Test>::get(ALICE).checked_sub(1).expect("a receipt was written");
	Receipts::<Test>::get(ALICE, seq).expect("the receipt is stored")
}

#[test]
fn a_release_under_a_grant_is_receipted_for_the_requester() {
	ExtBuilder.build_and_execute(|| {
		world();
		let id = grant(ALICE, account(DOC_B), treat_general(Effect::Permit));
		System::set_block_number(4);
		assert_ok!(at_gateway(GATEWAY_A, DOC_B, RECORD, Treatment, Read));
		assert_last_event(Event::ReleasedByGateway {
			patient: ALICE,
			requester: DOC_B,
			organisation: ORG_A,
			receipt: 0,
			grant: Some(id),
		});
		assert_eq!(
			last_receipt(),
			AccessReceipt {
				seq: 0,
				actor: DOC_B,
				at: 4,
				entry: LogEntry::ReleasedByGateway {
					organisation: ORG_A,
					action: Read,
					purpose: Treatment,
					target: Record { record: RECORD, class: GENERAL },
					grant: Some(id),
					reason: DecisionReason::Granted,
				},
			}
		);
	});
}

#[test]
fn a_role_grant_and_an_emergency_release_too() {
	ExtBuilder.build_and_execute(|| {
		world();
		// A colleague covered by a grant to organisation B's physicians.
		set_practitioner(77, ORG_B, PractitionerRole::Physician);
		let id =
			grant(ALICE, role(ORG_B, PractitionerRole::Physician), treat_general(Effect::Permit));
		assert_ok!(at_gateway(GATEWAY_A, 77, RECORD, Treatment, Read));
		assert_last_event(Event::ReleasedByGateway {
			patient: ALICE,
			requester: 77,
			organisation: ORG_A,
			receipt: 0,
			grant: Some(id),
		});
		// Break-glass: the emergency physician reads without any grant.
		assert_ok!(Consent::open_emergency_access(
			RuntimeOrigin::signed(ER_DOC),
			ALICE,
			[0xE7; 32]
		));
		let emergency = crate::NextEmergencyId::<Test>::get() - 1;
		assert_ok!(at_gateway(GATEWAY_A, ER_DOC, RECORD, EmergencyTreatment, Read));
		assert_eq!(
			last_receipt().entry,
			LogEntry::ReleasedByGateway {
				organisation: ORG_A,
				action: Read,
				purpose: EmergencyTreatment,
				target: Record { record: RECORD, class: GENERAL },
				grant: None,
				reason: DecisionReason::Emergency { emergency },
			}
		);
		assert_eq!(last_receipt().actor, ER_DOC);
	});
}

#[test]
fn a_refusal_is_receipted_and_the_call_succeeds() {
	ExtBuilder.build_and_execute(|| {
		world();
		// No grant at all.
		assert_ok!(at_gateway(GATEWAY_A, DOC_B, RECORD, Treatment, Read));
		assert_last_event(Event::RefusedByGateway {
			patient: ALICE,
			requester: DOC_B,
			organisation: ORG_A,
			receipt: 0,
			grant: None,
		});
		assert_eq!(
			last_receipt().entry,
			LogEntry::RefusedByGateway {
				organisation: ORG_A,
				action: Read,
				purpose: Treatment,
				target: Record { record: RECORD, class: GENERAL },
				grant: None,
				reason: DecisionReason::NoGrant,
			}
		);
		// A grant for another purpose does not help; a revoked one no longer does.
		let id = grant(ALICE, account(DOC_B), treat_general(Effect::Permit));
		assert_ok!(at_gateway(GATEWAY_A, DOC_B, RECORD, Research, Read));
		assert!(matches!(last_receipt().entry, LogEntry::RefusedByGateway { .. }));
		assert_ok!(at_gateway(GATEWAY_A, DOC_B, RECORD, Treatment, Read));
		assert!(matches!(last_receipt().entry, LogEntry::ReleasedByGateway { .. }));
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id));
		assert_ok!(at_gateway(GATEWAY_A, DOC_B, RECORD, Treatment, Read));
		assert_last_event(Event::RefusedByGateway {
			patient: ALICE,
			requester: DOC_B,
			organisation: ORG_A,
			receipt: 3,
			grant: None,
		});
		// A deny grant names itself.
		let deny = grant(ALICE, account(DOC_B), treat_general(Effect::Deny));
		assert_ok!(at_gateway(GATEWAY_A, DOC_B, RECORD, Treatment, Read));
		assert!(matches!(
			last_receipt().entry,
			LogEntry::RefusedByGateway { grant: Some(g), reason: DecisionReason::Denied, .. } if g == deny
		));
		assert_eq!(ReceiptCount::<Test>::get(ALICE), 5);
	});
}

#[test]
fn only_the_custodians_gateway_writes_and_nothing_changes_when_refused() {
	ExtBuilder.build_and_execute(|| {
		world();
		grant(ALICE, account(DOC_B), treat_general(Effect::Permit));
		assert_noop!(
			Consent::record_access_at_gateway(
				RuntimeOrigin::none(),
				DOC_B,
				RECORD,
				Treatment,
				Read
			),
			DispatchError::BadOrigin
		);
		// Not a gateway: a practitioner, the patient, an outsider.
		for who in [DOC, ALICE, MALLORY] {
			assert_noop!(
				at_gateway(who, DOC_B, RECORD, Treatment, Read),
				Error::<Test>::NotGateway
			);
		}
		// Another organisation's gateway.
		assert_noop!(
			at_gateway(GATEWAY_B, DOC_B, RECORD, Treatment, Read),
			Error::<Test>::NotCustodian
		);
		// No such record, or an erased one.
		assert_noop!(
			at_gateway(GATEWAY_A, DOC_B, 99, Treatment, Read),
			Error::<Test>::RecordNotFound
		);
		erase_record(RECORD);
		assert_noop!(
			at_gateway(GATEWAY_A, DOC_B, RECORD, Treatment, Read),
			Error::<Test>::RecordNotFound
		);
		// A withdrawn gateway (or a deactivated organisation's) acts for nobody.
		add_record(RECORD, ALICE, GENERAL);
		remove_gateway(GATEWAY_A);
		assert_noop!(
			at_gateway(GATEWAY_A, DOC_B, RECORD, Treatment, Read),
			Error::<Test>::NotGateway
		);
		set_gateway(GATEWAY_A, ORG_A);
		// The receipt counter exhausted.
		ReceiptCount::<Test>::insert(ALICE, u64::MAX);
		assert_noop!(
			at_gateway(GATEWAY_A, DOC_B, RECORD, Treatment, Read),
			Error::<Test>::Overflow
		);
		ReceiptCount::<Test>::remove(ALICE);
		assert_eq!(Receipts::<Test>::iter_prefix(ALICE).count(), 0);
	});
}

#[test]
fn a_self_reported_record_is_receipted_by_the_gateway_the_patient_chose() {
	ExtBuilder.build_and_execute(|| {
		world();
		add_record(6, ALICE, GENERAL);
		let id = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		assert_ok!(at_gateway(GATEWAY_B, DOC, 6, Treatment, Read));
		assert_last_event(Event::ReleasedByGateway {
			patient: ALICE,
			requester: DOC,
			organisation: ORG_B,
			receipt: 0,
			grant: Some(id),
		});
	});
}
