//! The pallet's invariants over its storage (`try_state`): checked by the `try_state` hook
//! under try-runtime and after every unit test.

use super::*;
use frame_support::ensure;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Checks every invariant that spans the pallet's storage items; an `Err` names the first
	/// one broken. Run by the `try_state` hook and after every unit test.
	///
	/// Pools: ids below the next id; a period of at least one block; each rate a patient can
	/// receive and within the cap; as many attestations paid as rewards counted; nothing held
	/// once closed. What a patient received in a period: of an existing pool, something, and
	/// within its cap. Attestations: of existing pools.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let next = NextPoolId::<T>::get();
		for (id, p) in Pools::<T>::iter() {
			ensure!(id < next, "a pool's id is not below the next id");
			ensure!(!p.period.is_zero(), "a pool's period is no blocks");
			ensure!(
				p.rates.appointment <= p.cap && p.rates.survey <= p.cap,
				"a pool's rate is above its cap"
			);
			let attested = Attested::<T>::iter_key_prefix(id).count();
			ensure!(
				u32::try_from(attested).ok() == Some(p.rewards),
				"a pool's rewards are not its attestations paid"
			);
			ensure!(
				!p.closed || Self::pool_balance(id).is_zero(),
				"a closed pool still holds funds"
			);
		}
		for (pool, _, earned) in EarnedIn::<T>::iter() {
			let p =
				Pools::<T>::get(pool).ok_or("a patient earned from a pool that does not exist")?;
			ensure!(!earned.amount.is_zero(), "a patient's earnings are recorded as nothing");
			ensure!(earned.amount <= p.cap, "a patient received more than the cap in a period");
		}
		for (pool, _) in Attested::<T>::iter_keys() {
			ensure!(Pools::<T>::contains_key(pool), "an attestation of a pool that does not exist");
		}
		Ok(())
	}
}
