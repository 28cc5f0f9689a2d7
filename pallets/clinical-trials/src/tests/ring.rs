//! Research keys and rings (`register_research_key`), the ring VRF proofs every trial call
//! carries, and the finding they fix: C1 (trial participation linkable to the patient).

use super::mock::*;
use crate::{
	benchmark_vectors as vectors, ring, CurrentRing, Error, Event, ResearchKeyOwners, ResearchKeys,
	RingMembers, RingRoots,
};
use codec::Encode;
use frame_support::{assert_noop, assert_ok};
use polkadot_sdk::*;
use sp_runtime::{traits::Dispatchable, DispatchError};
use verifiable::{
	ring_vrf_impl::{BandersnatchVrfVerifiable as Vrf, EncodedPublicKey},
	GenerateVerifiable,
};

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

#[test]
fn register_research_key_joins_the_current_ring() {
	ExtBuilder.build_and_execute(|| {
		register_patient(MALLORY);
		let key = research_key(MALLORY);
		assert_ok!(Trials::register_research_key(signed(MALLORY), key));
		assert_last_event(Event::ResearchKeyRegistered { patient: MALLORY, ring: 0, key });
		assert_eq!(ResearchKeys::<Test>::get(MALLORY), Some((0, key)));
		assert_eq!(ResearchKeyOwners::<Test>::get(key), Some(MALLORY));
		assert_eq!(RingMembers::<Test>::get(0).last(), Some(&key));
		assert_eq!(Trials::research_key(&MALLORY), Some((0, key)));
		assert_eq!(Trials::ring_members(0).len(), 5);
	});
}

#[test]
fn register_research_key_errors() {
	ExtBuilder.build_and_execute(|| {
		let root = RingRoots::<Test>::get(0);
		assert_noop!(
			Trials::register_research_key(signed(MALLORY), research_key(MALLORY)),
			Error::<Test>::PatientNotFound
		);
		assert_noop!(
			Trials::register_research_key(RuntimeOrigin::none(), research_key(MALLORY)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Trials::register_research_key(signed(ALICE), research_key(MALLORY)),
			Error::<Test>::AlreadyHasResearchKey
		);
		register_patient(MALLORY);
		assert_noop!(
			Trials::register_research_key(signed(MALLORY), research_key(ALICE)),
			Error::<Test>::ResearchKeyTaken
		);
		// Not a point of the curve's subgroup.
		assert_noop!(
			Trials::register_research_key(signed(MALLORY), [0xff; 32]),
			Error::<Test>::InvalidResearchKey
		);
		assert_eq!(RingRoots::<Test>::get(0), root);
	});
}

#[test]
fn a_full_ring_starts_the_next() {
	ExtBuilder.build_and_execute(|| {
		// Ring 0 holds ALICE..DAVE; four more fill it, the ninth key starts ring 1.
		for patient in 50..55u64 {
			register_patient(patient);
			assert_ok!(Trials::register_research_key(signed(patient), research_key(patient)));
		}
		assert_eq!(RingMembers::<Test>::get(0).len() as u32, MAX_RING_MEMBERS);
		assert_eq!(CurrentRing::<Test>::get(), 1);
		assert_eq!(RingMembers::<Test>::get(1).into_inner(), vec![research_key(54)]);
		assert_eq!(ResearchKeys::<Test>::get(54), Some((1, research_key(54))));
		assert_ne!(RingRoots::<Test>::get(0), RingRoots::<Test>::get(1));
	});
}

#[test]
fn proofs_against_a_small_or_unknown_ring_are_refused() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		for patient in 50..55u64 {
			register_patient(patient);
			assert_ok!(Trials::register_research_key(signed(patient), research_key(patient)));
		}
		// Ring 1 holds one key (54's): below MinRingMembers.
		let (pseudonym, proof) = prove(54, 1, t, &ring::enrol_message(1));
		let call = crate::Call::enrol { trial: t, ring: 1, consent_form: 1, pseudonym, proof };
		assert_eq!(authorize(call), refused(Error::RingTooSmall));
		let call = crate::Call::enrol { trial: t, ring: 2, consent_form: 1, pseudonym, proof };
		assert_eq!(authorize(call), refused(Error::UnknownRing));
	});
}

