//! The access decisions, table-driven: one patient's grants, revocations and emergency accesses
//! built up over blocks 1 to 10, then a table of questions about the current block (18) and
//! past ones, each with the decision it must get.

use super::mock::*;
use frame_support::assert_ok;
use medchain_primitives::{
	AccessTarget::{self, Class, Record},
	ClassTag,
	ConsentAction::{self, Read, Share, Write},
	Decision, DecisionReason, PractitionerRole,
	PurposeOfUse::{self, EmergencyTreatment, Research, Treatment},
};
use polkadot_sdk::*;

/// A physician of [`ORG_A`] whose licence is suspended.
const SUSPENDED: u64 = 15;
/// A former physician (inactive) holding account grants.
const FORMER: u64 = 16;
/// A second emergency physician of [`ORG_B`].
const ER_DOC2: u64 = 17;
/// A second, active physician of [`ORG_A`].
const DOC2: u64 = 18;
/// The block the table's "now" questions are asked in.
const NOW: u64 = 18;

/// The grants of the scenario, by id.
const PHYSICIANS_A: u64 = 0;
const DOC_NO_MENTAL: u64 = 1;
const RESEARCH_UNTIL_5: u64 = 2;
const DOC_B_RECORD_7_FROM_8: u64 = 3;
const NURSES_REVOKED: u64 = 4;
const PHYSICIANS_NOT_RECORD_9: u64 = 5;
const FORMER_TREATMENT: u64 = 6;
const FORMER_RESEARCH: u64 = 7;
const NURSES_AGAIN: u64 = 8;
const ER_DOC_DENIED: u64 = 9;
/// The emergency accesses of the scenario, by id.
const EMERGENCY_ER_DOC2: u64 = 0;
const EMERGENCY_ER_DOC: u64 = 1;

/// Alice's consent history:
///
/// - block 1: grants 0 to 7 (see the constants above);
/// - block 2: [`ER_DOC2`] opens emergency access 0 (in force in blocks 2 to 11);
/// - block 3: Alice revokes grant 4 (nurses of A);
/// - block 6: Alice grants nurses of A again (grant 8);
/// - block 10: [`ER_DOC`] opens emergency access 1 (blocks 10 to 19); Alice denies [`ER_DOC`]
///   reading General for treatment and emergency treatment (grant 9);
/// - then the chain is at block [`NOW`].
fn scenario() {
	set_practitioner(SUSPENDED, ORG_A, PractitionerRole::Physician);
	set_inactive(SUSPENDED);
	set_practitioner(FORMER, ORG_A, PractitionerRole::Physician);
	set_inactive(FORMER);
	set_practitioner(ER_DOC2, ORG_B, PractitionerRole::EmergencyPhysician);
	set_practitioner(DOC2, ORG_A, PractitionerRole::Physician);
	// The records grants 3 and 5 name: Alice's, both Mental health.
	add_record(7, ALICE, MENTAL_HEALTH);
	add_record(9, ALICE, MENTAL_HEALTH);
	let rw = [Read, Write];

	System::set_block_number(1);
	let physician_a = || role(ORG_A, PractitionerRole::Physician);
	let nurse_a = || role(ORG_A, PractitionerRole::Nurse);
	let ids = [
		grant(
			ALICE,
			physician_a(),
			provision(Effect::Permit, &rw, &[Treatment], &[GENERAL, MENTAL_HEALTH], &[]),
		),
		grant(
			ALICE,
			account(DOC),
			provision(Effect::Deny, &rw, &[Treatment], &[MENTAL_HEALTH], &[]),
		),
		grant_period(
			ALICE,
			account(RESEARCHER),
			provision(Effect::Permit, &[Read], &[Research], &[GENETIC], &[]),
			None,
			Some(5),
		),
		grant_period(
			ALICE,
			account(DOC_B),
			provision(Effect::Permit, &[Read], &[Treatment], &[], &[7]),
			Some(8),
			None,
		),
		grant(ALICE, nurse_a(), provision(Effect::Permit, &[Read], &[Treatment], &[GENERAL], &[])),
		grant(ALICE, physician_a(), provision(Effect::Deny, &[Read], &[Treatment], &[], &[9])),
		grant(
			ALICE,
			account(FORMER),
			provision(Effect::Permit, &[Read], &[Treatment], &[GENERAL], &[]),
		),
		grant(
			ALICE,
			account(FORMER),
			provision(Effect::Permit, &[Read], &[Research], &[GENERAL], &[]),
		),
	];
	assert_eq!(ids, [0, 1, 2, 3, 4, 5, 6, 7]);

	System::set_block_number(2);
	assert_eq!(open_emergency(ER_DOC2, ALICE), EMERGENCY_ER_DOC2);

	System::set_block_number(3);
	assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), NURSES_REVOKED));

	System::set_block_number(6);
	assert_eq!(
		grant(ALICE, nurse_a(), provision(Effect::Permit, &[Read], &[Treatment], &[GENERAL], &[])),
		NURSES_AGAIN
	);

	System::set_block_number(10);
	assert_eq!(open_emergency(ER_DOC, ALICE), EMERGENCY_ER_DOC);
	assert_eq!(
		grant(
			ALICE,
			account(ER_DOC),
			provision(Effect::Deny, &[Read], &[Treatment, EmergencyTreatment], &[GENERAL], &[]),
		),
		ER_DOC_DENIED
	);

	System::set_block_number(NOW);
}

