//! MedChain's healthcare pallets: the directory of organisations, practitioners and patients,
//! the medical-record anchors, patient consent, clinical trials, prescriptions, insurance
//! claims and engagement rewards.
//! They ask one another through the traits in `medchain-primitives`, wired here; their
//! benchmark helpers are in `crate::benchmarks`.

use super::governance::RootOrCouncilMajority;
use crate::{
	AccountId, Balances, ClinicalTrials, Consent, Directory, Runtime, RuntimeHoldReason, Timestamp,
	DAYS, HOURS, UNIT,
};
use polkadot_sdk::frame_support::traits::{ConstU128, ConstU32, ConstU8};

impl pallet_directory::Config for Runtime {
	// A majority of the council of health authorities registers organisations (root too: the
	// development preset's sudo key, or a whitelisted dispatch).
	type RegistrarOrigin = RootOrCouncilMajority;
	type Time = Timestamp;
	type MaxNameLen = ConstU32<64>;
	type MaxAuthorityLen = ConstU32<64>;
	// A gateway's base URL: a host name (at most 253 bytes) with scheme, port and path prefix.
	type MaxEndpointLen = ConstU32<256>;
	type MaxKeyHistory = ConstU32<8>;
	// A hospital onboarding a ward at once; expired invitations free their slot when removed.
	type MaxInvitations = ConstU32<256>;
	type InvitationLifetime = ConstU32<{ 14 * DAYS }>;
	type Signature = crate::Signature;
	// Registration without funds is free: at most this many a block (about 230,000 a day), so
	// that nobody can flood the directory faster than that.
	type MaxFreeRegistrationsPerBlock = ConstU32<16>;
	// A patient deregisters once their records are erased and their grants ended.
	type Records = crate::MedicalRecords;
	type Grants = crate::Consent;
	type WeightInfo = pallet_directory::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::DirectoryBenchmarkHelper;
}

impl pallet_medical_records::Config for Runtime {
	type Directory = Directory;
	// pallet-consent is the only authority on access: records ask its evaluator.
	type Consent = crate::Consent;
	type MaxCidLen = ConstU32<128>;
	type MaxWrappedKeyLen = ConstU32<256>;
	type MaxVersions = ConstU32<32>;
	type MaxGrantees = ConstU32<32>;
	type MaxPageSize = ConstU32<100>;
	// A grant to a team or for a class covers many records; one revocation removes every key
	// it delivered in one call.
	type MaxKeysPerGrant = ConstU32<64>;
	// A national day's record versions in one batch (2^24); a proof is then 24 hashes.
	type MaxBatchLeaves = ConstU32<16_777_216>;
	type WeightInfo = pallet_medical_records::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::RecordsBenchmarkHelper;
}

impl pallet_consent::Config for Runtime {
	type Directory = Directory;
	// Receipts and record-level denials ask the records pallet whose a record is.
	type Records = crate::MedicalRecords;
	// Keys follow consent: revoking a grant removes the data keys it delivered.
	type OnGrantRevoked = crate::MedicalRecords;
	// The privacy officers of the organisation an emergency access was opened for review it
	// (in the pallet); a council majority (or root) reviews when they do not.
	type ReviewOrigin = RootOrCouncilMajority;
	type MaxGrantsPerPatient = ConstU32<64>;
	type MaxScopeRecords = ConstU32<MAX_SCOPE_RECORDS>;
	// The decision index's bound: a consent question reads at most this many grants for each
	// grantee the actor could be (three at most), whatever the patient's other grants.
	type MaxGrantsPerGrantee = ConstU32<8>;
	type MaxEmergenciesPerPatient = ConstU32<16>;
	type EmergencyDuration = ConstU32<HOURS>;
	type ReviewDeadline = ConstU32<{ 7 * DAYS }>;
	type MaxOffersPerPatient = ConstU32<8>;
	type MaxOffersPerProposer = ConstU32<1_000>;
	type OfferLifetime = ConstU32<{ 7 * DAYS }>;
	type MaxPageSize = ConstU32<100>;
	type WeightInfo = pallet_consent::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::ConsentBenchmarkHelper;
}

