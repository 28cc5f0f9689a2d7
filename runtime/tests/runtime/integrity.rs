//! The runtime's own integrity checks, and the constants wallets and the node rely on.

use crate::common::new_ext;
use medchain_runtime::{
	genesis_config_presets::DEVELOPMENT_PRESET, AllPalletsWithSystem, Runtime, SLOT_DURATION,
	SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, VERSION,
};
use polkadot_sdk::{
	frame_support::traits::{Get, IntegrityTest},
	frame_system, pallet_timestamp,
};

#[test]
fn every_pallet_passes_its_integrity_test() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		<AllPalletsWithSystem as IntegrityTest>::integrity_test();
	});
}

#[test]
fn block_weights_and_slot_timing_are_consistent() {
	// `build_or_panic` would have panicked on inconsistent limits; check the values used.
	let weights = <Runtime as frame_system::Config>::BlockWeights::get();
	assert!(weights.max_block.ref_time() > 0);
	let normal = weights.get(polkadot_sdk::frame_support::dispatch::DispatchClass::Normal);
	let normal_max = normal.max_total.expect("normal class is limited");
	assert!(normal_max.all_lt(weights.max_block), "operational space is reserved");
	// Timestamp accepts one block per half slot at the earliest, as BABE requires.
	let min_period: u64 = <Runtime as pallet_timestamp::Config>::MinimumPeriod::get();
	assert_eq!(min_period * 2, SLOT_DURATION);
	assert_eq!(SLOT_DURATION, 6000);
}

#[test]
fn chain_identity_constants() {
	assert_eq!(VERSION.spec_name, "medchain");
	assert_eq!(TOKEN_SYMBOL, "MED");
	assert_eq!(TOKEN_DECIMALS, 12);
	assert_eq!(<Runtime as frame_system::Config>::SS58Prefix::get(), SS58_PREFIX);
}
