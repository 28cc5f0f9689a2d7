//! `medchain prescriptions` and `medchain batches`: a prescription from the physician to the
//! pharmacy the patient chose, and the medicine from its manufacturer to that pharmacy.

use medchain_client::{
	chain::ChainError,
	prescriptions::{self as rx, BatchLabel, ChoiceCode, Holder, PatientCopy, Schedule},
	trials::parse_hex32,
};
use serde_json::json;

use crate::{
	args::{Batches, Prescriptions},
	commands::{
		blocks_for_days,
		council::{executed_output, motion_output},
		hex,
	},
	context::{read_file, Context},
	error::CliError,
	output::{plural, to_json, Output},
};

fn schedule(text: &str) -> Result<Schedule, CliError> {
	serde_json::from_value(json!(text.to_lowercase())).map_err(|_| {
		CliError::Usage(format!("`{text}` is not a schedule: none, i, ii, iii, iv or v"))
	})
}

/// `result`, having removed `file` (written for what the chain was asked) if the chain refused:
/// nothing on chain needs it. On any other failure (a timeout: the transaction may still be
/// included) the file stays.
fn forget_if_refused<T>(
	result: Result<T, medchain_client::Error>,
	file: &std::path::Path,
) -> Result<T, CliError> {
	if let Err(medchain_client::Error::Chain(ChainError::Refused { .. })) = &result {
		// Best effort: a file left behind is only an unused secret of the caller's own.
		let _ = std::fs::remove_file(file);
	}
	Ok(result?)
}

/// The holder a command names: `--to-supplier` or `--to-pharmacy`.
fn holder(
	ctx: &Context,
	supplier: Option<String>,
	pharmacy: Option<u32>,
) -> Result<Holder<medchain_client::chain::AccountId>, CliError> {
	match (supplier, pharmacy) {
		(Some(supplier), _) => Ok(Holder::Supplier(ctx.account(&supplier)?)),
		(None, Some(pharmacy)) => Ok(Holder::Pharmacy(pharmacy)),
		(None, None) => Err(CliError::Usage("name --to-supplier or --to-pharmacy".into())),
	}
}

fn holder_text(holder: &Holder<medchain_client::chain::AccountId>) -> String {
	match holder {
		Holder::Supplier(account) => format!("supplier {account}"),
		Holder::Pharmacy(pharmacy) => format!("pharmacy {pharmacy}"),
	}
}

/// `member` proposes the regulator's `call` to the council (a majority decides).
async fn propose(
	chain: &medchain_client::chain::Chain,
	member: &medchain_client::identity::Identity,
	call: medchain_client::chain::types::medchain_runtime::RuntimeCall,
	what: &str,
) -> Result<Output, CliError> {
	use medchain_client::council;
	let threshold = council::majority(chain).await?;
	match council::propose(chain, member, call, threshold).await? {
		council::Proposed::Open(motion) => motion_output(
			format!(
				"proposed {what}: motion {} needs {threshold} ayes; members vote with \
				 `medchain council vote {} --aye`, then one closes it",
				motion.hash, motion.hash
			),
			&motion,
		),
		council::Proposed::Executed(included) => executed_output(&included),
	}
}

fn status_text(p: &rx::PrescriptionInfo) -> String {
	let pending = match &p.pending {
		Some(pending) => format!(
			"; fill {} reserved at pharmacy {} ({} part{} dispensed)",
			p.fills_dispensed.saturating_add(1),
			pending.pharmacy,
			pending.parts,
			plural(usize::from(pending.parts))
		),
		None => String::new(),
	};
	format!(
		"{:?}: {} of {} fill{} dispensed, valid until block #{}{pending}",
		p.status,
		p.fills_dispensed,
		p.fills_allowed,
		plural(usize::from(p.fills_allowed)),
		p.valid_until
	)
}

