//! Governance without sudo: a council of the consortium's health authorities decides.
//!
//! - The council (`pallet-collective`) votes on motions; its members are kept by
//!   `CouncilMembership` (`pallet-membership`), which only the council itself (two thirds) or root
//!   changes.
//! - A majority of the council is the directory's registrar, reviews emergency accesses (besides
//!   each organisation's privacy officers) and administers staking.
//! - Anything only root may do (a runtime upgrade, a system parameter) passes through
//!   `Whitelist`: a motion of two thirds of the council whitelists the call and dispatches it as
//!   root, in one motion (`utility.batch_all([whitelist_call, dispatch_whitelisted_call_with_preimage])`)
//!   or two. An upgrade is best whitelisted as `system.authorize_upgrade(code_hash)`, after which
//!   anyone may apply the authorised code (`system.apply_authorized_upgrade`); the motion stays
//!   small.
//!
//! Root (sudo) remains an origin for every one of these, so the development preset's sudo key
//! still works; the `production` preset has no sudo key, so there only the council acts.
//! `docs/governance.md` describes who can do what.

use super::RuntimeBlockWeights;
use crate::{
	AccountId, Balance, Balances, BlockNumber, Council, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeHoldReason, RuntimeOrigin, System, DAYS, MILLI_UNIT,
};
use polkadot_sdk::{
	frame_support::{
		parameter_types,
		traits::{fungible::HoldConsideration, EitherOfDiverse, LinearStoragePrice},
		weights::Weight,
	},
	frame_system::EnsureRoot,
	sp_runtime::Perbill,
	*,
};

/// The council's instance of `pallet-collective`.
pub type CouncilCollective = pallet_collective::Instance1;
/// The council membership's instance of `pallet-membership`.
pub type CouncilMembershipInstance = pallet_membership::Instance1;

/// More than half of the council, by motion.
pub type CouncilMajority =
	pallet_collective::EnsureProportionMoreThan<AccountId, CouncilCollective, 1, 2>;
/// At least two thirds of the council, by motion.
pub type CouncilTwoThirds =
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>;
/// Root (sudo on a dev chain, a whitelisted dispatch elsewhere) or a council majority: the
/// registrar, the emergency reviewer of last resort and the staking administrator.
pub type RootOrCouncilMajority = EitherOfDiverse<EnsureRoot<AccountId>, CouncilMajority>;
/// Root or two thirds of the council: changes to the council itself, and whitelisting calls
/// dispatched as root.
pub type RootOrCouncilTwoThirds = EitherOfDiverse<EnsureRoot<AccountId>, CouncilTwoThirds>;

/// The largest council the weights are benchmarked for.
pub const COUNCIL_MAX_MEMBERS: u32 = 32;

parameter_types! {
	/// A motion not closed within this time is closed by anyone and counts the absent as the
	/// prime member votes (or as nays without a prime).
	pub const CouncilMotionDuration: BlockNumber = 5 * DAYS;
	/// Open motions at once.
	pub const CouncilMaxProposals: u32 = 64;
	/// The largest call a motion may execute: half a block.
	pub MaxCouncilProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = polkadot_sdk::frame_support::traits::ConstU32<COUNCIL_MAX_MEMBERS>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	// Members change only through `CouncilMembership`.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = RootOrCouncilTwoThirds;
	type KillOrigin = RootOrCouncilTwoThirds;
	// Members are vetted health authorities: proposing holds no deposit.
	type Consideration = ();
}

impl pallet_membership::Config<CouncilMembershipInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = RootOrCouncilTwoThirds;
	type RemoveOrigin = RootOrCouncilTwoThirds;
	type SwapOrigin = RootOrCouncilTwoThirds;
	type ResetOrigin = RootOrCouncilTwoThirds;
	type PrimeOrigin = RootOrCouncilTwoThirds;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = polkadot_sdk::frame_support::traits::ConstU32<COUNCIL_MAX_MEMBERS>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Held for noting a preimage: a base …
	pub const PreimageBaseDeposit: Balance = 100 * MILLI_UNIT;
	/// … plus this much per byte.
	pub const PreimageByteDeposit: Balance = MILLI_UNIT / 100;
	/// The hold reason of preimage deposits.
	pub const PreimageHoldReason: RuntimeHoldReason =
		RuntimeHoldReason::Preimage(pallet_preimage::HoldReason::Preimage);
}

impl pallet_preimage::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = pallet_preimage::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	type ManagerOrigin = RootOrCouncilMajority;
	type Consideration = HoldConsideration<
		AccountId,
		Balances,
		PreimageHoldReason,
		LinearStoragePrice<PreimageBaseDeposit, PreimageByteDeposit, Balance>,
	>;
}

parameter_types! {
	/// A deferred whitelisted dispatch is dropped after this many blocks.
	pub const WhitelistDeferredDispatchExpiration: BlockNumber = 7 * DAYS;
}

impl pallet_whitelist::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WhitelistOrigin = RootOrCouncilTwoThirds;
	type DispatchWhitelistedOrigin = RootOrCouncilTwoThirds;
	type Preimages = crate::Preimage;
	type DeferredDispatchExpiration = WhitelistDeferredDispatchExpiration;
	type BlockNumberProvider = System;
	type WeightInfo = pallet_whitelist::weights::SubstrateWeight<Runtime>;
}
