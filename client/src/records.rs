//! Records: encrypt a FHIR document, store the ciphertext, anchor it; read it back (access
//! receipt, fetch, verify, decrypt); share, unshare, amend, list and erase.
//!
//! What goes on chain for a record version: the ciphertext hash ([`crypto::commitment`]), the
//! plaintext commitment ([`crypto::plaintext_commitment`], keyed by the record's data key so
//! nobody without the key can test a guess), the ciphertext's CID, the patient's tag of the data
//! class ([`crate::classes`]), and the data key wrapped (HPKE) for the patient and each holder.
//! Never content, and not the FHIR resource type: that is inside the envelope only.
//!
//! Reading records an access receipt on chain first (`Consent::record_access`): if consent does
//! not permit the access the chain refuses it (`Consent::AccessDenied`) and the client stops
//! there. The ciphertext is then checked against the on-chain hash before anything is decrypted.

use subxt::utils::MultiAddress;

use crate::{
	chain::{runtime, types, AccountId, Chain, ChainError},
	crypto::{self, WrappedKey},
	fhir::FhirDocument,
	identity::Identity,
	store::DocumentStore,
	Error,
};

pub use crate::classes::ClassTag;
use medchain_primitives::ConsentAction;
pub use medchain_primitives::PurposeOfUse;
use types::{
	bounded_collections::bounded_vec::BoundedVec,
	medchain_primitives::AccessTarget,
	pallet_consent_runtime_api::{Effect, Grantee, Provision},
	pallet_medical_records::types::{Rekey, VersionContent},
	pallet_medical_records_runtime_api::{RecordState, RecordSummary, VersionSummary},
};

/// A record id.
pub type RecordId = u64;

/// The context a data key of `patient`'s record (first version's commitment `origin`) is
/// wrapped in for `recipient` (security review L1).
fn wrap_context(
	chain: &Chain,
	patient: &AccountId,
	origin: &[u8; 32],
	recipient: &AccountId,
) -> Vec<u8> {
	crypto::wrap_aad(&chain.genesis(), &patient.0, origin, &recipient.0)
}

/// The record's origin: the ciphertext commitment of its first version, which names it in
/// every wrapped key and key-chain link ([`crypto::wrap_aad`]).
async fn origin(chain: &Chain, record: RecordId) -> Result<[u8; 32], Error> {
	Ok(anchored_version(chain, record, 1).await?.ciphertext_hash)
}

/// Version `version` of `record` as anchored: what a document is checked against, so it is
/// read with a storage proof from a finalized header the client verified
/// ([`Chain::proven_storage`], review M8).
async fn anchored_version(
	chain: &Chain,
	record: RecordId,
	version: u32,
) -> Result<types::pallet_medical_records::types::VersionInfo<AccountId, BoundedVec<u8>, u32>, Error>
{
	let address = runtime::storage().medical_records().versions();
	chain
		.proven_storage("reading the record's version", address, (record, version))
		.await?
		.ok_or_else(|| {
			Error::Chain(ChainError::NotFound(format!("record {record} has no version {version}")))
		})
}

/// Every version of `record`, first to current (`MedicalRecordsApi::versions_of`; empty if
/// there is no such record).
async fn versions(
	chain: &Chain,
	record: RecordId,
) -> Result<Vec<VersionSummary<AccountId, u32>>, Error> {
	Ok(chain
		.runtime_api(
			"reading the record's versions",
			runtime::runtime_apis().medical_records_api().versions_of(record),
		)
		.await?)
}

/// The data key of `record` the chain holds wrapped for `holder`
/// (`MedicalRecordsApi::wrapped_key`).
async fn wrapped_key_of(
	chain: &Chain,
	record: RecordId,
	holder: &AccountId,
) -> Result<Option<WrappedKey>, Error> {
	let wrapped = chain
		.runtime_api(
			"reading the wrapped data key",
			runtime::runtime_apis().medical_records_api().wrapped_key(record, *holder),
		)
		.await?;
	Ok(wrapped.map(|bytes| WrappedKey::from_bytes(&bytes)).transpose()?)
}

/// A class tag as JSON output shows it: 64 hex digits.
fn serialize_tag<S: serde::Serializer>(tag: &Option<ClassTag>, s: S) -> Result<S::Ok, S::Error> {
	match tag {
		Some(tag) => s.serialize_some(&hex::encode(tag.0)),
		None => s.serialize_none(),
	}
}

/// A record as the chain describes it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecordInfo {
	/// The record's id.
	pub id: RecordId,
	/// The patient (subject).
	pub patient: String,
	/// The author of version 1.
	pub author: String,
	/// The custodian organisation, if any.
	pub custodian: Option<u32>,
	/// The current version.
	pub version: u32,
	/// The patient's tag of the record's data class; `None` once erased. Only a holder of the
	/// patient's class key reads the class from it ([`crate::classes::describe`]).
	#[serde(serialize_with = "serialize_tag")]
	pub class_tag: Option<ClassTag>,
	/// Whether the record was erased.
	pub erased: bool,
}

impl From<&RecordSummary<AccountId, u32>> for RecordInfo {
	fn from(summary: &RecordSummary<AccountId, u32>) -> Self {
		let (class_tag, erased) = match &summary.state {
			RecordState::Active { data_class } => (Some(data_class.clone()), false),
			RecordState::Erased { .. } => (None, true),
		};
		RecordInfo {
			id: summary.record,
			patient: summary.subject.to_string(),
			author: summary.author.to_string(),
			custodian: summary.custodian,
			version: summary.current_version,
			class_tag,
			erased,
		}
	}
}

/// What [`add`] and [`amend`] anchored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Anchored {
	/// The record's id.
	pub record: RecordId,
	/// The version anchored.
	pub version: u32,
	/// The ciphertext's CID in the document store.
	pub cid: String,
	/// The ciphertext hash on chain (hex).
	pub ciphertext_hash: String,
	/// The block it was finalized in.
	pub block: u64,
}

