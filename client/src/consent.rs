//! Consent: grants, offers, revocation, the evaluator and the access log.
//!
//! The client never decides access itself: [`evaluate`] asks the chain's one evaluator
//! (`ConsentApi::evaluate_access`), and reading a record asks the chain for a receipt.

use subxt::utils::MultiAddress;

use crate::{
	chain::{runtime, types, AccountId, Chain},
	classes::{ClassKey, DataClass},
	identity::Identity,
	Error,
};

pub use medchain_primitives::{ConsentAction, PractitionerRole, PurposeOfUse};
use types::bounded_collections::bounded_vec::BoundedVec;
pub use types::{
	medchain_primitives::{AccessTarget, Decision},
	pallet_consent_runtime_api::{
		AccessReceipt, Effect, Grant, Grantee, LogEntry, Offer, Provision,
	},
};

/// A grant or offer's terms, as the CLI takes them.
#[derive(Debug, Clone)]
pub struct Terms {
	/// Permit or deny.
	pub effect: Effect,
	/// The actions.
	pub actions: Vec<ConsentAction>,
	/// The purposes.
	pub purposes: Vec<PurposeOfUse>,
	/// Whole data classes (tagged with the patient's class key on the way to the chain).
	pub classes: Vec<DataClass>,
	/// Specific records.
	pub records: Vec<u64>,
	/// First block of validity (default: now).
	pub valid_from: Option<u32>,
	/// First block no longer valid (default: none).
	pub valid_until: Option<u32>,
}

impl Terms {
	/// The provision, its classes tagged under the patient's class key.
	fn provision(&self, key: &ClassKey) -> Provision<BoundedVec<u64>> {
		Provision {
			effect: self.effect.clone(),
			actions: BoundedVec(self.actions.clone()),
			purposes: BoundedVec(self.purposes.clone()),
			classes: BoundedVec(key.tags(&self.classes)),
			records: BoundedVec(self.records.clone()),
		}
	}
}

/// The patient grants `terms` to `grantee`; returns the grant's id.
pub async fn grant(
	chain: &Chain,
	patient: &Identity,
	grantee: Grantee<AccountId>,
	terms: &Terms,
) -> Result<u64, Error> {
	let call = runtime::transactions().consent().grant_consent(
		grantee,
		terms.provision(&patient.class_key),
		terms.valid_from,
		terms.valid_until,
	);
	let included = chain.submit("granting consent", &call, &patient.signer).await?;
	Ok(included.event::<runtime::consent::events::ConsentGranted>()?.grant)
}

/// A researcher or payer offers `patient` a grant of `terms` to `grantee`; returns the offer's
/// id. The patient accepts or rejects it, choosing the data classes it covers: an offer names
/// no classes (only the patient knows their class tags), only records if any.
pub async fn offer(
	chain: &Chain,
	proposer: &Identity,
	patient: &AccountId,
	grantee: Grantee<AccountId>,
	terms: &Terms,
) -> Result<u64, Error> {
	if !terms.classes.is_empty() {
		return Err(Error::OfferNamesClasses);
	}
	let call = runtime::transactions().consent().propose_grant(
		MultiAddress::Id(*patient),
		grantee,
		terms.provision(&proposer.class_key),
		terms.valid_from,
		terms.valid_until,
	);
	let included = chain.submit("offering a grant", &call, &proposer.signer).await?;
	Ok(included.event::<runtime::consent::events::OfferProposed>()?.offer)
}

/// The patient accepts offer `offer` over `classes` (besides the records the offer names);
/// returns the grant's id.
pub async fn accept(
	chain: &Chain,
	patient: &Identity,
	offer: u64,
	classes: &[DataClass],
) -> Result<u64, Error> {
	let tags = BoundedVec(patient.class_key.tags(classes));
	let call = runtime::transactions().consent().accept_offer(offer, tags);
	let included = chain.submit("accepting the offer", &call, &patient.signer).await?;
	Ok(included.event::<runtime::consent::events::OfferAccepted>()?.grant)
}

/// The patient rejects offer `offer`.
pub async fn reject(chain: &Chain, patient: &Identity, offer: u64) -> Result<u64, Error> {
	let call = runtime::transactions().consent().reject_offer(offer);
	Ok(chain.submit("rejecting the offer", &call, &patient.signer).await?.block_number)
}

/// The patient revokes grant `grant`. The chain removes, in the same call, every wrapped data
/// key the grant delivered (security review H2: keys follow consent), and each record that lost
/// one must change its data key at its next amendment. Returns the block of the revocation and
/// the (record, holder) keys removed.
pub async fn revoke(
	chain: &Chain,
	patient: &Identity,
	grant: u64,
) -> Result<(u64, Vec<(u64, AccountId)>), Error> {
	let call = runtime::transactions().consent().revoke_consent(grant);
	let included = chain.submit("revoking the grant", &call, &patient.signer).await?;
	let removed = included
		.events_of::<runtime::medical_records::events::WrappedKeyRevoked>()?
		.into_iter()
		.map(|event| (event.record, event.holder))
		.collect();
	Ok((included.block_number, removed))
}

/// The patient's grants with their history (`ConsentApi::grants_of`).
pub async fn grants_of(
	chain: &Chain,
	patient: &AccountId,
) -> Result<Vec<Grant<AccountId, u32, Vec<u64>>>, Error> {
	Ok(chain
		.runtime_api("listing grants", runtime::runtime_apis().consent_api().grants_of(*patient))
		.await?)
}

/// The offers waiting for the patient's answer (`ConsentApi::offers_of`).
pub async fn offers_of(
	chain: &Chain,
	patient: &AccountId,
) -> Result<Vec<Offer<AccountId, u32, Vec<u64>>>, Error> {
	Ok(chain
		.runtime_api("listing offers", runtime::runtime_apis().consent_api().offers_of(*patient))
		.await?)
}

