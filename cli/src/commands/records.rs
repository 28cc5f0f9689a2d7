//! `medchain records`: add a FHIR file, amend, list, show, get, search, share, unshare, erase.

use std::str::FromStr;

use medchain_client::{
	batch,
	chain::AccountId,
	classes::{self, ClassKey},
	directory,
	fhir::FhirDocument,
	gateway::Gateway,
	records,
};
use serde_json::{json, Value};

use crate::{
	args::Records,
	context::{progress, read_file, Context},
	error::CliError,
	output::{keys_json, plural, to_json, Output},
};

/// A record's data class as this identity reads it: the class where it holds the patient's
/// class key, the tag's first bytes otherwise, `erased` for a tombstone.
fn record_class(info: &records::RecordInfo, key: Option<&ClassKey>) -> String {
	match &info.class_tag {
		Some(tag) => classes::describe(tag, key),
		None => "erased".into(),
	}
}

/// A record as `--json` shows it: the chain's description and the class as read here.
fn record_json(info: &records::RecordInfo, class: &str) -> Result<Value, CliError> {
	let mut value = to_json(info)?;
	if let Some(object) = value.as_object_mut() {
		object.insert("class".into(), Value::String(class.into()));
	}
	Ok(value)
}

/// What `records search` shows: each document written to `out` (then a line per file), or all
/// of them as a FHIR `collection` Bundle; `--json` gives the record, version, receipt and
/// organisation of each (with the document, or the file it went to), and the refusals.
fn search_output(
	found: &[(u32, records::Found)],
	refused: &[(u32, String)],
	out: Option<&std::path::Path>,
) -> Result<Output, CliError> {
	if let Some(dir) = out {
		create_private_dir(dir)?;
	}
	let mut entries = Vec::new();
	let mut lines = Vec::new();
	let mut bundle = Vec::new();
	for (org, f) in found {
		let bytes = f.document.to_json_bytes()?;
		let mut entry = json!({
			"organisation": org,
			"record": f.record,
			"version": f.version,
			"receipt": f.receipt,
			"resource_type": f.document.resource_type(),
		});
		match out {
			Some(dir) => {
				let path = dir.join(format!("record-{}.json", f.record));
				records::save_document(&path, &bytes)?;
				lines.push(format!(
					"record {} version {} ({}, organisation {org}, receipt {}): {}",
					f.record,
					f.version,
					f.document.resource_type(),
					f.receipt,
					path.display()
				));
				entry["out"] = json!(path);
			},
			None => {
				let resource: Value = serde_json::from_slice(&bytes)?;
				bundle.push(json!({ "resource": resource.clone() }));
				entry["resource"] = resource;
			},
		}
		entries.push(entry);
	}
	let text = match out {
		Some(_) if lines.is_empty() => "found nothing consent releases".to_string(),
		Some(_) => lines.join("\n"),
		None => serde_json::to_string_pretty(
			&json!({ "resourceType": "Bundle", "type": "collection", "entry": bundle }),
		)?,
	};
	let refusals: Vec<Value> =
		refused.iter().map(|(org, why)| json!({ "organisation": org, "refusal": why })).collect();
	Output::new(text, json!({ "found": entries, "refused": refusals }))
}

/// `dir`, created if absent, readable by its owner only.
fn create_private_dir(dir: &std::path::Path) -> Result<(), CliError> {
	let mut builder = std::fs::DirBuilder::new();
	builder.recursive(true);
	#[cfg(unix)]
	std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
	builder.create(dir).map_err(|e| medchain_client::Error::Io(dir.to_path_buf(), e))?;
	Ok(())
}

/// The gateway `organisation` published in the directory, if one is named and it has.
async fn published_gateway(
	chain: &medchain_client::chain::Chain,
	organisation: Option<u32>,
) -> Result<Option<directory::GatewayEntry>, CliError> {
	Ok(match organisation {
		Some(org) => directory::gateway(chain, org).await?,
		None => None,
	})
}

/// A client of the `published` gateway, reached at `url` when given (another address of the
/// same gateway; its account is still the directory's), at its published endpoint otherwise.
fn reach(
	ctx: &Context,
	published: &directory::GatewayEntry,
	url: Option<&str>,
) -> Result<Gateway, CliError> {
	let url = url.unwrap_or(&published.endpoint);
	Ok(Gateway::new(url, published.account, ctx.gateway_timeout())?)
}

