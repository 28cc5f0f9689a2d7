//! Patients pay nothing (issue 17): transactions through the real executive and the runtime's
//! transaction extensions. An account that never held a token registers as a patient by
//! signature, then grants, accepts an offer and revokes; the call after the allowance is refused with a clear code; free calls never fill a
//! block; organisations keep paying.

use crate::common::{
	babe_header, join, new_ext, signed, signed_by, timestamp_inherent, tx_extension, FIRST_SLOT,
	GENERAL, NOW_SECS,
};
use medchain_primitives::{ConsentAction, OrganisationKind, PractitionerRole, PurposeOfUse};
use medchain_runtime::{
	configs::free_calls::MaxFreeWeightPerBlock, genesis_config_presets::DEVELOPMENT_PRESET,
	AccountId, Balances, Consent, Directory, Executive, FreeCalls, Runtime, RuntimeCall,
	RuntimeOrigin, System, UncheckedExtrinsic,
};
use pallet_consent_runtime_api::{Effect, Grantee, Provision};
use pallet_free_calls::{BlockUse, Usage, ALLOWANCE_USED_UP};
use polkadot_sdk::{
	frame_support::{assert_ok, traits::Get, weights::Weight},
	frame_system, pallet_balances, pallet_timestamp,
	sp_core::{sr25519, Pair},
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		transaction_validity::{InvalidTransaction, TransactionValidityError},
		ApplyExtrinsicResult,
	},
};

/// A patient's key that has never held funds.
fn zero_balance_patient() -> sr25519::Pair {
	sr25519::Pair::from_string("//PatientWithNothing", None).expect("a dev derivation")
}

/// Starts block 1 (its timestamp inherent applied) so that transactions can be applied.
fn start_block() {
	let header = babe_header(1, System::block_hash(0), FIRST_SLOT);
	Executive::initialize_block(&header);
	assert_ok!(Executive::apply_extrinsic(timestamp_inherent(FIRST_SLOT)).expect("valid"));
	pallet_timestamp::Now::<Runtime>::put(NOW_SECS * 1000);
}

fn apply(xt: UncheckedExtrinsic) -> ApplyExtrinsicResult {
	Executive::apply_extrinsic(xt)
}

/// The registration of the holder of `pair` as an unsigned general transaction carrying their
/// signature: what a client sends for an account that holds nothing.
fn registration(pair: &sr25519::Pair) -> UncheckedExtrinsic {
	registration_signed_by(pair, pair)
}

/// The registration of the holder of `pair`, signed by `signer`.
fn registration_signed_by(pair: &sr25519::Pair, signer: &sr25519::Pair) -> UncheckedExtrinsic {
	let (pseudonym, key) = ([9u8; 32], [5u8; 32]);
	let message = pallet_directory::registration_message::<Runtime>(&pseudonym, &key);
	let call = RuntimeCall::Directory(pallet_directory::Call::register_patient_by_signature {
		patient: AccountId::from(pair.public()),
		pseudonym,
		encryption_key: key,
		signature: signer.sign(&message).into(),
	});
	UncheckedExtrinsic::new_transaction(call, tx_extension(0))
}

/// A hospital with Bob as admin and Charlie as its physician; the holder of `pair`, who has
/// never held a token, registered as a patient by signature.
fn setup(pair: &sr25519::Pair) -> AccountId {
	let admin = Sr25519Keyring::Bob.to_account_id();
	let physician = Sr25519Keyring::Charlie.to_account_id();
	assert_ok!(Directory::register_organisation(
		RuntimeOrigin::root(),
		OrganisationKind::Hospital,
		admin.clone().into(),
		b"St Example Hospital".to_vec().try_into().unwrap(),
	));
	join(&admin, 0, &physician, PractitionerRole::Physician);
	assert_ok!(apply(registration(pair)).expect("a valid registration"));
	assert!(pallet_directory::Patients::<Runtime>::contains_key(AccountId::from(pair.public())));
	physician
}

fn grant_call(physician: &AccountId) -> RuntimeCall {
	RuntimeCall::Consent(pallet_consent::Call::grant_consent {
		grantee: Grantee::Account(physician.clone()),
		provision: Provision {
			effect: Effect::Permit,
			actions: vec![ConsentAction::Read].try_into().unwrap(),
			purposes: vec![PurposeOfUse::Treatment].try_into().unwrap(),
			classes: vec![GENERAL].try_into().unwrap(),
			records: Default::default(),
		},
		valid_from: None,
		valid_until: None,
	})
}