fn granted(grant: u64) -> Decision {
	Decision { permitted: true, grant: Some(grant), reason: DecisionReason::Granted }
}

fn denied(grant: u64) -> Decision {
	Decision { permitted: false, grant: Some(grant), reason: DecisionReason::Denied }
}

fn no_grant() -> Decision {
	Decision { permitted: false, grant: None, reason: DecisionReason::NoGrant }
}

fn inactive() -> Decision {
	Decision { permitted: false, grant: None, reason: DecisionReason::NotActivePractitioner }
}

fn emergency(emergency: u64) -> Decision {
	Decision { permitted: true, grant: None, reason: DecisionReason::Emergency { emergency } }
}

fn subject() -> Decision {
	Decision { permitted: true, grant: None, reason: DecisionReason::Subject }
}

/// One question and the decision it must get.
struct Case {
	name: &'static str,
	at: u64,
	patient: u64,
	actor: u64,
	action: ConsentAction,
	purpose: PurposeOfUse,
	target: AccessTarget,
	expected: Decision,
}

#[allow(clippy::too_many_arguments)]
fn case(
	name: &'static str,
	at: u64,
	patient: u64,
	actor: u64,
	action: ConsentAction,
	purpose: PurposeOfUse,
	target: AccessTarget,
	expected: Decision,
) -> Case {
	Case { name, at, patient, actor, action, purpose, target, expected }
}

fn record(record: u64, class: ClassTag) -> AccessTarget {
	Record { record, class }
}

