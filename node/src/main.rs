//! `medchain-node`: the MedChain blockchain node.
//!
//! A Substrate full node with BABE block production, GRANDPA finality and ParityDB storage.

#![warn(missing_docs)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