#[test]
fn a_proof_is_good_for_its_ring_trial_pseudonym_and_message_only() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let u = recruiting_second();
		let (pseudonym, proof) = prove(ALICE, 0, t, &ring::enrol_message(1));
		assert_eq!(pseudonym, super::mock::pseudonym(t, ALICE));
		// Another trial, another pseudonym, another message: refused.
		let other_trial =
			crate::Call::enrol { trial: u, ring: 0, consent_form: 1, pseudonym, proof };
		assert_eq!(authorize(other_trial), refused(Error::BadProof));
		let bob = super::mock::pseudonym(t, BOB);
		let other_alias =
			crate::Call::enrol { trial: t, ring: 0, consent_form: 1, pseudonym: bob, proof };
		assert_eq!(authorize(other_alias), refused(Error::BadProof));
		let (_, withdraw_proof) = prove(ALICE, 0, t, &ring::withdraw_message());
		let wrong_message = crate::Call::enrol {
			trial: t,
			ring: 0,
			consent_form: 1,
			pseudonym,
			proof: withdraw_proof,
		};
		assert_eq!(authorize(wrong_message), refused(Error::BadProof));
		let mut garbled = proof;
		garbled[100] ^= 1;
		let garbled =
			crate::Call::enrol { trial: t, ring: 0, consent_form: 1, pseudonym, proof: garbled };
		assert_eq!(authorize(garbled), refused(Error::BadProof));
		// The ring changed since the proof was made: refused (the client proves again).
		register_patient(MALLORY);
		assert_ok!(Trials::register_research_key(signed(MALLORY), research_key(MALLORY)));
		let stale = crate::Call::enrol { trial: t, ring: 0, consent_form: 1, pseudonym, proof };
		assert_eq!(authorize(stale), refused(Error::BadProof));
		assert_eq!(trial(t).enrolled, 0);
	});
}

/// A second recruiting trial (registry id `NCT0002`).
fn recruiting_second() -> crate::TrialId {
	let u = register_with(Some(b"NCT0002"));
	assert_ok!(Trials::add_site(signed(ADMIN), u, SITE_A));
	assert_ok!(Trials::publish_consent_form(signed(ADMIN), u, h(40)));
	open(u);
	u
}

#[test]
fn trial_calls_need_the_authorized_origin() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let call = enrol_call(t, ALICE, 1);
		for origin in [signed(ALICE), RuntimeOrigin::none(), RuntimeOrigin::root()] {
			let result = RuntimeCall::from(call.clone()).dispatch(origin);
			assert_eq!(result.map_err(|e| e.error), Err(DispatchError::BadOrigin));
		}
		assert_eq!(trial(t).enrolled, 0);
	});
}

/// C1: an enrolment names no account and carries no secret; nothing the chain keeps or says
/// links the pseudonym to the patient or their research key; each trial sees another pseudonym.
#[test]
fn c1_enrolment_is_unlinkable_to_the_patient() {
	ExtBuilder.build_and_execute(|| {
		let t = recruiting();
		let u = recruiting_second();
		System::reset_events();
		let call = enrol_call(t, ALICE, 1);
		let encoded = RuntimeCall::from(call.clone()).encode();
		submit(call);
		let alias = super::mock::pseudonym(t, ALICE);
		assert_eq!(alias, super::mock::pseudonym(t, ALICE));
		assert_ne!(alias, super::mock::pseudonym(u, ALICE));

		let account = ALICE.encode();
		let key = research_key(ALICE);
		let secret = [ALICE as u8; 32];
		let contains = |haystack: &[u8], needle: &[u8]| {
			haystack.windows(needle.len()).any(|window| window == needle)
		};
		// The transaction: no account (it is unsigned), no key, no secret.
		assert!(!contains(&encoded, &key) && !contains(&encoded, &secret));
		// Every event of the enrolment: no account, no key.
		for record in System::events() {
			let bytes = record.event.encode();
			assert!(!contains(&bytes, &key), "an event names the research key");
			assert!(!contains(&bytes, &account[..]) || !contains(&bytes, &alias));
		}
		// Every storage entry holding the pseudonym holds neither the account nor the key.
		let mut key_bytes = sp_io::storage::next_key(&[]);
		let mut entries_with_alias = 0;
		while let Some(storage_key) = key_bytes {
			let value = sp_io::storage::get(&storage_key).map(|v| v.to_vec()).unwrap_or_default();
			let entry = [storage_key.clone(), value].concat();
			if contains(&entry, &alias) {
				entries_with_alias += 1;
				assert!(!contains(&entry, &key), "an entry links the pseudonym to the key");
				assert!(!contains(&entry, &account), "an entry links the pseudonym to the patient");
			}
			key_bytes = sp_io::storage::next_key(&storage_key);
		}
		// The participant's entry and the block's events.
		assert_eq!(entries_with_alias, 2, "the participant and the events hold the pseudonym");
		// Without Alice's secret, her key's alias cannot be told apart from the others'.
		let aliases: Vec<_> =
			[ALICE, BOB, CAROL, DAVE].iter().map(|p| super::mock::pseudonym(t, *p)).collect();
		assert_eq!(aliases.iter().filter(|a| **a == alias).count(), 1);
	});
}

