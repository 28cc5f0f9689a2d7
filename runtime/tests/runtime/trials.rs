//! Trial enrolment through the real runtime and its transaction pipeline (security review C1):
//! four patients register research keys; one enrols in an unsigned general transaction whose
//! ring VRF proof authorizes it (`frame_system::AuthorizeCall`), in a block authored and
//! executed as a node does. The patient pays nothing and signs nothing; afterwards no storage
//! entry, event or extrinsic that holds the pseudonym holds the patient's account or research
//! key.

use crate::common::{author_block, contains, dispatch, new_ext, tx_extension, FIRST_SLOT};
use codec::Encode;
use medchain_primitives::OrganisationKind;
use medchain_runtime::{
	genesis_config_presets::DEVELOPMENT_PRESET, AccountId, Balances, ClinicalTrials, Executive,
	RuntimeCall, RuntimeEvent, RuntimeOrigin, System, UncheckedExtrinsic,
};
use pallet_clinical_trials_runtime_api::ring_statement;
use polkadot_sdk::{
	frame_support::{
		storage::{with_transaction, TransactionOutcome},
		traits::fungible::Inspect,
	},
	sp_io,
	sp_io::hashing::blake2_256,
	sp_keyring::Sr25519Keyring,
	sp_runtime::DispatchError,
};
use verifiable::{
	ring_vrf_impl::{BandersnatchVrfVerifiable as Vrf, EncodedPublicKey},
	GenerateVerifiable,
};

/// A sponsor hospital (admin Bob) with a site, a consent form and a recruiting trial 0 whose
/// randomiser is Ferdie; Eve, Dave, Charlie and One registered as patients with research keys
/// from secrets `[1; 32]` … `[4; 32]`. Returns the patients and their secrets.
fn recruiting_trial() -> Vec<(AccountId, <Vrf as GenerateVerifiable>::Secret)> {
	let admin = Sr25519Keyring::Bob.to_account_id();
	dispatch(
		RuntimeCall::Directory(pallet_directory::Call::register_organisation {
			kind: OrganisationKind::Hospital,
			admin: admin.clone().into(),
			name: b"St Example Hospital".to_vec().try_into().unwrap(),
		}),
		RuntimeOrigin::root(),
	);
	let patients =
		[Sr25519Keyring::Eve, Sr25519Keyring::Dave, Sr25519Keyring::Charlie, Sr25519Keyring::One];
	let mut out = Vec::new();
	for (i, keyring) in patients.iter().enumerate() {
		let patient = keyring.to_account_id();
		dispatch(
			RuntimeCall::Directory(pallet_directory::Call::register_patient {
				pseudonym: blake2_256(&patient.encode()),
				encryption_key: [5u8; 32],
			}),
			RuntimeOrigin::signed(patient.clone()),
		);
		let secret = Vrf::new_secret([i as u8 + 1; 32]);
		let key = Vrf::member_from_secret(&secret).0;
		dispatch(
			RuntimeCall::ClinicalTrials(pallet_clinical_trials::Call::register_research_key {
				key,
			}),
			RuntimeOrigin::signed(patient.clone()),
		);
		out.push((patient, secret));
	}
	let sponsor = || RuntimeOrigin::signed(admin.clone());
	let h = |n: u8| [n; 32];
	dispatch(
		RuntimeCall::ClinicalTrials(pallet_clinical_trials::Call::register_trial {
			sponsor: 0,
			registry_id: None,
			protocol: pallet_clinical_trials::Protocol {
				protocol: h(1),
				sap: h(2),
				primary_outcomes: vec![h(3)].try_into().unwrap(),
				secondary_outcomes: Default::default(),
			},
			planned_enrolment: 10,
			arms: 2,
			results_due_period: 1_000,
		}),
		sponsor(),
	);
	dispatch(
		RuntimeCall::ClinicalTrials(pallet_clinical_trials::Call::add_site {
			trial: 0,
			organisation: 0,
		}),
		sponsor(),
	);
	dispatch(
		RuntimeCall::ClinicalTrials(pallet_clinical_trials::Call::publish_consent_form {
			trial: 0,
			hash: h(4),
		}),
		sponsor(),
	);
	dispatch(
		RuntimeCall::ClinicalTrials(pallet_clinical_trials::Call::open_recruitment {
			trial: 0,
			randomiser: Sr25519Keyring::Ferdie.to_account_id(),
			commitment: blake2_256(&[9u8; 32]),
		}),
		sponsor(),
	);
	out
}

