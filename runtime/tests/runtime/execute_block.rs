//! A block with a signed balance transfer, authored and then executed as an importing node does.

use crate::common::{author_block, new_ext, signed, FIRST_SLOT};
use medchain_runtime::{
	genesis_config_presets::{DEVELOPMENT_PRESET, ENDOWMENT},
	Balances, BalancesCall, Executive, RuntimeCall, RuntimeEvent, System, UNIT,
};
use polkadot_sdk::{
	frame_support::traits::fungible::Inspect, pallet_balances, sp_keyring::Sr25519Keyring,
};

#[test]
fn block_with_transfer_executes_and_moves_funds() {
	let alice = Sr25519Keyring::Alice.to_account_id();
	let bob = Sr25519Keyring::Bob.to_account_id();
	let amount = 42 * UNIT;

	// An author builds the block on one copy of genesis state...
	let block = new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		let call = RuntimeCall::Balances(BalancesCall::transfer_allow_death {
			dest: bob.clone().into(),
			value: amount,
		});
		author_block(FIRST_SLOT, vec![signed(call, Sr25519Keyring::Alice, 0)])
	});
	assert_eq!(block.extrinsics.len(), 2, "timestamp inherent and the transfer");

	// ...and an importing node executes it on another: roots and digests must match.
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		Executive::execute_block(block.clone().into());

		assert_eq!(System::block_number(), 1);
		assert_eq!(Balances::free_balance(&bob), ENDOWMENT + amount);
		// Alice's total (free + held bond) pays the amount and the fee.
		let alice_spent = ENDOWMENT - Balances::total_balance(&alice) - amount;
		assert!(alice_spent > 0, "Alice paid a fee");
		assert!(alice_spent < UNIT, "the fee is small: {alice_spent}");
		assert_eq!(System::account_nonce(&alice), 1);
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Balances(pallet_balances::Event::Transfer { from, to, amount: a })
				if from == &alice && to == &bob && *a == amount
		)));
	});
}

#[test]
fn tampered_block_is_rejected() {
	let bob = Sr25519Keyring::Bob.to_account_id();
	let mut block = new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		let call = RuntimeCall::Balances(BalancesCall::transfer_allow_death {
			dest: bob.clone().into(),
			value: UNIT,
		});
		author_block(FIRST_SLOT, vec![signed(call, Sr25519Keyring::Alice, 0)])
	});
	// Drop the transfer: the header's extrinsics root no longer matches.
	block.extrinsics.truncate(1);
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
			Executive::execute_block(block.clone().into())
		}));
		assert!(result.is_err(), "a block whose extrinsics do not match its header must fail");
	});
}
