//! The population a run needs, made on the chain with the client's own workflows: funded
//! transfer senders; an organisation whose practitioners (physicians) anchor, read and batch;
//! registered patients who grant the organisation's physicians treatment access to their
//! general records. Every account is new to the run (derived from the run's start time), so
//! runs against the same chain never meet each other's state.

use std::{collections::BTreeMap, sync::Arc};

use medchain_client::{
	chain::{runtime, types, AccountId, Chain, Keypair},
	classes::DataClass,
	consent::{self, ConsentAction, Effect, Grantee, PractitionerRole, PurposeOfUse, Terms},
	directory,
	identity::Identity,
};
use subxt::utils::MultiAddress;
use tokio::task::JoinSet;

use crate::{Args, Error, Kind};

/// Each account the run funds gets this much (100 units): fees for thousands of calls.
const FUNDING: u128 = 100_000_000_000_000;
/// Calls per `utility.batch_all` in the setup, well within a block.
const SETUP_BATCH: usize = 100;
/// Setup transactions in flight at once (the directory also admits at most 16 free patient
/// registrations a block): more at once and the node's RPC starts dropping the subscriptions
/// the client follows them with.
const AT_ONCE: usize = 16;

/// What the run submits with.
pub struct Population {
	/// Each kind's signers (patients sign the grants).
	pub signers: BTreeMap<Kind, Vec<Keypair>>,
	/// The patients the healthcare calls are about.
	pub patients: Vec<Arc<Identity>>,
	/// Where transfers go: an account the run funded, so a transfer of any size keeps it alive.
	pub transfer_destination: AccountId,
}

/// Makes the run's accounts and state on the chain.
pub async fn prepare(chain: &Chain, args: &Args) -> Result<Population, Error> {
	let run = unix_now()?;
	let identity = |role: &str, i: u32| {
		Identity::from_secret_uri(
			&format!("{role}-{i}"),
			&format!("//medchain-load-{run}//{role}//{i}"),
		)
		.map(Arc::new)
		.map_err(|e| Error::from(format!("making the {role} key: {e}")))
	};
	let funder = Identity::from_secret_uri("funder", &args.funder)
		.map_err(|e| format!("the funder's key {}: {e}", args.funder))?;
	let admin = identity("admin", 0)?;
	let healthcare = [Kind::Anchor, Kind::Access, Kind::Batch];
	let needs_patients =
		args.kinds.iter().any(|k| matches!(k, Kind::Anchor | Kind::Access | Kind::Grant));
	let needs_practitioners = args.kinds.iter().any(|k| healthcare.contains(k));

	let mut signers: BTreeMap<Kind, Vec<Arc<Identity>>> = BTreeMap::new();
	for kind in &args.kinds {
		if *kind == Kind::Grant {
			continue;
		}
		let accounts =
			(0..args.senders).map(|i| identity(kind.name(), i)).collect::<Result<Vec<_>, _>>()?;
		signers.insert(*kind, accounts);
	}
	let patients = if needs_patients {
		(0..args.patients).map(|i| identity("patient", i)).collect::<Result<Vec<_>, _>>()?
	} else {
		Vec::new()
	};

	// Fees for everyone who signs (patients sign for free), and the admin.
	let mut funded: Vec<AccountId> = signers.values().flatten().map(|i| i.account()).collect();
	funded.push(admin.account());
	fund(chain, &funder, &funded).await?;
	eprintln!("  funded {} accounts", funded.len());

	// Patients register (unsigned, free) while the organisation is set up.
	let registering = async {
		if needs_patients {
			each(patients.clone(), chain, "registering the patient", |chain, p| async move {
				directory::register_patient(&chain, &p).await.map(|_| ())
			})
			.await?;
			eprintln!("  {} patients registered", patients.len());
		}
		Ok::<_, Error>(())
	};
	let organising = async {
		if !needs_practitioners {
			return Ok(None);
		}
		let organisation = directory::register_organisation(
			chain,
			&funder,
			directory::OrganisationKind::Hospital,
			&admin.account(),
			&format!("Load test {run}"),
		)
		.await
		.map_err(|e| {
			format!("registering the organisation (the funder must be the sudo key): {e}")
		})?;
		let practitioners: Vec<Arc<Identity>> =
			healthcare.iter().filter_map(|k| signers.get(k)).flatten().cloned().collect();
		invite(chain, &admin, organisation, &practitioners).await?;
		each(practitioners, chain, "accepting the invitation", move |chain, p| async move {
			directory::accept_invitation(&chain, &p, organisation).await.map(|_| ())
		})
		.await?;
		eprintln!("  organisation {organisation} with its practitioners");
		Ok::<_, Error>(Some(organisation))
	};
	let ((), organisation) = futures::try_join!(registering, organising)?;
	if let (Some(organisation), true) = (organisation, needs_patients) {
		grant_treatment(chain, &patients, organisation).await?;
	}

	let transfer_destination = admin.account();
	let mut keys: BTreeMap<Kind, Vec<Keypair>> = signers
		.into_iter()
		.map(|(kind, ids)| (kind, ids.iter().map(|i| i.signer.clone()).collect()))
		.collect();
	if args.kinds.contains(&Kind::Grant) {
		keys.insert(Kind::Grant, patients.iter().map(|p| p.signer.clone()).collect());
	}
	Ok(Population { signers: keys, patients, transfer_destination })
}