/// The table: each question with the decision it must get (one line per case).
#[rustfmt::skip]
fn cases() -> alloc::vec::Vec<Case> {
	let a = ALICE;
	vec![
		// Role grants.
		case("role grant: physician of A reads", NOW, a, DOC2, Read, Treatment, Class(GENERAL), granted(PHYSICIANS_A)),
		case("role grant: physician of A writes", NOW, a, DOC, Write, Treatment, Class(GENERAL), granted(PHYSICIANS_A)),
		case("role grant: second class", NOW, a, DOC2, Write, Treatment, Class(MENTAL_HEALTH), granted(PHYSICIANS_A)),
		case("role grant: action not granted", NOW, a, DOC, Share, Treatment, Class(GENERAL), no_grant()),
		case("role grant: wrong purpose", NOW, a, DOC, Read, Research, Class(GENERAL), no_grant()),
		case("role grant: wrong data class", NOW, a, DOC, Read, Treatment, Class(GENETIC), no_grant()),
		case("role grant: physician of another organisation", NOW, a, DOC_B, Read, Treatment, Class(GENERAL), no_grant()),
		case("role grant: another role of the organisation", NOW, a, NURSE, Write, Treatment, Class(GENERAL), no_grant()),
		case("role grant: licence suspended", NOW, a, SUSPENDED, Read, Treatment, Class(GENERAL), inactive()),
		// A stranger is not told that a role grant exists: only grants to them are read.
		case("role grant: not a practitioner at all", NOW, a, MALLORY, Read, Treatment, Class(GENERAL), no_grant()),
		case("role grant: covers a record of its class", NOW, a, DOC, Read, Treatment, record(8, GENERAL), granted(PHYSICIANS_A)),
		// Nested deny.
		case("nested deny: account deny inside a role permit", NOW, a, DOC, Read, Treatment, Class(MENTAL_HEALTH), denied(DOC_NO_MENTAL)),
		case("nested deny: covers the class's records", NOW, a, DOC, Write, Treatment, record(3, MENTAL_HEALTH), denied(DOC_NO_MENTAL)),
		case("nested deny: other classes still permitted", NOW, a, DOC, Read, Treatment, Class(GENERAL), granted(PHYSICIANS_A)),
		case("nested deny: a specific record", NOW, a, DOC2, Read, Treatment, record(9, MENTAL_HEALTH), denied(PHYSICIANS_NOT_RECORD_9)),
		case("nested deny: the record deny is for reads only", NOW, a, DOC2, Write, Treatment, record(9, MENTAL_HEALTH), granted(PHYSICIANS_A)),
		case("nested deny: two denies, the lowest id decides", NOW, a, DOC, Read, Treatment, record(9, MENTAL_HEALTH), denied(DOC_NO_MENTAL)),
		case("nested deny: a record deny covers its class", NOW, a, DOC2, Read, Treatment, Class(MENTAL_HEALTH), denied(PHYSICIANS_NOT_RECORD_9)),
		case("nested deny: but not the class's other records", NOW, a, DOC2, Read, Treatment, record(7, MENTAL_HEALTH), granted(PHYSICIANS_A)),
		case("nested deny: nor other classes", NOW, a, DOC2, Read, Treatment, Class(GENERAL), granted(PHYSICIANS_A)),
		// Account grants, validity periods.
		case("account grant: research within its period", 4, a, RESEARCHER, Read, Research, Class(GENETIC), granted(RESEARCH_UNTIL_5)),
		case("account grant: from the block it was made", 1, a, RESEARCHER, Read, Research, Class(GENETIC), granted(RESEARCH_UNTIL_5)),
		case("expired: at valid_until", 5, a, RESEARCHER, Read, Research, Class(GENETIC), no_grant()),
		case("expired: now", NOW, a, RESEARCHER, Read, Research, Class(GENETIC), no_grant()),
		case("account grant: wrong purpose", 4, a, RESEARCHER, Read, Treatment, Class(GENETIC), no_grant()),
		case("account grant: wrong data class", 4, a, RESEARCHER, Read, Research, Class(GENERAL), no_grant()),
		case("account grant: someone else", 4, a, MALLORY, Read, Research, Class(GENETIC), no_grant()),
		case("account grant: non-clinical purpose needs no licence", NOW, a, FORMER, Read, Research, Class(GENERAL), granted(FORMER_RESEARCH)),
		case("account grant: clinical purpose needs an active practitioner", NOW, a, FORMER, Read, Treatment, Class(GENERAL), inactive()),
		// Specific records, not-yet-valid.
		case("specific record", NOW, a, DOC_B, Read, Treatment, record(7, MENTAL_HEALTH), granted(DOC_B_RECORD_7_FROM_8)),
		case("not yet valid", 7, a, DOC_B, Read, Treatment, record(7, MENTAL_HEALTH), no_grant()),
		case("valid from its first block", 8, a, DOC_B, Read, Treatment, record(7, MENTAL_HEALTH), granted(DOC_B_RECORD_7_FROM_8)),
		case("specific record: another record", NOW, a, DOC_B, Read, Treatment, record(8, MENTAL_HEALTH), no_grant()),
		case("specific record: not a class-wide permit", NOW, a, DOC_B, Read, Treatment, Class(MENTAL_HEALTH), no_grant()),
		case("specific record: action not granted", NOW, a, DOC_B, Write, Treatment, record(7, MENTAL_HEALTH), no_grant()),
		// Revoked then re-granted.
		case("revoked: before revocation", 2, a, NURSE, Read, Treatment, Class(GENERAL), granted(NURSES_REVOKED)),
		case("revoked: in the block of revocation", 3, a, NURSE, Read, Treatment, Class(GENERAL), no_grant()),
		case("revoked: between revocation and re-grant", 5, a, NURSE, Read, Treatment, Class(GENERAL), no_grant()),
		case("re-granted: from the new grant's block", 6, a, NURSE, Read, Treatment, Class(GENERAL), granted(NURSES_AGAIN)),
		case("re-granted: now", NOW, a, NURSE, Read, Treatment, Class(GENERAL), granted(NURSES_AGAIN)),
		case("re-granted: still read only", NOW, a, NURSE, Write, Treatment, Class(GENERAL), no_grant()),
		// Emergency (break-glass).
		case("emergency open: read any class", NOW, a, ER_DOC, Read, EmergencyTreatment, Class(MENTAL_HEALTH), emergency(EMERGENCY_ER_DOC)),
		case("emergency open: write", NOW, a, ER_DOC, Write, EmergencyTreatment, record(4, GENETIC), emergency(EMERGENCY_ER_DOC)),
		case("emergency open: overrides the patient's deny", NOW, a, ER_DOC, Read, EmergencyTreatment, Class(GENERAL), emergency(EMERGENCY_ER_DOC)),
		case("emergency open: not for sharing", NOW, a, ER_DOC, Share, EmergencyTreatment, Class(MENTAL_HEALTH), no_grant()),
		case("emergency open: not for other purposes", NOW, a, ER_DOC, Read, Treatment, Class(GENERAL), denied(ER_DOC_DENIED)),
		case("emergency open: only to that patient", NOW, BOB, ER_DOC, Read, EmergencyTreatment, Class(GENERAL), no_grant()),
		case("emergency: before it was opened", 9, a, ER_DOC, Read, EmergencyTreatment, Class(GENERAL), no_grant()),
		case("emergency: expired", NOW, a, ER_DOC2, Read, EmergencyTreatment, Class(GENERAL), no_grant()),
		case("emergency: at its expiry block", 12, a, ER_DOC2, Read, EmergencyTreatment, Class(GENERAL), no_grant()),
		case("emergency: while it was open", 5, a, ER_DOC2, Read, EmergencyTreatment, Class(GENERAL), emergency(EMERGENCY_ER_DOC2)),
		case("emergency: a physician without one", NOW, a, DOC, Read, EmergencyTreatment, Class(GENERAL), no_grant()),
		// Historical questions at past blocks.
		case("history: before any grant", 0, a, DOC, Read, Treatment, Class(GENERAL), no_grant()),
		case("history: the deny was not yet made", 9, a, ER_DOC, Read, Treatment, Class(GENERAL), no_grant()),
		case("history: the role grant at block 1", 1, a, DOC2, Write, Treatment, Class(MENTAL_HEALTH), granted(PHYSICIANS_A)),
		// The patient themself.
		case("subject: the patient reads their data", NOW, a, ALICE, Read, Research, Class(GENETIC), subject()),
		case("subject: another patient's own data", NOW, BOB, BOB, Share, Treatment, Class(GENERAL), subject()),
		case("another patient: no grants at all", NOW, BOB, DOC, Read, Treatment, Class(GENERAL), no_grant()),
	]
}

