//! The council of health authorities: motions proposed, voted and closed by its members.
//!
//! Without sudo (the `local` and `production` chains), the directory's registrar is a council
//! majority: a member proposes the call as a motion, other members vote, and any member closes
//! it once enough have voted; the call then runs with the council's origin. A motion whose
//! threshold is one runs at once, with one member's approval (which a majority rule refuses
//! unless the council has a single member). `docs/governance.md` tells who may do what.

use crate::{
	chain::{runtime, types, AccountId, Chain, ChainError, Included, H256},
	identity::Identity,
	Error,
};
use subxt::ext::scale_encode::EncodeAsType;

/// The runtime call type a motion carries.
pub use types::medchain_runtime::RuntimeCall;

/// A motion waiting for votes.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Motion {
	/// The motion's hash (of its call), which members vote on.
	pub hash: String,
	/// Its index among all motions ever proposed.
	pub index: u32,
	/// The call it executes, as `Pallet.call`.
	pub call: String,
	/// Ayes needed.
	pub threshold: u32,
	/// Members who voted aye.
	pub ayes: Vec<String>,
	/// Members who voted nay.
	pub nays: Vec<String>,
	/// The block after which anyone may close it regardless of votes.
	pub end: u64,
}

impl std::fmt::Display for Motion {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(
			f,
			"{} #{} {}: {} aye / {} nay of {} needed, ends at block {}",
			self.hash,
			self.index,
			self.call,
			self.ayes.len(),
			self.nays.len(),
			self.threshold,
			self.end
		)
	}
}

/// What a proposal did.
pub enum Proposed {
	/// The motion waits for votes.
	Open(Motion),
	/// The threshold was one: the call ran at once; its events are in the transaction's.
	Executed(Included),
}

/// What closing a motion did.
pub enum Closed {
	/// Approved: the call ran and succeeded; its events are in the transaction's.
	Executed(Included),
	/// Voted down: the call did not run.
	Disapproved,
}

/// The council's members.
pub async fn members(chain: &Chain) -> Result<Vec<AccountId>, Error> {
	let members = chain
		.storage("reading the council's members", runtime::storage().council().members(), ())
		.await?;
	Ok(members.unwrap_or_default())
}

/// The ayes a motion needs for more than half of the current council.
pub async fn majority(chain: &Chain) -> Result<u32, Error> {
	let count = members(chain).await?.len() as u32;
	Ok(count / 2 + 1)
}

/// The SCALE encoding of `call` as the chain encodes it (what a motion's hash is taken over).
fn encode_call(chain_metadata: &subxt::Metadata, call: &RuntimeCall) -> Result<Vec<u8>, Error> {
	let ty = chain_metadata.outer_enums().call_enum_ty();
	call.encode_as_type(ty, chain_metadata.types())
		.map_err(|e| Error::Mismatch(format!("encoding the motion's call: {e}")))
}

/// `member` proposes `call` as a motion needing `threshold` ayes, and votes aye on it (proposing
/// alone is no vote).
pub async fn propose(
	chain: &Chain,
	member: &Identity,
	call: RuntimeCall,
	threshold: u32,
) -> Result<Proposed, Error> {
	let metadata = chain.at_finalized().await?.metadata();
	let encoded = encode_call(&metadata, &call)?;
	let length = encoded.len() as u32;
	let hash = H256(crate::crypto::blake2_256(&encoded));
	let what = "proposing the motion";
	let tx = runtime::transactions().council().propose(threshold, call, length);
	let included = chain.submit(what, &tx, &member.signer).await?;
	if let Ok(executed) = included.event::<runtime::council::events::Executed>() {
		return match executed.result {
			Ok(()) => Ok(Proposed::Executed(included)),
			Err(error) => {
				Err(Error::Chain(crate::directory::dispatch_refusal(&metadata, what, error)))
			},
		};
	}
	let proposed = included.event::<runtime::council::events::Proposed>()?;
	if proposed.proposal_hash != hash {
		return Err(Error::Mismatch(format!(
			"the chain hashed the motion as {:?}, the client as {hash:?}",
			proposed.proposal_hash
		)));
	}
	Ok(Proposed::Open(vote(chain, member, hash, true).await?))
}

