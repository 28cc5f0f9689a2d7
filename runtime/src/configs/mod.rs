//! Pallet configurations, grouped by domain: `consensus` holds block production, finality,
//! sessions, staking and offences; this file holds accounts, fees and utilities.

pub mod consensus;
pub mod free_calls;
pub mod governance;
pub mod healthcare;
pub mod recovery;

use crate::{
	AccountId, Balance, Balances, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask,
	System, EXISTENTIAL_DEPOSIT, MICRO_UNIT, MILLI_UNIT, SLOT_DURATION, SS58_PREFIX, VERSION,
};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use polkadot_sdk::{
	frame_support::{
		derive_impl,
		dispatch::DispatchClass,
		parameter_types,
		traits::{ConstU128, ConstU32, ConstU64, ConstU8, InstanceFilter, VariantCountOf},
		weights::{constants::WEIGHT_REF_TIME_PER_SECOND, IdentityFee, Weight},
	},
	frame_system::limits::{BlockLength, BlockWeights},
	pallet_transaction_payment::{FungibleAdapter, Multiplier, TargetedFeeAdjustment},
	sp_runtime::{traits::Bounded, FixedPointNumber, Perbill, Perquintill},
	*,
};
use scale_info::TypeInfo;

/// Up to 10% of a block's weight may be used by `on_initialize`.
const AVERAGE_ON_INITIALIZE_RATIO: Perbill = Perbill::from_percent(10);
/// 75% of a block's weight is available to normal transactions; the rest is kept for operational
/// ones (such as equivocation reports).
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Two seconds of compute per block: a third of the 6 s slot for the author to build it, a
/// third for every other validator to import it (re-executing it all), a third for the network.
///
/// No bound on the proof-size dimension: it bounds the storage proof a parachain ships to its
/// relay chain (5 MiB of PoV), and a standalone chain produces none. The state a block may touch
/// is bounded by time all the same: every read and write is charged in compute (the database
/// weights, `crate::weights::paritydb_weights`). With a bound, the worst-case estimates (each
/// item's maximum encoded size, 16 KB per transfer) filled blocks before their time did
/// (docs/performance.md).
const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2), u64::MAX);

/// At most 5 MiB of extrinsics in a block: what gossip and every validator's import carry
/// each 6 s slot (a transfer is about 150 bytes, a record anchor about 500, so the time budget,
/// not the length, fills first).
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	/// Hashes of this many recent blocks are kept (`BlockHashCount`).
	pub const BlockHashCount: BlockNumber = 2400;
	/// The runtime version, for `CheckSpecVersion`/`CheckTxVersion`.
	pub const Version: sp_version::RuntimeVersion = VERSION;
	/// The block weight limits per dispatch class.
	/// The base weights are measured on this runtime (`benchmark overhead`,
	/// `crate::weights`).
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(crate::weights::block_weights::BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |class| {
			class.base_extrinsic = crate::weights::extrinsic_weights::ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |weights| {
			weights.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |weights| {
			weights.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			weights.reserved = Some(
				MAXIMUM_BLOCK_WEIGHT.saturating_sub(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT),
			);
		})
		.avg_block_initialization(AVERAGE_ON_INITIALIZE_RATIO)
		.build_or_panic();
	/// At most 5 MiB of extrinsics per block, 75% of it for normal ones.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAX_BLOCK_LENGTH)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * MAX_BLOCK_LENGTH
		})
		.build();
	/// The SS58 prefix of addresses.
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	// The node's database, ParityDB, measured (`benchmark storage`, `crate::weights`).
	type DbWeight = crate::weights::paritydb_weights::ParityDbWeight;
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	// The transaction extensions every signed transaction runs (nonce, era, weight, versions),
	// measured with the node's database weights: the SDK's defaults charge RocksDB's, four to
	// ten times ParityDB's.
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = crate::Moment;
	type OnTimestampSet = crate::Babe;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_balances::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type Balance = Balance;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type ReserveIdentifier = [u8; 8];
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Fee multiplier target: blocks a quarter full keep fees steady.
	pub const TargetBlockFullness: Perquintill = Perquintill::from_percent(25);
	/// How fast the fee multiplier adjusts.
	pub AdjustmentVariable: Multiplier = Multiplier::saturating_from_rational(75, 1_000_000);
	/// The fee multiplier never falls below this.
	pub MinimumMultiplier: Multiplier = Multiplier::saturating_from_rational(1, 10u128);
	/// Nor rises above this.
	pub MaximumMultiplier: Multiplier = Bounded::max_value();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = TargetedFeeAdjustment<
		Self,
		TargetBlockFullness,
		AdjustmentVariable,
		MinimumMultiplier,
		MaximumMultiplier,
	>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = crate::OriginCaller;
	type WeightInfo = crate::weights::pallet_utility::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = crate::weights::pallet_sudo::WeightInfo<Runtime>;
}