/// A self-reported record (ciphertext hash `[1; 32]`) anchored by the patient who signs it.
fn self_reported_record() -> RuntimeCall {
	RuntimeCall::MedicalRecords(pallet_medical_records::Call::anchor_self_reported {
		data_class: GENERAL,
		content: pallet_medical_records::VersionContent {
			ciphertext_hash: [1; 32],
			plaintext_commitment: [2; 32],
			cid: b"bafkreiselfreported".to_vec().try_into().unwrap(),
		},
		patient_key: vec![0xA1; 80].try_into().unwrap(),
	})
}

#[test]
fn a_patient_with_zero_balance_grants_accepts_an_offer_and_revokes() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		start_block();
		let pair = zero_balance_patient();
		let patient = AccountId::from(pair.public());
		let physician = setup(&pair);
		assert_eq!(Balances::free_balance(&patient), 0);
		let physician_funds = Balances::free_balance(&physician);

		// Grant: free.
		assert_ok!(apply(signed_by(grant_call(&physician), &pair, 0)).expect("valid"));
		let grant = pallet_consent::Grants::<Runtime>::get(&patient).expect("granted")[0].id;

		// The physician (an organisation's practitioner) proposes research use: paid.
		let offer = pallet_consent::NextOfferId::<Runtime>::get();
		let propose = RuntimeCall::Consent(pallet_consent::Call::propose_grant {
			patient: patient.clone().into(),
			grantee: Grantee::Account(physician.clone()),
			provision: Provision {
				effect: Effect::Permit,
				actions: vec![ConsentAction::Read].try_into().unwrap(),
				purposes: vec![PurposeOfUse::Research].try_into().unwrap(),
				classes: Default::default(),
				records: Default::default(),
			},
			valid_from: None,
			valid_until: None,
		});
		let nonce = frame_system::Pallet::<Runtime>::account_nonce(&physician);
		assert_ok!(apply(signed(propose, Sr25519Keyring::Charlie, nonce)).expect("valid"));
		assert!(Balances::free_balance(&physician) < physician_funds, "organisations pay");

		// Accept the offer, then revoke the first grant: free.
		let accept = RuntimeCall::Consent(pallet_consent::Call::accept_offer {
			offer,
			classes: vec![GENERAL].try_into().unwrap(),
		});
		assert_ok!(apply(signed_by(accept, &pair, 1)).expect("valid"));
		let revoke = RuntimeCall::Consent(pallet_consent::Call::revoke_consent { grant });
		assert_ok!(apply(signed_by(revoke, &pair, 2)).expect("valid"));

		// The treatment grant is revoked; the research grant from the offer is in force.
		let asks = |purpose| {
			Consent::evaluate_access(
				&patient,
				&physician,
				ConsentAction::Read,
				purpose,
				medchain_primitives::AccessTarget::Class(GENERAL),
			)
			.permitted
		};
		assert!(!asks(PurposeOfUse::Treatment), "revoked");
		assert!(asks(PurposeOfUse::Research), "accepted");
		assert_eq!(Balances::free_balance(&patient), 0, "the patient paid nothing");
		assert_eq!(FreeCalls::used(&patient), 3);
		// Reading the access log is a runtime API query: no transaction at all.
		assert!(Consent::access_log(&patient, None, 10).is_empty());
	});
}

/// A patient's account at an organisation holds nothing (security review H3), so erasing their
/// own record must be free like the rest of their calls: it was paid, and refused.
#[test]
fn a_patient_with_zero_balance_erases_their_own_record() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		start_block();
		let pair = zero_balance_patient();
		let patient = AccountId::from(pair.public());
		setup(&pair);
		let record = pallet_medical_records::NextRecordId::<Runtime>::get();
		assert_ok!(apply(signed_by(self_reported_record(), &pair, 0)).expect("valid"));
		let erase =
			RuntimeCall::MedicalRecords(pallet_medical_records::Call::erase_record { record });
		assert_ok!(apply(signed_by(erase, &pair, 1)).expect("a free, valid transaction"));
		assert_eq!(
			medchain_runtime::MedicalRecords::integrity(record, [1; 32]),
			pallet_medical_records_runtime_api::IntegrityStatus::Erased
		);
		assert_eq!(Balances::free_balance(&patient), 0, "the patient paid nothing");
		assert_eq!(FreeCalls::used(&patient), 2);
	});
}

