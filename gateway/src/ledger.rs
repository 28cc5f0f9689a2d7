//! What the gateway asks the chain before it releases a record: where the record's version is
//! and whose it is, the requester's registered encryption key, and the access receipt it
//! writes (released or refused) before answering. Behind a trait, so that the HTTP face is
//! tested without a node; [`ChainLedger`] is the real one.

use std::{future::Future, pin::Pin, sync::Arc};

use medchain_client::{
	account::AccountId,
	chain::{Chain, Turn},
	consent::{self, ConsentAction, GatewayReceipt, PurposeOfUse},
	identity::Identity,
	records::{self, Located},
	Error,
};

/// A boxed future, as the trait's methods return.
pub type Answer<'a, T> = Pin<Box<dyn Future<Output = Result<T, LedgerError>> + Send + 'a>>;

/// Why the chain gave no answer the gateway can act on.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
	/// No such record or version (or erased): the gateway answers 404.
	#[error("{0}")]
	NotFound(String),
	/// The record was erased: 410.
	#[error("record {0} was erased")]
	Erased(u64),
	/// The chain refused the gateway's receipt (its account is not the record's custodian's
	/// published gateway: a deployment error, 500).
	#[error("the chain refused the receipt: {0}")]
	Refused(String),
	/// The node did not answer in time, or failed: 503.
	#[error("the chain: {0}")]
	Unavailable(String),
}

/// The chain, as the gateway asks it.
pub trait Ledger: Send + Sync {
	/// Version `version` (default: current) of `record`.
	fn locate(&self, record: u64, version: Option<u32>) -> Answer<'_, Located>;
	/// The current version of each of `patient`'s records that is not erased, by record id.
	fn records_of(&self, patient: AccountId) -> Answer<'_, Vec<Located>>;
	/// The X25519 key `who` registered (a patient's or a practitioner's), if any.
	fn encryption_key(&self, who: AccountId) -> Answer<'_, Option<[u8; 32]>>;
	/// Writes the receipt of `requester`'s `action` on `record` for `purpose`, as this
	/// gateway; final before it returns.
	fn receipt(
		&self,
		requester: AccountId,
		record: u64,
		purpose: PurposeOfUse,
		action: ConsentAction,
	) -> Answer<'_, GatewayReceipt>;
}

/// The chain through the gateway's node, receipts signed by the gateway's account.
pub struct ChainLedger {
	chain: Chain,
	identity: Identity,
	/// Receipts are handed to the pool one at a time (nonces in order), then finalize together.
	turn: Turn,
}

impl ChainLedger {
	/// The ledger on `chain`, writing receipts as `identity`.
	pub fn new(chain: Chain, identity: Identity) -> Arc<Self> {
		Arc::new(Self { chain, identity, turn: Turn::default() })
	}
}

/// A client error as the gateway acts on it.
fn ledger_error(error: Error) -> LedgerError {
	use medchain_client::chain::ChainError;
	match error {
		Error::Erased(record) => LedgerError::Erased(record),
		Error::Chain(ChainError::NotFound(what)) => LedgerError::NotFound(what),
		other => LedgerError::Unavailable(other.to_string()),
	}
}

impl Ledger for ChainLedger {
	fn locate(&self, record: u64, version: Option<u32>) -> Answer<'_, Located> {
		Box::pin(async move {
			records::locate(&self.chain, record, version).await.map_err(ledger_error)
		})
	}

	fn records_of(&self, patient: AccountId) -> Answer<'_, Vec<Located>> {
		Box::pin(async move {
			let listed = records::list(&self.chain, &patient).await.map_err(ledger_error)?;
			let mut found = Vec::with_capacity(listed.len());
			for record in listed.into_iter().filter(|r| !r.erased) {
				match records::locate(&self.chain, record.id, None).await {
					Ok(located) => found.push(located),
					// Erased since the listing: not a match any more.
					Err(Error::Erased(_)) => {},
					Err(other) => return Err(ledger_error(other)),
				}
			}
			found.sort_by_key(|l| l.record);
			Ok(found)
		})
	}

	fn encryption_key(&self, who: AccountId) -> Answer<'_, Option<[u8; 32]>> {
		Box::pin(async move {
			match records::encryption_key_of(&self.chain, &who).await {
				Ok(key) => Ok(Some(key)),
				Err(Error::Chain(medchain_client::chain::ChainError::NotFound(_))) => Ok(None),
				Err(other) => Err(ledger_error(other)),
			}
		})
	}

	fn receipt(
		&self,
		requester: AccountId,
		record: u64,
		purpose: PurposeOfUse,
		action: ConsentAction,
	) -> Answer<'_, GatewayReceipt> {
		Box::pin(async move {
			consent::record_access_at_gateway(
				&self.chain,
				&self.identity,
				Some(&self.turn),
				&requester,
				record,
				purpose,
				action,
			)
			.await
			.map_err(|e| match &e {
				Error::Chain(chain) if chain.refusal().is_some() => {
					LedgerError::Refused(e.to_string())
				},
				_ => ledger_error(e),
			})
		})
	}
}

/// No chain: every question is unavailable (a read answers 503). For a gateway that only takes
/// deposits, such as the deposit benchmark.
pub struct Unconnected;

impl Ledger for Unconnected {
	fn locate(&self, _record: u64, _version: Option<u32>) -> Answer<'_, Located> {
		Box::pin(async { Err(LedgerError::Unavailable("no chain connected".into())) })
	}

	fn records_of(&self, _patient: AccountId) -> Answer<'_, Vec<Located>> {
		Box::pin(async { Err(LedgerError::Unavailable("no chain connected".into())) })
	}

	fn encryption_key(&self, _who: AccountId) -> Answer<'_, Option<[u8; 32]>> {
		Box::pin(async { Err(LedgerError::Unavailable("no chain connected".into())) })
	}

	fn receipt(
		&self,
		_requester: AccountId,
		_record: u64,
		_purpose: PurposeOfUse,
		_action: ConsentAction,
	) -> Answer<'_, GatewayReceipt> {
		Box::pin(async { Err(LedgerError::Unavailable("no chain connected".into())) })
	}
}
