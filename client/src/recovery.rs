//! Accounts that survive a lost key: social recovery (`pallet-recovery`).
//!
//! 1. While the patient still holds their key, [`kit`] makes a **recovery kit**: a fresh key (the
//!    account the patient's friends will recover to) together with copies of the patient's
//!    encryption and class keys, to be kept offline (paper, a USB key in a drawer). With
//!    [`set_guardians`] the patient names the friends or guardians who may recover them, how
//!    many must agree and how long an attempt must wait; the kit's account is the inheritor.
//! 2. The device is lost. A friend opens an attempt ([`initiate`], holding a security deposit),
//!    the others approve it ([`approve`]), and after the delay anyone finishes it ([`finish`]).
//!    While the attempt runs, the patient, if they still hold their key, cancels or slashes it
//!    ([`cancel`], [`slash`]): a hostile attempt costs its initiator the deposit.
//! 3. The patient imports the kit on a new device (`medchain keys import-kit`). The identity
//!    acts for the patient's account: every call goes through
//!    `recovery.control_inherited_account`, free on the patient's allowance, and the lost key
//!    can sign nothing more (the chain refuses it with `FreeCalls::RecoveredAccount`).
//! 4. [`rewrap`] gives the patient a new encryption key: every data key of the patient's
//!    records the kit can open is wrapped again for the new key, then the new key replaces the
//!    old one on chain. A record whose key the kit cannot open (the patient rotated their key
//!    after making the kit) is listed; its custodian can deliver its key again.
//!
//! Recovery keeps the patient's account: records, consent, receipts and trial enrolments stay
//! where they are. What it cannot undo is a copy of the old encryption key in someone else's
//! hands: the records' data keys change at their next amendment (the chain asks for it after a
//! key is removed), not at recovery.

use std::collections::BTreeSet;

use subxt::utils::MultiAddress;

use crate::{
	chain::{runtime, types, AccountId, Chain, ChainError},
	identity::{Identity, KeyRing},
	records::{self, OwnKey},
	Error,
};
use types::{bounded_collections::bounded_vec::BoundedVec, pallet_recovery::FriendGroup};

/// Blocks per day at the chain's six-second blocks.
pub const BLOCKS_PER_DAY: u32 = 14_400;
/// How long an attempt waits by default before it can be finished: three days, time for a
/// patient who still holds their key to notice a hostile attempt and slash it.
pub const DEFAULT_DELAY_DAYS: u32 = 3;
/// How long after its last approval an attempt's initiator must wait before cancelling it (the
/// patient may cancel or slash at any time): one day.
pub const CANCEL_DELAY_BLOCKS: u32 = BLOCKS_PER_DAY;
/// The most friends in a group (the runtime's `MaxFriendsPerConfig`).
pub const MAX_FRIENDS: usize = 9;
/// The group the client sets: a patient has one group of friends.
pub const GROUP: u32 = 0;
/// The most calls in one free batch (the runtime's `MAX_FREE_BATCH`).
const FREE_BATCH: usize = 8;

/// Who may recover a patient, and on what terms.
#[derive(Debug, Clone)]
pub struct Guardians {
	/// The friends or guardians (any order; the chain keeps them sorted).
	pub friends: Vec<AccountId>,
	/// How many of them must approve an attempt (including its initiator).
	pub needed: u32,
	/// Blocks an attempt waits, from its opening, before it can be finished.
	pub delay_blocks: u32,
}

impl Guardians {
	/// The friends sorted and checked: one to [`MAX_FRIENDS`], no duplicates, not the patient
	/// themself; `needed` between one and their number.
	fn checked(&self, patient: &AccountId) -> Result<Vec<AccountId>, Error> {
		let unique: BTreeSet<[u8; 32]> = self.friends.iter().map(|f| f.0).collect();
		let bad = |why: String| Err(Error::Mismatch(why));
		if self.friends.is_empty() || self.friends.len() > MAX_FRIENDS {
			return bad(format!(
				"name between 1 and {MAX_FRIENDS} friends (got {})",
				self.friends.len()
			));
		}
		if unique.len() != self.friends.len() {
			return bad("a friend is named twice".into());
		}
		if unique.contains(&patient.0) {
			return bad("you cannot be your own friend: name other accounts".into());
		}
		if self.needed == 0 || self.needed as usize > self.friends.len() {
			return bad(format!(
				"the number of friends needed must be between 1 and {} (got {})",
				self.friends.len(),
				self.needed
			));
		}
		Ok(unique.into_iter().map(AccountId).collect())
	}
}

