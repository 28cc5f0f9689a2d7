//! Accounts that survive a lost key (issue 17): a patient's friends recover the account to the
//! patient's recovery key, which then acts for the patient for free; the lost key signs nothing
//! more. Transactions go through the real executive and transaction extensions.

use crate::common::{
	babe_header, new_ext, signed_by, timestamp_inherent, FIRST_SLOT, GENERAL, NOW_SECS,
};
use medchain_primitives::{ConsentAction, PurposeOfUse};
use medchain_runtime::{
	genesis_config_presets::DEVELOPMENT_PRESET, AccountId, Balances, Consent, Directory, Executive,
	FreeCalls, Recovery, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
	EXISTENTIAL_DEPOSIT,
};
use pallet_consent_runtime_api::{Effect, Grantee, Provision};
use pallet_free_calls::RECOVERED_ACCOUNT;
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, traits::fungible::Inspect},
	frame_system, pallet_recovery,
	pallet_recovery::{Error, FriendGroup},
	pallet_timestamp,
	sp_core::{sr25519, Pair},
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		transaction_validity::{InvalidTransaction, TransactionValidityError},
		DispatchError, MultiAddress,
	},
};

/// Blocks an attempt must wait before it can be finished, in these tests.
const DELAY: u32 = 10;

fn pair(uri: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(uri, None).expect("a dev derivation")
}

fn start_block() {
	let header = babe_header(1, System::block_hash(0), FIRST_SLOT);
	Executive::initialize_block(&header);
	assert_ok!(Executive::apply_extrinsic(timestamp_inherent(FIRST_SLOT)).expect("valid"));
	pallet_timestamp::Now::<Runtime>::put(NOW_SECS * 1000);
}

/// Dave, Eve and Ferdie, sorted as the pallet wants them.
fn friends() -> Vec<AccountId> {
	let mut friends: Vec<AccountId> =
		[Sr25519Keyring::Dave, Sr25519Keyring::Eve, Sr25519Keyring::Ferdie]
			.iter()
			.map(|k| k.to_account_id())
			.collect();
	friends.sort();
	friends
}

/// Two of the three friends recover the account to `inheritor` after [`DELAY`] blocks.
fn group(
	inheritor: &AccountId,
) -> FriendGroup<u32, AccountId, pallet_recovery::FriendsOf<Runtime>> {
	FriendGroup {
		friends: friends().try_into().expect("three friends fit"),
		friends_needed: 2,
		inheritor: inheritor.clone(),
		inheritance_delay: DELAY,
		inheritance_priority: 0,
		cancel_delay: 5,
	}
}

