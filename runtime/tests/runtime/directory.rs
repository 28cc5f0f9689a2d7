//! The directory in the real runtime: root registers a hospital, its admin invites a licensed
//! physician who accepts, a patient registers, and a suspension takes the physician's powers
//! away at once.

use crate::common::{new_ext, NOW_SECS};
use medchain_primitives::{
	ActivePractitioner, DirectoryInspect, OrganisationKind, PractitionerRole,
};
use medchain_runtime::{
	genesis_config_presets::DEVELOPMENT_PRESET, AccountId, Directory, Runtime, RuntimeOrigin,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	pallet_timestamp,
	sp_keyring::Sr25519Keyring,
	sp_runtime::DispatchError,
};

fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

#[test]
fn hospital_physician_and_patient_through_the_real_runtime() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		pallet_timestamp::Now::<Runtime>::put(NOW_SECS * 1000);
		let admin = account(Sr25519Keyring::Bob);
		let physician = account(Sr25519Keyring::Charlie);
		let patient = account(Sr25519Keyring::Dave);

		// Only the registrar (root) registers organisations.
		let name = b"St Example Hospital".to_vec().try_into().unwrap();
		assert_noop!(
			Directory::register_organisation(
				RuntimeOrigin::signed(admin.clone()),
				OrganisationKind::Hospital,
				admin.clone().into(),
				b"Rogue".to_vec().try_into().unwrap(),
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Directory::register_organisation(
			RuntimeOrigin::root(),
			OrganisationKind::Hospital,
			admin.clone().into(),
			name,
		));
		let hospital = 0;
		assert!(<Directory as DirectoryInspect<AccountId>>::is_organisation_admin(
			&admin, hospital
		));

		let licence = pallet_directory::Licence {
			authority: b"GMC".to_vec().try_into().unwrap(),
			licence_id: [7u8; 32],
			valid_from: NOW_SECS - 86_400,
			valid_until: NOW_SECS + 365 * 86_400,
		};
		assert_ok!(Directory::invite_practitioner(
			RuntimeOrigin::signed(admin.clone()),
			hospital,
			physician.clone().into(),
			PractitionerRole::Physician,
			licence,
		));
		assert_eq!(
			<Directory as DirectoryInspect<AccountId>>::practitioner_membership(&physician),
			None,
			"an invited account is no practitioner before it accepts"
		);
		assert_ok!(Directory::accept_invitation(
			RuntimeOrigin::signed(physician.clone()),
			hospital
		));
		assert_eq!(
			<Directory as DirectoryInspect<AccountId>>::active_practitioner(&physician),
			Some(ActivePractitioner { organisation: hospital, role: PractitionerRole::Physician })
		);

		assert_ok!(Directory::register_patient(
			RuntimeOrigin::signed(patient.clone()),
			[9u8; 32],
			[5u8; 32],
		));
		assert_eq!(
			<Directory as DirectoryInspect<AccountId>>::patient_encryption_key(&patient),
			Some([5u8; 32])
		);

		// A suspension takes effect at once.
		assert_ok!(Directory::suspend_practitioner(
			RuntimeOrigin::signed(admin.clone()),
			physician.clone().into()
		));
		assert_eq!(
			<Directory as DirectoryInspect<AccountId>>::active_practitioner(&physician),
			None
		);

		// An expired licence is not active either (time moves past `valid_until`).
		assert_ok!(Directory::reinstate_practitioner(
			RuntimeOrigin::signed(admin),
			physician.clone().into()
		));
		assert!(
			<Directory as DirectoryInspect<AccountId>>::active_practitioner(&physician).is_some()
		);
		pallet_timestamp::Now::<Runtime>::put((NOW_SECS + 366 * 86_400) * 1000);
		assert_eq!(
			<Directory as DirectoryInspect<AccountId>>::active_practitioner(&physician),
			None
		);
	});
}
