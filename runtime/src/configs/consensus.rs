//! Block production (BABE), finality (GRANDPA), sessions, NPoS staking and offences.
//!
//! Equivocations are reported by the node's offchain workers as unsigned transactions, checked by
//! BABE or GRANDPA against a historical session proof, turned into an offence by pallet-offences
//! and into a (deferred) slash by pallet-staking.

use crate::{
	AccountId, Babe, Balance, Balances, Historical, Offences, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeHoldReason, Session, SessionKeys, Staking, Timestamp, UncheckedExtrinsic, DAYS,
	EPOCH_DURATION_IN_SLOTS, HOURS, MILLI_SECS_PER_BLOCK,
};
use polkadot_sdk::{
	frame_election_provider_support::{
		bounds::{ElectionBounds, ElectionBoundsBuilder},
		onchain, SequentialPhragmen,
	},
	frame_support::{
		parameter_types,
		traits::{ConstU32, KeyOwnerProofSystem},
	},
	sp_core::crypto::KeyTypeId,
	sp_runtime::{curve::PiecewiseLinear, traits::OpaqueKeys, Perbill},
	*,
};

/// The most validators (and so BABE/GRANDPA authorities) the chain supports.
pub const MAX_AUTHORITIES: u32 = 100;
/// The most nominators backing one validator that an equivocation proof has to account for.
pub const MAX_NOMINATORS: u32 = 256;

parameter_types! {
	/// A BABE epoch (= a session) in slots.
	pub const EpochDuration: u64 = EPOCH_DURATION_IN_SLOTS;
	/// The expected time between blocks.
	pub const ExpectedBlockTime: u64 = MILLI_SECS_PER_BLOCK;
	/// How long an equivocation report stays valid in the transaction pool: a whole era.
	pub const ReportLongevity: u64 =
		(BondingDuration::get() as u64)
			.saturating_mul(SessionsPerEra::get() as u64)
			.saturating_mul(EpochDuration::get());
}

impl pallet_babe::Config for Runtime {
	type EpochDuration = EpochDuration;
	type ExpectedBlockTime = ExpectedBlockTime;
	// Epochs change with sessions (pallet-session drives both).
	type EpochChangeTrigger = pallet_babe::ExternalTrigger;
	type DisabledValidators = Session;
	type WeightInfo = crate::weights::consensus::BabeWeights<Runtime>;
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<MAX_NOMINATORS>;
	type KeyOwnerProof =
		<Historical as KeyOwnerProofSystem<(KeyTypeId, pallet_babe::AuthorityId)>>::Proof;
	type EquivocationReportSystem =
		pallet_babe::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

parameter_types! {
	/// GRANDPA keeps the session of each of this many set ids, to check old equivocations.
	pub const MaxSetIdSessionEntries: u32 =
		BondingDuration::get().saturating_mul(SessionsPerEra::get());
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = crate::weights::consensus::GrandpaWeights<Runtime>;
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<MAX_NOMINATORS>;
	type MaxSetIdSessionEntries = MaxSetIdSessionEntries;
	type KeyOwnerProof = <Historical as KeyOwnerProofSystem<(KeyTypeId, GrandpaId)>>::Proof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

use pallet_grandpa::AuthorityId as GrandpaId;

impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Babe>;
	type EventHandler = Staking;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	// A validator is known by its stash account (stash = controller since staking v13).
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;
	type ShouldEndSession = Babe;
	type NextSessionRotation = Babe;
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<Self, Staking>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	// Disable an offending validator for the rest of the era, up to a third of the set.
	type DisablingStrategy = pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy;
	// The SDK's measured weights, with this runtime's database weights: the session benchmarks
	// need staking's benchmark setup, which this runtime does not build (docs/performance.md).
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	// Setting keys costs only the transaction fee; validators are already bonded.
	type KeyDeposit = ();
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = pallet_staking::UnitIdentificationOf<Self>;
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = Staking;
}

pallet_staking_reward_curve::build! {
	// Yearly inflation between 2.5% and 10%, highest when half the issuance is staked.
	const REWARD_CURVE: PiecewiseLinear<'static> = curve!(
		min_inflation: 0_025_000,
		max_inflation: 0_100_000,
		ideal_stake: 0_500_000,
		falloff: 0_050_000,
		max_piece_count: 40,
		test_precision: 0_005_000,
	);
}

