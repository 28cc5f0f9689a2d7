//! Medical-record anchors through the real runtime (no mocks): a physician of the patient's
//! treating hospital anchors a synthetic FHIR Observation, amends it, shares it with a colleague
//! and the patient erases it. After each step, nothing of the record's plaintext, its resource
//! type included, is anywhere in storage or in the events: only commitments, the CID (until
//! erasure) and the patient's salted class tag.

use crate::common::{contains, dispatch, new_ext, NOW_SECS};
use codec::Encode;
use medchain_primitives::{
	ClassTag, ConsentAction, OrganisationKind, PractitionerRole, PurposeOfUse,
};
use medchain_runtime::{
	genesis_config_presets::DEVELOPMENT_PRESET, AccountId, MedicalRecords, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, System,
};
use pallet_consent_runtime_api::{Effect, Grantee, Provision};
use pallet_medical_records_runtime_api::IntegrityStatus;
use polkadot_sdk::{
	frame_support::assert_noop, pallet_timestamp, sp_io, sp_io::hashing::blake2_256,
	sp_keyring::Sr25519Keyring, sp_runtime::traits::Dispatchable,
};

/// A synthetic FHIR R5 Observation: what a hospital would encrypt and never put on chain.
const PLAINTEXT: &str = r#"{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c/Hemoglobin.total in Blood"}]},"subject":{"display":"Jane Synthetic-Doe"},"effectiveDateTime":"2026-11-20","valueQuantity":{"value":7.26,"unit":"%"}}"#;

/// The plaintext's field values, each of which must never appear on chain, the resource type
/// included (security review H3: it is inside the envelope only). Values of 3 bytes or fewer
/// are not scanned, since any short byte string turns up by chance inside hashes.
const FIELD_VALUES: &[&str] = &[
	"Observation",
	"final",
	"http://loinc.org",
	"4548-4",
	"Hemoglobin A1c/Hemoglobin.total in Blood",
	"Hemoglobin",
	"Jane Synthetic-Doe",
	"Synthetic",
	"2026-11-20",
	"7.26",
];

fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

/// Every storage value (with its key) except the runtime code, and every event, as bytes.
fn chain_bytes() -> Vec<Vec<u8>> {
	let mut all = Vec::new();
	let mut key = Vec::new();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if next.as_slice() != b":code" {
			let mut item = next.clone();
			item.extend(sp_io::storage::get(&next).map(|v| v.to_vec()).unwrap_or_default());
			all.push(item);
		}
		key = next;
	}
	all.extend(System::events().into_iter().map(|e| e.encode()));
	all
}

fn found_anywhere(needle: &[u8]) -> bool {
	chain_bytes().iter().any(|item| contains(item, needle))
}

fn assert_no_plaintext(step: &str) {
	let items = chain_bytes();
	for value in FIELD_VALUES.iter().chain([&PLAINTEXT]) {
		assert!(
			!items.iter().any(|item| contains(item, value.as_bytes())),
			"after {step}: plaintext value {value:?} found on chain"
		);
	}
}

/// What a client puts on chain for a version: the hash of the ciphertext, a salted
/// commitment of the plaintext and the CID of the ciphertext.
fn content(version: u8) -> (pallet_medical_records::VersionContentOf<Runtime>, [u8; 32], Vec<u8>) {
	let salt = [version; 16];
	let plaintext_commitment = blake2_256(&[&salt[..], PLAINTEXT.as_bytes()].concat());
	// Stand-in ciphertext: the plaintext under a keystream (the real client uses
	// XChaCha20-Poly1305; here it only has to differ from the plaintext).
	let keystream = blake2_256(&[version; 32]);
	let ciphertext: Vec<u8> =
		PLAINTEXT.bytes().enumerate().map(|(i, b)| b ^ keystream[i % 32]).collect();
	let ciphertext_hash = blake2_256(&ciphertext);
	let cid = format!("bafkreimedchainsyntheticv{version}").into_bytes();
	(
		pallet_medical_records::VersionContent {
			ciphertext_hash,
			plaintext_commitment,
			cid: cid.clone().try_into().unwrap(),
		},
		ciphertext_hash,
		cid,
	)
}

