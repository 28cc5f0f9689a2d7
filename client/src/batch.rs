//! Batch anchoring: many record versions under one Merkle root on chain
//! (`MedicalRecords::anchor_batch`), each with an inclusion proof kept beside it off chain.
//!
//! A leaf is a record version's anchor: the patient's account, the data class tag, the
//! ciphertext hash, the plaintext commitment and the CID ([`BatchLeaf`]). The tree is
//! `binary-merkle-tree`'s over BLAKE2-256 (the SDK's maintained crate: a leaf is hashed, pairs
//! are hashed together, an odd last node is promoted). [`BatchTree`] builds every layer once so
//! that all proofs of a batch cost one pass (the crate's `merkle_proof` rebuilds the tree for
//! each proof, quadratic over a batch); the proofs are checked by the crate's `verify_proof`,
//! and the tests compare both constructions for every index of many sizes.
//!
//! A leaf's encoding is longer than 64 bytes, so no leaf can pass for an inner node (two
//! hashes), and the verifier takes the leaf count from the chain, not from the proof alone.

use codec::{Decode, Encode};
use polkadot_sdk::{
	sp_core::{Hasher, H256},
	sp_runtime::traits::BlakeTwo256,
};
use serde::{Deserialize, Serialize};

use crate::chain::{runtime, types, AccountId, Chain};
use crate::crypto::commitment;
use crate::error::Error;
use crate::identity::Identity;
use crate::store::{cid_of, parse_cid};
use medchain_primitives::{ConsentAction, PurposeOfUse};
use types::medchain_primitives::{AccessTarget, ClassTag};

/// Domain of a leaf's encoding: a batch leaf's hash is never any other MedChain hash.
pub const LEAF_DOMAIN: &[u8] = b"medchain/batch-leaf/v1";

/// One record version in a batch: what its anchor would hold, bound to its patient and class.
#[derive(Encode, Decode, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct BatchLeaf {
	/// The patient's account (32 bytes).
	#[serde(with = "hex32")]
	pub patient: [u8; 32],
	/// The data class tag, salted for the patient as for single anchors.
	#[serde(with = "hex32")]
	pub class: [u8; 32],
	/// Hash of the ciphertext ([`crate::crypto::commitment`] of the envelope).
	#[serde(with = "hex32")]
	pub ciphertext_hash: [u8; 32],
	/// Salted commitment of the plaintext.
	#[serde(with = "hex32")]
	pub plaintext_commitment: [u8; 32],
	/// The ciphertext's content address (a CID in text form, as single anchors hold it).
	pub cid: String,
}

impl BatchLeaf {
	/// The bytes the tree hashes: [`LEAF_DOMAIN`] and the SCALE encoding of the leaf.
	pub fn leaf_bytes(&self) -> Vec<u8> {
		let mut bytes = LEAF_DOMAIN.to_vec();
		self.encode_to(&mut bytes);
		bytes
	}

	/// The leaf's hash in the tree.
	pub fn hash(&self) -> H256 {
		<BlakeTwo256 as Hasher>::hash(&self.leaf_bytes())
	}
}

/// Why a batch or a proof was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BatchError {
	/// A batch needs at least one leaf.
	#[error("a batch needs at least one record version")]
	Empty,
	/// More leaves than an index can address.
	#[error("a batch holds at most {max} record versions, not {count}")]
	TooLarge {
		/// How many were given.
		count: usize,
		/// The most a batch may hold.
		max: u32,
	},
	/// The proof's index is not a leaf of its tree.
	#[error("the proof names leaf {index} of a batch of {leaves}")]
	IndexOutOfRange {
		/// The index.
		index: u32,
		/// The batch's size.
		leaves: u32,
	},
	/// The proof does not lead from the leaf to the root.
	#[error(
		"the inclusion proof does not lead from this record version to the batch's root: the \
		 proof or the record's anchor fields were altered"
	)]
	ProofMismatch,
	/// The document is not the one the leaf anchors.
	#[error(
		"the document's hash {found} is not the anchored ciphertext hash {expected}: it was \
		 altered or is another document"
	)]
	DocumentMismatch {
		/// The anchored hash (hex).
		expected: String,
		/// The document's hash (hex).
		found: String,
	},
	/// The leaf's CID is not the document's content address.
	#[error("the anchored CID is not the document's content address")]
	CidMismatch,
	/// No batch on chain has the proof's root.
	#[error("no batch on chain has the root {0}: the proof is for a batch never anchored")]
	NotAnchored(String),
	/// The batch on chain has another size than the proof says.
	#[error("batch {batch} on chain has {on_chain} record versions, the proof says {proof}")]
	LeafCountMismatch {
		/// The batch.
		batch: u64,
		/// Its size on chain.
		on_chain: u32,
		/// The size the proof claims.
		proof: u32,
	},
	/// Consent did not let the batch's author write this record version when it was anchored.
	#[error(
		"consent did not let the batch's author write this class of data about the patient at \
		 block {block}, when batch {batch} was anchored: the record version is unconsented"
	)]
	Unconsented {
		/// The batch.
		batch: u64,
		/// The block it was anchored in.
		block: u32,
	},
}

