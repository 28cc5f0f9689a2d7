//! Unit tests: a mock runtime and one file per feature. Every test built with
//! [`mock::ExtBuilder::build_and_execute`] ends by checking the pallet's `try_state` invariants.

pub(crate) mod mock;

mod decisions;
mod emergency;
mod gateways;
mod grants;
mod migration;
mod offers;
mod on_behalf;
mod receipts;
mod security;
mod try_state;
mod verifier;
