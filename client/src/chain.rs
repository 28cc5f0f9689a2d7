//! The chain side: a typed [subxt] client for a MedChain node.
//!
//! The calls, storage items, events and runtime APIs are generated at compile time from
//! `client/metadata/medchain.scale`, the metadata of the runtime in this repository
//! (`scripts/update-metadata.sh` regenerates it; a runtime test fails while it is stale). A node
//! running another runtime version refuses our transactions rather than misreading them.
//!
//! Every network wait has a bound ([`Chain::timeout`]); a transaction is done when it is in a
//! **finalized** block (the next transaction of the same account takes its nonce from the
//! finalized state), and a dispatch error comes back as [`ChainError::Refused`] with the
//! pallet's error name and its documentation line.

use std::{future::Future, time::Duration};

use subxt::{
	error::OnlineClientAtBlockError, extrinsics::ExtrinsicEvents, transactions::Payload,
	OnlineClient, OnlineClientAtBlock, PolkadotConfig,
};

pub use crate::account::AccountId;
pub use subxt::utils::H256;
pub use subxt_signer::sr25519::Keypair;

/// The runtime's calls, storage, events, constants and runtime APIs, generated from the
/// committed metadata.
///
/// Every generated type is `Clone + PartialEq + Eq`; the types the runtime APIs answer with are
/// also `serde::Serialize`, for the CLI's `--json` output.
#[subxt::subxt(
	runtime_metadata_path = "metadata/medchain.scale",
	derive_for_all_types = "Clone, PartialEq, Eq",
	substitute_type(path = "sp_core::crypto::AccountId32", with = "crate::account::AccountId"),
	// The codes the chain and its clients share are the primitives' own types, not copies.
	substitute_type(
		path = "medchain_primitives::OrganisationKind",
		with = "::medchain_primitives::OrganisationKind"
	),
	substitute_type(
		path = "medchain_primitives::PractitionerRole",
		with = "::medchain_primitives::PractitionerRole"
	),
	substitute_type(
		path = "medchain_primitives::PurposeOfUse",
		with = "::medchain_primitives::PurposeOfUse"
	),
	substitute_type(
		path = "medchain_primitives::ConsentAction",
		with = "::medchain_primitives::ConsentAction"
	),
	derive_for_type(
		path = "pallet_consent_runtime_api::Grant",
		derive = "serde::Serialize",
		recursive
	),
	derive_for_type(
		path = "pallet_consent_runtime_api::Offer",
		derive = "serde::Serialize",
		recursive
	),
	derive_for_type(
		path = "pallet_consent_runtime_api::AccessReceipt",
		derive = "serde::Serialize",
		recursive
	),
	derive_for_type(
		path = "medchain_primitives::Decision",
		derive = "serde::Serialize",
		recursive
	),
	derive_for_type(
		path = "pallet_clinical_trials_runtime_api::TrialInfo",
		derive = "serde::Serialize",
		recursive
	),
	derive_for_type(
		path = "pallet_clinical_trials_runtime_api::Amendment2",
		derive = "serde::Serialize",
		recursive
	),
	derive_for_type(
		path = "pallet_clinical_trials_runtime_api::ParticipantInfo",
		derive = "serde::Serialize",
		recursive
	),
	derive_for_type(
		path = "pallet_prescriptions_runtime_api::Prescription",
		derive = "serde::Serialize",
		recursive
	),
	derive_for_type(
		path = "pallet_prescriptions_runtime_api::Dispense",
		derive = "serde::Serialize",
		recursive
	),
	derive_for_type(
		path = "pallet_prescriptions_runtime_api::Batch",
		derive = "serde::Serialize",
		recursive
	),
	derive_for_type(
		path = "pallet_prescriptions_runtime_api::CustodyStep",
		derive = "serde::Serialize",
		recursive
	)
)]
pub mod runtime {}

/// The generated types of the runtime (pallet and primitive types by crate path).
pub use runtime::runtime_types as types;

/// The subxt configuration matching the runtime (`MultiAddress<AccountId, ()>` lookups,
/// sr25519 signatures, BLAKE2-256 hashes).
pub type Config = PolkadotConfig;

