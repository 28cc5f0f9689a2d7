//! End-to-end test of the real `medchain-node` binary.
//!
//! It starts a `--dev` chain, waits for GRANDPA to finalise a block that BABE produced, then has
//! Alice send Bob a `Balances::transfer_keep_alive` and checks the finalized block, its events and
//! both accounts' balances. Everything goes through subxt's dynamic API, since there is no static
//! metadata file yet.

mod common;

use std::time::Duration;

use common::{Node, NODE_START_TIMEOUT};
use subxt::{
	dynamic::{At, Value},
	utils::{AccountId32, MultiAddress},
	OnlineClientAtBlock, PolkadotConfig,
};
use subxt_signer::sr25519::dev;

/// One MedChain token (12 decimals; `medchain_runtime::UNIT`).
const UNIT: u128 = 1_000_000_000_000;
/// What Alice sends Bob.
const AMOUNT: u128 = 10 * UNIT;
/// How long the dev chain gets to finalise its first block.
const FIRST_FINALITY_TIMEOUT: Duration = Duration::from_secs(180);
/// How long the transfer gets from submission to a finalized block.
const TRANSFER_TIMEOUT: Duration = Duration::from_secs(120);
/// Upper bound for a single query against the node.
const QUERY_TIMEOUT: Duration = Duration::from_secs(30);

