//! `try_state` on a live chain's state (feature `try-runtime`): `scripts/try-live.sh` runs it
//! against every chain the end-to-end tests left behind, or against any node it is given. The
//! state at the node's finalized head is downloaded (`frame-remote-externalities`, which checks
//! the downloaded state's root against the block's header); then every pallet's `try_state`
//! invariants and an upgrade rehearsal (pre/post-upgrade hooks, storage versions) run on it.

use medchain_runtime::{AllPalletsWithSystem, Block, Executive, Runtime};
use polkadot_sdk::{
	frame_remote_externalities::{Builder, Mode, OnlineConfig},
	frame_support::traits::{TryState, TryStateSelect, UpgradeCheckSelect},
	sp_runtime::traits::Header as _,
};

/// The node to read, from `MEDCHAIN_LIVE_URI` (`ws://…` or `http://…`).
fn live_uri() -> String {
	std::env::var("MEDCHAIN_LIVE_URI")
		.expect("MEDCHAIN_LIVE_URI names the node whose state to check (scripts/try-live.sh)")
}

#[test]
#[ignore = "needs a running node: scripts/try-live.sh"]
fn every_invariant_holds_on_a_live_chain() {
	let uri = live_uri();
	let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
	let mut ext = runtime
		.block_on(
			Builder::<Block>::new()
				.mode(Mode::Online(OnlineConfig {
					transport_uris: vec![uri.clone()],
					..Default::default()
				}))
				.build(),
		)
		.unwrap_or_else(|e| panic!("cannot download the state of {uri}: {e}"));
	let number = *ext.header.number();
	ext.execute_with(|| {
		let records = pallet_medical_records::Records::<Runtime>::iter_keys().count();
		let patients = pallet_directory::Patients::<Runtime>::iter_keys().count();
		let granting = pallet_consent::Grants::<Runtime>::iter_keys().count();
		let trials = pallet_clinical_trials::Trials::<Runtime>::iter_keys().count();
		println!(
			"{uri} at #{number}: {patients} patients, {records} records (next id {}), \
			 {granting} patients with consent grants, {trials} trials",
			pallet_medical_records::NextRecordId::<Runtime>::get()
		);
		if let Err(broken) = AllPalletsWithSystem::try_state(number, TryStateSelect::All) {
			panic!("{uri} at #{number}: an invariant is broken: {broken:?}");
		}
		if let Err(refused) = Executive::try_runtime_upgrade(UpgradeCheckSelect::All) {
			panic!("{uri} at #{number}: the upgrade rehearsal failed: {refused:?}");
		}
	});
}
