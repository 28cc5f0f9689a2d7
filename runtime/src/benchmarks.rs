//! The pallets benchmarked in this runtime (`medchain-node benchmark pallet`, with the
//! `runtime-benchmarks` feature), and the healthcare pallets' benchmark helpers. Each pallet's
//! `weights.rs` is regenerated from these by `scripts/benchmark-weights.sh`.

use crate::*;
use alloc::{string::String, vec::Vec};
use medchain_primitives::OrganisationId;
use polkadot_sdk::{
	frame_benchmarking::{BenchmarkBatch, BenchmarkConfig, BenchmarkList},
	frame_support::traits::{StorageInfo, StorageInfoTrait, WhitelistedStorageKeys},
	sp_storage::TrackedStorageKey,
	*,
};

impl frame_system_benchmarking::Config for Runtime {}
impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

type SystemBench = frame_system_benchmarking::Pallet<Runtime>;
type SystemExtensionsBench = frame_system_benchmarking::extensions::Pallet<Runtime>;

polkadot_sdk::frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench]
	[frame_system_extensions, SystemExtensionsBench]
	[pallet_balances, Balances]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_timestamp, Timestamp]
	[pallet_babe, Babe]
	[pallet_grandpa, Grandpa]
	[pallet_utility, Utility]
	[pallet_proxy, Proxy]
	[pallet_recovery, Recovery]
	[pallet_sudo, Sudo]
	[pallet_directory, Directory]
	[pallet_medical_records, MedicalRecords]
	[pallet_consent, Consent]
	[pallet_clinical_trials, ClinicalTrials]
	[pallet_free_calls, FreeCalls]
	[pallet_prescriptions, Prescriptions]
	[pallet_claims, Claims]
	[pallet_rewards, Rewards]
);

/// The benchmarks this runtime has, and the storage items they touch.
pub fn metadata(extra: bool) -> (Vec<BenchmarkList>, Vec<StorageInfo>) {
	let mut list = Vec::<BenchmarkList>::new();
	list_benchmarks!(list, extra);
	(list, AllPalletsWithSystem::storage_info())
}

/// Runs the benchmarks `config` selects.
pub fn dispatch(config: BenchmarkConfig) -> Result<Vec<BenchmarkBatch>, String> {
	let mut whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();
	// The timestamp inherent writes `Timestamp::Now` at the start of every block: a transaction
	// reads it from the block's overlay, never from the database.
	whitelist.push(pallet_timestamp::Now::<Runtime>::hashed_key().to_vec().into());
	let mut batches = Vec::<BenchmarkBatch>::new();
	let params = (&config, &whitelist);
	add_benchmarks!(params, batches);
	Ok(batches)
}

// The healthcare pallets' benchmark helpers (their `Config::BenchmarkHelper`s): what each
// benchmark needs from the rest of the runtime (a registered organisation, an attached
// practitioner, consent in force, a signing key).

/// Signs patient registrations with a key made in the benchmark's keystore.
pub struct DirectoryBenchmarkHelper;

impl pallet_directory::BenchmarkHelper<AccountId, crate::Signature> for DirectoryBenchmarkHelper {
	fn sign(message: &[u8]) -> (AccountId, crate::Signature) {
		use polkadot_sdk::{sp_core::crypto::KeyTypeId, sp_io::crypto};
		const KEY_TYPE: KeyTypeId = KeyTypeId(*b"medb");
		let public = crypto::sr25519_generate(KEY_TYPE, None);
		// The key was just made, so it signs; an unsigned placeholder fails the benchmark.
		let signature = crypto::sr25519_sign(KEY_TYPE, &public, message)
			.unwrap_or_else(|| polkadot_sdk::sp_core::sr25519::Signature::from_raw([0; 64]));
		(AccountId::from(public), crate::Signature::Sr25519(signature))
	}

	/// A full list of expired, unsettled grants: every one read and checked, none in force.
	fn burden_patient(patient: &AccountId) {
		pallet_consent::Pallet::<Runtime>::benchmark_fill_expired_grants(patient);
	}
}