impl std::fmt::Display for Decision {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		let verdict = if self.permitted { "permitted" } else { "denied" };
		write!(f, "{verdict} ({:?}", self.reason)?;
		if let Some(grant) = self.grant {
			write!(f, ", grant {grant}")?;
		}
		write!(f, ")")
	}
}

/// What the chain's evaluator decides for `actor` doing `action` for `purpose` on `target`
/// of `patient`: now, or as it decided at finalized block `at` (evaluated in that block's
/// state, so grants and the directory are both as they were then: security review L7).
pub async fn evaluate(
	chain: &Chain,
	patient: &AccountId,
	actor: &AccountId,
	action: ConsentAction,
	purpose: PurposeOfUse,
	target: AccessTarget,
	at: Option<u64>,
) -> Result<Decision, Error> {
	let call = runtime::runtime_apis()
		.consent_api()
		.evaluate_access(*patient, *actor, action, purpose, target);
	Ok(match at {
		Some(block) => chain.runtime_api_at("evaluating access", call, block).await?,
		None => chain.runtime_api("evaluating access", call).await?,
	})
}

/// The patient's whole access log, newest first (`ConsentApi::access_log`, every page).
pub async fn access_log(
	chain: &Chain,
	patient: &AccountId,
) -> Result<Vec<AccessReceipt<AccountId, u32>>, Error> {
	let mut out: Vec<AccessReceipt<AccountId, u32>> = Vec::new();
	let mut before: Option<u64> = None;
	loop {
		let page = chain
			.runtime_api(
				"reading the access log",
				runtime::runtime_apis().consent_api().access_log(*patient, before, 100),
			)
			.await?;
		let Some(last) = page.last().map(|r| r.seq) else { break };
		out.extend(page);
		before = Some(last);
	}
	Ok(out)
}

/// What a custodian gateway's receipt said: released or refused, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GatewayReceipt {
	/// Whether consent permitted the access (the gateway may release the record).
	pub released: bool,
	/// The receipt's sequence number in the patient's log.
	pub receipt: u64,
	/// The grant that permitted (or, refused, the deny grant that decided), if one did.
	pub grant: Option<u64>,
	/// The finalized block it is in.
	pub block: u64,
}

/// As the custodian `gateway` of record `record`, write the receipt of `requester`'s access
/// (`action` for `purpose`) before answering them: the chain evaluates consent and writes a
/// released or a refused receipt. The gateway releases data only when
/// [`GatewayReceipt::released`], after the receipt is final. Concurrent calls pass the same
/// `turn` ([`Chain::submit_in_turn`]).
pub async fn record_access_at_gateway(
	chain: &Chain,
	gateway: &Identity,
	turn: Option<&crate::chain::Turn>,
	requester: &AccountId,
	record: u64,
	purpose: PurposeOfUse,
	action: ConsentAction,
) -> Result<GatewayReceipt, Error> {
	let call = runtime::transactions().consent().record_access_at_gateway(
		MultiAddress::Id(*requester),
		record,
		purpose,
		action,
	);
	let included =
		chain.submit_in_turn("writing the access receipt", &call, &gateway.signer, turn).await?;
	let block = included.block_number;
	let released = included.events_of::<runtime::consent::events::ReleasedByGateway>()?;
	if let Some(event) = released.into_iter().next() {
		return Ok(GatewayReceipt {
			released: true,
			receipt: event.receipt,
			grant: event.grant,
			block,
		});
	}
	let refused = included.event::<runtime::consent::events::RefusedByGateway>()?;
	Ok(GatewayReceipt { released: false, receipt: refused.receipt, grant: refused.grant, block })
}

/// What [`open_emergency`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyOpened {
	/// The emergency access's id.
	pub emergency: u64,
	/// The salt of the justification's commitment: kept with the note, it lets a reviewer
	/// check the note against the chain.
	pub salt: [u8; 32],
	/// The commitment on chain.
	pub commitment: [u8; 32],
	/// The finalized block it is in.
	pub block: u64,
}

/// The commitment to an emergency's justification `note` under `salt`: the note stays with
/// the physician's organisation; the chain holds only this, which nobody can reverse or guess
/// without the salt.
pub fn emergency_reason(salt: &[u8; 32], note: &str) -> [u8; 32] {
	let mut data = salt.to_vec();
	data.extend_from_slice(note.as_bytes());
	crate::crypto::domain_hash(b"medchain/emergency-reason/v1", &data)
}

/// As an emergency physician, open emergency (break-glass) access to `patient`'s data for
/// emergency treatment, justified by `note` (committed with a fresh salt; the note is not
/// sent anywhere).
pub async fn open_emergency(
	chain: &Chain,
	physician: &Identity,
	patient: &AccountId,
	note: &str,
) -> Result<EmergencyOpened, Error> {
	if note.trim().is_empty() {
		return Err(Error::Mismatch("an emergency access needs a justification".into()));
	}
	let mut salt = [0u8; 32];
	getrandom::fill(&mut salt).map_err(|e| Error::Mismatch(e.to_string()))?;
	let commitment = emergency_reason(&salt, note);
	let call = runtime::transactions()
		.consent()
		.open_emergency_access(MultiAddress::Id(*patient), commitment);
	let included = chain.submit("opening emergency access", &call, &physician.signer).await?;
	let event = included.event::<runtime::consent::events::EmergencyAccessOpened>()?;
	Ok(EmergencyOpened {
		emergency: event.emergency,
		salt,
		commitment,
		block: included.block_number,
	})
}
