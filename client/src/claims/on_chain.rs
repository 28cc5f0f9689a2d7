//! Claims on chain (`pallet-claims`): the calls each party submits and the queries behind
//! them, through the typed client. What the calls commit to is made off chain by the parent
//! module ([`Committed`]).

use super::{ClaimOnChain, Committed, DocumentKind};
use crate::{
	chain::{runtime, types, AccountId, Chain, ChainError},
	identity::Identity,
	Error,
};

pub use types::pallet_claims_runtime_api::types::{
	Claim, ClaimStatus, Coverage, CoverageStatus, Decision, DenialReason, Disputant, Escrow,
	Settlement,
};

/// How many claims one page of a party's claims asks for (the runtime's page size).
const PAGE: u32 = 100;

/// A coverage as the chain has it.
pub type CoverageInfo = Coverage<AccountId, u32>;
/// A claim as the chain has it (its records in `records.0`).
pub type ClaimInfo =
	Claim<AccountId, u32, types::bounded_collections::bounded_vec::BoundedVec<u64>>;
/// An escrow as the chain has it.
pub type EscrowInfo = Escrow<AccountId, u128>;
/// A settlement as the chain has it.
pub type SettlementInfo = Settlement<u128, u32>;

fn not_found(what: String) -> Error {
	Error::Chain(ChainError::NotFound(what))
}

/// The number of the last finalized block: where a coverage's term starts.
pub async fn finalized_block(chain: &Chain) -> Result<u32, Error> {
	Ok(chain
		.storage("reading the block number", runtime::storage().system().number(), ())
		.await?
		.unwrap_or_default())
}

/// The payer's admin offers `member` a coverage under the plan `plan` (a FHIR Coverage, whose
/// commitment goes on chain) from block `valid_from` to `valid_until`. Returns the coverage.
pub async fn offer_coverage(
	chain: &Chain,
	admin: &Identity,
	payer: u32,
	member: &AccountId,
	plan: &Committed,
	valid_from: u32,
	valid_until: u32,
) -> Result<u64, Error> {
	plan.check(DocumentKind::Coverage, &plan.commitment()?)?;
	let call = runtime::transactions().claims().offer_coverage(
		payer,
		*member,
		plan.commitment()?,
		valid_from,
		valid_until,
	);
	let included = chain.submit("offering the coverage", &call, &admin.signer).await?;
	Ok(included.event::<runtime::claims::events::CoverageOffered>()?.coverage)
}

/// The member accepts coverage `coverage`, having checked its plan against the chain.
pub async fn accept_coverage(
	chain: &Chain,
	member: &Identity,
	coverage: u64,
	plan: &Committed,
) -> Result<u64, Error> {
	let c = coverage_info(chain, coverage).await?;
	plan.check(DocumentKind::Coverage, &c.plan)?;
	let call = runtime::transactions().claims().accept_coverage(coverage);
	Ok(chain.submit("accepting the coverage", &call, &member.signer).await?.block_number)
}

/// The payer's admin or the member ends coverage `coverage`.
pub async fn end_coverage(chain: &Chain, who: &Identity, coverage: u64) -> Result<u64, Error> {
	let call = runtime::transactions().claims().end_coverage(coverage);
	Ok(chain.submit("ending the coverage", &call, &who.signer).await?.block_number)
}

/// A provider's physician or claims officer claims `records` under `coverage` with the FHIR
/// Claim `claim`. Returns the claim's id and its block.
pub async fn submit_claim(
	chain: &Chain,
	staff: &Identity,
	coverage: u64,
	records: Vec<u64>,
	claim: &Committed,
) -> Result<(u64, u64), Error> {
	claim.check(DocumentKind::Claim, &claim.commitment()?)?;
	let call = runtime::transactions().claims().submit_claim(
		coverage,
		types::bounded_collections::bounded_vec::BoundedVec(records),
		claim.commitment()?,
	);
	let included = chain.submit("submitting the claim", &call, &staff.signer).await?;
	let submitted = included.event::<runtime::claims::events::ClaimSubmitted>()?;
	Ok((submitted.claim, included.block_number))
}

/// The payer's claims officer decides claim `id` (whose FHIR Claim, `claim`, it checked against
/// the chain) with the ClaimResponse `response`. Returns whether the decision is final.
pub async fn decide_claim(
	chain: &Chain,
	officer: &Identity,
	id: u64,
	claim: &Committed,
	decision: Decision,
	response: &Committed,
) -> Result<bool, Error> {
	let c = claim_info(chain, id).await?;
	claim.check(DocumentKind::Claim, &c.claim)?;
	response.check(DocumentKind::ClaimResponse, &response.commitment()?)?;
	let call = runtime::transactions().claims().decide_claim(id, decision, response.commitment()?);
	let included = chain.submit("deciding the claim", &call, &officer.signer).await?;
	Ok(included.event::<runtime::claims::events::ClaimDecided>()?.last)
}

