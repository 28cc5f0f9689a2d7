//! The handlers, one module per command group: each turns its arguments into a call of the
//! `medchain-client` function of the same name and its result into an [`Output`](crate::output::Output).

pub(crate) mod claims;
pub(crate) mod consent;
pub(crate) mod council;
pub(crate) mod directory;
pub(crate) mod keys;
pub(crate) mod prescriptions;
pub(crate) mod records;
pub(crate) mod recovery;
pub(crate) mod rewards;
pub(crate) mod trials;
