//! Anchoring: by a practitioner for a patient, and by a patient for themself.

use super::mock::*;
use crate::{
	Error, Event, NextRecordId, PatientRecordCount, PatientRecords, Record, RecordState, Records,
	VersionByCiphertext, VersionContent, VersionInfo, Versions, WrappedKeys,
};
use codec::{Decode, Encode};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use medchain_primitives::PractitionerRole;
use polkadot_sdk::*;
use sp_runtime::DispatchError;

/// `anchor_record` by `author` about `patient` with every field given.
#[allow(clippy::too_many_arguments)]
fn anchor_call(
	author: u64,
	patient: u64,
	ciphertext_hash: [u8; 32],
	plaintext_commitment: [u8; 32],
	cid_: crate::CidOf<Test>,
	patient_key: crate::WrappedKeyOf<Test>,
	author_key: crate::WrappedKeyOf<Test>,
) -> sp_runtime::DispatchResult {
	MedicalRecords::anchor_record(
		RuntimeOrigin::signed(author),
		patient,
		GENERAL,
		VersionContent { ciphertext_hash, plaintext_commitment, cid: cid_ },
		patient_key,
		author_key,
	)
}

/// The fields of `anchor_record` after the patient and the data class.
type Fields =
	([u8; 32], [u8; 32], crate::CidOf<Test>, crate::WrappedKeyOf<Test>, crate::WrappedKeyOf<Test>);

/// `anchor_record` by `author` about `patient` with valid fields.
fn anchor_valid(author: u64, patient: u64) -> sp_runtime::DispatchResult {
	anchor_call(author, patient, cipher(1), plain(1), cid(1), key(1), key(2))
}

/// `anchor_self_reported` by `patient` with every field given.
fn self_call(
	patient: u64,
	ciphertext_hash: [u8; 32],
	plaintext_commitment: [u8; 32],
	cid_: crate::CidOf<Test>,
	patient_key: crate::WrappedKeyOf<Test>,
) -> sp_runtime::DispatchResult {
	MedicalRecords::anchor_self_reported(
		RuntimeOrigin::signed(patient),
		GENERAL,
		VersionContent { ciphertext_hash, plaintext_commitment, cid: cid_ },
		patient_key,
	)
}

#[test]
fn anchor_record_stores_the_anchor_its_first_version_keys_and_index() {
	ExtBuilder.build_and_execute(|| {
		System::set_block_number(5);
		assert_ok!(MedicalRecords::anchor_record(
			RuntimeOrigin::signed(DOC),
			ALICE,
			GENETIC,
			content(1),
			key(1),
			key(2),
		));
		assert_last_event(Event::RecordAnchored {
			record: 0,
			subject: ALICE,
			custodian: Some(ORG_A),
			author: DOC,
			version: 1,
			ciphertext_hash: cipher(1),
		});
		assert_eq!(
			Records::<Test>::get(0),
			Some(Record {
				subject: ALICE,
				custodian: Some(ORG_A),
				author: DOC,
				created_at: 5,
				current_version: 1,
				grantees: 2,
				state: RecordState::Active { data_class: GENETIC },
			})
		);
		assert_eq!(
			Versions::<Test>::get(0, 1),
			Some(VersionInfo {
				ciphertext_hash: cipher(1),
				plaintext_commitment: plain(1),
				cid: Some(cid(1)),
				author: DOC,
				created_at: 5,
				supersedes: None,
			})
		);
		assert_eq!(VersionByCiphertext::<Test>::get(0, cipher(1)), Some(1));
		assert_eq!(WrappedKeys::<Test>::get(0, ALICE), Some(key(1)));
		assert_eq!(WrappedKeys::<Test>::get(0, DOC), Some(key(2)));
		assert_eq!(WrappedKeys::<Test>::iter_prefix(0).count(), 2);
		assert!(PatientRecords::<Test>::contains_key(ALICE, 0));
		assert_eq!(PatientRecordCount::<Test>::get(ALICE), 1);
		assert_eq!(NextRecordId::<Test>::get(), 1);
	});
}