/// A recovery kit of `patient`, named `name`: a fresh key (a new 24-word phrase) carrying the
/// patient's encryption keys and class key, acting for the patient's account once recovered.
pub fn kit(patient: &Identity, name: &str) -> Result<Identity, Error> {
	let mut kit = Identity::generate(name)?;
	kit.encryption = patient.encryption.clone();
	kit.previous_encryption = patient.previous_encryption.clone();
	kit.class_key = patient.class_key.clone();
	kit.controls = Some(patient.account());
	Ok(kit)
}

/// The patient names their guardians; `inheritor` (their kit's own account) takes over once
/// recovered. Replaces any guardians set before; refused while an attempt is open
/// (`Recovery::HasOngoingAttempts`). Free for a registered patient. Returns the block.
pub async fn set_guardians(
	chain: &Chain,
	patient: &Identity,
	guardians: &Guardians,
	inheritor: &AccountId,
) -> Result<u64, Error> {
	let friends = guardians.checked(&patient.account())?;
	let group = FriendGroup {
		friends: BoundedVec(friends),
		friends_needed: guardians.needed,
		inheritor: *inheritor,
		inheritance_delay: guardians.delay_blocks,
		inheritance_priority: 0,
		cancel_delay: CANCEL_DELAY_BLOCKS,
	};
	let call = runtime::transactions().recovery().set_friend_groups(vec![group]);
	let included = chain.submit("setting your guardians", &call, &patient.signer).await?;
	Ok(included.block_number)
}

/// A patient's guardians as the chain holds them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupView {
	/// The friends (SS58).
	pub friends: Vec<String>,
	/// Approvals needed.
	pub needed: u32,
	/// The account that takes over (the kit's).
	pub inheritor: String,
	/// Blocks an attempt waits before it can be finished.
	pub delay_blocks: u32,
}

/// An open recovery attempt.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AttemptView {
	/// The friend group it is for.
	pub group: u32,
	/// The friend who opened it.
	pub initiator: String,
	/// Approvals so far (the initiator's included).
	pub approvals: u32,
	/// Approvals needed.
	pub needed: u32,
	/// The block from which it may be finished.
	pub finishable_at: u32,
}

/// Where a patient's recovery stands.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RecoveryStatus {
	/// The account asked about.
	pub account: String,
	/// Its guardians (none set: empty).
	pub groups: Vec<GroupView>,
	/// Open attempts.
	pub attempts: Vec<AttemptView>,
	/// The account it was recovered to, if it was.
	pub recovered_to: Option<String>,
	/// The current block.
	pub block: u32,
}

impl std::fmt::Display for RecoveryStatus {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{} at block #{}", self.account, self.block)?;
		if self.groups.is_empty() {
			write!(f, "\nno guardians")?;
		}
		for group in &self.groups {
			write!(
				f,
				"\nguardians: {} of {} ({}), recovered to {} after {} blocks",
				group.needed,
				group.friends.len(),
				group.friends.join(", "),
				group.inheritor,
				group.delay_blocks
			)?;
		}
		for attempt in &self.attempts {
			write!(
				f,
				"\nopen recovery by {}: {} of {} approvals, finishable from block #{}",
				attempt.initiator, attempt.approvals, attempt.needed, attempt.finishable_at
			)?;
		}
		if let Some(to) = &self.recovered_to {
			write!(f, "\nrecovered to {to}")?;
		}
		Ok(())
	}
}

fn group_view(group: &FriendGroup<u32, AccountId, BoundedVec<AccountId>>) -> GroupView {
	GroupView {
		friends: group.friends.0.iter().map(|f| f.to_string()).collect(),
		needed: group.friends_needed,
		inheritor: group.inheritor.to_string(),
		delay_blocks: group.inheritance_delay,
	}
}

/// Where `account`'s recovery stands (the recovery pallet's storage, at the finalized block).
pub async fn status(chain: &Chain, account: &AccountId) -> Result<RecoveryStatus, Error> {
	let what = "reading the recovery";
	let recovery = runtime::storage().recovery();
	let groups = chain.storage(what, recovery.friend_groups(), (*account,)).await?;
	let groups = groups.map(|(groups, _ticket)| groups.0).unwrap_or_default();
	let mut attempts = Vec::new();
	for (index, group) in groups.iter().enumerate() {
		let index = index as u32;
		if let Some((attempt, _, _)) =
			chain.storage(what, recovery.attempt(), (*account, index)).await?
		{
			attempts.push(AttemptView {
				group: index,
				initiator: attempt.initiator.to_string(),
				approvals: attempt.approvals.0 .0.iter().map(|word| word.count_ones()).sum(),
				needed: group.friends_needed,
				finishable_at: attempt.init_block.saturating_add(group.inheritance_delay),
			});
		}
	}
	let inheritor = chain.storage(what, recovery.inheritor(), (*account,)).await?;
	let block = chain.storage(what, runtime::storage().system().number(), ()).await?;
	Ok(RecoveryStatus {
		account: account.to_string(),
		groups: groups.iter().map(group_view).collect(),
		attempts,
		recovered_to: inheritor.map(|(_, to, _)| to.to_string()),
		block: block.unwrap_or_default(),
	})
}

