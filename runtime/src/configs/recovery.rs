//! Accounts that survive a lost key: social recovery (`pallet-recovery`).
//!
//! A patient names, while they still hold their key, one or more groups of friends or guardians,
//! how many of each group must agree, after how long, and the account that takes over (their
//! recovery account: a key kept offline, see `medchain recovery setup`). When the key is lost, a
//! friend opens an attempt (holding a security deposit the patient can slash if the attempt is
//! hostile), the others approve, and after the delay the recovery account controls the patient's
//! account through `recovery.control_inherited_account`.
//!
//! Once recovered, the old key can no longer sign anything (`RecoveredAccounts`, checked by the
//! fee extension of `pallet-free-calls`): a thief holding it cannot act as the patient, and the
//! patient acts through the recovery account only. The patient's records, consent and trial
//! enrolments stay where they are, on the same account.
//!
//! Storage deposits: a patient's friend groups, an attempt and an inheritor cost no deposit
//! (patients hold no funds, docs/governance.md); what bounds them is the friend groups' fixed size
//! (ten groups of at most [`MaxFriendsPerConfig`] friends), one attempt per group, and the
//! initiator's security deposit.

use crate::{AccountId, Balance, Balances, Runtime, RuntimeCall, RuntimeHoldReason, System, UNIT};
use polkadot_sdk::{
	frame_support::{parameter_types, traits::Contains},
	*,
};

parameter_types! {
	/// What a friend who opens a recovery attempt holds until it ends; lost (burnt) if the
	/// patient, still holding their key, slashes the attempt as hostile.
	pub const RecoverySecurityDeposit: Balance = UNIT;
	/// Friends per group (a group needs at least one; `friends_needed` of them must approve).
	/// Never lowered: stored groups are bounded by it.
	pub const MaxFriendsPerConfig: u32 = 9;
}

impl pallet_recovery::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RuntimeHoldReason = RuntimeHoldReason;
	type BlockNumberProvider = System;
	type Currency = Balances;
	type FriendGroupsConsideration = ();
	type AttemptConsideration = ();
	type InheritorConsideration = ();
	type SecurityDeposit = RecoverySecurityDeposit;
	// A slashed deposit is burnt.
	type Slash = ();
	type MaxFriendsPerConfig = MaxFriendsPerConfig;
	type WeightInfo = crate::weights::pallet_recovery::WeightInfo<Runtime>;
}

/// Accounts recovered by their friends, whose own key may no longer sign a transaction: they act
/// only through their inheritor (`recovery.control_inherited_account`).
pub struct RecoveredAccounts;

impl Contains<AccountId> for RecoveredAccounts {
	fn contains(who: &AccountId) -> bool {
		pallet_recovery::Inheritor::<Runtime>::contains_key(who)
	}
}