#[test]
fn record_ids_are_sequential_and_indexed_per_patient() {
	ExtBuilder.build_and_execute(|| {
		assert_eq!(anchor(DOC, ALICE, 1), 0);
		assert_eq!(anchor(DOC_B, BOB, 2), 1);
		assert_eq!(anchor_self(ALICE, 3), 2);
		assert_eq!(anchor(NURSE, ALICE, 4), 3);
		assert_eq!(NextRecordId::<Test>::get(), 4);
		assert_eq!(PatientRecordCount::<Test>::get(ALICE), 3);
		assert_eq!(PatientRecordCount::<Test>::get(BOB), 1);
		let mut alices: Vec<u64> = PatientRecords::<Test>::iter_key_prefix(ALICE).collect();
		alices.sort();
		assert_eq!(alices, vec![0, 2, 3]);
		assert_eq!(PatientRecords::<Test>::iter_key_prefix(BOB).collect::<Vec<_>>(), vec![1]);
		// The custodian is the anchoring practitioner's organisation.
		assert_eq!(Records::<Test>::get(1).map(|r| r.custodian), Some(Some(ORG_B)));
		assert_eq!(Records::<Test>::get(3).map(|r| r.author), Some(NURSE));
	});
}

#[test]
fn anchor_self_reported_has_no_custodian_and_only_the_patients_key() {
	ExtBuilder.build_and_execute(|| {
		assert_ok!(MedicalRecords::anchor_self_reported(
			RuntimeOrigin::signed(ALICE),
			MENTAL_HEALTH,
			content(1),
			key(1),
		));
		assert_last_event(Event::RecordAnchored {
			record: 0,
			subject: ALICE,
			custodian: None,
			author: ALICE,
			version: 1,
			ciphertext_hash: cipher(1),
		});
		let record = Records::<Test>::get(0).unwrap();
		assert_eq!(record.custodian, None);
		assert_eq!(record.author, ALICE);
		assert_eq!(record.grantees, 1);
		assert_eq!(record.state, RecordState::Active { data_class: MENTAL_HEALTH });
		assert_eq!(WrappedKeys::<Test>::iter_prefix(0).collect::<Vec<_>>(), vec![(ALICE, key(1))]);
		assert_eq!(Versions::<Test>::get(0, 1).map(|v| v.author), Some(ALICE));
		assert_eq!(PatientRecordCount::<Test>::get(ALICE), 1);
	});
}