/// The encryption public key the chain holds for `who`: a patient's, else a practitioner's.
/// A data key is wrapped for it, so it is read with a storage proof from a finalized header
/// the client verified, not on the node's word ([`Chain::proven_storage`], review M8).
pub async fn encryption_key_of(chain: &Chain, who: &AccountId) -> Result<[u8; 32], Error> {
	let what = "reading the encryption key";
	let directory = runtime::storage().directory();
	let key = match chain.proven_storage(what, directory.patients(), (*who,)).await? {
		Some(patient) => Some(patient.encryption_key),
		None => chain.proven_storage(what, directory.practitioner_keys(), (*who,)).await?,
	};
	key.ok_or_else(|| {
		Error::Chain(ChainError::NotFound(format!(
			"{who} has no encryption key on chain (a patient registers one with `medchain \
			 directory register-patient`, a practitioner with `medchain keys register`)"
		)))
	})
}

/// The record `id` as the chain describes it.
pub async fn info(chain: &Chain, id: RecordId) -> Result<RecordInfo, Error> {
	Ok(RecordInfo::from(&summary(chain, id).await?))
}

/// Record `id` as the chain's `MedicalRecordsApi::record` describes it.
async fn summary(chain: &Chain, id: RecordId) -> Result<RecordSummary<AccountId, u32>, Error> {
	chain
		.runtime_api("reading the record", runtime::runtime_apis().medical_records_api().record(id))
		.await?
		.ok_or_else(|| Error::Chain(ChainError::NotFound(format!("no record {id}"))))
}

/// The active record's subject, class tag and current version; [`Error::Erased`] if erased.
async fn active(chain: &Chain, id: RecordId) -> Result<(AccountId, ClassTag, u32), Error> {
	let record = summary(chain, id).await?;
	match record.state {
		RecordState::Active { data_class } => {
			Ok((record.subject, data_class, record.current_version))
		},
		RecordState::Erased { .. } => Err(Error::Erased(id)),
	}
}

/// Where a version of a record is and what it must match: what a custodian gateway looks up
/// before releasing it, and what a reader checks what it was given against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
	/// The record.
	pub record: RecordId,
	/// Its patient.
	pub patient: AccountId,
	/// The organisation holding it (`None`: self-reported).
	pub custodian: Option<u32>,
	/// The version located.
	pub version: u32,
	/// Its ciphertext's CID.
	pub cid: crate::store::Cid,
	/// Its ciphertext hash.
	pub ciphertext_hash: [u8; 32],
	/// Its plaintext commitment.
	pub plaintext_commitment: [u8; 32],
	/// The record's origin (every wrapped key's context names it).
	pub origin: [u8; 32],
}

/// Version `version` of `record` (default: the current one) as the chain anchors it;
/// [`Error::Erased`] if erased, [`ChainError::NotFound`] if there is no such record or
/// version. Versions are read with storage proofs ([`Chain::proven_storage`]).
pub async fn locate(
	chain: &Chain,
	record: RecordId,
	version: Option<u32>,
) -> Result<Located, Error> {
	let summary = summary(chain, record).await?;
	if let RecordState::Erased { .. } = summary.state {
		return Err(Error::Erased(record));
	}
	let version = version.unwrap_or(summary.current_version);
	let anchored = anchored_version(chain, record, version).await?;
	let cid_text = anchored
		.cid
		.map(|c| String::from_utf8_lossy(&c.0).to_string())
		.ok_or(Error::Erased(record))?;
	Ok(Located {
		record,
		patient: summary.subject,
		custodian: summary.custodian,
		version,
		cid: crate::store::parse_cid(&cid_text)?,
		ciphertext_hash: anchored.ciphertext_hash,
		plaintext_commitment: anchored.plaintext_commitment,
		origin: origin(chain, record).await?,
	})
}

/// `reader` reads version `version` (default: the current one) of `record` from the custodian
/// `gateway` for `purpose`. The gateway writes the access receipt on chain before it answers
/// (released, or refused with 403); what it returns is checked here as from any store: the
/// patient it names, the data key wrapped for the reader in this record's context, the
/// ciphertext against the anchored hash before decrypting, the plaintext against the anchored
/// commitment.
pub async fn get_via_gateway(
	chain: &Chain,
	gateway: &crate::gateway::Gateway,
	reader: &Identity,
	record: RecordId,
	version: Option<u32>,
	purpose: PurposeOfUse,
) -> Result<FhirDocument, Error> {
	let located = locate(chain, record, version).await?;
	let released = gateway.read(reader, record, Some(located.version), purpose).await?;
	Ok(open_released(chain, reader, &located, &released)?.0)
}

/// What a gateway released of `located` to `reader`, checked against the chain and opened: the
/// patient it names, the data key wrapped for the reader in the record's context, the
/// ciphertext against the anchored hash, the plaintext against the anchored commitment. With
/// the data key it opened with.
fn open_released(
	chain: &Chain,
	reader: &Identity,
	located: &Located,
	released: &crate::custody::Deposit,
) -> Result<(FhirDocument, crypto::ContentKey), Error> {
	let record = located.record;
	if released.patient != located.patient {
		return Err(Error::Mismatch(format!(
			"the gateway returned a document of {} for record {record}, which is {}'s",
			released.patient, located.patient
		)));
	}
	let wrapped = WrappedKey::from_bytes(&released.wrapped_key)?;
	let context = wrap_context(chain, &located.patient, &located.origin, &reader.account());
	let key = unwrap_with_any(&wrapped, reader, &context)?;
	let document = open_verified(
		record,
		&crypto::record_aad(&chain.genesis(), &located.patient.0),
		&located.ciphertext_hash,
		&located.plaintext_commitment,
		&released.envelope,
		&key,
	)?;
	Ok((document, key))
}