pub(crate) async fn run(ctx: &Context, cmd: Prescriptions) -> Result<Output, CliError> {
	match cmd {
		Prescriptions::Prescribe { file, fills, valid_days, schedule: class, copy } => {
			let me = ctx.me()?;
			let document = read_file(&file)?;
			let patient_copy = PatientCopy::new(schedule(&class)?)?;
			let valid_for = blocks_for_days(valid_days, "--valid-days")?;
			// The copy first: a prescription on chain whose key is lost could never be chosen.
			rx::save(&copy, &patient_copy)?;
			let chain = ctx.chain().await?;
			let block = forget_if_refused(
				rx::prescribe(&chain, &me, &patient_copy, &document, fills, valid_for).await,
				&copy,
			)?;
			let id = hex(&patient_copy.prescription);
			Output::new(
				format!(
					"prescription {id} ({fills} fill{}, valid {valid_days} days) in block \
					 #{block}; the patient's copy is in {} (hand it over as a secret)",
					plural(usize::from(fills)),
					copy.display()
				),
				json!({ "prescription": id, "block": block, "copy": copy }),
			)
		},
		Prescriptions::Choose { copy, pharmacy } => {
			let patient_copy: PatientCopy = rx::load(&copy)?;
			let chain = ctx.chain().await?;
			let code = rx::choose(&chain, &patient_copy, pharmacy).await?;
			let text = code.to_text();
			Output::new(
				format!("show this code at pharmacy {pharmacy}: {text}"),
				json!({ "code": text, "pharmacy": pharmacy, "nonce": code.nonce }),
			)
		},
		Prescriptions::Reserve { code, prescription } => {
			let me = ctx.me()?;
			let code = code
				.map(|text| ChoiceCode::from_text(&text))
				.transpose()
				.map_err(|e| CliError::Usage(e.to_string()))?;
			let id = match (&code, prescription) {
				(Some(code), _) => code.prescription,
				(None, Some(text)) => parse_hex32(&text, "the prescription")?,
				(None, None) => {
					return Err(CliError::Usage("give the patient's code or --prescription".into()))
				},
			};
			let chain = ctx.chain().await?;
			let reserved = rx::reserve(&chain, &me, id, code.as_ref()).await?;
			let moved = match reserved.moved_from {
				Some(from) => format!(" (moved from pharmacy {from}, whose reservation lapsed)"),
				None => String::new(),
			};
			Output::new(
				format!(
					"fill {} of prescription {} reserved for your pharmacy in block #{}{moved}",
					reserved.fill,
					hex(&id),
					reserved.block
				),
				json!({
					"prescription": hex(&id),
					"fill": reserved.fill,
					"moved_from": reserved.moved_from,
					"block": reserved.block,
				}),
			)
		},
		Prescriptions::Dispense { prescription, batch, file, partial } => {
			let me = ctx.me()?;
			let id = parse_hex32(&prescription, "the prescription")?;
			let batch = parse_hex32(&batch, "--batch")?;
			let document = read_file(&file)?;
			let chain = ctx.chain().await?;
			let done = rx::dispense(&chain, &me, id, batch, &document, !partial).await?;
			Output::new(
				format!(
					"dispensed part {} of fill {} of prescription {} from batch {} in block #{}{}; \
					 the MedicationDispense's commitment salt is {} (keep it with the document)",
					done.part,
					done.fill,
					hex(&id),
					hex(&batch),
					done.block,
					if done.completed_fill { ", completing the fill" } else { "" },
					hex(&done.salt)
				),
				json!({
					"prescription": hex(&id),
					"fill": done.fill,
					"part": done.part,
					"completed_fill": done.completed_fill,
					"salt": hex(&done.salt),
					"block": done.block,
				}),
			)
		},
		Prescriptions::Release { prescription } => {
			let me = ctx.me()?;
			let id = parse_hex32(&prescription, "the prescription")?;
			let chain = ctx.chain().await?;
			let block = rx::release(&chain, &me, id).await?;
			Output::new(
				format!(
					"released the reserved fill of prescription {} in block #{block}",
					hex(&id)
				),
				json!({ "prescription": hex(&id), "block": block }),
			)
		},
		Prescriptions::Cancel { prescription } => {
			let me = ctx.me()?;
			let id = parse_hex32(&prescription, "the prescription")?;
			let chain = ctx.chain().await?;
			let block = rx::cancel(&chain, &me, id).await?;
			Output::new(
				format!("cancelled prescription {} in block #{block}", hex(&id)),
				json!({ "prescription": hex(&id), "block": block }),
			)
		},
		Prescriptions::Show { prescription, copy } => {
			let id = match (prescription, copy) {
				(Some(text), _) => parse_hex32(&text, "the prescription")?,
				(None, Some(copy)) => rx::load::<PatientCopy>(&copy)?.prescription,
				(None, None) => {
					return Err(CliError::Usage("give the prescription or --copy".into()))
				},
			};
			let chain = ctx.chain().await?;
			let p = rx::prescription(&chain, id).await?;
			let dispenses = rx::recalls(&chain, id).await?;
			let mut text = format!("prescription {}: {}", hex(&id), status_text(&p));
			let mut recalled = Vec::new();
			for (index, (d, recall)) in dispenses.iter().enumerate() {
				text += &format!(
					"\n  dispense {index}: fill {} part {} at pharmacy {} from batch {} in block #{}",
					d.fill,
					d.part,
					d.pharmacy,
					hex(&d.batch),
					d.at
				);
				if let Some(recall) = recall {
					text += &format!(": batch RECALLED in block #{}", recall.at);
					recalled.push(json!({
						"dispense": index,
						"batch": hex(&d.batch),
						"at": recall.at,
						"notice": hex(&recall.notice),
					}));
				}
			}
			let dispenses: Vec<_> = dispenses.into_iter().map(|(d, _)| d).collect();
			Output::new(
				text,
				json!({
					"prescription": to_json(&p)?,
					"dispenses": to_json(&dispenses)?,
					"recalled": recalled,
				}),
			)
		},
	}
}

