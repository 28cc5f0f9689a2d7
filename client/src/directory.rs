//! The directory: organisations (registered by the registrar: a council majority, or `sudo` on a
//! development chain),
//! practitioners with licences, patients, and the encryption keys data keys are wrapped for.

use subxt::utils::MultiAddress;

use crate::{
	chain::{runtime, types, AccountId, Chain, ChainError},
	identity::Identity,
	Error,
};

pub use medchain_primitives::{OrganisationKind, PractitionerRole};
use types::{
	bounded_collections::bounded_vec::BoundedVec, pallet_directory::types::Licence,
	pallet_directory_runtime_api::AccountSummary,
};

/// The call registering organisation `name` of `kind` with `admin`: what the registrar (a
/// council majority, or root) dispatches. [`crate::council::propose`] makes it a motion.
pub fn register_organisation_call(
	kind: OrganisationKind,
	admin: &AccountId,
	name: &str,
) -> types::medchain_runtime::RuntimeCall {
	types::medchain_runtime::RuntimeCall::Directory(
		types::pallet_directory::pallet::Call::register_organisation {
			kind,
			admin: MultiAddress::Id(*admin),
			name: BoundedVec(name.as_bytes().to_vec()),
		},
	)
}

/// The sudo key (root, on a development chain only) registers organisation `name` of `kind`
/// with `admin`; returns its id. Elsewhere the council registers by motion
/// ([`register_organisation_call`], [`crate::council`]).
pub async fn register_organisation(
	chain: &Chain,
	registrar: &Identity,
	kind: OrganisationKind,
	admin: &AccountId,
	name: &str,
) -> Result<u32, Error> {
	let call = register_organisation_call(kind, admin, name);
	let included = submit_as_root(chain, registrar, "registering the organisation", call).await?;
	Ok(included.event::<runtime::directory::events::OrganisationRegistered>()?.organisation)
}

/// The sudo key (root, on a development chain only) dispatches `call`; a refusal of the call
/// itself (inside `Sudo::Sudid`) is [`ChainError::Refused`] as any other.
pub(crate) async fn submit_as_root(
	chain: &Chain,
	registrar: &Identity,
	what: &str,
	call: types::medchain_runtime::RuntimeCall,
) -> Result<crate::chain::Included, Error> {
	let call = runtime::transactions().sudo().sudo(call);
	let included = chain.submit(what, &call, &registrar.signer).await?;
	let sudid = included.event::<runtime::sudo::events::Sudid>()?;
	if let Err(error) = sudid.sudo_result {
		let metadata = chain.at_finalized().await?.metadata();
		return Err(Error::Chain(dispatch_refusal(&metadata, what, error)));
	}
	Ok(included)
}

/// The organisation a transaction registered, if it registered one (a sudo call or a council
/// motion carrying `register_organisation`).
pub fn registered_organisation(included: &crate::chain::Included) -> Option<u32> {
	included
		.event::<runtime::directory::events::OrganisationRegistered>()
		.ok()
		.map(|e| e.organisation)
}

/// A dispatch error returned inside an event (e.g. `Sudo::Sudid`) as [`ChainError::Refused`].
pub(crate) fn dispatch_refusal(
	metadata: &subxt::Metadata,
	what: &str,
	error: types::sp_runtime::DispatchError,
) -> ChainError {
	if let types::sp_runtime::DispatchError::Module(module) = &error {
		if let Some(pallet) = metadata.pallet_by_error_index(module.index) {
			if let Some(variant) = pallet.error_variant_by_index(module.error[0]) {
				return ChainError::Refused {
					what: what.to_string(),
					pallet: pallet.name().to_string(),
					error: variant.name.clone(),
					doc: variant.docs.join(" ").trim().to_string(),
				};
			}
		}
	}
	ChainError::Refused {
		what: what.to_string(),
		pallet: "System".into(),
		error: format!("{error:?}"),
		doc: String::new(),
	}
}

/// A practitioner's licence as the CLI takes it.
#[derive(Debug, Clone)]
pub struct LicenceTerms {
	/// The issuing authority (e.g. `GMC`).
	pub authority: String,
	/// The licence number (only its BLAKE2-256 commitment goes on chain).
	pub number: String,
	/// First second of validity (Unix time).
	pub valid_from: u64,
	/// First second after validity (Unix time).
	pub valid_until: u64,
}

impl LicenceTerms {
	/// A licence valid from a minute ago (clocks differ) for `days` days from `now` (Unix
	/// time, in seconds).
	pub fn valid_for_days(authority: String, number: String, now: u64, days: u64) -> Self {
		Self {
			authority,
			number,
			valid_from: now.saturating_sub(60),
			valid_until: now.saturating_add(days.saturating_mul(86_400)),
		}
	}

