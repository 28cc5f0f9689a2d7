//! Governance without sudo (issue 17, security review L4): in the `production` preset nobody is
//! sudo and the council of health authorities decides by motion. A registrar action passes with
//! a majority and fails without one; a non-member can neither propose nor vote; a root-only call
//! passes through the whitelist by a two-thirds motion; an emergency access is reviewed by the
//! privacy officer of its organisation, or by a council motion.

use crate::common::{join, new_ext, NOW_SECS};
use codec::Encode;
use medchain_primitives::{OrganisationKind, PractitionerRole};
use medchain_runtime::{
	genesis_config_presets::{DEVELOPMENT_PRESET, LOCAL_TESTNET_PRESET, PRODUCTION_PRESET},
	AccountId, Balances, Consent, Council, CouncilMembership, Directory, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, Sudo, System,
};
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok, dispatch::GetDispatchInfo},
	frame_system, pallet_collective, pallet_sudo, pallet_timestamp, pallet_whitelist,
	sp_core::H256,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		traits::{BlakeTwo256, Hash},
		DispatchError, DispatchResult,
	},
};

fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

fn signed(k: Sr25519Keyring) -> RuntimeOrigin {
	RuntimeOrigin::signed(account(k))
}

/// How a council motion ended.
#[derive(Debug, PartialEq)]
enum Outcome {
	/// Approved and executed, with the call's own result.
	Executed(DispatchResult),
	/// Voted down.
	Disapproved,
}

/// The outcome the last council event reports for `hash`.
fn outcome_of(hash: H256) -> Option<Outcome> {
	System::events().into_iter().rev().find_map(|record| match record.event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { proposal_hash, result })
			if proposal_hash == hash =>
		{
			Some(Outcome::Executed(result))
		},
		RuntimeEvent::Council(pallet_collective::Event::Disapproved { proposal_hash })
			if proposal_hash == hash =>
		{
			Some(Outcome::Disapproved)
		},
		_ => None,
	})
}

/// A council motion for `call` needing `threshold` ayes: the first of `ayes` proposes, `ayes`
/// vote aye (the proposer too: proposing is not voting), `nays` vote nay, the proposer closes.
/// A threshold below two executes at once, with the proposer's approval.
fn motion(
	call: RuntimeCall,
	threshold: u32,
	ayes: &[Sr25519Keyring],
	nays: &[Sr25519Keyring],
) -> Outcome {
	let length = call.encoded_size() as u32;
	let weight = call.get_dispatch_info().call_weight;
	let hash = BlakeTwo256::hash_of(&call);
	let proposer = ayes[0];
	let index = pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get();
	assert_ok!(Council::propose(signed(proposer), threshold, Box::new(call), length));
	if threshold >= 2 {
		for voter in ayes {
			assert_ok!(Council::vote(signed(*voter), hash, index, true));
		}
		for voter in nays {
			assert_ok!(Council::vote(signed(*voter), hash, index, false));
		}
		assert_ok!(Council::close(signed(proposer), hash, index, weight, length));
	}
	outcome_of(hash).expect("the motion ended")
}

fn register_hospital_call(admin: &AccountId, name: &[u8]) -> RuntimeCall {
	RuntimeCall::Directory(pallet_directory::Call::register_organisation {
		kind: OrganisationKind::Hospital,
		admin: admin.clone().into(),
		name: name.to_vec().try_into().unwrap(),
	})
}

fn start() {
	System::set_block_number(1);
	pallet_timestamp::Now::<Runtime>::put(NOW_SECS * 1000);
}

#[test]
fn l4_sudo_only_in_the_development_preset() {
	new_ext(DEVELOPMENT_PRESET).execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(account(Sr25519Keyring::Alice)));
	});
	for preset in [LOCAL_TESTNET_PRESET, PRODUCTION_PRESET] {
		new_ext(preset).execute_with(|| {
			start();
			assert_eq!(pallet_sudo::Key::<Runtime>::get(), None, "{preset}: no sudo key");
			// Not even Alice, sudo on a dev chain, can act as root.
			let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![1] });
			assert_noop!(
				Sudo::sudo(signed(Sr25519Keyring::Alice), Box::new(remark)),
				pallet_sudo::Error::<Runtime>::RequireSudo
			);
		});
	}
}