/// The node a client talks to unless told otherwise: a local dev node (`scripts/dev-chain.sh`).
pub const DEFAULT_URL: &str = "ws://127.0.0.1:9944";

/// What can go wrong talking to the chain.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
	/// The node could not be reached or did not speak MedChain.
	#[error("cannot connect to the node at {url}: {reason}")]
	Connect {
		/// The node's URL.
		url: String,
		/// Why.
		reason: String,
	},
	/// The node did not answer in time.
	#[error(
		"{what}: no answer from the node within {timeout:?} (is it running and producing blocks?)"
	)]
	Timeout {
		/// What was being waited for.
		what: String,
		/// How long.
		timeout: Duration,
	},
	/// The transaction was included in a finalized block and failed there: nothing changed.
	#[error("{what} was refused by the chain: {pallet}::{error}{}", doc_suffix(.doc))]
	Refused {
		/// The transaction.
		what: String,
		/// The pallet that refused it.
		pallet: String,
		/// The pallet's error name (e.g. `AccessDenied`).
		error: String,
		/// The error's documentation line.
		doc: String,
	},
	/// The transaction was not accepted into the pool or failed for a non-pallet reason.
	#[error("{what} failed: {reason}")]
	Failed {
		/// The transaction or query.
		what: String,
		/// Why.
		reason: String,
	},
	/// Something the chain was asked about does not exist.
	#[error("{0}")]
	NotFound(String),
	/// The node's answer is not what the chain holds, as far as the chain's own evidence
	/// (a storage proof against a GRANDPA-finalized header) shows: the node is faulty or
	/// hostile, and nothing was done with its answer (`crate::verified`).
	#[error(
		"{what}: the node's answer is not proven by the chain ({reason}); nothing was done with \
		 it. Use another node (--url), or your organisation's"
	)]
	Unverified {
		/// What was being read.
		what: String,
		/// What the check found.
		reason: String,
	},
}

fn doc_suffix(doc: &str) -> String {
	if doc.is_empty() {
		String::new()
	} else {
		format!(" ({doc})")
	}
}

impl ChainError {
	/// The pallet error name, if the chain refused a transaction.
	pub fn refusal(&self) -> Option<(&str, &str)> {
		match self {
			Self::Refused { pallet, error, .. } => Some((pallet, error)),
			_ => None,
		}
	}
}

/// What a signer that submits many transactions at once holds ([`Chain::submit_in_turn`]): its
/// turn at the pool, and the nonce after the last transaction it handed over.
#[derive(Debug, Default)]
pub struct Turn {
	next_nonce: tokio::sync::Mutex<Option<u64>>,
}

/// A transaction in a finalized block that succeeded.
pub struct Included {
	/// The block's number.
	pub block_number: u64,
	/// The block's hash.
	pub block_hash: H256,
	/// The transaction's hash.
	pub extrinsic_hash: H256,
	/// The transaction's events.
	pub events: ExtrinsicEvents<Config>,
}

impl Included {
	/// The first event of type `E` the transaction emitted.
	pub fn event<E: subxt::events::DecodeAsEvent>(&self) -> Result<E, ChainError> {
		match self.events.find_first::<E>() {
			Some(Ok(event)) => Ok(event),
			Some(Err(e)) => Err(undecodable::<E>(e)),
			None => Err(ChainError::NotFound(format!(
				"the transaction emitted no {} event",
				std::any::type_name::<E>()
			))),
		}
	}

	/// Every event of type `E` the transaction emitted, in order (none is not an error).
	pub fn events_of<E: subxt::events::DecodeAsEvent>(&self) -> Result<Vec<E>, ChainError> {
		self.events.find::<E>().map(|event| event.map_err(undecodable::<E>)).collect()
	}
}

/// An event of type `E` the chain emitted that does not decode as `E`.
fn undecodable<E>(error: impl std::fmt::Display) -> ChainError {
	ChainError::Failed {
		what: format!("decoding event {}", std::any::type_name::<E>()),
		reason: error.to_string(),
	}
}