/// Every layer of a batch's Merkle tree, leaves first, root last.
#[derive(Clone, Debug)]
pub struct BatchTree {
	layers: Vec<Vec<H256>>,
}

impl BatchTree {
	/// The tree over `leaves`, in order (a leaf's index is its position).
	pub fn from_leaves(leaves: &[BatchLeaf]) -> Result<Self, BatchError> {
		Self::from_hashes(leaves.iter().map(BatchLeaf::hash).collect())
	}

	/// The tree over leaves already hashed ([`BatchLeaf::hash`]).
	pub fn from_hashes(hashes: Vec<H256>) -> Result<Self, BatchError> {
		if hashes.is_empty() {
			return Err(BatchError::Empty);
		}
		if u32::try_from(hashes.len()).is_err() {
			return Err(BatchError::TooLarge { count: hashes.len(), max: u32::MAX });
		}
		let mut layers = vec![hashes];
		while let Some(below) = layers.last().filter(|layer| layer.len() > 1) {
			let mut above = Vec::with_capacity(below.len().div_ceil(2));
			let mut pair = [0u8; 64];
			for nodes in below.chunks(2) {
				match nodes {
					[left, right] => {
						pair[..32].copy_from_slice(left.as_bytes());
						pair[32..].copy_from_slice(right.as_bytes());
						above.push(<BlakeTwo256 as Hasher>::hash(&pair));
					},
					// An odd last node goes up unchanged.
					odd => above.extend(odd.first().copied()),
				}
			}
			layers.push(above);
		}
		Ok(Self { layers })
	}

	/// The root the chain anchors.
	pub fn root(&self) -> H256 {
		self.layers.last().and_then(|top| top.first()).copied().unwrap_or_default()
	}

	/// How many leaves the tree has.
	pub fn leaves(&self) -> u32 {
		self.layers.first().map_or(0, |leaves| leaves.len() as u32)
	}

	/// The siblings from leaf `index` up to the root (the crate's proof order), or `None` for
	/// an index past the last leaf.
	pub fn proof(&self, index: u32) -> Option<Vec<H256>> {
		if index >= self.leaves() {
			return None;
		}
		let mut position = index as usize;
		let mut siblings = Vec::with_capacity(self.layers.len());
		for layer in &self.layers[..self.layers.len() - 1] {
			if let Some(sibling) = layer.get(position ^ 1) {
				siblings.push(*sibling);
			}
			position /= 2;
		}
		Some(siblings)
	}

	/// The inclusion proof of leaf `index`, which is `leaf`.
	pub fn inclusion_proof(&self, index: u32, leaf: BatchLeaf) -> Option<InclusionProof> {
		Some(InclusionProof {
			root: self.root().0,
			leaves: self.leaves(),
			index,
			siblings: self.proof(index)?.into_iter().map(|h| h.0).collect(),
			leaf,
		})
	}
}

/// What a record's holder keeps beside its document: its leaf and the path to the batch's root.
#[derive(Encode, Decode, Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
pub struct InclusionProof {
	/// The batch's root, as anchored on chain.
	#[serde(with = "hex32")]
	pub root: [u8; 32],
	/// How many leaves the batch has (the chain says so too; the verifier compares).
	pub leaves: u32,
	/// The leaf's position in the batch.
	pub index: u32,
	/// The siblings from the leaf up to the root.
	#[serde(with = "hex32_list")]
	pub siblings: Vec<[u8; 32]>,
	/// The record version.
	pub leaf: BatchLeaf,
}

