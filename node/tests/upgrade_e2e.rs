//! A runtime upgrade enacted by the council on a running chain (issue 17).
//!
//! On a `--dev` node holding healthcare state, the council (Alice, Bob and Charlie) passes one
//! two-thirds motion that whitelists and dispatches `system.authorize_upgrade(hash)`; anyone then
//! applies the authorised code (`system.apply_authorized_upgrade`): the same runtime one
//! `spec_version` later (`medchain_runtime::next_runtime`, built when `MEDCHAIN_NEXT_RUNTIME` is
//! set, as `scripts/test.sh` does). The new version is enacted, the state is kept, blocks are
//! still produced and finalised, and transactions signed for the new version go through.
//!
//! The same source passes the try-runtime checks (`runtime/tests/runtime/try_runtime.rs`:
//! pre/post-upgrade hooks, storage versions, every pallet's `try_state`), which `scripts/test.sh`
//! runs before this test.

use std::time::Duration;

use codec::Encode;
use medchain_runtime::{Runtime, RuntimeCall};
use medchain_test_utils::node::{Finalized, LegacyRpc, Node, NODE_START_TIMEOUT};
use polkadot_sdk::{
	frame_support::dispatch::GetDispatchInfo, sp_io::hashing::blake2_256,
	sp_keyring::Sr25519Keyring,
};
use subxt::{utils::H256, OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::dev;

/// How long one transaction gets from submission to a finalized block.
const TX_TIMEOUT: Duration = Duration::from_secs(180);

/// `call` (built with the runtime's own types) as a payload subxt signs.
async fn payload(
	api: &OnlineClient<PolkadotConfig>,
	node: &Node,
	call: &RuntimeCall,
) -> impl subxt::transactions::Payload {
	let at = api
		.at_current_block()
		.await
		.unwrap_or_else(|e| node.fail(format!("no client at the finalized block: {e}")));
	at.transactions()
		.from_call_data_bytes(&call.encode())
		.unwrap_or_else(|e| node.fail(format!("the node does not decode our call: {e}")))
}

/// The runtime version the node reports at its best block.
async fn spec_version(rpc: &LegacyRpc, node: &Node) -> u32 {
	rpc.state_get_runtime_version(None)
		.await
		.unwrap_or_else(|e| node.fail(format!("reading the runtime version: {e}")))
		.spec_version
}

/// The raw value at `key` in the finalized state.
async fn raw(node: &Node, rpc: &LegacyRpc, key: &[u8]) -> Option<Vec<u8>> {
	let (_, head) = node.finalized_head(rpc).await.unwrap_or_else(|e| node.fail(e));
	rpc.state_get_storage(key, Some(head))
		.await
		.unwrap_or_else(|e| node.fail(format!("reading storage: {e}")))
}

/// Submits `call` signed by `signer` and waits for it in a finalized block.
async fn submit(
	api: &OnlineClient<PolkadotConfig>,
	node: &Node,
	what: &str,
	call: &RuntimeCall,
	signer: &subxt_signer::sr25519::Keypair,
) -> Finalized {
	let payload = payload(api, node, call).await;
	node.submit_finalized(api, what, &payload, signer, TX_TIMEOUT).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_council_upgrades_the_runtime_on_a_running_chain() {
	let Some(bloaty) = medchain_runtime::next_runtime::WASM_BINARY else {
		assert!(
			std::env::var_os("CI").is_none(),
			"CI must build the next runtime: set MEDCHAIN_NEXT_RUNTIME=1 (scripts/env.sh does)"
		);
		eprintln!("skipped: the next runtime was not built (set MEDCHAIN_NEXT_RUNTIME=1)");
		return;
	};
	// Compressed, as a release build ships it (the uncompressed Wasm of a debug build does not
	// fit one RPC message).
	let next = &sp_maybe_compressed_blob::compress_strongly(
		bloaty,
		sp_maybe_compressed_blob::CODE_BLOB_BOMB_LIMIT,
	)
	.expect("the runtime compresses within the bomb limit")[..];
	let mut node = Node::start();
	let api = node.wait_for_rpc(NODE_START_TIMEOUT).await;
	let rpc = node.legacy_rpc().await;
	node.wait_for_finalized(&rpc, 1, Duration::from_secs(180)).await;
	let before = spec_version(&rpc, &node).await;
	assert_eq!(before, medchain_runtime::VERSION.spec_version);

	// Healthcare state: Dave registers as a patient.
	let dave = Sr25519Keyring::Dave.to_account_id();
	let register = RuntimeCall::Directory(pallet_directory::Call::register_patient {
		pseudonym: [7u8; 32],
		encryption_key: [8u8; 32],
	});
	submit(&api, &node, "registering Dave", &register, &dev::dave()).await;
	let patient_key = pallet_directory::Patients::<Runtime>::hashed_key_for(&dave);
	let patient_before = raw(&node, &rpc, &patient_key).await;
	assert!(patient_before.is_some(), "Dave is a registered patient");

	// One motion of two thirds: whitelist `authorize_upgrade(hash)` and dispatch it as root.
	let authorize = RuntimeCall::System(polkadot_sdk::frame_system::Call::authorize_upgrade {
		code_hash: blake2_256(next).into(),
	});
	let batch = RuntimeCall::Utility(polkadot_sdk::pallet_utility::Call::batch_all {
		calls: vec![
			RuntimeCall::Whitelist(polkadot_sdk::pallet_whitelist::Call::whitelist_call {
				call_hash: blake2_256(&authorize.encode()).into(),
			}),
			RuntimeCall::Whitelist(
				polkadot_sdk::pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
					call: Box::new(authorize),
				},
			),
		],
	});
	let length = batch.encoded_size() as u32;
	let bound = batch.get_dispatch_info().call_weight;
	let motion = H256(blake2_256(&batch.encode()));
	let propose = RuntimeCall::Council(polkadot_sdk::pallet_collective::Call::propose {
		threshold: 2,
		proposal: Box::new(batch),
		length_bound: length,
	});
	submit(&api, &node, "proposing the upgrade", &propose, &dev::alice()).await;
	for (who, signer) in [("Alice", dev::alice()), ("Bob", dev::bob())] {
		let vote = RuntimeCall::Council(polkadot_sdk::pallet_collective::Call::vote {
			proposal: motion.0.into(),
			index: 0,
			approve: true,
		});
		submit(&api, &node, &format!("{who} votes aye"), &vote, &signer).await;
	}
	let close = RuntimeCall::Council(polkadot_sdk::pallet_collective::Call::close {
		proposal_hash: motion.0.into(),
		index: 0,
		proposal_weight_bound: bound,
		length_bound: length,
	});
	let closed = submit(&api, &node, "closing the motion", &close, &dev::charlie()).await;
	let names = closed.event_names();
	assert!(names.iter().any(|n| n == "System::UpgradeAuthorized"), "{names:?}");

	// Anyone applies the authorised code.
	let apply = subxt::dynamic::tx("System", "apply_authorized_upgrade", (next.to_vec(),));
	let applied =
		node.submit_finalized(&api, "applying the upgrade", &apply, &dev::eve(), TX_TIMEOUT).await;
	let upgrade_block = applied.block_number();
	assert!(
		applied.event_names().iter().any(|n| n == "System::CodeUpdated"),
		"{:?}",
		applied.event_names()
	);

	// The new version runs from the next block on, blocks keep being finalised, the state is
	// what it was, and a transaction signed for the new version goes through.
	node.wait_for_finalized(&rpc, upgrade_block + 3, Duration::from_secs(180)).await;
	assert_eq!(spec_version(&rpc, &node).await, before + 1);
	assert_eq!(raw(&node, &rpc, &patient_key).await, patient_before, "the patient is kept");
	let rotate = RuntimeCall::Directory(pallet_directory::Call::rotate_encryption_key {
		encryption_key: [9u8; 32],
	});
	submit(&api, &node, "a patient call after the upgrade", &rotate, &dev::dave()).await;
	assert_ne!(raw(&node, &rpc, &patient_key).await, patient_before, "the new key is stored");
}
