//! The runtime fuzzer (feature `try-runtime`; `scripts/test.sh` runs it, `scripts/fuzz.sh` runs
//! it longer): random sequences of the healthcare pallets' calls, signed by a small set of
//! accounts or dispatched as root through sudo, applied as extrinsics through the real
//! [`Executive`] in blocks whose slots (and so time, sessions and epochs) jump forward at
//! random. After every block every pallet's `try_state` must hold, and no call may panic.
//!
//! Calls are generated from the runtime's own type information (`scale-info`), so every call of
//! every healthcare pallet is sent, new calls included, without a generator per call. Values
//! come from small pools (six accounts, a few 32-byte values, small numbers, times around the
//! chain's clock) so that random calls meet each other's state: an organisation registered by
//! one call is the one the next call invites into. The random choices are read from a byte
//! string through [`arbitrary::Unstructured`]: a case's bytes replay it exactly, and an input
//! that broke something is written to `$CARGO_TARGET_TMPDIR/fuzz-failures/` to be kept in
//! `tests/fuzz-corpus/`, which every test run replays.
//!
//! `MEDCHAIN_FUZZ_CALLS` (default 10,000) bounds a run; `MEDCHAIN_FUZZ_SEED` (default 0) picks
//! its inputs.

use crate::common::{babe_header, join, new_ext, signed_by, timestamp_inherent, GENERAL, NOW_SECS};
use arbitrary::Unstructured;
use codec::{Compact, Decode, Encode};
use medchain_primitives::{ConsentAction, OrganisationKind, PractitionerRole, PurposeOfUse};
use medchain_runtime::{
	genesis_config_presets::DEVELOPMENT_PRESET, AccountId, AllPalletsWithSystem, ClinicalTrials,
	Consent, Directory, Executive, MedicalRecords, Prescriptions, Runtime, RuntimeCall,
	RuntimeError, RuntimeEvent, RuntimeOrigin, System, SLOT_DURATION,
};
use pallet_consent_runtime_api::{Effect, Grantee, Provision};
use polkadot_sdk::{
	frame_support::{
		assert_ok,
		traits::{CallMetadata, GetCallMetadata, TryState, TryStateSelect},
	},
	pallet_sudo, pallet_timestamp,
	sp_core::{hexdisplay::HexDisplay, sr25519, Pair},
	sp_io::hashing::blake2_256,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		transaction_validity::{InvalidTransaction, TransactionValidityError},
		DispatchError,
	},
};
use scale_info::{form::PortableForm, PortableRegistry, TypeDef, TypeDefPrimitive, Variant};
use std::{
	collections::BTreeMap,
	panic::{catch_unwind, AssertUnwindSafe},
	path::{Path, PathBuf},
};

/// The pallets whose calls the fuzzer sends (by their name in `RuntimeCall`).
const FUZZED_PALLETS: &[&str] = &[
	"Directory",
	"MedicalRecords",
	"Consent",
	"ClinicalTrials",
	"FreeCalls",
	"Prescriptions",
	"Claims",
	"Rewards",
];

/// The accounts that sign: Alice (also sudo, and a pharmacist), Bob (a hospital's and a
/// pharmacy's admin), Charlie (the hospital's physician), Dave and Eve (patients; Eve also a
/// licensed manufacturer), Ferdie (the hospital's nurse).
const SIGNERS: [Sr25519Keyring; 6] = [
	Sr25519Keyring::Alice,
	Sr25519Keyring::Bob,
	Sr25519Keyring::Charlie,
	Sr25519Keyring::Dave,
	Sr25519Keyring::Eve,
	Sr25519Keyring::Ferdie,
];

/// Bytes per case: enough for its calls.
const CASE_BYTES: usize = 8 * 1024;

/// Calls per case at most. Random calls wear the base state down (the physician leaves, the
/// patient deregisters), so cases are short and many.
const CASE_CALLS: usize = 80;

