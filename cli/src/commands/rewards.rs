//! `medchain rewards`: an organisation's reward pools, the attestations its practitioners make
//! of the events patients take part in, and trial participants' claims for their visits.

use medchain_client::{
	fhir::FhirDocument,
	money::format_med,
	rewards::{self, Attestation, Kind, RewardRates},
	trials::{self, parse_hex32},
};
use serde_json::json;

use crate::{
	args::RewardsCmd,
	commands::{blocks_for_days, hex, med},
	context::{read_file, Context},
	error::CliError,
	output::{plural, Output},
};

fn kind(text: &str) -> Kind {
	if text == "survey" {
		Kind::Survey
	} else {
		Kind::Appointment
	}
}

fn kind_text(kind: Kind) -> &'static str {
	match kind {
		Kind::Appointment => "an appointment kept",
		Kind::Survey => "a survey answered",
	}
}

fn document(path: &std::path::Path) -> Result<FhirDocument, CliError> {
	Ok(FhirDocument::parse(&read_file(path)?).map_err(medchain_client::Error::from)?)
}

pub(crate) async fn run(ctx: &Context, cmd: RewardsCmd) -> Result<Output, CliError> {
	match cmd {
		RewardsCmd::CreatePool { organisation, appointment, survey, visit, cap, period_days } => {
			let rates = RewardRates {
				appointment: med(&appointment, "--appointment")?,
				survey: med(&survey, "--survey")?,
				visit: med(&visit, "--visit")?,
			};
			let cap = med(&cap, "--cap")?;
			let period = blocks_for_days(period_days, "--period-days")?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let pool =
				rewards::create_pool(&chain, &me, organisation, rates.clone(), cap, period).await?;
			Output::new(
				format!(
					"reward pool {pool} of organisation {organisation}: {} an appointment kept, \
					 {} a survey answered, {} a trial visit, at most {} a patient every \
					 {period_days} day{}; fund it with `medchain rewards fund {pool} --amount …`",
					format_med(rates.appointment),
					format_med(rates.survey),
					format_med(rates.visit),
					format_med(cap),
					plural(period_days as usize)
				),
				json!({
					"pool": pool,
					"organisation": organisation,
					"appointment": rates.appointment.to_string(),
					"survey": rates.survey.to_string(),
					"visit": rates.visit.to_string(),
					"cap": cap.to_string(),
					"period_blocks": period,
				}),
			)
		},
		RewardsCmd::Fund { pool, amount } => {
			let amount = med(&amount, "--amount")?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = rewards::fund_pool(&chain, &me, pool, amount).await?;
			let held = rewards::pool(&chain, pool).await?.balance;
			Output::new(
				format!(
					"put {} into reward pool {pool} in block #{block}; it holds {}",
					format_med(amount),
					format_med(held)
				),
				json!({ "pool": pool, "amount": amount.to_string(), "holds": held.to_string(), "block": block }),
			)
		},
		RewardsCmd::Attest { pool, patient, kind: k, file, record } => {
			let kind = kind(&k);
			if record.is_some() && kind != Kind::Survey {
				return Err(CliError::Usage(
					"--record is for a survey's answer (--kind survey): a kept appointment is \
					 attested from its Appointment or Encounter (--file)"
						.into(),
				));
			}
			let named = patient.as_deref().map(|p| ctx.account(p)).transpose()?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let (patient, document) = match (record, file) {
				(Some(record), _) => {
					let answer = rewards::survey_answer(&chain, &ctx.store()?, &me, record).await?;
					if named.as_ref().is_some_and(|p| *p != answer.patient) {
						return Err(CliError::Client(medchain_client::Error::Mismatch(format!(
							"record {record} is {}'s, not the --patient named",
							answer.patient
						))));
					}
					(answer.patient, answer.document)
				},
				(None, Some(file)) => {
					let patient =
						named.ok_or_else(|| CliError::Usage("--patient is needed".into()))?;
					(patient, document(&file)?)
				},
				(None, None) => return Err(CliError::Usage("--file or --record is needed".into())),
			};
			let attestation = Attestation::new(&patient, kind, &document)?;
			let paid = rewards::reward(&chain, &me, pool, &patient, kind, &attestation).await?;
			Output::new(
				format!(
					"pool {pool} paid {patient} {} for {} in block #{}; attestation {}, salt {} \
					 (give the patient the salt: with the document it proves the reward)",
					format_med(paid.amount),
					kind_text(kind),
					paid.block,
					hex(&attestation.commitment),
					hex(&attestation.salt)
				),
				json!({
					"pool": pool,
					"patient": patient.to_string(),
					"kind": k,
					"amount": paid.amount.to_string(),
					"attestation": hex(&attestation.commitment),
					"salt": hex(&attestation.salt),
					"block": paid.block,
				}),
			)
		},
		RewardsCmd::Check { pool, patient, kind: k, file, salt } => {
			let kind = kind(&k);
			let patient = ctx.account_or_me(patient.as_deref())?;
			let salt = parse_hex32(&salt, "--salt")?;
			let attestation = Attestation::with_salt(salt, &patient, kind, &document(&file)?)?;
			let chain = ctx.chain().await?;
			if !rewards::is_attested(&chain, pool, &attestation).await? {
				return Err(CliError::Client(medchain_client::Error::Mismatch(format!(
					"pool {pool} paid for no attestation {}: another document, salt, patient or \
					 kind of event, or another pool",
					hex(&attestation.commitment)
				))));
			}
			Output::new(
				format!(
					"pool {pool} paid {patient} for {} attested by this document (attestation {})",
					kind_text(kind),
					hex(&attestation.commitment)
				),
				json!({ "pool": pool, "patient": patient.to_string(), "kind": k, "attestation": hex(&attestation.commitment), "paid": true }),
			)
		},
		RewardsCmd::ClaimVisit { pool, trial, seq, payee } => {
			let payee = ctx.account(&payee)?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let paid = trials::claim_visit_reward(&chain, &me, trial, seq, pool, &payee).await?;
			Output::new(
				format!(
					"pool {pool} paid {payee} {} for your visit in trial {trial} (data anchor \
					 {seq}) in block #{}; the chain saw your pseudonym {}, not your account",
					format_med(paid.amount),
					paid.block,
					hex::encode(paid.pseudonym)
				),
				json!({
					"pool": pool,
					"trial": trial,
					"seq": seq,
					"payee": payee.to_string(),
					"amount": paid.amount.to_string(),
					// As `trials enrol` and `trials me` print it.
					"pseudonym": hex::encode(paid.pseudonym),
					"block": paid.block,
				}),
			)
		},
		RewardsCmd::Show { pool, patient, trial } => {
			let patient = patient.map(|p| ctx.account(&p)).transpose()?;
			let chain = ctx.chain().await?;
			let state = rewards::pool(&chain, pool).await?;
			let earned = match &patient {
				Some(patient) => Some(rewards::earned(&chain, pool, patient).await?),
				None => None,
			};
			let participant = match trial {
				Some(trial) => {
					let pseudonym = trials::pseudonym(&chain.genesis(), trial, &ctx.me()?);
					let earned =
						rewards::participant_earned(&chain, pool, trial, pseudonym).await?;
					Some((trial, earned))
				},
				None => None,
			};
			let p = &state.pool;
			let mut text = format!(
				"reward pool {pool} of organisation {}{}: {} an appointment kept, {} a survey \
				 answered, {} a trial visit, at most {} a patient every {} blocks; holds {}, \
				 paid {} in {} reward{}",
				p.organisation,
				if p.closed { " (closed)" } else { "" },
				format_med(p.rates.appointment),
				format_med(p.rates.survey),
				format_med(p.rates.visit),
				format_med(p.cap),
				p.period,
				format_med(state.balance),
				format_med(p.paid),
				p.rewards,
				plural(p.rewards as usize)
			);
			if let (Some(patient), Some(earned)) = (&patient, earned) {
				text.push_str(&format!("; {patient} received {} this period", format_med(earned)));
			}
			if let Some((trial, earned)) = participant {
				text.push_str(&format!(
					"; you received {} this period as a participant of trial {trial}",
					format_med(earned)
				));
			}
			Output::new(
				text,
				json!({
					"pool": pool,
					"organisation": p.organisation,
					"closed": p.closed,
					"appointment": p.rates.appointment.to_string(),
					"survey": p.rates.survey.to_string(),
					"visit": p.rates.visit.to_string(),
					"cap": p.cap.to_string(),
					"period_blocks": p.period,
					"account": state.account.to_string(),
					"holds": state.balance.to_string(),
					"paid": p.paid.to_string(),
					"rewards": p.rewards,
					"patient": patient.map(|a| a.to_string()),
					"earned_this_period": earned.map(|e| e.to_string()),
					"trial": participant.map(|(t, _)| t),
					"participant_earned_this_period": participant.map(|(_, e)| e.to_string()),
				}),
			)
		},
		RewardsCmd::List { organisation } => {
			let chain = ctx.chain().await?;
			let pools = rewards::pools_of(&chain, organisation).await?;
			let listed: Vec<String> = pools.iter().map(u32::to_string).collect();
			Output::new(
				if pools.is_empty() {
					format!("organisation {organisation} has no reward pool")
				} else {
					format!("organisation {organisation}'s reward pools: {}", listed.join(", "))
				},
				json!({ "organisation": organisation, "pools": pools }),
			)
		},
		RewardsCmd::Close { pool } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let returned = rewards::close_pool(&chain, &me, pool).await?;
			Output::new(
				format!("reward pool {pool} closed; {} came back to you", format_med(returned)),
				json!({ "pool": pool, "returned": returned.to_string() }),
			)
		},
	}
}
