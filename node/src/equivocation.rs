//! Reports BABE equivocations with proofs the runtime accepts.
//!
//! sc-consensus-babe 0.60 looks for equivocations in its block import, after its verifier has
//! moved the seal from the header to `post_digests`. The headers it keeps and puts in an
//! equivocation proof are therefore unsealed, and `pallet-babe` refuses every such report with
//! `InvalidEquivocationProof`: the proof must show the offender's signature over both headers.
//! An equivocating validator was detected and never punished.
//!
//! [`SealedEquivocationReporter`] wraps the node's block import. For each block it imports, it
//! puts the seal back on the header, looks the header up in an index of the headers seen per
//! slot and author (sc-consensus-slots' own index, under a key prefix of ours, so that sealed
//! and unsealed headers never meet) and, when the author signed another header at the same slot,
//! submits `pallet-babe`'s unsigned report with a key ownership proof, as BABE does. It runs
//! before BABE's import: BABE's own report of the same offence (same slot and offender, so the
//! same transaction-pool tag) then finds ours in the pool and is dropped.

use std::{marker::PhantomData, sync::Arc};

use polkadot_sdk::*;

use log::{debug, info, warn};
use sc_client_api::backend::AuxStore;
use sc_consensus::{BlockCheckParams, BlockImport, BlockImportParams, ImportResult};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_consensus::{BlockOrigin, Error as ConsensusError, SelectChain};
use sp_consensus_babe::{AuthorityId, BabeApi, EquivocationProof, Slot, SlotDuration};
use sp_runtime::traits::{Block as BlockT, Header as HeaderT};
use sp_timestamp::Timestamp;

const LOG_TARGET: &str = "babe-equivocation";

/// The prefix of our index's keys in the client's auxiliary store.
const AUX_PREFIX: &[u8] = b"medchain:sealed:";

/// The client's auxiliary store with every key under [`AUX_PREFIX`].
struct Prefixed<'a, C>(&'a C);

fn prefixed(key: &[u8]) -> Vec<u8> {
	[AUX_PREFIX, key].concat()
}

impl<C: AuxStore> AuxStore for Prefixed<'_, C> {
	fn insert_aux<
		'a,
		'b: 'a,
		'c: 'a,
		I: IntoIterator<Item = &'a (&'c [u8], &'c [u8])>,
		D: IntoIterator<Item = &'a &'b [u8]>,
	>(
		&self,
		insert: I,
		delete: D,
	) -> sp_blockchain::Result<()> {
		let insert: Vec<(Vec<u8>, &[u8])> =
			insert.into_iter().map(|(key, value)| (prefixed(key), *value)).collect();
		let delete: Vec<Vec<u8>> = delete.into_iter().map(|key| prefixed(key)).collect();
		let insert: Vec<(&[u8], &[u8])> =
			insert.iter().map(|(key, value)| (key.as_slice(), *value)).collect();
		let delete: Vec<&[u8]> = delete.iter().map(Vec::as_slice).collect();
		self.0.insert_aux(insert.iter(), delete.iter())
	}

	fn get_aux(&self, key: &[u8]) -> sp_blockchain::Result<Option<Vec<u8>>> {
		self.0.get_aux(&prefixed(key))
	}
}

/// A block import that reports BABE equivocations with sealed headers; see the module docs.
pub struct SealedEquivocationReporter<Block: BlockT, Client, Inner, SC> {
	inner: Inner,
	client: Arc<Client>,
	select_chain: SC,
	pool: OffchainTransactionPoolFactory<Block>,
	slot_duration: SlotDuration,
	_block: PhantomData<Block>,
}

impl<Block: BlockT, Client, Inner: Clone, SC: Clone> Clone
	for SealedEquivocationReporter<Block, Client, Inner, SC>
{
	fn clone(&self) -> Self {
		Self {
			inner: self.inner.clone(),
			client: self.client.clone(),
			select_chain: self.select_chain.clone(),
			pool: self.pool.clone(),
			slot_duration: self.slot_duration,
			_block: PhantomData,
		}
	}
}