#[test]
fn a_non_practitioner_cannot_anchor() {
	ExtBuilder.build_and_execute(|| {
		// A stranger, a patient, an organisation's admin: none is a practitioner.
		assert_noop!(anchor_valid(MALLORY, ALICE), Error::<Test>::NotActivePractitioner);
		assert_noop!(anchor_valid(BOB, ALICE), Error::<Test>::NotActivePractitioner);
		assert_noop!(anchor_valid(ADMIN_A, ALICE), Error::<Test>::NotActivePractitioner);
		assert_noop!(
			MedicalRecords::anchor_record(
				RuntimeOrigin::none(),
				ALICE,
				GENERAL,
				content(1),
				key(1),
				key(2),
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_suspended_or_expired_practitioner_cannot_anchor() {
	ExtBuilder.build_and_execute(|| {
		// The directory reports a suspended, revoked or expired licence (or an inactive
		// organisation) as "not an active practitioner".
		set_inactive(DOC);
		assert_noop!(anchor_valid(DOC, ALICE), Error::<Test>::NotActivePractitioner);
		// Reinstated (or renewed): the very same call succeeds.
		set_practitioner(DOC, ORG_A, PractitionerRole::Physician);
		assert_ok!(anchor_valid(DOC, ALICE));
	});
}

#[test]
fn a_practitioner_cannot_anchor_about_themself() {
	ExtBuilder.build_and_execute(|| {
		register_patient(DOC);
		allow_consent(DOC, DOC, ORG_A);
		assert_noop!(anchor_valid(DOC, DOC), Error::<Test>::SelfAuthored);
		// As a patient they self-report.
		assert_ok!(self_call(DOC, cipher(1), plain(1), cid(1), key(1)));
	});
}

#[test]
fn the_subject_must_be_a_registered_patient() {
	ExtBuilder.build_and_execute(|| {
		allow_consent(MALLORY, DOC, ORG_A);
		assert_noop!(anchor_valid(DOC, MALLORY), Error::<Test>::PatientNotFound);
		unregister_patient(ALICE);
		assert_noop!(anchor_valid(DOC, ALICE), Error::<Test>::PatientNotFound);
	});
}

#[test]
fn anchoring_without_consent_is_refused() {
	ExtBuilder.build_and_execute(|| {
		deny_consent(ALICE, DOC);
		assert_noop!(anchor_valid(DOC, ALICE), Error::<Test>::ConsentDenied);
		// NURSE still has consent.
		assert_ok!(anchor_valid(NURSE, ALICE));
		// Bob never consented to NURSE.
		assert_noop!(anchor_valid(NURSE, BOB), Error::<Test>::ConsentDenied);
	});
}

#[test]
fn consent_is_asked_for_the_data_class() {
	ExtBuilder.build_and_execute(|| {
		deny_class(ALICE, DOC, SUBSTANCE_USE);
		let call = |class| {
			MedicalRecords::anchor_record(
				RuntimeOrigin::signed(DOC),
				ALICE,
				class,
				content(1),
				key(1),
				key(2),
			)
		};
		assert_noop!(call(SUBSTANCE_USE), Error::<Test>::ConsentDenied);
		assert_ok!(call(GENERAL));
	});
}

#[test]
fn consent_is_asked_for_the_practitioners_own_organisation() {
	ExtBuilder.build_and_execute(|| {
		// Alice consents to DOC only when acting for ORG_B, which DOC does not belong to.
		deny_consent(ALICE, DOC);
		allow_consent(ALICE, DOC, ORG_B);
		assert_noop!(anchor_valid(DOC, ALICE), Error::<Test>::ConsentDenied);
		// Moved to ORG_B, DOC may write, and ORG_B becomes the custodian.
		set_practitioner(DOC, ORG_B, PractitionerRole::Physician);
		assert_ok!(anchor_valid(DOC, ALICE));
		assert_eq!(Records::<Test>::get(0).map(|r| r.custodian), Some(Some(ORG_B)));
	});
}

#[test]
fn empty_or_invalid_fields_are_refused() {
	ExtBuilder.build_and_execute(|| {
		let ok: Fields = (cipher(1), plain(1), cid(1), key(1), key(2));
		let call = |f: &dyn Fn(&mut Fields)| {
			let mut a = ok.clone();
			f(&mut a);
			anchor_call(DOC, ALICE, a.0, a.1, a.2, a.3, a.4)
		};
		assert_noop!(call(&|a| a.0 = [0u8; 32]), Error::<Test>::EmptyCommitment);
		assert_noop!(call(&|a| a.1 = [0u8; 32]), Error::<Test>::EmptyCommitment);
		assert_noop!(call(&|a| a.2 = BoundedVec::default()), Error::<Test>::EmptyCid);
		assert_noop!(call(&|a| a.3 = BoundedVec::default()), Error::<Test>::EmptyWrappedKey);
		assert_noop!(call(&|a| a.4 = BoundedVec::default()), Error::<Test>::EmptyWrappedKey);
		// The longest fields are accepted.
		assert_ok!(call(&|a| {
			a.2 = BoundedVec::try_from(vec![b'c'; MAX_CID_LEN as usize]).unwrap();
			a.3 = BoundedVec::try_from(vec![4; MAX_WRAPPED_KEY_LEN as usize]).unwrap();
			a.4 = BoundedVec::try_from(vec![5; MAX_WRAPPED_KEY_LEN as usize]).unwrap();
		}));
	});
}

#[test]
fn anchor_self_reported_error_paths() {
	ExtBuilder.build_and_execute(|| {
		let valid = |who| self_call(who, cipher(1), plain(1), cid(1), key(1));
		// Not a registered patient: a stranger, a practitioner.
		assert_noop!(valid(MALLORY), Error::<Test>::PatientNotFound);
		assert_noop!(valid(DOC), Error::<Test>::PatientNotFound);
		assert_noop!(
			MedicalRecords::anchor_self_reported(
				RuntimeOrigin::none(),
				GENERAL,
				content(1),
				key(1),
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			self_call(ALICE, [0u8; 32], plain(1), cid(1), key(1)),
			Error::<Test>::EmptyCommitment
		);
		assert_noop!(
			self_call(ALICE, cipher(1), [0u8; 32], cid(1), key(1)),
			Error::<Test>::EmptyCommitment
		);
		assert_noop!(
			self_call(ALICE, cipher(1), plain(1), BoundedVec::default(), key(1)),
			Error::<Test>::EmptyCid
		);
		assert_noop!(
			self_call(ALICE, cipher(1), plain(1), cid(1), BoundedVec::default()),
			Error::<Test>::EmptyWrappedKey
		);
		assert_ok!(valid(ALICE));
	});
}

#[test]
fn exhausted_counters_are_refused() {
	ExtBuilder.build_and_execute(|| {
		NextRecordId::<Test>::put(u64::MAX);
		assert_noop!(anchor_valid(DOC, ALICE), Error::<Test>::Overflow);
		assert_noop!(
			self_call(ALICE, cipher(1), plain(1), cid(1), key(1)),
			Error::<Test>::Overflow
		);
		NextRecordId::<Test>::put(0);

		anchor(DOC, ALICE, 1);
		PatientRecordCount::<Test>::insert(ALICE, u32::MAX);
		assert_noop!(anchor_valid(DOC, ALICE), Error::<Test>::Overflow);
		PatientRecordCount::<Test>::insert(ALICE, 1);
	});
}

/// The SCALE encoding of `anchor_self_reported` with raw (unbounded) byte fields.
fn encoded_self_call(cid_: Vec<u8>, patient_key: Vec<u8>) -> Vec<u8> {
	let mut bytes = vec![1u8]; // call index 1
	GENERAL.encode_to(&mut bytes);
	cipher(1).encode_to(&mut bytes);
	plain(1).encode_to(&mut bytes);
	cid_.encode_to(&mut bytes);
	patient_key.encode_to(&mut bytes);
	bytes
}

#[test]
fn oversized_fields_cannot_even_be_decoded() {
	ExtBuilder.build_and_execute(|| {
		let longest_cid = vec![b'c'; MAX_CID_LEN as usize];
		let longest_key = vec![9u8; MAX_WRAPPED_KEY_LEN as usize];
		let decode = |bytes: Vec<u8>| crate::Call::<Test>::decode(&mut &bytes[..]);

		assert_eq!(
			decode(encoded_self_call(longest_cid.clone(), longest_key.clone())).ok(),
			Some(crate::Call::<Test>::anchor_self_reported {
				data_class: GENERAL,
				content: VersionContent {
					ciphertext_hash: cipher(1),
					plaintext_commitment: plain(1),
					cid: longest_cid.clone().try_into().unwrap(),
				},
				patient_key: longest_key.clone().try_into().unwrap(),
			})
		);
		let mut long_cid = longest_cid.clone();
		long_cid.push(b'c');
		assert!(decode(encoded_self_call(long_cid, longest_key.clone())).is_err());
		let mut long_key = longest_key;
		long_key.push(9);
		assert!(decode(encoded_self_call(longest_cid, long_key)).is_err());
	});
}

#[test]
fn events_and_storage_hold_no_plaintext_metadata_beyond_codes() {
	ExtBuilder.build_and_execute(|| {
		anchor(DOC, ALICE, 1);
		// The event names the record, the accounts, the custodian and the ciphertext hash:
		// not the resource type, the data class, the CID or a wrapped key.
		let encoded = System::events().encode();
		let contains = |needle: &[u8]| encoded.windows(needle.len()).any(|w| w == needle);
		assert!(!contains(b"Observation"));
		assert!(!contains(&cid(1)));
		assert!(!contains(&key(1)));
		assert!(contains(&cipher(1)));
	});
}

#[test]
fn h3_a_record_holds_its_class_only_as_the_patients_tag_and_no_resource_type() {
	ExtBuilder.build_and_execute(|| {
		let record = anchor_class(DOC, ALICE, MENTAL_HEALTH, 1);
		// The stored anchor is the accounts, the custodian, counters and the class tag: its
		// whole encoding ends with the tag, and nothing names a resource type.
		let raw =
			frame_support::storage::unhashed::get_raw(&Records::<Test>::hashed_key_for(record))
				.expect("the record is stored");
		assert!(raw.ends_with(&MENTAL_HEALTH.0));
		let mut expected = Vec::new();
		(ALICE, Some(ORG_A), DOC, 1u64, 1u32, 2u32, 0u8, MENTAL_HEALTH).encode_to(&mut expected);
		assert_eq!(raw, expected);
		// The calls take no resource type: the anchor call's encoding is the patient, the tag,
		// the content and the keys, nothing else.
		let call = crate::Call::<Test>::anchor_record {
			patient: ALICE,
			data_class: MENTAL_HEALTH,
			content: content(1),
			patient_key: key(1),
			author_key: key(2),
		};
		let mut fields = Vec::new();
		(ALICE, MENTAL_HEALTH, content(1), key(1), key(2)).encode_to(&mut fields);
		assert_eq!(call.encode()[1..], fields[..]);
	});
}