#[test]
fn the_decision_table() {
	ExtBuilder.build_and_execute(|| {
		scenario();
		let cases = cases();
		assert!(cases.len() >= 40, "at least 40 cases");
		let mut failures = alloc::vec::Vec::new();
		for c in &cases {
			let decision = Consent::evaluate_access_at(
				&c.patient, &c.actor, c.action, c.purpose, c.target, c.at,
			);
			if decision != c.expected {
				failures.push(alloc::format!(
					"{}: got {:?}, expected {:?}",
					c.name,
					decision,
					c.expected
				));
			}
			if c.at == NOW {
				assert_eq!(
					Consent::evaluate_access(&c.patient, &c.actor, c.action, c.purpose, c.target),
					decision,
					"{}: evaluate_access differs from evaluate_access_at(now)",
					c.name
				);
			}
		}
		assert!(
			failures.is_empty(),
			"{} of {} cases failed:\n{}",
			failures.len(),
			cases.len(),
			failures.join("\n")
		);
		// Active again (elsewhere, so no role grant matches), the account grant applies again.
		set_practitioner(FORMER, ORG_B, PractitionerRole::Nurse);
		assert_eq!(
			Consent::evaluate_access(&ALICE, &FORMER, Read, Treatment, Class(GENERAL)),
			granted(FORMER_TREATMENT)
		);
	});
}

