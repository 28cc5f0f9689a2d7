//! `medchain-gateway`: the service each organisation runs as custodian of its records.
//!
//! It keeps the organisation's documents as ciphertext envelopes, content-addressed by CID, in
//! PostgreSQL (or a local directory when no database is configured: [`store`]), behind a FHIR R5
//! REST face ([`app`]) whose every request is signed by a chain account and whose every error
//! is a FHIR `OperationOutcome` with the right HTTP status ([`outcome`]). Configuration comes
//! from a TOML file and the environment ([`config`]). See `docs/gateway.md`.

pub mod app;
pub mod config;
pub mod ledger;
pub mod outcome;
pub mod store;