fn grant_to(grantee: &AccountId) -> RuntimeCall {
	RuntimeCall::Consent(pallet_consent::Call::grant_consent {
		grantee: Grantee::Account(grantee.clone()),
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

fn as_recovered(patient: &AccountId, call: RuntimeCall) -> RuntimeCall {
	RuntimeCall::Recovery(pallet_recovery::Call::control_inherited_account {
		recovered: MultiAddress::Id(patient.clone()),
		call: Box::new(call),
	})
}

/// The inner result of the last `RecoveredAccountControlled` event.
fn last_controlled_result() -> Result<(), DispatchError> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|record| match record.event {
			RuntimeEvent::Recovery(pallet_recovery::Event::RecoveredAccountControlled {
				call_result,
				..
			}) => Some(call_result),
			_ => None,
		})
		.expect("the inheritor controlled the account")
}

#[test]
fn friends_recover_a_patient_to_a_new_account_and_the_old_key_can_no_longer_act() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		start_block();
		let old_key = pair("//PatientWhoLosesTheirPhone");
		let new_key = pair("//PatientsRecoveryKit");
		let patient = AccountId::from(old_key.public());
		let new_account = AccountId::from(new_key.public());
		let physician = Sr25519Keyring::Charlie.to_account_id();
		let [dave, eve, ferdie] =
			[Sr25519Keyring::Dave, Sr25519Keyring::Eve, Sr25519Keyring::Ferdie];
		let lost = || MultiAddress::Id(patient.clone());
		assert_ok!(Directory::register_patient(
			RuntimeOrigin::signed(patient.clone()),
			[9u8; 32],
			[5u8; 32]
		));

		// While they still hold their key, the patient (who holds no funds) names their friends
		// and their recovery account: a free call.
		let set = RuntimeCall::Recovery(pallet_recovery::Call::set_friend_groups {
			friend_groups: vec![group(&new_account)],
		});
		assert_ok!(Executive::apply_extrinsic(signed_by(set, &old_key, 0)).expect("valid"));
		assert_eq!(Recovery::friend_groups(patient.clone()), vec![group(&new_account)]);
		assert_eq!(Balances::free_balance(&patient), 0);

		// The phone is lost. Dave opens an attempt (his approval counts), holding a deposit.
		let held_before = Balances::reserved_balance(dave.to_account_id());
		assert_ok!(Recovery::initiate_attempt(
			RuntimeOrigin::signed(dave.to_account_id()),
			lost(),
			0
		));
		assert!(Balances::reserved_balance(dave.to_account_id()) > held_before);

		// One vouch is not enough, and a stranger cannot vouch.
		System::set_block_number(1 + DELAY);
		assert_noop!(
			Recovery::finish_attempt(RuntimeOrigin::signed(eve.to_account_id()), lost(), 0),
			Error::<Runtime>::NotApproved
		);
		assert_noop!(
			Recovery::approve_attempt(RuntimeOrigin::signed(physician.clone()), lost(), 0),
			Error::<Runtime>::NotFriend
		);
		assert_noop!(
			Recovery::approve_attempt(RuntimeOrigin::signed(dave.to_account_id()), lost(), 0),
			Error::<Runtime>::AlreadyVoted
		);

		// Eve vouches; the delay runs from the attempt's opening.
		System::set_block_number(2);
		assert_ok!(Recovery::approve_attempt(
			RuntimeOrigin::signed(eve.to_account_id()),
			lost(),
			0
		));
		assert_noop!(
			Recovery::approve_attempt(RuntimeOrigin::signed(ferdie.to_account_id()), lost(), 0),
			Error::<Runtime>::AlreadyApproved
		);
		assert_noop!(
			Recovery::finish_attempt(RuntimeOrigin::signed(eve.to_account_id()), lost(), 0),
			Error::<Runtime>::NotYetInheritable
		);
		System::set_block_number(1 + DELAY);
		assert_ok!(Recovery::finish_attempt(RuntimeOrigin::signed(eve.to_account_id()), lost(), 0));
		assert_eq!(Recovery::inheritor(patient.clone()), Some(new_account.clone()));
		assert_eq!(Balances::reserved_balance(dave.to_account_id()), held_before, "deposit back");
		// A new account exists only with a deposit: the friend who finishes gives the recovery
		// account the existential deposit (`medchain recovery finish` batches it), so that it can
		// sign. That is all it ever holds.
		assert_ok!(Balances::transfer_keep_alive(
			RuntimeOrigin::signed(eve.to_account_id()),
			new_account.clone().into(),
			EXISTENTIAL_DEPOSIT
		));

		// The recovery account, holding nothing, acts as the patient: free, on the patient's
		// allowance. The grant is the patient's.
		let used = FreeCalls::used(&patient);
		let grant = as_recovered(&patient, grant_to(&physician));
		assert_ok!(Executive::apply_extrinsic(signed_by(grant, &new_key, 0)).expect("valid"));
		assert_eq!(last_controlled_result(), Ok(()));
		assert_eq!(Consent::grants_of(&patient).len(), 1);
		assert_eq!(Balances::free_balance(&new_account), EXISTENTIAL_DEPOSIT);
		assert_eq!(FreeCalls::used(&patient), used + 1);

		// The lost key can do nothing any more, free or paid, not even cancel its recovery.
		let recovered_refusal =
			TransactionValidityError::Invalid(InvalidTransaction::Custom(RECOVERED_ACCOUNT));
		assert_eq!(
			Executive::apply_extrinsic(signed_by(grant_to(&physician), &old_key, 1)),
			Err(recovered_refusal)
		);
		let revoke = RuntimeCall::Recovery(pallet_recovery::Call::revoke_inheritor {});
		assert_eq!(
			Executive::apply_extrinsic(signed_by(revoke.clone(), &old_key, 1)),
			Err(recovered_refusal)
		);
		assert_eq!(Consent::grants_of(&patient).len(), 1);

		// Nor can the recovery account change the recovery through the patient's account.
		assert_ok!(Recovery::control_inherited_account(
			RuntimeOrigin::signed(new_account.clone()),
			lost(),
			Box::new(revoke)
		));
		assert_eq!(
			last_controlled_result(),
			Err(frame_system::Error::<Runtime>::CallFiltered.into())
		);
		assert_eq!(Recovery::inheritor(patient.clone()), Some(new_account.clone()));

		// Only the inheritor controls the account.
		assert_noop!(
			Recovery::control_inherited_account(
				RuntimeOrigin::signed(dave.to_account_id()),
				lost(),
				Box::new(grant_to(&physician))
			),
			Error::<Runtime>::NotInheritor
		);
	});
}

#[test]
fn a_patient_still_holding_their_key_slashes_a_hostile_attempt() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		start_block();
		let patient = Sr25519Keyring::Two.to_account_id();
		let dave = Sr25519Keyring::Dave.to_account_id();
		assert_ok!(Recovery::set_friend_groups(
			RuntimeOrigin::signed(patient.clone()),
			vec![group(&Sr25519Keyring::One.to_account_id())]
		));
		let funds = Balances::total_balance(&dave);
		assert_ok!(Recovery::initiate_attempt(
			RuntimeOrigin::signed(dave.clone()),
			MultiAddress::Id(patient.clone()),
			0
		));
		// Friend groups cannot change under an attempt.
		assert_noop!(
			Recovery::set_friend_groups(RuntimeOrigin::signed(patient.clone()), vec![]),
			Error::<Runtime>::HasOngoingAttempts
		);
		assert_ok!(Recovery::slash_attempt(RuntimeOrigin::signed(patient.clone()), 0));
		assert_eq!(
			Balances::total_balance(&dave),
			funds - medchain_runtime::configs::recovery::RecoverySecurityDeposit::get(),
			"Dave lost his deposit"
		);
		assert_eq!(Recovery::inheritor(patient.clone()), None);
		assert_eq!(Recovery::attempts(patient), vec![]);
	});
}