/// A connection to a MedChain node.
#[derive(Clone)]
pub struct Chain {
	api: OnlineClient<Config>,
	/// The raw RPC connection the client uses too: for the proofs subxt does not ask for.
	pub(crate) rpc: subxt::rpcs::RpcClient,
	/// What reads are checked against ([`crate::verified`]), shared by the clones of a
	/// connection.
	pub(crate) trust: std::sync::Arc<tokio::sync::Mutex<crate::verified::Trust>>,
	url: String,
	/// The bound on each network wait.
	pub timeout: Duration,
	/// Called with a line of progress (submitted, in a block, finalized); the CLI prints it.
	progress: fn(&str),
	/// The recovered account every signed call is made for ([`Chain::acting_for`]).
	acting_for: Option<AccountId>,
}

fn no_progress(_: &str) {}

impl Chain {
	/// Connects to the node at `url` (`ws://` or `wss://`) within `timeout`.
	pub async fn connect(url: &str, timeout: Duration) -> Result<Self, ChainError> {
		let connect = async {
			let rpc = subxt::rpcs::RpcClient::from_url(url).await.map_err(|e| e.to_string())?;
			let api = OnlineClient::<Config>::from_rpc_client(rpc.clone())
				.await
				.map_err(|e| e.to_string())?;
			Ok::<_, String>((rpc, api))
		};
		let (rpc, api) = tokio::time::timeout(timeout, connect)
			.await
			.map_err(|_| ChainError::Timeout { what: format!("connecting to {url}"), timeout })?
			.map_err(|reason| ChainError::Connect { url: url.to_string(), reason })?;
		Ok(Self {
			api,
			rpc,
			trust: Default::default(),
			url: url.to_string(),
			timeout,
			progress: no_progress,
			acting_for: None,
		})
	}

	/// Keeps the trust checkpoint of each chain this connection meets in `dir`
	/// (`<dir>/<genesis>.json`): read from there when present (one an organisation handed
	/// out, or one this client saved before), written there on first use and as the
	/// authority set changes. Without it the checkpoint lives as long as the connection.
	pub fn trust_checkpoints_in(mut self, dir: std::path::PathBuf) -> Self {
		self.trust =
			std::sync::Arc::new(tokio::sync::Mutex::new(crate::verified::Trust::in_dir(dir)));
		self
	}

	/// Reports progress lines to `report` (e.g. print them to stderr).
	pub fn with_progress(mut self, report: fn(&str)) -> Self {
		self.progress = report;
		self
	}

	/// Reports a line of progress.
	pub(crate) fn report(&self, line: &str) {
		(self.progress)(line)
	}

	/// Makes every signed call for `recovered`, an account its friends recovered to the signer
	/// (`recovery.control_inherited_account`): the call runs as `recovered`, and its refusal comes
	/// back as [`ChainError::Refused`] like a direct call's. `None`: calls run as their signer.
	pub fn acting_for(mut self, recovered: Option<AccountId>) -> Self {
		self.acting_for = recovered;
		self
	}

	/// The node's URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// The underlying subxt client.
	pub fn api(&self) -> &OnlineClient<Config> {
		&self.api
	}

	/// The raw RPC connection (for calls subxt does not wrap, such as
	/// `author_submitExtrinsic` of pre-signed transactions).
	pub fn raw_rpc(&self) -> &subxt::rpcs::RpcClient {
		&self.rpc
	}

	/// The chain's genesis hash: what envelopes, wrapped keys, registrations and trial
	/// pseudonyms are bound to, so that none of them is valid on another chain.
	pub fn genesis(&self) -> [u8; 32] {
		self.api.genesis_hash().0
	}

	/// Runs `future`, failing with [`ChainError::Timeout`] after [`Chain::timeout`].
	pub async fn bounded<F: Future>(&self, what: &str, future: F) -> Result<F::Output, ChainError> {
		tokio::time::timeout(self.timeout, future)
			.await
			.map_err(|_| ChainError::Timeout { what: what.to_string(), timeout: self.timeout })
	}

	/// A client at the latest finalized block (what queries read).
	pub async fn at_finalized(&self) -> Result<OnlineClientAtBlock<Config>, ChainError> {
		let what = "getting the finalized block";
		self.at_pinned(what, 3, Duration::from_millis(250), || self.api.at_current_block())
			.await?
			.map_err(|e| failed(what, e))
	}

