//! Shared helpers: genesis state from a preset, signing transactions, building blocks.

use codec::Encode;
use medchain_runtime::{
	genesis_config_presets, AccountId, Address, Executive, Header, Runtime, RuntimeCall,
	RuntimeGenesisConfig, Signature, SignedPayload, System, TxExtension, UncheckedExtrinsic,
	SLOT_DURATION,
};
use polkadot_sdk::{
	frame_system, pallet_transaction_payment,
	sp_consensus_babe::{
		digests::{PreDigest, SecondaryPlainPreDigest},
		Slot, BABE_ENGINE_ID,
	},
	sp_core::H256,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{generic::Era, traits::Header as _, BuildStorage, Digest, DigestItem},
	*,
};
use serde_json::Value;

/// Merges a JSON patch into a base document (objects key by key, anything else replaced).
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// The full genesis config of a named preset, as the node builds it: defaults plus the patch.
pub fn preset_config(name: &str) -> RuntimeGenesisConfig {
	let patch_bytes = genesis_config_presets::get_preset(&name.into())
		.unwrap_or_else(|| panic!("preset {name} exists"));
	let patch: Value = serde_json::from_slice(&patch_bytes).expect("preset is JSON");
	let mut full = serde_json::to_value(RuntimeGenesisConfig::default()).expect("default encodes");
	merge(&mut full, patch);
	serde_json::from_value(full).expect("preset decodes into the genesis config")
}

/// Test externalities holding the genesis state of a named preset.
pub fn new_ext(preset: &str) -> TestExternalities {
	let storage = preset_config(preset).build_storage().expect("genesis builds");
	let mut ext = TestExternalities::new(storage);
	// Block 0's hash is what `CheckGenesis` signs over; the node sets it when importing genesis.
	ext.execute_with(|| frame_system::BlockHash::<Runtime>::insert(0, H256::repeat_byte(0x42)));
	ext
}

/// The transaction extensions an honest wallet attaches for `nonce` (immortal era, no tip).
pub fn tx_extension(nonce: u32) -> TxExtension {
	(
		frame_system::AuthorizeCall::new(),
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_free_calls::FreeForPatients::new(
			pallet_transaction_payment::ChargeTransactionPayment::from(0),
		),
	)
}

/// `call` signed by `signer` with `nonce`; must run inside externalities (the payload includes
/// the genesis hash and the runtime version).
pub fn signed(call: RuntimeCall, signer: Sr25519Keyring, nonce: u32) -> UncheckedExtrinsic {
	signed_by(call, &signer.pair(), nonce)
}

/// `call` signed by the key `pair` with `nonce`, as [`signed`].
pub fn signed_by(
	call: RuntimeCall,
	pair: &polkadot_sdk::sp_core::sr25519::Pair,
	nonce: u32,
) -> UncheckedExtrinsic {
	use polkadot_sdk::sp_core::Pair;
	let extension = tx_extension(nonce);
	let payload = SignedPayload::new(call.clone(), extension.clone()).expect("payload builds");
	let signature: Signature = payload.using_encoded(|bytes| pair.sign(bytes)).into();
	let address: Address = AccountId::from(pair.public()).into();
	UncheckedExtrinsic::new_signed(call, address, signature, extension)
}

/// A block header for `number` on `parent` carrying a BABE secondary-slot pre-digest of
/// authority 0 at `slot`.
pub fn babe_header(number: u32, parent: H256, slot: u64) -> Header {
	let pre_digest = PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
		authority_index: 0,
		slot: Slot::from(slot),
	});
	let digest = Digest { logs: vec![DigestItem::PreRuntime(BABE_ENGINE_ID, pre_digest.encode())] };
	Header::new(number, Default::default(), Default::default(), parent, digest)
}

/// The timestamp inherent for `slot` (BABE checks that it falls in the slot of the pre-digest).
pub fn timestamp_inherent(slot: u64) -> UncheckedExtrinsic {
	let call = RuntimeCall::Timestamp(pallet_timestamp::Call::set { now: slot * SLOT_DURATION });
	UncheckedExtrinsic::new_bare(call)
}

/// Builds block 1 at `slot` with the timestamp inherent and `extrinsics`, as an author would:
/// returns the finished block (header with state root and runtime digests).
pub fn author_block(slot: u64, extrinsics: Vec<UncheckedExtrinsic>) -> medchain_runtime::Block {
	let parent = System::block_hash(0);
	let header = babe_header(1, parent, slot);
	Executive::initialize_block(&header);
	let mut all = vec![timestamp_inherent(slot)];
	all.extend(extrinsics);
	for xt in &all {
		Executive::apply_extrinsic(xt.clone())
			.expect("extrinsic is valid")
			.expect("extrinsic dispatches");
	}
	let header = Executive::finalize_block();
	medchain_runtime::Block { header, extrinsics: all }
}

/// The slot of block 1 in tests: any slot works, as long as the timestamp matches it.
pub const FIRST_SLOT: u64 = 1_000;

/// A patient's tag for the general data class (any value: the chain only compares tags; a
/// client derives them from the patient's class key).
pub const GENERAL: medchain_primitives::ClassTag = medchain_primitives::ClassTag([0x01; 32]);

/// The same patient's tag for mental health.
pub const MENTAL_HEALTH: medchain_primitives::ClassTag = medchain_primitives::ClassTag([0x02; 32]);

/// The tests' wall-clock time: 2026-11-25T00:00:00Z, in seconds.
pub const NOW_SECS: u64 = 1_795_564_800;

/// `who` joins organisation `organisation` as `role`: its admin invites them with a GMC licence
/// valid from a day before [`NOW_SECS`] for a year, and they accept.
pub fn join(
	admin: &AccountId,
	organisation: medchain_primitives::OrganisationId,
	who: &AccountId,
	role: medchain_primitives::PractitionerRole,
) {
	use medchain_runtime::{Directory, RuntimeOrigin};
	polkadot_sdk::frame_support::assert_ok!(Directory::invite_practitioner(
		RuntimeOrigin::signed(admin.clone()),
		organisation,
		who.clone().into(),
		role,
		pallet_directory::Licence {
			authority: b"GMC".to_vec().try_into().expect("a short authority"),
			licence_id: [7u8; 32],
			valid_from: NOW_SECS - 86_400,
			valid_until: NOW_SECS + 365 * 86_400,
		},
	));
	polkadot_sdk::frame_support::assert_ok!(Directory::accept_invitation(
		RuntimeOrigin::signed(who.clone()),
		organisation
	));
}

/// Dispatches `call` from `origin` directly (no transaction), asserting it succeeds.
pub fn dispatch(call: medchain_runtime::RuntimeCall, origin: medchain_runtime::RuntimeOrigin) {
	use polkadot_sdk::sp_runtime::traits::Dispatchable;
	polkadot_sdk::frame_support::assert_ok!(call.dispatch(origin));
}

/// Whether `needle` occurs in `haystack` (the privacy scans' search).
pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
	haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every storage value (with its key) except the runtime code, and every event, as bytes.
pub fn chain_bytes() -> Vec<Vec<u8>> {
	let mut all = Vec::new();
	let mut key = Vec::new();
	while let Some(next) = polkadot_sdk::sp_io::storage::next_key(&key) {
		if next.as_slice() != b":code" {
			let mut item = next.clone();
			item.extend(
				polkadot_sdk::sp_io::storage::get(&next).map(|v| v.to_vec()).unwrap_or_default(),
			);
			all.push(item);
		}
		key = next;
	}
	all.extend(medchain_runtime::System::events().into_iter().map(|e| e.encode()));
	all
}
