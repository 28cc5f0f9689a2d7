//! Benchmarks for `pallet_directory`: one per call, each at its worst case. They run as unit
//! tests too (`cargo test -p pallet-directory --features runtime-benchmarks`).

use super::*;
use crate::Pallet as Directory;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::{Authorize, TransactionSource},
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use medchain_primitives::{OrganisationKind, PractitionerRole};
use sp_runtime::traits::StaticLookup;

const SEED: u32 = 0;

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(event.into());
}

/// A name of `len` bytes that differs for each `index` (when `len` is at least 4).
fn org_name<T: Config>(index: u32, len: u32) -> NameOf<T> {
	let mut bytes = vec![b'n'; len as usize];
	for (byte, source) in bytes.iter_mut().zip(index.to_le_bytes()) {
		*byte = source;
	}
	BoundedVec::truncate_from(bytes)
}

/// A non-zero 32-byte value that differs for each `index`.
fn bytes32(index: u32) -> [u8; 32] {
	let mut out = [0xA5u8; 32];
	for (byte, source) in out.iter_mut().zip(index.to_le_bytes()) {
		*byte = source;
	}
	out
}

/// A licence with the longest authority, valid whatever the chain's time.
fn licence<T: Config>() -> LicenceOf<T> {
	Licence {
		authority: BoundedVec::truncate_from(vec![b'A'; T::MaxAuthorityLen::get() as usize]),
		licence_id: bytes32(7),
		valid_from: 0,
		valid_until: u64::MAX,
	}
}

/// Registers an organisation (longest name) with `admin`; returns its id.
fn create_organisation<T: Config>(
	admin: &T::AccountId,
	index: u32,
) -> Result<OrganisationId, BenchmarkError> {
	let origin =
		T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let id = NextOrganisationId::<T>::get();
	Directory::<T>::register_organisation(
		origin,
		OrganisationKind::Hospital,
		T::Lookup::unlookup(admin.clone()),
		org_name::<T>(index, T::MaxNameLen::get()),
	)?;
	Ok(id)
}

/// An organisation administered by the whitelisted caller, with one practitioner attached;
/// returns the admin, the organisation and the practitioner.
fn organisation_with_practitioner<T: Config>(
) -> Result<(T::AccountId, OrganisationId, T::AccountId), BenchmarkError> {
	let admin: T::AccountId = whitelisted_caller();
	let organisation = create_organisation::<T>(&admin, 0)?;
	let practitioner: T::AccountId = account("practitioner", 0, SEED);
	invite::<T>(&admin, organisation, &practitioner)?;
	Directory::<T>::accept_invitation(
		RawOrigin::Signed(practitioner.clone()).into(),
		organisation,
	)?;
	Ok((admin, organisation, practitioner))
}

/// `admin` invites `practitioner` to `organisation` as a physician.
fn invite<T: Config>(
	admin: &T::AccountId,
	organisation: OrganisationId,
	practitioner: &T::AccountId,
) -> Result<(), BenchmarkError> {
	Directory::<T>::invite_practitioner(
		RawOrigin::Signed(admin.clone()).into(),
		organisation,
		T::Lookup::unlookup(practitioner.clone()),
		PractitionerRole::Physician,
		licence::<T>(),
	)?;
	Ok(())
}

/// A valid gateway endpoint of `len` bytes (at least 9: `https://` and one more).
fn endpoint<T: Config>(len: u32) -> EndpointOf<T> {
	let mut url = b"https://".to_vec();
	url.resize(len.max(9) as usize, b'g');
	BoundedVec::truncate_from(url)
}

