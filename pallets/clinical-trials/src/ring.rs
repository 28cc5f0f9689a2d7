//! Research rings: the ring VRF (Bandersnatch, from Parity's `verifiable` over `ark-vrf`) that
//! lets a patient act in a trial under an alias without saying which patient they are.
//!
//! A patient registers a research key (a Bandersnatch public key) once; it joins the current
//! research ring. To enrol, re-consent or withdraw, the patient's client proves "I hold the
//! secret of one of this ring's keys" for the trial's context and the action's message; the
//! proof yields the key's alias for that trial, the same every time, and reveals nothing about
//! which key produced it. The chain keeps, per ring, the members (for clients to build proofs),
//! the ring builder (to add members) and the ring's root (to verify proofs against).
//!
//! Everything here is pure (no storage): the pallet reads and writes the ring's storage.

use crate::{Pseudonym, ResearchKey, RingProof};
use codec::Decode;
use verifiable::{
	ring_vrf_impl::{
		ring_verifier_builder_params, BandersnatchVrfVerifiable as Vrf, EncodedPublicKey,
		PublicKey, StaticChunk,
	},
	GenerateVerifiable,
};

/// A ring under construction (its builder), as stored.
pub type RingBuilder = <Vrf as GenerateVerifiable>::Intermediate;
/// A ring's root (its verifier key), as stored; proofs are verified against it.
pub type RingRoot = <Vrf as GenerateVerifiable>::Members;

/// The most keys one ring can take with the ring parameters this chain carries (`verifiable`'s
/// small rings: a KZG domain of 2¹¹).
pub const RING_CAPACITY: u32 = 255;

pub use crate::ring_statement::{
	context, enrol_message, reconsent_message, visit_reward_message, withdraw_message,
};

/// Whether `key` is a valid research key: a compressed point of the Bandersnatch prime-order
/// subgroup.
pub fn is_valid_key(key: &ResearchKey) -> bool {
	PublicKey::decode(&mut &key[..]).is_ok()
}

/// An empty ring.
pub fn empty_ring() -> RingBuilder {
	Vrf::start_members()
}

/// Why a key could not join a ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushKeyError {
	/// The key is not a Bandersnatch point (see [`is_valid_key`]).
	InvalidKey,
	/// The ring is at [`RING_CAPACITY`].
	RingFull,
}

/// Adds `key` (valid: see [`is_valid_key`]) to `builder` as its next member.
pub fn push_key(builder: &mut RingBuilder, key: &ResearchKey) -> Result<(), PushKeyError> {
	if !is_valid_key(key) {
		return Err(PushKeyError::InvalidKey);
	}
	let params = ring_verifier_builder_params();
	let lookup = |range: core::ops::Range<usize>| {
		params
			.0
			.get(range)
			.map(|points| points.iter().cloned().map(StaticChunk).collect())
			.ok_or(())
	};
	Vrf::push_members(builder, core::iter::once(EncodedPublicKey(*key)), lookup)
		.map_err(|()| PushKeyError::RingFull)
}

/// The root of the ring `builder` holds.
pub fn root(builder: &RingBuilder) -> RingRoot {
	Vrf::finish_members(builder.clone())
}

/// The alias `proof` proves for `context` and `message` against the ring `root`, or `None` when
/// the proof is not valid (malformed, another ring, context or message).
pub fn verify(
	proof: &RingProof,
	root: &RingRoot,
	context: &[u8],
	message: &[u8],
) -> Option<Pseudonym> {
	Vrf::validate(proof, root, context, message).ok()
}