/// The enrolment of the holder of `secret` in trial 0 on consent form 1, as an unsigned general
/// transaction: the call, its ring proof, and the runtime's extensions with no signature.
fn enrolment(secret: &<Vrf as GenerateVerifiable>::Secret) -> (UncheckedExtrinsic, [u8; 32]) {
	let members = ClinicalTrials::ring_members(0);
	let me = Vrf::member_from_secret(secret);
	let commitment =
		Vrf::open(&me, members.iter().map(|k| EncodedPublicKey(*k))).expect("in the ring");
	let genesis = ClinicalTrials::genesis_hash();
	let context = ring_statement::context(&genesis, 0);
	let (proof, alias) =
		Vrf::create(commitment, secret, &context, &ring_statement::enrol_message(1)).unwrap();
	let call = RuntimeCall::ClinicalTrials(pallet_clinical_trials::Call::enrol {
		trial: 0,
		ring: 0,
		consent_form: 1,
		pseudonym: alias,
		proof,
	});
	(UncheckedExtrinsic::new_transaction(call, tx_extension(0)), alias)
}

#[test]
fn c1_unsigned_enrolment_through_the_runtime_links_no_account() {
	let (block, alias, patient, key, balance) = new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		let patients = recruiting_trial();
		let (patient, secret) = &patients[0];
		let key = Vrf::member_from_secret(secret).0;
		let balance = Balances::total_balance(patient);
		let (xt, alias) = enrolment(secret);
		// The pool would take it: the call authorizes itself. (Validation initializes a block:
		// roll it back before authoring.)
		let validity = with_transaction(|| {
			let validity = Executive::validate_transaction(
				polkadot_sdk::sp_runtime::transaction_validity::TransactionSource::External,
				xt.clone(),
				System::block_hash(0),
			);
			TransactionOutcome::Rollback(Ok::<_, DispatchError>(validity))
		})
		.expect("no storage error");
		assert!(validity.is_ok(), "the pool accepts the enrolment: {validity:?}");
		(author_block(FIRST_SLOT, vec![xt]), alias, patient.clone(), key, balance)
	});

	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		let _ = recruiting_trial();
		System::reset_events();
		Executive::execute_block(block.clone().into());
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::ClinicalTrials(pallet_clinical_trials::Event::ParticipantEnrolled {
				pseudonym, ..
			}) if *pseudonym == alias
		)));
		// The patient signed nothing and paid nothing.
		assert_eq!(System::account_nonce(&patient), 0);
		assert_eq!(Balances::total_balance(&patient), balance);

		let account = patient.encode();
		let mut items: Vec<Vec<u8>> = block.extrinsics.iter().map(|x| x.encode()).collect();
		items.extend(System::events().into_iter().map(|e| e.encode()));
		let mut next = sp_io::storage::next_key(&[]);
		while let Some(storage_key) = next {
			if storage_key.as_slice() != b":code" {
				let value = sp_io::storage::get(&storage_key).map(|v| v.to_vec());
				items.push([storage_key.clone(), value.unwrap_or_default()].concat());
			}
			next = sp_io::storage::next_key(&storage_key);
		}
		let holding: Vec<_> = items.iter().filter(|item| contains(item, &alias)).collect();
		assert!(holding.len() >= 3, "the pseudonym is in the extrinsic, events and state");
		for item in holding {
			assert!(!contains(item, &account), "an item links the pseudonym to the patient");
			assert!(!contains(item, &key), "an item links the pseudonym to the research key");
		}

		// The same enrolment again is refused by the pool (one per key and trial).
		let (again, _) = enrolment(&Vrf::new_secret([1; 32]));
		let validity = Executive::validate_transaction(
			polkadot_sdk::sp_runtime::transaction_validity::TransactionSource::External,
			again,
			System::block_hash(1),
		);
		assert!(validity.is_err(), "a second enrolment is refused");
	});
}