	/// [`Self::valid_for_days`] from the system clock's now.
	pub fn valid_for_days_from_now(authority: String, number: String, days: u64) -> Self {
		let now = std::time::SystemTime::now()
			.duration_since(std::time::UNIX_EPOCH)
			.map(|d| d.as_secs())
			.unwrap_or_default();
		Self::valid_for_days(authority, number, now, days)
	}
}

/// The organisation's admin invites `practitioner` with `role` and `licence`; nothing changes
/// for the account until it accepts ([`accept_invitation`]).
pub async fn invite_practitioner(
	chain: &Chain,
	admin: &Identity,
	organisation: u32,
	practitioner: &AccountId,
	role: PractitionerRole,
	licence: &LicenceTerms,
) -> Result<u64, Error> {
	let licence_id =
		crate::crypto::domain_hash(b"medchain/licence-id/v1", licence.number.as_bytes());
	let call = runtime::transactions().directory().invite_practitioner(
		organisation,
		MultiAddress::Id(*practitioner),
		role,
		Licence {
			authority: BoundedVec(licence.authority.as_bytes().to_vec()),
			licence_id,
			valid_from: licence.valid_from,
			valid_until: licence.valid_until,
		},
	);
	Ok(chain.submit("inviting the practitioner", &call, &admin.signer).await?.block_number)
}

/// The invited account accepts `organisation`'s invitation and becomes its practitioner.
pub async fn accept_invitation(
	chain: &Chain,
	practitioner: &Identity,
	organisation: u32,
) -> Result<u64, Error> {
	let call = runtime::transactions().directory().accept_invitation(organisation);
	let what = "accepting the invitation";
	Ok(chain.submit(what, &call, &practitioner.signer).await?.block_number)
}

/// Removes `organisation`'s invitation of `invitee`: the invitee declines it, the admin
/// withdraws it, or anyone clears it once expired.
pub async fn remove_invitation(
	chain: &Chain,
	by: &Identity,
	organisation: u32,
	invitee: &AccountId,
) -> Result<u64, Error> {
	let call = runtime::transactions()
		.directory()
		.remove_invitation(organisation, MultiAddress::Id(*invitee));
	Ok(chain.submit("removing the invitation", &call, &by.signer).await?.block_number)
}

/// The practitioner leaves their organisation (in any standing, revoked included).
pub async fn leave_organisation(chain: &Chain, practitioner: &Identity) -> Result<u64, Error> {
	let call = runtime::transactions().directory().leave_organisation();
	let what = "leaving the organisation";
	Ok(chain.submit(what, &call, &practitioner.signer).await?.block_number)
}

/// The practitioner registers their identity's encryption public key.
pub async fn register_practitioner_key(
	chain: &Chain,
	practitioner: &Identity,
) -> Result<u64, Error> {
	let call = runtime::transactions()
		.directory()
		.set_practitioner_encryption_key(practitioner.encryption_public());
	Ok(chain
		.submit("registering the encryption key", &call, &practitioner.signer)
		.await?
		.block_number)
}

/// The message a patient signs to register without funds, as the directory defines it: the
/// one definition the pallet checks and clients sign (`medchain/register-patient/v1`, the
/// chain's genesis hash, the pseudonym and the encryption key).
pub use pallet_directory_runtime_api::registration_message;

/// The identity registers as a patient with a fresh random pseudonym and its encryption public
/// key; returns the pseudonym (hex). The registration is an unsigned transaction carrying the
/// identity's signature over [`registration_message`]: it costs nothing and needs no funds, so
/// no funding transfer links the account to a person; afterwards the patient's own calls are
/// free within their allowance.
pub async fn register_patient(chain: &Chain, patient: &Identity) -> Result<String, Error> {
	let mut pseudonym = [0u8; 32];
	getrandom::fill(&mut pseudonym).map_err(|e| Error::Mismatch(e.to_string()))?;
	let key = patient.encryption_public();
	let message = registration_message(&chain.genesis(), &pseudonym, &key);
	let signature = types::sp_runtime::MultiSignature::Sr25519(patient.signer.sign(&message).0);
	let call = runtime::transactions().directory().register_patient_by_signature(
		patient.account(),
		pseudonym,
		key,
		signature,
	);
	chain.submit_unsigned("registering the patient", &call).await?;
	Ok(hex::encode(pseudonym))
}

/// Whether organisation `organisation` is registered.
pub async fn organisation_exists(chain: &Chain, organisation: u32) -> Result<bool, Error> {
	let address = runtime::storage().directory().organisations();
	Ok(chain.storage("reading the organisation", address, (organisation,)).await?.is_some())
}