pub(crate) async fn run(ctx: &Context, cmd: Records) -> Result<Output, CliError> {
	match cmd {
		Records::Add { patient, file, class, gateway } => {
			let me = ctx.me()?;
			let patient = ctx.account(&patient)?;
			let document = FhirDocument::parse(&read_file(&file)?)?;
			progress(&format!(
				"{} is a valid FHIR R5 {}",
				file.display(),
				document.resource_type()
			));
			let tag = ctx.class_key(&patient)?.tag(class);
			let chain = ctx.chain().await?;
			// The author's organisation keeps the document: in its custodian gateway when it
			// has published one, otherwise in the local store.
			let organisation = directory::summary(&chain, &me.account())
				.await?
				.practitioner
				.map(|p| p.organisation);
			let published = published_gateway(&chain, organisation).await?;
			let anchored = match published {
				Some(published) => {
					let via = reach(ctx, &published, gateway.as_deref())?;
					let key = &published.encryption_key;
					records::add_via_gateway(&chain, &via, key, &me, &patient, &document, tag)
						.await?
				},
				None if gateway.is_some() => {
					return Err(CliError::Usage(
						"your organisation has published no gateway (its admin publishes one \
						 with `medchain directory set-gateway`)"
							.into(),
					))
				},
				None => {
					let store = ctx.store()?;
					records::add(&chain, &store, &me, &patient, &document, tag).await?
				},
			};
			Output::new(
				format!(
					"anchored record {} (version 1, {}) in block #{}",
					anchored.record, anchored.cid, anchored.block
				),
				to_json(&anchored)?,
			)
		},
		Records::AnchorBatch { leaves, proofs } => {
			let me = ctx.me()?;
			let text = String::from_utf8(read_file(&leaves)?)
				.map_err(|_| CliError::Usage(format!("{} is not UTF-8 text", leaves.display())))?;
			let mut parsed = Vec::new();
			for (line, entry) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
				parsed.push(serde_json::from_str::<batch::BatchLeaf>(entry).map_err(|e| {
					CliError::Usage(format!(
						"{} line {}: not a batch leaf ({e})",
						leaves.display(),
						line + 1
					))
				})?);
			}
			let tree =
				batch::BatchTree::from_leaves(&parsed).map_err(medchain_client::Error::from)?;
			// The proofs are on disk before the root goes on chain, so a crash or a lost
			// connection never leaves an anchored batch without them: written beside the
			// target, renamed to it once the batch is anchored.
			let pending = std::path::PathBuf::from(format!("{}.pending", proofs.display()));
			for path in [&proofs, &pending] {
				if path.exists() {
					return Err(CliError::Usage(format!(
						"{} exists: the proofs go to a new file (a `.pending` file holds the \
						 proofs of a batch whose anchoring did not finish: `records verify-batch \
						 --proof <it> --index 0` tells whether it is on chain)",
						path.display()
					)));
				}
			}
			batch::write_proofs(&tree, &parsed, &pending)?;
			let chain = ctx.chain().await?;
			let anchored = match batch::anchor(&chain, &me, &tree).await {
				Ok(anchored) => anchored,
				Err(e) => {
					progress(&format!(
						"the batch's proofs stay in {} until you know whether it was anchored",
						pending.display()
					));
					return Err(e.into());
				},
			};
			std::fs::rename(&pending, &proofs)
				.map_err(|e| medchain_client::Error::Io(proofs.clone(), e))?;
			Output::new(
				format!(
					"anchored batch {} ({} record versions, root {}) in block #{}; proofs in {}",
					anchored.batch,
					anchored.leaves,
					hex::encode(anchored.root),
					anchored.block,
					proofs.display()
				),
				to_json(&anchored)?,
			)
		},
		Records::VerifyBatch { proof, index, document } => {
			let proof = batch::read_proof(&proof, index)?;
			let ciphertext = document.as_deref().map(read_file).transpose()?;
			let chain = ctx.chain().await?;
			let verified = batch::verify(&chain, &proof, ciphertext.as_deref()).await?;
			Output::new(
				format!(
					"record version {} of batch {} (anchored by {} of organisation {} in block \
					 #{}) is on chain{}; consent permitted it",
					proof.index,
					verified.batch,
					verified.author,
					verified.custodian,
					verified.anchored_at,
					if ciphertext.is_some() {
						", and the document is the one anchored"
					} else {
						""
					}
				),
				to_json(&verified)?,
			)
		},
		Records::Amend { record, file, purpose, gateway } => {
			let me = ctx.me()?;
			let document = FhirDocument::parse(&read_file(&file)?)?;
			let chain = ctx.chain().await?;
			// Where the record's custodian published a gateway, through it.
			let custodian = records::info(&chain, record).await?.custodian;
			let published = published_gateway(&chain, custodian).await?;
			let anchored = match published {
				Some(published) => {
					let via = reach(ctx, &published, gateway.as_deref())?;
					let key = &published.encryption_key;
					records::amend_via_gateway(&chain, &via, key, &me, record, &document, purpose)
						.await?
				},
				None if gateway.is_some() => {
					return Err(CliError::Usage(format!(
						"record {record} has no custodian with a published gateway"
					)))
				},
				None => {
					let store = ctx.store()?;
					records::amend(&chain, &store, &me, record, &document).await?
				},
			};
			Output::new(
				format!(
					"anchored version {} of record {record} in block #{}",
					anchored.version, anchored.block
				),
				to_json(&anchored)?,
			)
		},
		Records::List { patient } => {
			let patient = ctx.account_or_me(patient.as_deref())?;
			let chain = ctx.chain().await?;
			let list = records::list(&chain, &patient).await?;
			let key = ctx.known_class_key(&patient);
			let mut values = Vec::new();
			let mut lines = Vec::new();
			for r in &list {
				let class = record_class(r, key.as_ref());
				values.push(record_json(r, &class)?);
				lines.push(if r.erased {
					format!("{}\terased", r.id)
				} else {
					format!("{}\t{class}\tversion {}", r.id, r.version)
				});
			}
			Output::new(lines.join("\n"), Value::Array(values))
		},
		Records::Show { record } => {
			let chain = ctx.chain().await?;
			let info = records::info(&chain, record).await?;
			let key = AccountId::from_str(&info.patient)
				.ok()
				.and_then(|patient| ctx.known_class_key(&patient));
			let json = record_json(&info, &record_class(&info, key.as_ref()))?;
			Output::new(serde_json::to_string_pretty(&json)?, json)
		},
		Records::Get { record, purpose, version, gateway_org, gateway, out: path } => {
			let me = ctx.me()?;
			let chain = ctx.chain().await?;
			let custodian = match gateway_org {
				Some(org) => Some(org),
				None => records::info(&chain, record).await?.custodian,
			};
			let published = published_gateway(&chain, custodian).await?;
			let document = match (published, gateway_org) {
				(Some(published), _) => {
					let via = reach(ctx, &published, gateway.as_deref())?;
					records::get_via_gateway(&chain, &via, &me, record, version, purpose).await?
				},
				(None, Some(org)) => {
					return Err(CliError::Usage(format!(
						"organisation {org} has published no gateway"
					)))
				},
				(None, None) if gateway.is_some() => {
					return Err(CliError::Usage(format!(
						"record {record} has no custodian with a published gateway: name the \
						 gateway's organisation with --gateway-org"
					)))
				},
				(None, None) if version.is_some() => {
					return Err(CliError::Usage(
						"--version is read through a custodian gateway; the local store reads \
						 the current version"
							.into(),
					))
				},
				(None, None) => {
					let store = ctx.store()?;
					records::get(&chain, &store, &me, record, purpose).await?
				},
			};
			let bytes = document.to_json_bytes()?;
			match path {
				Some(path) => {
					records::save_document(&path, &bytes)?;
					Output::new(
						format!(
							"wrote {} ({}) to {}",
							document.resource_type(),
							bytes.len(),
							path.display()
						),
						json!({ "record": record, "resource_type": document.resource_type(), "out": path }),
					)
				},
				None => {
					let value: Value = serde_json::from_slice(&bytes)?;
					Output::new(String::from_utf8_lossy(&bytes).to_string(), value)
				},
			}
		},
		Records::Search { patient, resource_type, purpose, gateway_org, gateway, out } => {
			let me = ctx.me()?;
			let patient = ctx.account(&patient)?;
			let chain = ctx.chain().await?;
			let organisations: Vec<u32> = match gateway_org {
				Some(org) => vec![org],
				None => {
					let mut custodians: Vec<u32> = records::list(&chain, &patient)
						.await?
						.iter()
						.filter(|r| !r.erased)
						.filter_map(|r| r.custodian)
						.collect();
					custodians.sort_unstable();
					custodians.dedup();
					custodians
				},
			};
			let mut found = Vec::new();
			let mut refused = Vec::new();
			for org in organisations {
				let Some(published) = directory::gateway(&chain, org).await? else {
					if gateway_org.is_some() {
						return Err(CliError::Usage(format!(
							"organisation {org} has published no gateway"
						)));
					}
					progress(&format!("organisation {org} has published no gateway: skipped"));
					continue;
				};
				let via = reach(ctx, &published, gateway.as_deref())?;
				let wanted = resource_type.as_deref();
				let searched =
					records::search_via_gateway(&chain, &via, &me, &patient, wanted, purpose)
						.await?;
				for refusal in &searched.refused {
					progress(&format!("organisation {org}: {refusal}"));
				}
				refused.extend(searched.refused.into_iter().map(|r| (org, r)));
				found.extend(searched.found.into_iter().map(|f| (org, f)));
			}
			search_output(&found, &refused, out.as_deref())
		},
		Records::Share { record, with, purpose } => {
			let me = ctx.me()?;
			let grantee = ctx.account(&with)?;
			let chain = ctx.chain().await?;
			if records::info(&chain, record).await?.patient != me.account().to_string() {
				// A custodian's practitioner: the key only, under the patient's consent.
				let block =
					records::share_as_custodian(&chain, &me, record, &grantee, purpose).await?;
				return Output::new(
					format!(
						"wrapped record {record}'s key for {grantee} under the patient's consent \
						 in block #{block}"
					),
					json!({ "record": record, "grantee": grantee.to_string(), "grant": null, "block": block }),
				);
			}
			let grant = records::share(&chain, &me, record, &grantee, purpose).await?;
			Output::new(
				format!("shared record {record} with {grantee}: grant {grant}"),
				json!({ "record": record, "grantee": grantee.to_string(), "grant": grant }),
			)
		},
		Records::Unshare { record, with } => {
			let me = ctx.me()?;
			let grantee = ctx.account(&with)?;
			let chain = ctx.chain().await?;
			let (block, revoked) = records::unshare(&chain, &me, record, &grantee).await?;
			let ended = match revoked.as_slice() {
				[] => String::new(),
				grants => format!(
					" and revoked grant{} {}",
					plural(grants.len()),
					grants.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
				),
			};
			Output::new(
				format!("removed {grantee}'s key of record {record}{ended} in block #{block}"),
				json!({
					"record": record,
					"grantee": grantee.to_string(),
					"revoked": revoked,
					"block": block
				}),
			)
		},
		Records::Prune { patient } => {
			let me = ctx.me()?;
			let patient = ctx.account_or_me(patient.as_deref())?;
			let chain = ctx.chain().await?;
			let pruned = records::prune_unbacked(&chain, &me, &patient).await?;
			Output::new(
				format!(
					"pruned {} data key{} consent no longer backs{}",
					pruned.len(),
					plural(pruned.len()),
					pruned
						.iter()
						.map(|(record, holder)| format!("\n  record {record}: {holder}"))
						.collect::<String>()
				),
				json!({ "patient": patient.to_string(), "pruned": keys_json(&pruned) }),
			)
		},
		Records::Erase { record } => {
			let me = ctx.me()?;
			let store = ctx.store()?;
			let chain = ctx.chain().await?;
			let versions = records::erase(&chain, &store, &me, record).await?;
			Output::new(
				format!("erased record {record} ({versions} version(s) deleted from the store)"),
				json!({ "record": record, "versions": versions }),
			)
		},
	}
}