impl InclusionProof {
	/// Checks that the leaf is at `index` of a tree of `leaves` leaves whose root is `root`
	/// (with `binary-merkle-tree`'s verifier). Reading the root from the chain is the caller's.
	pub fn verify(&self) -> Result<(), BatchError> {
		if self.index >= self.leaves {
			return Err(BatchError::IndexOutOfRange { index: self.index, leaves: self.leaves });
		}
		let root = H256(self.root);
		let leaf = self.leaf.hash();
		let verified = binary_merkle_tree::verify_proof::<BlakeTwo256, _, _>(
			&root,
			self.siblings.iter().copied().map(H256),
			self.leaves,
			self.index,
			binary_merkle_tree::Leaf::Hash(leaf),
		);
		if verified {
			Ok(())
		} else {
			Err(BatchError::ProofMismatch)
		}
	}

	/// Checks that `ciphertext` (the stored envelope) is the document the leaf anchors: its
	/// hash and its content address.
	pub fn check_document(&self, ciphertext: &[u8]) -> Result<(), BatchError> {
		let found = commitment(ciphertext);
		if found != self.leaf.ciphertext_hash {
			return Err(BatchError::DocumentMismatch {
				expected: hex::encode(self.leaf.ciphertext_hash),
				found: hex::encode(found),
			});
		}
		match parse_cid(&self.leaf.cid) {
			Ok(cid) if cid == cid_of(ciphertext) => Ok(()),
			_ => Err(BatchError::CidMismatch),
		}
	}
}

/// A batch anchored on chain.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct AnchoredBatch {
	/// Its id.
	pub batch: u64,
	/// Its root.
	#[serde(with = "hex32")]
	pub root: [u8; 32],
	/// How many record versions it anchors.
	pub leaves: u32,
	/// The block that included it.
	pub block: u64,
}

/// `author` (an active practitioner) anchors the batch `tree` is built over: its root and its
/// size, nothing else.
pub async fn anchor(
	chain: &Chain,
	author: &Identity,
	tree: &BatchTree,
) -> Result<AnchoredBatch, Error> {
	let call = runtime::transactions().medical_records().anchor_batch(tree.root().0, tree.leaves());
	let included = chain.submit("anchoring the batch", &call, &author.signer).await?;
	let event = included.event::<runtime::medical_records::events::BatchAnchored>()?;
	Ok(AnchoredBatch {
		batch: event.batch,
		root: event.root,
		leaves: event.leaves,
		block: included.block_number,
	})
}

/// Writes the inclusion proof of every leaf of `tree` (built over `leaves`), one JSON object
/// per line in leaf order, to the new file `path`, flushed to disk before it returns.
pub fn write_proofs(
	tree: &BatchTree,
	leaves: &[BatchLeaf],
	path: &std::path::Path,
) -> Result<(), Error> {
	use std::io::Write;
	let failed = |e: std::io::Error| Error::Io(path.to_path_buf(), e);
	let file =
		std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(failed)?;
	let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
	for (index, leaf) in (0u32..).zip(leaves) {
		let proof = tree
			.inclusion_proof(index, leaf.clone())
			.ok_or(BatchError::IndexOutOfRange { index, leaves: tree.leaves() })?;
		serde_json::to_writer(&mut out, &proof).map_err(|e| failed(e.into()))?;
		out.write_all(b"\n").map_err(failed)?;
	}
	out.into_inner().map_err(|e| failed(e.into_error()))?.sync_all().map_err(failed)
}

/// Reads the proof on line `index` (from 0) of a proofs file [`write_proofs`] wrote, or the
/// one proof a file holds (`index` `None`).
pub fn read_proof(path: &std::path::Path, index: Option<u32>) -> Result<InclusionProof, Error> {
	use std::io::BufRead;
	let failed = |e: std::io::Error| Error::Io(path.to_path_buf(), e);
	let text = match index {
		None => std::fs::read_to_string(path).map_err(failed)?,
		Some(index) => {
			let file = std::fs::File::open(path).map_err(failed)?;
			std::io::BufReader::new(file)
				.lines()
				.nth(index as usize)
				.ok_or_else(|| {
					Error::Mismatch(format!("{} holds no proof at line {index}", path.display()))
				})?
				.map_err(failed)?
		},
	};
	serde_json::from_str(text.trim())
		.map_err(|e| Error::Mismatch(format!("{} is not an inclusion proof: {e}", path.display())))
}

/// What the chain says of a record version a batch anchors.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct VerifiedLeaf {
	/// The batch.
	pub batch: u64,
	/// The organisation holding it.
	pub custodian: u32,
	/// Who anchored it.
	pub author: AccountId,
	/// The block it was anchored in.
	pub anchored_at: u32,
	/// The patient the record version is about.
	pub patient: AccountId,
}

