//! Reads the client does not take on the RPC node's word (security review M8).
//!
//! A node a client connects to could answer a grantee's encryption key with its own (and be
//! handed the record's data key) or a record's hash with another (and have a forged document
//! accepted). The reads that decide where a data key goes or whether a document is genuine go
//! through [`Chain::proven_storage`] instead of a plain query:
//!
//! 1. a **finalized header** the client checks itself ([`Chain::verified_head`]): a GRANDPA
//!    justification, signed by more than two thirds of the authority set the client trusts,
//!    of a block at least as recent as the node's own finalized block; the set is followed
//!    across its changes from a [`Checkpoint`] (`grandpa_proveFinality` gives the
//!    justification of each set's last block, whose digest names the next set);
//! 2. the **storage value** with a Merkle proof (`state_getReadProof`) against that header's
//!    state root ([`proof::read_proven`]); the value decoded is the proven one.
//!
//! The checkpoint is trusted on first use (the set the node's finalized state names, which
//! is then kept in the connection or, for the CLI, in `<home>/trust/<genesis>.json`) unless an
//! organisation hands one out: a node that lies from the very first answer can fake a whole
//! chain; one that turns hostile later, or any other node, cannot (`docs/threat-model.md`).

use std::path::PathBuf;

use subxt::{
	ext::scale_decode::DecodeAsType, rpcs::rpc_params, storage::Address, OnlineClientAtBlock,
};

use crate::{
	chain::{runtime, Chain, ChainError, Config, H256},
	proof::{self, AuthoritySet, Checkpoint, FinalityProof, Header},
};
use codec::Decode;
use polkadot_sdk::{
	sp_consensus_grandpa::{AuthorityList, SetId},
	sp_core::Bytes,
	sp_runtime::traits::Header as _,
};

/// How many authority set changes one verification follows before giving up (a node could
/// otherwise keep a client walking): years of hourly changes from a fresh checkpoint.
const MAX_SET_CHANGES: usize = 100_000;

/// What a connection's reads are checked against.
#[derive(Default)]
pub(crate) struct Trust {
	/// Where checkpoints are kept (`None`: only in memory).
	dir: Option<PathBuf>,
	/// The checkpoint of the connection's chain, once known.
	checkpoint: Option<Checkpoint>,
	/// The newest header verified.
	head: Option<Head>,
}

impl Trust {
	/// Trust kept in `dir`.
	pub(crate) fn in_dir(dir: PathBuf) -> Self {
		Self { dir: Some(dir), ..Default::default() }
	}
}

/// A header the client verified as finalized.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
	/// Its hash.
	pub hash: H256,
	/// Its number.
	pub number: u32,
	/// Its state root: what storage proofs are checked against.
	pub state_root: H256,
}

fn unverified(what: &str, reason: impl std::fmt::Display) -> ChainError {
	ChainError::Unverified { what: what.to_string(), reason: reason.to_string() }
}

fn checkpoint_file(dir: &std::path::Path, genesis: &H256) -> PathBuf {
	dir.join(format!("0x{}.json", hex::encode(genesis.0)))
}

impl Chain {
	/// A JSON-RPC call bounded by [`Chain::timeout`].
	async fn rpc<R: serde::de::DeserializeOwned>(
		&self,
		what: &str,
		method: &str,
		params: subxt::rpcs::client::RpcParams,
	) -> Result<R, ChainError> {
		self.bounded(what, self.rpc.request::<R>(method, params))
			.await?
			.map_err(|e| crate::chain::failed(what, e))
	}

	/// Header `hash` as the node gives it, checked to be that header (its hash is computed
	/// here).
	async fn header(&self, what: &str, hash: H256) -> Result<Header, ChainError> {
		let header: Option<Header> = self.rpc(what, "chain_getHeader", rpc_params![hash]).await?;
		let header = header
			.ok_or_else(|| ChainError::NotFound(format!("the node has no header {hash:?}")))?;
		if header.hash() != hash {
			return Err(unverified(
				what,
				format!("the header it gives for {hash:?} hashes to {:?}", header.hash()),
			));
		}
		Ok(header)
	}