/// As many class tags as a grant holds, the records benchmarks' class last (so that looking it
/// up scans them all), as the benchmark helpers' grants list them.
fn every_class(
) -> Result<pallet_consent_runtime_api::Classes, polkadot_sdk::sp_runtime::DispatchError> {
	use medchain_primitives::ClassTag;
	use polkadot_sdk::sp_runtime::SaturatedConversion;
	let bound = pallet_consent_runtime_api::Classes::bound();
	let mut classes: alloc::vec::Vec<ClassTag> =
		(0..bound.saturating_sub(1)).map(|n| ClassTag([n.saturated_into::<u8>(); 32])).collect();
	classes.push(pallet_medical_records::BENCHMARK_CLASS);
	classes.try_into().map_err(|_| "too many classes".into())
}

/// Sets up what the records benchmarks need, with the consent helper's setup (directory calls)
/// plus consent grants: an active organisation, a licensed physician, and a patient who lets
/// that organisation's physicians read, write and share every class for treatment. The
/// patient's grant list is filled first with permits to other accounts over the same data, so
/// that every consent question a records call asks scans a full list, the permitting grant
/// last (security review M5). `allow_reading` therefore adds no grant: it makes the reader one
/// of the organisation's physicians, whom the last grant permits.
pub struct RecordsBenchmarkHelper;

impl pallet_medical_records::BenchmarkHelper<AccountId> for RecordsBenchmarkHelper {
	fn setup_practitioner_and_patient(
		admin: &AccountId,
		practitioner: &AccountId,
		patient: &AccountId,
	) -> Result<OrganisationId, polkadot_sdk::sp_runtime::DispatchError> {
		use medchain_primitives::{ConsentAction, PractitionerRole, PurposeOfUse};
		use pallet_consent::BenchmarkHelper;
		use pallet_consent_runtime_api::{Effect, Grantee, Provision};
		ConsentBenchmarkHelper::register_patient(patient)?;
		use polkadot_sdk::frame_support::traits::Get;
		let organisation = ConsentBenchmarkHelper::setup_organisation(
			admin,
			practitioner,
			PractitionerRole::Physician,
		)?;
		let provision = || -> Result<_, polkadot_sdk::sp_runtime::DispatchError> {
			Ok(Provision {
				effect: Effect::Permit,
				actions: alloc::vec![
					ConsentAction::Read,
					ConsentAction::Write,
					ConsentAction::Share
				]
				.try_into()
				.map_err(|_| "too many actions")?,
				purposes: alloc::vec![PurposeOfUse::Treatment, PurposeOfUse::Research]
					.try_into()
					.map_err(|_| "too many purposes")?,
				classes: every_class()?,
				records: Default::default(),
			})
		};
		let max: u32 = <Runtime as pallet_consent::Config>::MaxGrantsPerPatient::get();
		for n in 0..max.saturating_sub(1) {
			let mut other = [0xB0u8; 32];
			other[..4].copy_from_slice(&n.to_le_bytes());
			crate::Consent::grant_consent(
				RuntimeOrigin::signed(patient.clone()),
				Grantee::Account(AccountId::from(other)),
				provision()?,
				None,
				None,
			)?;
		}
		crate::Consent::grant_consent(
			RuntimeOrigin::signed(patient.clone()),
			Grantee::Role { organisation, role: PractitionerRole::Physician },
			provision()?,
			None,
			None,
		)?;
		Ok(organisation)
	}

	/// A fresh account holds no grant of the patient's: consent permits it nothing already.
	fn forbid_reading(
		_patient: &AccountId,
		_reader: &AccountId,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		Ok(())
	}

	/// The reader becomes a physician of the organisation the patient's last grant (the role
	/// permit of [`setup_practitioner_and_patient`]) names, attached by its admin.
	fn allow_reading(
		patient: &AccountId,
		reader: &AccountId,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		use medchain_primitives::PractitionerRole;
		use pallet_consent_runtime_api::Grantee;
		let organisation = pallet_consent::Grants::<Runtime>::get(patient)
			.and_then(|grants| {
				grants.iter().rev().find_map(|grant| match grant.grantee {
					Grantee::Role { organisation, .. } => Some(organisation),
					Grantee::Account(_) => None,
				})
			})
			.ok_or("the patient has no role grant: set up the practitioner first")?;
		let admin = pallet_directory::Organisations::<Runtime>::get(organisation)
			.ok_or("no such organisation")?
			.admin;
		attach_benchmark_practitioner(&admin, organisation, reader, PractitionerRole::Physician)
	}
}