#[test]
fn a_suspended_licence_loses_access_at_once_and_reinstatement_restores_it() {
	ExtBuilder.build_and_execute(|| {
		let id =
			grant(ALICE, role(ORG_A, PractitionerRole::Physician), treat_general(Effect::Permit));
		let nurse_grant = grant(ALICE, account(NURSE), treat_general(Effect::Permit));
		let question =
			|actor| Consent::evaluate_access(&ALICE, &actor, Read, Treatment, Class(GENERAL));
		assert_eq!(question(DOC), granted(id));
		assert_eq!(question(NURSE), granted(nurse_grant));
		set_inactive(DOC);
		set_inactive(NURSE);
		assert_eq!(question(DOC), inactive());
		assert_eq!(question(NURSE), inactive());
		// A past block is answered with today's standing too: the directory keeps no history.
		assert_eq!(
			Consent::evaluate_access_at(&ALICE, &DOC, Read, Treatment, Class(GENERAL), 1),
			inactive()
		);
		set_practitioner(DOC, ORG_A, PractitionerRole::Physician);
		assert_eq!(question(DOC), granted(id));
		// Moved to another organisation: the role grant of A no longer matches.
		set_practitioner(DOC, ORG_B, PractitionerRole::Physician);
		assert_eq!(question(DOC), no_grant());
	});
}

#[test]
fn an_emergency_needs_its_physician_to_stay_an_active_emergency_physician() {
	ExtBuilder.build_and_execute(|| {
		let id = open_emergency(ER_DOC, ALICE);
		let question =
			|| Consent::evaluate_access(&ALICE, &ER_DOC, Read, EmergencyTreatment, Class(GENERAL));
		assert_eq!(question(), emergency(id));
		set_inactive(ER_DOC);
		assert_eq!(question(), no_grant());
		set_practitioner(ER_DOC, ORG_B, PractitionerRole::Physician);
		assert_eq!(question(), no_grant());
		set_practitioner(ER_DOC, ORG_A, PractitionerRole::EmergencyPhysician);
		assert_eq!(question(), no_grant(), "opened for another organisation");
		set_practitioner(ER_DOC, ORG_B, PractitionerRole::EmergencyPhysician);
		assert_eq!(question(), emergency(id));
		System::set_block_number(1 + EMERGENCY_DURATION);
		assert_eq!(question(), no_grant(), "expired automatically");
	});
}

#[test]
fn a_deny_made_later_overrides_an_earlier_permit_from_its_block_on() {
	ExtBuilder.build_and_execute(|| {
		let permit = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		System::set_block_number(4);
		let deny = grant(ALICE, account(DOC), treat_general(Effect::Deny));
		let at = |block| {
			Consent::evaluate_access_at(&ALICE, &DOC, Write, Treatment, Class(GENERAL), block)
		};
		assert_eq!(at(3), granted(permit));
		assert_eq!(at(4), denied(deny));
		System::set_block_number(6);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), deny));
		assert_eq!(at(5), denied(deny));
		assert_eq!(at(6), granted(permit));
		// A deny of an inactive practitioner's account still applies.
		set_inactive(DOC);
		let deny_again = grant(ALICE, account(DOC), treat_general(Effect::Deny));
		assert_eq!(at(6), denied(deny_again));
	});
}