/// The first slot: the chain's clock then reads just after [`NOW_SECS`], the time the tests'
/// licences and consents are written around.
const FIRST_SLOT: u64 = NOW_SECS * 1000 / SLOT_DURATION + 1;

/// A pallet's index in `RuntimeCall` and the calls the fuzzer draws from it.
struct PalletCalls {
	index: u8,
	calls: Vec<Variant<PortableForm>>,
}

/// Writes the SCALE encoding of random values of the runtime's types, drawn from small pools.
struct Generator {
	registry: PortableRegistry,
	/// The fuzzed pallets' calls, and `Utility`'s batches of them (resolved once from the
	/// registry).
	pallets: Vec<PalletCalls>,
	batches: PalletCalls,
	/// The signers' accounts and key pairs, in [`SIGNERS`]' order (a pair is derived once:
	/// deriving one from its seed phrase costs more than applying a call).
	accounts: Vec<AccountId>,
	pairs: Vec<sr25519::Pair>,
}

/// How deep calls may nest (a `Utility::batch` of calls is one level).
const MAX_NESTING: u32 = 1;

impl Generator {
	fn new() -> Self {
		let mut registry = scale_info::Registry::new();
		let call = registry.register_type(&scale_info::meta_type::<RuntimeCall>()).id;
		let registry: PortableRegistry = registry.into();
		let Some(TypeDef::Variant(runtime_call)) = registry.resolve(call).map(|t| &t.type_def)
		else {
			panic!("RuntimeCall is an enum of the pallets' calls");
		};
		// `None` for a pallet without calls (`FreeCalls` today), which `RuntimeCall` leaves out.
		let calls_of = |pallet: &str, wanted: &dyn Fn(&str) -> bool| {
			let variant = runtime_call.variants.iter().find(|v| v.name == pallet)?;
			let Some(TypeDef::Variant(calls)) = variant
				.fields
				.first()
				.and_then(|field| registry.resolve(field.ty.id))
				.map(|t| &t.type_def)
			else {
				panic!("{pallet}'s calls are an enum");
			};
			let calls = calls.variants.iter().filter(|c| wanted(&c.name)).cloned().collect();
			Some(PalletCalls { index: variant.index, calls })
		};
		let pallets =
			FUZZED_PALLETS.iter().filter_map(|pallet| calls_of(pallet, &|_| true)).collect();
		let batches =
			calls_of("Utility", &|name| ["batch", "batch_all", "force_batch"].contains(&name))
				.expect("the runtime has Utility's batches");
		Generator {
			pallets,
			batches,
			registry,
			accounts: SIGNERS.iter().map(|k| k.to_account_id()).collect(),
			pairs: SIGNERS.iter().map(|k| k.pair()).collect(),
		}
	}

	/// A random call of a fuzzed pallet (or, one time in twenty at the top level, a
	/// `Utility::batch`/`batch_all`/`force_batch` of them), decoded as the runtime would decode
	/// it. `None` when the bytes drawn do not decode (a bound exceeded).
	fn runtime_call(&self, u: &mut Unstructured) -> arbitrary::Result<Option<RuntimeCall>> {
		let mut out = Vec::new();
		self.call_bytes(u, 0, &mut out)?;
		Ok(RuntimeCall::decode(&mut &out[..]).ok())
	}

	fn call_bytes(&self, u: &mut Unstructured, nesting: u32, out: &mut Vec<u8>) -> Result {
		let batch = nesting < MAX_NESTING && u.ratio(1, 20)?;
		let pallet = if batch { &self.batches } else { u.choose(&self.pallets)? };
		out.push(pallet.index);
		let call = u.choose(&pallet.calls)?;
		out.push(call.index);
		for field in &call.fields {
			self.value(u, field.ty.id, nesting, out)?;
		}
		Ok(())
	}

