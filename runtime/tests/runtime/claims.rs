//! Claims through the real runtime (no mocks): a patient accepts an insurer's coverage; a
//! physician anchors two records of their care and claims one of them; the insurer's claims
//! officer may then read exactly that record, for payment, and nothing else (consent answers,
//! through the grant the claim made in the patient's name); the claim's final decision ends that
//! access, and the insurer pays the hospital from its escrow. A patient who revokes the grant ends
//! the payer's access at once, and the claim goes on to its end regardless.

use crate::common::{dispatch, join, new_ext, GENERAL, NOW_SECS};
use medchain_primitives::{
	AccessTarget, ConsentAction, OrganisationKind, PractitionerRole, PurposeOfUse, RecordId,
};
use medchain_runtime::{
	AccountId, Balances, Claims, Consent, Runtime, RuntimeCall, RuntimeOrigin, System, UNIT,
};
use pallet_claims::{ClaimStatus, Decision};
use pallet_consent_runtime_api::{EndReason, Grantee};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	pallet_timestamp,
	sp_io::hashing::blake2_256,
	sp_keyring::Sr25519Keyring,
};

const HOSPITAL: u32 = 0;
const INSURER: u32 = 1;

fn organisation(kind: OrganisationKind, admin: &AccountId, name: &str) {
	dispatch(
		RuntimeCall::Directory(pallet_directory::Call::register_organisation {
			kind,
			admin: admin.clone().into(),
			name: name.as_bytes().to_vec().try_into().unwrap(),
		}),
		RuntimeOrigin::root(),
	);
}

/// The physician anchors a general record about `patient`; returns its id.
fn anchor(physician: &AccountId, patient: &AccountId, n: u8) -> RecordId {
	let record = pallet_medical_records::NextRecordId::<Runtime>::get();
	dispatch(
		RuntimeCall::MedicalRecords(pallet_medical_records::Call::anchor_record {
			patient: patient.clone().into(),
			data_class: GENERAL,
			content: pallet_medical_records::VersionContent {
				ciphertext_hash: blake2_256(&[n; 8]),
				plaintext_commitment: blake2_256(&[n; 9]),
				cid: format!("bafkreiclaimsrecord{n}").into_bytes().try_into().unwrap(),
			},
			patient_key: vec![0xA1; 80].try_into().unwrap(),
			author_key: vec![0xA2; 80].try_into().unwrap(),
		}),
		RuntimeOrigin::signed(physician.clone()),
	);
	record
}

/// Whether `officer` may read `record` of `patient` for payment now.
fn payer_reads(patient: &AccountId, officer: &AccountId, record: RecordId) -> bool {
	Consent::evaluate_access(
		patient,
		officer,
		ConsentAction::Read,
		PurposeOfUse::Payment,
		AccessTarget::Record { record, class: GENERAL },
	)
	.permitted
}

