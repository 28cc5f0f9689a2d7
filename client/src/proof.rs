//! Checking an RPC node's answers against the chain itself (security review M8).
//!
//! A client that believes its RPC node can be handed a wrong grantee encryption key (and wrap a
//! record's data key for the provider) or a wrong record hash. The chain's own evidence settles
//! both without trusting the node:
//!
//! - a **storage value** is proven by a Merkle proof (`state_getReadProof`) against the state
//!   root in a block header ([`read_proven`]);
//! - a **header** is proven final by a GRANDPA justification: precommits for it (or for a
//!   descendant of it) signed, for that round and authority set, by authorities holding more
//!   than two thirds of the set's weight ([`verify_justification`], [`verify_header`]).
//!
//! - an **authority set change** is read from the header that enacts it ([`next_set`]), itself
//!   proven final by the set before: from one trusted set ([`Checkpoint`]) a client follows
//!   every later set without trusting the node.
//!
//! What the caller must still trust is the set it starts from: a checkpoint its organisation
//! gives it, or the one it saw on first use (`docs/threat-model.md`, M8). `crate::verified`
//! puts these checks between the workflows and the node.

use std::collections::{HashMap, HashSet};

use codec::Decode;
use polkadot_sdk::{
	sp_consensus_grandpa::{
		check_message_signature, AuthorityId, AuthorityList, ConsensusLog, GrandpaJustification,
		SetId, SignatureResult, GRANDPA_ENGINE_ID,
	},
	sp_core::H256,
	sp_runtime::{
		generic,
		traits::{BlakeTwo256, Header as _},
		DigestItem,
	},
};

/// The chain's header type (block numbers are `u32`, hashes BLAKE2b-256).
pub type Header = generic::Header<u32, BlakeTwo256>;

/// Why an answer was not accepted as the chain's.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProofError {
	/// The storage proof does not lead from the state root to the key.
	#[error("the storage proof does not match state root {root}: {reason}")]
	Storage {
		/// The state root (hex).
		root: String,
		/// What failed.
		reason: String,
	},
	/// The justification's bytes do not decode.
	#[error("the finality justification does not decode: {0}")]
	Malformed(String),
	/// The authority set given is empty or has no weight.
	#[error("authority set {0} is empty: nothing can be verified against it")]
	NoAuthorities(SetId),
	/// A precommit's signature is not its authority's for this round and set.
	#[error(
		"a precommit is not signed by authority {authority} for round {round} of set {set_id}"
	)]
	BadSignature {
		/// The authority named (hex of its public key).
		authority: String,
		/// The round.
		round: u64,
		/// The set.
		set_id: SetId,
	},
	/// The precommits do not finalize the target: too little weight, unknown voters, or votes
	/// for blocks that are not descendants of it.
	#[error("the justification does not finalize block #{number} ({hash}): {reason}")]
	NotFinal {
		/// The target's number.
		number: u32,
		/// The target's hash (hex).
		hash: String,
		/// What is wrong.
		reason: String,
	},
	/// The header is not the block the justification finalizes.
	#[error(
		"header #{number} ({hash}) is not the justified block #{justified_number} ({justified})"
	)]
	WrongHeader {
		/// The header's number.
		number: u32,
		/// The header's hash (hex).
		hash: String,
		/// The justified block's number.
		justified_number: u32,
		/// The justified block's hash (hex).
		justified: String,
	},
	/// The header enacts an authority set change this client does not follow.
	#[error("block #{number} changes the GRANDPA authorities in a way this client does not follow: {reason}")]
	UnsupportedChange {
		/// The header's number.
		number: u32,
		/// What kind of change.
		reason: String,
	},
	/// A checkpoint's contents do not make an authority set.
	#[error("the trust checkpoint is not valid: {0}")]
	Checkpoint(String),
}