	/// How many calls the fuzzed pallets have.
	fn fuzzed_calls(&self) -> usize {
		self.pallets.iter().map(|pallet| pallet.calls.len()).sum()
	}

	fn ty(&self, id: u32) -> arbitrary::Result<&scale_info::Type<PortableForm>> {
		self.registry.resolve(id).ok_or(arbitrary::Error::IncorrectFormat)
	}

	/// A value of type `id`, SCALE-encoded onto `out`.
	fn value(&self, u: &mut Unstructured, id: u32, nesting: u32, out: &mut Vec<u8>) -> Result {
		let ty = self.ty(id)?;
		match ty.path.segments.last().map(String::as_str) {
			Some("AccountId32") => return self.account(u, out),
			// Only `MultiAddress::Id` names an account on this chain (no indices pallet).
			Some("MultiAddress") => {
				out.push(0);
				return self.account(u, out);
			},
			Some("RuntimeCall") => return self.call_bytes(u, nesting + 1, out),
			_ => {},
		}
		match &ty.type_def {
			TypeDef::Composite(composite) => {
				for field in &composite.fields {
					self.value(u, field.ty.id, nesting, out)?;
				}
			},
			TypeDef::Variant(variants) => {
				let variant = u.choose(&variants.variants)?;
				out.push(variant.index);
				for field in &variant.fields {
					self.value(u, field.ty.id, nesting, out)?;
				}
			},
			TypeDef::Sequence(sequence) => {
				let element = sequence.type_param.id;
				if self.is_byte(element) {
					bytes(u, out)?;
				} else {
					let len = u.int_in_range(0u32..=3)?;
					Compact(len).encode_to(out);
					for _ in 0..len {
						self.value(u, element, nesting, out)?;
					}
				}
			},
			TypeDef::Array(array) => {
				if self.is_byte(array.type_param.id) && array.len == 32 {
					out.extend_from_slice(&word(u)?);
				} else {
					for _ in 0..array.len {
						self.value(u, array.type_param.id, nesting, out)?;
					}
				}
			},
			TypeDef::Tuple(tuple) => {
				for field in &tuple.fields {
					self.value(u, field.id, nesting, out)?;
				}
			},
			TypeDef::Primitive(primitive) => primitive_value(u, primitive, out)?,
			TypeDef::Compact(_) => Compact(number(u, u32::MAX.into())?).encode_to(out),
			TypeDef::BitSequence(_) => return Err(arbitrary::Error::IncorrectFormat),
		}
		Ok(())
	}

	fn is_byte(&self, id: u32) -> bool {
		matches!(
			self.registry.resolve(id).map(|t| &t.type_def),
			Some(TypeDef::Primitive(TypeDefPrimitive::U8))
		)
	}

	/// One of the signers, or (one time in ten) an account nobody holds.
	fn account(&self, u: &mut Unstructured, out: &mut Vec<u8>) -> Result {
		if u.ratio(1, 10)? {
			out.extend_from_slice(&u.arbitrary::<[u8; 32]>()?);
		} else {
			u.choose(&self.accounts)?.encode_to(out);
		}
		Ok(())
	}
}

type Result = arbitrary::Result<()>;

/// A 32-byte value from a small pool (the tests' class tags and pseudonyms among them), or
/// (one time in eight) any 32 bytes.
fn word(u: &mut Unstructured) -> arbitrary::Result<[u8; 32]> {
	if u.ratio(1, 8)? {
		return u.arbitrary();
	}
	Ok([*u.choose(&[0x01u8, 0x02, 0x03, 0x05, 0x09, 0x42])?; 32])
}

/// The CIDs byte strings are drawn from.
const CIDS: &[&[u8]] = &[
	b"bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
	b"bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
];

