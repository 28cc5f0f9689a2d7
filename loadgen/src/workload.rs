//! The run's extrinsics, signed before the first is submitted (so signing never limits the
//! rate), and their submission to the node's pool.

use std::{
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

use medchain_client::{
	chain::{runtime, types, Chain, Config, Keypair, H256},
	classes::{ClassTag, DataClass},
	consent::{ConsentAction, Effect, Grantee, PurposeOfUse},
};
use subxt::{transactions::Payload, utils::MultiAddress, OnlineClientAtBlock};
use tokio::sync::Semaphore;

use crate::{monitor::Tracker, setup::Population, Args, Error, Kind};

/// Grants one patient signs in a run: a patient's own calls are free up to 50 a day and the
/// setup spends one.
pub const GRANTS_PER_PATIENT: u32 = 49;
/// How long a submission waits before trying again when the pool is full.
const POOL_FULL_BACKOFF: Duration = Duration::from_millis(200);

/// One signed extrinsic of the run.
pub struct Signed {
	/// Its kind.
	pub kind: Kind,
	/// Its hash (BLAKE2-256 of its bytes), as it will appear in a block.
	pub hash: H256,
	/// Its SCALE encoding, as submitted.
	pub bytes: Vec<u8>,
}

/// Signs `args.count` extrinsics of each kind, interleaved: the `i`-th of every kind before the
/// `i+1`-th of any, so that the kinds reach the pool side by side. Signer `j` of a kind signs
/// extrinsics `j`, `j + senders`, … with consecutive nonces from its finalized nonce.
pub async fn presign(
	chain: &Chain,
	population: &Population,
	args: &Args,
) -> Result<Vec<Signed>, Error> {
	let at = chain.at_finalized().await.map_err(|e| format!("reading the chain: {e}"))?;
	let mut nonces = std::collections::BTreeMap::new();
	for (kind, signers) in &population.signers {
		let mut first = Vec::with_capacity(signers.len());
		for signer in signers {
			let account = subxt::utils::AccountId32(signer.public_key().0);
			let nonce = at
				.transactions()
				.account_nonce(&account)
				.await
				.map_err(|e| format!("reading a {} signer's nonce: {e}", kind.name()))?;
			first.push(nonce);
		}
		nonces.insert(*kind, first);
	}
	let tags: Vec<ClassTag> =
		population.patients.iter().map(|p| p.class_key.tag(DataClass::General)).collect();

	let mut signed = Vec::new();
	let most = args.kinds.iter().map(|k| args.count_of(*k)).max().unwrap_or(0);
	for i in 0..most {
		for kind in args.kinds.iter().filter(|k| i < args.count_of(**k)) {
			let signers = population
				.signers
				.get(kind)
				.ok_or_else(|| format!("no signers for {}", kind.name()))?;
			let count = u32::try_from(signers.len()).map_err(|_| "too many signers")?;
			let who = (i % count) as usize;
			let nonce = nonces[kind][who] + u64::from(i / count);
			let signer = &signers[who];
			let patient = (i as usize) % population.patients.len().max(1);
			let extrinsic = match kind {
				Kind::Transfer => {
					let call = runtime::transactions().balances().transfer_keep_alive(
						MultiAddress::Id(population.transfer_destination),
						1_000_000_000,
					);
					sign(&at, &call, signer, nonce)?
				},
				Kind::Anchor => {
					use types::{
						bounded_collections::bounded_vec::BoundedVec,
						pallet_medical_records::types::VersionContent,
					};
					let content = VersionContent {
						ciphertext_hash: random()?,
						plaintext_commitment: random()?,
						// The length of a CIDv1 (raw, sha2-256) in text, as clients anchor it.
						cid: BoundedVec(hex::encode(random::<30>()?).into_bytes()[..59].to_vec()),
					};
					let call = runtime::transactions().medical_records().anchor_record(
						MultiAddress::Id(population.patients[patient].account()),
						tags[patient].clone(),
						content,
						// Wrapped keys of the size the client makes (HPKE X25519: 32 + 32 + 16).
						BoundedVec(random::<80>()?.to_vec()),
						BoundedVec(random::<80>()?.to_vec()),
					);
					sign(&at, &call, signer, nonce)?
				},
				Kind::Access => {
					use types::medchain_primitives::AccessTarget;
					let call = runtime::transactions().consent().record_access(
						MultiAddress::Id(population.patients[patient].account()),
						AccessTarget::Class(tags[patient].clone()),
						PurposeOfUse::Treatment,
						ConsentAction::Read,
					);
					sign(&at, &call, signer, nonce)?
				},
				Kind::Grant => {
					use types::{
						bounded_collections::bounded_vec::BoundedVec,
						pallet_consent_runtime_api::Provision,
					};
					// Patient `who` grants a new account read access to their general records.
					let provision = Provision {
						effect: Effect::Permit,
						actions: BoundedVec(vec![ConsentAction::Read]),
						purposes: BoundedVec(vec![PurposeOfUse::Treatment]),
						classes: BoundedVec(vec![tags[who].clone()]),
						records: BoundedVec(Vec::new()),
					};
					let grantee = Grantee::Account(medchain_client::chain::AccountId(random()?));
					let call = runtime::transactions()
						.consent()
						.grant_consent(grantee, provision, None, None);
					sign(&at, &call, signer, nonce)?
				},
				Kind::Batch => {
					let call = runtime::transactions()
						.medical_records()
						.anchor_batch(random()?, args.batch_leaves);
					sign(&at, &call, signer, nonce)?
				},
			};
			signed.push(Signed { kind: *kind, hash: extrinsic.0, bytes: extrinsic.1 });
		}
	}
	Ok(signed)
}

/// Signs `call` with `signer` at `nonce`, immortal (the run is short and the chain new).
fn sign<P: Payload>(
	at: &OnlineClientAtBlock<Config>,
	call: &P,
	signer: &Keypair,
	nonce: u64,
) -> Result<(H256, Vec<u8>), Error> {
	let params = subxt::config::DefaultExtrinsicParamsBuilder::<Config>::new().nonce(nonce).build();
	let mut signable = at
		.transactions()
		.create_signable_offline(call, params)
		.map_err(|e| format!("building {}.{}: {e}", call.pallet_name(), call.call_name()))?;
	let signed = signable
		.sign(signer)
		.map_err(|e| format!("signing {}.{}: {e}", call.pallet_name(), call.call_name()))?;
	Ok((signed.hash(), signed.into_encoded()))
}

/// `N` random bytes.
fn random<const N: usize>() -> Result<[u8; N], Error> {
	let mut bytes = [0u8; N];
	getrandom::fill(&mut bytes).map_err(|e| format!("the system's random source: {e}"))?;
	Ok(bytes)
}

/// Whether the pool refused for lack of room (or a temporary ban), which passes: the
/// extrinsic is offered again. Anything else is a rejection of the extrinsic itself.
fn pool_full(message: &str) -> bool {
	// 1014: priority too low (the pool is full of better ones); 1016: immediately dropped
	// (the pool is full); 1012: temporarily banned (recently dropped).
	["1012", "1014", "1016", "Immediately Dropped", "limit reached", "Temporarily Banned"]
		.iter()
		.any(|m| message.contains(m))
}

/// Submits `signed` in order with `author_submitExtrinsic`, at most `args.concurrency` at once
/// and, if `args.rate` is set, that many per second. A submission refused because the pool is
/// full is offered again until the run's time is up; the first submission's time counts.
pub async fn submit(
	chain: Chain,
	signed: Vec<Signed>,
	tracker: Arc<Mutex<Tracker>>,
	args: &Args,
) -> Result<(), Error> {
	let deadline = Duration::from_secs(args.max_seconds);
	let started = Instant::now();
	let permits = Arc::new(Semaphore::new(args.concurrency));
	let mut pace = (args.rate > 0).then(|| {
		let mut interval =
			tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(args.rate)));
		interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
		interval
	});
	let mut tasks = tokio::task::JoinSet::new();
	for extrinsic in signed {
		if started.elapsed() > deadline {
			break;
		}
		if let Some(pace) = pace.as_mut() {
			pace.tick().await;
		}
		let permit =
			permits.clone().acquire_owned().await.map_err(|_| "the submission limiter closed")?;
		let chain = chain.clone();
		let tracker = tracker.clone();
		tasks.spawn(async move {
			let _permit = permit;
			let hex = format!("0x{}", hex::encode(&extrinsic.bytes));
			if let Ok(mut t) = tracker.lock() {
				t.submitted(extrinsic.hash);
			}
			loop {
				let answer: Result<H256, _> = chain
					.raw_rpc()
					.request("author_submitExtrinsic", subxt::rpcs::rpc_params![hex.clone()])
					.await;
				match answer {
					Ok(_) => break,
					Err(e) => {
						let message = e.to_string();
						let retry = pool_full(&message) && started.elapsed() < deadline;
						if let Ok(mut t) = tracker.lock() {
							t.refused(extrinsic.hash, &message, retry);
						}
						if !retry {
							break;
						}
						tokio::time::sleep(POOL_FULL_BACKOFF).await;
					},
				}
			}
		});
		// Keep the finished tasks from piling up.
		while tasks.try_join_next().is_some() {}
	}
	while tasks.join_next().await.is_some() {}
	Ok(())
}