/// The provider or the member disputes the decision on claim `id`, on the `grounds` (a FHIR
/// Communication).
pub async fn dispute_claim(
	chain: &Chain,
	who: &Identity,
	id: u64,
	grounds: &Committed,
) -> Result<Disputant, Error> {
	grounds.check(DocumentKind::Grounds, &grounds.commitment()?)?;
	let call = runtime::transactions().claims().dispute_claim(id, grounds.commitment()?);
	let included = chain.submit("disputing the claim", &call, &who.signer).await?;
	Ok(included.event::<runtime::claims::events::ClaimDisputed>()?.by)
}

/// What accepting a decision gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
	/// Which side the caller accepted for.
	pub by: Disputant,
	/// The final decision, if this acceptance made it final (the other side had accepted).
	pub final_decision: Option<Decision>,
}

/// The provider's staff or the member accepts the decision on claim `id`, waiving their
/// dispute; once both sides accepted, it is final.
pub async fn accept_decision(chain: &Chain, who: &Identity, id: u64) -> Result<Accepted, Error> {
	let call = runtime::transactions().claims().accept_decision(id);
	let included = chain.submit("accepting the decision", &call, &who.signer).await?;
	let by = included.event::<runtime::claims::events::DecisionAccepted>()?.by;
	let final_decision = included
		.events_of::<runtime::claims::events::ClaimClosed>()?
		.into_iter()
		.next()
		.map(|closed| closed.decision);
	Ok(Accepted { by, final_decision })
}

/// The provider withdraws claim `id`.
pub async fn withdraw_claim(chain: &Chain, who: &Identity, id: u64) -> Result<u64, Error> {
	let call = runtime::transactions().claims().withdraw_claim(id);
	Ok(chain.submit("withdrawing the claim", &call, &who.signer).await?.block_number)
}

/// Anyone closes claim `id` once its dispute window is over; returns the final decision.
pub async fn close_claim(chain: &Chain, who: &Identity, id: u64) -> Result<Decision, Error> {
	let call = runtime::transactions().claims().close_claim(id);
	let included = chain.submit("closing the claim", &call, &who.signer).await?;
	Ok(included.event::<runtime::claims::events::ClaimClosed>()?.decision)
}

/// The payer's admin puts `amount` into its escrow.
pub async fn fund_escrow(
	chain: &Chain,
	admin: &Identity,
	payer: u32,
	amount: u128,
) -> Result<u64, Error> {
	let call = runtime::transactions().claims().fund_escrow(payer, amount);
	Ok(chain.submit("funding the escrow", &call, &admin.signer).await?.block_number)
}

/// The payer's admin takes `amount` out of its escrow.
pub async fn withdraw_escrow(
	chain: &Chain,
	admin: &Identity,
	payer: u32,
	amount: u128,
) -> Result<u64, Error> {
	let call = runtime::transactions().claims().withdraw_escrow(payer, amount);
	Ok(chain.submit("withdrawing from the escrow", &call, &admin.signer).await?.block_number)
}

/// The payer's claims officer pays `provider` `total` for `claims` from the escrow, with the
/// PaymentReconciliation `statement`. Returns the settlement.
pub async fn settle_claims(
	chain: &Chain,
	officer: &Identity,
	provider: u32,
	claims: Vec<u64>,
	total: u128,
	statement: &Committed,
) -> Result<u64, Error> {
	statement.check(DocumentKind::Statement, &statement.commitment()?)?;
	let call = runtime::transactions().claims().settle_claims(
		provider,
		types::bounded_collections::bounded_vec::BoundedVec(claims),
		total,
		statement.commitment()?,
	);
	let included = chain.submit("settling the claims", &call, &officer.signer).await?;
	Ok(included.event::<runtime::claims::events::ClaimsSettled>()?.settlement)
}

/// Coverage `id` as the chain has it.
pub async fn coverage_info(chain: &Chain, id: u64) -> Result<CoverageInfo, Error> {
	chain
		.runtime_api("reading the coverage", runtime::runtime_apis().claims_api().coverage(id))
		.await?
		.ok_or_else(|| not_found(format!("no coverage {id}")))
}