#[test]
fn the_call_after_the_allowance_is_refused_with_a_clear_code() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		start_block();
		let pair = zero_balance_patient();
		let patient = AccountId::from(pair.public());
		let physician = setup(&pair);
		let allowance = <Runtime as pallet_free_calls::Config>::CallsPerPeriod::get();
		pallet_free_calls::Allowances::<Runtime>::insert(
			&patient,
			Usage { period: FreeCalls::period_of(System::block_number()), used: allowance },
		);
		assert_eq!(
			apply(signed_by(grant_call(&physician), &pair, 0)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(ALLOWANCE_USED_UP)))
		);
		assert!(pallet_consent::Grants::<Runtime>::get(&patient).is_none(), "nothing changed");
		assert_eq!(FreeCalls::used(&patient), allowance);
	});
}

#[test]
fn free_calls_never_fill_a_block() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		start_block();
		let pair = zero_balance_patient();
		let physician = setup(&pair);
		// Free calls already used this block's share.
		pallet_free_calls::ThisBlock::<Runtime>::put(BlockUse {
			block: System::block_number(),
			weight: MaxFreeWeightPerBlock::get().saturating_sub(Weight::from_parts(1, 0)),
			length: 0,
		});
		assert_eq!(
			apply(signed_by(grant_call(&physician), &pair, 0)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources))
		);
		// Paid transactions still go in.
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: Sr25519Keyring::Dave.to_account_id().into(),
			value: 1_000_000_000_000,
		});
		assert_ok!(apply(signed(transfer, Sr25519Keyring::Alice, 0)).expect("valid"));
	});
}

#[test]
fn the_largest_free_batch_of_the_costliest_free_call_fits_the_block_share() {
	use polkadot_sdk::frame_support::dispatch::GetDispatchInfo;
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		start_block();
		let pair = zero_balance_patient();
		let patient = AccountId::from(pair.public());
		setup(&pair);
		// The largest free batch of the costliest free call, a patient erasing a record (charged
		// upfront for the most versions and grantees). With the weights measured on a release
		// node it fits a block's share of free calls (a batch larger than the share is refused,
		// `TOO_LARGE_TO_BE_FREE`: pallet-free-calls' own tests), so a patient can always make it.
		let erase =
			RuntimeCall::MedicalRecords(pallet_medical_records::Call::erase_record { record: 0 });
		let calls = vec![erase; medchain_runtime::configs::free_calls::MAX_FREE_BATCH];
		let batch = RuntimeCall::Utility(polkadot_sdk::pallet_utility::Call::batch_all { calls });
		assert!(
			!batch.get_dispatch_info().total_weight().any_gt(MaxFreeWeightPerBlock::get()),
			"the batch fits the block's share of free calls"
		);
		// Free: the patient holds nothing, so a charged transaction would be refused (Payment).
		assert!(apply(signed_by(batch, &pair, 0)).is_ok(), "valid and free");
		assert_eq!(FreeCalls::used(&patient), 1, "one transaction, one use of the allowance");
	});
}

#[test]
fn only_calls_that_can_be_free_are_charged_the_whole_free_call_check() {
	use medchain_runtime::configs::free_calls::PatientCalls;
	use pallet_free_calls::{weights::SubstrateWeight, FreeCallFilter, WeightInfo};
	use polkadot_sdk::{pallet_proxy, pallet_utility, sp_runtime::traits::TransactionExtension};
	let bob = AccountId::from(Sr25519Keyring::Bob.public());
	let revoke = RuntimeCall::Consent(pallet_consent::Call::revoke_consent { grant: 0 });
	let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: bob.clone().into(),
		value: 1,
	});
	let for_bob = |call: &RuntimeCall| {
		RuntimeCall::Proxy(pallet_proxy::Call::proxy {
			real: bob.clone().into(),
			force_proxy_type: None,
			call: Box::new(call.clone()),
		})
	};
	let batch =
		|calls: Vec<RuntimeCall>| RuntimeCall::Utility(pallet_utility::Call::batch { calls });
	let may = [revoke.clone(), for_bob(&revoke), batch(vec![revoke.clone(), revoke.clone()])];
	let never = [transfer.clone(), for_bob(&transfer), batch(vec![revoke.clone(), transfer])];
	for call in &may {
		assert!(PatientCalls::may_be_free(call), "{call:?} can be free");
	}
	for call in &never {
		assert!(!PatientCalls::may_be_free(call), "{call:?} is never free");
		// What `free_for` could give, `may_be_free` allows: never free for anyone.
		assert_eq!(PatientCalls::free_for(&bob, call), None);
	}
	// The whole check costs more than the recovery check alone, and only that difference
	// separates a call that can be free from one that cannot.
	let (full, paid) = (
		SubstrateWeight::<Runtime>::free_call_check(),
		SubstrateWeight::<Runtime>::paid_call_check(),
	);
	assert!(full.all_gt(paid));
	let ext = tx_extension(0);
	assert_eq!(ext.weight(&may[0]), ext.weight(&never[0]) - paid + full);
}

