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

/// A visit's reward through the real runtime, with a real ring proof: the sponsor's physician,
/// an investigator, anchors a visit of an enrolled participant; the sponsor funds a reward pool;
/// the participant claims the reward in an unsigned transaction the pool accepts, paid to a new
/// account of theirs. Nothing on chain that names that account names the patient or their
/// research key; the proof redirected to another payee, or sent again, is refused.
#[test]
fn a_trial_visit_is_rewarded_to_an_account_nobody_links_to_the_patient() {
	use crate::common::{chain_bytes, join, NOW_SECS};
	use medchain_primitives::PractitionerRole;
	use medchain_runtime::{Rewards, UNIT};
	use polkadot_sdk::{frame_system::RawOrigin, pallet_timestamp};

	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<medchain_runtime::Runtime>::put(NOW_SECS * 1000);
		let patients = recruiting_trial();
		let (patient, secret) = &patients[0];
		let (enrol, alias) = enrolment(secret);
		dispatch(enrol.function, RawOrigin::Authorized.into());

		// The sponsor's physician investigates and anchors the participant's first visit.
		let admin = Sr25519Keyring::Bob.to_account_id();
		let investigator = Sr25519Keyring::Alice.to_account_id();
		join(&admin, 0, &investigator, PractitionerRole::Physician);
		let sponsor = || RuntimeOrigin::signed(admin.clone());
		dispatch(
			RuntimeCall::ClinicalTrials(pallet_clinical_trials::Call::add_investigator {
				trial: 0,
				investigator: investigator.clone(),
			}),
			sponsor(),
		);
		dispatch(
			RuntimeCall::ClinicalTrials(pallet_clinical_trials::Call::anchor_data {
				trial: 0,
				subject: pallet_clinical_trials::DataSubject::Participant {
					pseudonym: alias,
					visit: 1,
				},
				hash: [0x66; 32],
			}),
			RuntimeOrigin::signed(investigator),
		);
		// The sponsor's pool pays a unit per visit.
		dispatch(
			RuntimeCall::Rewards(pallet_rewards::Call::create_pool {
				organisation: 0,
				rates: pallet_rewards::RewardRates { appointment: 0, survey: 0, visit: UNIT },
				cap: 3 * UNIT,
				period: 1_000,
			}),
			sponsor(),
		);
		dispatch(
			RuntimeCall::Rewards(pallet_rewards::Call::fund_pool { pool: 0, amount: 10 * UNIT }),
			sponsor(),
		);

		// The participant proves, for visit 0, pool 0 and a new account of theirs.
		let payee = AccountId::from([0x5e; 32]);
		let claim = |payee: &AccountId| {
			let members = ClinicalTrials::ring_members(0);
			let me = Vrf::member_from_secret(secret);
			let commitment =
				Vrf::open(&me, members.iter().map(|k| EncodedPublicKey(*k))).expect("in the ring");
			let context = ring_statement::context(&ClinicalTrials::genesis_hash(), 0);
			let message = ring_statement::visit_reward_message(0, 0, &payee.encode());
			let (proof, proved) = Vrf::create(commitment, secret, &context, &message).unwrap();
			assert_eq!(proved, alias);
			pallet_rewards::Call::reward_visit {
				pool: 0,
				trial: 0,
				seq: 0,
				payee: payee.clone(),
				ring: 0,
				proof,
			}
		};
		let validate = |call: pallet_rewards::Call<medchain_runtime::Runtime>| {
			let xt =
				UncheckedExtrinsic::new_transaction(RuntimeCall::Rewards(call), tx_extension(0));
			with_transaction(|| {
				let validity = Executive::validate_transaction(
					polkadot_sdk::sp_runtime::transaction_validity::TransactionSource::External,
					xt,
					System::block_hash(0),
				);
				TransactionOutcome::Rollback(Ok::<_, DispatchError>(validity))
			})
			.expect("no storage error")
		};
		let call = claim(&payee);
		assert!(validate(call.clone()).is_ok(), "the pool accepts the claim");
		// Someone who saw it sends it with their own account as payee: refused.
		let mut stolen = call.clone();
		if let pallet_rewards::Call::reward_visit { payee, .. } = &mut stolen {
			*payee = Sr25519Keyring::Ferdie.to_account_id();
		}
		assert!(validate(stolen).is_err(), "a redirected claim is refused");

		let before = Balances::total_balance(patient);
		System::reset_events();
		dispatch(RuntimeCall::Rewards(call.clone()), RawOrigin::Authorized.into());
		assert_eq!(Balances::total_balance(&payee), UNIT);
		assert_eq!(Balances::total_balance(patient), before);
		assert_eq!(Rewards::visit_reward(0, 0), Some(0));
		assert_eq!(Rewards::participant_earned(0, 0, alias, System::block_number()), Some(UNIT));
		// Once only.
		assert!(validate(claim(&payee)).is_err(), "a visit is rewarded once");

		// Whatever names the payee names neither the patient's account nor research key.
		let key = Vrf::member_from_secret(secret).0;
		let items = chain_bytes();
		let holding: Vec<_> = items.iter().filter(|i| contains(i, &payee.encode())).collect();
		assert!(!holding.is_empty(), "the payee's account and the event name it");
		for item in holding {
			assert!(!contains(item, &patient.encode()), "an item links the payee to the patient");
			assert!(!contains(item, &key), "an item links the payee to the research key");
		}
	});
}