/// A document a search through a gateway found, checked and opened.
#[derive(Debug, Clone)]
pub struct Found {
	/// The record.
	pub record: RecordId,
	/// Its version (the current one when searched).
	pub version: u32,
	/// The access receipt the gateway wrote.
	pub receipt: u64,
	/// The document.
	pub document: FhirDocument,
}

/// What a search through a gateway returned: the documents consent released, and the gateway's
/// words on the matches it did not (naming their receipts).
#[derive(Debug, Clone, Default)]
pub struct Searched {
	/// Released, checked against the chain and opened, by record id.
	pub found: Vec<Found>,
	/// The refusals.
	pub refused: Vec<String>,
}

/// `reader` searches `gateway` for `patient`'s documents of `resource_type` (`None`: every
/// type) for `purpose`, page after page. The gateway writes a receipt for every match; each
/// released document is checked as [`get_via_gateway`] checks one, and must be `patient`'s and
/// of the type asked for.
pub async fn search_via_gateway(
	chain: &Chain,
	gateway: &crate::gateway::Gateway,
	reader: &Identity,
	patient: &AccountId,
	resource_type: Option<&str>,
	purpose: PurposeOfUse,
) -> Result<Searched, Error> {
	let mut searched = Searched::default();
	let mut after = None;
	let asked = resource_type.unwrap_or("Binary");
	loop {
		let page = gateway.search(reader, asked, patient, purpose, after).await?;
		for entry in page.released {
			let located = locate(chain, entry.record, Some(entry.version)).await?;
			if located.patient != *patient {
				return Err(Error::Mismatch(format!(
					"the gateway answered a search for {patient} with record {}, which is {}'s",
					entry.record, located.patient
				)));
			}
			let (document, _) = open_released(chain, reader, &located, &entry.deposit)?;
			if resource_type.is_some_and(|t| t != document.resource_type()) {
				return Err(Error::Mismatch(format!(
					"the gateway answered a search for {asked} with record {}, a {}",
					entry.record,
					document.resource_type()
				)));
			}
			let (record, version, receipt) = (entry.record, entry.version, entry.receipt);
			searched.found.push(Found { record, version, receipt, document });
		}
		searched.refused.extend(page.refused);
		match page.next {
			// A next page must move forward, or a gateway could keep a client asking forever.
			Some(next) if after.is_none_or(|a| next > a) => after = Some(next),
			Some(next) => {
				return Err(Error::Mismatch(format!(
					"the gateway's next page starts after record {next}, not after {}",
					after.unwrap_or(0)
				)))
			},
			None => break,
		}
	}
	Ok(searched)
}

/// Encrypts `document` bound to `aad`, puts the ciphertext in `store` and returns the version
/// content and the data key (`key`, or a fresh one).
fn seal(
	store: &dyn DocumentStore,
	document: &FhirDocument,
	aad: &[u8],
	key: Option<&crypto::ContentKey>,
) -> Result<(VersionContent<BoundedVec<u8>>, crypto::ContentKey, String), Error> {
	let sealed = seal_document(document, aad, key)?;
	let cid = store.put(&sealed.envelope)?;
	if cid.to_string() != sealed.cid {
		return Err(Error::Mismatch(format!(
			"the store named the document {cid}, not {}",
			sealed.cid
		)));
	}
	Ok((sealed.content, sealed.key, sealed.cid))
}

/// A document sealed for a record, not stored anywhere yet.
struct Sealed {
	envelope: Vec<u8>,
	content: VersionContent<BoundedVec<u8>>,
	key: crypto::ContentKey,
	cid: String,
}

/// Encrypts `document` bound to `aad` under `key` (or a fresh one): the envelope, what the
/// chain anchors of it, and its CID.
fn seal_document(
	document: &FhirDocument,
	aad: &[u8],
	key: Option<&crypto::ContentKey>,
) -> Result<Sealed, Error> {
	let plaintext = document.to_json_bytes()?;
	let key = match key {
		Some(key) => crypto::ContentKey::from_bytes(*key.as_bytes()),
		None => crypto::ContentKey::generate()?,
	};
	let envelope = crypto::seal_with_key(&key, &plaintext, aad)?;
	let cid = crate::store::cid_of(&envelope).to_string();
	let content = VersionContent {
		ciphertext_hash: crypto::commitment(&envelope),
		plaintext_commitment: crypto::plaintext_commitment(&key, &plaintext),
		cid: BoundedVec(cid.clone().into_bytes()),
	};
	Ok(Sealed { envelope, content, key, cid })
}

/// A practitioner (`author`) anchors `document` about `patient` in the class `class` tags
/// (the patient's tag, from their class key: [`crate::classes::ClassKey::tag`]): encrypted with
/// a fresh key wrapped for the patient and the author. Consent must let the author write it.
/// A patient who is their own `author` anchors a self-reported record (a home reading, a
/// survey's answer): no organisation holds it, and only they amend, share and erase it.
pub async fn add(
	chain: &Chain,
	store: &dyn DocumentStore,
	author: &Identity,
	patient: &AccountId,
	document: &FhirDocument,
	class: ClassTag,
) -> Result<Anchored, Error> {
	let patient_public = encryption_key_of(chain, patient).await?;
	let (content, key, cid) =
		seal(store, document, &crypto::record_aad(&chain.genesis(), &patient.0), None)?;
	anchor_new(chain, author, patient, &patient_public, class, content, &key, cid).await
}

