//! The runtime APIs the node and clients call: block building and execution, consensus (BABE,
//! GRANDPA, session keys), transaction validation and fees, account nonces, pallets' view
//! functions (such as the recovery pallet's), genesis presets,
//! with the `try-runtime` feature upgrade rehearsals, and with the `runtime-benchmarks` feature
//! benchmarking.

// `impl_runtime_apis!` generates public items (`RuntimeApi`, `RuntimeApiImpl`, `api`) without
// docs; this file holds nothing else.
#![allow(missing_docs)]

use crate::{
	AccountId, Babe, Balance, Block, BlockNumber, Claims, ClinicalTrials, Consent, Directory,
	Executive, Grandpa, Historical, InherentDataExt, MedicalRecords, Nonce, Prescriptions, Rewards,
	Runtime, RuntimeCall, RuntimeGenesisConfig, SessionKeys, System, TransactionPayment,
	BABE_GENESIS_EPOCH_CONFIG, EPOCH_DURATION_IN_SLOTS, SLOT_DURATION, VERSION,
};
use alloc::vec::Vec;
use polkadot_sdk::{
	frame_support::{
		genesis_builder_helper::{build_state, get_preset},
		traits::KeyOwnerProofSystem,
		weights::Weight,
	},
	pallet_transaction_payment::{FeeDetails, RuntimeDispatchInfo},
	sp_api::impl_runtime_apis,
	sp_core::{crypto::KeyTypeId, OpaqueMetadata},
	sp_inherents::{CheckInherentsResult, InherentData},
	sp_runtime::{
		traits::{Block as BlockT, NumberFor},
		transaction_validity::{TransactionSource, TransactionValidity},
		ApplyExtrinsicResult, ExtrinsicInclusionMode,
	},
	sp_version::RuntimeVersion,
	*,
};
use sp_session::OpaqueGeneratedSessionKeys;

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: InherentData,
		) -> CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_babe::BabeApi<Block> for Runtime {
		fn configuration() -> sp_consensus_babe::BabeConfiguration {
			let epoch_config = Babe::epoch_config().unwrap_or(BABE_GENESIS_EPOCH_CONFIG);
			sp_consensus_babe::BabeConfiguration {
				slot_duration: SLOT_DURATION,
				epoch_length: EPOCH_DURATION_IN_SLOTS,
				c: epoch_config.c,
				authorities: Babe::authorities().to_vec(),
				randomness: Babe::randomness(),
				allowed_slots: epoch_config.allowed_slots,
			}
		}

		fn current_epoch_start() -> sp_consensus_babe::Slot {
			Babe::current_epoch_start()
		}

		fn current_epoch() -> sp_consensus_babe::Epoch {
			Babe::current_epoch()
		}

		fn next_epoch() -> sp_consensus_babe::Epoch {
			Babe::next_epoch()
		}

		fn generate_key_ownership_proof(
			_slot: sp_consensus_babe::Slot,
			authority_id: sp_consensus_babe::AuthorityId,
		) -> Option<sp_consensus_babe::OpaqueKeyOwnershipProof> {
			use codec::Encode;

			Historical::prove((sp_consensus_babe::KEY_TYPE, authority_id))
				.map(|p| p.encode())
				.map(sp_consensus_babe::OpaqueKeyOwnershipProof::new)
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_babe::EquivocationProof<<Block as BlockT>::Header>,
			key_owner_proof: sp_consensus_babe::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;

			Babe::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			let key_owner_proof = key_owner_proof.decode()?;

			Grandpa::submit_unsigned_equivocation_report(equivocation_proof, key_owner_proof)
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			authority_id: sp_consensus_grandpa::AuthorityId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			use codec::Encode;

			Historical::prove((sp_consensus_grandpa::KEY_TYPE, authority_id))
				.map(|p| p.encode())
				.map(sp_consensus_grandpa::OpaqueKeyOwnershipProof::new)
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}

		fn query_fee_details(uxt: <Block as BlockT>::Extrinsic, len: u32) -> FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(call: RuntimeCall, len: u32) -> RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}

		fn query_call_fee_details(call: RuntimeCall, len: u32) -> FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}

		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}

		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	#[api_version(2)]
	impl pallet_medical_records_runtime_api::MedicalRecordsApi<Block, AccountId> for Runtime {
		fn integrity(
			record: pallet_medical_records_runtime_api::RecordId,
			ciphertext_hash: medchain_primitives::Commitment,
		) -> pallet_medical_records_runtime_api::IntegrityStatus {
			MedicalRecords::integrity(record, ciphertext_hash)
		}

		fn records_of(
			patient: AccountId,
			start_after: Option<pallet_medical_records_runtime_api::RecordId>,
			limit: u32,
		) -> Vec<pallet_medical_records_runtime_api::RecordSummary<AccountId, BlockNumber>> {
			MedicalRecords::records_of(&patient, start_after, limit)
		}

		fn versions_of(
			record: pallet_medical_records_runtime_api::RecordId,
		) -> Vec<pallet_medical_records_runtime_api::VersionSummary<AccountId, BlockNumber>> {
			MedicalRecords::versions_of(record)
		}

		fn key_holders(
			record: pallet_medical_records_runtime_api::RecordId,
		) -> Option<(Vec<AccountId>, bool)> {
			MedicalRecords::key_holders(record)
		}

		fn record(
			record: pallet_medical_records_runtime_api::RecordId,
		) -> Option<pallet_medical_records_runtime_api::RecordSummary<AccountId, BlockNumber>> {
			MedicalRecords::record(record)
		}

		fn wrapped_key(
			record: pallet_medical_records_runtime_api::RecordId,
			holder: AccountId,
		) -> Option<Vec<u8>> {
			MedicalRecords::wrapped_key(record, &holder)
		}
	}

	impl pallet_directory_runtime_api::DirectoryApi<Block, AccountId> for Runtime {
		fn account(who: AccountId) -> pallet_directory_runtime_api::AccountSummary<BlockNumber> {
			Directory::account_summary(&who)
		}
	}

	impl pallet_clinical_trials_runtime_api::ClinicalTrialsApi<Block, AccountId> for Runtime {
		fn trial(
			id: pallet_clinical_trials_runtime_api::TrialId,
		) -> Option<pallet_clinical_trials_runtime_api::TrialInfo<AccountId, BlockNumber>> {
			ClinicalTrials::trial_info(id)
		}

		fn amendments(
			id: pallet_clinical_trials_runtime_api::TrialId,
		) -> Vec<pallet_clinical_trials_runtime_api::Amendment<BlockNumber, Vec<medchain_primitives::Commitment>, Vec<medchain_primitives::Commitment>>> {
			ClinicalTrials::amendments(id)
		}

		fn participant(
			trial: pallet_clinical_trials_runtime_api::TrialId,
			pseudonym: pallet_clinical_trials_runtime_api::Pseudonym,
		) -> Option<pallet_clinical_trials_runtime_api::ParticipantInfo<BlockNumber>> {
			ClinicalTrials::participant_info(trial, pseudonym)
		}

		fn allocation(
			trial: pallet_clinical_trials_runtime_api::TrialId,
			pseudonym: pallet_clinical_trials_runtime_api::Pseudonym,
		) -> Option<u8> {
			ClinicalTrials::allocation(trial, pseudonym)
		}

		fn overdue_results(
			start_after: Option<pallet_clinical_trials_runtime_api::TrialId>,
			limit: u32,
		) -> Vec<(pallet_clinical_trials_runtime_api::TrialId, BlockNumber)> {
			ClinicalTrials::overdue_results(start_after, limit)
		}

		fn data_anchors(
			trial: pallet_clinical_trials_runtime_api::TrialId,
			from: u32,
			limit: u32,
		) -> Vec<(u32, pallet_clinical_trials_runtime_api::DataAnchor<AccountId, BlockNumber>)> {
			ClinicalTrials::data_anchors(trial, from, limit)
		}

		fn research_key(
			patient: AccountId,
		) -> Option<(pallet_clinical_trials_runtime_api::RingIndex, pallet_clinical_trials_runtime_api::ResearchKey)> {
			ClinicalTrials::research_key(&patient)
		}

		fn ring_members(
			ring: pallet_clinical_trials_runtime_api::RingIndex,
		) -> Vec<pallet_clinical_trials_runtime_api::ResearchKey> {
			ClinicalTrials::ring_members(ring)
		}
	}

	impl pallet_prescriptions_runtime_api::PrescriptionsApi<Block, AccountId> for Runtime {
		fn prescription(
			id: pallet_prescriptions_runtime_api::PrescriptionId,
		) -> Option<pallet_prescriptions_runtime_api::Prescription<AccountId, BlockNumber>> {
			Prescriptions::prescription(id)
		}

		fn dispenses(
			id: pallet_prescriptions_runtime_api::PrescriptionId,
		) -> Vec<pallet_prescriptions_runtime_api::Dispense<AccountId, BlockNumber>> {
			Prescriptions::dispenses(id)
		}

		fn batch(
			id: pallet_prescriptions_runtime_api::BatchId,
		) -> Option<pallet_prescriptions_runtime_api::Batch<AccountId, BlockNumber>> {
			Prescriptions::batch(id)
		}

		fn custody(
			id: pallet_prescriptions_runtime_api::BatchId,
			start: u32,
			limit: u32,
		) -> Vec<pallet_prescriptions_runtime_api::CustodyEntry<AccountId, BlockNumber>> {
			Prescriptions::custody(id, start, limit)
		}

		fn dispenses_of_batch(
			id: pallet_prescriptions_runtime_api::BatchId,
			start: u32,
			limit: u32,
		) -> Vec<(pallet_prescriptions_runtime_api::PrescriptionId, u16)> {
			Prescriptions::dispenses_of_batch(id, start, limit)
		}
	}

	impl pallet_claims_runtime_api::ClaimsApi<Block, AccountId, Balance, pallet_claims::RecordsOf<Runtime>>
		for Runtime
	{
		fn coverage(
			id: pallet_claims_runtime_api::CoverageId,
		) -> Option<pallet_claims_runtime_api::Coverage<AccountId, BlockNumber>> {
			pallet_claims::Coverages::<Runtime>::get(id)
		}

		fn coverages_of(member: AccountId) -> Vec<pallet_claims_runtime_api::CoverageId> {
			pallet_claims::MemberCoverages::<Runtime>::iter_key_prefix(&member).collect()
		}

		fn claim(
			id: pallet_claims_runtime_api::ClaimId,
		) -> Option<pallet_claims::ClaimOf<Runtime>> {
			pallet_claims::Claims::<Runtime>::get(id)
		}

		fn claims_of_member(member: AccountId) -> Vec<pallet_claims_runtime_api::ClaimId> {
			Claims::claims_of_member(&member)
		}

		fn claims_of_provider(
			provider: medchain_primitives::OrganisationId,
			start: u32,
			limit: u32,
		) -> Vec<pallet_claims_runtime_api::ClaimId> {
			Claims::claims_of(pallet_claims_runtime_api::ClaimParty::Provider(provider), start, limit)
		}

		fn claims_of_payer(
			payer: medchain_primitives::OrganisationId,
			start: u32,
			limit: u32,
		) -> Vec<pallet_claims_runtime_api::ClaimId> {
			Claims::claims_of(pallet_claims_runtime_api::ClaimParty::Payer(payer), start, limit)
		}

		fn escrow(
			payer: medchain_primitives::OrganisationId,
		) -> pallet_claims_runtime_api::Escrow<AccountId, Balance> {
			Claims::escrow(payer)
		}

		fn settlement(
			id: pallet_claims_runtime_api::SettlementId,
		) -> Option<pallet_claims_runtime_api::Settlement<Balance, BlockNumber>> {
			pallet_claims::Settlements::<Runtime>::get(id)
		}
	}

	impl pallet_rewards_runtime_api::RewardsApi<Block, AccountId, Balance> for Runtime {
		fn pool(
			id: pallet_rewards_runtime_api::PoolId,
		) -> Option<pallet_rewards_runtime_api::PoolState<AccountId, Balance, BlockNumber>> {
			Rewards::pool_state(id)
		}

		fn pools_of(
			organisation: medchain_primitives::OrganisationId,
		) -> Vec<pallet_rewards_runtime_api::PoolId> {
			Rewards::pools_of(organisation)
		}

		fn earned(pool: pallet_rewards_runtime_api::PoolId, patient: AccountId) -> Option<Balance> {
			Rewards::earned(pool, &patient, System::block_number())
		}

		fn participant_earned(
			pool: pallet_rewards_runtime_api::PoolId,
			trial: pallet_clinical_trials_runtime_api::TrialId,
			pseudonym: pallet_clinical_trials_runtime_api::Pseudonym,
		) -> Option<Balance> {
			Rewards::participant_earned(pool, trial, pseudonym, System::block_number())
		}

		fn visit_reward(
			trial: pallet_clinical_trials_runtime_api::TrialId,
			seq: u32,
		) -> Option<pallet_rewards_runtime_api::PoolId> {
			Rewards::visit_reward(trial, seq)
		}
	}

	impl pallet_consent_runtime_api::ConsentApi<Block, AccountId> for Runtime {
		fn evaluate_access(
			patient: AccountId,
			actor: AccountId,
			action: pallet_consent_runtime_api::ConsentAction,
			purpose: pallet_consent_runtime_api::PurposeOfUse,
			target: pallet_consent_runtime_api::AccessTarget,
		) -> pallet_consent_runtime_api::Decision {
			Consent::evaluate_access(&patient, &actor, action, purpose, target)
		}

		fn access_log(
			patient: AccountId,
			before: Option<u64>,
			limit: u32,
		) -> Vec<pallet_consent_runtime_api::AccessReceipt<AccountId, BlockNumber>> {
			Consent::access_log(&patient, before, limit)
		}

		fn grants_of(
			patient: AccountId,
		) -> Vec<pallet_consent_runtime_api::Grant<AccountId, BlockNumber, Vec<pallet_consent_runtime_api::RecordId>>> {
			Consent::grants_of(&patient)
		}

		fn offers_of(
			patient: AccountId,
		) -> Vec<pallet_consent_runtime_api::Offer<AccountId, BlockNumber, Vec<pallet_consent_runtime_api::RecordId>>> {
			Consent::offers_of(&patient)
		}

		fn unreviewed_emergencies(
			start_after: Option<pallet_consent_runtime_api::EmergencyId>,
			limit: u32,
		) -> Vec<pallet_consent_runtime_api::Emergency<AccountId, BlockNumber>> {
			Consent::unreviewed_emergencies(start_after, limit)
		}
	}

	impl frame_support::view_functions::runtime_api::RuntimeViewFunction<Block> for Runtime {
		fn execute_view_function(
			id: frame_support::view_functions::ViewFunctionId,
			input: Vec<u8>,
		) -> Result<Vec<u8>, frame_support::view_functions::ViewFunctionDispatchError> {
			Runtime::execute_view_function(id, input)
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// A failed check must stop the rehearsal with its message: try-runtime builds only,
			// and the `TryRuntime` API reports a failure by panicking.
			#[allow(clippy::panic)]
			let weight = Executive::try_runtime_upgrade(checks)
				.unwrap_or_else(|e| panic!("try-runtime upgrade checks failed: {e:?}"));
			(weight, crate::configs::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect,
		) -> Weight {
			#[allow(clippy::panic)] // as above
			Executive::try_execute_block(block, state_root_check, signature_check, select)
				.unwrap_or_else(|e| panic!("try-runtime block execution failed: {e:?}"))
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<polkadot_sdk::frame_support::traits::StorageInfo>,
		) {
			crate::benchmarks::metadata(extra)
		}

		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			crate::benchmarks::dispatch(config)
		}
	}
}
