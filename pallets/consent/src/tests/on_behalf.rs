//! Grants made on a patient's behalf by another pallet, under an agreement the patient accepted
//! there (a coverage whose claims each let the payer read the records claimed): made and ended
//! without the patient's signature, checked as the patient's own grants are, and revocable by
//! the patient like any other.

use super::mock::*;
use crate::{EndReason, Ending, Error, Event, Grants};
use frame_support::{assert_noop, assert_ok};
use medchain_primitives::{
	AccessTarget,
	ConsentAction::{Read, Write},
	PractitionerRole,
	PurposeOfUse::{Payment, Treatment},
};
use polkadot_sdk::*;

/// A claims officer of [`ORG_B`] (the payer of these tests).
const OFFICER: u64 = 17;

fn officers() -> crate::GranteeOf<Test> {
	role(ORG_B, PractitionerRole::ClaimsOfficer)
}

/// Read, for payment, of `records` only.
fn pay_for(records: &[u64]) -> crate::ProvisionOf<Test> {
	provision(Effect::Permit, &[Read], &[Payment], &[], records)
}

fn reads(record: u64, class: medchain_primitives::ClassTag) -> bool {
	permitted(ALICE, OFFICER, Read, Payment, AccessTarget::Record { record, class })
}

#[test]
fn a_grant_on_behalf_permits_exactly_its_records_until_ended() {
	ExtBuilder.build_and_execute(|| {
		set_practitioner(OFFICER, ORG_B, PractitionerRole::ClaimsOfficer);
		add_record(5, ALICE, GENERAL);
		add_record(6, ALICE, GENERAL);
		let grant = Consent::grant_on_behalf(&ALICE, officers(), pay_for(&[5])).unwrap();
		assert_last_event(Event::ConsentGranted {
			grant,
			patient: ALICE,
			grantee: officers(),
			effect: Effect::Permit,
		});
		assert!(reads(5, GENERAL));
		assert!(!reads(6, GENERAL), "only the record named");
		assert!(
			!permitted(
				ALICE,
				OFFICER,
				Read,
				Treatment,
				AccessTarget::Record { record: 5, class: GENERAL }
			),
			"only for payment"
		);
		assert!(
			!permitted(
				ALICE,
				OFFICER,
				Write,
				Payment,
				AccessTarget::Record { record: 5, class: GENERAL }
			),
			"read only"
		);

		System::set_block_number(3);
		assert_ok!(Consent::end_on_behalf(&ALICE, grant));
		assert_last_event(Event::ConsentRevoked { grant, patient: ALICE });
		assert!(!reads(5, GENERAL));
		let ended = Grants::<Test>::get(ALICE).unwrap();
		assert_eq!(ended[0].ended, Some(Ending { at: 3, reason: EndReason::Revoked }));
		assert_eq!(revoked_grants(), vec![grant], "what the grant delivered ends with it");
	});
}

#[test]
fn a_grant_on_behalf_is_checked_as_the_patients_own() {
	ExtBuilder.build_and_execute(|| {
		add_record(5, ALICE, GENERAL);
		add_record(7, BOB, GENERAL);
		assert_noop!(
			Consent::grant_on_behalf(&MALLORY, officers(), pay_for(&[5])),
			Error::<Test>::PatientNotFound
		);
		assert_noop!(
			Consent::grant_on_behalf(&ALICE, account(ALICE), pay_for(&[5])),
			Error::<Test>::SelfGrant
		);
		assert_noop!(
			Consent::grant_on_behalf(&ALICE, officers(), pay_for(&[])),
			Error::<Test>::EmptyScope
		);
		assert_noop!(
			Consent::grant_on_behalf(&ALICE, officers(), pay_for(&[5, 5])),
			Error::<Test>::DuplicateEntry
		);
		assert_noop!(
			Consent::grant_on_behalf(&ALICE, officers(), pay_for(&[7])),
			Error::<Test>::RecordNotFound
		);
	});
}

#[test]
fn the_patient_may_revoke_a_grant_on_behalf_and_then_it_cannot_be_ended_again() {
	ExtBuilder.build_and_execute(|| {
		set_practitioner(OFFICER, ORG_B, PractitionerRole::ClaimsOfficer);
		add_record(5, ALICE, GENERAL);
		let grant = Consent::grant_on_behalf(&ALICE, officers(), pay_for(&[5])).unwrap();
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(ALICE), grant));
		assert!(!reads(5, GENERAL));
		assert_noop!(Consent::end_on_behalf(&ALICE, grant), Error::<Test>::GrantEnded);
	});
}

#[test]
fn end_on_behalf_refuses_a_grant_of_another_patient_or_none() {
	ExtBuilder.build_and_execute(|| {
		set_practitioner(OFFICER, ORG_B, PractitionerRole::ClaimsOfficer);
		add_record(5, ALICE, GENERAL);
		let grant = Consent::grant_on_behalf(&ALICE, officers(), pay_for(&[5])).unwrap();
		assert_noop!(Consent::end_on_behalf(&BOB, grant), Error::<Test>::GrantNotFound);
		assert_noop!(Consent::end_on_behalf(&ALICE, grant + 1), Error::<Test>::GrantNotFound);
		assert!(reads(5, GENERAL), "nothing changed");
	});
}
