//! `medchain directory`: organisations, practitioners, patients.

use medchain_client::{chain::AccountId, council, directory, gateway::Gateway, trials};
use serde_json::json;

use crate::{
	args::Dir,
	commands::council::{executed_output, motion_output},
	context::Context,
	error::CliError,
	output::Output,
};

pub(crate) async fn run(ctx: &Context, cmd: Dir) -> Result<Output, CliError> {
	match cmd {
		Dir::RegisterOrg { name, kind, admin, council: false } => {
			let me = ctx.me()?;
			let admin = ctx.account(&admin)?;
			let chain = ctx.chain().await?;
			let id = directory::register_organisation(&chain, &me, kind, &admin, &name).await?;
			Output::new(
				format!("registered organisation {id} ({name})"),
				json!({ "organisation": id }),
			)
		},
		Dir::RegisterOrg { name, kind, admin, council: true } => {
			let me = ctx.me()?;
			let admin = ctx.account(&admin)?;
			let chain = ctx.chain().await?;
			let call = directory::register_organisation_call(kind, &admin, &name);
			let threshold = council::majority(&chain).await?;
			match council::propose(&chain, &me, call, threshold).await? {
				council::Proposed::Open(motion) => motion_output(
					format!(
						"proposed registering {name}: motion {} needs {threshold} ayes; members \
						 vote with `medchain council vote {} --aye`, then one closes it",
						motion.hash, motion.hash
					),
					&motion,
				),
				council::Proposed::Executed(included) => executed_output(&included),
			}
		},
		Dir::Invite { org, practitioner, role, authority, licence, valid_days } => {
			let me = ctx.me()?;
			let practitioner = ctx.account(&practitioner)?;
			let terms =
				directory::LicenceTerms::valid_for_days_from_now(authority, licence, valid_days);
			let chain = ctx.chain().await?;
			let block =
				directory::invite_practitioner(&chain, &me, org, &practitioner, role, &terms)
					.await?;
			Output::new(
				format!(
					"invited {practitioner} to organisation {org} in block #{block}; they become \
					 its practitioner when they accept"
				),
				json!({ "practitioner": practitioner.to_string(), "organisation": org, "block": block }),
			)
		},
		Dir::Accept { org } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = directory::accept_invitation(&chain, &me, org).await?;
			Output::new(
				format!("{} joined organisation {org} in block #{block}", me.account()),
				json!({ "practitioner": me.account().to_string(), "organisation": org, "block": block }),
			)
		},
		Dir::Uninvite { org, practitioner } => {
			let me = ctx.me()?;
			let invitee = ctx.account_or_me(practitioner.as_deref())?;
			let chain = ctx.chain().await?;
			let block = directory::remove_invitation(&chain, &me, org, &invitee).await?;
			Output::new(
				format!("removed organisation {org}'s invitation of {invitee} in block #{block}"),
				json!({ "practitioner": invitee.to_string(), "organisation": org, "block": block }),
			)
		},
		Dir::Leave => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = directory::leave_organisation(&chain, &me).await?;
			Output::new(
				format!("{} left their organisation in block #{block}", me.account()),
				json!({ "practitioner": me.account().to_string(), "block": block }),
			)
		},
		Dir::RegisterPatient => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let pseudonym = directory::register_patient(&chain, &me).await?;
			Output::new(
				format!("registered patient {} (pseudonym {pseudonym})", me.account()),
				json!({ "account": me.account().to_string(), "pseudonym": pseudonym }),
			)
		},
		Dir::DeregisterPatient => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let done = directory::deregister_patient(&chain, &me).await?;
			let revoked = if done.revoked_grants.is_empty() {
				String::new()
			} else {
				let ids: Vec<String> = done.revoked_grants.iter().map(u64::to_string).collect();
				format!(" after revoking grant(s) {}", ids.join(", "))
			};
			Output::new(
				format!(
					"deregistered patient {} in block #{}{revoked}",
					me.account(),
					done.block_number
				),
				json!({
					"account": me.account().to_string(),
					"revoked_grants": done.revoked_grants,
					"block": done.block_number,
				}),
			)
		},
		Dir::Show { account } => {
			let account = ctx.account(&account)?;
			let chain = ctx.chain().await?;
			let info = directory::account_info(&chain, &account).await?;
			Output::json(&info)
		},
		Dir::SetGateway { org, account, endpoint, encryption_key, unchecked } => {
			let me = ctx.me()?;
			let account = ctx.account(&account)?;
			let key = trials::parse_hex32(&encryption_key, "--encryption-key")?;
			if !unchecked {
				check_gateway(&endpoint, account, key).await?;
			}
			let chain = ctx.chain().await?;
			let block = directory::set_gateway(&chain, &me, org, &account, &endpoint, key).await?;
			Output::new(
				format!(
					"organisation {org}'s gateway is {endpoint} (account {account}) from block 					 #{block}"
				),
				json!({
					"organisation": org,
					"account": account.to_string(),
					"endpoint": endpoint,
					"encryption_key": hex::encode(key),
					"block": block,
				}),
			)
		},
		Dir::RemoveGateway { org } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = directory::remove_gateway(&chain, &me, org).await?;
			Output::new(
				format!("withdrew organisation {org}'s gateway in block #{block}"),
				json!({ "organisation": org, "block": block }),
			)
		},
		Dir::Gateway { org } => {
			let chain = ctx.chain().await?;
			match directory::gateway(&chain, org).await? {
				Some(g) => Output::new(
					format!(
						"organisation {org}'s gateway: {} (account {}, key {}, since block #{})",
						g.endpoint,
						g.account,
						hex::encode(g.encryption_key),
						g.set_at
					),
					json!({
						"organisation": org,
						"account": g.account.to_string(),
						"endpoint": g.endpoint,
						"encryption_key": hex::encode(g.encryption_key),
						"set_at": g.set_at,
					}),
				),
				None => Err(CliError::Usage(format!(
					"organisation {org} has published no gateway (its admin publishes one with 					 `medchain directory set-gateway`)"
				))),
			}
		},
	}
}

/// Refuses to publish `endpoint` unless the gateway there answers as `account` with `key`.
async fn check_gateway(endpoint: &str, account: AccountId, key: [u8; 32]) -> Result<(), CliError> {
	let gateway = Gateway::new(endpoint, account, std::time::Duration::from_secs(10))?;
	let health = gateway.health().await?;
	if health.encryption_key != key {
		return Err(CliError::Usage(format!(
			"the gateway at {endpoint} unwraps with key {}, not {}: publish the key it names 			 (or pass --unchecked)",
			hex::encode(health.encryption_key),
			hex::encode(key)
		)));
	}
	Ok(())
}
