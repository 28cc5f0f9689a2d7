//! Genesis presets: `development` (one validator, Alice; Alice is sudo), `local_testnet` (four
//! validators: Alice, Bob, Charlie and Dave) and `production` (the same four validators, no sudo,
//! no endowed bystanders: a template a consortium copies with its own keys). Only `development`
//! has a sudo key; everywhere the council of health authorities (`CouncilMembership`) governs
//! (docs/governance.md). The node picks a preset by name; nothing about genesis lives in the node.
//!
//! Every validator is its own stash and controller, bonded with [`VALIDATOR_BOND`], and has BABE
//! and GRANDPA session keys derived from its well-known dev seed (`//Alice` …), which is what
//! `medchain-node --alice` (or `--bob` …) puts in the node's keystore.

use crate::{
	AccountId, BabeConfig, Balance, BalancesConfig, CouncilMembershipConfig, RuntimeGenesisConfig,
	SessionConfig, SessionKeys, StakingConfig, SudoConfig, BABE_GENESIS_EPOCH_CONFIG, UNIT,
};
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	frame_support::{build_struct_json_patch, BoundedVec},
	sp_consensus_babe::AuthorityId as BabeId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	sp_runtime::{Perbill, SaturatedConversion},
	sp_staking::StakerStatus,
};
use serde_json::Value;

/// The `development` preset's name.
pub const DEVELOPMENT_PRESET: &str = sp_genesis_builder::DEV_RUNTIME_PRESET;
/// The `local_testnet` preset's name.
pub const LOCAL_TESTNET_PRESET: &str = sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;
/// The `production` preset's name: no sudo, the council set at genesis.
pub const PRODUCTION_PRESET: &str = "production";

/// What each endowed dev account starts with.
pub const ENDOWMENT: Balance = 1_000_000 * UNIT;
/// What each genesis validator bonds.
pub const VALIDATOR_BOND: Balance = 100_000 * UNIT;

/// A genesis validator: its stash account and its session keys.
#[derive(Clone)]
pub struct GenesisValidator {
	/// Stash (and controller) account.
	pub stash: AccountId,
	/// BABE authoring key.
	pub babe: BabeId,
	/// GRANDPA finality key.
	pub grandpa: GrandpaId,
}

impl GenesisValidator {
	/// The validator derived from a well-known dev seed: the sr25519 key for the account and BABE,
	/// the ed25519 key of the same seed for GRANDPA.
	pub fn dev(sr: Sr25519Keyring, ed: Ed25519Keyring) -> Self {
		Self { stash: sr.to_account_id(), babe: sr.public().into(), grandpa: ed.public().into() }
	}

	fn session_keys(&self) -> SessionKeys {
		SessionKeys { babe: self.babe.clone(), grandpa: self.grandpa.clone() }
	}
}

/// Who governs a chain from genesis.
pub struct GenesisGovernance {
	/// The council of health authorities (at most
	/// [`COUNCIL_MAX_MEMBERS`](crate::configs::governance::COUNCIL_MAX_MEMBERS)).
	pub council: Vec<AccountId>,
	/// The sudo key, in the development preset only.
	pub sudo: Option<AccountId>,
}

/// The genesis state for the given validators, endowed accounts and governance.
pub fn medchain_genesis(
	validators: Vec<GenesisValidator>,
	endowed: Vec<AccountId>,
	governance: GenesisGovernance,
	invulnerables: Vec<AccountId>,
) -> Value {
	let validator_count: u32 = validators.len().saturated_into();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.iter().cloned().map(|account| (account, ENDOWMENT)).collect(),
		},
		babe: BabeConfig { epoch_config: BABE_GENESIS_EPOCH_CONFIG },
		session: SessionConfig {
			keys: validators
				.iter()
				.map(|v| (v.stash.clone(), v.stash.clone(), v.session_keys()))
				.collect::<Vec<_>>(),
		},
		staking: StakingConfig {
			validator_count,
			minimum_validator_count: 1,
			invulnerables,
			slash_reward_fraction: Perbill::from_percent(10),
			stakers: validators
				.iter()
				.map(|v| (
					v.stash.clone(),
					v.stash.clone(),
					VALIDATOR_BOND,
					StakerStatus::Validator
				))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: governance.sudo },
		council_membership: CouncilMembershipConfig {
			// The presets' councils are far below the bound (the genesis tests check them whole).
			members: BoundedVec::truncate_from(governance.council),
		},
	})
}

/// The well-known dev accounts that start with funds.
fn dev_endowed() -> Vec<AccountId> {
	Sr25519Keyring::iter().map(|k| k.to_account_id()).collect()
}

/// The council of the dev and test presets: Alice, Bob and Charlie stand for three health
/// authorities, so a majority is two of them.
pub fn dev_council() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.iter()
		.map(|k| k.to_account_id())
		.collect()
}

/// Alice, Bob, Charlie and Dave as validators.
fn four_validators() -> Vec<GenesisValidator> {
	vec![
		GenesisValidator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		GenesisValidator::dev(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		GenesisValidator::dev(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		GenesisValidator::dev(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
	]
}

/// `development`: Alice alone validates (and is invulnerable, so a lone dev chain never slashes
/// itself to a halt); Alice is sudo, beside the council.
pub fn development_config_genesis() -> Value {
	medchain_genesis(
		vec![GenesisValidator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_endowed(),
		GenesisGovernance {
			council: dev_council(),
			sudo: Some(Sr25519Keyring::Alice.to_account_id()),
		},
		vec![Sr25519Keyring::Alice.to_account_id()],
	)
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate, none invulnerable; no sudo, the
/// council governs.
pub fn local_testnet_genesis() -> Value {
	medchain_genesis(
		four_validators(),
		dev_endowed(),
		GenesisGovernance { council: dev_council(), sudo: None },
		vec![],
	)
}

/// `production`: a template for a consortium's chain. Four validators, the council of health
/// authorities, no sudo; only validators and council members hold funds. A real deployment
/// exports it (`medchain-node build-spec --chain production`) and replaces the well-known keys
/// with its own (docs/governance.md).
pub fn production_genesis() -> Value {
	let validators = four_validators();
	let council = dev_council();
	let mut endowed: Vec<AccountId> = validators.iter().map(|v| v.stash.clone()).collect();
	for member in &council {
		if !endowed.contains(member) {
			endowed.push(member.clone());
		}
	}
	medchain_genesis(validators, endowed, GenesisGovernance { council, sudo: None }, vec![])
}

/// The JSON patch of the preset `id`, if it exists.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEVELOPMENT_PRESET => development_config_genesis(),
		LOCAL_TESTNET_PRESET => local_testnet_genesis(),
		PRODUCTION_PRESET => production_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets this runtime has.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(DEVELOPMENT_PRESET),
		PresetId::from(LOCAL_TESTNET_PRESET),
		PresetId::from(PRODUCTION_PRESET),
	]
}