	/// The newest finalized header the client can verify itself, at least as recent as the
	/// block the node reports finalized ([`ChainError::Unverified`] when no proof holds).
	pub async fn verified_head(&self) -> Result<Head, ChainError> {
		let what = "verifying the finalized block";
		let mut trust = self.trust.lock().await;
		// The node's finalized block is not trusted: it only says how recent a head must be.
		let finalized: H256 = self.rpc(what, "chain_getFinalizedHead", rpc_params![]).await?;
		let finalized = self.header(what, finalized).await?;
		let needed = *finalized.number();
		if let Some(head) = trust.head.filter(|head| head.number >= needed) {
			return Ok(head);
		}
		let genesis = H256(self.genesis());
		let mut checkpoint = match trust.checkpoint.clone() {
			Some(checkpoint) => checkpoint,
			None => self.load_checkpoint(&trust, genesis, &finalized).await?,
		};
		let mut set = checkpoint.set().map_err(|e| unverified(what, e))?;

		// Follow the set changes since the checkpoint; a proof of the current set's latest
		// justified block may come with them.
		let mut head = None;
		for _ in 0..MAX_SET_CHANGES {
			let Some(proof) = self.finality_proof(checkpoint.block).await else { break };
			let justified = proof.block;
			let (target, number) = proof::verify_justification(&proof.justification, &set)
				.map_err(|e| unverified(what, e))?;
			let header = match proof.unknown_headers.last() {
				Some(last) if last.hash() == target => last.clone(),
				_ => self.header(what, target).await?,
			};
			if target != justified {
				return Err(unverified(
					what,
					"the finality proof names another block than its justification",
				));
			}
			match proof::next_set(&set, &header).map_err(|e| unverified(what, e))? {
				Some(next) => {
					set = next;
					checkpoint = Checkpoint::new(genesis, &set, number.saturating_add(1));
					self.report(&format!(
						"followed the GRANDPA authority set to set {} at block #{number}",
						set.set_id
					));
				},
				None => {
					head = Some(Head { hash: target, number, state_root: *header.state_root() });
					break;
				},
			}
		}
		let head = match head.filter(|head| head.number >= needed) {
			Some(head) => head,
			None => self.next_justified(what, genesis, &mut set, &mut checkpoint, needed).await?,
		};
		// The set finalized `head`, or (if `head` ended it) `checkpoint` already starts after.
		checkpoint.block = checkpoint.block.max(head.number);
		self.save_checkpoint(&trust, genesis, &checkpoint)
			.map_err(|e| crate::chain::failed("saving the trust checkpoint", e))?;
		trust.checkpoint = Some(checkpoint);
		trust.head = Some(head);
		Ok(head)
	}

	/// `grandpa_proveFinality(block)`: the justification of the last block of `block`'s set,
	/// or of the latest finalized block if that set is the current one. `None` when the node
	/// has none to give (a chain whose set never changed has no record of set ends, and the
	/// node then answers no block at all): the next justification is awaited instead.
	async fn finality_proof(&self, block: u32) -> Option<FinalityProof> {
		let what = "asking for a finality proof";
		let encoded: Option<Bytes> =
			self.rpc(what, "grandpa_proveFinality", rpc_params![block]).await.ok()?;
		FinalityProof::decode(&mut &encoded?.0[..]).ok()
	}