	/// A client at a block, from `at`, asked again up to `retries` times `pause` apart while the
	/// node says it has no such block: the block is not (yet) pinned by this connection's follow
	/// subscription. The node ends a subscription that lags (under load, with many operations at
	/// once), and the block may be announced on the next one late.
	async fn at_pinned<F, Fut>(
		&self,
		what: &str,
		retries: u32,
		pause: Duration,
		mut at: F,
	) -> Result<Result<OnlineClientAtBlock<Config>, OnlineClientAtBlockError>, ChainError>
	where
		F: FnMut() -> Fut,
		Fut: Future<Output = Result<OnlineClientAtBlock<Config>, OnlineClientAtBlockError>>,
	{
		let mut attempts = 0;
		loop {
			match self.bounded(what, at()).await? {
				Err(OnlineClientAtBlockError::BlockHeaderNotFound { .. }) if attempts < retries => {
					attempts += 1;
					tokio::time::sleep(pause).await;
				},
				result => return Ok(result),
			}
		}
	}

	/// The value at `address` (with its `keys`) in the finalized state; `None` if absent.
	pub async fn storage<A: subxt::storage::Address>(
		&self,
		what: &str,
		address: A,
		keys: A::KeyParts,
	) -> Result<Option<A::Value>, ChainError> {
		let at = self.at_finalized().await?;
		let storage = at.storage();
		let value = self
			.bounded(what, storage.try_fetch(address, keys))
			.await?
			.map_err(|e| failed(what, e))?;
		value.map(|v| v.decode()).transpose().map_err(|e| failed(what, e))
	}

	/// Calls a runtime API at the finalized block.
	pub async fn runtime_api<P: subxt::runtime_apis::Payload>(
		&self,
		what: &str,
		call: P,
	) -> Result<P::ReturnType, ChainError> {
		let at = self.at_finalized().await?;
		self.bounded(what, at.runtime_apis().call(call)).await?.map_err(|e| failed(what, e))
	}

	/// Calls a runtime API in the state of finalized block `block`: the answer the chain gave
	/// then. The node must still keep that block's state (an archive node keeps every block's;
	/// a pruning node only the latest few hundred).
	pub async fn runtime_api_at<P: subxt::runtime_apis::Payload>(
		&self,
		what: &str,
		call: P,
		block: u64,
	) -> Result<P::ReturnType, ChainError> {
		let finalized = self.at_finalized().await?.block_number();
		if block > finalized {
			return Err(ChainError::NotFound(format!(
				"block #{block} is not finalized (the finalized block is #{finalized})"
			)));
		}
		let at =
			self.bounded(what, self.api.at_block(block)).await?.map_err(|e| failed(what, e))?;
		self.bounded(what, at.runtime_apis().call(call)).await?.map_err(|e| failed(what, e))
	}

	/// Signs `call` with `signer`, submits it and waits until it is in a finalized block.
	/// Returns its events if it succeeded, [`ChainError::Refused`] if the chain refused it.
	pub async fn submit<P: Payload>(
		&self,
		what: &str,
		call: &P,
		signer: &Keypair,
	) -> Result<Included, ChainError> {
		self.submit_in_turn(what, call, signer, None).await
	}

