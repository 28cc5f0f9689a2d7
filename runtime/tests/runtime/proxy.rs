//! Guardians: a `Healthcare` proxy acts for a patient in healthcare calls only (security review
//! L5: a guardian used to be an `Any` proxy, able to move funds and add proxies).

use crate::common::{new_ext, GENERAL};
use medchain_primitives::{ConsentAction, PurposeOfUse};
use medchain_runtime::{
	configs::ProxyType, genesis_config_presets::DEVELOPMENT_PRESET, AccountId, Balances, Consent,
	Directory, Proxy, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
};
use pallet_consent_runtime_api::{Effect, Grantee, Provision};
use polkadot_sdk::{
	frame_support::{assert_ok, traits::InstanceFilter},
	frame_system, pallet_balances, pallet_proxy,
	sp_keyring::Sr25519Keyring,
	sp_runtime::DispatchError,
};

/// The result of the last `ProxyExecuted` event.
fn last_proxy_result() -> Result<(), DispatchError> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::Proxy(pallet_proxy::Event::ProxyExecuted { result }) => Some(result),
			_ => None,
		})
		.expect("the proxy executed the call")
}

#[test]
fn l5_a_guardian_proxy_is_limited_to_healthcare_calls() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		let patient: AccountId = Sr25519Keyring::Dave.to_account_id();
		let guardian: AccountId = Sr25519Keyring::Eve.to_account_id();
		let stranger: AccountId = Sr25519Keyring::Ferdie.to_account_id();
		assert_ok!(Directory::register_patient(
			RuntimeOrigin::signed(patient.clone()),
			[9u8; 32],
			[5u8; 32]
		));
		assert_ok!(Proxy::add_proxy(
			RuntimeOrigin::signed(patient.clone()),
			guardian.clone().into(),
			ProxyType::Healthcare,
			0
		));
		let as_patient = |call: RuntimeCall| {
			assert_ok!(Proxy::proxy(
				RuntimeOrigin::signed(guardian.clone()),
				patient.clone().into(),
				None,
				Box::new(call)
			));
			last_proxy_result()
		};

		// A grant for the patient goes through, and is the patient's.
		let grant = RuntimeCall::Consent(pallet_consent::Call::grant_consent {
			grantee: Grantee::Account(stranger.clone()),
			provision: Provision {
				effect: Effect::Permit,
				actions: vec![ConsentAction::Read].try_into().unwrap(),
				purposes: vec![PurposeOfUse::Research].try_into().unwrap(),
				classes: vec![GENERAL].try_into().unwrap(),
				records: Default::default(),
			},
			valid_from: None,
			valid_until: None,
		});
		assert_eq!(as_patient(grant), Ok(()));
		assert_eq!(Consent::grants_of(&patient).len(), 1);

		// Moving the patient's funds, or adding another proxy, is filtered out.
		let before = Balances::free_balance(&patient);
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: guardian.clone().into(),
			value: 1_000,
		});
		let filtered: DispatchError = frame_system::Error::<Runtime>::CallFiltered.into();
		assert_eq!(as_patient(transfer.clone()), Err(filtered));
		let add = RuntimeCall::Proxy(pallet_proxy::Call::add_proxy {
			delegate: stranger.clone().into(),
			proxy_type: ProxyType::Any,
			delay: 0,
		});
		assert_eq!(as_patient(add), Err(filtered));
		// Nor through a batch.
		let batch = RuntimeCall::Utility(polkadot_sdk::pallet_utility::Call::batch_all {
			calls: vec![transfer.clone()],
		});
		assert!(as_patient(batch).is_err());
		assert_eq!(Balances::free_balance(&patient), before);
		assert_eq!(pallet_proxy::Proxies::<Runtime>::get(&patient).0.len(), 1);

		// The filter and the superset order, as the runtime declares them.
		assert!(ProxyType::Healthcare.filter(&RuntimeCall::Directory(
			pallet_directory::Call::rotate_encryption_key { encryption_key: [1u8; 32] }
		)));
		assert!(!ProxyType::Healthcare.filter(&transfer));
		assert!(ProxyType::Any.is_superset(&ProxyType::Healthcare));
		assert!(ProxyType::NonTransfer.is_superset(&ProxyType::Healthcare));
		assert!(!ProxyType::Healthcare.is_superset(&ProxyType::NonTransfer));
		assert!(!ProxyType::Staking.is_superset(&ProxyType::Healthcare));
	});
}
