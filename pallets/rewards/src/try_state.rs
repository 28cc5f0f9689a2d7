//! The pallet's invariants over its storage (`try_state`): checked by the `try_state` hook
//! under try-runtime and after every unit test.

use super::*;
use frame_support::ensure;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Checks every invariant that spans the pallet's storage items; an `Err` names the first
	/// one broken. Run by the `try_state` hook and after every unit test.
	///
	/// Pools: ids below the next id; a period of at least one block; each rate within the
	/// cap; as many attestations and trial visits paid as rewards counted; nothing held once
	/// closed. What a patient or a trial participant received in a period: of an existing
	/// pool, something, and within its cap. Attestations and visits paid: by existing pools.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let next = NextPoolId::<T>::get();
		for (id, p) in Pools::<T>::iter() {
			ensure!(id < next, "a pool's id is not below the next id");
			ensure!(!p.period.is_zero(), "a pool's period is no blocks");
			ensure!(
				[p.rates.appointment, p.rates.survey, p.rates.visit].iter().all(|r| *r <= p.cap),
				"a pool's rate is above its cap"
			);
			let attested = Attested::<T>::iter_key_prefix(id).count();
			let visits = RewardedVisits::<T>::iter_values().filter(|pool| *pool == id).count();
			ensure!(
				attested.checked_add(visits).and_then(|n| u32::try_from(n).ok()) == Some(p.rewards),
				"a pool's rewards are not its attestations and visits paid"
			);
			ensure!(
				!p.closed || Self::pool_balance(id).is_zero(),
				"a closed pool still holds funds"
			);
		}
		let patients = EarnedIn::<T>::iter().map(|(pool, _, earned)| (pool, earned));
		let participants = ParticipantEarnedIn::<T>::iter().map(|(pool, _, earned)| (pool, earned));
		for (pool, earned) in patients.chain(participants) {
			let p = Pools::<T>::get(pool).ok_or("earnings from a pool that does not exist")?;
			ensure!(!earned.amount.is_zero(), "earnings are recorded as nothing");
			ensure!(earned.amount <= p.cap, "more than the cap received in a period");
		}
		for (pool, _) in Attested::<T>::iter_keys() {
			ensure!(Pools::<T>::contains_key(pool), "an attestation of a pool that does not exist");
		}
		for pool in RewardedVisits::<T>::iter_values() {
			ensure!(Pools::<T>::contains_key(pool), "a visit paid by a pool that does not exist");
		}
		Ok(())
	}
}
