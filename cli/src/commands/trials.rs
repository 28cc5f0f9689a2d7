//! `medchain trials`: a clinical trial's whole lifecycle, from registration to results.

use std::path::Path;

use medchain_client::trials;
use serde_json::json;

use crate::{
	args::Trials,
	context::{read_file, Context},
	error::CliError,
	output::{to_json, Output},
};

/// The BLAKE2-256 hash of a file's bytes, the form trial documents take on chain.
fn hash_file(path: &Path) -> Result<[u8; 32], CliError> {
	Ok(trials::file_hash(&read_file(path)?))
}

pub(crate) async fn run(ctx: &Context, cmd: Trials) -> Result<Output, CliError> {
	match cmd {
		Trials::Register {
			sponsor,
			registry_id,
			protocol,
			sap,
			primary,
			secondary,
			planned,
			arms,
			results_due_blocks,
		} => {
			let me = ctx.me()?;
			let registration = trials::Registration {
				sponsor,
				registry_id,
				protocol: hash_file(&protocol)?,
				sap: hash_file(&sap)?,
				primary: primary.iter().map(|o| trials::outcome_hash(o)).collect(),
				secondary: secondary.iter().map(|o| trials::outcome_hash(o)).collect(),
				planned_enrolment: planned,
				arms,
				results_due_period: results_due_blocks,
			};
			let chain = ctx.chain().await?;
			let registered = trials::register(&chain, &me, &registration).await?;
			Output::new(
				format!(
					"registered trial {} ({} held from you until its results are published)",
					registered.trial, registered.deposit
				),
				to_json(&registered)?,
			)
		},
		Trials::Amend { trial, protocol, sap, primary, secondary, reason } => {
			let me = ctx.me()?;
			let changes = trials::Changes {
				protocol: protocol.as_deref().map(hash_file).transpose()?,
				sap: sap.as_deref().map(hash_file).transpose()?,
				primary: (!primary.is_empty())
					.then(|| primary.iter().map(|o| trials::outcome_hash(o)).collect()),
				secondary: (!secondary.is_empty())
					.then(|| secondary.iter().map(|o| trials::outcome_hash(o)).collect()),
			};
			let chain = ctx.chain().await?;
			let amended =
				trials::amend(&chain, &me, trial, &changes, trials::outcome_hash(&reason)).await?;
			Output::new(format!("trial {trial} amended: {amended}"), to_json(&amended)?)
		},
		Trials::AddSite { trial, org } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = trials::add_site(&chain, &me, trial, org).await?;
			Output::new(
				format!("added site {org} to trial {trial} in block #{block}"),
				json!({ "trial": trial, "site": org }),
			)
		},
		Trials::AddInvestigator { trial, investigator } => {
			let me = ctx.me()?;
			let investigator = ctx.account(&investigator)?;
			let chain = ctx.chain().await?;
			let block = trials::add_investigator(&chain, &me, trial, &investigator).await?;
			Output::new(
				format!("added investigator {investigator} to trial {trial} in block #{block}"),
				json!({ "trial": trial, "investigator": investigator.to_string() }),
			)
		},
		Trials::PublishConsentForm { trial, file } => {
			let me = ctx.me()?;
			let hash = hash_file(&file)?;
			let chain = ctx.chain().await?;
			let version = trials::publish_consent_form(&chain, &me, trial, hash).await?;
			Output::new(
				format!("published consent form version {version} of trial {trial}"),
				json!({ "trial": trial, "version": version, "hash": hex::encode(hash) }),
			)
		},
		Trials::Seed { trial } => {
			let (path, commitment) = trials::new_seed(&ctx.home, trial)?;
			Output::new(
				format!(
					"allocation seed of trial {trial} kept in {}; commitment {}",
					path.display(),
					hex::encode(commitment)
				),
				json!({ "trial": trial, "seed_file": path, "commitment": hex::encode(commitment) }),
			)
		},
		Trials::Open { trial, randomiser, commitment } => {
			let me = ctx.me()?;
			let randomiser = ctx.account(&randomiser)?;
			let commitment = trials::parse_hex32(&commitment, "--commitment")?;
			let chain = ctx.chain().await?;
			let block =
				trials::open_recruitment(&chain, &me, trial, &randomiser, commitment).await?;
			Output::new(
				format!(
					"recruitment of trial {trial} open in block #{block}; randomiser {randomiser}"
				),
				json!({ "trial": trial, "randomiser": randomiser.to_string() }),
			)
		},
		Trials::ResearchKey => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let ring = trials::register_research_key(&chain, &me).await?;
			Output::new(
				format!("research key registered in ring {ring}"),
				json!({ "ring": ring, "key": hex::encode(trials::research_key(&me)) }),
			)
		},
		Trials::Close { trial } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = trials::close_recruitment(&chain, &me, trial).await?;
			Output::new(
				format!("recruitment of trial {trial} closed in block #{block}"),
				json!({ "trial": trial }),
			)
		},
		Trials::Enrol { trial, consent_form } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let form = trials::consent_form(&chain, trial, consent_form).await?;
			let pseudonym = trials::enrol(&chain, &me, trial, form).await?;
			Output::new(
				format!(
					"enrolled in trial {trial} on consent form {form} as {}",
					hex::encode(pseudonym)
				),
				json!({ "trial": trial, "consent_form": form, "pseudonym": hex::encode(pseudonym) }),
			)
		},
		Trials::Reconsent { trial } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let form = trials::consent_form(&chain, trial, None).await?;
			let block = trials::reconsent(&chain, &me, trial, form).await?;
			Output::new(
				format!("re-consented to trial {trial} on consent form {form} in block #{block}"),
				json!({ "trial": trial, "consent_form": form }),
			)
		},
		Trials::Withdraw { trial } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = trials::withdraw(&chain, &me, trial).await?;
			Output::new(
				format!("withdrew from trial {trial} in block #{block}"),
				json!({ "trial": trial, "block": block }),
			)
		},
		Trials::Me { trial } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let (pseudonym, info) = trials::participation(&chain, trial, &me).await?;
			Output::new(
				format!(
					"pseudonym {} in trial {trial}: {}",
					hex::encode(pseudonym),
					match &info {
						Some(i) => format!("{:?}", i),
						None => "not enrolled".into(),
					}
				),
				json!({ "pseudonym": hex::encode(pseudonym), "participant": to_json(&info)? }),
			)
		},
		Trials::Anchor { trial, file, participant, visit, batch } => {
			let me = ctx.me()?;
			let subject = match (participant, visit, batch) {
				(Some(p), Some(visit), None) => trials::Subject::Participant {
					pseudonym: trials::parse_hex32(&p, "--participant")?,
					visit,
				},
				(None, None, Some(batch)) => trials::Subject::Batch(batch),
				_ => {
					return Err(CliError::Usage(
						"name the data: --participant <pseudonym> --visit <n>, or --batch <n>"
							.into(),
					))
				},
			};
			let hash = hash_file(&file)?;
			let chain = ctx.chain().await?;
			let seq = trials::anchor_data(&chain, &me, trial, subject, hash).await?;
			Output::new(
				format!("anchored dataset {seq} of trial {trial} ({})", hex::encode(hash)),
				json!({ "trial": trial, "seq": seq, "hash": hex::encode(hash) }),
			)
		},
		Trials::Lock { trial, file } => {
			let me = ctx.me()?;
			let root = hash_file(&file)?;
			let chain = ctx.chain().await?;
			let block = trials::lock(&chain, &me, trial, root).await?;
			Output::new(
				format!(
					"locked the data of trial {trial} (root {}) in block #{block}",
					hex::encode(root)
				),
				json!({ "trial": trial, "root": hex::encode(root) }),
			)
		},
		Trials::Reveal { trial } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = trials::reveal(&chain, &me, &ctx.home, trial).await?;
			Output::new(
				format!("revealed the allocation of trial {trial} in block #{block}"),
				json!({ "trial": trial }),
			)
		},
		Trials::PublishResults { trial, file, link } => {
			let me = ctx.me()?;
			let hash = hash_file(&file)?;
			let chain = ctx.chain().await?;
			let published = trials::publish_results(&chain, &me, trial, hash, &link).await?;
			let released = match published.deposit_released {
				Some((who, amount)) => format!("; deposit of {amount} released to {who}"),
				None => String::new(),
			};
			Output::new(
				format!(
					"published the results of trial {trial}{}{released}",
					if published.late { " (LATE)" } else { " (on time)" }
				),
				json!({
					"trial": trial,
					"hash": hex::encode(hash),
					"late": published.late,
					"deposit_released": published.deposit_released.map(|(who, amount)| {
						json!({ "to": who, "amount": amount })
					}),
				}),
			)
		},
		Trials::Terminate { trial, reason } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block =
				trials::terminate(&chain, &me, trial, trials::outcome_hash(&reason)).await?;
			Output::new(
				format!("terminated trial {trial} in block #{block}"),
				json!({ "trial": trial }),
			)
		},
		Trials::Status { trial } => {
			let chain = ctx.chain().await?;
			let info = trials::status(&chain, trial).await?;
			let amendments = trials::amendments(&chain, trial).await?;
			let t = &info.trial;
			let text = format!(
				"trial {trial}: {:?}, sponsor {}, protocol version {}, enrolled {} (withdrawn {}), \
				 datasets {}, consent form {}, outcome changes {}, results due at #{}{}",
				t.status,
				t.sponsor,
				t.protocol_version,
				t.enrolled,
				t.withdrawn,
				t.data_anchors,
				t.consent_form,
				t.outcome_changes,
				t.results_due,
				if t.results.is_some() { ", results published" } else { "" }
			);
			Output::new(
				text,
				json!({
					"trial": to_json(&info)?,
					"amendments": to_json(&amendments)?,
				}),
			)
		},
		Trials::Overdue => {
			let chain = ctx.chain().await?;
			let overdue = trials::overdue(&chain).await?;
			let lines: Vec<String> = overdue
				.iter()
				.map(|(id, due)| format!("trial {id}\tresults due at #{due}"))
				.collect();
			Output::new(
				if lines.is_empty() {
					"no trial's results are overdue".into()
				} else {
					lines.join("\n")
				},
				json!(overdue
					.iter()
					.map(|(id, due)| json!({ "trial": id, "due": due }))
					.collect::<Vec<_>>()),
			)
		},
	}
}