/// What [`patient_at`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatientAt {
	/// Whether it wrote the account's key file (else the key file was there already).
	pub created: bool,
	/// Whether it registered the account as a patient (else it was registered already).
	pub registered: bool,
}

/// `patient`'s own account at organisation `organisation` (security review H3,
/// [`Identity::alias_for`]), kept in `ring` (sealed when the ring seals) and registered as a
/// patient; each step is skipped when done already, so calling again finishes what a failure
/// left. Refuses an organisation that is not registered, a key file of that name holding
/// another account, and an account registered with another encryption key than its key file's
/// (or than a new key file's, when the file is missing: nothing is written then).
pub async fn patient_at(
	chain: &Chain,
	ring: &crate::identity::KeyRing,
	patient: &Identity,
	organisation: u32,
) -> Result<(Identity, PatientAt), Error> {
	if !organisation_exists(chain, organisation).await? {
		return Err(Error::Chain(ChainError::NotFound(format!(
			"organisation {organisation} is not registered"
		))));
	}
	let derived = patient.alias_for(organisation)?;
	// A registered account's encryption key is on chain; its secret half only in its key file
	// (a derivation gives the account, not the key). A key file lost and made again would
	// hold a key that opens nothing wrapped for the registered one: refuse, write nothing.
	let on_chain = summary(chain, &derived.account()).await?;
	let check_key =
		|alias: &Identity, file: &str| match (&on_chain.patient, on_chain.encryption_key) {
			(Some(_), Some(registered)) if registered != alias.encryption_public() => {
				Err(Error::Mismatch(format!(
					"{} ({}) is registered with encryption key {} on chain, but {} {}: data keys \
				 wrapped for the registered key cannot be opened with it; restore the key file \
				 `{}` from your backup",
					alias.name,
					alias.account(),
					hex::encode(registered),
					file,
					hex::encode(alias.encryption_public()),
					alias.name
				)))
			},
			_ => Ok(()),
		};
	let created = !ring.list()?.contains(&derived.name);
	let alias = if created {
		check_key(&derived, "its key file is missing and a new one would hold")?;
		ring.save(&derived)?;
		derived
	} else {
		let kept = ring.load(&derived.name)?;
		if kept.account() != derived.account() {
			return Err(Error::Mismatch(format!(
				"the key file `{}` holds account {}, not {}'s account at organisation \
				 {organisation} ({}): rename or remove it",
				derived.name,
				kept.account(),
				patient.name,
				derived.account()
			)));
		}
		check_key(&kept, "its key file holds")?;
		kept
	};
	let registered = on_chain.patient.is_none();
	if registered {
		register_patient(chain, &alias).await?;
	}
	Ok((alias, PatientAt { created, registered }))
}

/// What [`deregister_patient`] did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Deregistered {
	/// The grants revoked first: those in force or still to begin.
	pub revoked_grants: Vec<u64>,
	/// The block of the deregistration.
	pub block_number: u64,
}

/// The patient leaves the directory (security review L2): their grants that are in force or
/// still to begin are revoked (each revocation also removes the data keys it delivered), then
/// the registration is removed and the pseudonym retired (`deregister_patient`). Refused, with
/// nothing changed, while a record that is not erased names the patient
/// ([`Error::RecordsRemain`]): erasing care data is the patient's explicit choice, record by
/// record; and for an account that is not a registered patient ([`Error::Mismatch`]). A
/// failure part-way leaves only grants revoked; calling again finishes.
pub async fn deregister_patient(chain: &Chain, patient: &Identity) -> Result<Deregistered, Error> {
	let account = patient.account();
	// Asked first: a former patient holds no funds, so the chain would refuse the transaction
	// for its fee before saying why.
	if summary(chain, &account).await?.patient.is_none() {
		return Err(Error::Mismatch(format!(
			"{account} is not a registered patient: there is nothing to deregister"
		)));
	}
	let live: Vec<u64> = crate::records::list(chain, &account)
		.await?
		.into_iter()
		.filter(|record| !record.erased)
		.map(|record| record.id)
		.collect();
	if !live.is_empty() {
		return Err(Error::RecordsRemain { patient: account.to_string(), records: live });
	}
	let now = chain.at_finalized().await?.block_number();
	let mut revoked_grants = Vec::new();
	for grant in crate::consent::grants_of(chain, &account).await? {
		let ended = grant.ended.is_some_and(|ending| u64::from(ending.at) <= now);
		let expired = grant.valid_until.is_some_and(|until| u64::from(until) <= now);
		if !ended && !expired {
			crate::consent::revoke(chain, patient, grant.id).await?;
			revoked_grants.push(grant.id);
		}
	}
	let call = runtime::transactions().directory().deregister_patient();
	let included = chain.submit("deregistering the patient", &call, &patient.signer).await?;
	Ok(Deregistered { revoked_grants, block_number: included.block_number })
}

