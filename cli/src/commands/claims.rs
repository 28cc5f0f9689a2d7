//! `medchain claims`: coverage, claims for recorded care, decisions, disputes, escrow,
//! settlements and the ExplanationOfBenefit. Each document (Coverage, Claim, ClaimResponse,
//! Communication, PaymentReconciliation) is committed to on chain; its file (the document and
//! the salt) is written for the parties that act on it, who check it against the chain.

use medchain_client::{
	claims::{self, ClaimStatus, Committed, CoverageStatus, Decision, DocumentKind, Party},
	fhir::FhirDocument,
	money::format_med,
	prescriptions::{load, save},
};
use serde_json::json;

use crate::{
	args::ClaimsCmd,
	commands::{blocks_for_days, hex, med},
	context::{read_file, Context},
	error::CliError,
	output::{plural, Output},
};

/// The FHIR document in `path`, committed to under a fresh salt as `kind`.
fn commit(path: &std::path::Path, kind: DocumentKind) -> Result<Committed, CliError> {
	let document = FhirDocument::parse(&read_file(path)?).map_err(medchain_client::Error::from)?;
	Ok(Committed::new(kind, &document)?)
}

/// `out` is written before the chain is asked (a commitment on chain whose document is lost
/// helps nobody), and removed again if the chain refused.
fn written<T>(
	result: Result<T, medchain_client::Error>,
	out: &std::path::Path,
) -> Result<T, CliError> {
	if let Err(medchain_client::Error::Chain(medchain_client::chain::ChainError::Refused {
		..
	})) = &result
	{
		// Best effort: a file left behind only holds the caller's own document.
		let _ = std::fs::remove_file(out);
	}
	Ok(result?)
}

fn status_text(c: &claims::ClaimInfo) -> String {
	match &c.status {
		ClaimStatus::Submitted => "submitted, awaiting the payer's decision".into(),
		ClaimStatus::Decided { decision, dispute_until, accepted, .. } => format!(
			"{}, open to dispute until block #{dispute_until}{}",
			claims::decision_text(decision),
			match accepted {
				Some(by) => format!(" (accepted by the {})", format!("{by:?}").to_lowercase()),
				None => String::new(),
			}
		),
		ClaimStatus::Disputed { by, .. } => {
			format!("disputed by the {by:?}, awaiting a final decision").to_lowercase()
		},
		ClaimStatus::Withdrawn => "withdrawn".into(),
		ClaimStatus::Closed { decision, .. } => {
			let paid = match c.settlement {
				Some(s) => format!(", paid in settlement {s}"),
				None => String::new(),
			};
			format!("final: {}{paid}", claims::decision_text(decision))
		},
	}
}

fn claim_json(id: u64, c: &claims::ClaimInfo) -> serde_json::Value {
	let view = claims::on_chain_view(id, c);
	json!({
		"claim": id,
		"coverage": c.coverage,
		"provider": c.provider,
		"submitter": c.submitter.to_string(),
		"records": c.records.0,
		"commitment": hex(&c.claim),
		"submitted_at": c.submitted_at,
		"state": view.state,
		"decision": view.decision,
		"settlement": c.settlement,
		"status": status_text(c),
	})
}