/// What the node answers to `grandpa_proveFinality` (SCALE): the justification of block
/// `block`, and the headers from the block asked about up to it.
#[derive(Debug, Decode)]
pub struct FinalityProof {
	/// The justified block's hash.
	pub block: H256,
	/// Its GRANDPA justification (SCALE).
	pub justification: Vec<u8>,
	/// The headers after the block asked about, up to and including `block`.
	pub unknown_headers: Vec<Header>,
}

/// The authority set that finalizes the blocks after `header`, when `header` (finalized by
/// `set`) enacts a change: its GRANDPA `ScheduledChange` digest with no delay, which is how the
/// runtime's `pallet_grandpa` changes sets at a session. `None`: `set` goes on. Delayed and
/// forced changes are refused ([`ProofError::UnsupportedChange`]): the runtime makes neither
/// (a forced change is the governance escape from a stalled network; a client then needs a new
/// checkpoint).
pub fn next_set(set: &AuthoritySet, header: &Header) -> Result<Option<AuthoritySet>, ProofError> {
	let number = *header.number();
	let unsupported =
		|reason: &str| ProofError::UnsupportedChange { number, reason: reason.into() };
	let mut next = None;
	for item in header.digest().logs() {
		let DigestItem::Consensus(engine, data) = item else { continue };
		if *engine != GRANDPA_ENGINE_ID {
			continue;
		}
		let log = ConsensusLog::<u32>::decode(&mut &data[..])
			.map_err(|_| unsupported("its GRANDPA digest does not decode"))?;
		match log {
			ConsensusLog::ScheduledChange(change) if change.delay == 0 => {
				if next.is_some() {
					return Err(unsupported("it schedules two changes"));
				}
				let set_id =
					set.set_id.checked_add(1).ok_or_else(|| unsupported("the set id overflows"))?;
				next = Some(AuthoritySet { set_id, authorities: change.next_authorities });
			},
			ConsensusLog::ScheduledChange(_) => return Err(unsupported("a delayed change")),
			ConsensusLog::ForcedChange(..) => return Err(unsupported("a forced change")),
			// Disabling an authority or pausing does not change who signs for the set.
			_ => {},
		}
	}
	Ok(next)
}

/// A trusted point to verify from: the chain (genesis hash), the authority set that finalizes
/// the blocks after `block`, and `block`, a block the set is known to cover. Stored as JSON
/// (public keys in hex) so that an organisation can hand it to its staff and patients.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
	/// The chain's genesis hash (hex).
	pub genesis: String,
	/// The set's id.
	pub set_id: SetId,
	/// Its authorities: ed25519 public keys (hex) and weights.
	pub authorities: Vec<(String, u64)>,
	/// The first block to ask a finality proof for (the set finalizes it or its descendants).
	pub block: u32,
}

impl Checkpoint {
	/// A checkpoint of `set` for the chain `genesis`, from `block` on.
	pub fn new(genesis: H256, set: &AuthoritySet, block: u32) -> Self {
		Self {
			genesis: hex_of(&genesis),
			set_id: set.set_id,
			authorities: set
				.authorities
				.iter()
				.map(|(id, weight)| (hex::encode(AsRef::<[u8]>::as_ref(id)), *weight))
				.collect(),
			block,
		}
	}

	/// The authority set it names.
	pub fn set(&self) -> Result<AuthoritySet, ProofError> {
		let authorities = self
			.authorities
			.iter()
			.map(|(key, weight)| {
				let bytes = hex::decode(key.trim_start_matches("0x"))
					.map_err(|e| ProofError::Checkpoint(format!("authority {key}: {e}")))?;
				let id = AuthorityId::try_from(&bytes[..]).map_err(|()| {
					ProofError::Checkpoint(format!("authority {key} is not a 32-byte key"))
				})?;
				Ok((id, *weight))
			})
			.collect::<Result<AuthorityList, ProofError>>()?;
		if authorities.is_empty() {
			return Err(ProofError::NoAuthorities(self.set_id));
		}
		Ok(AuthoritySet { set_id: self.set_id, authorities })
	}
}

