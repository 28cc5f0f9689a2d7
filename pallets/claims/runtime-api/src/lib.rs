//! # Claims runtime API
//!
//! The questions clients ask `pallet-claims` through the runtime: a coverage and a member's
//! coverages, a claim and the claims of a member, a provider or a payer, a payer's escrow and a
//! settlement. The types that cross to clients live here (the pallet re-exports them), so a
//! client needs only this small crate.
//!
//! None of it is readable as care: coverages and claims hold commitments to their FHIR
//! documents (Coverage, Claim, ClaimResponse), record ids, organisation ids, accounts, states,
//! reason codes that describe a decision and block numbers; a settlement shows only its total.

#![cfg_attr(not(feature = "std"), no_std)]
// On-chain code never panics: no unchecked arithmetic, indexing, unwrap/expect, panics or
// truncating casts outside tests (scripts/lint.sh fails on any).
#![cfg_attr(
	not(test),
	warn(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::panic,
		clippy::cast_possible_truncation
	)
)]

extern crate alloc;

mod types;

pub use types::*;

use alloc::vec::Vec;
use codec::Codec;
use medchain_primitives::OrganisationId;
use polkadot_sdk::sp_runtime::traits::NumberFor;

/// The most claims one page of [`ClaimsApi::claims_of_provider`] or
/// [`ClaimsApi::claims_of_payer`] holds.
pub const MAX_PAGE: u32 = 100;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Queries on coverages, claims, escrows and settlements. `Records` is how the runtime
	/// stores a claim's records (a bounded list of record ids): the claim is answered as it is
	/// stored, one type for clients whether they read it here or from storage.
	pub trait ClaimsApi<AccountId, Balance, Records>
	where
		AccountId: Codec,
		Balance: Codec,
		Records: Codec,
	{
		/// The coverage `id`, if it exists.
		fn coverage(id: CoverageId) -> Option<Coverage<AccountId, NumberFor<Block>>>;
		/// The coverages of `member`, offered, active or ended, by id.
		fn coverages_of(member: AccountId) -> Vec<CoverageId>;
		/// The claim `id`, if it exists.
		fn claim(id: ClaimId) -> Option<Claim<AccountId, NumberFor<Block>, Records>>;
		/// The claims about `member`: those against each of their coverages, by id.
		fn claims_of_member(member: AccountId) -> Vec<ClaimId>;
		/// The claims `provider` submitted, in the order it submitted them, from the
		/// `start`-th on, at most `limit` of them (at most [`MAX_PAGE`]).
		fn claims_of_provider(provider: OrganisationId, start: u32, limit: u32) -> Vec<ClaimId>;
		/// The claims billed to `payer`, in the order they were submitted, from the `start`-th
		/// on, at most `limit` of them (at most [`MAX_PAGE`]).
		fn claims_of_payer(payer: OrganisationId, start: u32, limit: u32) -> Vec<ClaimId>;
		/// The escrow of `payer`.
		fn escrow(payer: OrganisationId) -> Escrow<AccountId, Balance>;
		/// The settlement `id`, if it exists.
		fn settlement(id: SettlementId) -> Option<Settlement<Balance, NumberFor<Block>>>;
	}
}
