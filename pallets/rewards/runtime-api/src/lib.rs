//! # Rewards runtime API
//!
//! The questions clients ask `pallet-rewards` through the runtime: a pool and what it holds,
//! the pools of an organisation, what a patient or a trial participant received from a pool
//! this period, and which pool paid for a trial visit. The types
//! that cross to clients live here (the pallet re-exports them), so a client needs only this
//! small crate.

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
use pallet_clinical_trials_runtime_api::{Pseudonym, TrialId};
use polkadot_sdk::sp_runtime::traits::NumberFor;

polkadot_sdk::sp_api::decl_runtime_apis! {
	/// Queries on reward pools.
	pub trait RewardsApi<AccountId, Balance> where AccountId: Codec, Balance: Codec {
		/// The pool `id` and what it holds, if it exists.
		fn pool(id: PoolId) -> Option<PoolState<AccountId, Balance, NumberFor<Block>>>;
		/// The pools of `organisation`, open or closed, by id.
		fn pools_of(organisation: OrganisationId) -> Vec<PoolId>;
		/// What `patient` received from pool `pool` in the current period (`None` for a pool
		/// that does not exist).
		fn earned(pool: PoolId, patient: AccountId) -> Option<Balance>;
		/// What the participant `pseudonym` of `trial` received from pool `pool` in the current
		/// period (`None` for a pool that does not exist).
		fn participant_earned(pool: PoolId, trial: TrialId, pseudonym: Pseudonym) -> Option<Balance>;
		/// The pool that paid for the visit `trial`'s data anchor `seq` records, if one did.
		fn visit_reward(trial: TrialId, seq: u32) -> Option<PoolId>;
	}
}
