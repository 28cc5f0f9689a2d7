//! Unit tests: a mock runtime and one file per feature. Every test built with
//! [`mock::ExtBuilder::build_and_execute`] ends by checking the pallet's `try_state` invariants.

pub(crate) mod mock;

mod acceptance;
mod claims;
mod coverage;
mod escrow;
mod queries;
mod try_state;
