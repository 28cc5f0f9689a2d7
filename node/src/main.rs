//! `medchain-node`: the MedChain blockchain node.
//!
//! A Substrate full node with BABE block production, GRANDPA finality and ParityDB storage.

// `sc_cli::Error` and `sc_service::Error`, which every command returns, are upstream's and large.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod equivocation;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