parameter_types! {
	/// Six sessions (one hour) per era.
	pub const SessionsPerEra: sp_staking::SessionIndex = 6;
	/// Unbonded funds stay locked for 7 days (168 one-hour eras).
	pub const BondingDuration: sp_staking::EraIndex = (7 * DAYS / HOURS) as sp_staking::EraIndex;
	/// Slashes are applied one day after the offence, so governance can cancel a wrong one.
	pub const SlashDeferDuration: sp_staking::EraIndex = (DAYS / HOURS) as sp_staking::EraIndex;
	/// The staking reward curve.
	pub const RewardCurve: &'static PiecewiseLinear<'static> = &REWARD_CURVE;
	/// The most voters and targets an on-chain election reads.
	pub ElectionBoundsOnChain: ElectionBounds = ElectionBoundsBuilder::default()
		.voters_count(5_000.into())
		.targets_count(1_250.into())
		.build();
	/// Eras of staking history kept.
	pub const HistoryDepth: u32 = 84;
}

/// The on-chain NPoS election (sequential Phragmén), run at each era change.
pub struct OnChainSeqPhragmen;
impl onchain::Config for OnChainSeqPhragmen {
	type System = Runtime;
	type Solver = SequentialPhragmen<AccountId, Perbill>;
	type DataProvider = Staking;
	type WeightInfo = frame_election_provider_support::weights::SubstrateWeight<Runtime>;
	type MaxBackersPerWinner = ConstU32<MAX_NOMINATORS>;
	type MaxWinnersPerPage = ConstU32<MAX_AUTHORITIES>;
	type Bounds = ElectionBoundsOnChain;
	type Sort = polkadot_sdk::frame_support::traits::ConstBool<true>;
}

/// Sizes pallet-staking's benchmarks run with.
pub struct StakingBenchmarkingConfig;
impl pallet_staking::BenchmarkingConfig for StakingBenchmarkingConfig {
	type MaxValidators = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<1000>;
}

impl pallet_staking::Config for Runtime {
	type OldCurrency = Balances;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CurrencyBalance = Balance;
	type UnixTime = Timestamp;
	type CurrencyToVote = sp_staking::currency_to_vote::U128CurrencyToVote;
	type ElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen>;
	type GenesisElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen>;
	type NominationsQuota = pallet_staking::FixedNominationsQuota<16>;
	type HistoryDepth = HistoryDepth;
	// Burn what is not paid out, slashed funds and the remainder of rewards (no treasury yet).
	type RewardRemainder = ();
	type RuntimeEvent = RuntimeEvent;
	type Slash = ();
	type Reward = ();
	type SessionsPerEra = SessionsPerEra;
	type BondingDuration = BondingDuration;
	type SlashDeferDuration = SlashDeferDuration;
	// Root or a council majority sets validator counts, invulnerables and slashes to cancel.
	type AdminOrigin = super::governance::RootOrCouncilMajority;
	type SessionInterface = Self;
	type EraPayout = pallet_staking::ConvertCurve<RewardCurve>;
	type NextNewSession = Session;
	type MaxExposurePageSize = ConstU32<256>;
	type MaxValidatorSet = ConstU32<MAX_AUTHORITIES>;
	type VoterList = pallet_staking::UseNominatorsAndValidatorsMap<Self>;
	type TargetList = pallet_staking::UseValidatorsMap<Self>;
	type MaxUnlockingChunks = ConstU32<32>;
	type MaxControllersInDeprecationBatch = ConstU32<100>;
	type EventListeners = ();
	type Filter = polkadot_sdk::frame_support::traits::Nothing;
	type BenchmarkingConfig = StakingBenchmarkingConfig;
	type WeightInfo = pallet_staking::weights::SubstrateWeight<Runtime>;
}

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type RuntimeCall = RuntimeCall;
	type Extrinsic = UncheckedExtrinsic;
}

impl<LocalCall> frame_system::offchain::CreateBare<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}
