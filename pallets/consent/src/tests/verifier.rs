//! The traits other pallets ask consent through: `ConsentEvaluator`, the write question of
//! pallet-medical-records, `ConsentVerifier::may_write`, and the enrolment question of
//! pallet-clinical-trials, `ResearchConsent::research_grant_in_force`.

use super::mock::*;
use frame_support::assert_ok;
use medchain_primitives::{
	AccessTarget::Class,
	ClassTag,
	ConsentAction::Share,
	ConsentAction::{Read, Write},
	ConsentEvaluator, ConsentVerifier, Decision, DecisionReason, PractitionerRole,
	PurposeOfUse::{Research, Treatment},
	ResearchConsent,
};
use polkadot_sdk::*;

fn may_write(patient: u64, author: u64, organisation: u32, class: ClassTag) -> bool {
	<Consent as ConsentVerifier<u64>>::may_write(&patient, &author, organisation, class)
}

#[test]
fn may_write_is_evaluate_access_for_a_treatment_write() {
	ExtBuilder.build_and_execute(|| {
		assert!(!may_write(ALICE, DOC, ORG_A, GENERAL));
		let id =
			grant(ALICE, role(ORG_A, PractitionerRole::Physician), treat_general(Effect::Permit));
		assert!(may_write(ALICE, DOC, ORG_A, GENERAL));
		assert!(!may_write(ALICE, DOC, ORG_A, MENTAL_HEALTH), "another class");
		assert!(!may_write(ALICE, NURSE, ORG_A, GENERAL), "another role");
		assert!(!may_write(BOB, DOC, ORG_A, GENERAL), "another patient");
		// A write for research is not a write for treatment.
		grant(
			ALICE,
			account(DOC_B),
			provision(Effect::Permit, &[Write], &[Research], &[GENERAL], &[]),
		);
		assert!(!may_write(ALICE, DOC_B, ORG_B, GENERAL));
		// A read grant is not a write grant.
		grant(
			ALICE,
			account(NURSE),
			provision(Effect::Permit, &[Read], &[Treatment], &[GENERAL], &[]),
		);
		assert!(!may_write(ALICE, NURSE, ORG_A, GENERAL));
		// Revocation is immediate.
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), id));
		assert!(!may_write(ALICE, DOC, ORG_A, GENERAL));
	});
}

#[test]
fn may_write_needs_the_author_active_for_the_named_organisation() {
	ExtBuilder.build_and_execute(|| {
		grant(ALICE, account(DOC), treat_general(Effect::Permit));
		assert!(may_write(ALICE, DOC, ORG_A, GENERAL));
		assert!(!may_write(ALICE, DOC, ORG_B, GENERAL), "acting for another organisation");
		set_inactive(DOC);
		assert!(!may_write(ALICE, DOC, ORG_A, GENERAL), "licence suspended");
	});
}

#[test]
fn may_write_respects_a_deny() {
	ExtBuilder.build_and_execute(|| {
		grant(ALICE, role(ORG_A, PractitionerRole::Physician), treat_general(Effect::Permit));
		grant(ALICE, account(DOC), treat_general(Effect::Deny));
		assert!(!may_write(ALICE, DOC, ORG_A, GENERAL));
	});
}

#[test]
fn the_consent_evaluator_trait_is_the_pallets_evaluator() {
	ExtBuilder.build_and_execute(|| {
		let id = grant(ALICE, account(DOC), treat_general(Effect::Permit));
		assert_eq!(
			<Consent as ConsentEvaluator<u64>>::evaluate_access(
				&ALICE,
				&DOC,
				Read,
				Treatment,
				Class(GENERAL)
			),
			Decision { permitted: true, grant: Some(id), reason: DecisionReason::Granted }
		);
		assert_eq!(
			<Consent as ConsentEvaluator<u64>>::evaluate_access(
				&ALICE,
				&DOC,
				Read,
				Research,
				Class(GENERAL)
			),
			Decision { permitted: false, grant: None, reason: DecisionReason::NoGrant }
		);
	});
}

fn research(patient: u64, grant: u64, organisation: u32) -> bool {
	<Consent as ResearchConsent<u64>>::research_grant_in_force(&patient, grant, organisation)
}

#[test]
fn research_grant_in_force_needs_a_read_research_permit_for_the_organisation() {
	ExtBuilder.build_and_execute(|| {
		let by_role = grant(
			ALICE,
			role(ORG_B, PractitionerRole::Researcher),
			provision(Effect::Permit, &[Read], &[Research], &[GENERAL], &[]),
		);
		assert!(research(ALICE, by_role, ORG_B));
		assert!(!research(ALICE, by_role, ORG_A), "a role at another organisation");
		assert!(!research(BOB, by_role, ORG_B), "another patient's grant");
		assert!(!research(ALICE, 999, ORG_B), "no such grant");

		// An account grant counts for the organisation its grantee is active at, now.
		let by_account = grant(
			ALICE,
			account(DOC_B),
			provision(Effect::Permit, &[Read, Share], &[Research, Treatment], &[GENERAL], &[]),
		);
		assert!(research(ALICE, by_account, ORG_B));
		assert!(!research(ALICE, by_account, ORG_A));
		set_inactive(DOC_B);
		assert!(!research(ALICE, by_account, ORG_B), "the grantee is no longer active");

		let treatment =
			grant(ALICE, role(ORG_B, PractitionerRole::Researcher), treat_general(Effect::Permit));
		assert!(!research(ALICE, treatment, ORG_B), "not for research");
		let write_only = grant(
			ALICE,
			role(ORG_B, PractitionerRole::Researcher),
			provision(Effect::Permit, &[Write], &[Research], &[GENERAL], &[]),
		);
		assert!(!research(ALICE, write_only, ORG_B), "no Read");
		let deny = grant(
			ALICE,
			role(ORG_B, PractitionerRole::Researcher),
			provision(Effect::Deny, &[Read], &[Research], &[GENERAL], &[]),
		);
		assert!(!research(ALICE, deny, ORG_B), "a deny grant");
		// While in force, the deny of the role overrides the role's permits.
		assert!(!research(ALICE, by_role, ORG_B), "denied");
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), deny));
		assert!(research(ALICE, by_role, ORG_B));

		let later = grant_period(
			ALICE,
			role(ORG_B, PractitionerRole::Researcher),
			provision(Effect::Permit, &[Read], &[Research], &[GENERAL], &[]),
			Some(5),
			Some(8),
		);
		assert!(!research(ALICE, later, ORG_B), "not valid yet");
		System::set_block_number(5);
		assert!(research(ALICE, later, ORG_B));
		System::set_block_number(8);
		assert!(!research(ALICE, later, ORG_B), "expired");

		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), by_role));
		assert!(!research(ALICE, by_role, ORG_B), "revoked");
	});
}
