//! A GRANDPA equivocation report is checked against a historical session proof and becomes an
//! offence that staking turns into a (deferred) slash of the offender.

use crate::common::new_ext;
use medchain_runtime::{
	genesis_config_presets::LOCAL_TESTNET_PRESET, Grandpa, Historical, Runtime, RuntimeEvent,
	RuntimeOrigin, System,
};
use polkadot_sdk::{
	frame_support::{assert_err, assert_ok, traits::KeyOwnerProofSystem},
	pallet_grandpa, pallet_offences, pallet_staking,
	sp_consensus_grandpa::{self, AuthorityId as GrandpaId, KEY_TYPE},
	sp_core::H256,
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	sp_runtime::Perbill,
};

/// Two prevotes by `voter` in the same round of set `set_id`, for blocks `first` and `second`
/// (an equivocation when they differ).
fn double_prevote(
	set_id: u64,
	round: u64,
	voter: Ed25519Keyring,
	first: H256,
	second: H256,
) -> sp_consensus_grandpa::EquivocationProof<H256, u32> {
	let sign = |hash: H256| {
		let prevote = finality_grandpa::Prevote { target_hash: hash, target_number: 1u32 };
		let message = finality_grandpa::Message::Prevote(prevote.clone());
		let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
		(prevote, voter.sign(&payload).into())
	};
	sp_consensus_grandpa::EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: voter.public().into(),
			first: sign(first),
			second: sign(second),
		}),
	)
}

#[test]
fn grandpa_equivocation_report_leads_to_offence_and_slash() {
	new_ext(LOCAL_TESTNET_PRESET).execute_with(|| {
		System::set_block_number(1);
		let charlie = Sr25519Keyring::Charlie.to_account_id();
		let set_id = Grandpa::current_set_id();
		let proof = double_prevote(
			set_id,
			1,
			Ed25519Keyring::Charlie,
			H256::repeat_byte(1),
			H256::repeat_byte(2),
		);
		let offender: GrandpaId = Ed25519Keyring::Charlie.public().into();
		let key_owner_proof =
			Historical::prove((KEY_TYPE, offender)).expect("Charlie is in the session");

		// Bob (any signed account) reports it.
		assert_ok!(Grandpa::report_equivocation(
			RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()),
			Box::new(proof.clone()),
			key_owner_proof.clone(),
		));

		// An offence was recorded against Charlie...
		let offence_events = System::events()
			.into_iter()
			.filter(|r| {
				matches!(r.event, RuntimeEvent::Offences(pallet_offences::Event::Offence { .. }))
			})
			.count();
		assert_eq!(offence_events, 1);
		assert_eq!(pallet_offences::Reports::<Runtime>::iter().count(), 1);
		let report = pallet_offences::Reports::<Runtime>::iter().next().unwrap().1;
		assert_eq!(report.offender.0, charlie);

		// ...and staking reported a slash for it, deferred so governance can cancel a wrong one.
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::Staking(pallet_staking::Event::SlashReported { validator, fraction, .. })
				if validator == &charlie && *fraction > Perbill::zero()
		)));
		let unapplied: Vec<_> =
			pallet_staking::UnappliedSlashes::<Runtime>::iter().flat_map(|(_, s)| s).collect();
		assert_eq!(unapplied.len(), 1, "one deferred slash");
		assert_eq!(unapplied[0].validator, charlie);
		assert!(unapplied[0].own > 0, "a positive amount of Charlie's own stake");

		// The same offence cannot be reported twice.
		assert_err!(
			Grandpa::report_equivocation(
				RuntimeOrigin::signed(Sr25519Keyring::Dave.to_account_id()),
				Box::new(proof),
				key_owner_proof,
			),
			pallet_grandpa::Error::<Runtime>::DuplicateOffenceReport
		);
	});
}

#[test]
fn forged_equivocation_is_rejected() {
	new_ext(LOCAL_TESTNET_PRESET).execute_with(|| {
		System::set_block_number(1);
		let set_id = Grandpa::current_set_id();
		// Two votes for the same target are no equivocation.
		let same = H256::repeat_byte(7);
		let proof = double_prevote(set_id, 1, Ed25519Keyring::Dave, same, same);
		let offender: GrandpaId = Ed25519Keyring::Dave.public().into();
		let key_owner_proof = Historical::prove((KEY_TYPE, offender)).unwrap();
		assert_err!(
			Grandpa::report_equivocation(
				RuntimeOrigin::signed(Sr25519Keyring::Bob.to_account_id()),
				Box::new(proof),
				key_owner_proof,
			),
			pallet_grandpa::Error::<Runtime>::InvalidEquivocationProof
		);
		assert_eq!(pallet_offences::Reports::<Runtime>::iter().count(), 0);
	});
}