/// The value at `key` in the state whose root is `state_root`, as `proof` (the trie nodes a
/// node answers to `state_getReadProof`) proves it: `None` when the proof shows there is none.
/// A proof that does not lead from the root to the key is refused.
pub fn read_proven(
	state_root: H256,
	proof: Vec<Vec<u8>>,
	key: &[u8],
) -> Result<Option<Vec<u8>>, ProofError> {
	let failed = |reason: String| ProofError::Storage { root: hex_of(&state_root), reason };
	let proof = sp_trie::StorageProof::new(proof);
	let mut values = sp_state_machine::read_proof_check::<BlakeTwo256, _>(state_root, proof, [key])
		.map_err(|e| failed(e.to_string()))?;
	values.remove(key).ok_or_else(|| failed("the key is not in the answer".into()))
}

/// An authority set: its id (how many changes since genesis) and its weighted keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthoritySet {
	/// The set's id.
	pub set_id: SetId,
	/// Its authorities and their weights.
	pub authorities: AuthorityList,
}

/// The headers a justification carries to link its votes to its target.
struct Ancestry(HashMap<H256, Header>);

impl finality_grandpa::Chain<H256, u32> for Ancestry {
	/// The hashes between `block` and `base`, both excluded, from `block`'s parent down.
	fn ancestry(&self, base: H256, block: H256) -> Result<Vec<H256>, finality_grandpa::Error> {
		let mut route = Vec::new();
		let mut current = block;
		while current != base {
			// Each step takes a header from the map: a cycle cannot run longer than it.
			if route.len() > self.0.len() {
				return Err(finality_grandpa::Error::NotDescendent);
			}
			let header = self.0.get(&current).ok_or(finality_grandpa::Error::NotDescendent)?;
			current = *header.parent_hash();
			route.push(current);
		}
		// The loop pushed `base` last.
		route.pop();
		Ok(route)
	}
}

/// The block (hash, number) that the SCALE-encoded GRANDPA justification `encoded` proves
/// final under `set`: every precommit signed by its authority for the justification's round and
/// the set's id, the signers holding more than two thirds of the set's weight, each vote for the
/// target or a descendant of it that the justification's headers link, and no header left over.
pub fn verify_justification(encoded: &[u8], set: &AuthoritySet) -> Result<(H256, u32), ProofError> {
	let justification = GrandpaJustification::<Header>::decode(&mut &encoded[..])
		.map_err(|e| ProofError::Malformed(e.to_string()))?;
	let commit = &justification.commit;
	let (target, number) = (commit.target_hash, commit.target_number);
	let not_final = |reason: String| ProofError::NotFinal { number, hash: hex_of(&target), reason };
	let voters = finality_grandpa::voter_set::VoterSet::new(set.authorities.iter().cloned())
		.ok_or(ProofError::NoAuthorities(set.set_id))?;
	for signed in &commit.precommits {
		let message = finality_grandpa::Message::Precommit(signed.precommit.clone());
		let result = check_message_signature(
			&message,
			&signed.id,
			&signed.signature,
			justification.round,
			set.set_id,
		);
		if !matches!(result, SignatureResult::Valid) {
			return Err(ProofError::BadSignature {
				authority: hex::encode(AsRef::<[u8]>::as_ref(&signed.id)),
				round: justification.round,
				set_id: set.set_id,
			});
		}
	}
	let ancestry = Ancestry(
		justification
			.votes_ancestries
			.iter()
			.map(|header| (header.hash(), header.clone()))
			.collect(),
	);
	let validation = finality_grandpa::validate_commit(commit, &voters, &ancestry)
		.map_err(|e| not_final(format!("{e:?}")))?;
	if !validation.is_valid() {
		return Err(not_final(format!(
			"its {} precommits are not more than two thirds of the set's weight from its \
			 authorities on the target's chain",
			commit.precommits.len()
		)));
	}
	// Every header must serve a vote: a justification carries nothing else.
	let mut used = HashSet::new();
	for signed in &commit.precommits {
		let voted = signed.precommit.target_hash;
		if voted == target {
			continue;
		}
		use finality_grandpa::Chain as _;
		let route = ancestry
			.ancestry(target, voted)
			.map_err(|_| not_final(format!("a vote for {} is not on its chain", hex_of(&voted))))?;
		used.insert(voted);
		used.extend(route);
	}
	if used.len() != ancestry.0.len() {
		return Err(not_final("it carries headers no vote needs".into()));
	}
	Ok((target, number))
}

