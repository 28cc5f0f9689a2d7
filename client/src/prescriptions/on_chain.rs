//! Prescriptions on chain (`pallet-prescriptions`): the calls each party submits and the
//! queries behind them, through the typed client. What the calls take is made off chain by the
//! parent module ([`PatientCopy`], [`ChoiceCode`], [`BatchLabel`]).

use super::{dispense_commitment, BatchId, BatchLabel, ChoiceCode, PatientCopy, PrescriptionId};
use crate::{
	chain::{runtime, types, AccountId, Chain, ChainError},
	identity::Identity,
	Error,
};

pub use types::pallet_prescriptions_runtime_api::{
	Batch, CustodyStep, Dispense, Holder, Prescription, PrescriptionStatus, Recall, SupplierKind,
};

/// How many entries one page of a paged query asks for (the runtime's page size).
const PAGE: u32 = 100;

/// A prescription as the chain has it.
pub type PrescriptionInfo = Prescription<AccountId, u32>;

fn no_prescription(id: &PrescriptionId) -> Error {
	Error::Chain(ChainError::NotFound(format!("no prescription 0x{}", hex::encode(id))))
}

fn no_batch(id: &BatchId) -> Error {
	Error::Chain(ChainError::NotFound(format!("no batch 0x{}", hex::encode(id))))
}

/// The physician prescribes `copy`'s prescription for the MedicationRequest `document` (its
/// bytes as anchored): `fills` fills within `valid_for` blocks. Returns the block it is in.
pub async fn prescribe(
	chain: &Chain,
	physician: &Identity,
	copy: &PatientCopy,
	document: &[u8],
	fills: u8,
	valid_for: u32,
) -> Result<u64, Error> {
	let call = runtime::transactions().prescriptions().prescribe(
		copy.prescription,
		copy.request_commitment(document),
		copy.schedule_commitment(),
		AccountId::from(copy.counter_account()?),
		fills,
		valid_for,
	);
	Ok(chain.submit("prescribing", &call, &physician.signer).await?.block_number)
}

/// The prescription `id` as the chain has it (`NotFound` if it has none).
pub async fn prescription(chain: &Chain, id: PrescriptionId) -> Result<PrescriptionInfo, Error> {
	chain
		.runtime_api(
			"reading the prescription",
			runtime::runtime_apis().prescriptions_api().prescription(id),
		)
		.await?
		.ok_or_else(|| no_prescription(&id))
}

/// The code the patient shows `pharmacy`: the copy's one-time key signs its next choice
/// (the prescription's `choices` on chain) on this chain.
pub async fn choose(chain: &Chain, copy: &PatientCopy, pharmacy: u32) -> Result<ChoiceCode, Error> {
	let nonce = prescription(chain, copy.prescription).await?.choices;
	Ok(copy.choice_code(&chain.genesis(), pharmacy, nonce)?)
}

/// What a reservation gave: the fill (numbered from 1) now pending at the pharmacy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reserved {
	/// The fill reserved.
	pub fill: u8,
	/// The pharmacy whose lapsed reservation (nothing dispensed) this one replaced, if any.
	pub moved_from: Option<u32>,
	/// The block it is in.
	pub block: u64,
}

/// The pharmacist reserves the prescription's next fill for their pharmacy: with the
/// patient's `code` (checked here against the chain's one-time key before it is submitted),
/// or, with `None`, at the pharmacy the patient chose before.
pub async fn reserve(
	chain: &Chain,
	pharmacist: &Identity,
	prescription_id: PrescriptionId,
	code: Option<&ChoiceCode>,
) -> Result<Reserved, Error> {
	let choice = match code {
		None => None,
		Some(code) => {
			if code.prescription != prescription_id {
				return Err(Error::Mismatch("the choice code is for another prescription".into()));
			}
			let p = prescription(chain, prescription_id).await?;
			if !code.verify(&chain.genesis(), &p.counter_key.0) {
				return Err(Error::Mismatch(format!(
					"the choice code is not the patient's choice of pharmacy {} at turn {} on \
					 this chain: ask the patient for a new code",
					code.pharmacy, code.nonce
				)));
			}
			Some(types::sp_runtime::MultiSignature::Sr25519(code.signature))
		},
	};
	let call = runtime::transactions().prescriptions().reserve_fill(prescription_id, choice);
	let included = chain.submit("reserving the fill", &call, &pharmacist.signer).await?;
	let reserved = included.event::<runtime::prescriptions::events::FillReserved>()?;
	let moved_from = included
		.events_of::<runtime::prescriptions::events::FillReleased>()?
		.first()
		.map(|released| released.pharmacy);
	Ok(Reserved { fill: reserved.fill, moved_from, block: included.block_number })
}

