//! The MedChain full node: BABE block production, GRANDPA finality, ParityDB storage.
//!
//! [`new_partial`] builds the parts the maintenance subcommands need (client, backend, import
//! queue, transaction pool); [`new_full`] adds networking, RPC, offchain workers and the
//! consensus tasks on top of them.

use std::{sync::Arc, time::Duration};

use polkadot_sdk::*;

use futures::FutureExt;
use medchain_runtime::{opaque::Block, RuntimeApi};
use sc_client_api::Backend as _;
use sc_consensus_babe::{BabeLink, BabeWorkerHandle, SlotProportion};
use sc_network::NetworkBackend;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use sp_consensus_babe::SlotDuration;
use sp_runtime::traits::Block as BlockT;

/// Host functions the node provides to the runtime.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type HostFunctions = sp_io::SubstrateHostFunctions;

/// Host functions the node provides to the runtime, including the benchmarking ones.
#[cfg(feature = "runtime-benchmarks")]
pub type HostFunctions =
	(sp_io::SubstrateHostFunctions, frame_benchmarking::benchmarking::HostFunctions);

/// The Wasm executor that runs the MedChain runtime.
pub type RuntimeExecutor = sc_executor::WasmExecutor<HostFunctions>;

/// The full client.
pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, RuntimeExecutor>;

/// The full (database) backend.
pub type FullBackend = sc_service::TFullBackend<Block>;

/// The chain-selection rule: the longest chain wins, as BABE expects.
pub type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;

/// The transaction pool.
pub type TransactionPool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;

/// The link between GRANDPA's block import and its voter.
pub type GrandpaLinkHalf = sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>;

/// The parts built by [`new_partial`] and used by [`new_full`].
pub type PartialService = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	TransactionPool,
	(ConsensusParts, Option<Telemetry>),
>;

/// GRANDPA imports (and, as a voter, generates) justifications at least this often, in blocks.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// The consensus parts shared between the import queue and the authoring tasks.
pub struct ConsensusParts {
	/// The equivocation reporter wrapping BABE's block import (wrapping GRANDPA's), boxed
	/// because its full type names the inherent-data closure. Authored blocks must go through it.
	pub block_import: sc_consensus::BoxBlockImport<Block>,
	/// The GRANDPA link, consumed by the voter.
	pub grandpa_link: GrandpaLinkHalf,
	/// The BABE link (epoch changes and configuration), consumed by the authoring worker.
	pub babe_link: BabeLink<Block>,
	/// Handle to the BABE worker. The worker is an essential task that stops when every handle
	/// is gone, so the node must keep one alive.
	pub babe_worker_handle: BabeWorkerHandle<Block>,
}

/// The inherent data providers of a BABE block: its slot and the timestamp.
type SlotAndTimestamp =
	(sp_consensus_babe::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider);

/// Computes the slot and timestamp inherents from the system clock.
///
/// Used both when authoring (to fill the inherents) and when importing (to check them and to
/// learn the current slot for equivocation reports).
async fn slot_and_timestamp(
	slot_duration: SlotDuration,
) -> Result<SlotAndTimestamp, Box<dyn std::error::Error + Send + Sync>> {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot = sp_consensus_babe::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
		*timestamp,
		slot_duration,
	);
	Ok((slot, timestamp))
}

