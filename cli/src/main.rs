//! `medchain`: every MedChain workflow as one command. See `medchain --help` and the
//! walkthrough in `docs/client.md`.
//!
//! Results go to stdout (a line of text, or JSON with `--json`); progress (submitted, finalized)
//! to stderr; errors to stderr with exit status 1 (2 for a usage error).
//!
//! `args` declares the commands, `commands/` handles them (one module per command group, each
//! a thin layer over the `medchain-client` function of the same name), `output` prints them.

use std::{process::ExitCode, time::Duration};

use clap::Parser;

mod args;
mod commands;
mod context;
mod error;
mod output;

use args::{Cli, Command};
use context::Context;
use error::CliError;
use output::Output;

async fn run(cli: Cli) -> Result<Output, CliError> {
	let ctx = Context::new(
		cli.home,
		cli.store,
		cli.identity,
		cli.passphrase_file,
		cli.url,
		Duration::from_secs(cli.timeout),
	)?;
	match cli.command {
		Command::Keys(cmd) => commands::keys::run(&ctx, cmd).await,
		Command::Patients(cmd) => commands::keys::patients(&ctx, cmd),
		Command::Directory(cmd) => commands::directory::run(&ctx, cmd).await,
		Command::Council(cmd) => commands::council::run(&ctx, cmd).await,
		Command::Records(cmd) => commands::records::run(&ctx, cmd).await,
		Command::Consent(cmd) => commands::consent::run(&ctx, cmd).await,
		Command::Trials(cmd) => commands::trials::run(&ctx, cmd).await,
		Command::Recovery(cmd) => commands::recovery::run(&ctx, cmd).await,
		Command::Prescriptions(cmd) => commands::prescriptions::run(&ctx, cmd).await,
		Command::Batches(cmd) => commands::prescriptions::run_batches(&ctx, cmd).await,
		Command::Claims(cmd) => commands::claims::run(&ctx, cmd).await,
		Command::Rewards(cmd) => commands::rewards::run(&ctx, cmd).await,
	}
}

#[tokio::main]
async fn main() -> ExitCode {
	let cli = Cli::parse();
	let json = cli.json;
	match run(cli).await.and_then(|output| output.render(json)) {
		Ok(text) => {
			if !text.is_empty() {
				println!("{text}");
			}
			ExitCode::SUCCESS
		},
		Err(error) => {
			if json {
				eprintln!(
					"{}",
					serde_json::json!({ "error": error.to_string(), "refused": error.refusal() })
				);
			}
			eprintln!("error: {error}");
			error.exit_code()
		},
	}
}
