//! Consent in the real runtime: a patient grants a physician, the physician records an access,
//! the patient revokes, the physician's next access is refused, the access log shows exactly the
//! one access, and the decision at the earlier block is still answerable.

use crate::common::{join, new_ext, GENERAL, MENTAL_HEALTH, NOW_SECS};
use medchain_primitives::{
	AccessTarget, ConsentAction, DecisionReason, OrganisationKind, PractitionerRole, PurposeOfUse,
};
use medchain_runtime::{
	genesis_config_presets::DEVELOPMENT_PRESET, AccountId, Consent, Directory, Runtime,
	RuntimeOrigin, System,
};
use pallet_consent_runtime_api::{Effect, Grantee, Provision};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	pallet_timestamp,
	sp_keyring::Sr25519Keyring,
};

#[test]
fn grant_access_revoke_refuse_and_log() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(NOW_SECS * 1000);
		let admin: AccountId = Sr25519Keyring::Bob.to_account_id();
		let physician: AccountId = Sr25519Keyring::Charlie.to_account_id();
		let patient: AccountId = Sr25519Keyring::Dave.to_account_id();

		assert_ok!(Directory::register_organisation(
			RuntimeOrigin::root(),
			OrganisationKind::Hospital,
			admin.clone().into(),
			b"St Example Hospital".to_vec().try_into().unwrap(),
		));
		join(&admin, 0, &physician, PractitionerRole::Physician);
		assert_ok!(Directory::register_patient(
			RuntimeOrigin::signed(patient.clone()),
			[9u8; 32],
			[5u8; 32]
		));

		let read_general = || {
			Consent::evaluate_access(
				&patient,
				&physician,
				ConsentAction::Read,
				PurposeOfUse::Treatment,
				AccessTarget::Class(GENERAL),
			)
		};
		assert!(!read_general().permitted, "no grant yet");
		assert_eq!(read_general().reason, DecisionReason::NoGrant);

		// The patient grants the physician read/write for treatment over general data.
		assert_ok!(Consent::grant_consent(
			RuntimeOrigin::signed(patient.clone()),
			Grantee::Account(physician.clone()),
			Provision {
				effect: Effect::Permit,
				actions: vec![ConsentAction::Read, ConsentAction::Write].try_into().unwrap(),
				purposes: vec![PurposeOfUse::Treatment].try_into().unwrap(),
				classes: vec![GENERAL].try_into().unwrap(),
				records: Default::default(),
			},
			None,
			None,
		));
		let decision = read_general();
		assert!(decision.permitted);
		assert_eq!(decision.reason, DecisionReason::Granted);
		let grant = decision.grant.expect("the grant that permits");
		// Not for another class or purpose.
		assert!(
			!Consent::evaluate_access(
				&patient,
				&physician,
				ConsentAction::Read,
				PurposeOfUse::Treatment,
				AccessTarget::Class(MENTAL_HEALTH),
			)
			.permitted
		);
		assert!(
			!Consent::evaluate_access(
				&patient,
				&physician,
				ConsentAction::Read,
				PurposeOfUse::Research,
				AccessTarget::Class(GENERAL),
			)
			.permitted
		);

		// The physician records an access.
		assert_ok!(Consent::record_access(
			RuntimeOrigin::signed(physician.clone()),
			patient.clone().into(),
			AccessTarget::Class(GENERAL),
			PurposeOfUse::Treatment,
			ConsentAction::Read,
		));

		// The patient revokes at block 5; the physician's next access is refused.
		System::set_block_number(5);
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(patient.clone()), grant));
		assert!(!read_general().permitted);
		assert_noop!(
			Consent::record_access(
				RuntimeOrigin::signed(physician.clone()),
				patient.clone().into(),
				AccessTarget::Class(GENERAL),
				PurposeOfUse::Treatment,
				ConsentAction::Read,
			),
			pallet_consent::Error::<Runtime>::AccessDenied
		);

		// History: at block 1 the physician was allowed; the log holds exactly one receipt.
		assert!(
			Consent::evaluate_access_at(
				&patient,
				&physician,
				ConsentAction::Read,
				PurposeOfUse::Treatment,
				AccessTarget::Class(GENERAL),
				1,
			)
			.permitted
		);
		let log = Consent::access_log(&patient, None, 10);
		assert_eq!(log.len(), 1);
		assert_eq!(log[0].actor, physician);
		assert_eq!(log[0].at, 1);
	});
}