/// A friend opens an attempt to recover `lost` (their approval counts), holding the security
/// deposit until it ends. Returns the block.
pub async fn initiate(chain: &Chain, friend: &Identity, lost: &AccountId) -> Result<u64, Error> {
	let call = runtime::transactions().recovery().initiate_attempt(MultiAddress::Id(*lost), GROUP);
	Ok(chain.submit("opening the recovery", &call, &friend.signer).await?.block_number)
}

/// Another friend approves the attempt to recover `lost`. Returns the block.
pub async fn approve(chain: &Chain, friend: &Identity, lost: &AccountId) -> Result<u64, Error> {
	let call = runtime::transactions().recovery().approve_attempt(MultiAddress::Id(*lost), GROUP);
	Ok(chain.submit("approving the recovery", &call, &friend.signer).await?.block_number)
}

/// Anyone finishes an approved attempt once its delay has passed: `lost` is recovered to its
/// kit's account. A kit account that does not exist yet (it never held anything) gets the
/// existential deposit from `caller` in the same transaction, so that it can sign; all it does
/// for the patient afterwards is free. Returns the block.
pub async fn finish(chain: &Chain, caller: &Identity, lost: &AccountId) -> Result<u64, Error> {
	let status = status(chain, lost).await?;
	let inheritor = status
		.groups
		.get(GROUP as usize)
		.ok_or_else(|| Error::Mismatch(format!("{lost} has no guardians: nothing to finish")))?
		.inheritor
		.clone();
	let inheritor: AccountId = inheritor
		.parse()
		.map_err(|_| Error::Mismatch(format!("the chain named `{inheritor}` as inheritor")))?;
	let account = chain
		.storage(
			"reading the recovery account",
			runtime::storage().system().account(),
			(inheritor,),
		)
		.await?;
	let exists = account.is_some_and(|a| a.providers > 0 || a.sufficients > 0);
	use types::medchain_runtime::RuntimeCall;
	let finish = RuntimeCall::Recovery(types::pallet_recovery::pallet::Call::finish_attempt {
		lost: MultiAddress::Id(*lost),
		friend_group_index: GROUP,
	});
	let mut calls = vec![finish];
	if !exists {
		let deposit = chain
			.at_finalized()
			.await?
			.constants()
			.entry(runtime::constants().balances().existential_deposit())
			.map_err(|e| ChainError::Failed {
				what: "reading the existential deposit".into(),
				reason: e.to_string(),
			})?;
		calls.push(RuntimeCall::Balances(
			types::pallet_balances::pallet::Call::transfer_keep_alive {
				dest: MultiAddress::Id(inheritor),
				value: deposit,
			},
		));
	}
	let batch = runtime::transactions().utility().batch_all(calls);
	Ok(chain.submit("finishing the recovery", &batch, &caller.signer).await?.block_number)
}

/// The patient (with their key) or, after the cancel delay, the attempt's initiator cancels the
/// attempt to recover `lost`; the deposit goes back. Returns the block.
pub async fn cancel(chain: &Chain, who: &Identity, lost: &AccountId) -> Result<u64, Error> {
	let call = runtime::transactions().recovery().cancel_attempt(MultiAddress::Id(*lost), GROUP);
	Ok(chain.submit("cancelling the recovery", &call, &who.signer).await?.block_number)
}

/// The patient, still holding their key, ends a hostile attempt to recover their account: its
/// initiator loses the deposit. Returns the block.
pub async fn slash(chain: &Chain, patient: &Identity) -> Result<u64, Error> {
	let call = runtime::transactions().recovery().slash_attempt(GROUP);
	Ok(chain.submit("slashing the recovery attempt", &call, &patient.signer).await?.block_number)
}

/// What [`rewrap`] did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Rewrapped {
	/// Records whose data key was wrapped again for the new key.
	pub rewrapped: Vec<u64>,
	/// Records whose key already opened with the new key.
	pub current: Vec<u64>,
	/// Records whose key none of the identity's keys opens (ask the custodian to deliver it).
	pub unreachable: Vec<u64>,
	/// The new encryption public key (hex), now on chain.
	pub encryption_key: String,
}

impl std::fmt::Display for Rewrapped {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(
			f,
			"new encryption key {}: {} record keys re-wrapped, {} already current, {} unreachable",
			self.encryption_key,
			self.rewrapped.len(),
			self.current.len(),
			self.unreachable.len()
		)?;
		if !self.unreachable.is_empty() {
			write!(
				f,
				" (records {:?}: ask their custodian to deliver the key again)",
				self.unreachable
			)?;
		}
		Ok(())
	}
}