/// Builds the client, backend, transaction pool and BABE + GRANDPA import queue.
///
/// This is all the maintenance subcommands (`check-block`, `import-blocks`, `revert`, ...)
/// need; [`new_full`] builds the running node on top of it.
pub fn new_partial(config: &Configuration) -> Result<PartialService, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	// Keep the blocks that carry GRANDPA justifications: warp sync proofs are built from them.
	let grandpa_pruning_filter: Arc<dyn sc_service::PruningFilter> =
		Arc::new(sc_consensus_grandpa::GrandpaPruningFilter);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			vec![grandpa_pruning_filter],
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool: Arc<TransactionPool> = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (grandpa_block_import, grandpa_link) =
		sc_consensus_grandpa::block_import::<FullBackend, Block, FullClient, FullSelectChain>(
			client.clone(),
			GRANDPA_JUSTIFICATION_PERIOD,
			&client,
			select_chain.clone(),
			telemetry.as_ref().map(|telemetry| telemetry.handle()),
		)?;

	let babe_config = sc_consensus_babe::configuration::<Block, _>(&*client)?;
	let slot_duration = babe_config.slot_duration();
	// Since sc-consensus-babe 0.60 the block import checks the inherents and reports
	// equivocations itself, hence the inherent providers, select chain and pool factory.
	let (block_import, babe_link) = sc_consensus_babe::block_import(
		babe_config,
		grandpa_block_import.clone(),
		client.clone(),
		move |_: <Block as BlockT>::Hash, ()| slot_and_timestamp(slot_duration),
		select_chain.clone(),
		OffchainTransactionPoolFactory::new(transaction_pool.clone()),
	)?;

	// Equivocations are reported with sealed headers, which the runtime can check (BABE's own
	// reports carry unsealed ones and are refused; see `equivocation`).
	let block_import = crate::equivocation::SealedEquivocationReporter::new(
		block_import,
		client.clone(),
		select_chain.clone(),
		OffchainTransactionPoolFactory::new(transaction_pool.clone()),
		slot_duration,
	);

	let (import_queue, babe_worker_handle) =
		sc_consensus_babe::import_queue(sc_consensus_babe::ImportQueueParams {
			link: babe_link.clone(),
			block_import: block_import.clone(),
			justification_import: Some(Box::new(grandpa_block_import)),
			client: client.clone(),
			slot_duration,
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			telemetry: telemetry.as_ref().map(|telemetry| telemetry.handle()),
		})?;

	let consensus = ConsensusParts {
		block_import: Box::new(block_import),
		grandpa_link,
		babe_link,
		babe_worker_handle,
	};

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		keystore_container,
		select_chain,
		import_queue,
		transaction_pool,
		other: (consensus, telemetry),
	})
}