/// A byte string: empty, a CID, a short name, or a blob of a length near the pallets' bounds.
fn bytes(u: &mut Unstructured, out: &mut Vec<u8>) -> Result {
	let chosen: Vec<u8> = match u.int_in_range(0u8..=5)? {
		0 => Vec::new(),
		1 | 2 => u.choose(CIDS)?.to_vec(),
		3 => b"St Example Hospital"[..u.int_in_range(1usize..=19)?].to_vec(),
		4 => {
			let len = *u.choose(&[16usize, 32, 48, 64, 80, 96, 128, 257, 1025])?;
			vec![u.arbitrary::<u8>()?; len]
		},
		_ => {
			let len = u.int_in_range(0usize..=64)?;
			u.bytes(len)?.to_vec()
		},
	};
	Compact(u32::try_from(chosen.len()).unwrap_or(u32::MAX)).encode_to(out);
	out.extend_from_slice(&chosen);
	Ok(())
}

/// A number up to `max`: mostly small (ids, counts, indices; zero most often, the id of the
/// base state's organisation, record and trial), sometimes a time around the chain's clock in
/// seconds or milliseconds, a balance, or a bound.
fn number(u: &mut Unstructured, max: u128) -> arbitrary::Result<u128> {
	let n: u128 = match u.int_in_range(0u8..=19)? {
		0..=5 => 0,
		6..=11 => u.int_in_range(1u128..=4)?,
		12 | 13 => u.int_in_range(5u128..=700)?,
		14 => u128::from(NOW_SECS) + u128::from(u.int_in_range(0u32..=400)?) * 86_400 - 86_400 * 30,
		15 => (u128::from(NOW_SECS) + u128::from(u.int_in_range(0u32..=400)?) * 86_400) * 1000,
		16 => *u.choose(&[1_000_000_000_000u128, 1_000_000_000_000_000, 10u128.pow(21)])?,
		17 => max,
		_ => u.int_in_range(0..=max)?,
	};
	Ok(n.min(max))
}

fn primitive_value(
	u: &mut Unstructured,
	primitive: &TypeDefPrimitive,
	out: &mut Vec<u8>,
) -> Result {
	match primitive {
		TypeDefPrimitive::Bool => u.arbitrary::<bool>()?.encode_to(out),
		TypeDefPrimitive::U8 => (number(u, u8::MAX.into())? as u8).encode_to(out),
		TypeDefPrimitive::U16 => (number(u, u16::MAX.into())? as u16).encode_to(out),
		TypeDefPrimitive::U32 => (number(u, u32::MAX.into())? as u32).encode_to(out),
		TypeDefPrimitive::U64 => (number(u, u64::MAX.into())? as u64).encode_to(out),
		TypeDefPrimitive::U128 => number(u, u128::MAX)?.encode_to(out),
		TypeDefPrimitive::Str => bytes(u, out)?,
		_ => return Err(arbitrary::Error::IncorrectFormat),
	}
	Ok(())
}

/// What one case did, and what a run adds up.
#[derive(Default)]
struct Tally {
	calls: usize,
	blocks: usize,
	undecodable: usize,
	/// Per call (`Pallet::call`): how often it dispatched successfully, and how often it failed
	/// (by error name).
	outcomes: BTreeMap<String, (usize, BTreeMap<String, usize>)>,
	/// Transactions the pool would have refused (bad proof, no funds, stale nonce ...).
	invalid: BTreeMap<String, usize>,
}

impl Tally {
	fn add(&mut self, other: Tally) {
		self.calls += other.calls;
		self.blocks += other.blocks;
		self.undecodable += other.undecodable;
		for (call, (ok, errors)) in other.outcomes {
			let entry = self.outcomes.entry(call).or_default();
			entry.0 += ok;
			for (error, n) in errors {
				*entry.1.entry(error).or_default() += n;
			}
		}
		for (why, n) in other.invalid {
			*self.invalid.entry(why).or_default() += n;
		}
	}

	fn outcome(&mut self, call: &RuntimeCall, result: std::result::Result<(), String>) {
		let entry = self.outcomes.entry(call_name(call)).or_default();
		match result {
			Ok(()) => entry.0 += 1,
			Err(error) => *entry.1.entry(error).or_default() += 1,
		}
	}