impl pallet_clinical_trials::Config for Runtime {
	type Directory = Directory;
	type Time = Timestamp;
	type MaxPrimaryOutcomes = ConstU32<4>;
	type MaxSecondaryOutcomes = ConstU32<16>;
	type MaxAmendments = ConstU32<64>;
	type MaxSites = ConstU32<16>;
	type MaxInvestigators = ConstU32<64>;
	type MaxConsentForms = ConstU32<16>;
	type MaxParticipants = ConstU32<10_000>;
	type MaxDataAnchors = ConstU32<100_000>;
	type MaxRegistryIdLen = ConstU32<32>;
	type MaxLinkLen = ConstU32<256>;
	type MaxPageSize = ConstU32<100>;
	/// The ring parameters' capacity: a trial call hides its author among up to 255 patients.
	type MaxRingMembers = ConstU32<{ pallet_clinical_trials::ring::RING_CAPACITY }>;
	/// No trial call against a ring of fewer than four research keys. A floor for small
	/// deployments; a national one would raise it (see docs/threat-model.md).
	type MinRingMembers = ConstU32<4>;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// Held from the registering admin until the results are published: a stake against
	/// registering trials nobody runs (a trial's record is kept for good) and on publishing.
	type RegistrationDeposit = ConstU128<{ 100 * UNIT }>;
	type WeightInfo = pallet_clinical_trials::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::TrialsBenchmarkHelper;
}

impl pallet_prescriptions::Config for Runtime {
	type Directory = Directory;
	// The patient's one-time key signs a pharmacy choice as any account signs.
	type Signature = crate::Signature;
	// The council of health authorities licenses manufacturers and wholesalers and may recall
	// any batch (root too: the development preset's sudo key, or a whitelisted dispatch).
	type RegulatorOrigin = RootOrCouncilMajority;
	// A year of monthly repeats.
	type MaxFills = ConstU8<12>;
	type MaxPartsPerFill = ConstU8<4>;
	// A repeat prescription's year.
	type MaxValidity = ConstU32<{ 365 * DAYS }>;
	// A visit to the counter: a reservation with nothing dispensed after an hour gives way to
	// the patient's next choice of pharmacy.
	type PendingLifetime = ConstU32<HOURS>;
	type MaxPageSize = ConstU32<100>;
	type WeightInfo = pallet_prescriptions::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::PrescriptionsBenchmarkHelper;
}

/// The most records one consent grant names (`pallet_consent::Config::MaxScopeRecords`).
const MAX_SCOPE_RECORDS: u32 = 16;
/// The most records one claim names: each claim's access is one grant naming them all.
const MAX_RECORDS_PER_CLAIM: u32 = 16;
const _: () = assert!(MAX_RECORDS_PER_CLAIM <= MAX_SCOPE_RECORDS, "a claim's records fit a grant");

polkadot_sdk::frame_support::parameter_types! {
	/// Each payer's escrow is an account derived from this id and the payer's organisation id.
	pub const ClaimsPalletId: polkadot_sdk::frame_support::PalletId =
		polkadot_sdk::frame_support::PalletId(*b"mc/claim");
}

impl pallet_claims::Config for Runtime {
	type Directory = Directory;
	type Records = crate::MedicalRecords;
	type Access = ClaimAccessThroughConsent;
	type MaxRecordsPerClaim = ConstU32<MAX_RECORDS_PER_CLAIM>;
	// Two weeks for the provider or the member to dispute a decision.
	type DisputeWindow = ConstU32<{ 14 * DAYS }>;
	type Currency = Balances;
	type PalletId = ClaimsPalletId;
	// The escrow a payer keeps for each claim it may still have to pay: a floor that says
	// nothing of any claim's amount (a deployment sets it to what a typical claim pays).
	type EscrowPerClaim = ConstU128<{ 10 * UNIT }>;
	// A month's claims of one provider at one payer, paid at once.
	type MaxClaimsPerSettlement = ConstU32<100>;
	type WeightInfo = pallet_claims::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::ClaimsBenchmarkHelper;
}