/// What the chain knows of an account: patient, practitioner, keys.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AccountInfo {
	/// The account.
	pub account: String,
	/// Whether it is a registered patient.
	pub patient: bool,
	/// Its organisation and role, if it is a practitioner, and its standing.
	pub practitioner: Option<String>,
	/// The encryption public key on chain (hex), if any.
	pub encryption_key: Option<String>,
}

/// What the directory knows of `who`, as its runtime API answers (`DirectoryApi::account`).
pub async fn summary(chain: &Chain, who: &AccountId) -> Result<AccountSummary<u32>, Error> {
	Ok(chain
		.runtime_api("reading the directory", runtime::runtime_apis().directory_api().account(*who))
		.await?)
}

/// What the chain knows of `who`.
pub async fn account_info(chain: &Chain, who: &AccountId) -> Result<AccountInfo, Error> {
	let summary = summary(chain, who).await?;
	Ok(AccountInfo {
		account: who.to_string(),
		patient: summary.patient.is_some(),
		practitioner: summary.practitioner.map(|p| {
			format!(
				"{:?} of organisation {} ({:?}{})",
				p.role,
				p.organisation,
				p.standing,
				if p.active { ", active" } else { ", not active" }
			)
		}),
		encryption_key: summary.encryption_key.map(hex::encode),
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_licence_runs_from_a_minute_ago_for_the_days_given_and_saturates() {
		let terms = LicenceTerms::valid_for_days("GMC".into(), "1234567".into(), 1_000_000, 365);
		assert_eq!((terms.valid_from, terms.valid_until), (999_940, 1_000_000 + 365 * 86_400));
		let far = LicenceTerms::valid_for_days("GMC".into(), "1".into(), 30, u64::MAX);
		assert_eq!((far.valid_from, far.valid_until), (0, u64::MAX));
	}
}

/// An organisation's custodian gateway as the directory publishes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayEntry {
	/// The organisation.
	pub organisation: u32,
	/// The account the gateway signs with (requests are signed for it).
	pub account: AccountId,
	/// Its base URL.
	pub endpoint: String,
	/// The X25519 key a data key is wrapped for when a record is deposited with it.
	pub encryption_key: [u8; 32],
	/// The block in which it was published.
	pub set_at: u32,
}

/// As the organisation's admin, publish (or replace) its custodian gateway: `account` signs
/// for it, clients reach it at `endpoint` and wrap deposited records' data keys for
/// `encryption_key`. The endpoint is checked as a client would use it before anything is sent
/// ([`crate::gateway::check_url`]). Returns the block it was included in.
pub async fn set_gateway(
	chain: &Chain,
	admin: &Identity,
	organisation: u32,
	account: &AccountId,
	endpoint: &str,
	encryption_key: [u8; 32],
) -> Result<u64, Error> {
	crate::gateway::check_url(endpoint)?;
	let call = runtime::transactions().directory().set_gateway(
		organisation,
		MultiAddress::Id(*account),
		BoundedVec(endpoint.as_bytes().to_vec()),
		encryption_key,
	);
	Ok(chain.submit("publishing the gateway", &call, &admin.signer).await?.block_number)
}

/// As the organisation's admin, withdraw its custodian gateway. Returns the block.
pub async fn remove_gateway(
	chain: &Chain,
	admin: &Identity,
	organisation: u32,
) -> Result<u64, Error> {
	let call = runtime::transactions().directory().remove_gateway(organisation);
	Ok(chain.submit("withdrawing the gateway", &call, &admin.signer).await?.block_number)
}

/// Organisation `organisation`'s custodian gateway, `None` if it has published none. Read with
/// a storage proof from a finalized header the client verified ([`Chain::proven_storage`]): a
/// node that lies about where a hospital's records are cannot send a client to its own server.
pub async fn gateway(chain: &Chain, organisation: u32) -> Result<Option<GatewayEntry>, Error> {
	let address = runtime::storage().directory().gateways();
	let Some(entry) = chain.proven_storage("reading the gateway", address, (organisation,)).await?
	else {
		return Ok(None);
	};
	let endpoint = String::from_utf8(entry.endpoint.0).map_err(|_| {
		Error::Mismatch(format!("organisation {organisation}'s gateway endpoint is not text"))
	})?;
	Ok(Some(GatewayEntry {
		organisation,
		account: entry.account,
		endpoint,
		encryption_key: entry.encryption_key,
		set_at: entry.set_at,
	}))
}