/// The content of a record version the benchmark helpers anchor.
fn benchmark_content() -> Result<
	pallet_medical_records::VersionContentOf<Runtime>,
	polkadot_sdk::sp_runtime::DispatchError,
> {
	Ok(pallet_medical_records::VersionContent {
		ciphertext_hash: [1u8; 32],
		plaintext_commitment: [2u8; 32],
		cid: b"bafkreibenchmark".to_vec().try_into().map_err(|_| "CID too long")?,
	})
}

/// A record's data key wrapped for someone, as the benchmark helpers anchor it: 48 `byte`s.
fn benchmark_wrapped_key(
	byte: u8,
) -> Result<pallet_medical_records::WrappedKeyOf<Runtime>, polkadot_sdk::sp_runtime::DispatchError>
{
	[byte; 48].to_vec().try_into().map_err(|_| "wrapped key too long".into())
}

/// Sets up, through the directory's own calls, the patients, organisations and practitioners
/// the consent benchmarks need.
pub struct ConsentBenchmarkHelper;

impl pallet_consent::BenchmarkHelper<AccountId> for ConsentBenchmarkHelper {
	/// The patient self-reports a record of `class` (a real anchor in the records pallet).
	fn anchor_record(
		patient: &AccountId,
		class: medchain_primitives::ClassTag,
	) -> Result<medchain_primitives::RecordId, polkadot_sdk::sp_runtime::DispatchError> {
		let record = pallet_medical_records::NextRecordId::<Runtime>::get();
		crate::MedicalRecords::anchor_self_reported(
			RuntimeOrigin::signed(patient.clone()),
			class,
			benchmark_content()?,
			benchmark_wrapped_key(3)?,
		)?;
		Ok(record)
	}

	fn register_patient(patient: &AccountId) -> polkadot_sdk::sp_runtime::DispatchResult {
		use codec::Encode;
		let pseudonym = polkadot_sdk::sp_io::hashing::blake2_256(&patient.encode());
		Directory::register_patient(RuntimeOrigin::signed(patient.clone()), pseudonym, [3u8; 32])
	}

	fn setup_organisation(
		admin: &AccountId,
		practitioner: &AccountId,
		role: medchain_primitives::PractitionerRole,
	) -> Result<OrganisationId, polkadot_sdk::sp_runtime::DispatchError> {
		let organisation = register_benchmark_organisation(admin)?;
		attach_benchmark_practitioner(admin, organisation, practitioner, role)?;
		Ok(organisation)
	}

	fn add_practitioner(
		admin: &AccountId,
		organisation: OrganisationId,
		practitioner: &AccountId,
		role: medchain_primitives::PractitionerRole,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		attach_benchmark_practitioner(admin, organisation, practitioner, role)
	}

	fn set_gateway(
		admin: &AccountId,
		organisation: OrganisationId,
		gateway: &AccountId,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		Directory::set_gateway(
			RuntimeOrigin::signed(admin.clone()),
			organisation,
			gateway.clone().into(),
			b"https://gateway.benchmark.invalid".to_vec().try_into().map_err(|_| "URL too long")?,
			[5u8; 32],
		)
	}
}

/// Registers an active hospital administered by `admin`, with a unique name.
fn register_benchmark_organisation(
	admin: &AccountId,
) -> Result<OrganisationId, polkadot_sdk::sp_runtime::DispatchError> {
	register_benchmark_organisation_of_kind(admin, medchain_primitives::OrganisationKind::Hospital)
}

/// Registers an active organisation of `kind` administered by `admin`, with a unique name.
fn register_benchmark_organisation_of_kind(
	admin: &AccountId,
	kind: medchain_primitives::OrganisationKind,
) -> Result<OrganisationId, polkadot_sdk::sp_runtime::DispatchError> {
	let organisation = pallet_directory::NextOrganisationId::<Runtime>::get();
	let mut name = b"benchmark organisation ".to_vec();
	name.extend_from_slice(&organisation.to_le_bytes());
	Directory::register_organisation(
		RuntimeOrigin::root(),
		kind,
		admin.clone().into(),
		name.try_into().map_err(|_| "name too long")?,
	)?;
	Ok(organisation)
}