/// The `System::Account` fields this test looks at.
#[derive(Debug, Clone, Copy)]
struct Account {
	nonce: u128,
	free: u128,
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_chain_finalizes_and_transfers() {
	// Declared first so it is dropped last, after every connection to it.
	let mut node = Node::start();
	let api = node.wait_for_rpc(NODE_START_TIMEOUT).await;
	let rpc = node.legacy_rpc().await;

	// BABE produces blocks and GRANDPA finalises them: the finalized head moves past genesis.
	let (first_finalized, first_finalized_hash) =
		node.wait_for_finalized(&rpc, 1, FIRST_FINALITY_TIMEOUT).await;
	eprintln!("finalized #{first_finalized} ({first_finalized_hash:?})");

	let alice = dev::alice();
	let alice_id: AccountId32 = alice.public_key().to_account_id();
	let bob_id: AccountId32 = dev::bob().public_key().to_account_id();

	// Balances before the transfer, at the block the transfer is built against (the current
	// finalized block).
	let before = bounded("a client at the current finalized block", api.at_current_block())
		.await
		.unwrap_or_else(|e| node.fail(format!("cannot get a client at the finalized block: {e}")));
	let alice_before = account(&before, &alice_id).await;
	let bob_before = account(&before, &bob_id).await;
	eprintln!("before, at #{}: alice {alice_before:?}, bob {bob_before:?}", before.block_number());
	assert!(
		alice_before.free > AMOUNT,
		"Alice has {} free, not enough to send {AMOUNT}: is she endowed in the dev genesis?",
		alice_before.free
	);

	// Which transaction extensions the runtime declares (printed to help debug signing problems).
	let extensions = transaction_extension_names(&before);
	eprintln!("runtime transaction extensions (v0): {extensions:?}");
	expect_field_names(&before, "Balances", Kind::Call, "transfer_keep_alive", &["dest", "value"]);
	expect_field_names(&before, "Balances", Kind::Event, "Transfer", &["from", "to", "amount"]);

	// Alice sends Bob AMOUNT with `transfer_keep_alive(dest, value)`.
	let dest: MultiAddress<AccountId32, ()> = MultiAddress::Id(bob_id);
	let call = subxt::dynamic::tx("Balances", "transfer_keep_alive", (dest, AMOUNT));
	let mut transactions = before.transactions();
	let progress = bounded(
		"signing and submitting the transfer",
		transactions.sign_and_submit_then_watch_default(&call, &alice),
	)
	.await
	.unwrap_or_else(|e| {
		node.fail(format!(
			"signing/submitting Balances::transfer_keep_alive failed (runtime extensions: \
			 {extensions:?}): {e}"
		))
	});
	let tx_hash = progress.extrinsic_hash();
	eprintln!("submitted transfer {tx_hash:?}");

	let in_block = tokio::time::timeout(TRANSFER_TIMEOUT, progress.wait_for_finalized())
		.await
		.unwrap_or_else(|_| {
			node.fail(format!("transfer {tx_hash:?} was not finalized within {TRANSFER_TIMEOUT:?}"))
		})
		.unwrap_or_else(|e| node.fail(format!("transfer {tx_hash:?} did not reach finality: {e}")));
	let block_hash = in_block.block_hash();

	// The transfer succeeded (no `System::ExtrinsicFailed`); these are its events.
	let events =
		bounded("the transfer's events", in_block.wait_for_success()).await.unwrap_or_else(|e| {
			node.fail(format!("transfer {tx_hash:?} failed in block {block_hash:?}: {e}"))
		});

	let after = bounded("a client at the transfer's block", in_block.at())
		.await
		.unwrap_or_else(|e| node.fail(format!("cannot get a client at block {block_hash:?}: {e}")));
	let block_number = after.block_number();
	eprintln!("transfer finalized in #{block_number} ({block_hash:?})");

	// Cross-check with the raw RPC: the node itself reports that block as finalized.
	let (finalized_now, _) = node
		.finalized_head(&rpc)
		.await
		.unwrap_or_else(|e| node.fail(format!("cannot read the finalized head: {e}")));
	assert!(
		finalized_now >= block_number,
		"subxt reported the transfer finalized in #{block_number}, but the node's finalized head \
		 is #{finalized_now}"
	);
	assert!(
		block_number > before.block_number(),
		"the transfer's block #{block_number} is not after the block it was built on (#{})",
		before.block_number()
	);

	// The finalized block contains the signed extrinsic: Balances::transfer_keep_alive from Alice
	// to Bob for AMOUNT.
	let extrinsics = bounded("the body of the transfer's block", after.extrinsics().fetch())
		.await
		.unwrap_or_else(|e| {
			node.fail(format!("cannot fetch the body of block {block_hash:?}: {e}"))
		});
	let mut found = None;
	for extrinsic in extrinsics.iter() {
		let extrinsic = extrinsic.unwrap_or_else(|e| {
			panic!("cannot decode an extrinsic of block #{block_number} ({block_hash:?}): {e}")
		});
		if extrinsic.hash() == tx_hash {
			found = Some(extrinsic);
			break;
		}
	}
	let extrinsic = found.unwrap_or_else(|| {
		panic!(
			"finalized block #{block_number} ({block_hash:?}) has no extrinsic with hash \
			 {tx_hash:?} ({} extrinsics in it)",
			extrinsics.len()
		)
	});
	assert_eq!(
		extrinsic.index(),
		events.extrinsic_index(),
		"the transfer's position in the block disagrees with where its events were found"
	);
	assert_eq!(
		(extrinsic.pallet_name(), extrinsic.call_name()),
		("Balances", "transfer_keep_alive"),
		"the extrinsic with the transfer's hash is a different call"
	);
	assert!(extrinsic.is_signed(), "the transfer is in the block unsigned");
	// A MultiAddress::Id is SCALE-encoded as variant index 0 followed by the 32 account bytes.
	let mut alice_address = vec![0u8];
	alice_address.extend_from_slice(&alice_id.0);
	assert_eq!(
		extrinsic.address_bytes(),
		Some(&alice_address[..]),
		"the transfer in the block is not signed by Alice"
	);
	let (dest_in_block, value_in_block) = extrinsic
		.decode_call_data_fields_unchecked_as::<(MultiAddress<AccountId32, ()>, u128)>()
		.expect("decode the transfer's call data as (dest, value)");
	assert_eq!(dest_in_block, MultiAddress::Id(bob_id), "the transfer in the block is not to Bob");
	assert_eq!(value_in_block, AMOUNT, "the transfer in the block has the wrong value");

	// Its events include Balances::Transfer { from: Alice, to: Bob, amount: AMOUNT } and
	// System::ExtrinsicSuccess.
	let mut transfers = Vec::new();
	let mut succeeded = false;
	let mut seen = Vec::new();
	for event in events.iter() {
		let event = event.unwrap_or_else(|e| {
			panic!("cannot decode an event of block #{block_number} ({block_hash:?}): {e}")
		});
		seen.push(format!("{}::{}", event.pallet_name(), event.event_name()));
		match (event.pallet_name(), event.event_name()) {
			("Balances", "Transfer") => transfers.push(
				event
					.decode_fields_unchecked_as::<(AccountId32, AccountId32, u128)>()
					.expect("decode Balances::Transfer as (from, to, amount)"),
			),
			("System", "ExtrinsicSuccess") => succeeded = true,
			_ => {},
		}
	}
	assert!(succeeded, "no System::ExtrinsicSuccess among the transfer's events: {seen:?}");
	assert_eq!(
		transfers,
		vec![(alice_id, bob_id, AMOUNT)],
		"expected exactly one Balances::Transfer from Alice to Bob of {AMOUNT}; events: {seen:?}"
	);

	// Balances at the finalized block: Bob gained exactly AMOUNT; Alice lost AMOUNT plus fees.
	let alice_after = account(&after, &alice_id).await;
	let bob_after = account(&after, &bob_id).await;
	eprintln!("after, at #{block_number}: alice {alice_after:?}, bob {bob_after:?}");
	assert_eq!(
		bob_after.free,
		bob_before.free + AMOUNT,
		"Bob's free balance should rise by exactly {AMOUNT} (before {}, after {})",
		bob_before.free,
		bob_after.free
	);
	let alice_spent = alice_before.free.checked_sub(alice_after.free).unwrap_or_else(|| {
		panic!(
			"Alice's free balance rose from {} to {} although she sent {AMOUNT}",
			alice_before.free, alice_after.free
		)
	});
	assert!(
		alice_spent >= AMOUNT,
		"Alice's free balance fell by {alice_spent}, less than the {AMOUNT} she sent"
	);
	eprintln!("Alice paid {} in fees", alice_spent - AMOUNT);
	assert_eq!(
		alice_after.nonce,
		alice_before.nonce + 1,
		"Alice's nonce should go up by one for her one transaction"
	);
}

/// Runs `future`, panicking if it takes longer than [`QUERY_TIMEOUT`].
async fn bounded<F: std::future::Future>(what: &str, future: F) -> F::Output {
	tokio::time::timeout(QUERY_TIMEOUT, future)
		.await
		.unwrap_or_else(|_| panic!("{what}: no answer from the node within {QUERY_TIMEOUT:?}"))
}

/// `System::Account(who)` at the client's block, read with a dynamic storage query.
async fn account(at: &OnlineClientAtBlock<PolkadotConfig>, who: &AccountId32) -> Account {
	let address = subxt::dynamic::storage::<([u8; 32],), Value>("System", "Account");
	let block = at.block_number();
	let entry = bounded("a System::Account query", at.storage().fetch(address, (who.0,)))
		.await
		.unwrap_or_else(|e| panic!("cannot read System::Account({who}) at #{block}: {e}"));
	let info: Value = entry
		.decode()
		.unwrap_or_else(|e| panic!("cannot decode System::Account({who}) at #{block}: {e}"));
	let nonce = info
		.at("nonce")
		.and_then(|v| v.as_u128())
		.unwrap_or_else(|| panic!("System::Account({who}) at #{block} has no `nonce`: {info}"));
	let free =
		info.at("data").at("free").and_then(|v| v.as_u128()).unwrap_or_else(|| {
			panic!("System::Account({who}) at #{block} has no `data.free`: {info}")
		});
	Account { nonce, free }
}

/// The identifiers of the runtime's transaction extensions (version 0, the set v4 extrinsics use).
fn transaction_extension_names(at: &OnlineClientAtBlock<PolkadotConfig>) -> Vec<String> {
	at.metadata_ref()
		.extrinsic()
		.transaction_extensions_by_version(0)
		.map(|extensions| extensions.map(|e| e.identifier().to_string()).collect())
		.unwrap_or_default()
}

/// A call or an event.
#[derive(Debug, Clone, Copy)]
enum Kind {
	Call,
	Event,
}

/// Asserts the field names (in order) of a pallet's call or event: the test encodes the call and
/// decodes the event by position, so the order must be the one it assumes.
fn expect_field_names(
	at: &OnlineClientAtBlock<PolkadotConfig>,
	pallet: &str,
	kind: Kind,
	name: &str,
	expected: &[&str],
) {
	let metadata = at.metadata_ref();
	let pallet_metadata = metadata
		.pallet_by_name(pallet)
		.unwrap_or_else(|| panic!("the runtime metadata has no pallet {pallet}"));
	let variant = match kind {
		Kind::Call => pallet_metadata.call_variant_by_name(name),
		Kind::Event => pallet_metadata
			.event_variants()
			.and_then(|variants| variants.iter().find(|variant| variant.name == name)),
	}
	.unwrap_or_else(|| panic!("the runtime metadata has no {kind:?} {pallet}::{name}"));
	let fields: Vec<&str> =
		variant.fields.iter().map(|field| field.name.as_deref().unwrap_or("_")).collect();
	assert_eq!(fields, expected, "unexpected fields of {kind:?} {pallet}::{name}");
}
