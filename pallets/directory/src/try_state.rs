//! The pallet's invariants over its storage (`try_state`): checked by the `try_state` hook
//! under try-runtime and after every unit test.

use super::*;

impl<T: Config> Pallet<T> {
	/// Checks every invariant that spans the directory's storage items; an `Err` names the
	/// first one broken. Run by the `try_state` hook and after every unit test.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_organisations()?;
		Self::try_state_practitioners()?;
		Self::try_state_patients()?;
		Self::try_state_invitations()?;
		Self::try_state_gateways()?;
		Ok(())
	}

	fn try_state_gateways() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		for (organisation, gateway) in Gateways::<T>::iter() {
			ensure!(
				Organisations::<T>::contains_key(organisation),
				"a gateway's organisation does not exist"
			);
			ensure!(valid_endpoint(&gateway.endpoint), "a gateway's endpoint is not a URL");
			ensure!(gateway.encryption_key != [0u8; 32], "a gateway has no encryption key");
			ensure!(
				GatewayAccounts::<T>::get(&gateway.account) == Some(organisation),
				"a gateway's account does not map back to its organisation in GatewayAccounts"
			);
		}
		for (account, organisation) in GatewayAccounts::<T>::iter() {
			ensure!(
				Gateways::<T>::get(organisation).is_some_and(|g| g.account == account),
				"a GatewayAccounts entry points to an organisation whose gateway has another account"
			);
		}
		Ok(())
	}

	fn try_state_invitations() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::{ensure, traits::Get};
		let mut counted: BTreeMap<OrganisationId, u32> = BTreeMap::new();
		for (who, organisation, invitation) in Invitations::<T>::iter() {
			let org = Organisations::<T>::get(organisation)
				.ok_or("an invitation's organisation does not exist")?;
			ensure!(
				invitation.role.allowed_at(org.kind),
				"an invitation offers a role its organisation's kind may not have"
			);
			ensure!(
				!OrganisationPractitioners::<T>::contains_key(organisation, &who),
				"an account is invited by the organisation it already belongs to"
			);
			ensure!(
				invitation.invited_at < invitation.expires_at,
				"an invitation expires before it was made"
			);
			ensure!(!invitation.licence.authority.is_empty(), "an invitation has no authority");
			ensure!(invitation.licence.licence_id != [0u8; 32], "an invitation has no licence id");
			let entry = counted.entry(organisation).or_insert(0);
			*entry = entry.saturating_add(1);
		}
		let stored: BTreeMap<OrganisationId, u32> = InvitationCount::<T>::iter().collect();
		ensure!(
			stored.values().all(|c| *c > 0 && *c <= T::MaxInvitations::get()),
			"an organisation's invitation count is zero or above MaxInvitations"
		);
		ensure!(stored == counted, "InvitationCount differs from the invitations stored");
		Ok(())
	}

	fn try_state_organisations() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let next = NextOrganisationId::<T>::get();
		let mut count: u32 = 0;
		for (id, org) in Organisations::<T>::iter() {
			ensure!(id < next, "an organisation id is not below NextOrganisationId");
			ensure!(!org.name.is_empty(), "an organisation has an empty name");
			ensure!(
				OrganisationByName::<T>::get(&org.name) == Some(id),
				"an organisation's name does not map back to it in OrganisationByName"
			);
			let members = OrganisationPractitioners::<T>::iter_prefix(id).count();
			ensure!(
				u32::try_from(members).ok() == Some(org.practitioners),
				"an organisation's practitioner count differs from OrganisationPractitioners"
			);
			count = count.saturating_add(1);
		}
		ensure!(
			count == next,
			"the organisations are not exactly the ids below NextOrganisationId"
		);
		for (name, id) in OrganisationByName::<T>::iter() {
			ensure!(
				Organisations::<T>::get(id).is_some_and(|org| org.name == name),
				"an OrganisationByName entry points to an organisation of another name"
			);
		}
		Ok(())
	}

	fn try_state_practitioners() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		for (who, record) in Practitioners::<T>::iter() {
			ensure!(
				Organisations::<T>::contains_key(record.organisation),
				"a practitioner's organisation does not exist"
			);
			ensure!(
				OrganisationPractitioners::<T>::contains_key(record.organisation, &who),
				"a practitioner is missing from OrganisationPractitioners"
			);
			ensure!(!record.licence.authority.is_empty(), "a licence has an empty authority");
			ensure!(record.licence.licence_id != [0u8; 32], "a licence has an empty id");
			ensure!(
				record.licence.valid_from < record.licence.valid_until,
				"a licence's validity period is empty"
			);
		}
		for (who, key) in PractitionerKeys::<T>::iter() {
			ensure!(
				Practitioners::<T>::contains_key(&who),
				"a PractitionerKeys entry has no practitioner"
			);
			ensure!(key != [0u8; 32], "a practitioner has an empty key");
		}
		for (organisation, who, ()) in OrganisationPractitioners::<T>::iter() {
			ensure!(
				Practitioners::<T>::get(&who).is_some_and(|r| r.organisation == organisation),
				"an OrganisationPractitioners entry has no matching practitioner"
			);
		}
		Ok(())
	}

	fn try_state_patients() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::{ensure, traits::Get};
		let mut count: u32 = 0;
		for (who, patient) in Patients::<T>::iter() {
			ensure!(patient.pseudonym != [0u8; 32], "a patient has an empty pseudonym");
			ensure!(patient.encryption_key != [0u8; 32], "a patient has an empty key");
			ensure!(
				PatientByPseudonym::<T>::get(patient.pseudonym).as_ref() == Some(&who),
				"a patient's pseudonym does not map back to them in PatientByPseudonym"
			);
			let history = PatientKeyHistory::<T>::get(&who).unwrap_or_default();
			ensure!(
				u32::try_from(history.len()).ok()
					== Some(patient.key_rotations.min(T::MaxKeyHistory::get())),
				"a patient's key history length differs from their rotation count"
			);
			if let Some(newest) = history.first() {
				ensure!(
					newest.retired_at == patient.key_set_at,
					"the newest retired key was not retired when the current key was set"
				);
			}
			for pair in history.windows(2) {
				if let [newer, older] = pair {
					ensure!(older.retired_at <= newer.set_at, "the key history is out of order");
				}
			}
			ensure!(
				history.iter().all(|k| k.set_at <= k.retired_at),
				"a retired key was retired before it was set"
			);
			count = count.saturating_add(1);
		}
		ensure!(count == PatientCount::<T>::get(), "PatientCount differs from Patients");
		let mut pseudonyms: u32 = 0;
		for (pseudonym, who) in PatientByPseudonym::<T>::iter() {
			ensure!(
				Patients::<T>::get(&who).is_some_and(|p| p.pseudonym == pseudonym),
				"a PatientByPseudonym entry points to a patient with another pseudonym"
			);
			pseudonyms = pseudonyms.saturating_add(1);
		}
		ensure!(pseudonyms == count, "PatientByPseudonym and Patients differ in size");
		for (who, history) in PatientKeyHistory::<T>::iter() {
			ensure!(Patients::<T>::contains_key(&who), "key history of an unregistered patient");
			ensure!(!history.is_empty(), "an empty key history is stored");
		}
		for (pseudonym, ()) in RetiredPseudonyms::<T>::iter() {
			ensure!(
				!PatientByPseudonym::<T>::contains_key(pseudonym),
				"a retired pseudonym is a registered patient's"
			);
		}
		Ok(())
	}
}