	/// The next block GRANDPA finalizes at or after `needed`, from the node's stream of
	/// justifications, verified under `set` (moved on, with `checkpoint`, if that block ends
	/// the set).
	async fn next_justified(
		&self,
		what: &str,
		genesis: H256,
		set: &mut AuthoritySet,
		checkpoint: &mut Checkpoint,
		needed: u32,
	) -> Result<Head, ChainError> {
		let mut stream = self
			.bounded(
				what,
				self.rpc.subscribe::<Bytes>(
					"grandpa_subscribeJustifications",
					rpc_params![],
					"grandpa_unsubscribeJustifications",
				),
			)
			.await?
			.map_err(|e| crate::chain::failed(what, e))?;
		// Finality trails the best block by a few blocks: allow three bounds for it.
		let deadline = tokio::time::Instant::now() + self.timeout.saturating_mul(3);
		loop {
			let next = tokio::time::timeout_at(deadline, stream.next()).await.map_err(|_| {
				ChainError::Timeout {
					what: format!("{what}: waiting for a finality justification"),
					timeout: self.timeout.saturating_mul(3),
				}
			})?;
			let encoded = match next {
				Some(Ok(encoded)) => encoded,
				Some(Err(e)) => return Err(crate::chain::failed(what, e)),
				None => {
					return Err(crate::chain::failed(
						what,
						"the node ended the justification stream",
					))
				},
			};
			let (target, number) =
				proof::verify_justification(&encoded.0, set).map_err(|e| unverified(what, e))?;
			if number < needed {
				continue;
			}
			let header = self.header(what, target).await?;
			if let Some(next) = proof::next_set(set, &header).map_err(|e| unverified(what, e))? {
				*set = next;
				*checkpoint = Checkpoint::new(genesis, set, number.saturating_add(1));
			}
			return Ok(Head { hash: target, number, state_root: *header.state_root() });
		}
	}

	/// The checkpoint of chain `genesis`: the one kept in the trust directory, or else the
	/// authority set the node's finalized state names (trust on first use, reported). A node
	/// serving another chain than the one checkpoint kept there is refused.
	async fn load_checkpoint(
		&self,
		trust: &Trust,
		genesis: H256,
		finalized: &Header,
	) -> Result<Checkpoint, ChainError> {
		let what = "reading the trust checkpoint";
		if let Some(dir) = &trust.dir {
			let file = checkpoint_file(dir, &genesis);
			match std::fs::read(&file) {
				Ok(bytes) => {
					let checkpoint: Checkpoint = serde_json::from_slice(&bytes).map_err(|e| {
						unverified(what, format!("{} does not parse: {e}", file.display()))
					})?;
					if checkpoint.genesis != format!("0x{}", hex::encode(genesis.0)) {
						return Err(unverified(
							what,
							format!("{} is for chain {}", file.display(), checkpoint.genesis),
						));
					}
					return Ok(checkpoint);
				},
				Err(e) if e.kind() == std::io::ErrorKind::NotFound => {},
				Err(e) => {
					return Err(crate::chain::failed(what, format!("{}: {e}", file.display())))
				},
			}
			let others = std::fs::read_dir(dir)
				.map(|entries| {
					entries
						.filter_map(|entry| entry.ok())
						.map(|entry| entry.file_name().to_string_lossy().to_string())
						.filter(|name| name.starts_with("0x") && name.ends_with(".json"))
						.collect::<Vec<_>>()
				})
				.unwrap_or_default();
			if let Some(other) = others.first() {
				return Err(unverified(
					what,
					format!(
						"the node serves chain 0x{}, but {} trusts chain {} only; to trust \
						 another chain, remove that file or use another --home",
						hex::encode(genesis.0),
						dir.display(),
						other.trim_end_matches(".json")
					),
				));
			}
		}
		// First use: the set that finalizes the blocks after the node's finalized block, read
		// with proofs against that block's state (consistent, though not yet independent).
		let root = *finalized.state_root();
		let head = Head { hash: finalized.hash(), number: *finalized.number(), state_root: root };
		let grandpa = runtime::storage().grandpa();
		let at = self.at_head(what, &head).await?;
		let set_id = self
			.proven_raw(what, &head, &at, grandpa.current_set_id(), ())
			.await?
			.map(|bytes| SetId::decode(&mut &bytes[..]))
			.transpose()
			.map_err(|e| unverified(what, e))?
			.unwrap_or_default();
		let authorities = self
			.proven_raw(what, &head, &at, grandpa.authorities(), ())
			.await?
			.map(|bytes| AuthorityList::decode(&mut &bytes[..]))
			.transpose()
			.map_err(|e| unverified(what, e))?
			.unwrap_or_default();
		let set = AuthoritySet { set_id, authorities };
		// The state of a block that enacts a change already names the next set.
		let from = if proof::next_set(&set, finalized).map_err(|e| unverified(what, e))?.is_some() {
			head.number.saturating_add(1)
		} else {
			head.number
		};
		let checkpoint = Checkpoint::new(genesis, &set, from);
		checkpoint.set().map_err(|e| unverified(what, e))?;
		self.report(&format!(
			"trusting chain 0x{} on first use: GRANDPA set {} of {} authorities at block #{} \
			 (compare with your organisation's checkpoint)",
			hex::encode(genesis.0),
			set.set_id,
			set.authorities.len(),
			head.number
		));
		Ok(checkpoint)
	}

