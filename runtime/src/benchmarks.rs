//! The pallets benchmarked in this runtime (`medchain-node benchmark pallet`, with the
//! `runtime-benchmarks` feature). Each pallet's `weights.rs` is regenerated from these by
//! `scripts/benchmark-weights.sh`.

use crate::*;
use alloc::{string::String, vec::Vec};
use polkadot_sdk::{
	frame_benchmarking::{BenchmarkBatch, BenchmarkConfig, BenchmarkList},
	frame_support::traits::{StorageInfo, StorageInfoTrait, WhitelistedStorageKeys},
	sp_storage::TrackedStorageKey,
	*,
};

impl frame_system_benchmarking::Config for Runtime {}

type SystemBench = frame_system_benchmarking::Pallet<Runtime>;

polkadot_sdk::frame_benchmarking::define_benchmarks!(
	[frame_system, SystemBench]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_utility, Utility]
	[pallet_proxy, Proxy]
	[pallet_recovery, Recovery]
	[pallet_sudo, Sudo]
	[pallet_directory, Directory]
	[pallet_medical_records, MedicalRecords]
	[pallet_consent, Consent]
	[pallet_clinical_trials, ClinicalTrials]
	[pallet_free_calls, FreeCalls]
);

/// The benchmarks this runtime has, and the storage items they touch.
pub fn metadata(extra: bool) -> (Vec<BenchmarkList>, Vec<StorageInfo>) {
	let mut list = Vec::<BenchmarkList>::new();
	list_benchmarks!(list, extra);
	(list, AllPalletsWithSystem::storage_info())
}

/// Runs the benchmarks `config` selects.
pub fn dispatch(config: BenchmarkConfig) -> Result<Vec<BenchmarkBatch>, String> {
	let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();
	let mut batches = Vec::<BenchmarkBatch>::new();
	let params = (&config, &whitelist);
	add_benchmarks!(params, batches);
	Ok(batches)
}
