//! Unit tests: a mock runtime and one file per feature. Every test built with
//! [`mock::ExtBuilder::build_and_execute`] ends by checking the pallet's `try_state` invariants.

pub(crate) mod mock;

mod amendments;
mod api;
mod data;
mod deposits;
mod enrolment;
mod lifecycle;
mod registration;
mod results;
mod ring;
mod setup;
mod try_state;
