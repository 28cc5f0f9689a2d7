//! `medchain consent`: grant, offer, accept, reject, revoke, list, evaluate, the access log.

use medchain_client::{
	chain::AccountId,
	classes::{self, ClassKey},
	consent::{self, Terms},
	records, Error,
};
use serde_json::json;

use crate::{
	args::{Consent, TermsArgs},
	context::Context,
	error::CliError,
	output::{keys_json, plural, to_json, Output},
};

/// The grantee and terms a grant or offer names.
fn terms(
	ctx: &Context,
	args: &TermsArgs,
) -> Result<(consent::Grantee<AccountId>, Terms), CliError> {
	let grantee = match (&args.to, args.org, args.role) {
		(Some(to), None, None) => consent::Grantee::Account(ctx.account(to)?),
		(None, Some(organisation), Some(role)) => consent::Grantee::Role { organisation, role },
		_ => {
			return Err(CliError::Usage(
				"name the grantee: --to <account>, or --org <id> --role <role>".into(),
			))
		},
	};
	Ok((
		grantee,
		Terms {
			effect: if args.deny { consent::Effect::Deny } else { consent::Effect::Permit },
			actions: args.actions.clone(),
			purposes: args.purposes.clone(),
			classes: args.classes.clone(),
			records: args.records.clone(),
			valid_from: args.from,
			valid_until: args.until,
		},
	))
}

/// A log entry for people: what was done, why, on which data (classes read where the patient's
/// class key is held).
fn log_entry_text(entry: &consent::LogEntry, key: Option<&ClassKey>) -> String {
	let data = |target: &consent::AccessTarget| match target {
		consent::AccessTarget::Class(tag) => format!("class {}", classes::describe(tag, key)),
		consent::AccessTarget::Record { record, class } => {
			format!("record {record} ({})", classes::describe(class, key))
		},
	};
	let basis = |grant: &Option<u64>| grant.map(|g| format!(", grant {g}")).unwrap_or_default();
	match entry {
		consent::LogEntry::Accessed { action, purpose, target, grant, reason } => {
			format!("{action:?} for {purpose:?}, {} ({reason:?}{})", data(target), basis(grant))
		},
		consent::LogEntry::EmergencyOpened { emergency, .. } => {
			format!("opened emergency access {emergency}")
		},
		consent::LogEntry::ReleasedByGateway {
			organisation,
			action,
			purpose,
			target,
			grant,
			reason,
		}
		| consent::LogEntry::RefusedByGateway {
			organisation,
			action,
			purpose,
			target,
			grant,
			reason,
		} => {
			let verdict = match entry {
				consent::LogEntry::ReleasedByGateway { .. } => "released",
				_ => "REFUSED",
			};
			format!(
				"{action:?} for {purpose:?}, {}: {verdict} by organisation {organisation}'s \
				 gateway ({reason:?}{})",
				data(target),
				basis(grant)
			)
		},
	}
}

/// Who a grant is to, for people.
fn grantee_text(grantee: &consent::Grantee<AccountId>) -> String {
	match grantee {
		consent::Grantee::Account(account) => account.to_string(),
		consent::Grantee::Role { organisation, role } => {
			format!("{role:?}s of organisation {organisation}")
		},
	}
}