/// The vectors the benchmarks verify are valid proofs for their ring, trial and messages.
#[test]
fn benchmark_vectors_verify() {
	let ring_root = vector_ring();
	let context = ring::context(&vectors::GENESIS, vectors::TRIAL);
	for (proof, message) in [
		(vectors::ENROL_PROOF, ring::enrol_message(1)),
		(vectors::RECONSENT_PROOF, ring::reconsent_message(2)),
		(vectors::WITHDRAW_PROOF, ring::withdraw_message()),
		(vectors::VISIT_REWARD_PROOF, visit_reward_message()),
	] {
		assert_eq!(ring::verify(&proof, &ring_root, &context, &message), Some(vectors::PSEUDONYM));
	}
}

/// The message of the vectors' visit reward.
fn visit_reward_message() -> Vec<u8> {
	ring::visit_reward_message(vectors::VISIT_SEQ, vectors::VISIT_POOL, &vectors::VISIT_PAYEE)
}

/// The root of the vectors' ring, checking its keys are those of their secrets.
fn vector_ring() -> ring::RingRoot {
	let mut builder = ring::empty_ring();
	for (i, key) in vectors::KEYS.iter().enumerate() {
		let secret = Vrf::new_secret([i as u8 + 1; 32]);
		assert_eq!(Vrf::member_from_secret(&secret).0, *key);
		assert_ok!(ring::push_key(&mut builder, key));
	}
	ring::root(&builder)
}

/// Writes `src/benchmark_vectors.rs` (run with `--ignored` after a change to the proofs'
/// context or messages).
#[test]
#[ignore = "writes the benchmark vectors"]
fn write_benchmark_vectors() {
	let secrets: Vec<_> = (1..=8u8).map(|i| Vrf::new_secret([i; 32])).collect();
	let keys: Vec<[u8; 32]> = secrets.iter().map(|s| Vrf::member_from_secret(s).0).collect();
	let context = ring::context(&vectors::GENESIS, vectors::TRIAL);
	let prove = |message: &[u8]| {
		let commitment =
			Vrf::open(&EncodedPublicKey(keys[0]), keys.iter().map(|key| EncodedPublicKey(*key)))
				.expect("the first key is in the ring");
		Vrf::create(commitment, &secrets[0], &context, message).expect("a proof")
	};
	let (enrol, alias) = prove(&ring::enrol_message(1));
	let (reconsent, _) = prove(&ring::reconsent_message(2));
	let (withdraw, _) = prove(&ring::withdraw_message());
	let (visit_reward, _) = prove(&visit_reward_message());
	let bytes = |b: &[u8]| {
		let items: Vec<String> = b.iter().map(|x| format!("{x}")).collect();
		format!("[{}]", items.join(", "))
	};
	let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/benchmark_vectors.rs");
	let current = std::fs::read_to_string(path).expect("the vectors file");
	let head = current.split("/// The ring's keys").next().expect("a header");
	let keys_text: Vec<String> = keys.iter().map(|k| bytes(k)).collect();
	let out = format!(
		"{head}/// The ring's keys: those of the secrets from entropy `[1; 32]` to `[8; 32]`.\n\
		 pub const KEYS: [ResearchKey; 8] = [{}];\n\n\
		 /// The alias of the first key in [`TRIAL`].\n\
		 pub const PSEUDONYM: Pseudonym = {};\n\n\
		 /// The first key's enrolment on consent form 1.\n\
		 pub const ENROL_PROOF: RingProof = {};\n\n\
		 /// The first key's consent to consent form 2.\n\
		 pub const RECONSENT_PROOF: RingProof = {};\n\n\
		 /// The first key's withdrawal.\n\
		 pub const WITHDRAW_PROOF: RingProof = {};\n\n\
		 /// The first key's claim of the reward for the visit of data anchor [`VISIT_SEQ`] from\n\
		 /// pool [`VISIT_POOL`], paid to [`VISIT_PAYEE`].\n\
		 pub const VISIT_REWARD_PROOF: RingProof = {};\n",
		keys_text.join(", "),
		bytes(&alias),
		bytes(&enrol),
		bytes(&reconsent),
		bytes(&withdraw),
		bytes(&visit_reward),
	);
	std::fs::write(path, out).expect("write the vectors");
}