impl<Block, Client, Inner, SC> SealedEquivocationReporter<Block, Client, Inner, SC>
where
	Block: BlockT,
	Client: ProvideRuntimeApi<Block> + HeaderBackend<Block> + AuxStore + Send + Sync,
	Client::Api: BabeApi<Block> + ApiExt<Block>,
	SC: SelectChain<Block>,
{
	/// Wraps `inner` (BABE's block import).
	pub fn new(
		inner: Inner,
		client: Arc<Client>,
		select_chain: SC,
		pool: OffchainTransactionPoolFactory<Block>,
		slot_duration: SlotDuration,
	) -> Self {
		Self { inner, client, select_chain, pool, slot_duration, _block: PhantomData }
	}

	/// The authority that signed `header` at `slot`, by its pre-digest's index in the authority
	/// set of the epoch the slot falls in (read at the header's parent).
	fn author(&self, header: &Block::Header, index: u32, slot: Slot) -> Option<AuthorityId> {
		let parent = *header.parent_hash();
		let api = self.client.runtime_api();
		let current = api.current_epoch(parent).ok()?;
		// A slot past the parent's current epoch belongs to the next one (or to an epoch after
		// it that no block started, which BABE gives the next epoch's authorities).
		let epoch = if slot < current.start_slot.saturating_add(current.duration) {
			current
		} else {
			api.next_epoch(parent).ok()?
		};
		let index = usize::try_from(index).ok()?;
		epoch.authorities.get(index).map(|(id, _)| id.clone())
	}

	/// Looks `sealed` (a header with its seal) up in the index and reports an equivocation.
	async fn check(&self, sealed: Block::Header) -> Result<(), String> {
		let pre_digest = sc_consensus_babe::find_pre_digest::<Block>(&sealed)
			.map_err(|e| format!("no BABE pre-digest: {e}"))?;
		let slot = pre_digest.slot();
		let Some(author) = self.author(&sealed, pre_digest.authority_index(), slot) else {
			return Err(format!("no authority {} at slot {slot}", pre_digest.authority_index()));
		};
		let slot_now = Slot::from_timestamp(Timestamp::current(), self.slot_duration);
		let proof: Option<EquivocationProof<Block::Header>> =
			sc_consensus_slots::check_equivocation(
				&Prefixed(&*self.client),
				slot_now,
				slot,
				&sealed,
				&author,
			)
			.map_err(|e| format!("equivocation index: {e}"))?;
		let Some(proof) = proof else { return Ok(()) };
		info!(
			target: LOG_TARGET,
			"Slot author {author:?} equivocated at slot {slot}: headers {:?} and {:?} are both \
			 signed by it",
			proof.first_header.hash(),
			proof.second_header.hash(),
		);
		let best =
			self.select_chain.best_chain().await.map_err(|e| format!("best block: {e}"))?.hash();
		// The key ownership proof, at the parent (the session the slot belongs to) or else at
		// the best block.
		let api = self.client.runtime_api();
		let owner_proof = |at| {
			api.generate_key_ownership_proof(at, slot, author.clone())
				.map_err(|e| format!("key ownership proof: {e}"))
		};
		let key_owner_proof = match owner_proof(*sealed.parent_hash())? {
			Some(proof) => proof,
			None => match owner_proof(best)? {
				Some(proof) => proof,
				None => {
					debug!(target: LOG_TARGET, "The equivocating authority has no session key now");
					return Ok(());
				},
			},
		};
		let mut api = self.client.runtime_api();
		api.register_extension(self.pool.offchain_transaction_pool(best));
		match api
			.submit_report_equivocation_unsigned_extrinsic(best, proof, key_owner_proof)
			.map_err(|e| format!("submitting the report: {e}"))?
		{
			Some(()) => {
				info!(target: LOG_TARGET, "Submitted an equivocation report for {author:?}");
				Ok(())
			},
			None => Err("the runtime refused the equivocation report".into()),
		}
	}
}

#[async_trait::async_trait]
impl<Block, Client, Inner, SC> BlockImport<Block>
	for SealedEquivocationReporter<Block, Client, Inner, SC>
