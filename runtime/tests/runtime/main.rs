//! Tests of the real MedChain runtime (no mocks): integrity, genesis presets, block execution and
//! equivocation handling.

mod claims;
mod common;
mod consent;
mod directory;
mod equivocation;
mod execute_block;
mod free_calls;
#[cfg(feature = "try-runtime")]
mod fuzz;
mod genesis;
mod governance;
mod integrity;
#[cfg(feature = "try-runtime")]
mod live;
mod metadata;
mod prescriptions;
mod proxy;
mod records;
mod recovery;
mod rewards;
mod trials;
#[cfg(feature = "try-runtime")]
mod try_runtime;