/// The open motion with `hash`.
pub async fn motion(chain: &Chain, hash: H256) -> Result<Motion, Error> {
	Ok(motion_and_call(chain, hash).await?.0)
}

/// The open motion with `hash` and the call it carries.
async fn motion_and_call(chain: &Chain, hash: H256) -> Result<(Motion, RuntimeCall), Error> {
	let what = "reading the motion";
	let votes = chain
		.storage(what, runtime::storage().council().voting(), (hash,))
		.await?
		.ok_or_else(|| ChainError::NotFound(format!("no open motion {hash:?}")))?;
	let call = chain
		.storage(what, runtime::storage().council().proposal_of(), (hash,))
		.await?
		.ok_or_else(|| ChainError::NotFound(format!("no open motion {hash:?}")))?;
	let motion = Motion {
		hash: format!("{hash:?}"),
		index: votes.index,
		call: call_name(&call),
		threshold: votes.threshold,
		ayes: votes.ayes.iter().map(|a| a.to_string()).collect(),
		nays: votes.nays.iter().map(|a| a.to_string()).collect(),
		end: votes.end.into(),
	};
	Ok((motion, call))
}

/// Every open motion, oldest first.
pub async fn motions(chain: &Chain) -> Result<Vec<Motion>, Error> {
	let hashes = chain
		.storage("reading the motions", runtime::storage().council().proposals(), ())
		.await?
		.map(|bounded| bounded.0)
		.unwrap_or_default();
	let mut list = Vec::with_capacity(hashes.len());
	for hash in hashes {
		list.push(motion(chain, hash).await?);
	}
	Ok(list)
}

/// `member` votes on the open motion `hash`: aye if `approve`.
pub async fn vote(
	chain: &Chain,
	member: &Identity,
	hash: H256,
	approve: bool,
) -> Result<Motion, Error> {
	let index = motion(chain, hash).await?.index;
	let tx = runtime::transactions().council().vote(hash, index, approve);
	chain.submit("voting on the motion", &tx, &member.signer).await?;
	motion(chain, hash).await
}

/// `member` closes the motion `hash`: executed if enough voted aye, disapproved if too many
/// voted nay (or, after its end, if it did not reach its threshold).
pub async fn close(chain: &Chain, member: &Identity, hash: H256) -> Result<Closed, Error> {
	let what = "closing the motion";
	let at = chain.at_finalized().await?;
	let metadata = at.metadata();
	let (open, call) = motion_and_call(chain, hash).await?;
	let length = encode_call(&metadata, &call)?.len() as u32;
	// The weight bound the chain checks the call against: the largest a motion may carry.
	let bound = at
		.constants()
		.entry(runtime::constants().council().max_proposal_weight())
		.map_err(|e| ChainError::Failed { what: what.into(), reason: e.to_string() })?;
	let tx = runtime::transactions().council().close(hash, open.index, bound, length);
	let included = chain.submit(what, &tx, &member.signer).await?;
	if included.event::<runtime::council::events::Disapproved>().is_ok() {
		return Ok(Closed::Disapproved);
	}
	let executed = included.event::<runtime::council::events::Executed>()?;
	match executed.result {
		Ok(()) => Ok(Closed::Executed(included)),
		Err(error) => Err(Error::Chain(crate::directory::dispatch_refusal(&metadata, what, error))),
	}
}

/// `Pallet.call` of a runtime call, from its debug form (`Directory(register_organisation {…})`).
fn call_name(call: &RuntimeCall) -> String {
	let text = format!("{call:?}");
	let pallet: String = text.chars().take_while(|c| c.is_alphanumeric()).collect();
	let rest = text.get(pallet.len() + 1..).unwrap_or_default();
	let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
	format!("{pallet}.{name}")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn call_names_are_pallet_dot_call() {
		let call = RuntimeCall::Directory(
			types::pallet_directory::pallet::Call::deactivate_organisation { organisation: 3 },
		);
		assert_eq!(call_name(&call), "Directory.deactivate_organisation");
	}
}