/// Attaches `practitioner` to `organisation` with `role` and a licence valid from now on: the
/// admin invites, the practitioner accepts.
fn attach_benchmark_practitioner(
	admin: &AccountId,
	organisation: OrganisationId,
	practitioner: &AccountId,
	role: medchain_primitives::PractitionerRole,
) -> polkadot_sdk::sp_runtime::DispatchResult {
	Directory::invite_practitioner(
		RuntimeOrigin::signed(admin.clone()),
		organisation,
		practitioner.clone().into(),
		role,
		pallet_directory::Licence {
			authority: b"benchmark".to_vec().try_into().map_err(|_| "authority too long")?,
			licence_id: [1u8; 32],
			valid_from: 0,
			valid_until: u64::MAX,
		},
	)?;
	Directory::accept_invitation(RuntimeOrigin::signed(practitioner.clone()), organisation)
}

/// Sets up, through the directory's own calls, the sponsors, investigators and patients the
/// trial benchmarks need.
pub struct TrialsBenchmarkHelper;

impl pallet_clinical_trials::BenchmarkHelper<AccountId> for TrialsBenchmarkHelper {
	fn create_organisation(
		admin: &AccountId,
	) -> Result<OrganisationId, polkadot_sdk::sp_runtime::DispatchError> {
		register_benchmark_organisation(admin)
	}

	fn add_practitioner(
		practitioner: &AccountId,
		organisation: OrganisationId,
	) -> polkadot_sdk::sp_runtime::DispatchResult {
		let admin = pallet_directory::Organisations::<Runtime>::get(organisation)
			.ok_or("no such organisation")?
			.admin;
		attach_benchmark_practitioner(
			&admin,
			organisation,
			practitioner,
			medchain_primitives::PractitionerRole::Researcher,
		)
	}

	fn register_patient(patient: &AccountId) -> polkadot_sdk::sp_runtime::DispatchResult {
		<ConsentBenchmarkHelper as pallet_consent::BenchmarkHelper<AccountId>>::register_patient(
			patient,
		)
	}
}

/// Sets up, through the directory's own calls, the physicians and pharmacists the prescription
/// benchmarks need, and signs as a patient's one-time key.
pub struct PrescriptionsBenchmarkHelper;

impl pallet_prescriptions::BenchmarkHelper<AccountId, crate::Signature>
	for PrescriptionsBenchmarkHelper
{
	fn setup_physician(
		admin: &AccountId,
		who: &AccountId,
	) -> Result<OrganisationId, polkadot_sdk::sp_runtime::DispatchError> {
		let organisation = register_benchmark_organisation(admin)?;
		attach_benchmark_practitioner(
			admin,
			organisation,
			who,
			medchain_primitives::PractitionerRole::Physician,
		)?;
		Ok(organisation)
	}

	fn setup_pharmacist(
		admin: &AccountId,
		who: &AccountId,
	) -> Result<OrganisationId, polkadot_sdk::sp_runtime::DispatchError> {
		let pharmacy = register_benchmark_organisation_of_kind(
			admin,
			medchain_primitives::OrganisationKind::Pharmacy,
		)?;
		attach_benchmark_practitioner(
			admin,
			pharmacy,
			who,
			medchain_primitives::PractitionerRole::Pharmacist,
		)?;
		Ok(pharmacy)
	}

	/// One key, the same at every call (derived from a fixed seed in the benchmark's keystore):
	/// the prescription names its account, and later choices must verify against it.
	fn sign(message: &[u8]) -> (AccountId, crate::Signature) {
		use polkadot_sdk::{sp_core::crypto::KeyTypeId, sp_io::crypto};
		const KEY_TYPE: KeyTypeId = KeyTypeId(*b"medp");
		let public = crypto::sr25519_generate(KEY_TYPE, Some(b"//prescription-patient".to_vec()));
		// The key was just made, so it signs; an unsigned placeholder fails the benchmark.
		let signature = crypto::sr25519_sign(KEY_TYPE, &public, message)
			.unwrap_or_else(|| polkadot_sdk::sp_core::sr25519::Signature::from_raw([0; 64]));
		(AccountId::from(public), crate::Signature::Sr25519(signature))
	}
}

/// Sets up, through the directory's, consent's and the records pallet's own calls, the payers,
/// providers, members and records the claim benchmarks need.
pub struct ClaimsBenchmarkHelper;

