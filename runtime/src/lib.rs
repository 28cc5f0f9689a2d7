//! # MedChain runtime
//!
//! The state transition function of MedChain: a proof-of-stake chain run by hospitals as validators,
//! with BABE block production, GRANDPA finality and NPoS staking whose equivocation reports are
//! wired through offences into slashing, governed by a council of health authorities (no sudo
//! outside the dev preset), with the healthcare pallets (directory, records, consent, clinical
//! trials), free calls for patients and social recovery of lost keys.
//!
//! Layout: this file holds the types, the version and the `runtime` macro; `configs/` holds each
//! pallet's configuration grouped by domain; `apis.rs` the runtime APIs; `genesis_config_presets.rs`
//! the `development`, `local_testnet` and `production` genesis presets; `benchmarks.rs` the
//! benchmark list (feature `runtime-benchmarks`).

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
// `construct_runtime`/`runtime` expand to deep recursion.
#![recursion_limit = "256"]

/// The runtime compiled to Wasm (`WASM_BINARY`, `WASM_BINARY_BLOATY`, `WASM_BINARY_PATH`):
/// `None` in a build with `SKIP_WASM_BUILD`.
#[cfg(feature = "std")]
#[allow(missing_docs)]
mod wasm_binary {
	include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));
}
#[cfg(feature = "std")]
pub use wasm_binary::*;

/// The same runtime one `spec_version` later, which the upgrade test enacts on a running chain:
/// `WASM_BINARY` is `None` unless the build had `MEDCHAIN_NEXT_RUNTIME` set (`scripts/test.sh`).
#[cfg(feature = "std")]
#[allow(missing_docs)]
pub mod next_runtime {
	include!(concat!(env!("OUT_DIR"), "/next_wasm_binary.rs"));
}

extern crate alloc;

use alloc::vec::Vec;

pub mod apis;
pub use apis::RuntimeApi;
#[cfg(feature = "runtime-benchmarks")]
// Benchmarks run off chain against a state they build, on a test's terms.
#[allow(
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::cast_possible_truncation
)]
mod benchmarks;
// Configuration computed once from constants: fractions of the block limits (`Perbill * x`,
// which cannot overflow) and the template's block weights.
#[allow(clippy::arithmetic_side_effects)]
pub mod configs;
pub mod genesis_config_presets;
pub mod weights;

use polkadot_sdk::{
	sp_consensus_babe, sp_core, sp_runtime,
	sp_runtime::{
		generic, impl_opaque_keys,
		traits::{BlakeTwo256, IdentifyAccount, Verify},
		MultiAddress, MultiSignature,
	},
	*,
};
use sp_version::RuntimeVersion;

pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
pub use sp_runtime::{Perbill, Permill};

/// The runtime's name, as reported in `state_getRuntimeVersion`.
pub const RUNTIME_NAME: &str = "medchain";

/// Declares [`VERSION`] with the given `spec_version` (the attribute wants a plain literal).
macro_rules! runtime_version {
	($spec_version:tt) => {
		/// The runtime version. Bump `spec_version` on every change of the runtime logic and
		/// `transaction_version` when a call's index or parameters change.
		#[sp_version::runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("medchain"),
			impl_name: alloc::borrow::Cow::Borrowed("medchain"),
			authoring_version: 1,
			spec_version: $spec_version,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			transaction_version: 1,
			system_version: 1,
		};
	};
}

#[cfg(not(feature = "next-version"))]
runtime_version!(100);
// The same runtime one version later, for the upgrade test (`next_runtime`).
#[cfg(feature = "next-version")]
runtime_version!(101);

/// A signature on the chain: sr25519, ed25519 or ECDSA.
pub type Signature = MultiSignature;
/// An account id: the public key behind a [`Signature`].
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account (12 decimals: 1 MED = [`UNIT`]).
pub type Balance = u128;
/// Transaction nonce of an account.
pub type Nonce = u32;
/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;
/// A block number.
pub type BlockNumber = u32;
/// A moment in time (milliseconds since the Unix epoch).
pub type Moment = u64;
/// The address format for describing accounts (`MultiAddress<AccountId, ()>`, as polkadot.js and
/// subxt's `PolkadotConfig` expect).
pub type Address = MultiAddress<AccountId, ()>;

/// Token symbol shown by wallets (chain property `tokenSymbol`).
pub const TOKEN_SYMBOL: &str = "MED";
/// Token decimals (chain property `tokenDecimals`).
pub const TOKEN_DECIMALS: u8 = 12;
/// SS58 address prefix (chain property `ss58Format`): MedChain's own, 4242 (addresses begin
/// with `m`), free in the SS58 registry; the client shows and writes addresses in this form and
/// also reads the generic form (42) of the same account (docs/architecture.md).
pub const SS58_PREFIX: u16 = 4242;