pub(crate) async fn run_batches(ctx: &Context, cmd: Batches) -> Result<Output, CliError> {
	match cmd {
		Batches::License { supplier, kind, council } => {
			let me = ctx.me()?;
			let supplier = ctx.account(&supplier)?;
			let supplier_kind = match kind.as_str() {
				"manufacturer" => rx::SupplierKind::Manufacturer,
				_ => rx::SupplierKind::Wholesaler,
			};
			let chain = ctx.chain().await?;
			if council {
				let call = rx::license_supplier_call(&supplier, supplier_kind);
				return propose(&chain, &me, call, &format!("licensing {supplier}")).await;
			}
			let block = rx::license_supplier(&chain, &me, &supplier, supplier_kind).await?;
			Output::new(
				format!("licensed {supplier} as a {kind} in block #{block}"),
				json!({ "supplier": supplier.to_string(), "kind": kind, "block": block }),
			)
		},
		Batches::Revoke { supplier, council } => {
			let me = ctx.me()?;
			let supplier = ctx.account(&supplier)?;
			let chain = ctx.chain().await?;
			if council {
				let call = rx::revoke_supplier_call(&supplier);
				return propose(&chain, &me, call, &format!("revoking {supplier}'s licence")).await;
			}
			let block = rx::revoke_supplier(&chain, &me, &supplier).await?;
			Output::new(
				format!("revoked the licence of {supplier} in block #{block}"),
				json!({ "supplier": supplier.to_string(), "block": block }),
			)
		},
		Batches::Register { gtin, batch_number, expiry, label } => {
			let me = ctx.me()?;
			let batch = BatchLabel::new(&gtin, &batch_number, &expiry)
				.map_err(|e| CliError::Usage(e.to_string()))?;
			// The label first: its salt is the only way to open the batch's commitments.
			rx::save(&label, &batch)?;
			let chain = ctx.chain().await?;
			let block = forget_if_refused(rx::register_batch(&chain, &me, &batch).await, &label)?;
			Output::new(
				format!(
					"registered batch {} in block #{block}; its label is in {}",
					hex(&batch.id()),
					label.display()
				),
				json!({ "batch": hex(&batch.id()), "block": block, "label": label }),
			)
		},
		Batches::Ship { batch, to_supplier, to_pharmacy } => {
			let me = ctx.me()?;
			let id = parse_hex32(&batch, "the batch")?;
			let to = holder(ctx, to_supplier, to_pharmacy)?;
			let whom = holder_text(&to);
			let chain = ctx.chain().await?;
			let block = rx::ship_batch(&chain, &me, id, to).await?;
			Output::new(
				format!("shipped batch {} to {whom} in block #{block}", hex(&id)),
				json!({ "batch": hex(&id), "to": whom, "block": block }),
			)
		},
		Batches::CancelShipment { batch, to_supplier, to_pharmacy } => {
			let me = ctx.me()?;
			let id = parse_hex32(&batch, "the batch")?;
			let to = holder(ctx, to_supplier, to_pharmacy)?;
			let whom = holder_text(&to);
			let chain = ctx.chain().await?;
			let block = rx::cancel_shipment(&chain, &me, id, to).await?;
			Output::new(
				format!("withdrew the shipment of batch {} to {whom} in block #{block}", hex(&id)),
				json!({ "batch": hex(&id), "to": whom, "block": block }),
			)
		},
		Batches::Receive { batch } => {
			let me = ctx.me()?;
			let id = parse_hex32(&batch, "the batch")?;
			let chain = ctx.chain().await?;
			let block = rx::receive_batch(&chain, &me, id).await?;
			Output::new(
				format!("received batch {} in block #{block}", hex(&id)),
				json!({ "batch": hex(&id), "block": block }),
			)
		},
		Batches::Recall { batch, notice } => {
			let me = ctx.me()?;
			let id = parse_hex32(&batch, "the batch")?;
			let chain = ctx.chain().await?;
			let notice = medchain_client::crypto::blake2_256(notice.as_bytes());
			let dispenses = rx::recall_batch(&chain, &me, id, notice).await?;
			Output::new(
				format!(
					"recalled batch {}: {dispenses} dispense{} named it (`medchain batches trace` \
					 lists them)",
					hex(&id),
					plural(dispenses as usize)
				),
				json!({ "batch": hex(&id), "dispenses": dispenses }),
			)
		},
		Batches::Show { batch } => {
			let id = parse_hex32(&batch, "the batch")?;
			let chain = ctx.chain().await?;
			let b = rx::batch(&chain, id).await?;
			let custody = rx::custody(&chain, id).await?;
			let mut text = format!(
				"batch {}: manufacturer {}, registered in block #{}, {} holder{}, {} dispense{}{}",
				hex(&id),
				b.manufacturer,
				b.registered_at,
				b.holders,
				plural(b.holders as usize),
				b.dispenses,
				plural(b.dispenses as usize),
				match &b.recall {
					Some(recall) => format!(", RECALLED in block #{}", recall.at),
					None => String::new(),
				}
			);
			for (holder, step) in &custody {
				text += &format!("\n  held by {} since block #{}", holder_text(holder), step.at);
			}
			Output::new(text, json!({ "batch": to_json(&b)?, "custody": to_json(&custody)? }))
		},
		Batches::Trace { batch } => {
			let id = parse_hex32(&batch, "the batch")?;
			let chain = ctx.chain().await?;
			let dispenses = rx::trace(&chain, id).await?;
			let mut text = format!(
				"batch {} was dispensed {} time{}",
				hex(&id),
				dispenses.len(),
				plural(dispenses.len())
			);
			for (prescription, index) in &dispenses {
				text += &format!("\n  prescription {} dispense {index}", hex(prescription));
			}
			let list: Vec<_> = dispenses
				.iter()
				.map(|(p, index)| json!({ "prescription": hex(p), "dispense": index }))
				.collect();
			Output::new(text, json!({ "batch": hex(&id), "dispenses": list }))
		},
	}
}
