//! End-to-end test of the real `medchain-node` binary.
//!
//! It starts a `--dev` chain, waits for GRANDPA to finalise a block that BABE produced, then has
//! Alice send Bob a `Balances::transfer_keep_alive` and checks the finalized block, its events and
//! both accounts' balances; then four transfers of Alice's at once, in turn
//! (`Chain::submit_in_turn`, as a gateway writes concurrent receipts), all final with four
//! consecutive nonces. Calls, events and storage are the typed client's
//! (`medchain_client::chain::runtime`, generated from the committed metadata).

use std::time::Duration;

use medchain_client::{
	account::AccountId,
	chain::{runtime, Config},
};
use medchain_test_utils::node::{Node, NODE_START_TIMEOUT};
use subxt::{utils::MultiAddress, OnlineClientAtBlock};
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
	nonce: u32,
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
	let alice_id = AccountId::from(alice.public_key());
	let bob_id = AccountId::from(dev::bob().public_key());

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

	// Alice sends Bob AMOUNT with `transfer_keep_alive(dest, value)`.
	let call =
		runtime::transactions().balances().transfer_keep_alive(MultiAddress::Id(bob_id), AMOUNT);
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
	let in_block = extrinsic
		.decode_call_data_fields_as::<runtime::balances::calls::TransferKeepAlive>()
		.expect("the extrinsic is a Balances::transfer_keep_alive")
		.expect("decode the transfer's call data");
	assert_eq!(in_block.dest, MultiAddress::Id(bob_id), "the transfer in the block is not to Bob");
	assert_eq!(in_block.value, AMOUNT, "the transfer in the block has the wrong value");

	// Its events include Balances::Transfer { from: Alice, to: Bob, amount: AMOUNT } and
	// System::ExtrinsicSuccess.
	let seen: Vec<String> = events
		.iter()
		.map(|event| match event {
			Ok(event) => format!("{}::{}", event.pallet_name(), event.event_name()),
			Err(e) => {
				panic!("cannot decode an event of block #{block_number} ({block_hash:?}): {e}")
			},
		})
		.collect();
	let succeeded = events.find_first::<runtime::system::events::ExtrinsicSuccess>();
	assert!(
		matches!(succeeded, Some(Ok(_))),
		"no System::ExtrinsicSuccess among the transfer's events: {seen:?}"
	);
	let transfers: Vec<(AccountId, AccountId, u128)> = events
		.find::<runtime::balances::events::Transfer>()
		.map(|transfer| {
			let transfer = transfer.expect("decode Balances::Transfer");
			(transfer.from, transfer.to, transfer.amount)
		})
		.collect();
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

	// Many transactions of one signer at once, in turn (as a gateway writes the receipts of
	// concurrent reads): each takes the nonce after the one before, and all are final.
	let chain = medchain_client::chain::Chain::connect(&node.ws_url(), TRANSFER_TIMEOUT)
		.await
		.expect("the client connects");
	let turn = medchain_client::chain::Turn::default();
	let alice = dev::alice();
	let transfers = (1..=4u128).map(|i| {
		let call = runtime::transactions()
			.balances()
			.transfer_keep_alive(MultiAddress::Id(bob_id), i * UNIT);
		let (chain, turn, alice) = (&chain, &turn, &alice);
		async move { chain.submit_in_turn("a transfer in turn", &call, alice, Some(turn)).await }
	});
	let included = futures::future::join_all(transfers).await;
	for result in &included {
		if let Err(e) = result {
			panic!("a transfer in turn failed: {e}");
		}
	}
	let last = chain.at_finalized().await.expect("the finalized block");
	assert_eq!(
		account(&last, &alice_id).await.nonce,
		alice_after.nonce + 4,
		"four transactions in turn, four nonces"
	);
}

/// Runs `future`, panicking if it takes longer than [`QUERY_TIMEOUT`].
async fn bounded<F: std::future::Future>(what: &str, future: F) -> F::Output {
	tokio::time::timeout(QUERY_TIMEOUT, future)
		.await
		.unwrap_or_else(|_| panic!("{what}: no answer from the node within {QUERY_TIMEOUT:?}"))
}

/// `System::Account(who)` at the client's block.
async fn account(at: &OnlineClientAtBlock<Config>, who: &AccountId) -> Account {
	let block = at.block_number();
	let info = bounded(
		"a System::Account query",
		at.storage().fetch(runtime::storage().system().account(), (*who,)),
	)
	.await
	.unwrap_or_else(|e| panic!("cannot read System::Account({who}) at #{block}: {e}"))
	.decode()
	.unwrap_or_else(|e| panic!("cannot decode System::Account({who}) at #{block}: {e}"));
	Account { nonce: info.nonce, free: info.data.free }
}

/// The identifiers of the runtime's transaction extensions (version 0, the set v4 extrinsics use).
fn transaction_extension_names(at: &OnlineClientAtBlock<Config>) -> Vec<String> {
	at.metadata_ref()
		.extrinsic()
		.transaction_extensions_by_version(0)
		.map(|extensions| extensions.map(|e| e.identifier().to_string()).collect())
		.unwrap_or_default()
}