	/// [`Chain::submit`] for a signer that submits many transactions at once (a gateway writing
	/// receipts for concurrent requests): holding `turn` while the transaction is signed and
	/// handed to the pool, so that each takes the nonce after the one before, and not while it
	/// waits for finality, so that they finalize together.
	pub async fn submit_in_turn<P: Payload>(
		&self,
		what: &str,
		call: &P,
		signer: &Keypair,
		turn: Option<&Turn>,
	) -> Result<Included, ChainError> {
		let mut held = match turn {
			Some(turn) => Some(turn.next_nonce.lock().await),
			None => None,
		};
		let at = self.at_finalized().await?;
		let mut transactions = at.transactions();
		let mut params = subxt::config::DefaultExtrinsicParamsBuilder::<Config>::new();
		let mut nonce = None;
		if let Some(next) = held.as_deref() {
			// The finalized state's nonce does not count this signer's transactions still on
			// their way to finality: the next after the last one handed to the pool.
			let account = subxt::utils::AccountId32(signer.public_key().0);
			let finalized = self
				.bounded(what, transactions.account_nonce(&account))
				.await?
				.map_err(|e| failed(what, e))?;
			let chosen = next.map_or(finalized, |next| next.max(finalized));
			params = params.nonce(chosen);
			nonce = Some(chosen);
		}
		let submitted = match &self.acting_for {
			None => {
				let signed = transactions.sign_and_submit_then_watch(call, signer, params.build());
				self.bounded(what, signed).await?
			},
			Some(recovered) => {
				let wrapped = as_recovered(&at, what, recovered, call)?;
				let signed =
					transactions.sign_and_submit_then_watch(&wrapped, signer, params.build());
				self.bounded(what, signed).await?
			},
		};
		// In the pool: the next takes the nonce after it. Refused: the next asks the chain again.
		if let Some(next) = held.as_deref_mut() {
			*next = if submitted.is_ok() { nonce.and_then(|n| n.checked_add(1)) } else { None };
		}
		let progress = submitted.map_err(|e| fee_refusal(what, e.to_string()))?;
		drop(held);
		// The pool may refuse it at submission or, reported in its progress, just after.
		let included = self.follow(what, progress).await.map_err(|e| match e {
			ChainError::Failed { reason, .. } => fee_refusal(what, reason),
			other => other,
		})?;
		if self.acting_for.is_some() {
			controlled_result(what, &at, &included)?;
		}
		Ok(included)
	}

	/// Follows a submitted transaction until it is in a finalized block; its events if it
	/// succeeded, [`ChainError::Refused`] if it failed there.
	async fn follow(
		&self,
		what: &str,
		progress: subxt::transactions::TransactionProgress<
			Config,
			subxt::client::OnlineClientAtBlockImpl<Config>,
		>,
	) -> Result<Included, ChainError> {
		let extrinsic_hash = progress.extrinsic_hash();
		(self.progress)(&format!("{what}: submitted {extrinsic_hash:?}"));
		// Finality trails the best block by a few blocks: allow three bounds for it.
		let finality = self.timeout.saturating_mul(3);
		let in_block = tokio::time::timeout(finality, progress.wait_for_finalized())
			.await
			.map_err(|_| ChainError::Timeout {
				what: format!("{what}: waiting for finality"),
				timeout: finality,
			})?
			.map_err(|e| failed(what, e))?;
		let block_hash = in_block.block_hash();
		// It is in a finalized block: a block not pinned yet is asked for again rather than the
		// transaction reported as failed.
		let block_number = self
			.at_pinned(what, 8, Duration::from_millis(500), || in_block.at())
			.await?
			.map_err(|e| {
				failed(
					what,
					format!(
						"it is in finalized block {block_hash:?}, but that block could not be read \
						 to tell whether it succeeded ({e}): look it up there"
					),
				)
			})?
			.block_number();
		let events = self.bounded(what, in_block.wait_for_success()).await?;
		let events = events.map_err(|e| refused(what, e))?;
		(self.progress)(&format!("{what}: finalized in block #{block_number}"));
		Ok(Included { block_number, block_hash, extrinsic_hash, events })
	}
}

impl Chain {
	/// Submits `call` as an unsigned (general) transaction that authorizes itself (a trial
	/// call with its ring proof): no account signs it or pays for it. Waits until it is in a
	/// finalized block. A refusal by the pool is [`ChainError::Refused`] with the pallet's error
	/// (the call's authorization reports it as a custom code: the error's index).
	pub async fn submit_unsigned<P: Payload>(
		&self,
		what: &str,
		call: &P,
	) -> Result<Included, ChainError> {
		let at = self.at_finalized().await?;
		let transactions = at.transactions();
		// A general (v5) transaction: the runtime's extensions with an immortal era, no nonce
		// and no tip, and no signature (the runtime has no signature extension; the account and
		// signature given here are not encoded).
		let params = Default::default();
		let mut signable =
			transactions.create_v5_signable_offline(call, params).map_err(|e| failed(what, e))?;
		let placeholder = subxt::utils::AccountId32([0; 32]);
		let signature = subxt::utils::MultiSignature::Sr25519([0; 64]);
		let tx = signable
			.sign_with_account_and_signature(&placeholder, &signature)
			.map_err(|e| failed(what, e))?;
		let progress = match self.bounded(what, tx.submit_and_watch()).await? {
			Ok(progress) => progress,
			Err(e) => return Err(pool_refusal(what, &at, call.pallet_name(), e.to_string())),
		};
		// The pool may also refuse it while it waits (its state changed): same mapping.
		self.follow(what, progress).await.map_err(|e| match e {
			ChainError::Failed { reason, .. } => {
				pool_refusal(what, &at, call.pallet_name(), reason)
			},
			other => other,
		})
	}
}