/// [`add`] with the organisation's custodian `gateway` as the document store: the envelope is
/// deposited with it, the data key wrapped for `gateway_key` (the gateway's published
/// encryption key) in the record's context, and the record is anchored only once the gateway
/// has stored it durably. A failed anchor leaves a deposit no record names; adding the document
/// again deposits another envelope (a fresh key) and anchors that.
pub async fn add_via_gateway(
	chain: &Chain,
	gateway: &crate::gateway::Gateway,
	gateway_key: &[u8; 32],
	author: &Identity,
	patient: &AccountId,
	document: &FhirDocument,
	class: ClassTag,
) -> Result<Anchored, Error> {
	let patient_public = encryption_key_of(chain, patient).await?;
	let sealed = seal_document(document, &crypto::record_aad(&chain.genesis(), &patient.0), None)?;
	let origin = sealed.content.ciphertext_hash;
	let context = wrap_context(chain, patient, &origin, &gateway.account());
	let deposit = crate::custody::Deposit {
		patient: *patient,
		envelope: sealed.envelope,
		wrapped_key: crypto::wrap_key(&sealed.key, gateway_key, &context)?.to_vec(),
		origin: None,
	};
	let cid = gateway.deposit(author, document.resource_type(), &deposit).await?;
	if cid.to_string() != sealed.cid {
		return Err(Error::Mismatch(format!(
			"the gateway stored the document as {cid}, not {}",
			sealed.cid
		)));
	}
	let (content, key, cid) = (sealed.content, sealed.key, sealed.cid);
	anchor_new(chain, author, patient, &patient_public, class, content, &key, cid).await
}

/// Anchors a sealed first version: its data key wrapped for the patient and the author.
#[allow(clippy::too_many_arguments)]
async fn anchor_new(
	chain: &Chain,
	author: &Identity,
	patient: &AccountId,
	patient_public: &[u8; 32],
	class: ClassTag,
	content: VersionContent<BoundedVec<u8>>,
	key: &crypto::ContentKey,
	cid: String,
) -> Result<Anchored, Error> {
	let origin = content.ciphertext_hash;
	let ciphertext_hash = hex::encode(origin);
	let patient_key =
		crypto::wrap_key(key, patient_public, &wrap_context(chain, patient, &origin, patient))?;
	let included = if author.account() == *patient {
		let call = runtime::transactions().medical_records().anchor_self_reported(
			class,
			content,
			BoundedVec(patient_key.to_vec()),
		);
		chain.submit("anchoring the self-reported record", &call, &author.signer).await?
	} else {
		let author_context = wrap_context(chain, patient, &origin, &author.account());
		let author_key = crypto::wrap_key(key, &author.encryption_public(), &author_context)?;
		let call = runtime::transactions().medical_records().anchor_record(
			MultiAddress::Id(*patient),
			class,
			content,
			BoundedVec(patient_key.to_vec()),
			BoundedVec(author_key.to_vec()),
		);
		chain.submit("anchoring the record", &call, &author.signer).await?
	};
	let event = included.event::<runtime::medical_records::events::RecordAnchored>()?;
	Ok(Anchored {
		record: event.record,
		version: 1,
		cid,
		ciphertext_hash,
		block: included.block_number,
	})
}

/// `author` anchors `document` as the next version of `record`, encrypted with the record's
/// data key (unwrapped from the key the chain holds for the author) or a fresh one the chain
/// requires (security review H2). The current version is opened from `store` first: the new
/// one must be the same FHIR resource type.
pub async fn amend(
	chain: &Chain,
	store: &dyn DocumentStore,
	author: &Identity,
	record: RecordId,
	document: &FhirDocument,
) -> Result<Anchored, Error> {
	let (patient, _, version) = active(chain, record).await?;
	let aad = crypto::record_aad(&chain.genesis(), &patient.0);
	let origin = origin(chain, record).await?;
	let key = data_key(chain, record, &patient, &origin, author).await?;
	let current = open_version(chain, store, record, version, &aad, &key).await?;
	let amendment =
		seal_amendment(chain, record, &patient, &origin, &key, &current, document).await?;
	let cid = store.put(&amendment.sealed.envelope)?;
	if cid.to_string() != amendment.sealed.cid {
		return Err(Error::Mismatch(format!(
			"the store named the document {cid}, not {}",
			amendment.sealed.cid
		)));
	}
	submit_amendment(chain, author, record, version, amendment).await
}

/// [`amend`] through the record's custodian `gateway` (its published encryption key
/// `gateway_key`): the current version is read through it for `purpose` (a receipted read:
/// the author opens it to check the new version's type, and takes the data key from it, so a
/// colleague under a role grant amends too), the new version is deposited with it, the data
/// key wrapped for the gateway in the record's context, and anchored once the gateway holds it
/// durably. Consent must let the author read and write the record.
pub async fn amend_via_gateway(
	chain: &Chain,
	gateway: &crate::gateway::Gateway,
	gateway_key: &[u8; 32],
	author: &Identity,
	record: RecordId,
	document: &FhirDocument,
	purpose: PurposeOfUse,
) -> Result<Anchored, Error> {
	let located = locate(chain, record, None).await?;
	let released = gateway.read(author, record, Some(located.version), purpose).await?;
	let (current, key) = open_released(chain, author, &located, &released)?;
	let (patient, origin) = (located.patient, located.origin);
	let amendment =
		seal_amendment(chain, record, &patient, &origin, &key, &current, document).await?;
	let context = wrap_context(chain, &patient, &origin, &gateway.account());
	let deposit = crate::custody::Deposit {
		patient,
		envelope: amendment.sealed.envelope.clone(),
		wrapped_key: crypto::wrap_key(&amendment.sealed.key, gateway_key, &context)?.to_vec(),
		origin: Some(origin),
	};
	let cid = gateway.deposit(author, document.resource_type(), &deposit).await?;
	if cid.to_string() != amendment.sealed.cid {
		return Err(Error::Mismatch(format!(
			"the gateway stored the document as {cid}, not {}",
			amendment.sealed.cid
		)));
	}
	submit_amendment(chain, author, record, located.version, amendment).await
}

