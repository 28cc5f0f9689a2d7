//! The node-specific JSON-RPC extensions of MedChain.
//!
//! The standard `system_*`, `chain_*`, `state_*` and `author_*` methods are installed by
//! `sc-service` itself; this module adds the ones that depend on our runtime and on the
//! consensus engines: account nonces, fee queries, BABE and GRANDPA.

use std::sync::Arc;

use polkadot_sdk::*;

use jsonrpsee::RpcModule;
use medchain_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash, Nonce};
use sc_consensus_babe::BabeWorkerHandle;
use sc_consensus_grandpa::{
	FinalityProofProvider, GrandpaJustificationStream, SharedAuthoritySet, SharedVoterState,
};
use sc_rpc::SubscriptionTaskExecutor;
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use sp_consensus::SelectChain;
use sp_consensus_babe::BabeApi;
use sp_keystore::KeystorePtr;

/// What the BABE RPC (`babe_epochAuthorship`) needs.
pub struct BabeDeps {
	/// Handle to the BABE worker that answers epoch queries.
	pub babe_worker_handle: BabeWorkerHandle<Block>,
	/// The node's keystore, used to find which slots the local keys may author.
	pub keystore: KeystorePtr,
}

/// What the GRANDPA RPC (`grandpa_roundState`, `grandpa_proveFinality`,
/// `grandpa_subscribeJustifications`) needs.
pub struct GrandpaDeps<B> {
	/// State of the running voter (empty until the voter has started).
	pub shared_voter_state: SharedVoterState,
	/// The current GRANDPA authority set.
	pub shared_authority_set: SharedAuthoritySet<Hash, BlockNumber>,
	/// Stream of justifications produced or imported by GRANDPA.
	pub justification_stream: GrandpaJustificationStream<Block>,
	/// Executor that drives the justification subscriptions.
	pub subscription_executor: SubscriptionTaskExecutor,
	/// Builds finality proofs on request.
	pub finality_provider: Arc<FinalityProofProvider<B, Block>>,
}

/// Everything [`create_full`] needs to build the RPC extensions of a full node.
pub struct FullDeps<C, P, SC, B> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// The chain-selection rule (used by the BABE RPC to find the best block).
	pub select_chain: SC,
	/// BABE-specific dependencies.
	pub babe: BabeDeps,
	/// GRANDPA-specific dependencies.
	pub grandpa: GrandpaDeps<B>,
}

/// Builds the RPC extensions of a full node: `system_accountNextIndex`, `payment_*`,
/// `babe_*` and `grandpa_*`.
pub fn create_full<C, P, SC, B>(
	deps: FullDeps<C, P, SC, B>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>
		+ pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>
		+ BlockBuilder<Block>
		+ BabeApi<Block>,
	P: TransactionPool + 'static,
	SC: SelectChain<Block> + Clone + 'static,
	B: sc_client_api::Backend<Block> + Send + Sync + 'static,
{
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use sc_consensus_babe_rpc::{Babe, BabeApiServer};
	use sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let FullDeps { client, pool, select_chain, babe, grandpa } = deps;
	let BabeDeps { babe_worker_handle, keystore } = babe;
	let GrandpaDeps {
		shared_voter_state,
		shared_authority_set,
		justification_stream,
		subscription_executor,
		finality_provider,
	} = grandpa;

	let mut module = RpcModule::new(());

	module.merge(System::<P, C, Block>::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::<C, Block>::new(client.clone()).into_rpc())?;
	module.merge(Babe::new(client, babe_worker_handle, keystore, select_chain).into_rpc())?;
	module.merge(
		Grandpa::new(
			subscription_executor,
			shared_authority_set,
			shared_voter_state,
			justification_stream,
			finality_provider,
		)
		.into_rpc(),
	)?;

	Ok(module)
}