#[test]
fn anchor_amend_share_erase_with_no_plaintext_on_chain() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(NOW_SECS * 1000);
		let admin = account(Sr25519Keyring::Bob);
		let physician = account(Sr25519Keyring::Charlie);
		let colleague = account(Sr25519Keyring::Ferdie);
		let patient = account(Sr25519Keyring::Dave);
		let outsider = account(Sr25519Keyring::Eve);

		// The directory: a hospital, two physicians who accept its invitations, a patient.
		dispatch(
			RuntimeCall::Directory(pallet_directory::Call::register_organisation {
				kind: OrganisationKind::Hospital,
				admin: admin.clone().into(),
				name: b"St Example Hospital".to_vec().try_into().unwrap(),
			}),
			RuntimeOrigin::root(),
		);
		for who in [&physician, &colleague] {
			dispatch(
				RuntimeCall::Directory(pallet_directory::Call::invite_practitioner {
					organisation: 0,
					practitioner: who.clone().into(),
					role: PractitionerRole::Physician,
					licence: pallet_directory::Licence {
						authority: b"GMC".to_vec().try_into().unwrap(),
						licence_id: blake2_256(&who.encode()),
						valid_from: NOW_SECS - 86_400,
						valid_until: NOW_SECS + 365 * 86_400,
					},
				}),
				RuntimeOrigin::signed(admin.clone()),
			);
			dispatch(
				RuntimeCall::Directory(pallet_directory::Call::accept_invitation {
					organisation: 0,
				}),
				RuntimeOrigin::signed(who.clone()),
			);
		}
		dispatch(
			RuntimeCall::Directory(pallet_directory::Call::register_patient {
				pseudonym: blake2_256(b"patient pseudonym"),
				encryption_key: [5u8; 32],
			}),
			RuntimeOrigin::signed(patient.clone()),
		);

		// The patient's tag for the general class, as their client computes it under a class
		// key only the patient and their hospital hold: nothing on chain says which class it is.
		let general = ClassTag(blake2_256(b"Dave's class key || general"));
		let (v1, hash1, cid1) = content(1);
		let anchor = || {
			RuntimeCall::MedicalRecords(pallet_medical_records::Call::anchor_record {
				patient: patient.clone().into(),
				data_class: general,
				content: v1.clone(),
				patient_key: vec![0xA1; 80].try_into().unwrap(),
				author_key: vec![0xA2; 80].try_into().unwrap(),
			})
		};
		// Consent decides: refused until the patient lets the hospital's physicians write.
		assert_noop!(
			anchor().dispatch(RuntimeOrigin::signed(physician.clone())),
			pallet_medical_records::Error::<Runtime>::ConsentDenied
		);
		dispatch(
			RuntimeCall::Consent(pallet_consent::Call::grant_consent {
				grantee: Grantee::Role { organisation: 0, role: PractitionerRole::Physician },
				provision: Provision {
					effect: Effect::Permit,
					actions: vec![ConsentAction::Read, ConsentAction::Write].try_into().unwrap(),
					purposes: vec![PurposeOfUse::Treatment].try_into().unwrap(),
					classes: vec![general].try_into().unwrap(),
					records: Default::default(),
				},
				valid_from: None,
				valid_until: None,
			}),
			RuntimeOrigin::signed(patient.clone()),
		);
		dispatch(anchor(), RuntimeOrigin::signed(physician.clone()));
		let record = 0;
		assert_eq!(
			MedicalRecords::integrity(record, hash1),
			IntegrityStatus::Current { version: 1 }
		);
		// The scan sees what is on chain: the commitment, the CID and the class tag are there...
		assert!(found_anywhere(&hash1) && found_anywhere(&cid1), "the scan reads storage");
		assert!(found_anywhere(&general.0), "the scan reads the record's class tag");
		// ...and nothing of the plaintext is.
		assert_no_plaintext("anchoring");

		// A non-practitioner cannot anchor; the physician amends.
		assert_noop!(
			anchor().dispatch(RuntimeOrigin::signed(outsider.clone())),
			pallet_medical_records::Error::<Runtime>::NotActivePractitioner
		);
		let (v2, hash2, _) = content(2);
		dispatch(
			RuntimeCall::MedicalRecords(pallet_medical_records::Call::amend_record {
				record,
				content: v2,
				rekey: None,
			}),
			RuntimeOrigin::signed(physician.clone()),
		);
		assert_eq!(
			MedicalRecords::integrity(record, hash1),
			IntegrityStatus::Superseded { version: 1, current: 2 }
		);
		assert_eq!(
			MedicalRecords::integrity(record, hash2),
			IntegrityStatus::Current { version: 2 }
		);
		assert_eq!(MedicalRecords::versions_of(record).len(), 2);
		assert_no_plaintext("amending");

		// Sharing: a wrapped key for the colleague.
		dispatch(
			RuntimeCall::MedicalRecords(pallet_medical_records::Call::add_wrapped_key {
				record,
				grantee: colleague.clone().into(),
				wrapped_key: vec![0xB1; 80].try_into().unwrap(),
				purpose: PurposeOfUse::Treatment,
			}),
			RuntimeOrigin::signed(patient.clone()),
		);
		assert!(pallet_medical_records::WrappedKeys::<Runtime>::contains_key(record, &colleague));
		assert_no_plaintext("sharing");

		// Keys follow consent (security review H2): the patient revokes the role grant that
		// let the colleague read; the key it delivered goes in the same call, the author's
		// stays, and the record's next amendment must change its data key.
		assert_eq!(pallet_medical_records::KeyGrant::<Runtime>::get(record, &colleague), Some(0));
		dispatch(
			RuntimeCall::Consent(pallet_consent::Call::revoke_consent { grant: 0 }),
			RuntimeOrigin::signed(patient.clone()),
		);
		assert!(!pallet_medical_records::WrappedKeys::<Runtime>::contains_key(record, &colleague));
		assert!(pallet_medical_records::WrappedKeys::<Runtime>::contains_key(record, &physician));
		assert!(pallet_medical_records::StaleKeys::<Runtime>::contains_key(record));
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::MedicalRecords(pallet_medical_records::Event::WrappedKeyRevoked {
				record: 0,
				holder,
				grant: 0,
			}) if holder == &colleague
		)));

		// Erasure by the patient: CIDs and wrapped keys gone, commitments and tombstone kept.
		dispatch(
			RuntimeCall::MedicalRecords(pallet_medical_records::Call::erase_record { record }),
			RuntimeOrigin::signed(patient.clone()),
		);
		assert_eq!(MedicalRecords::integrity(record, hash2), IntegrityStatus::Erased);
		assert!(!found_anywhere(&cid1), "the CID is gone from storage");
		assert_eq!(pallet_medical_records::WrappedKeys::<Runtime>::iter_prefix(record).count(), 0);
		assert!(found_anywhere(&hash2), "the commitment stays");
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::MedicalRecords(pallet_medical_records::Event::RecordErased { record: 0, by })
				if by == &patient
		)));
		// An erased record cannot be amended.
		let (v3, _, _) = content(3);
		assert_noop!(
			RuntimeCall::MedicalRecords(pallet_medical_records::Call::amend_record {
				record,
				content: v3,
				rekey: None,
			})
			.dispatch(RuntimeOrigin::signed(physician)),
			pallet_medical_records::Error::<Runtime>::Erased
		);
		assert_no_plaintext("erasure");
	});
}
