//! Genesis presets: `development` (one validator, Alice) and `local_testnet` (four validators:
//! Alice, Bob, Charlie and Dave). The node picks one by name; nothing about genesis lives in the node.
//!
//! Every validator is its own stash and controller, bonded with [`VALIDATOR_BOND`], and has BABE
//! and GRANDPA session keys derived from its well-known dev seed (`//Alice` …), which is what
//! `medchain-node --alice` (or `--bob` …) puts in the node's keystore.

use crate::{
	AccountId, BabeConfig, Balance, BalancesConfig, RuntimeGenesisConfig, SessionConfig,
	SessionKeys, StakingConfig, SudoConfig, BABE_GENESIS_EPOCH_CONFIG, UNIT,
};
use alloc::{vec, vec::Vec};
use polkadot_sdk::{
	frame_support::build_struct_json_patch,
	sp_consensus_babe::AuthorityId as BabeId,
	sp_consensus_grandpa::AuthorityId as GrandpaId,
	sp_genesis_builder::{self, PresetId},
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	sp_runtime::Perbill,
	sp_staking::StakerStatus,
};
use serde_json::Value;

/// The `development` preset's name.
pub const DEVELOPMENT_PRESET: &str = sp_genesis_builder::DEV_RUNTIME_PRESET;
/// The `local_testnet` preset's name.
pub const LOCAL_TESTNET_PRESET: &str = sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;

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

/// The genesis state for the given validators, endowed accounts and sudo key.
pub fn medchain_genesis(
	validators: Vec<GenesisValidator>,
	endowed: Vec<AccountId>,
	root: AccountId,
	invulnerables: Vec<AccountId>,
) -> Value {
	let validator_count = validators.len() as u32;
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
		sudo: SudoConfig { key: Some(root) },
	})
}

/// The well-known dev accounts that start with funds.
fn dev_endowed() -> Vec<AccountId> {
	Sr25519Keyring::iter().map(|k| k.to_account_id()).collect()
}

/// `development`: Alice alone validates (and is invulnerable, so a lone dev chain never slashes
/// itself to a halt); Alice is sudo.
pub fn development_config_genesis() -> Value {
	medchain_genesis(
		vec![GenesisValidator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_endowed(),
		Sr25519Keyring::Alice.to_account_id(),
		vec![Sr25519Keyring::Alice.to_account_id()],
	)
}

/// `local_testnet`: Alice, Bob, Charlie and Dave validate, none invulnerable; Alice is sudo.
pub fn local_testnet_genesis() -> Value {
	medchain_genesis(
		vec![
			GenesisValidator::dev(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			GenesisValidator::dev(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			GenesisValidator::dev(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			GenesisValidator::dev(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_endowed(),
		Sr25519Keyring::Alice.to_account_id(),
		vec![],
	)
}

/// The JSON patch of the preset `id`, if it exists.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEVELOPMENT_PRESET => development_config_genesis(),
		LOCAL_TESTNET_PRESET => local_testnet_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets this runtime has.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEVELOPMENT_PRESET), PresetId::from(LOCAL_TESTNET_PRESET)]
}
