//! # Rewards runtime API
//!
//! The questions clients ask `pallet-rewards` through the runtime: a pool and what it holds,
//! the pools of an organisation, and what a patient received from a pool this period. The types
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
	}
}