pub(crate) async fn run(ctx: &Context, cmd: ClaimsCmd) -> Result<Output, CliError> {
	match cmd {
		ClaimsCmd::Offer { payer, member, plan, days, out } => {
			let member = ctx.account(&member)?;
			let plan = commit(&plan, DocumentKind::Coverage)?;
			let term = blocks_for_days(days, "--days")?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let from = claims::finalized_block(&chain).await?;
			let until = from.saturating_add(term);
			save(&out, &plan)?;
			let coverage = written(
				claims::offer_coverage(&chain, &me, payer, &member, &plan, from, until).await,
				&out,
			)?;
			Output::new(
				format!(
					"coverage {coverage} offered to {member} by payer {payer}, blocks #{from} to \
					 #{until}; give the member {} to accept it",
					out.display()
				),
				json!({ "coverage": coverage, "payer": payer, "member": member.to_string(), "valid_from": from, "valid_until": until, "plan_file": out }),
			)
		},
		ClaimsCmd::Accept { coverage, plan } => {
			let plan: Committed = load(&plan)?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = claims::accept_coverage(&chain, &me, coverage, &plan).await?;
			Output::new(
				format!(
					"coverage {coverage} accepted in block #{block} (its plan matches the chain)"
				),
				json!({ "coverage": coverage, "block": block }),
			)
		},
		ClaimsCmd::EndCoverage { coverage } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = claims::end_coverage(&chain, &me, coverage).await?;
			Output::new(
				format!("coverage {coverage} ended in block #{block}; its open claims go on"),
				json!({ "coverage": coverage, "block": block }),
			)
		},
		ClaimsCmd::Submit { coverage, records, file, out } => {
			let claim = commit(&file, DocumentKind::Claim)?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			save(&out, &claim)?;
			let (id, block) = written(
				claims::submit_claim(&chain, &me, coverage, records.clone(), &claim).await,
				&out,
			)?;
			let listed: Vec<String> = records.iter().map(u64::to_string).collect();
			Output::new(
				format!(
					"claim {id} against coverage {coverage} for record{} {} in block #{block}; the \
					 payer's claims officers may read {} until it ends; give the payer {}",
					plural(records.len()),
					listed.join(", "),
					if records.len() == 1 { "it" } else { "them" },
					out.display()
				),
				json!({ "claim": id, "coverage": coverage, "records": records, "block": block, "claim_file": out }),
			)
		},
		ClaimsCmd::Decide { claim, claim_file, decision, reason, response, out } => {
			let decision = match (decision.as_str(), reason) {
				("denied", reason) => {
					Decision::Denied(claims::parse_reason(reason.as_deref().unwrap_or("other"))?)
				},
				(_, Some(_)) => {
					return Err(CliError::Usage("--reason is for a denial only".into()))
				},
				("partial", None) => Decision::Partial,
				(_, None) => Decision::Approved,
			};
			let claimed: Committed = load(&claim_file)?;
			let response = commit(&response, DocumentKind::ClaimResponse)?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			save(&out, &response)?;
			let last = written(
				claims::decide_claim(&chain, &me, claim, &claimed, decision.clone(), &response)
					.await,
				&out,
			)?;
			let c = claims::claim_info(&chain, claim).await?;
			Output::new(
				format!(
					"claim {claim} decided{}: {}; give the provider and the member {}",
					if last { " again" } else { "" },
					if last {
						format!(
							"{}, final; the payer's access ended",
							claims::decision_text(&decision)
						)
					} else {
						status_text(&c)
					},
					out.display()
				),
				json!({ "claim": claim, "decision": claims::decision_text(&decision), "final": last, "response_file": out, "status": status_text(&c) }),
			)
		},
		ClaimsCmd::Dispute { claim, grounds, out } => {
			let grounds = commit(&grounds, DocumentKind::Grounds)?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			save(&out, &grounds)?;
			let by = written(claims::dispute_claim(&chain, &me, claim, &grounds).await, &out)?;
			let by = format!("{by:?}").to_lowercase();
			Output::new(
				format!(
					"claim {claim} disputed by the {by}; the payer decides again, finally; give \
					 the payer {}",
					out.display()
				),
				json!({ "claim": claim, "by": by, "grounds_file": out }),
			)
		},
		ClaimsCmd::AcceptDecision { claim } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let accepted = claims::accept_decision(&chain, &me, claim).await?;
			let by = format!("{:?}", accepted.by).to_lowercase();
			let text = match &accepted.final_decision {
				Some(decision) => format!(
					"the {by} accepted the decision on claim {claim}, as the other side had: \
					 final, {}; the payer's access ended",
					claims::decision_text(decision)
				),
				None => format!(
					"the {by} accepted the decision on claim {claim}; it is final once the other \
					 side accepts it too, or its window to dispute is over"
				),
			};
			Output::new(
				text,
				json!({ "claim": claim, "by": by, "final": accepted.final_decision.is_some(), "decision": accepted.final_decision.as_ref().map(claims::decision_text) }),
			)
		},
		ClaimsCmd::Withdraw { claim } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = claims::withdraw_claim(&chain, &me, claim).await?;
			Output::new(
				format!("claim {claim} withdrawn in block #{block}; the payer's access ended"),
				json!({ "claim": claim, "block": block }),
			)
		},
		ClaimsCmd::Close { claim } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let decision = claims::close_claim(&chain, &me, claim).await?;
			Output::new(
				format!(
					"claim {claim} final: {}; the payer's access ended",
					claims::decision_text(&decision)
				),
				json!({ "claim": claim, "decision": claims::decision_text(&decision) }),
			)
		},
		ClaimsCmd::FundEscrow { payer, amount } => {
			let amount = med(&amount, "--amount")?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = claims::fund_escrow(&chain, &me, payer, amount).await?;
			let e = claims::escrow(&chain, payer).await?;
			Output::new(
				format!(
					"put {} into payer {payer}'s escrow in block #{block}; it holds {}",
					format_med(amount),
					format_med(e.balance)
				),
				json!({ "payer": payer, "amount": amount.to_string(), "holds": e.balance.to_string(), "block": block }),
			)
		},
		ClaimsCmd::WithdrawEscrow { payer, amount } => {
			let amount = med(&amount, "--amount")?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let block = claims::withdraw_escrow(&chain, &me, payer, amount).await?;
			let e = claims::escrow(&chain, payer).await?;
			Output::new(
				format!(
					"took {} out of payer {payer}'s escrow in block #{block}; it holds {}",
					format_med(amount),
					format_med(e.balance)
				),
				json!({ "payer": payer, "amount": amount.to_string(), "holds": e.balance.to_string(), "block": block }),
			)
		},
		ClaimsCmd::Settle { provider, claims: paid, total, statement, out } => {
			let total = med(&total, "--total")?;
			let statement = commit(&statement, DocumentKind::Statement)?;
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			save(&out, &statement)?;
			let id = written(
				claims::settle_claims(&chain, &me, provider, paid.clone(), total, &statement).await,
				&out,
			)?;
			Output::new(
				format!(
					"settlement {id}: {} paid to provider {provider} for {} claim{}; give the \
					 provider {}",
					format_med(total),
					paid.len(),
					plural(paid.len()),
					out.display()
				),
				json!({ "settlement": id, "provider": provider, "claims": paid, "total": total.to_string(), "statement_file": out }),
			)
		},
		ClaimsCmd::Show { claim } => {
			let chain = ctx.chain().await?;
			let c = claims::claim_info(&chain, claim).await?;
			let records: Vec<String> = c.records.0.iter().map(u64::to_string).collect();
			Output::new(
				format!(
					"claim {claim}: coverage {}, provider {}, record{} {}, submitted in block #{}; {}",
					c.coverage,
					c.provider,
					plural(c.records.0.len()),
					records.join(", "),
					c.submitted_at,
					status_text(&c)
				),
				claim_json(claim, &c),
			)
		},
		ClaimsCmd::List { member, provider, payer } => {
			let chain = ctx.chain().await?;
			let (whose, ids) = match (provider, payer) {
				(Some(p), _) => {
					(format!("provider {p}"), claims::claims_of(&chain, Party::Provider(p)).await?)
				},
				(None, Some(p)) => {
					(format!("payer {p}"), claims::claims_of(&chain, Party::Payer(p)).await?)
				},
				(None, None) => {
					let member = ctx.account_or_me(member.as_deref())?;
					(member.to_string(), claims::claims_of_member(&chain, &member).await?)
				},
			};
			let mut lines = vec![format!("{} claim{} of {whose}", ids.len(), plural(ids.len()))];
			let mut listed = Vec::new();
			for id in ids {
				let c = claims::claim_info(&chain, id).await?;
				lines.push(format!("  claim {id} (provider {}): {}", c.provider, status_text(&c)));
				listed.push(claim_json(id, &c));
			}
			Output::new(lines.join("\n"), json!({ "of": whose, "claims": listed }))
		},
		ClaimsCmd::Coverage { coverage } => {
			let chain = ctx.chain().await?;
			let c = claims::coverage_info(&chain, coverage).await?;
			let status = match c.status {
				CoverageStatus::Offered => "offered",
				CoverageStatus::Active => "active",
				CoverageStatus::Ended => "ended",
			};
			Output::new(
				format!(
					"coverage {coverage}: payer {}, member {}, blocks #{} to #{}, {status}, {} open \
					 claim{}",
					c.payer,
					c.member,
					c.valid_from,
					c.valid_until,
					c.open_claims,
					plural(c.open_claims as usize)
				),
				json!({ "coverage": coverage, "payer": c.payer, "member": c.member.to_string(), "valid_from": c.valid_from, "valid_until": c.valid_until, "status": status, "open_claims": c.open_claims, "plan": hex(&c.plan) }),
			)
		},
		ClaimsCmd::Escrow { payer } => {
			let chain = ctx.chain().await?;
			let e = claims::escrow(&chain, payer).await?;
			Output::new(
				format!(
					"payer {payer}'s escrow {} holds {}; {} claim{} it may still pay need {}",
					e.account,
					format_med(e.balance),
					e.liabilities,
					plural(e.liabilities as usize),
					format_med(e.floor)
				),
				json!({ "payer": payer, "account": e.account.to_string(), "holds": e.balance.to_string(), "liabilities": e.liabilities, "floor": e.floor.to_string() }),
			)
		},
		ClaimsCmd::Eob { claim, claim_file, response_file, out } => {
			let chain = ctx.chain().await?;
			let c = claims::claim_info(&chain, claim).await?;
			let claimed: Committed = load(&claim_file)?;
			let claim_doc = claimed.check(DocumentKind::Claim, &c.claim)?;
			let response = match (&c.status, response_file) {
				(
					ClaimStatus::Decided { response, .. } | ClaimStatus::Closed { response, .. },
					Some(file),
				) => {
					let answered: Committed = load(&file)?;
					Some(answered.check(DocumentKind::ClaimResponse, response)?)
				},
				(_, Some(_)) => {
					return Err(CliError::Usage(format!(
						"claim {claim} has no decision in force to check the response against"
					)))
				},
				(_, None) => None,
			};
			let view = claims::on_chain_view(claim, &c);
			let eob = claims::explanation_of_benefit(&claim_doc, response.as_ref(), &view)?;
			let value = eob.to_json_value().map_err(medchain_client::Error::from)?;
			match out {
				Some(path) => {
					let bytes = serde_json::to_vec_pretty(&value).map_err(|e| {
						CliError::Usage(format!("writing the ExplanationOfBenefit: {e}"))
					})?;
					std::fs::write(&path, bytes)
						.map_err(|e| medchain_client::Error::Io(path.clone(), e))?;
					Output::new(
						format!(
							"ExplanationOfBenefit of claim {claim} ({}) written to {}",
							view.state,
							path.display()
						),
						json!({ "claim": claim, "state": view.state, "file": path }),
					)
				},
				None => {
					Output::new(serde_json::to_string_pretty(&value).unwrap_or_default(), value)
				},
			}
		},
	}
}