/// The coverages of `member`.
pub async fn coverages_of(chain: &Chain, member: &AccountId) -> Result<Vec<u64>, Error> {
	Ok(chain
		.runtime_api(
			"listing the coverages",
			runtime::runtime_apis().claims_api().coverages_of(*member),
		)
		.await?)
}

/// Claim `id` as the chain has it.
pub async fn claim_info(chain: &Chain, id: u64) -> Result<ClaimInfo, Error> {
	chain
		.runtime_api("reading the claim", runtime::runtime_apis().claims_api().claim(id))
		.await?
		.ok_or_else(|| not_found(format!("no claim {id}")))
}

/// The claims about `member`.
pub async fn claims_of_member(chain: &Chain, member: &AccountId) -> Result<Vec<u64>, Error> {
	Ok(chain
		.runtime_api(
			"listing the member's claims",
			runtime::runtime_apis().claims_api().claims_of_member(*member),
		)
		.await?)
}

/// Whose claims to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
	/// Those a provider submitted.
	Provider(u32),
	/// Those billed to a payer.
	Payer(u32),
}

/// All the claims of `party`, in the order they were submitted (page by page).
pub async fn claims_of(chain: &Chain, party: Party) -> Result<Vec<u64>, Error> {
	let mut all = Vec::new();
	loop {
		let start = u32::try_from(all.len()).unwrap_or(u32::MAX);
		let api = runtime::runtime_apis().claims_api();
		let page = match party {
			Party::Provider(p) => {
				chain
					.runtime_api("listing the claims", api.claims_of_provider(p, start, PAGE))
					.await?
			},
			Party::Payer(p) => {
				chain.runtime_api("listing the claims", api.claims_of_payer(p, start, PAGE)).await?
			},
		};
		let full = page.len() == PAGE as usize;
		all.extend(page);
		if !full {
			return Ok(all);
		}
	}
}

/// The escrow of `payer`.
pub async fn escrow(chain: &Chain, payer: u32) -> Result<EscrowInfo, Error> {
	Ok(chain
		.runtime_api("reading the escrow", runtime::runtime_apis().claims_api().escrow(payer))
		.await?)
}

/// Settlement `id` as the chain has it.
pub async fn settlement(chain: &Chain, id: u64) -> Result<SettlementInfo, Error> {
	chain
		.runtime_api("reading the settlement", runtime::runtime_apis().claims_api().settlement(id))
		.await?
		.ok_or_else(|| not_found(format!("no settlement {id}")))
}

/// A decision as text: `approved`, `partial`, `denied (not-covered)`.
pub fn decision_text(decision: &Decision) -> String {
	match decision {
		Decision::Approved => "approved".into(),
		Decision::Partial => "approved in part".into(),
		Decision::Denied(reason) => format!("denied ({})", reason_text(reason)),
	}
}

/// A denial reason as the CLI names it.
pub fn reason_text(reason: &DenialReason) -> &'static str {
	match reason {
		DenialReason::NotCovered => "not-covered",
		DenialReason::Duplicate => "duplicate",
		DenialReason::MissingInformation => "missing-information",
		DenialReason::NoAuthorisation => "no-authorisation",
		DenialReason::LateSubmission => "late-submission",
		DenialReason::Other => "other",
	}
}

/// The denial reason named `text` ([`reason_text`]'s names).
pub fn parse_reason(text: &str) -> Result<DenialReason, Error> {
	Ok(match text {
		"not-covered" => DenialReason::NotCovered,
		"duplicate" => DenialReason::Duplicate,
		"missing-information" => DenialReason::MissingInformation,
		"no-authorisation" => DenialReason::NoAuthorisation,
		"late-submission" => DenialReason::LateSubmission,
		"other" => DenialReason::Other,
		_ => {
			return Err(Error::Mismatch(format!(
				"`{text}` is not a denial reason: not-covered, duplicate, missing-information, \
				 no-authorisation, late-submission or other"
			)))
		},
	})
}

/// What the chain says of claim `id` (`c`), for its ExplanationOfBenefit.
pub fn on_chain_view(id: u64, c: &ClaimInfo) -> ClaimOnChain {
	let (state, decision) = match &c.status {
		ClaimStatus::Submitted => ("submitted", None),
		ClaimStatus::Decided { decision, .. } => ("decided", Some(decision_text(decision))),
		ClaimStatus::Disputed { .. } => ("disputed", None),
		ClaimStatus::Withdrawn => ("withdrawn", None),
		ClaimStatus::Closed { decision, .. } => ("closed", Some(decision_text(decision))),
	};
	ClaimOnChain { id, state, decision, records: c.records.0.clone(), settlement: c.settlement }
}