/// Each patient lets the organisation's physicians read and write their general records for
/// treatment.
async fn grant_treatment(
	chain: &Chain,
	patients: &[Arc<Identity>],
	organisation: u32,
) -> Result<(), Error> {
	each(patients.to_vec(), chain, "granting treatment consent", move |chain, p| async move {
		let terms = Terms {
			effect: Effect::Permit,
			actions: vec![ConsentAction::Read, ConsentAction::Write],
			purposes: vec![PurposeOfUse::Treatment],
			classes: vec![DataClass::General],
			records: Vec::new(),
			valid_from: None,
			valid_until: None,
		};
		let grantee = Grantee::Role { organisation, role: PractitionerRole::Physician };
		consent::grant(&chain, &p, grantee, &terms).await.map(|_| ())
	})
	.await?;
	eprintln!("  each patient lets the organisation's physicians treat them");
	Ok(())
}

/// The funder sends [`FUNDING`] to each of `accounts`, in batches.
async fn fund(chain: &Chain, funder: &Identity, accounts: &[AccountId]) -> Result<(), Error> {
	use types::{medchain_runtime::RuntimeCall, pallet_balances::pallet::Call};
	for group in accounts.chunks(SETUP_BATCH) {
		let calls = group
			.iter()
			.map(|account| {
				RuntimeCall::Balances(Call::transfer_keep_alive {
					dest: MultiAddress::Id(*account),
					value: FUNDING,
				})
			})
			.collect();
		let call = runtime::transactions().utility().batch_all(calls);
		chain
			.submit("funding the run's accounts", &call, &funder.signer)
			.await
			.map_err(|e| format!("funding the run's accounts from {}: {e}", funder.name))?;
	}
	Ok(())
}

/// The system clock's time, in seconds since 1970.
fn unix_now() -> Result<u64, Error> {
	Ok(std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map_err(|e| format!("the system clock is before 1970: {e}"))?
		.as_secs())
}

/// The admin invites every practitioner as a physician, in batches.
async fn invite(
	chain: &Chain,
	admin: &Identity,
	organisation: u32,
	practitioners: &[Arc<Identity>],
) -> Result<(), Error> {
	use types::{
		bounded_collections::bounded_vec::BoundedVec,
		medchain_runtime::RuntimeCall,
		pallet_directory::{pallet::Call, types::Licence},
	};
	let now = unix_now()?;
	for group in practitioners.chunks(SETUP_BATCH) {
		let calls = group
			.iter()
			.map(|p| {
				let mut licence_id = [0u8; 32];
				licence_id[..8].copy_from_slice(&now.to_le_bytes());
				licence_id[8..].copy_from_slice(&p.account().0[..24]);
				RuntimeCall::Directory(Call::invite_practitioner {
					organisation,
					practitioner: MultiAddress::Id(p.account()),
					role: PractitionerRole::Physician,
					licence: Licence {
						authority: BoundedVec(b"LOAD".to_vec()),
						licence_id,
						valid_from: now.saturating_sub(60),
						valid_until: now.saturating_add(30 * 86_400),
					},
				})
			})
			.collect();
		let call = runtime::transactions().utility().batch_all(calls);
		chain
			.submit("inviting the practitioners", &call, &admin.signer)
			.await
			.map_err(|e| format!("inviting the practitioners: {e}"))?;
	}
	Ok(())
}

/// Runs `step` for every identity (each signs its own transaction), [`AT_ONCE`] at a time,
/// and waits for all; the first failure is the answer.
async fn each<F, Fut>(
	identities: Vec<Arc<Identity>>,
	chain: &Chain,
	what: &'static str,
	step: F,
) -> Result<(), Error>
where
	F: Fn(Chain, Arc<Identity>) -> Fut,
	Fut: std::future::Future<Output = Result<(), medchain_client::Error>> + Send + 'static,
{
	for wave in identities.chunks(AT_ONCE) {
		let mut tasks = JoinSet::new();
		for identity in wave {
			let name = identity.name.clone();
			let future = step(chain.clone(), identity.clone());
			tasks.spawn(async move { future.await.map_err(|e| format!("{what} ({name}): {e}")) });
		}
		while let Some(done) = tasks.join_next().await {
			done.map_err(|e| format!("{what}: {e}"))??;
		}
	}
	Ok(())
}