/// The state root of `header`, once `justification` proves it final under `set`.
pub fn verify_header(
	header: &Header,
	justification: &[u8],
	set: &AuthoritySet,
) -> Result<H256, ProofError> {
	let (justified, justified_number) = verify_justification(justification, set)?;
	let hash = header.hash();
	if hash != justified || *header.number() != justified_number {
		return Err(ProofError::WrongHeader {
			number: *header.number(),
			hash: hex_of(&hash),
			justified_number,
			justified: hex_of(&justified),
		});
	}
	Ok(*header.state_root())
}

fn hex_of(hash: &H256) -> String {
	format!("0x{}", hex::encode(hash.as_bytes()))
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;
	use polkadot_sdk::{
		sp_consensus_grandpa::{localized_payload, AuthorityId, AuthorityPair, AuthoritySignature},
		sp_core::{storage::StateVersion, Pair},
		sp_runtime::Digest,
	};
	use std::collections::BTreeMap;

	#[test]
	fn m8_a_storage_value_is_read_only_through_a_proof_from_the_state_root() {
		let state: BTreeMap<Vec<u8>, Vec<u8>> =
			[(b"grantee key".to_vec(), vec![7u8; 32]), (b"other".to_vec(), vec![1, 2, 3])]
				.into_iter()
				.collect();
		let backend: sp_state_machine::TrieBackend<_, BlakeTwo256> =
			(state, StateVersion::V1).into();
		let root = *backend.root();
		let proof = |keys: &[&[u8]]| -> Vec<Vec<u8>> {
			sp_state_machine::prove_read_on_trie_backend(&backend, keys.iter())
				.unwrap()
				.into_iter_nodes()
				.collect()
		};
		let nodes = proof(&[b"grantee key"]);
		assert_eq!(read_proven(root, nodes.clone(), b"grantee key"), Ok(Some(vec![7u8; 32])));
		// An absent key is proven absent.
		assert_eq!(read_proven(root, proof(&[b"missing"]), b"missing"), Ok(None));
		// Another root, a changed node or a missing node: refused, never a value.
		let wrong_root = H256::repeat_byte(9);
		assert!(matches!(
			read_proven(wrong_root, nodes.clone(), b"grantee key"),
			Err(ProofError::Storage { .. })
		));
		for i in 0..nodes.len() {
			let mut altered = nodes.clone();
			let last = altered[i].len() - 1;
			altered[i][last] ^= 1;
			assert!(read_proven(root, altered, b"grantee key").is_err(), "node {i} altered");
			let mut fewer = nodes.clone();
			fewer.remove(i);
			assert!(read_proven(root, fewer, b"grantee key").is_err(), "node {i} missing");
		}
	}

	fn header(number: u32, parent: H256) -> Header {
		Header::new(
			number,
			H256::zero(),
			H256::repeat_byte(number as u8),
			parent,
			Digest::default(),
		)
	}

	/// A justification of `target` in `round` of `set_id`: each vote a precommit for its block
	/// (the target or a descendant, with `ancestry` linking them) by its signer.
	fn justification(
		target: &Header,
		votes: &[(&AuthorityPair, &Header)],
		ancestry: Vec<Header>,
		round: u64,
		set_id: SetId,
	) -> Vec<u8> {
		let precommits = votes
			.iter()
			.map(|(pair, voted)| {
				let precommit = finality_grandpa::Precommit::new(voted.hash(), *voted.number());
				let message = finality_grandpa::Message::Precommit(precommit.clone());
				let payload = localized_payload(round, set_id, &message);
				finality_grandpa::SignedPrecommit {
					precommit,
					signature: pair.sign(&payload),
					id: pair.public(),
				}
			})
			.collect();
		let commit = finality_grandpa::Commit::<H256, u32, AuthoritySignature, AuthorityId> {
			target_hash: target.hash(),
			target_number: *target.number(),
			precommits,
		};
		GrandpaJustification::<Header> { round, commit, votes_ancestries: ancestry }.encode()
	}

	/// Every signer's precommit for `voted`.
	fn for_block<'a>(
		signers: &[&'a AuthorityPair],
		voted: &'a Header,
	) -> Vec<(&'a AuthorityPair, &'a Header)> {
		signers.iter().map(|pair| (*pair, voted)).collect()
	}

	#[test]
	fn m8_a_header_is_final_only_when_two_thirds_of_the_set_signed_for_it() {
		let pairs: Vec<AuthorityPair> = ["//Alice", "//Bob", "//Charlie"]
			.iter()
			.map(|uri| AuthorityPair::from_string(uri, None).unwrap())
			.collect();
		let set = AuthoritySet {
			set_id: 3,
			authorities: pairs.iter().map(|pair| (pair.public(), 1)).collect(),
		};
		let genesis = header(0, H256::zero());
		let target = header(1, genesis.hash());
		let child = header(2, target.hash());
		let all: Vec<&AuthorityPair> = pairs.iter().collect();

		let good = justification(&target, &for_block(&all, &target), vec![], 7, 3);
		assert_eq!(verify_justification(&good, &set), Ok((target.hash(), 1)));
		assert_eq!(verify_header(&target, &good, &set), Ok(*target.state_root()));
		// Votes for a descendant count for the target when the headers link them.
		let mixed = [(all[0], &child), (all[1], &child), (all[2], &target)];
		let descendant = justification(&target, &mixed, vec![child.clone()], 7, 3);
		assert_eq!(verify_justification(&descendant, &set), Ok((target.hash(), 1)));
		// All three for the child finalize the child, not the target the commit names.
		let beyond = justification(&target, &for_block(&all, &child), vec![child.clone()], 7, 3);
		assert!(matches!(verify_justification(&beyond, &set), Err(ProofError::NotFinal { .. })));

		// Two of three is not more than two thirds.
		let two = justification(&target, &for_block(&all[..2], &target), vec![], 7, 3);
		assert!(matches!(verify_justification(&two, &set), Err(ProofError::NotFinal { .. })));
		// Signed for another set or round, or by a key outside the set: refused.
		for (round, set_id) in [(7, 2), (8, 3)] {
			let mut other =
				justification(&target, &for_block(&all, &target), vec![], round, set_id);
			// Claim the round the test verifies against (the round is in the encoding).
			other[..8].copy_from_slice(&7u64.encode());
			assert!(matches!(
				verify_justification(&other, &set),
				Err(ProofError::BadSignature { .. })
			));
		}
		let stranger = AuthorityPair::from_string("//Mallory", None).unwrap();
		let outsiders = [all[0], all[1], &stranger];
		let outside = justification(&target, &for_block(&outsiders, &target), vec![], 7, 3);
		assert!(matches!(verify_justification(&outside, &set), Err(ProofError::NotFinal { .. })));
		// A flipped signature byte.
		let mut flipped = good.clone();
		let at = flipped.len() - 40;
		flipped[at] ^= 1;
		assert!(matches!(
			verify_justification(&flipped, &set),
			Err(ProofError::BadSignature { .. })
		));
		// A vote for a block the headers do not link to the target, or a header no vote needs.
		let unrelated = header(2, H256::repeat_byte(0xee));
		let stray = [(all[0], &unrelated), (all[1], &target), (all[2], &target)];
		let unlinked = justification(&target, &stray, vec![], 7, 3);
		assert!(matches!(verify_justification(&unlinked, &set), Err(ProofError::NotFinal { .. })));
		let padded = justification(&target, &for_block(&all, &target), vec![child.clone()], 7, 3);
		assert!(matches!(verify_justification(&padded, &set), Err(ProofError::NotFinal { .. })));
		// Another header than the justified one; bytes that are no justification; no set.
		assert!(matches!(verify_header(&child, &good, &set), Err(ProofError::WrongHeader { .. })));
		assert!(matches!(verify_justification(&[1, 2, 3], &set), Err(ProofError::Malformed(_))));
		let empty = AuthoritySet { set_id: 3, authorities: vec![] };
		assert_eq!(verify_justification(&good, &empty), Err(ProofError::NoAuthorities(3)));
	}

	#[test]
	fn m8_a_set_change_is_followed_only_as_the_runtime_makes_it() {
		use polkadot_sdk::sp_consensus_grandpa::ScheduledChange;
		let alice = AuthorityPair::from_string("//Alice", None).unwrap();
		let bob = AuthorityPair::from_string("//Bob", None).unwrap();
		let set = AuthoritySet { set_id: 4, authorities: vec![(alice.public(), 1)] };
		let with_logs = |logs: Vec<ConsensusLog<u32>>| {
			let mut header = header(9, H256::repeat_byte(1));
			for log in logs {
				header.digest_mut().push(DigestItem::Consensus(GRANDPA_ENGINE_ID, log.encode()));
			}
			// Another engine's digest is not GRANDPA's.
			header.digest_mut().push(DigestItem::Consensus(*b"BABE", vec![1, 2, 3]));
			header
		};
		let change = |delay| ScheduledChange { next_authorities: vec![(bob.public(), 1)], delay };

		// No GRANDPA digest, or one that changes nobody's keys: the set goes on.
		assert_eq!(next_set(&set, &with_logs(vec![])), Ok(None));
		assert_eq!(next_set(&set, &with_logs(vec![ConsensusLog::OnDisabled(0)])), Ok(None));
		// A change with no delay: the next set, its id one more.
		let next = next_set(&set, &with_logs(vec![ConsensusLog::ScheduledChange(change(0))]));
		assert_eq!(
			next,
			Ok(Some(AuthoritySet { set_id: 5, authorities: vec![(bob.public(), 1)] }))
		);
		// Delayed, forced, doubled or undecodable: refused, never guessed.
		for logs in [
			vec![ConsensusLog::ScheduledChange(change(3))],
			vec![ConsensusLog::ForcedChange(8, change(0))],
			vec![
				ConsensusLog::ScheduledChange(change(0)),
				ConsensusLog::ScheduledChange(change(0)),
			],
		] {
			assert!(matches!(
				next_set(&set, &with_logs(logs)),
				Err(ProofError::UnsupportedChange { number: 9, .. })
			));
		}
		let mut garbled = header(9, H256::zero());
		garbled.digest_mut().push(DigestItem::Consensus(GRANDPA_ENGINE_ID, vec![0xff]));
		assert!(matches!(next_set(&set, &garbled), Err(ProofError::UnsupportedChange { .. })));
	}

	#[test]
	fn m8_a_checkpoint_names_its_set_and_refuses_keys_that_are_not_keys() {
		let alice = AuthorityPair::from_string("//Alice", None).unwrap();
		let set = AuthoritySet { set_id: 2, authorities: vec![(alice.public(), 1)] };
		let checkpoint = Checkpoint::new(H256::repeat_byte(3), &set, 40);
		let json = serde_json::to_string(&checkpoint).unwrap();
		let read: Checkpoint = serde_json::from_str(&json).unwrap();
		assert_eq!(read, checkpoint);
		assert_eq!(read.set(), Ok(set));
		assert_eq!(read.genesis, format!("0x{}", "03".repeat(32)));
		let mut short = read.clone();
		short.authorities[0].0 = "abcd".into();
		assert!(matches!(short.set(), Err(ProofError::Checkpoint(_))));
		let mut not_hex = read.clone();
		not_hex.authorities[0].0 = "zz".into();
		assert!(matches!(not_hex.set(), Err(ProofError::Checkpoint(_))));
		let mut empty = read;
		empty.authorities.clear();
		assert_eq!(empty.set(), Err(ProofError::NoAuthorities(2)));
	}
}