#[test]
fn the_production_preset_sets_the_council_and_endows_no_bystanders() {
	new_ext(PRODUCTION_PRESET).execute_with(|| {
		let council: Vec<AccountId> =
			[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
				.iter()
				.map(|k| account(*k))
				.collect();
		let mut sorted = council.clone();
		sorted.sort();
		assert_eq!(
			pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get(),
			sorted
		);
		assert_eq!(CouncilMembership::members().to_vec(), sorted);
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Eve)), 0, "Eve holds nothing");
		assert_eq!(Balances::free_balance(account(Sr25519Keyring::Ferdie)), 0);
	});
}

#[test]
fn l4_a_council_majority_registers_an_organisation() {
	new_ext(PRODUCTION_PRESET).execute_with(|| {
		start();
		let admin = account(Sr25519Keyring::Dave);
		let call = register_hospital_call(&admin, b"St Example Hospital");
		let outcome = motion(
			call,
			2,
			&[Sr25519Keyring::Alice, Sr25519Keyring::Bob],
			&[Sr25519Keyring::Charlie],
		);
		assert_eq!(outcome, Outcome::Executed(Ok(())));
		let organisation = pallet_directory::Organisations::<Runtime>::get(0).expect("registered");
		assert_eq!(organisation.admin, admin);
	});
}

#[test]
fn l4_a_registrar_action_fails_without_a_majority() {
	new_ext(PRODUCTION_PRESET).execute_with(|| {
		start();
		let admin = account(Sr25519Keyring::Dave);

		// One member alone (a motion of threshold one executes at once): 1 of 3 is no majority.
		let call = register_hospital_call(&admin, b"Alice's own hospital");
		let outcome = motion(call, 1, &[Sr25519Keyring::Alice], &[]);
		assert_eq!(outcome, Outcome::Executed(Err(DispatchError::BadOrigin)));

		// Voted down: two nays of three.
		let call = register_hospital_call(&admin, b"Rejected Hospital");
		let outcome = motion(
			call,
			2,
			&[Sr25519Keyring::Alice],
			&[Sr25519Keyring::Bob, Sr25519Keyring::Charlie],
		);
		assert_eq!(outcome, Outcome::Disapproved);

		// A member acting alone outside a motion is no registrar either.
		assert_noop!(
			Directory::register_organisation(
				signed(Sr25519Keyring::Alice),
				OrganisationKind::Hospital,
				admin.clone().into(),
				b"Signed".to_vec().try_into().unwrap(),
			),
			DispatchError::BadOrigin
		);
		assert_eq!(pallet_directory::Organisations::<Runtime>::iter().count(), 0);
	});
}

#[test]
fn l4_a_non_member_can_neither_propose_nor_vote() {
	new_ext(PRODUCTION_PRESET).execute_with(|| {
		start();
		let call = register_hospital_call(&account(Sr25519Keyring::Dave), b"Outsider's Hospital");
		let length = call.encoded_size() as u32;
		let hash = BlakeTwo256::hash_of(&call);
		assert_noop!(
			Council::propose(signed(Sr25519Keyring::Dave), 2, Box::new(call.clone()), length),
			pallet_collective::Error::<Runtime, pallet_collective::Instance1>::NotMember
		);
		assert_ok!(Council::propose(signed(Sr25519Keyring::Alice), 2, Box::new(call), length));
		assert_noop!(
			Council::vote(signed(Sr25519Keyring::Dave), hash, 0, true),
			pallet_collective::Error::<Runtime, pallet_collective::Instance1>::NotMember
		);
	});
}

/// `call` whitelisted and dispatched as root by one motion.
fn as_root(call: RuntimeCall) -> RuntimeCall {
	let hash = BlakeTwo256::hash_of(&call);
	RuntimeCall::Utility(polkadot_sdk::pallet_utility::Call::batch_all {
		calls: vec![
			RuntimeCall::Whitelist(pallet_whitelist::Call::whitelist_call { call_hash: hash }),
			RuntimeCall::Whitelist(
				pallet_whitelist::Call::dispatch_whitelisted_call_with_preimage {
					call: Box::new(call),
				},
			),
		],
	})
}