/// What a proxy may do for the account that appointed it. A guardian acting for a patient is a
/// `Healthcare` proxy, limited to the patient's healthcare calls.
#[derive(
	Copy,
	Clone,
	Eq,
	PartialEq,
	Ord,
	PartialOrd,
	Encode,
	Decode,
	DecodeWithMemTracking,
	Debug,
	MaxEncodedLen,
	TypeInfo,
	Default,
)]
pub enum ProxyType {
	/// Every call.
	#[default]
	Any,
	/// Every call but balance transfers.
	NonTransfer,
	/// Staking and session-key calls, for a validator's operator.
	Staking,
	/// A patient's guardian (a parent, a carer): the patient's own healthcare calls only (the
	/// directory, records, consent and clinical trials, and batches of them); no transfers, no
	/// proxy or recovery changes (security review L5).
	Healthcare,
}

impl InstanceFilter<RuntimeCall> for ProxyType {
	fn filter(&self, c: &RuntimeCall) -> bool {
		match self {
			ProxyType::Any => true,
			ProxyType::NonTransfer => !matches!(c, RuntimeCall::Balances(..)),
			ProxyType::Staking => {
				matches!(
					c,
					RuntimeCall::Staking(..) | RuntimeCall::Session(..) | RuntimeCall::Utility(..)
				)
			},
			ProxyType::Healthcare => matches!(
				c,
				RuntimeCall::Directory(..)
					| RuntimeCall::MedicalRecords(..)
					| RuntimeCall::Consent(..)
					| RuntimeCall::ClinicalTrials(..)
					| RuntimeCall::Utility(..)
			),
		}
	}
	fn is_superset(&self, o: &Self) -> bool {
		match (self, o) {
			(x, y) if x == y => true,
			(ProxyType::Any, _) => true,
			(_, ProxyType::Any) => false,
			(ProxyType::NonTransfer, _) => true,
			_ => false,
		}
	}
}

parameter_types! {
	/// Deposit for having proxies: base plus a factor per proxy.
	pub const ProxyDepositBase: Balance = 10 * MILLI_UNIT;
	/// Deposit per proxy.
	pub const ProxyDepositFactor: Balance = 330 * MICRO_UNIT;
	/// Deposit for announcing a time-delayed proxy call: base.
	pub const AnnouncementDepositBase: Balance = 10 * MILLI_UNIT;
	/// Deposit per announcement.
	pub const AnnouncementDepositFactor: Balance = 660 * MICRO_UNIT;
}

impl pallet_proxy::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type ProxyType = ProxyType;
	type ProxyDepositBase = ProxyDepositBase;
	type ProxyDepositFactor = ProxyDepositFactor;
	type MaxProxies = ConstU32<32>;
	type WeightInfo = crate::weights::pallet_proxy::WeightInfo<Runtime>;
	type MaxPending = ConstU32<32>;
	type CallHasher = polkadot_sdk::sp_runtime::traits::BlakeTwo256;
	type AnnouncementDepositBase = AnnouncementDepositBase;
	type AnnouncementDepositFactor = AnnouncementDepositFactor;
	type BlockNumberProvider = System;
}