/// A claim's access for its payer, through consent: a grant of the member's, made under the
/// coverage they accepted, letting the payer's claims officers read exactly the records claimed,
/// for payment, from the claim's submission to its end. It is in the member's grants like any
/// other (listed, answered by the one consent evaluator, revocable by the member).
pub struct ClaimAccessThroughConsent;

impl pallet_claims::ClaimAccess<AccountId> for ClaimAccessThroughConsent {
	fn open(
		member: &AccountId,
		payer: medchain_primitives::OrganisationId,
		_claim: pallet_claims::ClaimId,
		records: &[medchain_primitives::RecordId],
	) -> Result<pallet_claims::AccessHandle, polkadot_sdk::sp_runtime::DispatchError> {
		use medchain_primitives::{ConsentAction, PractitionerRole, PurposeOfUse};
		use pallet_consent_runtime_api::{Effect, Grantee, Provision};
		let provision = Provision {
			effect: Effect::Permit,
			actions: alloc::vec![ConsentAction::Read].try_into().map_err(|_| "actions bound")?,
			purposes: alloc::vec![PurposeOfUse::Payment]
				.try_into()
				.map_err(|_| "purposes bound")?,
			classes: Default::default(),
			// Never longer: MAX_RECORDS_PER_CLAIM <= MAX_SCOPE_RECORDS (checked above).
			records: records
				.to_vec()
				.try_into()
				.map_err(|_| "a claim's records exceed a grant's")?,
		};
		let officers = Grantee::Role { organisation: payer, role: PractitionerRole::ClaimsOfficer };
		Consent::grant_on_behalf(member, officers, provision)
	}

	fn close(
		member: &AccountId,
		handle: pallet_claims::AccessHandle,
	) -> polkadot_sdk::frame_support::weights::Weight {
		// Refused only when the member revoked the grant already (or it is unknown): the
		// payer's access is over either way, and nothing more was removed.
		Consent::end_on_behalf(member, handle).unwrap_or_default()
	}

	/// Ending the grant removes the data keys delivered under it (the records pallet).
	fn max_close_weight() -> polkadot_sdk::frame_support::weights::Weight {
		use medchain_primitives::OnGrantRevoked;
		<Runtime as pallet_consent::Config>::OnGrantRevoked::max_weight()
	}
}

polkadot_sdk::frame_support::parameter_types! {
	/// Each reward pool's funds are in an account derived from this id and the pool's id.
	pub const RewardsPalletId: polkadot_sdk::frame_support::PalletId =
		polkadot_sdk::frame_support::PalletId(*b"mc/rewrd");
}

impl pallet_rewards::Config for Runtime {
	type Directory = Directory;
	type Currency = Balances;
	type PalletId = RewardsPalletId;
	type Trials = TrialVisitsOfTrials;
	type WeightInfo = pallet_rewards::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::RewardsBenchmarkHelper;
}

/// The trial visits a sponsor's reward pool pays for, and their participants' ring proofs, from
/// the clinical trials pallet.
pub struct TrialVisitsOfTrials;

impl pallet_rewards::TrialVisits for TrialVisitsOfTrials {
	fn visit(
		trial: pallet_rewards::TrialId,
		seq: u32,
	) -> Option<(medchain_primitives::OrganisationId, pallet_rewards::Pseudonym)> {
		ClinicalTrials::participant_visit(trial, seq)
	}

	fn check_proof(
		trial: pallet_rewards::TrialId,
		ring: pallet_rewards::RingIndex,
		pseudonym: &pallet_rewards::Pseudonym,
		message: &[u8],
		proof: &pallet_rewards::RingProof,
	) -> Result<(), pallet_rewards::ProofRefusal> {
		use pallet_clinical_trials::Error;
		use pallet_rewards::ProofRefusal;
		ClinicalTrials::check_proof(trial, ring, message, pseudonym, proof).map_err(|e| match e {
			Error::<Runtime>::UnknownRing => ProofRefusal::UnknownRing,
			Error::<Runtime>::RingTooSmall => ProofRefusal::RingTooSmall,
			_ => ProofRefusal::BadProof,
		})
	}
}