/// One MED.
pub const UNIT: Balance = 1_000_000_000_000;
/// One thousandth of a MED.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// One millionth of a MED.
pub const MICRO_UNIT: Balance = 1_000_000;
/// The smallest balance an account can hold.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Target block time: one block per BABE slot of 6 s.
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// The BABE slot duration in milliseconds. Cannot change after launch.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;
/// Blocks per minute at the target block time.
#[allow(clippy::cast_possible_truncation)] // 60 000 / 6 000 = 10 blocks.
pub const MINUTES: BlockNumber = (60_000 / MILLI_SECS_PER_BLOCK) as BlockNumber;
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;
/// A BABE epoch (and a session): 10 minutes. Cannot change after launch.
pub const EPOCH_DURATION_IN_SLOTS: u64 = 10 * MINUTES as u64;

/// BABE's probability of a primary slot for an authority, `c = (1, 4)`; secondary VRF slots fill
/// the rest so that every slot has an author (one dev validator authors every slot).
pub const PRIMARY_PROBABILITY: (u64, u64) = (1, 4);
/// The BABE epoch configuration at genesis.
pub const BABE_GENESIS_EPOCH_CONFIG: sp_consensus_babe::BabeEpochConfiguration =
	sp_consensus_babe::BabeEpochConfiguration {
		c: PRIMARY_PROBABILITY,
		allowed_slots: sp_consensus_babe::AllowedSlots::PrimaryAndSecondaryVRFSlots,
	};

/// Opaque types: what the node needs to know of the runtime's block format without its calls.
pub mod opaque {
	use super::*;
	use sp_runtime::{generic, traits::BlakeTwo256};

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;
	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as sp_runtime::traits::Hash>::Output;
}

impl_opaque_keys! {
	/// The session keys of a validator: BABE for authoring, GRANDPA for finality votes.
	pub struct SessionKeys {
		/// The BABE (sr25519) authoring key.
		pub babe: Babe,
		/// The GRANDPA (ed25519) finality key.
		pub grandpa: Grandpa,
	}
}

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
/// A block signed with a justification, as imported and exported.
pub type SignedBlock = generic::SignedBlock<Block>;
/// The transaction extensions checked on every transaction, in order.
pub type TxExtension = (
	// First: an unsigned (general) transaction whose call authorizes itself (a trial call with
	// its ring proof) is dispatched with the `Authorized` origin; the rest then skip it (no
	// nonce, no fee). Encodes to nothing, so signed transactions are unchanged.
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	// Fees, except for a registered patient's own healthcare calls within their allowance
	// (`pallet-free-calls`). Encodes and is described exactly as `ChargeTransactionPayment`.
	pallet_free_calls::FreeForPatients<
		Runtime,
		pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	>,
);
/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;
/// Storage migrations run on a runtime upgrade, each a no-op once its pallet's storage version
/// is reached (a chain started from this runtime's genesis has them all).
pub type Migrations = (
	pallet_medical_records::migrations::v1::CountErasedRecords<Runtime>,
	pallet_consent::migrations::v1::IndexGrants<Runtime>,
);
/// Executive: dispatches calls to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	// BABE must come before Timestamp and Session (its `on_initialize` sets the slot).
	#[runtime::pallet_index(1)]
	pub type Babe = pallet_babe;
	#[runtime::pallet_index(2)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(3)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(4)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(5)]
	pub type Authorship = pallet_authorship;
	// Staking before Session: the genesis stakers must exist when Session asks for validators.
	#[runtime::pallet_index(6)]
	pub type Staking = pallet_staking;
	#[runtime::pallet_index(7)]
	pub type Offences = pallet_offences;
	#[runtime::pallet_index(8)]
	pub type Historical = pallet_session::historical;
	#[runtime::pallet_index(9)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(10)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(11)]
	pub type Utility = pallet_utility;
	#[runtime::pallet_index(12)]
	pub type Proxy = pallet_proxy;
	// Sudo has a key only in the development preset (docs/governance.md).
	#[runtime::pallet_index(13)]
	pub type Sudo = pallet_sudo;
	#[runtime::pallet_index(14)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(15)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(16)]
	pub type Preimage = pallet_preimage;
	#[runtime::pallet_index(17)]
	pub type Whitelist = pallet_whitelist;
	#[runtime::pallet_index(18)]
	pub type Recovery = pallet_recovery;

	// MedChain's own pallets start at 40.
	#[runtime::pallet_index(40)]
	pub type Directory = pallet_directory;
	#[runtime::pallet_index(41)]
	pub type MedicalRecords = pallet_medical_records;
	#[runtime::pallet_index(42)]
	pub type Consent = pallet_consent;
	#[runtime::pallet_index(43)]
	pub type ClinicalTrials = pallet_clinical_trials;
	#[runtime::pallet_index(44)]
	pub type FreeCalls = pallet_free_calls;
	#[runtime::pallet_index(45)]
	pub type Prescriptions = pallet_prescriptions;
	#[runtime::pallet_index(46)]
	pub type Claims = pallet_claims;
	#[runtime::pallet_index(47)]
	pub type Rewards = pallet_rewards;
}