/// `call` made for `recovered` by its inheritor: `recovery.control_inherited_account`.
fn as_recovered<P: Payload>(
	at: &OnlineClientAtBlock<Config>,
	what: &str,
	recovered: &AccountId,
	call: &P,
) -> Result<impl Payload, ChainError> {
	use subxt::ext::scale_decode::DecodeAsType;
	let bytes = at.transactions().call_data(call).map_err(|e| failed(what, e))?;
	let metadata = at.metadata_ref();
	let call_type = metadata.outer_enums().call_enum_ty();
	let inner = types::medchain_runtime::RuntimeCall::decode_as_type(
		&mut &bytes[..],
		call_type,
		metadata.types(),
	)
	.map_err(|e| failed(what, e))?;
	Ok(runtime::transactions()
		.recovery()
		.control_inherited_account(subxt::utils::MultiAddress::Id(*recovered), inner))
}

/// The outcome of a call made for a recovered account: the inner call's refusal as
/// [`ChainError::Refused`] (`control_inherited_account` itself succeeds whenever the signer is
/// the inheritor).
fn controlled_result(
	what: &str,
	at: &OnlineClientAtBlock<Config>,
	included: &Included,
) -> Result<(), ChainError> {
	use types::sp_runtime::DispatchError;
	let controlled = included.event::<runtime::recovery::events::RecoveredAccountControlled>()?;
	let Err(error) = controlled.call_result else { return Ok(()) };
	let named = match &error {
		DispatchError::Module(module) => {
			at.metadata_ref().pallet_by_error_index(module.index).and_then(|pallet| {
				let variant = pallet.error_variant_by_index(module.error[0])?;
				Some((pallet.name().to_string(), variant.clone()))
			})
		},
		_ => None,
	};
	Err(match named {
		Some((pallet, variant)) => ChainError::Refused {
			what: what.to_string(),
			pallet,
			error: variant.name.clone(),
			doc: variant.docs.join(" ").trim().to_string(),
		},
		None => ChainError::Refused {
			what: what.to_string(),
			pallet: "System".to_string(),
			error: format!("{error:?}"),
			doc: String::new(),
		},
	})
}

/// The `InvalidTransaction::Custom` code in a pool refusal's text (`… Custom error: 70 …`).
fn custom_code(text: &str) -> Option<u8> {
	text.to_lowercase()
		.split("custom error: ")
		.nth(1)
		.and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
		.and_then(|digits| digits.parse::<u8>().ok())
}

/// The `InvalidTransaction::Custom` code of `pallet_free_calls::ALLOWANCE_USED_UP`: a patient's
/// free calls of the period are used up and the account cannot pay.
const ALLOWANCE_USED_UP: u8 = 70;

/// The `InvalidTransaction::Custom` code of `pallet_free_calls::RECOVERED_ACCOUNT`: the signer's
/// account was recovered by its friends and its old key may no longer sign.
const RECOVERED_ACCOUNT: u8 = 71;

/// The `InvalidTransaction::Custom` code of `pallet_free_calls::TOO_LARGE_TO_BE_FREE`: a
/// patient's call (a large batch) is alone larger than a block's share of free calls, so it is
/// paid, and the account cannot pay.
const TOO_LARGE_TO_BE_FREE: u8 = 72;

