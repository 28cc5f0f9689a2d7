//! The traits other pallets ask consent through: `ConsentEvaluator` and the write question of
//! pallet-medical-records, `ConsentVerifier::may_write`.

use super::mock::*;
use frame_support::assert_ok;
use medchain_primitives::{
	AccessTarget::Class,
	ClassTag,
	ConsentAction::{Read, Write},
	ConsentEvaluator, ConsentVerifier, Decision, DecisionReason, PractitionerRole,
	PurposeOfUse::{Research, Treatment},
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