where
	Block: BlockT,
	Client: ProvideRuntimeApi<Block> + HeaderBackend<Block> + AuxStore + Send + Sync,
	Client::Api: BabeApi<Block> + ApiExt<Block>,
	Inner: BlockImport<Block, Error = ConsensusError> + Send + Sync,
	SC: SelectChain<Block>,
{
	type Error = ConsensusError;

	async fn check_block(
		&self,
		block: BlockCheckParams<Block>,
	) -> Result<ImportResult, Self::Error> {
		self.inner.check_block(block).await
	}

	async fn import_block(
		&self,
		block: BlockImportParams<Block>,
	) -> Result<ImportResult, Self::Error> {
		// Stale equivocations are not reported while catching up, as BABE does not.
		if !matches!(block.origin, BlockOrigin::NetworkInitialSync | BlockOrigin::WarpSync)
			&& !block.with_state()
		{
			let mut sealed = block.header.clone();
			for digest in &block.post_digests {
				sealed.digest_mut().push(digest.clone());
			}
			// Before BABE's import, so that our report reaches the pool first: BABE's own
			// report of the same offence provides the same tag and is then dropped.
			if let Err(error) = self.check(sealed).await {
				warn!(target: LOG_TARGET, "Checking a block for BABE equivocation: {error}");
			}
		}
		self.inner.import_block(block).await
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::{collections::BTreeMap, sync::Mutex};

	#[derive(Default)]
	struct Memory(Mutex<BTreeMap<Vec<u8>, Vec<u8>>>);

	impl AuxStore for Memory {
		fn insert_aux<
			'a,
			'b: 'a,
			'c: 'a,
			I: IntoIterator<Item = &'a (&'c [u8], &'c [u8])>,
			D: IntoIterator<Item = &'a &'b [u8]>,
		>(
			&self,
			insert: I,
			delete: D,
		) -> sp_blockchain::Result<()> {
			let mut map = self.0.lock().expect("not poisoned");
			for (key, value) in insert {
				map.insert(key.to_vec(), value.to_vec());
			}
			for key in delete {
				map.remove(*key);
			}
			Ok(())
		}

		fn get_aux(&self, key: &[u8]) -> sp_blockchain::Result<Option<Vec<u8>>> {
			Ok(self.0.lock().expect("not poisoned").get(key).cloned())
		}
	}

	#[test]
	fn the_index_lives_under_its_own_prefix() {
		let store = Memory::default();
		let ours = Prefixed(&store);
		ours.insert_aux(&[(&b"slot_header_map"[..], &b"sealed"[..])], &[]).expect("inserted");
		store.insert_aux(&[(&b"slot_header_map"[..], &b"unsealed"[..])], &[]).expect("inserted");
		assert_eq!(ours.get_aux(b"slot_header_map").expect("read"), Some(b"sealed".to_vec()));
		assert_eq!(store.get_aux(b"slot_header_map").expect("read"), Some(b"unsealed".to_vec()));
		ours.insert_aux(&[], &[&b"slot_header_map"[..]]).expect("deleted");
		assert_eq!(ours.get_aux(b"slot_header_map").expect("read"), None);
		assert_eq!(store.get_aux(b"slot_header_map").expect("read"), Some(b"unsealed".to_vec()));
		assert_eq!(
			store.0.lock().expect("not poisoned").keys().cloned().collect::<Vec<_>>(),
			vec![b"slot_header_map".to_vec()]
		);
	}

	#[test]
	fn two_sealed_headers_of_one_author_at_one_slot_make_a_proof() {
		use sp_runtime::{
			generic::{Digest, DigestItem, Header},
			traits::BlakeTwo256,
		};
		type H = Header<u32, BlakeTwo256>;
		let store = Memory::default();
		let author = AuthorityId::from(sp_core::sr25519::Public::from_raw([7; 32]));
		let header = |root: u8| {
			let mut header = H::new(
				1,
				Default::default(),
				[root; 32].into(),
				Default::default(),
				Digest::default(),
			);
			header.digest_mut().push(DigestItem::Seal(*b"BABE", vec![root; 64]));
			header
		};
		let slot = Slot::from(100);
		let index = |header: &H| {
			sc_consensus_slots::check_equivocation(&Prefixed(&store), slot, slot, header, &author)
				.expect("index")
		};
		assert!(index(&header(1)).is_none());
		// The same header again is no equivocation.
		assert!(index(&header(1)).is_none());
		let proof = index(&header(2)).expect("an equivocation");
		assert_eq!(proof.offender, author);
		// Both headers keep their seals: the runtime checks the signature over each.
		for header in [&proof.first_header, &proof.second_header] {
			assert!(matches!(header.digest().logs().last(), Some(DigestItem::Seal(..))));
		}
		assert_eq!(proof.first_header, header(1));
		assert_eq!(proof.second_header, header(2));
	}
}
