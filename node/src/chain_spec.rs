//! Chain specifications of MedChain.
//!
//! The built-in chains are thin wrappers around the runtime's genesis presets: the runtime
//! decides who the validators, the endowed accounts and the sudo key are, the node only names
//! the chain and attaches the token properties.

use polkadot_sdk::*;

use sc_service::{ChainType, Properties};
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};

/// The chain specification type of MedChain (no client extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token properties shown by wallets and explorers: symbol, decimals and SS58 prefix, all taken
/// from the runtime so that node and runtime can never disagree.
pub fn chain_properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), medchain_runtime::TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), medchain_runtime::TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), medchain_runtime::SS58_PREFIX.into());
	properties
}

/// The runtime Wasm blob embedded in the node, or an error when the node was built with
/// `SKIP_WASM_BUILD`.
fn wasm_binary() -> Result<&'static [u8], String> {
	medchain_runtime::WASM_BINARY.ok_or_else(|| {
		"The MedChain runtime Wasm binary is not available: the node was built without it \
		 (SKIP_WASM_BUILD set?). Rebuild without SKIP_WASM_BUILD to use the built-in chains."
			.to_string()
	})
}

/// A single-validator development chain (`--dev`, `--chain dev`), built from the runtime's
/// `development` genesis preset.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, Default::default())
		.with_name("MedChain Development")
		.with_id("medchain_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(DEV_RUNTIME_PRESET)
		.with_properties(chain_properties())
		.build())
}

/// A consortium's production-style chain (`--chain production`), built from the runtime's
/// `production` genesis preset: no sudo, the council of health authorities set at genesis. Its
/// keys are the well-known dev keys; a real deployment exports it with `build-spec` and replaces
/// them (docs/governance.md).
pub fn production_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, Default::default())
		.with_name("MedChain")
		.with_id("medchain")
		.with_chain_type(ChainType::Live)
		.with_genesis_config_preset_name(
			medchain_runtime::genesis_config_presets::PRODUCTION_PRESET,
		)
		.with_properties(chain_properties())
		.build())
}

/// A multi-validator local testnet (`--chain local`), built from the runtime's
/// `local_testnet` genesis preset.
pub fn local_testnet_chain_spec() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, Default::default())
		.with_name("MedChain Local Testnet")
		.with_id("medchain_local_testnet")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(LOCAL_TESTNET_RUNTIME_PRESET)
		.with_properties(chain_properties())
		.build())
}
