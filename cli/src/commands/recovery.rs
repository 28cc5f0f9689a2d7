//! `medchain recovery`: social recovery of a patient's account after a lost key.

use medchain_client::{chain::AccountId, identity, recovery};
use serde_json::json;

use crate::{args::RecoveryCmd, context::Context, error::CliError, output::Output};

pub(crate) async fn run(ctx: &Context, cmd: RecoveryCmd) -> Result<Output, CliError> {
	let chain = ctx.chain().await?;
	let done = |what: &str, account: &AccountId, block: u64| {
		Output::new(
			format!("{what} for {account} in block #{block}"),
			json!({ "account": account.to_string(), "block": block }),
		)
	};
	match cmd {
		RecoveryCmd::Setup { friends, needed, delay_days, delay_blocks, kit } => {
			let me = ctx.me()?;
			let friends = friends.iter().map(|f| ctx.account(f)).collect::<Result<Vec<_>, _>>()?;
			let delay_blocks =
				delay_blocks.unwrap_or_else(|| delay_days.saturating_mul(recovery::BLOCKS_PER_DAY));
			let guardians = recovery::Guardians { friends, needed, delay_blocks };
			let recovery_kit = recovery::kit(&me, &format!("{}-recovery", me.name))?;
			identity::export_kit(&kit, &recovery_kit)?;
			let inheritor = recovery_kit.signing_account();
			let block = match recovery::set_guardians(&chain, &me, &guardians, &inheritor).await {
				Ok(block) => block,
				Err(e) => {
					// A kit the chain does not know is of no use: leave nothing behind.
					let _ = std::fs::remove_file(&kit);
					return Err(e.into());
				},
			};
			Output::new(
				format!(
					"{needed} of {} guardians can recover {} to the kit {} after {delay_blocks} \
					 blocks (set in block #{block}); kit written to {}: keep it offline",
					guardians.friends.len(),
					me.account(),
					inheritor,
					kit.display()
				),
				json!({
					"account": me.account().to_string(),
					"kit_account": inheritor.to_string(),
					"needed": needed,
					"friends": guardians.friends.iter().map(|f| f.to_string()).collect::<Vec<_>>(),
					"delay_blocks": delay_blocks,
					"block": block,
					"kit": kit,
				}),
			)
		},
		RecoveryCmd::Status { account } => {
			let account = ctx.account_or_me(account.as_deref())?;
			let status = recovery::status(&chain, &account).await?;
			Output::of(&status)
		},
		RecoveryCmd::Initiate { account } => {
			let lost = ctx.account(&account)?;
			let block = recovery::initiate(&chain, &ctx.me()?, &lost).await?;
			done("opened a recovery", &lost, block)
		},
		RecoveryCmd::Approve { account } => {
			let lost = ctx.account(&account)?;
			let block = recovery::approve(&chain, &ctx.me()?, &lost).await?;
			done("approved the recovery", &lost, block)
		},
		RecoveryCmd::Finish { account } => {
			let lost = ctx.account(&account)?;
			let block = recovery::finish(&chain, &ctx.me()?, &lost).await?;
			done("finished the recovery", &lost, block)
		},
		RecoveryCmd::Cancel { account } => {
			let lost = ctx.account_or_me(account.as_deref())?;
			let block = recovery::cancel(&chain, &ctx.me()?, &lost).await?;
			done("cancelled the recovery", &lost, block)
		},
		RecoveryCmd::Slash => {
			let me = ctx.me()?;
			let block = recovery::slash(&chain, &me).await?;
			done("slashed the recovery attempt", &me.account(), block)
		},
		RecoveryCmd::Rewrap => {
			let mut me = ctx.me()?;
			Output::of(&recovery::rewrap(&chain, &ctx.ring, &mut me).await?)
		},
	}
}
