//! Try-runtime checks (feature `try-runtime`; `scripts/test.sh` runs them): an upgrade rehearsed
//! on a chain that holds healthcare data passes every pallet's pre- and post-upgrade hooks,
//! storage-version checks and `try_state` invariants, and a block executes with every
//! `try_state` checked; a missing migration and a broken invariant are each caught.

use crate::common::{author_block, join, new_ext, signed, FIRST_SLOT, GENERAL};
use medchain_primitives::{ConsentAction, OrganisationKind, PractitionerRole, PurposeOfUse};
use medchain_runtime::{
	genesis_config_presets::DEVELOPMENT_PRESET, Directory, Executive, FreeCalls, Runtime,
	RuntimeCall, RuntimeOrigin, System,
};
use pallet_consent_runtime_api::{Effect, Grantee, Provision};
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		traits::{GetStorageVersion, StorageVersion, TryStateSelect, UpgradeCheckSelect},
	},
	sp_keyring::Sr25519Keyring,
	sp_runtime::TryRuntimeError,
};

/// A hospital, its physician, a patient and the patient's grant to the hospital's physicians.
fn care() {
	let admin = Sr25519Keyring::Bob.to_account_id();
	let physician = Sr25519Keyring::Charlie.to_account_id();
	let patient = Sr25519Keyring::Dave.to_account_id();
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
	assert_ok!(medchain_runtime::Consent::grant_consent(
		RuntimeOrigin::signed(patient),
		Grantee::Account(physician),
		Provision {
			effect: Effect::Permit,
			actions: vec![ConsentAction::Read].try_into().unwrap(),
			purposes: vec![PurposeOfUse::Treatment].try_into().unwrap(),
			classes: vec![GENERAL].try_into().unwrap(),
			records: Default::default(),
		},
		None,
		None,
	));
}

fn rehearse() -> Result<(), TryRuntimeError> {
	Executive::try_runtime_upgrade(UpgradeCheckSelect::All).map(|_| ())
}

#[test]
fn an_upgrade_rehearsed_on_a_chain_with_care_data_passes_every_check() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		care();
		assert_ok!(rehearse());
		assert_eq!(Directory::on_chain_storage_version(), Directory::in_code_storage_version());
	});
}

#[test]
fn a_missing_migration_is_caught() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		care();
		// The chain says the directory's storage is at version 1; the code knows version 0 and
		// has no migration for it.
		StorageVersion::new(1).put::<Directory>();
		assert!(rehearse().is_err());
	});
}

/// The records pallet's migration to storage version 1 (security review L2), rehearsed on a
/// chain whose patient erased a record before `ErasedRecordCount` existed: its pre- and
/// post-upgrade checks pass, the erasure is counted and every invariant holds after.
#[test]
fn l2_the_records_migration_counts_earlier_erasures_in_a_rehearsal() {
	use medchain_runtime::MedicalRecords;
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		care();
		let patient = Sr25519Keyring::Dave.to_account_id();
		let record = pallet_medical_records::NextRecordId::<Runtime>::get();
		assert_ok!(MedicalRecords::anchor_self_reported(
			RuntimeOrigin::signed(patient.clone()),
			GENERAL,
			pallet_medical_records::VersionContent {
				ciphertext_hash: [1; 32],
				plaintext_commitment: [2; 32],
				cid: b"bafkreiselfreported".to_vec().try_into().unwrap(),
			},
			vec![0xA1; 80].try_into().unwrap(),
		));
		assert_ok!(MedicalRecords::erase_record(RuntimeOrigin::signed(patient.clone()), record));
		// The chain as storage version 0 left it.
		pallet_medical_records::ErasedRecordCount::<Runtime>::remove(&patient);
		StorageVersion::new(0).put::<MedicalRecords>();

		assert_ok!(rehearse());
		assert_eq!(pallet_medical_records::ErasedRecordCount::<Runtime>::get(&patient), 1);
		assert_eq!(MedicalRecords::on_chain_storage_version(), StorageVersion::new(1));
	});
}

#[test]
fn a_broken_invariant_is_caught() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		care();
		let patient = Sr25519Keyring::Dave.to_account_id();
		let over = pallet_free_calls::Usage { period: 0, used: u32::MAX };
		pallet_free_calls::Allowances::<Runtime>::insert(&patient, over);
		let refused = format!("{:?}", rehearse().expect_err("the invariant is broken"));
		assert!(refused.contains("try_state"), "{refused}");
		// The pallet's own check names it (the rehearsal logs it).
		assert_eq!(
			FreeCalls::do_try_state(1),
			Err("a patient used more free calls than the allowance".into())
		);
		assert_eq!(FreeCalls::remaining(&patient), 0);
	});
}

#[test]
fn a_block_executes_with_every_invariant_checked() {
	let alice = Sr25519Keyring::Alice.to_account_id();
	let block = new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		let call = RuntimeCall::Directory(pallet_directory::Call::register_patient {
			pseudonym: [3u8; 32],
			encryption_key: [4u8; 32],
		});
		author_block(FIRST_SLOT, vec![signed(call, Sr25519Keyring::Alice, 0)])
	});
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		assert_ok!(Executive::try_execute_block(block.into(), true, true, TryStateSelect::All));
		assert!(pallet_directory::Patients::<Runtime>::contains_key(&alice));
	});
}