/// The re-keying of an amendment as the chain takes it: the previous key sealed under the new
/// one, and the new key wrapped for each holder.
type ChainRekey = Rekey<BoundedVec<(AccountId, BoundedVec<u8>)>, BoundedVec<u8>>;

/// A record's next version, sealed and not stored yet, with the re-keying the chain requires.
struct Amendment {
	sealed: Sealed,
	rekey: Option<ChainRekey>,
}

/// Seals `document` as the next version of `record` (data key `key`, current version
/// `current`): the same FHIR resource type as the current version (the chain does not know
/// it). When a wrapped key was removed since that key was chosen, the chain requires a fresh
/// one: the version is encrypted under a new key, wrapped for every current holder, and the old
/// key is chained under the new one (security review H2).
async fn seal_amendment(
	chain: &Chain,
	record: RecordId,
	patient: &AccountId,
	origin: &[u8; 32],
	key: &crypto::ContentKey,
	current: &FhirDocument,
	document: &FhirDocument,
) -> Result<Amendment, Error> {
	if current.resource_type() != document.resource_type() {
		return Err(Error::Mismatch(format!(
			"record {record} is a {}; the new version is a {}",
			current.resource_type(),
			document.resource_type()
		)));
	}
	let aad = crypto::record_aad(&chain.genesis(), &patient.0);
	let (holders, stale) = key_holders(chain, record).await?;
	if !stale {
		return Ok(Amendment { sealed: seal_document(document, &aad, Some(key))?, rekey: None });
	}
	let fresh = crypto::ContentKey::generate()?;
	let sealed = seal_document(document, &aad, Some(&fresh))?;
	let mut keys = Vec::with_capacity(holders.len());
	for holder in holders {
		// The node names the holders: each must be proven to hold the record's key now, or a
		// node could slip in an account of its own to be sent the fresh key.
		let held = runtime::storage().medical_records().wrapped_keys();
		let proven = chain.proven_storage("reading the key holders", held, (record, holder));
		if proven.await?.is_none() {
			return Err(Error::Chain(ChainError::Unverified {
				what: "reading the key holders".into(),
				reason: format!("{holder} holds no key of record {record} on chain"),
			}));
		}
		let public = encryption_key_of(chain, &holder).await?;
		let context = wrap_context(chain, patient, origin, &holder);
		keys.push((holder, BoundedVec(crypto::wrap_key(&fresh, &public, &context)?.to_vec())));
	}
	let link_aad = crypto::key_chain_aad(&chain.genesis(), &patient.0, origin);
	let previous_key = BoundedVec(crypto::chain_key(&fresh, key, &link_aad)?);
	Ok(Amendment { sealed, rekey: Some(Rekey { previous_key, keys: BoundedVec(keys) }) })
}

/// Anchors a sealed amendment of `record`, whose current version is `version`.
async fn submit_amendment(
	chain: &Chain,
	author: &Identity,
	record: RecordId,
	version: u32,
	amendment: Amendment,
) -> Result<Anchored, Error> {
	let Amendment { sealed, rekey } = amendment;
	let ciphertext_hash = hex::encode(sealed.content.ciphertext_hash);
	let call =
		runtime::transactions().medical_records().amend_record(record, sealed.content, rekey);
	let included = chain.submit("amending the record", &call, &author.signer).await?;
	Ok(Anchored {
		record,
		version: version.saturating_add(1),
		cid: sealed.cid,
		ciphertext_hash,
		block: included.block_number,
	})
}

/// The accounts holding a wrapped key of `record`, and whether its next amendment must change
/// the data key (`MedicalRecordsApi::key_holders`).
pub async fn key_holders(chain: &Chain, record: RecordId) -> Result<(Vec<AccountId>, bool), Error> {
	chain
		.runtime_api(
			"reading the key holders",
			runtime::runtime_apis().medical_records_api().key_holders(record),
		)
		.await?
		.ok_or_else(|| Error::Chain(ChainError::NotFound(format!("no record {record}"))))
}

/// The data key of `patient`'s `record` (whose origin is `origin`), unwrapped from the key the
/// chain holds for `reader` (in the record's wrap context: a key copied from another record or
/// account does not open).
async fn data_key(
	chain: &Chain,
	record: RecordId,
	patient: &AccountId,
	origin: &[u8; 32],
	reader: &Identity,
) -> Result<crypto::ContentKey, Error> {
	let wrapped = wrapped_key_of(chain, record, &reader.account())
		.await?
		.ok_or(Error::NoDataKey { record, account: reader.account().to_string() })?;
	let context = wrap_context(chain, patient, origin, &reader.account());
	Ok(unwrap_with_any(&wrapped, reader, &context)?)
}

/// `wrapped` opened with the first of `reader`'s encryption keys (current, then previous) that
/// opens it; [`crypto::CryptoError::UnwrapFailed`] if none does.
pub fn unwrap_with_any(
	wrapped: &WrappedKey,
	reader: &Identity,
	context: &[u8],
) -> Result<crypto::ContentKey, crypto::CryptoError> {
	reader
		.encryption_keys()
		.find_map(|pair| crypto::unwrap_key(wrapped, pair, context).ok())
		.ok_or(crypto::CryptoError::UnwrapFailed)
}

/// `reader` reads the current version of `record` for `purpose`: records the access receipt
/// (refused by the chain without consent), fetches the ciphertext, checks it against the
/// on-chain hash, decrypts it and parses the FHIR document.
pub async fn get(
	chain: &Chain,
	store: &dyn DocumentStore,
	reader: &Identity,
	record: RecordId,
	purpose: PurposeOfUse,
) -> Result<FhirDocument, Error> {
	let (patient, class, version) = active(chain, record).await?;
	let receipt = runtime::transactions().consent().record_access(
		MultiAddress::Id(patient),
		AccessTarget::Record { record, class },
		purpose,
		ConsentAction::Read,
	);
	chain.submit("recording the access", &receipt, &reader.signer).await?;
	let origin = origin(chain, record).await?;
	let key = data_key(chain, record, &patient, &origin, reader).await?;
	open_version(
		chain,
		store,
		record,
		version,
		&crypto::record_aad(&chain.genesis(), &patient.0),
		&key,
	)
	.await
}