#[test]
fn a_claim_lets_the_payer_read_exactly_its_records_until_it_ends() {
	new_ext(medchain_runtime::genesis_config_presets::DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(NOW_SECS * 1000);
		let account = |k: Sr25519Keyring| k.to_account_id();
		let (admin, physician) = (account(Sr25519Keyring::Bob), account(Sr25519Keyring::Charlie));
		let (insurer_admin, officer) =
			(account(Sr25519Keyring::Dave), account(Sr25519Keyring::Eve));
		let patient = account(Sr25519Keyring::Ferdie);
		organisation(OrganisationKind::Hospital, &admin, "St Elsewhere");
		join(&admin, HOSPITAL, &physician, PractitionerRole::Physician);
		organisation(OrganisationKind::Insurer, &insurer_admin, "Mutual Health");
		join(&insurer_admin, INSURER, &officer, PractitionerRole::ClaimsOfficer);
		dispatch(
			RuntimeCall::Directory(pallet_directory::Call::register_patient {
				pseudonym: blake2_256(b"Ferdie's pseudonym"),
				encryption_key: [5u8; 32],
			}),
			RuntimeOrigin::signed(patient.clone()),
		);
		dispatch(
			RuntimeCall::Consent(pallet_consent::Call::grant_consent {
				grantee: Grantee::Role {
					organisation: HOSPITAL,
					role: PractitionerRole::Physician,
				},
				provision: pallet_consent_runtime_api::Provision {
					effect: pallet_consent_runtime_api::Effect::Permit,
					actions: vec![ConsentAction::Write].try_into().unwrap(),
					purposes: vec![PurposeOfUse::Treatment].try_into().unwrap(),
					classes: vec![GENERAL].try_into().unwrap(),
					records: Default::default(),
				},
				valid_from: None,
				valid_until: None,
			}),
			RuntimeOrigin::signed(patient.clone()),
		);
		let procedure = anchor(&physician, &patient, 1);
		let other = anchor(&physician, &patient, 2);

		// The insurer offers a year's coverage; the patient accepts it.
		assert_ok!(Claims::offer_coverage(
			RuntimeOrigin::signed(insurer_admin.clone()),
			INSURER,
			patient.clone(),
			[0x50; 32],
			1,
			1 + 365 * medchain_runtime::DAYS,
		));
		assert_ok!(Claims::accept_coverage(RuntimeOrigin::signed(patient.clone()), 0));
		assert!(!payer_reads(&patient, &officer, procedure), "no claim, no access");
		// No claim is taken before the insurer's escrow can cover it.
		assert_noop!(
			Claims::submit_claim(
				RuntimeOrigin::signed(physician.clone()),
				0,
				vec![procedure].try_into().unwrap(),
				[0xc1; 32],
			),
			pallet_claims::Error::<Runtime>::InsufficientEscrow
		);
		assert_ok!(Claims::fund_escrow(
			RuntimeOrigin::signed(insurer_admin.clone()),
			INSURER,
			1_000 * UNIT
		));

		// The physician claims the procedure: the officer reads it, for payment only, and
		// not the other record.
		assert_ok!(Claims::submit_claim(
			RuntimeOrigin::signed(physician.clone()),
			0,
			vec![procedure].try_into().unwrap(),
			[0xc1; 32],
		));
		assert!(payer_reads(&patient, &officer, procedure));
		assert!(!payer_reads(&patient, &officer, other), "only the record claimed");
		assert!(
			!Consent::evaluate_access(
				&patient,
				&officer,
				ConsentAction::Read,
				PurposeOfUse::Treatment,
				AccessTarget::Record { record: procedure, class: GENERAL },
			)
			.permitted,
			"for payment only"
		);
		// The grant is the patient's, listed with their others.
		let grant = pallet_claims::Claims::<Runtime>::get(0).unwrap().access;
		let listed = Consent::grants_of(&patient);
		let made = listed.iter().find(|g| g.id == grant).expect("the claim's grant is listed");
		assert_eq!(
			made.grantee,
			Grantee::Role { organisation: INSURER, role: PractitionerRole::ClaimsOfficer }
		);
		assert_eq!(made.provision.records, vec![procedure]);

		// Approved, the window to dispute over, closed: the access ends.
		assert_ok!(Claims::decide_claim(
			RuntimeOrigin::signed(officer.clone()),
			0,
			Decision::Approved,
			[0x72; 32],
		));
		System::set_block_number(2 + 14 * medchain_runtime::DAYS);
		assert_ok!(Claims::close_claim(RuntimeOrigin::signed(admin.clone()), 0));
		assert!(!payer_reads(&patient, &officer, procedure), "the claim's end ends the access");
		let ended = Consent::grants_of(&patient).into_iter().find(|g| g.id == grant).unwrap();
		assert_eq!(ended.ended.map(|e| e.reason), Some(EndReason::Revoked));

		// The insurer pays the hospital (its admin's account) from the escrow.
		let before = Balances::free_balance(&admin);
		assert_ok!(Claims::settle_claims(
			RuntimeOrigin::signed(officer.clone()),
			HOSPITAL,
			vec![0].try_into().unwrap(),
			250 * UNIT,
			[0x5e; 32],
		));
		assert_eq!(Balances::free_balance(&admin) - before, 250 * UNIT);
		assert_eq!(Claims::escrow_balance(INSURER), 750 * UNIT);

		// A second claim, whose grant the patient revokes: the payer's access ends at once,
		// and the claim is still decided and closed.
		assert_ok!(Claims::submit_claim(
			RuntimeOrigin::signed(physician.clone()),
			0,
			vec![other].try_into().unwrap(),
			[0xc2; 32],
		));
		let grant = pallet_claims::Claims::<Runtime>::get(1).unwrap().access;
		assert!(payer_reads(&patient, &officer, other));
		assert_ok!(Consent::revoke_consent(RuntimeOrigin::signed(patient.clone()), grant));
		assert!(!payer_reads(&patient, &officer, other));
		assert_ok!(Claims::withdraw_claim(RuntimeOrigin::signed(physician.clone()), 1));
		assert_eq!(
			pallet_claims::Claims::<Runtime>::get(1).unwrap().status,
			ClaimStatus::Withdrawn
		);
	});
}