/// Gives `patient` (a recovered patient's kit, or any patient) a new encryption key and wraps
/// every data key of their records it can open again for it, then registers the new key on
/// chain. Crash-safe and resumable: the new key is saved in `ring` (with the old ones kept as
/// previous keys) before anything is sent, and a run that stopped before registering it is
/// continued by the next (a record already wrapped for the new key is left alone).
pub async fn rewrap(
	chain: &Chain,
	ring: &KeyRing,
	patient: &mut Identity,
) -> Result<Rewrapped, Error> {
	let account = patient.account();
	let on_chain = records::encryption_key_of(chain, &account).await?;
	if on_chain == patient.encryption.public_key() {
		// A new key, saved (the old one kept as a previous key) before anything is sent.
		let fresh = crate::crypto::EncryptionKeyPair::generate()?;
		let old = std::mem::replace(&mut patient.encryption, fresh);
		patient.previous_encryption.insert(0, old);
		ring.replace(patient)?;
	} else if !patient.previous_encryption.iter().any(|pair| pair.public_key() == on_chain) {
		return Err(Error::Mismatch(format!(
			"the encryption key on chain for {account} is none of this identity's keys: it was \
			 changed from another device; re-wrap there"
		)));
	}
	// Otherwise a run stopped after saving its new key: it continues with that key.
	let mut done = Rewrapped {
		encryption_key: hex::encode(patient.encryption.public_key()),
		..Default::default()
	};
	let mut pending = Vec::new();
	for record in records::list(chain, &account).await? {
		if record.erased {
			continue;
		}
		match records::own_key(chain, patient, record.id).await? {
			OwnKey::Current => done.current.push(record.id),
			OwnKey::Unreachable => done.unreachable.push(record.id),
			OwnKey::Rewrapped(wrapped) => pending.push((record.id, wrapped)),
		}
	}
	use types::medchain_runtime::RuntimeCall;
	for chunk in pending.chunks(FREE_BATCH) {
		let calls = chunk
			.iter()
			.map(|(record, wrapped)| {
				RuntimeCall::MedicalRecords(
					types::pallet_medical_records::pallet::Call::add_wrapped_key {
						record: *record,
						grantee: MultiAddress::Id(account),
						wrapped_key: BoundedVec(wrapped.to_vec()),
						purpose: medchain_primitives::PurposeOfUse::Treatment,
					},
				)
			})
			.collect();
		let batch = runtime::transactions().utility().batch_all(calls);
		chain.submit("re-wrapping your data keys", &batch, &patient.signer).await?;
		done.rewrapped.extend(chunk.iter().map(|(record, _)| *record));
	}
	if on_chain != patient.encryption.public_key() {
		let call = runtime::transactions()
			.directory()
			.rotate_encryption_key(patient.encryption.public_key());
		chain.submit("registering your new encryption key", &call, &patient.signer).await?;
	}
	Ok(done)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn account(byte: u8) -> AccountId {
		AccountId([byte; 32])
	}

	#[test]
	fn guardians_are_sorted_and_checked() {
		let patient = account(9);
		let ok = Guardians {
			friends: vec![account(3), account(1), account(2)],
			needed: 2,
			delay_blocks: 10,
		};
		assert_eq!(ok.checked(&patient).unwrap(), vec![account(1), account(2), account(3)]);
		let refuse = |g: Guardians, words: &str| {
			let err = g.checked(&patient).unwrap_err().to_string();
			assert!(err.contains(words), "`{err}` should say `{words}`");
		};
		refuse(Guardians { friends: vec![], ..ok.clone() }, "between 1 and 9 friends");
		refuse(
			Guardians { friends: (0..10).map(account).collect(), ..ok.clone() },
			"between 1 and 9 friends",
		);
		refuse(Guardians { friends: vec![account(1), account(1)], ..ok.clone() }, "named twice");
		refuse(
			Guardians { friends: vec![account(1), patient], needed: 1, ..ok.clone() },
			"your own friend",
		);
		refuse(Guardians { needed: 0, ..ok.clone() }, "between 1 and 3");
		refuse(Guardians { needed: 4, ..ok.clone() }, "between 1 and 3");
	}

	#[test]
	fn a_kit_carries_the_patients_keys_and_acts_for_the_patient() {
		let patient = Identity::from_secret_uri("alice", "//Alice").unwrap();
		let kit = kit(&patient, "alice-recovery").unwrap();
		assert_eq!(kit.account(), patient.account());
		assert_ne!(kit.signing_account(), patient.signing_account());
		assert_eq!(kit.controls, Some(patient.account()));
		assert_eq!(kit.encryption.public_key(), patient.encryption.public_key());
		assert_eq!(kit.class_key.as_bytes(), patient.class_key.as_bytes());
	}
}
