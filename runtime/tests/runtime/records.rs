//! Medical-record anchors through the real runtime (no mocks): a physician of the patient's
//! treating hospital anchors a synthetic FHIR Observation, amends it, shares it with a colleague
//! and the patient erases it. After each step, nothing of the record's plaintext, its resource
//! type included, is anywhere in storage or in the events: only commitments, the CID (until
//! erasure) and the patient's salted class tag. And a patient treated at two hospitals under
//! an account of their own at each: nothing in storage or events links the two accounts, either
//! of them to the patient's own, or either to the other hospital's staff.

use crate::common::{chain_bytes, contains, dispatch, new_ext, NOW_SECS};
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

/// Registers hospital `organisation` (the next id) with `admin`; each of `physicians` accepts
/// its invitation as a physician.
fn hospital(organisation: u32, admin: &AccountId, physicians: &[&AccountId]) {
	dispatch(
		RuntimeCall::Directory(pallet_directory::Call::register_organisation {
			kind: OrganisationKind::Hospital,
			admin: admin.clone().into(),
			name: format!("Hospital {organisation}").into_bytes().try_into().unwrap(),
		}),
		RuntimeOrigin::root(),
	);
	for who in physicians {
		dispatch(
			RuntimeCall::Directory(pallet_directory::Call::invite_practitioner {
				organisation,
				practitioner: (*who).clone().into(),
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
			RuntimeCall::Directory(pallet_directory::Call::accept_invitation { organisation }),
			RuntimeOrigin::signed((*who).clone()),
		);
	}
}

/// `patient` lets the physicians of `organisation` read and write their records of the class
/// tagged `class` for treatment (a role grant).
fn let_physicians_treat(patient: &AccountId, organisation: u32, class: ClassTag) {
	dispatch(
		RuntimeCall::Consent(pallet_consent::Call::grant_consent {
			grantee: Grantee::Role { organisation, role: PractitionerRole::Physician },
			provision: Provision {
				effect: Effect::Permit,
				actions: vec![ConsentAction::Read, ConsentAction::Write].try_into().unwrap(),
				purposes: vec![PurposeOfUse::Treatment].try_into().unwrap(),
				classes: vec![class].try_into().unwrap(),
				records: Default::default(),
			},
			valid_from: None,
			valid_until: None,
		}),
		RuntimeOrigin::signed(patient.clone()),
	);
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
		hospital(0, &admin, &[&physician, &colleague]);
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
		let_physicians_treat(&patient, 0, general);
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

/// Security review H3: a patient treated at two hospitals is known to each by an account of
/// their own for it, hard-derived from their secret as the client does
/// (`<secret URI>//medchain-organisation//<id>`). Through registration, consent, anchoring and
/// a read receipt at each, no storage entry and no event holding one of those accounts holds the
/// other, the patient's own account, or an account of the other hospital's staff: nothing on
/// chain links the patient's care at one hospital to their care at the other, or to them.
#[test]
fn h3_a_patient_at_two_hospitals_is_two_accounts_that_nothing_on_chain_links() {
	use polkadot_sdk::sp_core::{sr25519, Pair};
	let derived = |organisation: u32| -> AccountId {
		let uri = format!("//Dave//medchain-organisation//{organisation}");
		sr25519::Pair::from_string(&uri, None).expect("a derivation").public().into()
	};
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(NOW_SECS * 1000);
		let own = account(Sr25519Keyring::Dave);
		// (admin, physician) of organisations 0 and 1.
		let staff = [
			(account(Sr25519Keyring::Bob), account(Sr25519Keyring::Charlie)),
			(account(Sr25519Keyring::Ferdie), account(Sr25519Keyring::Eve)),
		];
		let at = [derived(0), derived(1)];
		for (organisation, (admin, physician)) in staff.iter().enumerate() {
			let organisation = organisation as u32;
			let patient = &at[organisation as usize];
			hospital(organisation, admin, &[physician]);
			dispatch(
				RuntimeCall::Directory(pallet_directory::Call::register_patient {
					pseudonym: blake2_256(&patient.encode()),
					encryption_key: blake2_256(&[b"key".as_slice(), &patient.encode()].concat()),
				}),
				RuntimeOrigin::signed(patient.clone()),
			);
			// Each account's class key is its own: its tags are unrelated to the other's.
			let general =
				ClassTag(blake2_256(&[b"general".as_slice(), &patient.encode()].concat()));
			let_physicians_treat(patient, organisation, general);
			let (content, _, _) = content(organisation as u8 + 1);
			dispatch(
				RuntimeCall::MedicalRecords(pallet_medical_records::Call::anchor_record {
					patient: patient.clone().into(),
					data_class: general,
					content,
					patient_key: vec![0xA1; 80].try_into().unwrap(),
					author_key: vec![0xA2; 80].try_into().unwrap(),
				}),
				RuntimeOrigin::signed(physician.clone()),
			);
			dispatch(
				RuntimeCall::Consent(pallet_consent::Call::record_access {
					patient: patient.clone().into(),
					target: medchain_primitives::AccessTarget::Record {
						record: organisation.into(),
						class: general,
					},
					purpose: PurposeOfUse::Treatment,
					action: ConsentAction::Read,
				}),
				RuntimeOrigin::signed(physician.clone()),
			);
		}

		// Each event on its own: the block's event list in storage holds every event of this
		// test's single block, which in a real chain are the many transactions of a block.
		let events_key =
			[sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
		let items: Vec<_> =
			chain_bytes().into_iter().filter(|item| !item.starts_with(&events_key)).collect();
		let holding = |who: &AccountId| -> Vec<&Vec<u8>> {
			items.iter().filter(|item| contains(item, who.as_ref())).collect()
		};
		for (i, patient) in at.iter().enumerate() {
			let (other_admin, other_physician) = &staff[1 - i];
			let found = holding(patient);
			// Its patient entry, grant, record, key and receipt, and their events.
			assert!(found.len() >= 8, "account {i} is on chain ({} items)", found.len());
			for item in found {
				assert!(!contains(item, at[1 - i].as_ref()), "an item links the two accounts");
				assert!(!contains(item, own.as_ref()), "an item links account {i} to the patient");
				assert!(
					!contains(item, other_admin.as_ref()),
					"account {i} linked to the other hospital"
				);
				assert!(
					!contains(item, other_physician.as_ref()),
					"account {i} linked to its physician"
				);
			}
		}
		// The patient's own account, which they never used for care, stands next to nothing of
		// either hospital's.
		for item in holding(&own) {
			for (admin, physician) in &staff {
				assert!(!contains(item, admin.as_ref()) && !contains(item, physician.as_ref()));
			}
		}
	});
}