/// Fetches version `version` of `record` from `store` and opens it with `key`
/// ([`open_verified`]); records no receipt.
async fn open_version(
	chain: &Chain,
	store: &dyn DocumentStore,
	record: RecordId,
	version: u32,
	aad: &[u8],
	key: &crypto::ContentKey,
) -> Result<FhirDocument, Error> {
	let anchored = anchored_version(chain, record, version).await?;
	let cid_text = anchored
		.cid
		.map(|c| String::from_utf8_lossy(&c.0).to_string())
		.ok_or(Error::Erased(record))?;
	let cid = crate::store::parse_cid(&cid_text)?;
	let envelope = store.get(&cid)?;
	open_verified(
		record,
		aad,
		&anchored.ciphertext_hash,
		&anchored.plaintext_commitment,
		&envelope,
		key,
	)
}

/// Checks `envelope` against the ciphertext hash anchored on chain **before** decrypting it,
/// decrypts it with `key` and the associated data `aad` (the chain and the patient:
/// [`crypto::record_aad`]), checks the plaintext against the anchored
/// plaintext commitment and parses the FHIR document. Any mismatch is [`Error::Integrity`]
/// and nothing is returned.
pub fn open_verified(
	record: RecordId,
	aad: &[u8],
	ciphertext_hash: &[u8; 32],
	plaintext_commitment: &[u8; 32],
	envelope: &[u8],
	key: &crypto::ContentKey,
) -> Result<FhirDocument, Error> {
	let hash = crypto::commitment(envelope);
	if &hash != ciphertext_hash {
		return Err(Error::Integrity {
			record,
			expected: hex::encode(ciphertext_hash),
			found: hex::encode(hash),
		});
	}
	let plaintext = crypto::open_record(key, envelope, aad)?;
	if &crypto::plaintext_commitment(key, &plaintext) != plaintext_commitment {
		return Err(Error::Integrity {
			record,
			expected: hex::encode(plaintext_commitment),
			found: "a plaintext with another commitment".into(),
		});
	}
	Ok(FhirDocument::parse(&plaintext)?)
}

/// The patient shares `record` with `grantee` for `purpose`: a consent grant (read, for the
/// purpose, this record only) and the data key wrapped for the grantee, in one atomic batch.
/// Returns the grant's id.
pub async fn share(
	chain: &Chain,
	patient: &Identity,
	record: RecordId,
	grantee: &AccountId,
	purpose: PurposeOfUse,
) -> Result<u64, Error> {
	active(chain, record).await?;
	let grantee_public = encryption_key_of(chain, grantee).await?;
	let origin = origin(chain, record).await?;
	let key = data_key(chain, record, &patient.account(), &origin, patient).await?;
	let context = wrap_context(chain, &patient.account(), &origin, grantee);
	let wrapped = crypto::wrap_key(&key, &grantee_public, &context)?;
	use types::medchain_runtime::RuntimeCall;
	let grant = RuntimeCall::Consent(types::pallet_consent::pallet::Call::grant_consent {
		grantee: Grantee::Account(*grantee),
		provision: Provision {
			effect: Effect::Permit,
			actions: BoundedVec(vec![ConsentAction::Read]),
			purposes: BoundedVec(vec![purpose]),
			classes: BoundedVec(vec![]),
			records: BoundedVec(vec![record]),
		},
		valid_from: None,
		valid_until: None,
	});
	let key_call =
		RuntimeCall::MedicalRecords(types::pallet_medical_records::pallet::Call::add_wrapped_key {
			record,
			grantee: MultiAddress::Id(*grantee),
			wrapped_key: BoundedVec(wrapped.to_vec()),
			purpose,
		});
	let batch = runtime::transactions().utility().batch_all(vec![grant, key_call]);
	let included = chain.submit("sharing the record", &batch, &patient.signer).await?;
	let event = included.event::<runtime::consent::events::ConsentGranted>()?;
	Ok(event.grant)
}

/// A practitioner of the record's custodian wraps the data key of `record` for `grantee`, for
/// `purpose`, under the patient's consent: the chain checks that the patient lets the
/// practitioner share for the purpose and lets the grantee read it (a claim's payer, through
/// the claim's grant, for payment). No grant is made: the key lasts as long as the grant that
/// lets the grantee read (the claim's end removes it). Returns the block.
pub async fn share_as_custodian(
	chain: &Chain,
	practitioner: &Identity,
	record: RecordId,
	grantee: &AccountId,
	purpose: PurposeOfUse,
) -> Result<u64, Error> {
	let (subject, ..) = active(chain, record).await?;
	let grantee_public = encryption_key_of(chain, grantee).await?;
	let origin = origin(chain, record).await?;
	let key = data_key(chain, record, &subject, &origin, practitioner).await?;
	let context = wrap_context(chain, &subject, &origin, grantee);
	let wrapped = crypto::wrap_key(&key, &grantee_public, &context)?;
	let call = runtime::transactions().medical_records().add_wrapped_key(
		record,
		MultiAddress::Id(*grantee),
		BoundedVec(wrapped.to_vec()),
		purpose,
	);
	Ok(chain.submit("sharing the record", &call, &practitioner.signer).await?.block_number)
}