	/// How many distinct calls of the fuzzed pallets succeeded at least once.
	fn succeeded(&self) -> usize {
		self.outcomes
			.iter()
			.filter(|(call, (ok, _))| {
				*ok > 0 && FUZZED_PALLETS.iter().any(|p| call.split("::").next() == Some(*p))
			})
			.count()
	}
}

/// `Pallet::call` of a call.
fn call_name(call: &RuntimeCall) -> String {
	let CallMetadata { pallet_name, function_name } = call.get_call_metadata();
	format!("{pallet_name}::{function_name}")
}

/// A dispatch error by name: the pallet error's own name where there is one.
fn error_name(error: DispatchError) -> String {
	match error {
		DispatchError::Module(module) => match module.message {
			Some(message) => message.to_owned(),
			// Read back from an event (sudo's), the error has lost its name: look it up.
			None => RuntimeError::from_dispatch_error(error)
				.map(|e| format!("{e:?}"))
				.unwrap_or_else(|| format!("{module:?}")),
		},
		other => format!("{other:?}"),
	}
}

/// The state every case starts from: the development genesis (Alice validator and sudo), a
/// hospital whose admin is Bob, with Charlie its physician and Ferdie its nurse, and Dave and
/// Eve registered as patients, Dave's grant to Charlie to read and write his general data for
/// treatment, Charlie's record 0 of Dave, and the hospital's trial 0 recruiting; the clock at
/// [`NOW_SECS`].
fn base_state() -> polkadot_sdk::sp_io::TestExternalities {
	let mut ext = new_ext(DEVELOPMENT_PRESET);
	ext.execute_with(|| {
		pallet_timestamp::Now::<Runtime>::put(NOW_SECS * 1000);
		let bob = Sr25519Keyring::Bob.to_account_id();
		assert_ok!(Directory::register_organisation(
			RuntimeOrigin::root(),
			OrganisationKind::Hospital,
			bob.clone().into(),
			b"St Example Hospital".to_vec().try_into().expect("a short name"),
		));
		join(&bob, 0, &Sr25519Keyring::Charlie.to_account_id(), PractitionerRole::Physician);
		join(&bob, 0, &Sr25519Keyring::Ferdie.to_account_id(), PractitionerRole::Nurse);
		for (patient, seed) in [(Sr25519Keyring::Dave, 9u8), (Sr25519Keyring::Eve, 10)] {
			assert_ok!(Directory::register_patient(
				RuntimeOrigin::signed(patient.to_account_id()),
				[seed; 32],
				[seed + 1; 32],
			));
		}
		assert_ok!(Consent::grant_consent(
			RuntimeOrigin::signed(Sr25519Keyring::Dave.to_account_id()),
			Grantee::Account(Sr25519Keyring::Charlie.to_account_id()),
			Provision {
				effect: Effect::Permit,
				actions: vec![ConsentAction::Read, ConsentAction::Write]
					.try_into()
					.expect("two actions"),
				purposes: vec![PurposeOfUse::Treatment].try_into().expect("one purpose"),
				classes: vec![GENERAL].try_into().expect("one class"),
				records: Default::default(),
			},
			None,
			None,
		));
		// Record 0: Charlie's record of Dave, so that calls on an existing record get past
		// their first check (values from the generator's pools).
		let charlie = || RuntimeOrigin::signed(Sr25519Keyring::Charlie.to_account_id());
		assert_ok!(MedicalRecords::anchor_record(
			charlie(),
			Sr25519Keyring::Dave.to_account_id().into(),
			GENERAL,
			pallet_medical_records::VersionContent {
				ciphertext_hash: [0x09; 32],
				plaintext_commitment: [0x42; 32],
				cid: CIDS[0].to_vec().try_into().expect("a short CID"),
			},
			vec![0xA1; 80].try_into().expect("a wrapped key"),
			vec![0xA2; 80].try_into().expect("a wrapped key"),
		));
		// Trial 0: sponsored by the hospital, its site, a consent form, recruiting (Ferdie
		// randomises), so that the trial calls reach past "no such trial".
		let bob = || RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id());
		assert_ok!(ClinicalTrials::register_trial(
			bob(),
			0,
			None,
			pallet_clinical_trials::Protocol {
				protocol: [0x01; 32],
				sap: [0x02; 32],
				primary_outcomes: vec![[0x03; 32]].try_into().expect("one outcome"),
				secondary_outcomes: Default::default(),
			},
			10,
			2,
			1_000,
		));
		assert_ok!(ClinicalTrials::add_site(bob(), 0, 0));
		assert_ok!(ClinicalTrials::publish_consent_form(bob(), 0, [0x05; 32]));
		assert_ok!(ClinicalTrials::open_recruitment(
			bob(),
			0,
			Sr25519Keyring::Ferdie.to_account_id(),
			blake2_256(&[0x09; 32]),
		));
		// A pharmacy (organisation 1, Bob its admin, Alice its pharmacist) holding batch 0x05…
		// of Eve, a licensed manufacturer; and prescription 0x03… of Charlie's with four fills,
		// for which the patient's one-time key chose that pharmacy, so that the dispensing
		// calls reach past "no pharmacy chosen" (a choice needs a signature random bytes never
		// make).
		let alice = Sr25519Keyring::Alice.to_account_id();
		let eve = || RuntimeOrigin::signed(Sr25519Keyring::Eve.to_account_id());
		assert_ok!(Directory::register_organisation(
			RuntimeOrigin::root(),
			OrganisationKind::Pharmacy,
			Sr25519Keyring::Bob.to_account_id().into(),
			b"Corner Pharmacy".to_vec().try_into().expect("a short name"),
		));
		join(&Sr25519Keyring::Bob.to_account_id(), 1, &alice, PractitionerRole::Pharmacist);
		assert_ok!(Prescriptions::license_supplier(
			RuntimeOrigin::root(),
			Sr25519Keyring::Eve.to_account_id(),
			pallet_prescriptions::SupplierKind::Manufacturer,
		));
		assert_ok!(Prescriptions::register_batch(eve(), [0x05; 32], [0x01; 32], [0x02; 32]));
		assert_ok!(Prescriptions::ship_batch(
			eve(),
			[0x05; 32],
			pallet_prescriptions::Holder::Pharmacy(1)
		));
		let pharmacist = || RuntimeOrigin::signed(alice.clone());
		assert_ok!(Prescriptions::receive_batch(pharmacist(), [0x05; 32]));
		let counter = sr25519::Pair::from_seed(&[0x07; 32]);
		assert_ok!(Prescriptions::prescribe(
			charlie(),
			[0x03; 32],
			[0x01; 32],
			[0x02; 32],
			AccountId::from(counter.public()),
			4,
			30 * medchain_runtime::DAYS,
		));
		let message = pallet_prescriptions_runtime_api::choice_message(
			System::block_hash(0).as_ref(),
			&[0x03; 32],
			1,
			0,
		);
		let choice = medchain_runtime::Signature::Sr25519(counter.sign(&message));
		assert_ok!(Prescriptions::reserve_fill(pharmacist(), [0x03; 32], Some(choice)));
		assert_ok!(Prescriptions::release_fill(pharmacist(), [0x03; 32]));
		System::reset_events();
	});
	ext
}