/// What a dispense gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dispensed {
	/// The fill (numbered from 1).
	pub fill: u8,
	/// The part of the fill (numbered from 1).
	pub part: u8,
	/// Whether it completed the fill.
	pub completed_fill: bool,
	/// The salt of the MedicationDispense's commitment.
	pub salt: [u8; 32],
	/// The block it is in.
	pub block: u64,
}

/// The pharmacist dispenses the pending fill (the whole of what remains when `completes_fill`)
/// from `batch`, recording a commitment to the MedicationDispense `document` under a fresh
/// salt (in the result: the pharmacy keeps it with the document, which it opens).
pub async fn dispense(
	chain: &Chain,
	pharmacist: &Identity,
	prescription_id: PrescriptionId,
	batch: BatchId,
	document: &[u8],
	completes_fill: bool,
) -> Result<Dispensed, Error> {
	let salt = super::random32()?;
	let call = runtime::transactions().prescriptions().dispense(
		prescription_id,
		batch,
		dispense_commitment(&salt, document),
		completes_fill,
	);
	let included = chain.submit("dispensing", &call, &pharmacist.signer).await?;
	let event = included.event::<runtime::prescriptions::events::Dispensed>()?;
	Ok(Dispensed {
		fill: event.fill,
		part: event.part,
		completed_fill: event.completes_fill,
		salt,
		block: included.block_number,
	})
}

/// The pharmacist gives back a reserved fill nothing was dispensed from.
pub async fn release(
	chain: &Chain,
	pharmacist: &Identity,
	prescription_id: PrescriptionId,
) -> Result<u64, Error> {
	let call = runtime::transactions().prescriptions().release_fill(prescription_id);
	Ok(chain.submit("releasing the fill", &call, &pharmacist.signer).await?.block_number)
}

/// The prescriber (or their organisation's admin) cancels the prescription.
pub async fn cancel(
	chain: &Chain,
	who: &Identity,
	prescription_id: PrescriptionId,
) -> Result<u64, Error> {
	let call = runtime::transactions().prescriptions().cancel_prescription(prescription_id);
	Ok(chain.submit("cancelling the prescription", &call, &who.signer).await?.block_number)
}

/// The prescription's dispenses, in the order they happened.
pub async fn dispenses(
	chain: &Chain,
	id: PrescriptionId,
) -> Result<Vec<Dispense<AccountId, u32>>, Error> {
	Ok(chain
		.runtime_api(
			"reading the dispenses",
			runtime::runtime_apis().prescriptions_api().dispenses(id),
		)
		.await?)
}

/// The call that licenses `supplier` as a manufacturer or wholesaler: the regulator's (a
/// council motion, [`crate::council`]; or [`license_supplier`] on a development chain).
pub fn license_supplier_call(
	supplier: &AccountId,
	kind: SupplierKind,
) -> types::medchain_runtime::RuntimeCall {
	types::medchain_runtime::RuntimeCall::Prescriptions(
		types::pallet_prescriptions::pallet::Call::license_supplier { supplier: *supplier, kind },
	)
}

/// The sudo key (root, on a development chain only) licenses `supplier` as `kind`.
pub async fn license_supplier(
	chain: &Chain,
	registrar: &Identity,
	supplier: &AccountId,
	kind: SupplierKind,
) -> Result<u64, Error> {
	let call = license_supplier_call(supplier, kind);
	let what = "licensing the supplier";
	Ok(crate::directory::submit_as_root(chain, registrar, what, call).await?.block_number)
}

/// The call that revokes `supplier`'s licence: the regulator's, as [`license_supplier_call`].
pub fn revoke_supplier_call(supplier: &AccountId) -> types::medchain_runtime::RuntimeCall {
	types::medchain_runtime::RuntimeCall::Prescriptions(
		types::pallet_prescriptions::pallet::Call::revoke_supplier { supplier: *supplier },
	)
}

/// The sudo key (root, on a development chain only) revokes `supplier`'s licence.
pub async fn revoke_supplier(
	chain: &Chain,
	registrar: &Identity,
	supplier: &AccountId,
) -> Result<u64, Error> {
	let call = revoke_supplier_call(supplier);
	let what = "revoking the supplier's licence";
	Ok(crate::directory::submit_as_root(chain, registrar, what, call).await?.block_number)
}

/// The manufacturer registers the batch on `label`.
pub async fn register_batch(
	chain: &Chain,
	manufacturer: &Identity,
	label: &BatchLabel,
) -> Result<u64, Error> {
	let call = runtime::transactions().prescriptions().register_batch(
		label.id(),
		label.product_commitment(),
		label.expiry_commitment(),
	);
	Ok(chain.submit("registering the batch", &call, &manufacturer.signer).await?.block_number)
}