/// The patient (or the custodian) removes `grantee`'s wrapped data key of `record`. When the
/// patient unshares, the grants that shared the record (account permits to `grantee` naming only
/// this record, still in force) are revoked in the same atomic batch: unsharing ends the
/// consent too, not only the key (security review H2). Returns the block and the grants revoked.
pub async fn unshare(
	chain: &Chain,
	who: &Identity,
	record: RecordId,
	grantee: &AccountId,
) -> Result<(u64, Vec<u64>), Error> {
	use types::medchain_runtime::RuntimeCall;
	let (patient, ..) = active(chain, record).await?;
	let mut calls = vec![RuntimeCall::MedicalRecords(
		types::pallet_medical_records::pallet::Call::remove_wrapped_key {
			record,
			grantee: MultiAddress::Id(*grantee),
		},
	)];
	let mut revoked = Vec::new();
	if patient == who.account() {
		for grant in crate::consent::grants_of(chain, &patient).await? {
			let sharing = grant.ended.is_none()
				&& matches!(&grant.grantee, Grantee::Account(account) if account == grantee)
				&& matches!(grant.provision.effect, Effect::Permit)
				&& grant.provision.classes.0.is_empty()
				&& grant.provision.records == vec![record];
			if sharing {
				revoked.push(grant.id);
				calls.push(RuntimeCall::Consent(
					types::pallet_consent::pallet::Call::revoke_consent { grant: grant.id },
				));
			}
		}
	}
	let batch = runtime::transactions().utility().batch_all(calls);
	let block = chain.submit("unsharing the record", &batch, &who.signer).await?.block_number;
	Ok((block, revoked))
}

/// Prunes the wrapped keys of `patient`'s records that consent no longer backs: for each
/// active record, each holder other than the patient whom the chain's evaluator permits to read
/// it for no purpose at all. A revocation needs no prune (the chain removes the keys a revoked
/// grant delivered); this is for consent that ends without one: a grant's expiry, a suspended
/// licence, a practitioner who left, a new deny. One atomic batch signed by `who` (anyone may
/// prune); returns the (record, holder) pairs pruned, none if nothing is to prune (then nothing
/// is submitted).
pub async fn prune_unbacked(
	chain: &Chain,
	who: &Identity,
	patient: &AccountId,
) -> Result<Vec<(RecordId, AccountId)>, Error> {
	use types::medchain_runtime::RuntimeCall;
	let mut pruned = Vec::new();
	for info in list(chain, patient).await? {
		if info.erased {
			continue;
		}
		let Some(class) = info.class_tag.clone() else { continue };
		let (holders, _) = key_holders(chain, info.id).await?;
		for holder in holders.into_iter().filter(|h| h != patient) {
			let mut backed = false;
			for purpose in PurposeOfUse::ALL {
				let decision = crate::consent::evaluate(
					chain,
					patient,
					&holder,
					ConsentAction::Read,
					purpose,
					AccessTarget::Record { record: info.id, class: class.clone() },
					None,
				)
				.await?;
				if decision.permitted {
					backed = true;
					break;
				}
			}
			if !backed {
				pruned.push((info.id, holder));
			}
		}
	}
	if pruned.is_empty() {
		return Ok(pruned);
	}
	let calls = pruned
		.iter()
		.map(|(record, holder)| {
			RuntimeCall::MedicalRecords(
				types::pallet_medical_records::pallet::Call::prune_wrapped_key {
					record: *record,
					holder: MultiAddress::Id(*holder),
				},
			)
		})
		.collect();
	let batch = runtime::transactions().utility().batch_all(calls);
	chain.submit("pruning data keys consent no longer backs", &batch, &who.signer).await?;
	Ok(pruned)
}

/// Saves a decrypted document (health data) to `path`: a new file only its owner can read (mode
/// 0600), written atomically; an existing file (or a symlink) at `path` is never replaced or
/// followed, the call fails with `AlreadyExists` instead.
pub fn save_document(path: &std::path::Path, bytes: &[u8]) -> Result<(), Error> {
	crate::fsutil::write_private(path, bytes).map_err(|e| Error::Io(path.to_path_buf(), e))
}

/// Erases `record`: the chain drops its CIDs and wrapped keys and leaves a tombstone; the
/// ciphertexts of every version are deleted from `store`. Returns the versions deleted.
pub async fn erase(
	chain: &Chain,
	store: &dyn DocumentStore,
	who: &Identity,
	record: RecordId,
) -> Result<u32, Error> {
	let (_, _, count) = active(chain, record).await?;
	let mut cids = Vec::new();
	for cid in versions(chain, record).await?.into_iter().filter_map(|v| v.cid) {
		cids.push(crate::store::parse_cid(&String::from_utf8_lossy(&cid))?);
	}
	let call = runtime::transactions().medical_records().erase_record(record);
	chain.submit("erasing the record", &call, &who.signer).await?;
	for cid in &cids {
		store.delete(cid)?;
	}
	Ok(count)
}

/// Where the patient's own wrapped data key of a record stands against their current
/// encryption key ([`crate::recovery::rewrap`]).
pub(crate) enum OwnKey {
	/// It opens with the current key: nothing to do.
	Current,
	/// It opened with a previous key; here it is wrapped for the current one.
	Rewrapped(crypto::WrappedKey),
	/// None of the patient's keys opens it (or the chain holds none for them).
	Unreachable,
}

/// `patient`'s own wrapped data key of `record`, checked against their current encryption key
/// and wrapped again for it when only a previous key opens it.
pub(crate) async fn own_key(
	chain: &Chain,
	patient: &Identity,
	record: RecordId,
) -> Result<OwnKey, Error> {
	let account = patient.account();
	let Some(wrapped) = wrapped_key_of(chain, record, &account).await? else {
		return Ok(OwnKey::Unreachable);
	};
	let origin = origin(chain, record).await?;
	let context = wrap_context(chain, &account, &origin, &account);
	if crypto::unwrap_key(&wrapped, &patient.encryption, &context).is_ok() {
		return Ok(OwnKey::Current);
	}
	match unwrap_with_any(&wrapped, patient, &context) {
		Ok(key) => Ok(OwnKey::Rewrapped(crypto::wrap_key(
			&key,
			&patient.encryption.public_key(),
			&context,
		)?)),
		Err(_) => Ok(OwnKey::Unreachable),
	}
}