impl pallet_claims::BenchmarkHelper<AccountId> for ClaimsBenchmarkHelper {
	fn setup_payer(
		admin: &AccountId,
		officer: &AccountId,
	) -> Result<OrganisationId, polkadot_sdk::sp_runtime::DispatchError> {
		use medchain_primitives::{OrganisationKind, PractitionerRole};
		let payer = register_benchmark_organisation_of_kind(admin, OrganisationKind::Insurer)?;
		attach_benchmark_practitioner(admin, payer, officer, PractitionerRole::ClaimsOfficer)?;
		Ok(payer)
	}

	/// The member lets the provider's physicians write their records of the benchmark class;
	/// the practitioner anchors `records` of them.
	fn setup_provider(
		admin: &AccountId,
		practitioner: &AccountId,
		member: &AccountId,
		records: u32,
	) -> Result<
		(OrganisationId, alloc::vec::Vec<medchain_primitives::RecordId>),
		polkadot_sdk::sp_runtime::DispatchError,
	> {
		use medchain_primitives::DirectoryInspect;
		use medchain_primitives::{ConsentAction, PractitionerRole, PurposeOfUse};
		use pallet_consent::BenchmarkHelper;
		use pallet_consent_runtime_api::{Effect, Grantee, Provision};
		if !<Directory as DirectoryInspect<AccountId>>::is_patient(member) {
			ConsentBenchmarkHelper::register_patient(member)?;
		}
		let provider = ConsentBenchmarkHelper::setup_organisation(
			admin,
			practitioner,
			PractitionerRole::Physician,
		)?;
		crate::Consent::grant_consent(
			RuntimeOrigin::signed(member.clone()),
			Grantee::Role { organisation: provider, role: PractitionerRole::Physician },
			Provision {
				effect: Effect::Permit,
				actions: alloc::vec![ConsentAction::Write].try_into().map_err(|_| "actions")?,
				purposes: alloc::vec![PurposeOfUse::Treatment]
					.try_into()
					.map_err(|_| "purposes")?,
				classes: alloc::vec![pallet_medical_records::BENCHMARK_CLASS]
					.try_into()
					.map_err(|_| "classes")?,
				records: Default::default(),
			},
			None,
			None,
		)?;
		let mut anchored = alloc::vec::Vec::new();
		for _ in 0..records {
			anchored.push(pallet_medical_records::NextRecordId::<Runtime>::get());
			crate::MedicalRecords::anchor_record(
				RuntimeOrigin::signed(practitioner.clone()),
				member.clone().into(),
				pallet_medical_records::BENCHMARK_CLASS,
				benchmark_content()?,
				benchmark_wrapped_key(3)?,
				benchmark_wrapped_key(4)?,
			)?;
		}
		Ok((provider, anchored))
	}
}

/// Sets up, through the directory's own calls, the hospital, the practitioner who attests and
/// the patient the reward benchmarks need.
pub struct RewardsBenchmarkHelper;

impl pallet_rewards::BenchmarkHelper<AccountId> for RewardsBenchmarkHelper {
	fn setup(
		admin: &AccountId,
		practitioner: &AccountId,
		patient: &AccountId,
	) -> Result<OrganisationId, polkadot_sdk::sp_runtime::DispatchError> {
		use pallet_consent::BenchmarkHelper;
		ConsentBenchmarkHelper::register_patient(patient)?;
		ConsentBenchmarkHelper::setup_organisation(
			admin,
			practitioner,
			medchain_primitives::PractitionerRole::Physician,
		)
	}

	/// The trials benchmarks' trial, with a visit of their vectors' participant anchored, and
	/// that participant's proof claiming its reward (from the vectors).
	fn trial_visit(
	) -> Result<pallet_rewards::VisitSetup<AccountId>, polkadot_sdk::sp_runtime::DispatchError> {
		use pallet_clinical_trials::benchmark_vectors as vectors;
		let (admin, organisation, trial) = pallet_clinical_trials::anchored_visit::<Runtime>()
			.map_err(|_| "the trials benchmarks' visit could not be set up")?;
		Ok(pallet_rewards::VisitSetup {
			admin,
			organisation,
			trial,
			seq: vectors::VISIT_SEQ,
			ring: 0,
			payee: AccountId::from(vectors::VISIT_PAYEE),
			proof: vectors::VISIT_REWARD_PROOF,
			pool: vectors::VISIT_POOL,
		})
	}
}