/// Whether the system pallet announced an authorised upgrade to `code_hash`.
fn upgrade_authorised(code_hash: H256) -> bool {
	System::events().iter().any(|record| {
		record.event
			== RuntimeEvent::System(frame_system::Event::UpgradeAuthorized {
				code_hash,
				check_version: true,
			})
	})
}

#[test]
fn l4_a_runtime_upgrade_is_authorised_by_two_thirds_of_the_council() {
	new_ext(PRODUCTION_PRESET).execute_with(|| {
		start();
		let code_hash = H256::repeat_byte(0xC0);
		let authorize = RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash });

		// One member cannot.
		let outcome = motion(as_root(authorize.clone()), 1, &[Sr25519Keyring::Alice], &[]);
		assert!(matches!(outcome, Outcome::Executed(Err(_))), "{outcome:?}");
		assert!(!upgrade_authorised(code_hash), "no upgrade authorised");

		// Two of three can: the upgrade is authorised, and anyone may now apply the code.
		let outcome =
			motion(as_root(authorize), 2, &[Sr25519Keyring::Alice, Sr25519Keyring::Bob], &[]);
		assert_eq!(outcome, Outcome::Executed(Ok(())));
		assert!(upgrade_authorised(code_hash), "the upgrade is authorised");
	});
}

#[test]
fn h5_emergency_reviewed_by_the_privacy_officer_or_a_council_motion() {
	new_ext(PRODUCTION_PRESET).execute_with(|| {
		start();
		let admin = account(Sr25519Keyring::Dave);
		let physician = account(Sr25519Keyring::Eve);
		let officer = account(Sr25519Keyring::Ferdie);
		let patient = account(Sr25519Keyring::One);

		let outcome = motion(
			register_hospital_call(&admin, b"St Example Hospital"),
			2,
			&[Sr25519Keyring::Alice, Sr25519Keyring::Bob],
			&[],
		);
		assert_eq!(outcome, Outcome::Executed(Ok(())));
		for (who, role) in [
			(&physician, PractitionerRole::EmergencyPhysician),
			(&officer, PractitionerRole::PrivacyOfficer),
		] {
			join(&admin, 0, who, role);
		}
		assert_ok!(Directory::register_patient(
			RuntimeOrigin::signed(patient.clone()),
			[9u8; 32],
			[5u8; 32]
		));

		// Two emergencies, one after the other.
		for id in 0..2u64 {
			assert_ok!(Consent::open_emergency_access(
				RuntimeOrigin::signed(physician.clone()),
				patient.clone().into(),
				[0xEE; 32],
			));
			let reviewed = |id| {
				pallet_consent::Emergencies::<Runtime>::get(&patient)
					.unwrap_or_default()
					.iter()
					.find(|e| e.id == id)
					.and_then(|e| e.review.clone())
			};
			if id == 0 {
				// The physician who opened it cannot review it; a council member alone cannot
				// either; the organisation's privacy officer can.
				assert_noop!(
					Consent::review_emergency(RuntimeOrigin::signed(physician.clone()), id, true),
					pallet_consent::Error::<Runtime>::NotAuthorized
				);
				assert_noop!(
					Consent::review_emergency(signed(Sr25519Keyring::Alice), id, true),
					pallet_consent::Error::<Runtime>::NotAuthorized
				);
				assert_ok!(Consent::review_emergency(
					RuntimeOrigin::signed(officer.clone()),
					id,
					false
				));
				let review = reviewed(id).expect("reviewed");
				assert!(!review.justified);
				assert_eq!(
					review.reviewer,
					pallet_consent::Reviewer::PrivacyOfficer {
						officer: officer.clone(),
						organisation: 0
					}
				);
			} else {
				// A council majority reviews by motion.
				let call = RuntimeCall::Consent(pallet_consent::Call::review_emergency {
					emergency: id,
					justified: true,
				});
				let outcome = motion(call, 2, &[Sr25519Keyring::Bob, Sr25519Keyring::Charlie], &[]);
				assert_eq!(outcome, Outcome::Executed(Ok(())));
				let review = reviewed(id).expect("reviewed");
				assert!(review.justified);
				assert_eq!(review.reviewer, pallet_consent::Reviewer::ReviewAuthority);
			}
		}
	});
}