/// Builds and starts a full node: networking (backend `N`), RPC, offchain workers, BABE
/// authoring (authorities only) and the GRANDPA voter.
///
/// Returns the task manager that owns every task of the node.
pub fn new_full<N: NetworkBackend<Block, <Block as BlockT>::Hash>>(
	config: Configuration,
) -> Result<TaskManager, ServiceError> {
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (consensus, mut telemetry),
	} = new_partial(&config)?;
	let ConsensusParts { block_import, grandpa_link, babe_link, babe_worker_handle } = consensus;

	// `spawn_tasks` consumes the configuration: read what is needed later first.
	let role = config.role;
	let force_authoring = config.force_authoring;
	let enable_grandpa = !config.disable_grandpa;
	let enable_offchain_worker = config.offchain_worker.enabled;
	let node_name = config.network.node_name.clone();
	let prometheus_registry = config.prometheus_registry().cloned();

	// Networking: the standard protocols plus GRANDPA's gossip, with GRANDPA warp sync.
	let metrics = N::register_notification_metrics(config.prometheus_registry());
	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as BlockT>::Hash,
		N,
	>::new(&config.network, prometheus_registry.clone());
	let peer_store_handle = net_config.peer_store_handle();

	let genesis_hash = client.chain_info().genesis_hash;
	let grandpa_protocol_name =
		sc_consensus_grandpa::protocol_standard_name(&genesis_hash, &config.chain_spec);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			peer_store_handle,
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync_provider = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::new(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, bitswap_handle) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync_provider)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;
	// Only present with `--ipfs-server`; keep it for the node's lifetime like everything else.
	task_manager.keep_alive(bitswap_handle);

	// Offchain workers; BABE and GRANDPA equivocation reports go through the same offchain
	// transaction pool factory.
	if enable_offchain_worker {
		let offchain_workers =
			sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
				runtime_api_provider: client.clone(),
				keystore: Some(keystore_container.keystore()),
				offchain_db: backend.offchain_storage(),
				transaction_pool: Some(OffchainTransactionPoolFactory::new(
					transaction_pool.clone(),
				)),
				network_provider: Arc::new(network.clone()),
				is_validator: role.is_authority(),
				enable_http_requests: true,
				custom_extensions: |_| vec![],
			})?;
		task_manager.spawn_handle().spawn(
			"offchain-workers-runner",
			"offchain-work",
			offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
		);
	}

	// RPC: our extensions on top of the standard ones from sc-service.
	let shared_voter_state = sc_consensus_grandpa::SharedVoterState::empty();
	let rpc_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		let select_chain = select_chain.clone();
		let keystore = keystore_container.keystore();
		let babe_worker_handle = babe_worker_handle.clone();
		let shared_voter_state = shared_voter_state.clone();
		let shared_authority_set = grandpa_link.shared_authority_set().clone();
		let justification_stream = grandpa_link.justification_stream();
		let finality_provider = sc_consensus_grandpa::FinalityProofProvider::new_for_service(
			backend.clone(),
			Some(shared_authority_set.clone()),
		);

		move |subscription_executor: sc_rpc::SubscriptionTaskExecutor| {
			let deps = crate::rpc::FullDeps {
				client: client.clone(),
				pool: pool.clone(),
				select_chain: select_chain.clone(),
				babe: crate::rpc::BabeDeps {
					babe_worker_handle: babe_worker_handle.clone(),
					keystore: keystore.clone(),
				},
				grandpa: crate::rpc::GrandpaDeps {
					shared_voter_state: shared_voter_state.clone(),
					shared_authority_set: shared_authority_set.clone(),
					justification_stream: justification_stream.clone(),
					subscription_executor,
					finality_provider: finality_provider.clone(),
				},
			};
			crate::rpc::create_full(deps).map_err(ServiceError::Application)
		}
	};
	// The BABE worker (an essential task) ends when its last handle is dropped.
	task_manager.keep_alive(babe_worker_handle);

	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		config,
		client: client.clone(),
		backend: backend.clone(),
		task_manager: &mut task_manager,
		keystore: keystore_container.keystore(),
		transaction_pool: transaction_pool.clone(),
		rpc_builder: Box::new(rpc_builder),
		network: network.clone(),
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	// BABE block authoring, on authorities only.
	if role.is_authority() {
		let proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|telemetry| telemetry.handle()),
		);
		let slot_duration = babe_link.config().slot_duration();

		let babe = sc_consensus_babe::start_babe(sc_consensus_babe::BabeParams {
			keystore: keystore_container.keystore(),
			client: client.clone(),
			select_chain,
			env: proposer_factory,
			block_import,
			sync_oracle: sync_service.clone(),
			justification_sync_link: sync_service.clone(),
			create_inherent_data_providers: move |_: <Block as BlockT>::Hash, ()| {
				slot_and_timestamp(slot_duration)
			},
			force_authoring,
			backoff_authoring_blocks: Some(
				sc_consensus_slots::BackoffAuthoringOnFinalizedHeadLagging::default(),
			),
			babe_link,
			block_proposal_slot_portion: SlotProportion::new(0.5),
			max_block_proposal_slot_portion: None,
			telemetry: telemetry.as_ref().map(|telemetry| telemetry.handle()),
		})?;
		task_manager.spawn_essential_handle().spawn_blocking(
			"babe-proposer",
			Some("block-authoring"),
			babe,
		);
	}

	// GRANDPA. Every full node runs the voter (as in the Substrate reference node), so that it
	// follows finality from gossiped commits; only authorities get the keystore and so vote.
	if enable_grandpa {
		let keystore = role.is_authority().then(|| keystore_container.keystore());
		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(node_name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|telemetry| telemetry.handle()),
			protocol_name: grandpa_protocol_name,
		};

		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network: network.clone(),
			sync: sync_service.clone(),
			notification_service: grandpa_notification_service,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state,
			telemetry: telemetry.as_ref().map(|telemetry| telemetry.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool.clone()),
		};
		let voter = sc_consensus_grandpa::run_grandpa_voter::<Block, FullBackend, _, _, _, _, _>(
			grandpa_params,
		)?;
		// The voter is infallible: if it stops, the node stops with it.
		task_manager.spawn_essential_handle().spawn_blocking("grandpa-voter", None, voter);
	}

	Ok(task_manager)
}