/// A holder of `batch` ships (part of) it to `to`, who confirms with [`receive_batch`].
pub async fn ship_batch(
	chain: &Chain,
	holder: &Identity,
	batch: BatchId,
	to: Holder<AccountId>,
) -> Result<u64, Error> {
	let call = runtime::transactions().prescriptions().ship_batch(batch, to);
	Ok(chain.submit("shipping the batch", &call, &holder.signer).await?.block_number)
}

/// The addressee of a shipment of `batch` (a licensed supplier, or a pharmacist for their
/// pharmacy) confirms its receipt: the signed custody step.
pub async fn receive_batch(chain: &Chain, who: &Identity, batch: BatchId) -> Result<u64, Error> {
	let call = runtime::transactions().prescriptions().receive_batch(batch);
	Ok(chain.submit("receiving the batch", &call, &who.signer).await?.block_number)
}

/// The sender withdraws a shipment of `batch` to `to` not yet received.
pub async fn cancel_shipment(
	chain: &Chain,
	holder: &Identity,
	batch: BatchId,
	to: Holder<AccountId>,
) -> Result<u64, Error> {
	let call = runtime::transactions().prescriptions().cancel_shipment(batch, to);
	Ok(chain.submit("cancelling the shipment", &call, &holder.signer).await?.block_number)
}

/// The manufacturer recalls `batch`, with a commitment to the recall notice; returns how many
/// dispenses named it (what [`trace`] lists).
pub async fn recall_batch(
	chain: &Chain,
	manufacturer: &Identity,
	batch: BatchId,
	notice: [u8; 32],
) -> Result<u32, Error> {
	let call = runtime::transactions().prescriptions().recall_batch(batch, notice);
	let included = chain.submit("recalling the batch", &call, &manufacturer.signer).await?;
	Ok(included.event::<runtime::prescriptions::events::BatchRecalled>()?.dispenses)
}

/// The batch `id` as the chain has it (`NotFound` if it has none).
pub async fn batch(chain: &Chain, id: BatchId) -> Result<Batch<AccountId, u32>, Error> {
	chain
		.runtime_api("reading the batch", runtime::runtime_apis().prescriptions_api().batch(id))
		.await?
		.ok_or_else(|| no_batch(&id))
}

/// Every holder of batch `id`, each with the custody step by which they received it.
pub async fn custody(
	chain: &Chain,
	id: BatchId,
) -> Result<Vec<(Holder<AccountId>, CustodyStep<AccountId, u32>)>, Error> {
	every_page(|start| async move {
		let query = runtime::runtime_apis().prescriptions_api().custody(id, start, PAGE);
		Ok(chain.runtime_api("reading the batch's custody", query).await?)
	})
	.await
}

/// Every dispense that named batch `id`, as (prescription, dispense index): what a recall
/// traces, so that each pharmacy can tell the patients it dispensed to.
pub async fn trace(chain: &Chain, id: BatchId) -> Result<Vec<(PrescriptionId, u16)>, Error> {
	every_page(|start| async move {
		let query = runtime::runtime_apis().prescriptions_api().dispenses_of_batch(id, start, PAGE);
		Ok(chain.runtime_api("tracing the batch", query).await?)
	})
	.await
}

/// The recall of each batch prescription `id` was dispensed from, by dispense: `None` for a
/// batch not recalled. What the patient's client checks on its own, from its copy: the chain
/// names no patient, so no recall can be sent to one. Each batch is asked for once.
pub async fn recalls(
	chain: &Chain,
	id: PrescriptionId,
) -> Result<Vec<(Dispense<AccountId, u32>, Option<Recall<u32>>)>, Error> {
	let dispenses = dispenses(chain, id).await?;
	let mut recall_of: std::collections::BTreeMap<BatchId, Option<Recall<u32>>> =
		Default::default();
	for dispense in &dispenses {
		if let std::collections::btree_map::Entry::Vacant(entry) = recall_of.entry(dispense.batch) {
			entry.insert(batch(chain, dispense.batch).await?.recall);
		}
	}
	Ok(dispenses
		.into_iter()
		.map(|dispense| {
			let recall = recall_of.get(&dispense.batch).cloned().flatten();
			(dispense, recall)
		})
		.collect())
}

/// Every entry of a paged query: `page(start)` from 0 on, until a page comes back short.
async fn every_page<T, F, Fut>(mut page: F) -> Result<Vec<T>, Error>
where
	F: FnMut(u32) -> Fut,
	Fut: std::future::Future<Output = Result<Vec<T>, Error>>,
{
	let mut all = Vec::new();
	loop {
		let start = u32::try_from(all.len()).unwrap_or(u32::MAX);
		let entries = page(start).await?;
		let full = entries.len() >= PAGE as usize;
		all.extend(entries);
		if !full {
			return Ok(all);
		}
	}
}