pub(crate) async fn run(ctx: &Context, cmd: Consent) -> Result<Output, CliError> {
	match cmd {
		Consent::Grant(args) => {
			let me = ctx.me()?;
			let (grantee, terms) = terms(ctx, &args)?;
			let chain = ctx.chain().await?;
			let grant = consent::grant(&chain, &me, grantee, &terms).await?;
			Output::new(format!("granted: grant {grant}"), json!({ "grant": grant }))
		},
		Consent::Offer { patient, terms: args } => {
			let me = ctx.me()?;
			let patient = ctx.account(&patient)?;
			let (grantee, terms) = terms(ctx, &args)?;
			let chain = ctx.chain().await?;
			let offer = consent::offer(&chain, &me, &patient, grantee, &terms).await?;
			Output::new(format!("offered: offer {offer}"), json!({ "offer": offer }))
		},
		Consent::Accept { offer, classes } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let grant = consent::accept(&chain, &me, offer, &classes).await?;
			Output::new(
				format!("accepted offer {offer}: grant {grant}"),
				json!({ "offer": offer, "grant": grant }),
			)
		},
		Consent::Reject { offer } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = consent::reject(&chain, &me, offer).await?;
			Output::new(
				format!("rejected offer {offer} in block #{block}"),
				json!({ "offer": offer, "block": block }),
			)
		},
		Consent::Revoke { grant } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let (block, removed) = consent::revoke(&chain, &me, grant).await?;
			Output::new(
				format!(
					"revoked grant {grant} in block #{block}; the chain removed the {} data key{} \
					 it had delivered",
					removed.len(),
					plural(removed.len())
				),
				json!({ "grant": grant, "block": block, "keys_removed": keys_json(&removed) }),
			)
		},
		Consent::List { patient } => {
			let patient = ctx.account_or_me(patient.as_deref())?;
			let chain = ctx.chain().await?;
			let grants = consent::grants_of(&chain, &patient).await?;
			let offers = consent::offers_of(&chain, &patient).await?;
			let key = ctx.known_class_key(&patient);
			let mut lines: Vec<String> = grants
				.iter()
				.map(|g| {
					let state = match &g.ended {
						Some(ending) => format!("ended at #{} ({:?})", ending.at, ending.reason),
						None => "in force".to_string(),
					};
					format!(
						"grant {}\t{:?} to {}\t{:?} for {:?}\tclasses {:?} records {:?}\t{state}",
						g.id,
						g.provision.effect,
						grantee_text(&g.grantee),
						g.provision.actions.0,
						g.provision.purposes.0,
						g.provision
							.classes
							.0
							.iter()
							.map(|tag| classes::describe(tag, key.as_ref()))
							.collect::<Vec<_>>(),
						g.provision.records
					)
				})
				.collect();
			lines.extend(offers.iter().map(|o| {
				format!("offer {}\tfrom {}\tto {}", o.id, o.proposer, grantee_text(&o.grantee))
			}));
			Output::new(
				lines.join("\n"),
				json!({ "grants": to_json(&grants)?,
				        "offers": to_json(&offers)? }),
			)
		},
		Consent::Evaluate { patient, actor, action, purpose, class, record, at } => {
			let patient = ctx.account(&patient)?;
			let actor = ctx.account_or_me(actor.as_deref())?;
			let chain = ctx.chain().await?;
			// A record's class tag is on chain; a whole class needs the patient's class key.
			let target = match record {
				Some(record) => match records::info(&chain, record).await?.class_tag {
					Some(class) => consent::AccessTarget::Record { record, class },
					None => return Err(Error::Erased(record).into()),
				},
				None => consent::AccessTarget::Class(ctx.class_key(&patient)?.tag(class)),
			};
			let decision =
				consent::evaluate(&chain, &patient, &actor, action, purpose, target, at).await?;
			Output::of(&decision)
		},
		Consent::Log { patient } => {
			let patient = ctx.account_or_me(patient.as_deref())?;
			let chain = ctx.chain().await?;
			let log = consent::access_log(&chain, &patient).await?;
			let key = ctx.known_class_key(&patient);
			let lines: Vec<String> = log
				.iter()
				.map(|r| {
					format!(
						"#{}\tblock {}\t{}\t{}",
						r.seq,
						r.at,
						r.actor,
						log_entry_text(&r.entry, key.as_ref())
					)
				})
				.collect();
			Output::new(lines.join("\n"), to_json(&log)?)
		},
		Consent::Emergency { patient, reason } => {
			let me = ctx.me()?;
			let patient = ctx.account(&patient)?;
			let chain = ctx.chain().await?;
			let opened = consent::open_emergency(&chain, &me, &patient, &reason).await?;
			Output::new(
				format!(
					"opened emergency access {} to {patient} in block #{}; keep your note with \
					 its salt {} for the review",
					opened.emergency,
					opened.block,
					hex::encode(opened.salt)
				),
				json!({
					"emergency": opened.emergency,
					"patient": patient.to_string(),
					"salt": hex::encode(opened.salt),
					"commitment": hex::encode(opened.commitment),
					"block": opened.block,
				}),
			)
		},
	}
}
