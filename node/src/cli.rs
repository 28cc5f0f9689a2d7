//! Command-line interface of `medchain-node`.

use polkadot_sdk::*;

use sc_cli::{Database, DatabaseParams};

/// The `medchain-node` command line: run the node, or one of the maintenance subcommands.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// An optional maintenance subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Options for running the node.
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,
}

/// Maintenance subcommands of `medchain-node`.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management utilities.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export a chain specification (the successor of `build-spec`).
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarking: `pallet` and `storage` need the `runtime-benchmarks` feature; `overhead`,
	/// `block` and `machine` work in every build.
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Show the database's meta columns.
	ChainInfo(sc_cli::ChainInfoCmd),
}

impl Cli {
	/// Makes ParityDB the database when `--database` was not given.
	///
	/// ParityDB is the only backend this node is built with. `sc-cli` already falls back to it
	/// when RocksDB is not compiled in; setting it explicitly keeps the on-disk format the same
	/// even if another crate in the build turns RocksDB on through feature unification.
	pub fn default_database_to_paritydb(&mut self) {
		use frame_benchmarking_cli::BenchmarkCmd;

		let params: Option<&mut DatabaseParams> = match &mut self.subcommand {
			None => Some(&mut self.run.import_params.database_params),
			Some(Subcommand::CheckBlock(cmd)) => Some(&mut cmd.import_params.database_params),
			Some(Subcommand::ExportBlocks(cmd)) => Some(&mut cmd.database_params),
			Some(Subcommand::ExportState(cmd)) => Some(&mut cmd.database_params),
			Some(Subcommand::ImportBlocks(cmd)) => Some(&mut cmd.import_params.database_params),
			Some(Subcommand::PurgeChain(cmd)) => Some(&mut cmd.database_params),
			Some(Subcommand::Revert(cmd)) => Some(&mut cmd.database_params),
			Some(Subcommand::ChainInfo(cmd)) => Some(&mut cmd.database_params),
			Some(Subcommand::Benchmark(BenchmarkCmd::Block(cmd))) => {
				Some(&mut cmd.import_params.database_params)
			},
			Some(Subcommand::Benchmark(BenchmarkCmd::Storage(cmd))) => {
				Some(&mut cmd.database_params)
			},
			Some(_) => None,
		};

		if let Some(params) = params {
			if params.database.is_none() {
				params.database = Some(Database::ParityDb);
			}
		}
	}
}