/// Verifies a record version of a batch: the proof leads from its leaf to `proof.root`; the
/// document, if given, is the one the leaf anchors; the chain holds a batch with that root
/// and size (read with storage proofs from a finalized block the client verified, the only
/// thing asked of the node but for consent); and consent let the batch's author write that
/// class of data about the patient when the batch was anchored (as single anchors require).
pub async fn verify(
	chain: &Chain,
	proof: &InclusionProof,
	ciphertext: Option<&[u8]>,
) -> Result<VerifiedLeaf, Error> {
	proof.verify()?;
	if let Some(ciphertext) = ciphertext {
		proof.check_document(ciphertext)?;
	}
	let storage = runtime::storage().medical_records();
	let batch = chain
		.proven_storage("finding the batch by its root", storage.batch_by_root(), (proof.root,))
		.await?
		.ok_or_else(|| BatchError::NotAnchored(hex::encode(proof.root)))?;
	let anchor = chain
		.proven_storage("reading the batch", storage.batches(), (batch,))
		.await?
		.ok_or_else(|| BatchError::NotAnchored(hex::encode(proof.root)))?;
	if anchor.leaves != proof.leaves {
		return Err(BatchError::LeafCountMismatch {
			batch,
			on_chain: anchor.leaves,
			proof: proof.leaves,
		}
		.into());
	}
	let patient = AccountId::from(proof.leaf.patient);
	let decision = crate::consent::evaluate(
		chain,
		&patient,
		&anchor.author,
		ConsentAction::Write,
		PurposeOfUse::Treatment,
		AccessTarget::Class(ClassTag(proof.leaf.class)),
		Some(u64::from(anchor.anchored_at)),
	)
	.await?;
	if !decision.permitted {
		return Err(BatchError::Unconsented { batch, block: anchor.anchored_at }.into());
	}
	Ok(VerifiedLeaf {
		batch,
		custodian: anchor.custodian,
		author: anchor.author,
		anchored_at: anchor.anchored_at,
		patient,
	})
}

/// 32-byte values as hex strings in JSON.
pub(crate) mod hex32 {
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&hex::encode(bytes))
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
		let text = String::deserialize(d)?;
		let mut out = [0u8; 32];
		hex::decode_to_slice(text.trim_start_matches("0x"), &mut out)
			.map_err(|e| D::Error::custom(format!("expected 32 bytes in hex: {e}")))?;
		Ok(out)
	}
}