	/// Writes `checkpoint` to the trust directory (when there is one) if it changed.
	fn save_checkpoint(
		&self,
		trust: &Trust,
		genesis: H256,
		checkpoint: &Checkpoint,
	) -> Result<(), std::io::Error> {
		let Some(dir) = &trust.dir else { return Ok(()) };
		if trust.checkpoint.as_ref() == Some(checkpoint) {
			return Ok(());
		}
		let json = serde_json::to_vec_pretty(checkpoint).map_err(std::io::Error::other)?;
		crate::fsutil::replace_private(&checkpoint_file(dir, &genesis), &json)
	}

	/// The raw value at `address` with `keys` in the state of `head` (`at`: a client at that
	/// block), as a storage proof from its state root shows it (`None`: proven absent).
	async fn proven_raw<A: Address>(
		&self,
		what: &str,
		head: &Head,
		at: &OnlineClientAtBlock<Config>,
		address: A,
		keys: A::KeyParts,
	) -> Result<Option<Vec<u8>>, ChainError> {
		#[derive(serde::Deserialize)]
		struct ReadProof {
			proof: Vec<Bytes>,
		}
		let key = at.storage().entry(address).and_then(|entry| entry.fetch_key(keys));
		let key = key.map_err(|e| crate::chain::failed(what, e))?;
		let keys = [format!("0x{}", hex::encode(&key))];
		let proof: ReadProof =
			self.rpc(what, "state_getReadProof", rpc_params![keys, head.hash]).await?;
		let nodes = proof.proof.into_iter().map(|node| node.0).collect();
		proof::read_proven(head.state_root, nodes, &key).map_err(|e| unverified(what, e))
	}

	/// A client at block `head` (its metadata names the storage entries).
	async fn at_head(
		&self,
		what: &str,
		head: &Head,
	) -> Result<OnlineClientAtBlock<Config>, ChainError> {
		self.bounded(what, self.api().at_block_hash_and_number(head.hash, u64::from(head.number)))
			.await?
			.map_err(|e| crate::chain::failed(what, e))
	}

	/// The value at `address` (with its `keys`) in the state of a finalized block the client
	/// verified ([`Chain::verified_head`]), proven by a storage proof from its state root;
	/// `None` if proven absent. The node's word is not taken for any of it:
	/// [`ChainError::Unverified`] when a proof fails.
	pub async fn proven_storage<A: Address>(
		&self,
		what: &str,
		address: A,
		keys: A::KeyParts,
	) -> Result<Option<A::Value>, ChainError> {
		let head = self.verified_head().await?;
		let at = self.at_head(what, &head).await?;
		let (pallet, entry) = (address.pallet_name().to_string(), address.entry_name().to_string());
		let Some(bytes) = self.proven_raw(what, &head, &at, address, keys).await? else {
			return Ok(None);
		};
		let metadata = at.metadata_ref();
		let value_ty = metadata
			.pallet_by_name(&pallet)
			.and_then(|pallet| pallet.storage())
			.and_then(|storage| storage.entry_by_name(&entry))
			.map(|entry| entry.value_ty())
			.ok_or_else(|| crate::chain::failed(what, format!("no storage {pallet}::{entry}")))?;
		let value = A::Value::decode_as_type(&mut &bytes[..], value_ty, metadata.types())
			.map_err(|e| unverified(what, format!("the proven value does not decode: {e}")))?;
		Ok(Some(value))
	}
}
