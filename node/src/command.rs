//! Dispatch of the `medchain-node` command line.

use std::sync::Arc;

use polkadot_sdk::*;

use frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE};
use medchain_runtime::opaque::Block;
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;
use sp_runtime::traits::{Block as BlockT, HashingFor, NumberFor};

use crate::{
	chain_spec,
	cli::{Cli, Subcommand},
	service::{self, FullBackend, FullClient},
};

/// The message given when a command needs the `runtime-benchmarks` feature.
const BENCHMARKS_DISABLED: &str = "this benchmark needs runtime benchmarking, which is not \
	compiled into this node: rebuild it with `--features runtime-benchmarks` \
	(cargo build --release -p medchain-node --features runtime-benchmarks)";

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"MedChain Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn executable_name() -> String {
		env!("CARGO_PKG_NAME").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"https://example.invalid/medchain/issues".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			// Never fall back to the development chain (where Alice is sudo) by accident.
			"" => return Err(NO_CHAIN.into()),
			"dev" => Box::new(chain_spec::development_chain_spec()?),
			"local" => Box::new(chain_spec::local_testnet_chain_spec()?),
			"production" => Box::new(chain_spec::production_chain_spec()?),
			path => {
				Box::new(chain_spec::ChainSpec::from_json_file(std::path::PathBuf::from(path))?)
			},
		})
	}
}

/// Why a node started without `--chain` (and without `--dev`) refuses to run.
const NO_CHAIN: &str = "No chain given: pass `--chain <dev|local|production|path/to/spec.json>` \
	(or `--dev` for a throwaway development chain where Alice is sudo). MedChain never picks a \
	chain for you.";

/// Parses the command line and runs the node or the requested subcommand.
pub fn run() -> sc_cli::Result<()> {
	let mut cli = Cli::from_args();
	cli.default_database_to_paritydb();

	// Addresses printed by `key` and the logs use MedChain's SS58 prefix.
	sp_core::crypto::set_default_ss58_version(sp_core::crypto::Ss58AddressFormat::custom(
		medchain_runtime::SS58_PREFIX,
	));

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::BuildSpec(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.chain_spec, config.network))
		},
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		},
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } = service::new_partial(&config)?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config)?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		},
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config)?;
				let aux_revert: AuxRevert = Box::new(revert_consensus_aux_data);
				Ok((
					cmd.run::<Block, FullBackend, FullClient>(client, backend, Some(aux_revert)),
					task_manager,
				))
			})
		},
		Some(Subcommand::Benchmark(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| run_benchmark(cmd, config))
		},
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		},
		None => {
			let runner = cli.create_runner(&cli.run)?;
			runner.run_node_until_exit(|config| async move {
				let task_manager = match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => service::new_full::<
						sc_network::NetworkWorker<Block, <Block as BlockT>::Hash>,
					>(config),
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(config)
					},
				};
				task_manager.map_err(sc_cli::Error::Service)
			})
		},
	}
}

/// The hook `revert` runs before reverting the blocks themselves.
type AuxRevert =
	Box<dyn FnOnce(Arc<FullClient>, Arc<FullBackend>, NumberFor<Block>) -> sc_cli::Result<()>>;

/// Reverts the consensus data kept in the aux store: BABE's epoch-change tree and block
/// weights, and GRANDPA's authority-set changes. They must be rolled back together with the
/// blocks, or the node would refuse to import the blocks it is about to re-sync.
fn revert_consensus_aux_data(
	client: Arc<FullClient>,
	backend: Arc<FullBackend>,
	blocks: NumberFor<Block>,
) -> sc_cli::Result<()> {
	sc_consensus_babe::revert::<Block, FullClient, FullBackend>(client.clone(), backend, blocks)?;
	sc_consensus_grandpa::revert::<Block, FullClient>(client, blocks)?;
	Ok(())
}

/// Runs one `benchmark` subcommand.
///
/// Supported: `pallet` and `storage` (both need the `runtime-benchmarks` feature), `overhead`,
/// `block` and `machine`. `extrinsic` needs runtime-specific extrinsic builders that this node
/// does not provide (`benchmark pallet` gives every call's weight).
fn run_benchmark(cmd: &BenchmarkCmd, config: sc_service::Configuration) -> sc_cli::Result<()> {
	match cmd {
		BenchmarkCmd::Pallet(cmd) => {
			if !cfg!(feature = "runtime-benchmarks") {
				return Err(format!("`benchmark pallet`: {BENCHMARKS_DISABLED}").into());
			}
			// The benchmark executor already provides the Substrate and benchmarking host
			// functions; MedChain needs no others.
			cmd.run_with_spec::<HashingFor<Block>, ()>(Some(config.chain_spec))
		},
		#[cfg(feature = "runtime-benchmarks")]
		BenchmarkCmd::Storage(cmd) => {
			let PartialComponents { client, backend, .. } = service::new_partial(&config)?;
			let db = backend.expose_db();
			let storage = backend.expose_storage();
			let shared_trie_cache = backend.expose_shared_trie_cache();
			cmd.run::<Block, FullBackend, FullClient>(
				config,
				client,
				db,
				storage,
				shared_trie_cache,
			)
		},
		#[cfg(not(feature = "runtime-benchmarks"))]
		BenchmarkCmd::Storage(_) => Err(format!("`benchmark storage`: {BENCHMARKS_DISABLED}").into()),
		BenchmarkCmd::Block(cmd) => {
			let PartialComponents { client, .. } = service::new_partial(&config)?;
			cmd.run::<Block, FullBackend, FullClient>(client)
		},
		BenchmarkCmd::Machine(cmd) => cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone()),
		// Block and extrinsic base weights, from blocks of `System::remark`s built on the
		// chain spec's genesis. BABE needs no pre-digest here: with the inherent timestamp at 0
		// the slot stays 0, as `pallet_babe` expects of a block without one.
		BenchmarkCmd::Overhead(cmd) => {
			cmd.run_with_default_builder_and_spec::<Block, ()>(Some(config.chain_spec))
		},
		BenchmarkCmd::Extrinsic(_) => Err("`benchmark extrinsic` is not supported by \
			medchain-node; use `benchmark pallet` for per-call weights"
			.into()),
	}
}
