//! The pallet's invariants over its storage (`try_state`): checked by the `try_state` hook
//! under try-runtime and after every unit test.

use super::*;
use frame_support::{ensure, traits::Get};

impl<T: Config> Pallet<T> {
	/// Checks every invariant that spans the pallet's storage items; an `Err` names the first
	/// one broken. Run by the `try_state` hook and after every unit test.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_coverages()?;
		Self::try_state_claims()?;
		Ok(())
	}

	/// Coverages: ids below the next id, each in its member's index and nothing else there; each
	/// one's open claims are the claims of it that are neither withdrawn nor closed.
	fn try_state_coverages() -> Result<(), sp_runtime::TryRuntimeError> {
		let next = NextCoverageId::<T>::get();
		let mut count: u64 = 0;
		for (id, c) in Coverages::<T>::iter() {
			ensure!(id < next, "a coverage's id is not below the next id");
			ensure!(
				MemberCoverages::<T>::contains_key(&c.member, id),
				"a coverage is missing from its member's index"
			);
			let open = CoverageClaims::<T>::iter_key_prefix(id)
				.filter_map(Claims::<T>::get)
				.filter(|claim| {
					!matches!(claim.status, ClaimStatus::Withdrawn | ClaimStatus::Closed { .. })
				})
				.count();
			ensure!(
				u32::try_from(open).ok() == Some(c.open_claims),
				"a coverage's open claims are not counted right"
			);
			count = count.saturating_add(1);
		}
		let indexed = MemberCoverages::<T>::iter_keys().count();
		ensure!(
			u64::try_from(indexed).ok() == Some(count),
			"the members' index holds coverages that do not exist"
		);
		Ok(())
	}

	/// Claims: ids below the next id, each in its coverage's index (and nothing else there),
	/// naming between one and `MaxRecordsPerClaim` records, of an existing coverage.
	fn try_state_claims() -> Result<(), sp_runtime::TryRuntimeError> {
		let next = NextClaimId::<T>::get();
		let mut count: u64 = 0;
		for (id, c) in Claims::<T>::iter() {
			ensure!(id < next, "a claim's id is not below the next id");
			ensure!(Coverages::<T>::contains_key(c.coverage), "a claim's coverage does not exist");
			ensure!(
				CoverageClaims::<T>::contains_key(c.coverage, id),
				"a claim is missing from its coverage's index"
			);
			ensure!(
				!c.records.is_empty() && c.records.len() <= T::MaxRecordsPerClaim::get() as usize,
				"a claim names no records"
			);
			count = count.saturating_add(1);
		}
		let indexed = CoverageClaims::<T>::iter_keys().count();
		ensure!(
			u64::try_from(indexed).ok() == Some(count),
			"the coverages' index holds claims that do not exist"
		);
		Ok(())
	}
}