/// A pool refusal of a signed transaction: [`ChainError::Refused`] as `FreeCalls::AllowanceUsedUp`
/// when a patient's free calls are used up, `FreeCalls::TooLargeToBeFree` when a patient's call
/// is too large to be free, or `FreeCalls::RecoveredAccount` when the signer's account was
/// recovered; [`ChainError::Failed`] otherwise.
fn fee_refusal(what: &str, text: String) -> ChainError {
	let (error, doc) = match custom_code(&text) {
		Some(ALLOWANCE_USED_UP) => (
			"AllowanceUsedUp",
			"your free calls of this period are used up: wait for the next period (a day) or \
			 fund the account",
		),
		Some(TOO_LARGE_TO_BE_FREE) => (
			"TooLargeToBeFree",
			"this call is too large to be free (more than a block's share of free calls): send \
			 it in smaller batches, or fund the account",
		),
		Some(RECOVERED_ACCOUNT) => (
			"RecoveredAccount",
			"this account was recovered by its friends: its old key can no longer sign; act \
			 through the recovery account (`medchain keys import-kit`)",
		),
		_ => return ChainError::Failed { what: what.to_string(), reason: text },
	};
	ChainError::Refused {
		what: what.to_string(),
		pallet: "FreeCalls".into(),
		error: error.into(),
		doc: doc.into(),
	}
}

/// A pool refusal of an authorized call of `pallet` as [`ChainError::Refused`] with the
/// pallet's error named from its custom code, or [`ChainError::Failed`].
fn pool_refusal(
	what: &str,
	at: &OnlineClientAtBlock<Config>,
	pallet: &str,
	text: String,
) -> ChainError {
	let metadata = at.metadata_ref();
	let variant = custom_code(&text)
		.and_then(|code| metadata.pallet_by_name(pallet)?.error_variant_by_index(code).cloned());
	match variant {
		Some(variant) => ChainError::Refused {
			what: what.to_string(),
			pallet: pallet.to_string(),
			error: variant.name.clone(),
			doc: variant.docs.join(" ").trim().to_string(),
		},
		None => failed(what, text),
	}
}

/// A failure that is not a pallet's refusal.
pub(crate) fn failed(what: &str, error: impl std::fmt::Display) -> ChainError {
	ChainError::Failed { what: what.to_string(), reason: error.to_string() }
}

/// A failed dispatch as [`ChainError::Refused`] with the pallet's error name and doc line.
fn refused(what: &str, error: subxt::error::TransactionEventsError) -> ChainError {
	use subxt::error::{DispatchError, TransactionEventsError};
	if let TransactionEventsError::ExtrinsicFailed(DispatchError::Module(module)) = &error {
		if let Ok(details) = module.details() {
			return ChainError::Refused {
				what: what.to_string(),
				pallet: details.pallet.name().to_string(),
				error: details.variant.name.clone(),
				doc: details.variant.docs.join(" ").trim().to_string(),
			};
		}
	}
	if let TransactionEventsError::ExtrinsicFailed(dispatch) = &error {
		return ChainError::Refused {
			what: what.to_string(),
			pallet: "System".to_string(),
			error: format!("{dispatch:?}"),
			doc: dispatch.to_string(),
		};
	}
	failed(what, error)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn used_up_allowances_too_large_calls_and_recovered_signers_are_named() {
		let refused = fee_refusal("granting", "Invalid Transaction: Custom error: 70".into());
		assert_eq!(refused.refusal(), Some(("FreeCalls", "AllowanceUsedUp")));
		assert!(refused.to_string().contains("free calls of this period are used up"));
		let other = fee_refusal("granting", "Invalid Transaction: Custom error: 7".into());
		assert!(matches!(other, ChainError::Failed { .. }));
		let recovered = fee_refusal("granting", "Invalid Transaction: Custom error: 71".into());
		assert_eq!(recovered.refusal(), Some(("FreeCalls", "RecoveredAccount")));
		assert!(recovered.to_string().contains("recovered by its friends"));
		let large = fee_refusal("sharing", "Invalid Transaction: Custom error: 72".into());
		assert_eq!(large.refusal(), Some(("FreeCalls", "TooLargeToBeFree")));
		assert!(large.to_string().contains("smaller batches"));
		let payment = fee_refusal("granting", "Inability to pay some fees".into());
		assert!(matches!(payment, ChainError::Failed { .. }));
	}
}