/// Runs one case: blocks of random calls read from `input` until it runs out, checking every
/// invariant after each block. `Err` names the invariant broken; a panic propagates.
fn run_case(generator: &Generator, input: &[u8]) -> std::result::Result<Tally, String> {
	let mut tally = Tally::default();
	let mut u = Unstructured::new(input);
	let mut ext = base_state();
	ext.execute_with(|| {
		let mut parent = System::block_hash(0);
		let mut slot = FIRST_SLOT;
		let mut number = 0u32;
		while tally.calls < CASE_CALLS && !u.is_empty() {
			number += 1;
			let header = babe_header(number, parent, slot);
			Executive::initialize_block(&header);
			Executive::apply_extrinsic(timestamp_inherent(slot))
				.map_err(|e| format!("block {number}: the timestamp inherent is invalid: {e:?}"))?
				.map_err(|e| format!("block {number}: the timestamp inherent failed: {e:?}"))?;
			let calls = u.int_in_range(1usize..=8).unwrap_or(1);
			for _ in 0..calls {
				if apply_random(generator, &mut u, &mut tally).is_err() {
					break;
				}
			}
			let header = Executive::finalize_block();
			parent = header.hash();
			tally.blocks += 1;
			AllPalletsWithSystem::try_state(number, TryStateSelect::All)
				.map_err(|e| format!("after block {number}: try_state: {e:?}"))?;
			// Mostly the next slot; sometimes a gap (a missed author), sometimes past a session.
			slot += match u.int_in_range(0u8..=9).unwrap_or(0) {
				0..=6 => 1,
				7 | 8 => u.int_in_range(2u64..=20).unwrap_or(2),
				_ => u.int_in_range(21u64..=150).unwrap_or(21),
			};
		}
		Ok(tally)
	})
}

