//! What the pallet offers other code: the queries behind its runtime API and its
//! implementations of the traits other pallets use it through (`medchain_primitives`).

use super::*;

impl<T: Config> Pallet<T> {
	/// What the directory knows of `who` (`DirectoryApi::account`).
	pub fn account_summary(
		who: &T::AccountId,
	) -> pallet_directory_runtime_api::AccountSummary<frame_system::pallet_prelude::BlockNumberFor<T>>
	{
		let patient = Patients::<T>::get(who);
		let practitioner = Practitioners::<T>::get(who).map(|p| {
			pallet_directory_runtime_api::PractitionerSummary {
				organisation: p.organisation,
				role: p.role,
				standing: p.standing,
				active: Self::ensure_active_practitioner(who).is_ok(),
				attached_at: p.attached_at,
			}
		});
		let encryption_key = match &patient {
			Some(patient) => Some(patient.encryption_key),
			None => PractitionerKeys::<T>::get(who),
		};
		pallet_directory_runtime_api::AccountSummary { patient, practitioner, encryption_key }
	}
}

impl<T: Config> DirectoryInspect<T::AccountId> for Pallet<T> {
	fn active_practitioner(who: &T::AccountId) -> Option<ActivePractitioner> {
		Self::ensure_active_practitioner(who).ok()
	}

	fn practitioner_membership(who: &T::AccountId) -> Option<ActivePractitioner> {
		Practitioners::<T>::get(who)
			.map(|p| ActivePractitioner { organisation: p.organisation, role: p.role })
	}

	/// True only while the organisation is active: a deactivated organisation's admin holds
	/// no power other pallets grant to admins.
	fn is_organisation_admin(who: &T::AccountId, organisation: OrganisationId) -> bool {
		Organisations::<T>::get(organisation).is_some_and(|org| org.active && org.admin == *who)
	}

	/// `None` for a deactivated organisation, as [`Self::is_organisation_admin`] is false then.
	fn organisation_admin(organisation: OrganisationId) -> Option<T::AccountId> {
		Organisations::<T>::get(organisation).filter(|org| org.active).map(|org| org.admin)
	}

	fn is_patient(who: &T::AccountId) -> bool {
		Patients::<T>::contains_key(who)
	}

	fn patient_encryption_key(patient: &T::AccountId) -> Option<EncryptionPublicKey> {
		Patients::<T>::get(patient).map(|p| p.encryption_key)
	}

	/// Only while the organisation is active: a deactivated organisation's gateway releases
	/// nothing.
	fn gateway_organisation(who: &T::AccountId) -> Option<OrganisationId> {
		let organisation = GatewayAccounts::<T>::get(who)?;
		Organisations::<T>::get(organisation).filter(|org| org.active).map(|_| organisation)
	}
}
