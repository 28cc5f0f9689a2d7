//! `medchain council`: the council of health authorities (the registrar without sudo).

use medchain_client::{
	chain::{Included, H256},
	council, directory,
};
use serde_json::json;

use crate::{
	args::CouncilCmd,
	context::Context,
	error::CliError,
	output::{to_json, Output},
};

pub(crate) async fn run(ctx: &Context, cmd: CouncilCmd) -> Result<Output, CliError> {
	let chain = ctx.chain().await?;
	match cmd {
		CouncilCmd::Members => {
			let members: Vec<String> =
				council::members(&chain).await?.iter().map(|m| m.to_string()).collect();
			Output::new(members.join("\n"), json!({ "members": members }))
		},
		CouncilCmd::Motions => {
			let motions = council::motions(&chain).await?;
			let text = motions.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
			Output::new(text, json!({ "motions": to_json(&motions)? }))
		},
		CouncilCmd::Vote { hash, aye, nay: _ } => {
			let me = ctx.me()?;
			let hash = parse_hash(&hash)?;
			let motion = council::vote(&chain, &me, hash, aye).await?;
			motion_output(
				format!(
					"voted {}: {} aye / {} nay of {} needed",
					if aye { "aye" } else { "nay" },
					motion.ayes.len(),
					motion.nays.len(),
					motion.threshold
				),
				&motion,
			)
		},
		CouncilCmd::Close { hash } => {
			let me = ctx.me()?;
			let hash = parse_hash(&hash)?;
			match council::close(&chain, &me, hash).await? {
				council::Closed::Executed(included) => executed_output(&included),
				council::Closed::Disapproved => {
					Output::new("disapproved: the call did not run", json!({ "executed": false }))
				},
			}
		},
	}
}

/// A motion, as text and JSON.
pub(crate) fn motion_output(text: String, motion: &council::Motion) -> Result<Output, CliError> {
	Output::new(text, to_json(motion)?)
}

/// A motion that executed: what it registered, if anything.
pub(crate) fn executed_output(included: &Included) -> Result<Output, CliError> {
	match directory::registered_organisation(included) {
		Some(id) => Output::new(
			format!("executed: registered organisation {id}"),
			json!({ "executed": true, "organisation": id }),
		),
		None => Output::new("executed", json!({ "executed": true })),
	}
}

/// A 32-byte hash given as `0x` and 64 hex digits.
fn parse_hash(text: &str) -> Result<H256, CliError> {
	let digits = text.strip_prefix("0x").unwrap_or(text);
	let bytes: [u8; 32] =
		hex::decode(digits).ok().and_then(|b| b.try_into().ok()).ok_or_else(|| {
			CliError::Usage(format!("`{text}` is not a 32-byte hash (0x and 64 hex digits)"))
		})?;
	Ok(H256(bytes))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_motion_hash_is_0x_and_64_hex_digits() {
		let hash = format!("0x{}", "ab".repeat(32));
		assert_eq!(parse_hash(&hash).unwrap(), H256([0xab; 32]));
		assert_eq!(parse_hash(&"ab".repeat(32)).unwrap(), H256([0xab; 32]));
		for bad in
			["0x", "0xabc", &format!("0x{}", "ab".repeat(33)), &format!("0x{}", "zz".repeat(32))]
		{
			let error = parse_hash(bad).unwrap_err();
			assert!(matches!(&error, CliError::Usage(m) if m.contains("32-byte hash")), "{error}");
		}
	}
}
