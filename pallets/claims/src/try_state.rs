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
		Self::try_state_escrow()?;
		Self::try_state_parties()?;
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

	/// Escrow and settlements: each payer's liabilities are its claims it may still have to pay
	/// ([`Claim::is_liability`]), and its escrow holds [`Config::EscrowPerClaim`] for each;
	/// each paid claim names an existing settlement of its payer and provider, below the next
	/// id, and each settlement paid exactly as many claims as name it.
	fn try_state_escrow() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		let next = NextSettlementId::<T>::get();
		let mut owed: BTreeMap<OrganisationId, u32> = BTreeMap::new();
		let mut paid: BTreeMap<SettlementId, u32> = BTreeMap::new();
		for (_, c) in Claims::<T>::iter() {
			let coverage = Coverages::<T>::get(c.coverage).ok_or("a claim's coverage is gone")?;
			if c.is_liability() {
				let n = owed.entry(coverage.payer).or_default();
				*n = n.saturating_add(1);
			}
			if let Some(id) = c.settlement {
				ensure!(id < next, "a claim's settlement id is not below the next id");
				let settlement = Settlements::<T>::get(id).ok_or("a claim's settlement is gone")?;
				ensure!(
					settlement.payer == coverage.payer && settlement.provider == c.provider,
					"a settlement paid another payer's or provider's claim"
				);
				ensure!(
					matches!(
						c.status,
						ClaimStatus::Closed {
							decision: Decision::Approved | Decision::Partial,
							..
						}
					),
					"a settlement paid a claim that is not payable"
				);
				let n = paid.entry(id).or_default();
				*n = n.saturating_add(1);
			}
		}
		for (payer, liabilities) in Liabilities::<T>::iter() {
			ensure!(
				owed.remove(&payer).unwrap_or(0) == liabilities,
				"a payer's liabilities are not counted right"
			);
			ensure!(
				Self::escrow_balance(payer) >= Self::escrow_floor(liabilities),
				"a payer's escrow does not cover the claims it may have to pay"
			);
		}
		ensure!(owed.is_empty(), "a payer's liabilities are not counted right");
		for (id, settlement) in Settlements::<T>::iter() {
			ensure!(id < next, "a settlement's id is not below the next id");
			ensure!(
				paid.remove(&id).unwrap_or(0) == settlement.claims,
				"a settlement's claims are not counted right"
			);
		}
		Ok(())
	}

	/// The parties' index: each provider's and payer's claims counted right, each entry below
	/// its party's count naming a claim of that party, and every claim once in its provider's
	/// and once in its payer's.
	fn try_state_parties() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeSet;
		let mut seen: BTreeSet<(ClaimId, bool)> = BTreeSet::new();
		for (party, n, id) in PartyClaims::<T>::iter() {
			ensure!(n < PartyClaimCount::<T>::get(party), "a party's claim is beyond its count");
			let c =
				Claims::<T>::get(id).ok_or("a party's index names a claim that does not exist")?;
			let (of_party, provider_side) = match party {
				ClaimParty::Provider(provider) => (c.provider == provider, true),
				ClaimParty::Payer(payer) => (
					Coverages::<T>::get(c.coverage).is_some_and(|coverage| coverage.payer == payer),
					false,
				),
			};
			ensure!(of_party, "a party's index names another party's claim");
			ensure!(
				seen.insert((id, provider_side)),
				"the parties' index does not hold each claim once for its provider and its payer"
			);
		}
		let counted =
			PartyClaimCount::<T>::iter_values().fold(0u64, |n, c| n.saturating_add(c.into()));
		let claims = Claims::<T>::iter_keys().count() as u64;
		ensure!(
			seen.len() as u64 == claims.saturating_mul(2) && counted == claims.saturating_mul(2),
			"the parties' index does not hold each claim once for its provider and its payer"
		);
		Ok(())
	}
}
