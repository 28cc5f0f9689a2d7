//! How fast a custodian anchors record versions in bulk: leaves hashed, the Merkle tree built,
//! every inclusion proof written to disk (one JSON line per version, flushed), then one proof,
//! picked at random, read back and verified, and a tampered copy of it refused.
//!
//! ```text
//! cargo run --release -p medchain-client --example batch_throughput -- [leaves] [rounds]
//! ```
//!
//! Prints one line per round and the median as JSON. Anchoring the root on chain is one
//! `anchor_batch` call whatever the size (its weight is in the runtime; the load generator,
//! `scripts/load-test.sh`, measures its inclusion and finality).

use std::time::Instant;

use medchain_client::batch::{self, BatchLeaf, BatchTree};

fn leaf(n: u64) -> BatchLeaf {
	let seed = n.to_le_bytes();
	let mut bytes = [[0u8; 32]; 4];
	for (i, out) in bytes.iter_mut().enumerate() {
		*out = medchain_client::crypto::domain_hash(b"bench", &[&seed[..], &[i as u8]].concat());
	}
	BatchLeaf {
		patient: bytes[0],
		class: bytes[1],
		ciphertext_hash: bytes[2],
		plaintext_commitment: bytes[3],
		cid: medchain_client::store::cid_of(&seed).to_string(),
	}
}

fn main() {
	let mut args = std::env::args().skip(1);
	let count: u64 = args.next().map_or(200_000, |a| a.parse().expect("leaves: a number"));
	let rounds: usize = args.next().map_or(3, |a| a.parse().expect("rounds: a number"));
	let dir = tempfile::tempdir().expect("a temporary directory");
	let leaves: Vec<BatchLeaf> = (0..count).map(leaf).collect();
	let mut rates = Vec::new();
	for round in 0..rounds {
		let path = dir.path().join(format!("proofs-{round}.jsonl"));
		let start = Instant::now();
		let tree = BatchTree::from_leaves(&leaves).expect("a tree");
		let built = start.elapsed();
		batch::write_proofs(&tree, &leaves, &path).expect("proofs written");
		let total = start.elapsed();
		let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);

		// One proof at random, from disk, verified; the same proof with its leaf altered refused.
		let index = (u64::from(getrandom::u32().expect("randomness")) % count) as u32;
		let proof = batch::read_proof(&path, Some(index)).expect("the proof read back");
		assert_eq!(proof.leaf, leaves[index as usize]);
		proof.verify().expect("the proof verifies");
		let mut tampered = proof.clone();
		tampered.leaf.ciphertext_hash[0] ^= 1;
		assert!(tampered.verify().is_err(), "a tampered leaf must be refused");
		let mut tampered = proof.clone();
		if let Some(first) = tampered.siblings.first_mut() {
			first[0] ^= 1;
			assert!(tampered.verify().is_err(), "a tampered proof must be refused");
		}

		let rate = count as f64 / total.as_secs_f64();
		rates.push(rate);
		println!(
			"round {round}: {count} leaves, tree {:.3} s, tree + proofs {:.3} s ({:.0} MB), \
			 {rate:.0} commitments/s; proof {index} verified, tampered copies refused",
			built.as_secs_f64(),
			total.as_secs_f64(),
			bytes as f64 / 1e6
		);
		std::fs::remove_file(&path).ok();
	}
	rates.sort_by(f64::total_cmp);
	let median = rates[rates.len() / 2];
	println!(
		"{}",
		serde_json::json!({"leaves": count, "rounds": rounds, "median_commitments_per_s": median.round()})
	);
}