/// The records of `patient` (in storage order; erased ones as tombstones), through the `MedicalRecordsApi` runtime API.
pub async fn list(chain: &Chain, patient: &AccountId) -> Result<Vec<RecordInfo>, Error> {
	let mut out = Vec::new();
	let mut after: Option<RecordId> = None;
	loop {
		let page = chain
			.runtime_api(
				"listing records",
				runtime::runtime_apis().medical_records_api().records_of(*patient, after, 100),
			)
			.await?;
		if page.is_empty() {
			break;
		}
		out.extend(page.iter().map(RecordInfo::from));
		after = page.last().map(|s| s.record);
	}
	Ok(out)
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::store::MemoryStore;

	const OBSERVATION: &[u8] = br#"{"resourceType":"Observation","status":"final",
		"code":{"text":"Heart rate"},"valueQuantity":{"value":72,"unit":"beats/minute"}}"#;
	const PATIENT: &[u8] = br#"{"resourceType":"Patient","gender":"female"}"#;

	/// The associated data of Alice's records on a test chain.
	fn alice_aad() -> Vec<u8> {
		crypto::record_aad(&[0x6e; 32], &[0xa1; 32])
	}

	fn sealed(
		bytes: &[u8],
	) -> (FhirDocument, VersionContent<BoundedVec<u8>>, crypto::ContentKey, Vec<u8>) {
		let store = MemoryStore::new();
		let document = FhirDocument::parse(bytes).unwrap();
		let (content, key, cid) = seal(&store, &document, &alice_aad(), None).unwrap();
		let envelope = store.get(&crate::store::parse_cid(&cid).unwrap()).unwrap();
		(document, content, key, envelope)
	}

	/// M8: `records get --out` wrote health data with the default umask, followed symlinks and
	/// overwrote whatever was there.
	#[test]
	fn m8_a_saved_document_is_private_and_replaces_nothing() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("observation.json");
		save_document(&path, OBSERVATION).unwrap();
		assert_eq!(std::fs::read(&path).unwrap(), OBSERVATION);
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
			assert_eq!(mode, 0o600);
		}
		// A second save to the same path fails and leaves the first file as it was.
		let err = save_document(&path, PATIENT).unwrap_err();
		assert!(
			matches!(&err, Error::Io(p, e) if *p == path && e.kind() == std::io::ErrorKind::AlreadyExists),
			"{err:?}"
		);
		assert_eq!(std::fs::read(&path).unwrap(), OBSERVATION);
		// A symlink planted at the path is not followed.
		#[cfg(unix)]
		{
			let target = dir.path().join("elsewhere");
			let link = dir.path().join("link.json");
			std::os::unix::fs::symlink(&target, &link).unwrap();
			assert!(save_document(&link, OBSERVATION).is_err());
			assert!(!target.exists(), "nothing was written through the symlink");
		}
	}

	#[test]
	fn a_sealed_record_opens_to_the_same_document() {
		let (document, content, key, envelope) = sealed(OBSERVATION);
		assert_eq!(content.cid.0, crate::store::cid_of(&envelope).to_string().into_bytes());
		let opened = open_verified(
			7,
			&alice_aad(),
			&content.ciphertext_hash,
			&content.plaintext_commitment,
			&envelope,
			&key,
		)
		.unwrap();
		assert_eq!(opened, document);
	}

	#[test]
	fn a_ciphertext_that_is_not_the_anchored_one_is_refused_before_decryption() {
		let (_, content, key, _) = sealed(OBSERVATION);
		// Another valid envelope under the same key (as a store could serve): refused by hash.
		let other = crypto::seal_with_key(&key, PATIENT, &alice_aad()).unwrap();
		let err = open_verified(
			7,
			&alice_aad(),
			&content.ciphertext_hash,
			&content.plaintext_commitment,
			&other,
			&key,
		)
		.unwrap_err();
		assert!(matches!(err, Error::Integrity { record: 7, .. }), "{err}");
		assert!(err.to_string().contains("fails its integrity check"), "{err}");
	}

	#[test]
	fn a_plaintext_that_is_not_the_committed_one_is_refused() {
		let (_, content, key, envelope) = sealed(OBSERVATION);
		let mut commitment = content.plaintext_commitment;
		commitment[0] ^= 1;
		let err =
			open_verified(7, &alice_aad(), &content.ciphertext_hash, &commitment, &envelope, &key)
				.unwrap_err();
		assert!(matches!(err, Error::Integrity { .. }), "{err}");
	}

	#[test]
	fn another_key_patient_or_chain_is_refused() {
		let (_, content, _, envelope) = sealed(OBSERVATION);
		let wrong = crypto::ContentKey::generate().unwrap();
		let err = open_verified(
			7,
			&alice_aad(),
			&content.ciphertext_hash,
			&content.plaintext_commitment,
			&envelope,
			&wrong,
		)
		.unwrap_err();
		assert!(matches!(err, Error::Crypto(crypto::CryptoError::WrongKey)), "{err}");
		let (_, content, key, envelope) = sealed(OBSERVATION);
		// The envelope of Alice's record presented as Bob's (or on another chain).
		let err = open_verified(
			7,
			&crypto::record_aad(&[0x6e; 32], &[0xb0; 32]),
			&content.ciphertext_hash,
			&content.plaintext_commitment,
			&envelope,
			&key,
		)
		.unwrap_err();
		assert!(matches!(err, Error::Crypto(_)), "{err}");
	}
}