#[test]
fn a_registration_signed_by_another_key_is_refused() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		start_block();
		let pair = zero_balance_patient();
		let mallory = sr25519::Pair::from_string("//Mallory", None).expect("a dev derivation");
		let bad_signature = medchain_primitives::invalid_transaction(
			pallet_directory::Error::<Runtime>::BadSignature,
		);
		assert_eq!(apply(registration_signed_by(&pair, &mallory)), Err(bad_signature));
		assert!(!pallet_directory::Patients::<Runtime>::contains_key(AccountId::from(
			pair.public()
		)));
	});
}

#[test]
fn a_non_patient_with_zero_balance_cannot_transact() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		start_block();
		let pair = zero_balance_patient();
		let physician = Sr25519Keyring::Charlie.to_account_id();
		// Not registered: no account, no free calls.
		assert_eq!(
			apply(signed_by(grant_call(&physician), &pair, 0)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
	});
}

/// Security review L2: a patient leaves the directory, for free, once no record that is not
/// erased names them and none of their grants is in force; afterwards the account is gone and
/// neither its old registration nor its calls bring it back.
#[test]
fn l2_a_patient_with_zero_balance_deregisters_once_their_record_is_erased_and_grant_revoked() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		start_block();
		let pair = zero_balance_patient();
		let patient = AccountId::from(pair.public());
		let physician = setup(&pair);
		let record = pallet_medical_records::NextRecordId::<Runtime>::get();
		assert_ok!(apply(signed_by(self_reported_record(), &pair, 0)).expect("valid"));
		assert_ok!(apply(signed_by(grant_call(&physician), &pair, 1)).expect("valid"));
		let grant = pallet_consent::Grants::<Runtime>::get(&patient).expect("granted")[0].id;
		let deregister = || RuntimeCall::Directory(pallet_directory::Call::deregister_patient {});
		let refused = |error: pallet_directory::Error<Runtime>| Ok(Err(error.into()));
		// Each call in a block of its own, as a client sends them: free calls may use only a
		// tenth of a block, and a revocation is charged for the most keys it could remove.
		let next_block = || System::set_block_number(System::block_number() + 1);

		// The record is not erased: refused (the call is free, and fails in the block).
		next_block();
		assert_eq!(
			apply(signed_by(deregister(), &pair, 2)),
			refused(pallet_directory::Error::PatientHasRecords)
		);
		let erase =
			RuntimeCall::MedicalRecords(pallet_medical_records::Call::erase_record { record });
		next_block();
		assert_ok!(apply(signed_by(erase, &pair, 3)).expect("valid"));
		// The grant is in force: refused.
		next_block();
		assert_eq!(
			apply(signed_by(deregister(), &pair, 4)),
			refused(pallet_directory::Error::PatientHasGrants)
		);
		let revoke = RuntimeCall::Consent(pallet_consent::Call::revoke_consent { grant });
		next_block();
		assert_ok!(apply(signed_by(revoke, &pair, 5)).expect("valid"));
		next_block();
		assert_ok!(apply(signed_by(deregister(), &pair, 6)).expect("a free, valid transaction"));

		assert!(!pallet_directory::Patients::<Runtime>::contains_key(&patient));
		assert!(!frame_system::Pallet::<Runtime>::account_exists(&patient), "reaped");
		assert_eq!(Balances::free_balance(&patient), 0, "the patient paid nothing");
		// The registration in block 1 replayed: refused, its pseudonym is retired.
		let taken = medchain_primitives::invalid_transaction(
			pallet_directory::Error::<Runtime>::PseudonymTaken,
		);
		assert_eq!(apply(registration(&pair)), Err(taken));
		// No longer a patient: no free calls, and nothing to pay with.
		next_block();
		assert_eq!(
			apply(signed_by(grant_call(&physician), &pair, 0)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
		// The history stays: the erased record's tombstone and the ended grant.
		assert_eq!(
			medchain_runtime::MedicalRecords::integrity(record, [1; 32]),
			pallet_medical_records_runtime_api::IntegrityStatus::Erased
		);
		assert!(Consent::grants_of(&patient).iter().all(|g| g.ended.is_some()));
	});
}
