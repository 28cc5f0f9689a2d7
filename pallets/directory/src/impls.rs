//! What the pallet offers other code: the queries behind its runtime API and its
//! implementations of the traits other pallets use it through (`medchain_primitives`).

use super::*;

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

	fn is_patient(who: &T::AccountId) -> bool {
		Patients::<T>::contains_key(who)
	}

	fn patient_encryption_key(patient: &T::AccountId) -> Option<EncryptionPublicKey> {
		Patients::<T>::get(patient).map(|p| p.encryption_key)
	}
}