/// Lists of 32-byte values as hex strings in JSON.
mod hex32_list {
	use serde::{ser::SerializeSeq, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(list: &[[u8; 32]], s: S) -> Result<S::Ok, S::Error> {
		let mut seq = s.serialize_seq(Some(list.len()))?;
		for item in list {
			seq.serialize_element(&hex::encode(item))?;
		}
		seq.end()
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<[u8; 32]>, D::Error> {
		#[derive(Deserialize)]
		struct Item(#[serde(with = "super::hex32")] [u8; 32]);
		Ok(Vec::<Item>::deserialize(d)?.into_iter().map(|Item(bytes)| bytes).collect())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn leaf(n: u32) -> BatchLeaf {
		let ciphertext = n.to_le_bytes();
		BatchLeaf {
			patient: [(n % 7) as u8; 32],
			class: [(n % 5) as u8 + 1; 32],
			ciphertext_hash: commitment(&ciphertext),
			plaintext_commitment: [(n % 251) as u8 + 1; 32],
			cid: cid_of(&ciphertext).to_string(),
		}
	}

	#[test]
	fn every_proof_is_the_crates_own_for_every_index_of_many_sizes() {
		for size in (1u32..=70).chain([127, 128, 129, 1000]) {
			let leaves: Vec<BatchLeaf> = (0..size).map(leaf).collect();
			let encoded: Vec<Vec<u8>> = leaves.iter().map(BatchLeaf::leaf_bytes).collect();
			let tree = BatchTree::from_leaves(&leaves).unwrap();
			assert_eq!(tree.leaves(), size);
			assert_eq!(
				tree.root(),
				binary_merkle_tree::merkle_root::<BlakeTwo256, _>(&encoded),
				"root of {size}"
			);
			// Every index of the small trees; a spread of them in the large.
			let step = if size > 130 { 37 } else { 1 };
			for index in (0..size).step_by(step) {
				let crate_proof =
					binary_merkle_tree::merkle_proof::<BlakeTwo256, _, _>(&encoded, index);
				assert_eq!(tree.proof(index).unwrap(), crate_proof.proof, "{index} of {size}");
				let proof = tree.inclusion_proof(index, leaves[index as usize].clone()).unwrap();
				assert_eq!(proof.verify(), Ok(()), "{index} of {size}");
			}
			assert_eq!(tree.proof(size), None);
		}
	}

	#[test]
	fn an_empty_batch_has_no_tree() {
		assert_eq!(BatchTree::from_leaves(&[]).unwrap_err(), BatchError::Empty);
	}

	#[test]
	fn a_proof_survives_json_and_scale() {
		let leaves: Vec<BatchLeaf> = (0..9).map(leaf).collect();
		let tree = BatchTree::from_leaves(&leaves).unwrap();
		let proof = tree.inclusion_proof(4, leaves[4].clone()).unwrap();
		let json = serde_json::to_string(&proof).unwrap();
		assert_eq!(serde_json::from_str::<InclusionProof>(&json).unwrap(), proof);
		assert_eq!(InclusionProof::decode(&mut &proof.encode()[..]).unwrap(), proof);
	}

	#[test]
	fn a_tampered_leaf_proof_or_document_is_refused() {
		let leaves: Vec<BatchLeaf> = (0..33).map(leaf).collect();
		let tree = BatchTree::from_leaves(&leaves).unwrap();
		let good = tree.inclusion_proof(17, leaves[17].clone()).unwrap();
		assert_eq!(good.verify(), Ok(()));
		assert_eq!(good.check_document(&17u32.to_le_bytes()), Ok(()));

		// Each anchored field of the leaf: another patient, class, hash, commitment or CID.
		let mut other = good.clone();
		other.leaf.patient[0] ^= 1;
		assert_eq!(other.verify(), Err(BatchError::ProofMismatch));
		let mut other = good.clone();
		other.leaf.class[31] ^= 1;
		assert_eq!(other.verify(), Err(BatchError::ProofMismatch));
		let mut other = good.clone();
		other.leaf.ciphertext_hash = leaves[3].ciphertext_hash;
		assert_eq!(other.verify(), Err(BatchError::ProofMismatch));
		let mut other = good.clone();
		other.leaf.plaintext_commitment[5] ^= 1;
		assert_eq!(other.verify(), Err(BatchError::ProofMismatch));
		let mut other = good.clone();
		other.leaf.cid.push('a');
		assert_eq!(other.verify(), Err(BatchError::ProofMismatch));

		// The proof: a sibling, the index, the root, a sibling dropped. (The path of a leaf
		// in the middle does not depend on the count, so `verify` compares the proof's count
		// with the batch's on chain.)
		let mut other = good.clone();
		other.siblings[2][0] ^= 1;
		assert_eq!(other.verify(), Err(BatchError::ProofMismatch));
		let mut other = good.clone();
		other.index = 16;
		assert_eq!(other.verify(), Err(BatchError::ProofMismatch));
		let mut other = good.clone();
		other.root[0] ^= 1;
		assert_eq!(other.verify(), Err(BatchError::ProofMismatch));
		let mut other = good.clone();
		other.siblings.pop();
		assert_eq!(other.verify(), Err(BatchError::ProofMismatch));
		let mut other = good.clone();
		other.index = 33;
		assert_eq!(other.verify(), Err(BatchError::IndexOutOfRange { index: 33, leaves: 33 }));

		// Another leaf's proof for this leaf.
		let mut other = tree.inclusion_proof(18, leaves[18].clone()).unwrap();
		other.leaf = leaves[17].clone();
		assert_eq!(other.verify(), Err(BatchError::ProofMismatch));

		// The document: altered, or another one.
		let mut altered = 17u32.to_le_bytes().to_vec();
		altered[0] ^= 1;
		assert!(matches!(good.check_document(&altered), Err(BatchError::DocumentMismatch { .. })));
		assert!(matches!(
			good.check_document(&18u32.to_le_bytes()),
			Err(BatchError::DocumentMismatch { .. })
		));
		// The right document under a wrong CID in an otherwise consistent leaf.
		let mut wrong_cid = good.clone();
		wrong_cid.leaf.cid = cid_of(b"elsewhere").to_string();
		assert_eq!(wrong_cid.check_document(&17u32.to_le_bytes()), Err(BatchError::CidMismatch));
	}
}
