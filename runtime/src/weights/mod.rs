//! The weights this runtime charges that are not a MedChain pallet's own (those are in each
//! pallet's `src/weights.rs`), all measured on `medchain-node` and regenerated in one command by
//! `scripts/benchmark-weights.sh` (docs/performance.md):
//!
//! - [`paritydb_weights`]: reading and writing one storage item in the node's database
//!   (`benchmark storage`).
//! - [`block_weights`], [`extrinsic_weights`]: an empty block's cost and a no-op signed
//!   extrinsic's (`benchmark overhead`).
//! - one module per SDK pallet the runtime uses, from that pallet's own benchmarks
//!   (`benchmark pallet`), and [`frame_system_extensions`]: the system's transaction extensions
//!   (nonce, era, weight and version checks) every signed transaction runs;
//! - [`consensus`]: BABE's and GRANDPA's, composed from their measured parts.

pub mod block_weights;
pub mod consensus;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_proxy;
pub mod pallet_recovery;
pub mod pallet_sudo;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_utility;
pub mod paritydb_weights;