/// Draws one call and one origin and applies it as an extrinsic. `Err` when the input ran out
/// or the block is full.
fn apply_random(generator: &Generator, u: &mut Unstructured, tally: &mut Tally) -> Result {
	let Some(call) = generator.runtime_call(u)? else {
		tally.undecodable += 1;
		return Ok(());
	};
	let as_root = u.ratio(1, 8)?;
	// Alice is the sudo key.
	let signer_index = if as_root { 0 } else { u.choose_index(SIGNERS.len())? };
	let nonce = System::account_nonce(&generator.accounts[signer_index]);
	let sent = if as_root {
		RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call.clone()) })
	} else {
		call.clone()
	};
	tally.calls += 1;
	System::reset_events();
	let pair = &generator.pairs[signer_index];
	match Executive::apply_extrinsic(signed_by(sent, pair, nonce)) {
		Ok(Ok(())) if as_root => tally.outcome(&call, sudo_result()),
		Ok(result) => tally.outcome(&call, result.map_err(error_name)),
		Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources)) => {
			return Err(arbitrary::Error::NotEnoughData)
		},
		Err(invalid) => *tally.invalid.entry(format!("{invalid:?}")).or_default() += 1,
	}
	Ok(())
}

/// The result of the call sudo dispatched, from its `Sudid` event.
fn sudo_result() -> std::result::Result<(), String> {
	System::events()
		.into_iter()
		.find_map(|record| match record.event {
			RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result }) => {
				Some(sudo_result.map_err(error_name))
			},
			_ => None,
		})
		.unwrap_or_else(|| Err("no Sudid event".into()))
}

/// Runs a case and turns a broken invariant or a panic into an error naming the input, which
/// is saved for replay.
fn checked_case(generator: &Generator, input: &[u8]) -> std::result::Result<Tally, String> {
	let outcome = catch_unwind(AssertUnwindSafe(|| run_case(generator, input)));
	let failure = match outcome {
		Ok(Ok(tally)) => return Ok(tally),
		Ok(Err(broken)) => broken,
		Err(panic) => format!(
			"panicked: {}",
			panic
				.downcast_ref::<String>()
				.cloned()
				.or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
				.unwrap_or_default()
		),
	};
	let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
	let file = dir.join(format!("{}.bin", HexDisplay::from(&&blake2_256(input)[..8])));
	let saved = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, input));
	Err(format!("{failure} (input saved as {}: {saved:?})", file.display()))
}

