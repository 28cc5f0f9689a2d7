//! Each genesis preset builds and has the expected validators, stakes and session keys.

use crate::common::new_ext;
use medchain_runtime::{
	genesis_config_presets::{
		preset_names, DEVELOPMENT_PRESET, ENDOWMENT, LOCAL_TESTNET_PRESET, PRODUCTION_PRESET,
		VALIDATOR_BOND,
	},
	AccountId, Babe, Balances, Grandpa, Runtime, SessionKeys, Staking,
};
use polkadot_sdk::{
	frame_support::traits::fungible::Inspect,
	pallet_session, pallet_staking,
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
};

/// The stash accounts and keys a preset should have, in order.
fn expected(validators: &[(Sr25519Keyring, Ed25519Keyring)]) -> Vec<(AccountId, SessionKeys)> {
	validators
		.iter()
		.map(|(sr, ed)| {
			(
				sr.to_account_id(),
				SessionKeys { babe: sr.public().into(), grandpa: ed.public().into() },
			)
		})
		.collect()
}

fn check_preset(name: &str, validators: &[(Sr25519Keyring, Ed25519Keyring)]) {
	let expected = expected(validators);
	new_ext(name).execute_with(|| {
		let stashes: Vec<AccountId> = expected.iter().map(|(a, _)| a.clone()).collect();

		// The session's validator set is exactly the preset's validators (in election order).
		let session_validators = pallet_session::Validators::<Runtime>::get();
		let mut sorted = session_validators.clone();
		sorted.sort();
		let mut expected_sorted = stashes.clone();
		expected_sorted.sort();
		assert_eq!(sorted, expected_sorted, "{name}: validators");
		let keys_in_session_order: Vec<SessionKeys> = session_validators
			.iter()
			.map(|v| expected.iter().find(|(a, _)| a == v).expect("known validator").1.clone())
			.collect();

		for (stash, keys) in &expected {
			// Session keys as derived from the dev seed, also known to the key-owner index.
			assert_eq!(
				pallet_session::NextKeys::<Runtime>::get(stash).as_ref(),
				Some(keys),
				"{name}: session keys"
			);
			// Bonded as a validator with the preset's stake, held from its free balance.
			assert_eq!(pallet_staking::Bonded::<Runtime>::get(stash).as_ref(), Some(stash));
			let ledger = pallet_staking::Ledger::<Runtime>::get(stash).expect("ledger exists");
			assert_eq!(ledger.total, VALIDATOR_BOND, "{name}: total stake");
			assert_eq!(ledger.active, VALIDATOR_BOND, "{name}: active stake");
			assert!(pallet_staking::Validators::<Runtime>::contains_key(stash));
			assert_eq!(<Balances as Inspect<AccountId>>::total_balance(stash), ENDOWMENT);
			assert_eq!(Balances::free_balance(stash), ENDOWMENT - VALIDATOR_BOND, "bond is held");
		}

		// BABE and GRANDPA authorities come from the session keys, in validator order.
		let babe: Vec<_> = Babe::authorities().iter().map(|(id, _)| id.clone()).collect();
		assert_eq!(babe, keys_in_session_order.iter().map(|k| k.babe.clone()).collect::<Vec<_>>());
		let grandpa: Vec<_> =
			Grandpa::grandpa_authorities().into_iter().map(|(id, _)| id).collect();
		assert_eq!(
			grandpa,
			keys_in_session_order.iter().map(|k| k.grandpa.clone()).collect::<Vec<_>>()
		);

		// Staking targets as many validators as the preset has, in era 0.
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), validators.len() as u32);
		assert_eq!(
			pallet_staking::ActiveEra::<Runtime>::get().map(|e| e.index),
			Some(0),
			"{name}: era 0 is active"
		);
	});
}

#[test]
fn development_preset_has_alice_alone_and_invulnerable() {
	check_preset(DEVELOPMENT_PRESET, &[(Sr25519Keyring::Alice, Ed25519Keyring::Alice)]);
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		assert_eq!(
			pallet_staking::Invulnerables::<Runtime>::get().to_vec(),
			vec![Sr25519Keyring::Alice.to_account_id()]
		);
	});
}

const FOUR: [(Sr25519Keyring, Ed25519Keyring); 4] = [
	(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
	(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
	(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
	(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
];

#[test]
fn production_preset_has_four_bonded_validators() {
	check_preset(PRODUCTION_PRESET, &FOUR);
	new_ext(PRODUCTION_PRESET).execute_with(|| {
		assert!(pallet_staking::Invulnerables::<Runtime>::get().is_empty(), "all can be slashed");
	});
}

#[test]
fn local_testnet_preset_has_four_bonded_validators() {
	check_preset(LOCAL_TESTNET_PRESET, &FOUR);
	new_ext(LOCAL_TESTNET_PRESET).execute_with(|| {
		assert!(pallet_staking::Invulnerables::<Runtime>::get().is_empty(), "all can be slashed");
		// A non-validator dev account is endowed but not staked.
		let eve = Sr25519Keyring::Eve.to_account_id();
		assert_eq!(Balances::free_balance(&eve), ENDOWMENT);
		assert!(Staking::ledger(eve.into()).is_err());
	});
}

#[test]
fn presets_are_listed_and_unknown_ones_refused() {
	use medchain_runtime::genesis_config_presets::get_preset;
	let names = preset_names();
	assert_eq!(names.len(), 3);
	for name in [DEVELOPMENT_PRESET, LOCAL_TESTNET_PRESET, PRODUCTION_PRESET] {
		assert!(names.contains(&name.into()), "{name} is listed");
	}
	for name in &names {
		let patch = get_preset(name).expect("a listed preset exists");
		let json: serde_json::Value = serde_json::from_slice(&patch).expect("presets are JSON");
		assert!(json.get("staking").is_some() && json.get("session").is_some());
	}
	assert!(get_preset(&"staging".into()).is_none());
}