/// Registers the whitelisted caller as a patient.
fn registered_patient<T: Config>() -> Result<T::AccountId, BenchmarkError> {
	let patient: T::AccountId = whitelisted_caller();
	Directory::<T>::register_patient(
		RawOrigin::Signed(patient.clone()).into(),
		bytes32(1),
		bytes32(2),
	)?;
	Ok(patient)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_organisation(n: Linear<1, { T::MaxNameLen::get() }>) -> Result<(), BenchmarkError> {
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let admin: T::AccountId = account("admin", 0, SEED);
		let name = org_name::<T>(0, n);

		#[extrinsic_call]
		_(
			origin as T::RuntimeOrigin,
			OrganisationKind::Hospital,
			T::Lookup::unlookup(admin.clone()),
			name,
		);

		assert_last_event::<T>(Event::OrganisationRegistered {
			organisation: 0,
			kind: OrganisationKind::Hospital,
			admin,
		});
		Ok(())
	}

	#[benchmark]
	fn set_organisation_admin() -> Result<(), BenchmarkError> {
		let old_admin: T::AccountId = account("admin", 0, SEED);
		let organisation = create_organisation::<T>(&old_admin, 0)?;
		let new_admin: T::AccountId = account("admin", 1, SEED);
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, organisation, T::Lookup::unlookup(new_admin.clone()));

		assert_last_event::<T>(Event::OrganisationAdminChanged {
			organisation,
			old_admin,
			new_admin,
		});
		Ok(())
	}

	#[benchmark]
	fn deactivate_organisation() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = account("admin", 0, SEED);
		let organisation = create_organisation::<T>(&admin, 0)?;
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, organisation);

		assert_last_event::<T>(Event::OrganisationDeactivated { organisation });
		Ok(())
	}

	#[benchmark]
	fn reactivate_organisation() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = account("admin", 0, SEED);
		let organisation = create_organisation::<T>(&admin, 0)?;
		let origin =
			T::RegistrarOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		Directory::<T>::deactivate_organisation(origin.clone(), organisation)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, organisation);

		assert_last_event::<T>(Event::OrganisationReactivated { organisation });
		Ok(())
	}

	#[benchmark]
	fn invite_practitioner() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let organisation = create_organisation::<T>(&admin, 0)?;
		// The organisation has all invitations but one waiting, so the count is read and
		// written at its largest.
		for i in 1..T::MaxInvitations::get() {
			invite::<T>(&admin, organisation, &account("invitee", i, SEED))?;
		}
		let practitioner: T::AccountId = account("practitioner", 0, SEED);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(admin),
			organisation,
			T::Lookup::unlookup(practitioner.clone()),
			PractitionerRole::Physician,
			licence::<T>(),
		);

		assert!(Invitations::<T>::contains_key(&practitioner, organisation));
		assert_eq!(InvitationCount::<T>::get(organisation), Some(T::MaxInvitations::get()));
		Ok(())
	}

	#[benchmark]
	fn accept_invitation() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = account("admin", 0, SEED);
		let organisation = create_organisation::<T>(&admin, 0)?;
		let practitioner: T::AccountId = whitelisted_caller();
		invite::<T>(&admin, organisation, &practitioner)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()), organisation);

		assert_last_event::<T>(Event::PractitionerAttached {
			organisation,
			practitioner,
			role: PractitionerRole::Physician,
			valid_from: 0,
			valid_until: u64::MAX,
		});
		Ok(())
	}

	#[benchmark]
	fn remove_invitation() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = whitelisted_caller();
		let organisation = create_organisation::<T>(&admin, 0)?;
		let practitioner: T::AccountId = account("practitioner", 0, SEED);
		invite::<T>(&admin, organisation, &practitioner)?;

		#[extrinsic_call]
		_(
			RawOrigin::Signed(admin.clone()),
			organisation,
			T::Lookup::unlookup(practitioner.clone()),
		);

		assert_last_event::<T>(Event::InvitationRemoved { organisation, practitioner, by: admin });
		Ok(())
	}

	#[benchmark]
	fn leave_organisation() -> Result<(), BenchmarkError> {
		let (_admin, organisation, practitioner) = organisation_with_practitioner::<T>()?;
		Directory::<T>::set_practitioner_encryption_key(
			RawOrigin::Signed(practitioner.clone()).into(),
			bytes32(3),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()));

		assert_last_event::<T>(Event::PractitionerLeft {
			organisation,
			practitioner,
			standing: Standing::Good,
		});
		Ok(())
	}

	#[benchmark]
	fn suspend_practitioner() -> Result<(), BenchmarkError> {
		let (admin, organisation, practitioner) = organisation_with_practitioner::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), T::Lookup::unlookup(practitioner.clone()));

		assert_last_event::<T>(Event::PractitionerSuspended { organisation, practitioner });
		Ok(())
	}

	#[benchmark]
	fn reinstate_practitioner() -> Result<(), BenchmarkError> {
		let (admin, organisation, practitioner) = organisation_with_practitioner::<T>()?;
		Directory::<T>::suspend_practitioner(
			RawOrigin::Signed(admin.clone()).into(),
			T::Lookup::unlookup(practitioner.clone()),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), T::Lookup::unlookup(practitioner.clone()));

		assert_last_event::<T>(Event::PractitionerReinstated { organisation, practitioner });
		Ok(())
	}

	#[benchmark]
	fn revoke_practitioner() -> Result<(), BenchmarkError> {
		let (admin, organisation, practitioner) = organisation_with_practitioner::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), T::Lookup::unlookup(practitioner.clone()));

		assert_last_event::<T>(Event::PractitionerRevoked { organisation, practitioner });
		Ok(())
	}

	#[benchmark]
	fn change_practitioner_role() -> Result<(), BenchmarkError> {
		let (admin, organisation, practitioner) = organisation_with_practitioner::<T>()?;

		#[extrinsic_call]
		_(
			RawOrigin::Signed(admin),
			T::Lookup::unlookup(practitioner.clone()),
			PractitionerRole::EmergencyPhysician,
		);

		assert_last_event::<T>(Event::PractitionerRoleChanged {
			organisation,
			practitioner,
			old_role: PractitionerRole::Physician,
			new_role: PractitionerRole::EmergencyPhysician,
		});
		Ok(())
	}

	#[benchmark]
	fn renew_licence() -> Result<(), BenchmarkError> {
		let (admin, organisation, practitioner) = organisation_with_practitioner::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), T::Lookup::unlookup(practitioner.clone()), 1, u64::MAX);

		assert_last_event::<T>(Event::LicenceRenewed {
			organisation,
			practitioner,
			valid_from: 1,
			valid_until: u64::MAX,
		});
		Ok(())
	}

	#[benchmark]
	fn detach_practitioner() -> Result<(), BenchmarkError> {
		let (admin, organisation, practitioner) = organisation_with_practitioner::<T>()?;
		// Worst case: the practitioner's key is removed too.
		Directory::<T>::set_practitioner_encryption_key(
			RawOrigin::Signed(practitioner.clone()).into(),
			bytes32(1),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), T::Lookup::unlookup(practitioner.clone()));

		assert_last_event::<T>(Event::PractitionerDetached { organisation, practitioner });
		Ok(())
	}

	/// Worst case: the practitioner replaces a key they registered before.
	#[benchmark]
	fn set_practitioner_encryption_key() -> Result<(), BenchmarkError> {
		let (_, _, practitioner) = organisation_with_practitioner::<T>()?;
		Directory::<T>::set_practitioner_encryption_key(
			RawOrigin::Signed(practitioner.clone()).into(),
			bytes32(1),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(practitioner.clone()), bytes32(2));

		assert_last_event::<T>(Event::PractitionerEncryptionKeySet {
			practitioner,
			encryption_key: bytes32(2),
		});
		Ok(())
	}

	#[benchmark]
	fn register_patient() -> Result<(), BenchmarkError> {
		let patient: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), bytes32(1), bytes32(2));

		assert_last_event::<T>(Event::PatientRegistered {
			patient,
			pseudonym: bytes32(1),
			encryption_key: bytes32(2),
		});
		Ok(())
	}

	/// Worst case: the key history is full, so the oldest entry is dropped.
	#[benchmark]
	fn rotate_encryption_key() -> Result<(), BenchmarkError> {
		let patient = registered_patient::<T>()?;
		let history = T::MaxKeyHistory::get();
		for i in 0..history {
			Directory::<T>::rotate_encryption_key(
				RawOrigin::Signed(patient.clone()).into(),
				bytes32(i.saturating_add(10)),
			)?;
		}
		let key = bytes32(u32::MAX);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()), key);

		assert_last_event::<T>(Event::EncryptionKeyRotated {
			patient,
			encryption_key: key,
			rotation: history.saturating_add(1),
		});
		Ok(())
	}

	/// Worst case: the key history is full, and the other pallets read the most they can for
	/// the patient (`BenchmarkHelper::burden_patient`), finding nothing that refuses.
	#[benchmark]
	fn deregister_patient() -> Result<(), BenchmarkError> {
		let patient = registered_patient::<T>()?;
		for i in 0..T::MaxKeyHistory::get() {
			Directory::<T>::rotate_encryption_key(
				RawOrigin::Signed(patient.clone()).into(),
				bytes32(i.saturating_add(10)),
			)?;
		}
		T::BenchmarkHelper::burden_patient(&patient);

		#[extrinsic_call]
		_(RawOrigin::Signed(patient.clone()));

		assert!(!Patients::<T>::contains_key(&patient));
		assert!(!PatientKeyHistory::<T>::contains_key(&patient));
		assert_last_event::<T>(Event::PatientDeregistered { patient });
		Ok(())
	}

	/// Constant cost: the registration's writes, and the block's count of free registrations
	/// (an earlier one in the same block).
	#[benchmark]
	fn register_patient_by_signature() -> Result<(), BenchmarkError> {
		let message = registration_message::<T>(&bytes32(1), &bytes32(2));
		let (patient, signature) = T::BenchmarkHelper::sign(&message);
		FreeRegistrations::<T>::put((frame_system::Pallet::<T>::block_number(), 1));

		#[extrinsic_call]
		_(RawOrigin::Authorized, patient.clone(), bytes32(1), bytes32(2), signature);

		assert_last_event::<T>(Event::PatientRegistered {
			patient,
			pseudonym: bytes32(1),
			encryption_key: bytes32(2),
		});
		Ok(())
	}

	/// The signature's verification and the checks.
	#[benchmark]
	fn authorize_registration() -> Result<(), BenchmarkError> {
		let message = registration_message::<T>(&bytes32(1), &bytes32(2));
		let (patient, signature) = T::BenchmarkHelper::sign(&message);
		let call = Call::<T>::register_patient_by_signature {
			patient,
			pseudonym: bytes32(1),
			encryption_key: bytes32(2),
			signature,
		};

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("the registration must be authorized")?
				.map_err(|_| "the registration's signature must be valid")?;
		}

		Ok(())
	}

	/// Worst case: the longest endpoint, replacing a gateway that had another account (whose
	/// index entry is removed).
	#[benchmark]
	fn set_gateway(n: Linear<9, { T::MaxEndpointLen::get() }>) -> Result<(), BenchmarkError> {
		let admin: T::AccountId = account("admin", 0, SEED);
		let organisation = create_organisation::<T>(&admin, 0)?;
		let old: T::AccountId = account("gateway", 0, SEED);
		Directory::<T>::set_gateway(
			RawOrigin::Signed(admin.clone()).into(),
			organisation,
			T::Lookup::unlookup(old.clone()),
			endpoint::<T>(9),
			bytes32(3),
		)?;
		let new: T::AccountId = account("gateway", 1, SEED);
		let url = endpoint::<T>(n);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(admin),
			organisation,
			T::Lookup::unlookup(new.clone()),
			url.clone(),
			bytes32(4),
		);

		assert!(!GatewayAccounts::<T>::contains_key(&old));
		assert_last_event::<T>(Event::GatewaySet {
			organisation,
			account: new,
			endpoint: url,
			encryption_key: bytes32(4),
		});
		Ok(())
	}

	#[benchmark]
	fn remove_gateway() -> Result<(), BenchmarkError> {
		let admin: T::AccountId = account("admin", 0, SEED);
		let organisation = create_organisation::<T>(&admin, 0)?;
		let gateway: T::AccountId = account("gateway", 0, SEED);
		Directory::<T>::set_gateway(
			RawOrigin::Signed(admin.clone()).into(),
			organisation,
			T::Lookup::unlookup(gateway.clone()),
			endpoint::<T>(T::MaxEndpointLen::get()),
			bytes32(3),
		)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), organisation);

		assert!(!Gateways::<T>::contains_key(organisation));
		assert_last_event::<T>(Event::GatewayRemoved { organisation, account: gateway });
		Ok(())
	}

	impl_benchmark_test_suite!(
		Directory,
		crate::tests::mock::new_test_ext(),
		crate::tests::mock::Test
	);
}