/// The bytes of case `case` of the run seeded with `seed`.
fn case_input(seed: u64, case: u64) -> Vec<u8> {
	(0u64..).flat_map(|chunk| blake2_256(&(seed, case, chunk).encode())).take(CASE_BYTES).collect()
}

fn env_number(name: &str, default: u64) -> u64 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn corpus() -> Vec<PathBuf> {
	let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
	let mut files: Vec<_> = std::fs::read_dir(&dir)
		.unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
		.map(|entry| entry.expect("a corpus entry").path())
		.filter(|path| path.extension().is_some_and(|e| e == "bin"))
		.collect();
	files.sort();
	files
}

fn report(tally: &Tally) -> String {
	let mut text = format!(
		"{} calls in {} blocks ({} drawn calls did not decode); {} calls succeeded at least once\n",
		tally.calls,
		tally.blocks,
		tally.undecodable,
		tally.succeeded()
	);
	for (call, (ok, errors)) in &tally.outcomes {
		let failed: usize = errors.values().sum();
		text += &format!("  {call:<45} ok {ok:>5}  failed {failed:>5}");
		let mut top: Vec<_> = errors.iter().collect();
		top.sort_by(|a, b| b.1.cmp(a.1));
		for (error, n) in top.into_iter().take(3) {
			text += &format!("  {error} ×{n}");
		}
		text += "\n";
	}
	for (why, n) in &tally.invalid {
		text += &format!("  not valid as a transaction: {why} ×{n}\n");
	}
	text
}

/// Every saved input replays without a panic or a broken invariant.
#[test]
fn the_regression_corpus_replays_clean() {
	// The pallets log which invariant broke (`try_state` only returns that one did).
	polkadot_sdk::sp_tracing::try_init_simple();
	let generator = Generator::new();
	let files = corpus();
	assert!(!files.is_empty(), "the corpus holds the inputs earlier runs kept");
	for file in files {
		let input = std::fs::read(&file).expect("a readable corpus file");
		if let Err(failure) = checked_case(&generator, &input) {
			panic!("{}: {failure}", file.display());
		}
	}
}

/// At least `MEDCHAIN_FUZZ_CALLS` random calls (10,000 by default) through the real runtime:
/// none panics, every invariant holds after every block, and the calls reach deep enough that
/// most of the healthcare calls succeed at least once (a generator that only produced errors
/// would test nothing but the first check of each call).
#[test]
fn random_calls_never_panic_or_break_an_invariant() {
	polkadot_sdk::sp_tracing::try_init_simple();
	let target = env_number("MEDCHAIN_FUZZ_CALLS", 10_000) as usize;
	let seed = env_number("MEDCHAIN_FUZZ_SEED", 0);
	let generator = Generator::new();
	let mut tally = Tally::default();
	let mut case = 0u64;
	while tally.calls < target {
		let input = case_input(seed, case);
		match checked_case(&generator, &input) {
			Ok(one) => tally.add(one),
			Err(failure) => panic!("seed {seed}, case {case}: {failure}\n{}", report(&tally)),
		}
		case += 1;
	}
	println!("seed {seed}: {case} cases, {}", report(&tally));
	assert!(tally.calls >= target);
	assert!(tally.blocks > tally.calls / 8, "blocks of at most eight calls");
	let healthcare_calls = generator.fuzzed_calls();
	assert!(healthcare_calls >= 50, "the healthcare pallets' calls are found in the metadata");
	// Seed 0 reaches 37 calls' success paths, claims' and rewards' included (18 from a base
	// state with no record or trial; the base state's record 0 and recruiting trial 0 open the
	// record-key and the trials' sponsor, investigator and results calls). Enrolment and withdrawal need ring proofs that
	// random bytes never make.
	assert!(
		tally.succeeded() >= 25,
		"only {} of {healthcare_calls} calls ever succeeded:\n{}",
		tally.succeeded(),
		report(&tally)
	);
}
