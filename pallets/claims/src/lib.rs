#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
// On-chain code never panics: no unchecked arithmetic, indexing, unwrap/expect, panics or
// truncating casts outside tests (scripts/lint.sh fails on any).
#![cfg_attr(
	not(test),
	warn(
		clippy::arithmetic_side_effects,
		clippy::indexing_slicing,
		clippy::unwrap_used,
		clippy::expect_used,
		clippy::panic,
		clippy::cast_possible_truncation
	)
)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
// Benchmarks run off chain against a state they build, on a test's terms.
#[allow(
	clippy::arithmetic_side_effects,
	clippy::indexing_slicing,
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::panic,
	clippy::cast_possible_truncation
)]
mod benchmarking;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
/// The types this pallet stores and its runtime API answers with (they live in the API crate).
pub use pallet_claims_runtime_api as types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use medchain_primitives::{
	Commitment, DirectoryInspect, OrganisationId, PractitionerRole, RecordId, RecordsInspect,
};
use polkadot_sdk::*;

use frame_support::weights::Weight;

/// How a claim's payer comes to read exactly the records claimed, and stops: implemented by the
/// runtime with pallet-consent (a grant of the member's for payment, limited to those records,
/// to the payer's claims officers, made under the coverage the member accepted). Opened in the
/// call that submits the claim, closed in the call that ends it.
pub trait ClaimAccess<AccountId> {
	/// Lets the claims officers of `payer` read `records` of `member` for payment, for claim
	/// `claim`, until [`ClaimAccess::close`] with the handle returned (in the runtime, the
	/// consent grant's id).
	fn open(
		member: &AccountId,
		payer: OrganisationId,
		claim: ClaimId,
		records: &[RecordId],
	) -> Result<AccessHandle, sp_runtime::DispatchError>;
	/// Ends the access `handle` opened for `member`, unless the member ended it already (a
	/// patient may revoke a payer's access at any time; the claim goes on without it). Returns
	/// the weight of what ending it removed besides (in the runtime, the data keys delivered
	/// to the payer under the grant), at most [`ClaimAccess::max_close_weight`].
	fn close(member: &AccountId, handle: AccessHandle) -> Weight;
	/// The most [`ClaimAccess::close`] returns: what the calls that end a claim charge beyond
	/// their benchmarked weight, refunding what was not used.
	fn max_close_weight() -> Weight;
}

/// Sets up, for the benchmarks, the payer, the provider and the records the directory and the
/// records pallet must know.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers an active payer administered by `admin` with `officer` as an active claims
	/// officer; returns the payer.
	fn setup_payer(
		admin: &AccountId,
		officer: &AccountId,
	) -> Result<OrganisationId, sp_runtime::DispatchError>;

	/// Registers `member` as a patient, an active provider administered by `admin` with
	/// `practitioner` as an active physician, and `records` records about `member` held by that
	/// provider; returns the provider and the records.
	fn setup_provider(
		admin: &AccountId,
		practitioner: &AccountId,
		member: &AccountId,
		records: u32,
	) -> Result<(OrganisationId, alloc::vec::Vec<RecordId>), sp_runtime::DispatchError>;
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{Inspect, Mutate},
			tokens::Preservation,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{CheckedSub, Saturating, Zero};

	/// The storage version of this pallet.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// The records a claim names, bounded by [`Config::MaxRecordsPerClaim`].
	pub type RecordsOf<T> = BoundedVec<RecordId, <T as Config>::MaxRecordsPerClaim>;
	/// A coverage as this runtime stores it.
	pub type CoverageOf<T> = Coverage<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A claim as this runtime stores it.
	pub type ClaimOf<T> =
		Claim<<T as frame_system::Config>::AccountId, BlockNumberFor<T>, RecordsOf<T>>;
	/// An amount of the chain's currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A settlement as this runtime stores it.
	pub type SettlementOf<T> = Settlement<BalanceOf<T>, BlockNumberFor<T>>;
	/// The claims one settlement pays, bounded by [`Config::MaxClaimsPerSettlement`].
	pub type SettledClaimsOf<T> = BoundedVec<ClaimId, <T as Config>::MaxClaimsPerSettlement>;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The claims pallet's configuration.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who the payers' admins and claims officers, the providers' staff and the patients are.
		type Directory: DirectoryInspect<Self::AccountId>;

		/// Whose a record is and which organisation holds it (the records pallet).
		type Records: RecordsInspect<Self::AccountId>;

		/// The payer's access to the records claimed (consent).
		type Access: ClaimAccess<Self::AccountId>;

		/// The most records one claim may name. At least 1.
		#[pallet::constant]
		type MaxRecordsPerClaim: Get<u32>;

		/// How long, in blocks, a decision may be disputed.
		#[pallet::constant]
		type DisputeWindow: Get<BlockNumberFor<Self>>;

		/// The chain's currency: payers fund their escrow with it and providers are paid in it.
		type Currency: Mutate<Self::AccountId>;

		/// The pallet's id: each payer's escrow is an account derived from it and the payer's
		/// organisation id, which no key controls.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// What a payer's escrow holds for each claim it may still have to pay (not withdrawn,
		/// not finally denied, not paid): no claim is submitted, and nothing withdrawn or paid,
		/// that would leave less. A floor that says nothing of any claim's amount.
		#[pallet::constant]
		type EscrowPerClaim: Get<BalanceOf<Self>>;

		/// The most claims one settlement pays. At least 1.
		#[pallet::constant]
		type MaxClaimsPerSettlement: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up payers, providers and records for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The id the next coverage receives.
	#[pallet::storage]
	pub type NextCoverageId<T> = StorageValue<_, CoverageId, ValueQuery>;

	/// Coverages by id. Never removed: an ended coverage stays with its claims.
	#[pallet::storage]
	pub type Coverages<T: Config> =
		StorageMap<_, Twox64Concat, CoverageId, CoverageOf<T>, OptionQuery>;

	/// Each member's coverages (mirrors the coverages' members): what the member's client lists.
	#[pallet::storage]
	pub type MemberCoverages<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		CoverageId,
		(),
		OptionQuery,
	>;

	/// The id the next claim receives.
	#[pallet::storage]
	pub type NextClaimId<T> = StorageValue<_, ClaimId, ValueQuery>;

	/// Claims by id. Never removed.
	#[pallet::storage]
	pub type Claims<T: Config> = StorageMap<_, Twox64Concat, ClaimId, ClaimOf<T>, OptionQuery>;

	/// Each coverage's claims (mirrors the claims' coverages): what the member sees about them.
	#[pallet::storage]
	pub type CoverageClaims<T: Config> =
		StorageDoubleMap<_, Twox64Concat, CoverageId, Twox64Concat, ClaimId, (), OptionQuery>;

	/// Each provider's and each payer's claims, in the order they were submitted: the `n`-th
	/// claim of each (what their clients page through).
	#[pallet::storage]
	pub type PartyClaims<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ClaimParty, Twox64Concat, u32, ClaimId, OptionQuery>;

	/// How many claims each provider submitted and each payer was billed (entries in
	/// [`PartyClaims`]).
	#[pallet::storage]
	pub type PartyClaimCount<T: Config> = StorageMap<_, Twox64Concat, ClaimParty, u32, ValueQuery>;

	/// Each payer's claims it may still have to pay ([`Claim::is_liability`]): its escrow holds
	/// at least [`Config::EscrowPerClaim`] for each.
	#[pallet::storage]
	pub type Liabilities<T> = StorageMap<_, Twox64Concat, OrganisationId, u32, ValueQuery>;

	/// The id the next settlement receives.
	#[pallet::storage]
	pub type NextSettlementId<T> = StorageValue<_, SettlementId, ValueQuery>;

	/// Settlements by id. Never removed.
	#[pallet::storage]
	pub type Settlements<T: Config> =
		StorageMap<_, Twox64Concat, SettlementId, SettlementOf<T>, OptionQuery>;

	/// What happened to coverages, claims and escrows. No event carries a code or a claim's
	/// amount: a settlement's total is the sum over the claims it pays.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A payer offered a coverage.
		CoverageOffered {
			/// The coverage.
			coverage: CoverageId,
			/// The payer.
			payer: OrganisationId,
			/// The member.
			member: T::AccountId,
		},
		/// The member accepted a coverage.
		CoverageAccepted {
			/// The coverage.
			coverage: CoverageId,
		},
		/// A coverage ended (its open claims go on).
		CoverageEnded {
			/// The coverage.
			coverage: CoverageId,
			/// Who ended it.
			by: T::AccountId,
		},
		/// A provider submitted a claim; the payer may read the records claimed.
		ClaimSubmitted {
			/// The claim.
			claim: ClaimId,
			/// The coverage billed.
			coverage: CoverageId,
			/// The provider.
			provider: OrganisationId,
		},
		/// The payer decided a claim.
		ClaimDecided {
			/// The claim.
			claim: ClaimId,
			/// The decision.
			decision: Decision,
			/// Whether the decision is final (a decision after a dispute is).
			last: bool,
		},
		/// The provider or the member disputed a decision.
		ClaimDisputed {
			/// The claim.
			claim: ClaimId,
			/// Who disputed.
			by: Disputant,
		},
		/// The provider or the member accepted a decision, waiving its dispute.
		DecisionAccepted {
			/// The claim.
			claim: ClaimId,
			/// Who accepted.
			by: Disputant,
		},
		/// The provider withdrew a claim; the payer's access ended.
		ClaimWithdrawn {
			/// The claim.
			claim: ClaimId,
		},
		/// A claim became final; the payer's access ended.
		ClaimClosed {
			/// The claim.
			claim: ClaimId,
			/// The final decision.
			decision: Decision,
		},
		/// Funds went into a payer's escrow.
		EscrowFunded {
			/// The payer.
			payer: OrganisationId,
			/// Who paid them in.
			by: T::AccountId,
			/// How much.
			amount: BalanceOf<T>,
		},
		/// The payer's admin took funds out of its escrow.
		EscrowWithdrawn {
			/// The payer.
			payer: OrganisationId,
			/// How much.
			amount: BalanceOf<T>,
		},
		/// A payer paid a provider for final claims, from its escrow.
		ClaimsSettled {
			/// The settlement.
			settlement: SettlementId,
			/// The payer.
			payer: OrganisationId,
			/// The provider (its admin's account received the total).
			provider: OrganisationId,
			/// How many claims it paid.
			claims: u32,
			/// What it paid, in total.
			total: BalanceOf<T>,
		},
	}

	/// Why a call was refused. A refused call changes nothing.
	#[pallet::error]
	pub enum Error<T> {
		/// Only the payer's admin may do this.
		NotPayerAdmin,
		/// The member is not a registered patient.
		NotAPatient,
		/// The term ends before it begins, or has ended already.
		BadTerm,
		/// The coverage does not exist.
		CoverageNotFound,
		/// Only the coverage's member may do this.
		NotMember,
		/// The coverage is not waiting for acceptance.
		NotOffered,
		/// The coverage has ended already.
		AlreadyEnded,
		/// Only the member or the payer's admin may end a coverage.
		NotAuthorized,
		/// Only an active physician or claims officer of a provider may submit a claim.
		NotProviderStaff,
		/// The coverage is not active (offered only, or ended).
		CoverageNotActive,
		/// The coverage's term does not include now.
		OutsideCoverageTerm,
		/// A claim names at least one record.
		NoRecords,
		/// A record is named twice.
		DuplicateRecord,
		/// A record does not exist or is erased.
		RecordNotFound,
		/// A record is about another patient than the coverage's member.
		RecordOfAnotherPatient,
		/// A record is not held by the submitter's organisation.
		NotProvidersRecord,
		/// The claim does not exist.
		ClaimNotFound,
		/// Only an active claims officer of the claim's payer may decide it.
		NotClaimsOfficer,
		/// The claim is not waiting for a decision (submitted or disputed).
		NotAwaitingDecision,
		/// Only the claim's provider or member may dispute it.
		NotDisputant,
		/// The claim is not decided (or its decision is final).
		NotDecided,
		/// The time to dispute the decision is over.
		DisputeWindowOver,
		/// The decision may still be disputed: it is not final yet.
		DisputeWindowOpen,
		/// Only the claim's provider may withdraw it.
		NotProvider,
		/// The claim is withdrawn or closed already.
		AlreadyFinal,
		/// An amount of zero.
		ZeroAmount,
		/// The payer's escrow would not cover what it must: [`Config::EscrowPerClaim`] for
		/// each claim it may still have to pay, and the settlement's total.
		InsufficientEscrow,
		/// A settlement names no claims.
		NoClaims,
		/// A claim is named twice.
		DuplicateClaim,
		/// The claim is another payer's.
		NotPayersClaim,
		/// The claim is another provider's than the settlement's.
		OtherProvider,
		/// The claim is not final, or was denied: nothing to pay.
		NotPayable,
		/// The claim was paid already.
		AlreadySettled,
		/// The provider is not an active organisation: nobody to pay.
		ProviderNotActive,
		/// A counter would overflow.
		Overflow,
		/// The caller's side accepted the decision already.
		AlreadyAccepted,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxRecordsPerClaim::get() >= 1, "MaxRecordsPerClaim must allow a record");
			assert!(
				T::MaxClaimsPerSettlement::get() >= 1,
				"MaxClaimsPerSettlement must allow a claim"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Offers a coverage to a member, who accepts it ([`Pallet::accept_coverage`]).
		///
		/// The origin must be signed by the admin of `payer`.
		///
		/// - `member`: the patient's account the providers that bill it know.
		/// - `plan`: commitment to the plan's terms (the FHIR Coverage, off chain).
		/// - `valid_from`, `valid_until`: the term, in blocks (inclusive; not over already).
		///
		/// # Events
		/// [`Event::CoverageOffered`].
		///
		/// # Errors
		/// - [`Error::NotPayerAdmin`]; [`Error::NotAPatient`]; [`Error::BadTerm`];
		///   [`Error::Overflow`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::offer_coverage())]
		pub fn offer_coverage(
			origin: OriginFor<T>,
			payer: OrganisationId,
			member: T::AccountId,
			plan: Commitment,
			valid_from: BlockNumberFor<T>,
			valid_until: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(T::Directory::is_organisation_admin(&who, payer), Error::<T>::NotPayerAdmin);
			ensure!(T::Directory::is_patient(&member), Error::<T>::NotAPatient);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(valid_from <= valid_until && now <= valid_until, Error::<T>::BadTerm);
			let coverage = NextCoverageId::<T>::get();
			NextCoverageId::<T>::put(coverage.checked_add(1).ok_or(Error::<T>::Overflow)?);
			Coverages::<T>::insert(
				coverage,
				Coverage {
					payer,
					member: member.clone(),
					plan,
					valid_from,
					valid_until,
					status: CoverageStatus::Offered,
					open_claims: 0,
				},
			);
			MemberCoverages::<T>::insert(&member, coverage, ());
			Self::deposit_event(Event::CoverageOffered { coverage, payer, member });
			Ok(())
		}

		/// Accepts a coverage offered to the caller: from now on its providers may bill it,
		/// and each claim lets the payer read exactly the records it names.
		///
		/// The origin must be signed by the coverage's member.
		///
		/// # Events
		/// [`Event::CoverageAccepted`].
		///
		/// # Errors
		/// - [`Error::CoverageNotFound`]; [`Error::NotMember`]; [`Error::NotOffered`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::accept_coverage())]
		pub fn accept_coverage(origin: OriginFor<T>, coverage: CoverageId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Coverages::<T>::try_mutate(coverage, |c| -> DispatchResult {
				let c = c.as_mut().ok_or(Error::<T>::CoverageNotFound)?;
				ensure!(c.member == who, Error::<T>::NotMember);
				ensure!(c.status == CoverageStatus::Offered, Error::<T>::NotOffered);
				c.status = CoverageStatus::Active;
				Ok(())
			})?;
			Self::deposit_event(Event::CoverageAccepted { coverage });
			Ok(())
		}

		/// Ends a coverage (or declines an offer): no claim is submitted against it any more;
		/// its open claims go on to their end.
		///
		/// The origin must be signed by the member or by the payer's admin.
		///
		/// # Events
		/// [`Event::CoverageEnded`].
		///
		/// # Errors
		/// - [`Error::CoverageNotFound`]; [`Error::NotAuthorized`]; [`Error::AlreadyEnded`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::end_coverage())]
		pub fn end_coverage(origin: OriginFor<T>, coverage: CoverageId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Coverages::<T>::try_mutate(coverage, |c| -> DispatchResult {
				let c = c.as_mut().ok_or(Error::<T>::CoverageNotFound)?;
				ensure!(
					c.member == who || T::Directory::is_organisation_admin(&who, c.payer),
					Error::<T>::NotAuthorized
				);
				ensure!(c.status != CoverageStatus::Ended, Error::<T>::AlreadyEnded);
				c.status = CoverageStatus::Ended;
				Ok(())
			})?;
			Self::deposit_event(Event::CoverageEnded { coverage, by: who });
			Ok(())
		}

		/// Submits a claim for recorded care: the payer may read the records it names, and only
		/// those, until the claim ends.
		///
		/// The origin must be signed by an active physician or claims officer of the provider
		/// that holds the records.
		///
		/// - `coverage`: an active coverage whose term includes now.
		/// - `records`: the records of the care billed (procedures, encounters), each about the
		///   coverage's member and held by the caller's organisation, none twice.
		/// - `claim`: salted commitment to the FHIR Claim (its codes and amounts stay off chain).
		///
		/// # Events
		/// [`Event::ClaimSubmitted`].
		///
		/// # Errors
		/// - [`Error::NotProviderStaff`]; [`Error::CoverageNotFound`];
		///   [`Error::CoverageNotActive`]; [`Error::OutsideCoverageTerm`].
		/// - [`Error::NoRecords`]; [`Error::DuplicateRecord`]; [`Error::RecordNotFound`];
		///   [`Error::RecordOfAnotherPatient`]; [`Error::NotProvidersRecord`].
		/// - [`Error::InsufficientEscrow`]: the payer's escrow does not hold
		///   [`Config::EscrowPerClaim`] for this claim besides those it may still have to pay.
		/// - [`Error::Overflow`]; and whatever consent refuses when opening the access.
		///
		/// Complexity: O(r²) in the records named (at most `MaxRecordsPerClaim`).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::submit_claim(u32::try_from(records.len()).unwrap_or(u32::MAX)))]
		pub fn submit_claim(
			origin: OriginFor<T>,
			coverage: CoverageId,
			records: RecordsOf<T>,
			claim: Commitment,
		) -> DispatchResult {
			let submitter = ensure_signed(origin)?;
			let provider = T::Directory::active_practitioner(&submitter)
				.filter(|p| {
					matches!(p.role, PractitionerRole::Physician | PractitionerRole::ClaimsOfficer)
				})
				.ok_or(Error::<T>::NotProviderStaff)?
				.organisation;
			let mut c = Coverages::<T>::get(coverage).ok_or(Error::<T>::CoverageNotFound)?;
			ensure!(c.status == CoverageStatus::Active, Error::<T>::CoverageNotActive);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(c.valid_from <= now && now <= c.valid_until, Error::<T>::OutsideCoverageTerm);
			ensure!(!records.is_empty(), Error::<T>::NoRecords);
			for (i, record) in records.iter().enumerate() {
				ensure!(
					!records.iter().take(i).any(|earlier| earlier == record),
					Error::<T>::DuplicateRecord
				);
				let (subject, _) =
					T::Records::record_scope(*record).ok_or(Error::<T>::RecordNotFound)?;
				ensure!(subject == c.member, Error::<T>::RecordOfAnotherPatient);
				ensure!(
					T::Records::record_custodian(*record) == Some(provider),
					Error::<T>::NotProvidersRecord
				);
			}
			let liabilities =
				Liabilities::<T>::get(c.payer).checked_add(1).ok_or(Error::<T>::Overflow)?;
			ensure!(
				Self::escrow_balance(c.payer) >= Self::escrow_floor(liabilities),
				Error::<T>::InsufficientEscrow
			);
			let id = NextClaimId::<T>::get();
			NextClaimId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
			let parties = [ClaimParty::Provider(provider), ClaimParty::Payer(c.payer)];
			let mut counts = [0u32; 2];
			for (count, party) in counts.iter_mut().zip(parties) {
				*count = PartyClaimCount::<T>::get(party);
				count.checked_add(1).ok_or(Error::<T>::Overflow)?;
			}
			c.open_claims = c.open_claims.checked_add(1).ok_or(Error::<T>::Overflow)?;
			Liabilities::<T>::insert(c.payer, liabilities);
			let access = T::Access::open(&c.member, c.payer, id, &records)?;
			Claims::<T>::insert(
				id,
				Claim {
					coverage,
					provider,
					submitter,
					records,
					claim,
					submitted_at: now,
					status: ClaimStatus::Submitted,
					access,
					settlement: None,
				},
			);
			CoverageClaims::<T>::insert(coverage, id, ());
			for (count, party) in counts.into_iter().zip(parties) {
				PartyClaims::<T>::insert(party, count, id);
				PartyClaimCount::<T>::insert(party, count.saturating_add(1));
			}
			Coverages::<T>::insert(coverage, c);
			Self::deposit_event(Event::ClaimSubmitted { claim: id, coverage, provider });
			Ok(())
		}

		/// Decides a claim: approves it, approves it in part, or denies it with a reason code.
		/// A first decision may be disputed for `DisputeWindow` blocks; a decision after a
		/// dispute is final, and the payer's access to the records ends with it.
		///
		/// The origin must be signed by an active claims officer of the coverage's payer.
		///
		/// - `response`: salted commitment to the ClaimResponse (what is paid, what the member
		///   owes).
		///
		/// # Events
		/// [`Event::ClaimDecided`] (and [`Event::ClaimClosed`] for a final decision).
		///
		/// # Errors
		/// - [`Error::ClaimNotFound`]; [`Error::NotClaimsOfficer`];
		///   [`Error::NotAwaitingDecision`]; [`Error::CoverageNotFound`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::decide_claim().saturating_add(T::Access::max_close_weight()))]
		pub fn decide_claim(
			origin: OriginFor<T>,
			claim: ClaimId,
			decision: Decision,
			response: Commitment,
		) -> DispatchResultWithPostInfo {
			let officer = ensure_signed(origin)?;
			let mut c = Claims::<T>::get(claim).ok_or(Error::<T>::ClaimNotFound)?;
			let coverage = Coverages::<T>::get(c.coverage).ok_or(Error::<T>::CoverageNotFound)?;
			ensure!(
				T::Directory::active_practitioner(&officer).is_some_and(|p| {
					p.role == PractitionerRole::ClaimsOfficer && p.organisation == coverage.payer
				}),
				Error::<T>::NotClaimsOfficer
			);
			match c.status {
				ClaimStatus::Submitted => {
					let dispute_until = frame_system::Pallet::<T>::block_number()
						.saturating_add(T::DisputeWindow::get());
					c.status =
						ClaimStatus::Decided { decision, response, dispute_until, accepted: None };
					Claims::<T>::insert(claim, c);
					Self::deposit_event(Event::ClaimDecided { claim, decision, last: false });
					Ok(Some(T::WeightInfo::decide_claim()).into())
				},
				ClaimStatus::Disputed { .. } => {
					c.status = ClaimStatus::Closed { decision, response };
					let closing = Self::end_claim(claim, c)?;
					Self::deposit_event(Event::ClaimDecided { claim, decision, last: true });
					Self::deposit_event(Event::ClaimClosed { claim, decision });
					Ok(Some(T::WeightInfo::decide_claim().saturating_add(closing)).into())
				},
				_ => Err(Error::<T>::NotAwaitingDecision.into()),
			}
		}

		/// Disputes a decision before its window closes: the payer decides again, finally.
		///
		/// The origin must be signed by the coverage's member, or by an active practitioner of
		/// the claim's provider.
		///
		/// - `grounds`: commitment to the grounds (a document kept off chain).
		///
		/// # Events
		/// [`Event::ClaimDisputed`].
		///
		/// # Errors
		/// - [`Error::ClaimNotFound`]; [`Error::CoverageNotFound`]; [`Error::NotDisputant`];
		///   [`Error::NotDecided`]; [`Error::DisputeWindowOver`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::dispute_claim())]
		pub fn dispute_claim(
			origin: OriginFor<T>,
			claim: ClaimId,
			grounds: Commitment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut c = Claims::<T>::get(claim).ok_or(Error::<T>::ClaimNotFound)?;
			let by = Self::party_of(&who, &c)?;
			let ClaimStatus::Decided { dispute_until, accepted, .. } = c.status else {
				return Err(Error::<T>::NotDecided.into());
			};
			ensure!(accepted != Some(by), Error::<T>::AlreadyAccepted);
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now <= dispute_until, Error::<T>::DisputeWindowOver);
			c.status = ClaimStatus::Disputed { by, grounds };
			Claims::<T>::insert(claim, c);
			Self::deposit_event(Event::ClaimDisputed { claim, by });
			Ok(())
		}

		/// Withdraws a claim that is not final: the payer's access to its records ends.
		///
		/// The origin must be signed by an active practitioner of the claim's provider.
		///
		/// # Events
		/// [`Event::ClaimWithdrawn`].
		///
		/// # Errors
		/// - [`Error::ClaimNotFound`]; [`Error::NotProvider`]; [`Error::AlreadyFinal`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::withdraw_claim().saturating_add(T::Access::max_close_weight()))]
		pub fn withdraw_claim(origin: OriginFor<T>, claim: ClaimId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut c = Claims::<T>::get(claim).ok_or(Error::<T>::ClaimNotFound)?;
			ensure!(Self::acts_for(&who, c.provider), Error::<T>::NotProvider);
			ensure!(
				!matches!(c.status, ClaimStatus::Withdrawn | ClaimStatus::Closed { .. }),
				Error::<T>::AlreadyFinal
			);
			c.status = ClaimStatus::Withdrawn;
			let closing = Self::end_claim(claim, c)?;
			Self::deposit_event(Event::ClaimWithdrawn { claim });
			Ok(Some(T::WeightInfo::withdraw_claim().saturating_add(closing)).into())
		}

		/// Makes a decision final once its dispute window is over: the payer's access to the
		/// records ends. Anyone may call it.
		///
		/// # Events
		/// [`Event::ClaimClosed`].
		///
		/// # Errors
		/// - [`Error::ClaimNotFound`]; [`Error::NotDecided`]; [`Error::DisputeWindowOpen`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::close_claim().saturating_add(T::Access::max_close_weight()))]
		pub fn close_claim(origin: OriginFor<T>, claim: ClaimId) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let mut c = Claims::<T>::get(claim).ok_or(Error::<T>::ClaimNotFound)?;
			let ClaimStatus::Decided { decision, response, dispute_until, .. } = c.status else {
				return Err(Error::<T>::NotDecided.into());
			};
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now > dispute_until, Error::<T>::DisputeWindowOpen);
			c.status = ClaimStatus::Closed { decision, response };
			let closing = Self::end_claim(claim, c)?;
			Self::deposit_event(Event::ClaimClosed { claim, decision });
			Ok(Some(T::WeightInfo::close_claim().saturating_add(closing)).into())
		}

		/// Accepts a decision, waiving the caller's dispute of it: once both the provider and the
		/// member accepted it, the decision is final at once (the payer's access to the records
		/// ends, and an approval may be paid), without waiting for its window to end.
		///
		/// The origin must be signed by the coverage's member, or by an active practitioner of
		/// the claim's provider.
		///
		/// # Events
		/// [`Event::DecisionAccepted`] (and [`Event::ClaimClosed`] when the decision becomes
		/// final).
		///
		/// # Errors
		/// - [`Error::ClaimNotFound`]; [`Error::CoverageNotFound`]; [`Error::NotDisputant`];
		///   [`Error::NotDecided`]: there is no decision open to dispute (a final one needs no
		///   acceptance).
		/// - [`Error::AlreadyAccepted`]: the caller's side accepted it already.
		///
		/// Complexity: O(1).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::accept_decision().saturating_add(T::Access::max_close_weight()))]
		pub fn accept_decision(origin: OriginFor<T>, claim: ClaimId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let mut c = Claims::<T>::get(claim).ok_or(Error::<T>::ClaimNotFound)?;
			let by = Self::party_of(&who, &c)?;
			let ClaimStatus::Decided { decision, response, dispute_until, accepted } = c.status
			else {
				return Err(Error::<T>::NotDecided.into());
			};
			ensure!(accepted != Some(by), Error::<T>::AlreadyAccepted);
			Self::deposit_event(Event::DecisionAccepted { claim, by });
			if accepted.is_none() {
				c.status =
					ClaimStatus::Decided { decision, response, dispute_until, accepted: Some(by) };
				Claims::<T>::insert(claim, c);
				return Ok(Some(T::WeightInfo::accept_decision()).into());
			}
			c.status = ClaimStatus::Closed { decision, response };
			let closing = Self::end_claim(claim, c)?;
			Self::deposit_event(Event::ClaimClosed { claim, decision });
			Ok(Some(T::WeightInfo::accept_decision().saturating_add(closing)).into())
		}

		/// Pays `amount` from the caller's account into `payer`'s escrow
		/// ([`Pallet::escrow_account`]), from which its claims are settled.
		///
		/// The origin must be signed by the admin of `payer`.
		///
		/// # Events
		/// [`Event::EscrowFunded`].
		///
		/// # Errors
		/// - [`Error::NotPayerAdmin`]; [`Error::ZeroAmount`]; and the currency's own errors
		///   (funds the caller does not have, or would leave their account below the existential
		///   deposit; an escrow that would hold less than the existential deposit).
		///
		/// Complexity: O(1).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::fund_escrow())]
		pub fn fund_escrow(
			origin: OriginFor<T>,
			payer: OrganisationId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = Self::ensure_escrow_move(origin, payer, amount)?;
			T::Currency::transfer(
				&who,
				&Self::escrow_account(payer),
				amount,
				Preservation::Preserve,
			)?;
			Self::deposit_event(Event::EscrowFunded { payer, by: who, amount });
			Ok(())
		}

		/// Takes `amount` out of `payer`'s escrow, to the caller, as long as the escrow still
		/// holds [`Config::EscrowPerClaim`] for each claim the payer may still have to pay.
		///
		/// The origin must be signed by the admin of `payer`.
		///
		/// # Events
		/// [`Event::EscrowWithdrawn`].
		///
		/// # Errors
		/// - [`Error::NotPayerAdmin`]; [`Error::ZeroAmount`]; [`Error::InsufficientEscrow`];
		///   and the currency's own errors (a transfer below the existential deposit to an
		///   account that holds nothing).
		///
		/// Complexity: O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::withdraw_escrow())]
		pub fn withdraw_escrow(
			origin: OriginFor<T>,
			payer: OrganisationId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = Self::ensure_escrow_move(origin, payer, amount)?;
			let escrow = Self::escrow_account(payer);
			let left = T::Currency::balance(&escrow)
				.checked_sub(&amount)
				.ok_or(Error::<T>::InsufficientEscrow)?;
			ensure!(
				left >= Self::escrow_floor(Liabilities::<T>::get(payer)),
				Error::<T>::InsufficientEscrow
			);
			T::Currency::transfer(&escrow, &who, amount, Preservation::Expendable)?;
			Self::deposit_event(Event::EscrowWithdrawn { payer, amount });
			Ok(())
		}

		/// Pays `provider` `total` from the payer's escrow for `claims`, final claims it
		/// approved in full or in part. Only the total shows on chain: each claim's part is in
		/// its ClaimResponse, and the `statement` (a FHIR PaymentReconciliation, off chain)
		/// lists them; so a payer settles many claims at once (one claim alone would show its
		/// amount). The total goes to the provider's admin's account.
		///
		/// The origin must be signed by an active claims officer of the payer.
		///
		/// # Events
		/// [`Event::ClaimsSettled`].
		///
		/// # Errors
		/// - [`Error::NotClaimsOfficer`]: the caller is not an active claims officer.
		/// - [`Error::NoClaims`]; [`Error::DuplicateClaim`]; [`Error::ClaimNotFound`];
		///   [`Error::CoverageNotFound`].
		/// - [`Error::NotPayersClaim`]: a claim is another payer's.
		/// - [`Error::OtherProvider`]: a claim is another provider's.
		/// - [`Error::AlreadySettled`]: a claim was paid already.
		/// - [`Error::NotPayable`]: a claim is not final, or was denied.
		/// - [`Error::ProviderNotActive`]: the provider has no active admin to pay.
		/// - [`Error::InsufficientEscrow`]: the escrow would not hold the total and
		///   [`Config::EscrowPerClaim`] for each claim still to pay.
		/// - [`Error::Overflow`]; and the currency's own errors.
		///
		/// Complexity: O(c²) in the claims named (at most `MaxClaimsPerSettlement`).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::settle_claims(u32::try_from(claims.len()).unwrap_or(u32::MAX)))]
		pub fn settle_claims(
			origin: OriginFor<T>,
			provider: OrganisationId,
			claims: SettledClaimsOf<T>,
			total: BalanceOf<T>,
			statement: Commitment,
		) -> DispatchResult {
			let officer = ensure_signed(origin)?;
			let payer = T::Directory::active_practitioner(&officer)
				.filter(|p| p.role == PractitionerRole::ClaimsOfficer)
				.ok_or(Error::<T>::NotClaimsOfficer)?
				.organisation;
			ensure!(!claims.is_empty(), Error::<T>::NoClaims);
			let id = NextSettlementId::<T>::get();
			let mut paid = alloc::vec::Vec::with_capacity(claims.len());
			for (i, claim) in claims.iter().enumerate() {
				ensure!(
					!claims.iter().take(i).any(|earlier| earlier == claim),
					Error::<T>::DuplicateClaim
				);
				let mut c = Claims::<T>::get(claim).ok_or(Error::<T>::ClaimNotFound)?;
				let coverage =
					Coverages::<T>::get(c.coverage).ok_or(Error::<T>::CoverageNotFound)?;
				ensure!(coverage.payer == payer, Error::<T>::NotPayersClaim);
				ensure!(c.provider == provider, Error::<T>::OtherProvider);
				ensure!(c.settlement.is_none(), Error::<T>::AlreadySettled);
				ensure!(c.is_payable(), Error::<T>::NotPayable);
				c.settlement = Some(id);
				paid.push((*claim, c));
			}
			let count = u32::try_from(claims.len()).map_err(|_| Error::<T>::Overflow)?;
			let liabilities =
				Liabilities::<T>::get(payer).checked_sub(count).ok_or(Error::<T>::Overflow)?;
			let escrow = Self::escrow_account(payer);
			let left = T::Currency::balance(&escrow)
				.checked_sub(&total)
				.ok_or(Error::<T>::InsufficientEscrow)?;
			ensure!(left >= Self::escrow_floor(liabilities), Error::<T>::InsufficientEscrow);
			let payee =
				T::Directory::organisation_admin(provider).ok_or(Error::<T>::ProviderNotActive)?;
			NextSettlementId::<T>::put(id.checked_add(1).ok_or(Error::<T>::Overflow)?);
			if !total.is_zero() {
				T::Currency::transfer(&escrow, &payee, total, Preservation::Expendable)?;
			}
			for (claim, c) in paid {
				Claims::<T>::insert(claim, c);
			}
			Liabilities::<T>::insert(payer, liabilities);
			let now = frame_system::Pallet::<T>::block_number();
			Settlements::<T>::insert(
				id,
				Settlement { payer, provider, claims: count, total, statement, at: now },
			);
			Self::deposit_event(Event::ClaimsSettled {
				settlement: id,
				payer,
				provider,
				claims: count,
				total,
			});
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// Which party to claim `c` `who` is: its coverage's member, or an active practitioner
		/// of its provider ([`Error::NotDisputant`] otherwise).
		fn party_of(who: &T::AccountId, c: &ClaimOf<T>) -> Result<Disputant, DispatchError> {
			let coverage = Coverages::<T>::get(c.coverage).ok_or(Error::<T>::CoverageNotFound)?;
			if *who == coverage.member {
				Ok(Disputant::Member)
			} else if Self::acts_for(who, c.provider) {
				Ok(Disputant::Provider)
			} else {
				Err(Error::<T>::NotDisputant.into())
			}
		}

		/// Whether `who` is an active practitioner of `organisation`.
		fn acts_for(who: &T::AccountId, organisation: OrganisationId) -> bool {
			T::Directory::active_practitioner(who).is_some_and(|p| p.organisation == organisation)
		}

		/// Stores claim `id` in its final state `c`: one claim fewer open on its coverage, and
		/// the payer's access to its records closed; returns the weight closing it used
		/// ([`ClaimAccess::close`]).
		fn end_claim(id: ClaimId, c: ClaimOf<T>) -> Result<Weight, DispatchError> {
			let (member, payer) = Coverages::<T>::try_mutate(c.coverage, |coverage| {
				let coverage = coverage.as_mut().ok_or(Error::<T>::CoverageNotFound)?;
				coverage.open_claims =
					coverage.open_claims.checked_sub(1).ok_or(Error::<T>::Overflow)?;
				Ok::<_, DispatchError>((coverage.member.clone(), coverage.payer))
			})?;
			if !c.is_liability() {
				// Withdrawn or finally denied: the payer will not have to pay it.
				Liabilities::<T>::try_mutate(payer, |n| -> DispatchResult {
					*n = n.checked_sub(1).ok_or(Error::<T>::Overflow)?;
					Ok(())
				})?;
			}
			let closing = T::Access::close(&member, c.access);
			Claims::<T>::insert(id, c);
			Ok(closing)
		}

		/// The account holding `payer`'s escrow, which no key controls: a hash of the pallet's
		/// id and the payer's ([`medchain_primitives::keyless_account`]).
		pub fn escrow_account(payer: OrganisationId) -> T::AccountId {
			medchain_primitives::keyless_account(T::PalletId::get(), b"escrow", payer)
		}

		/// The caller moving `amount` into or out of `payer`'s escrow: its admin, and not
		/// nothing ([`Error::NotPayerAdmin`], [`Error::ZeroAmount`]).
		fn ensure_escrow_move(
			origin: OriginFor<T>,
			payer: OrganisationId,
			amount: BalanceOf<T>,
		) -> Result<T::AccountId, DispatchError> {
			let who = ensure_signed(origin)?;
			ensure!(T::Directory::is_organisation_admin(&who, payer), Error::<T>::NotPayerAdmin);
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			Ok(who)
		}

		/// The claims about `member`: those against each of their coverages, by id.
		pub fn claims_of_member(member: &T::AccountId) -> alloc::vec::Vec<ClaimId> {
			let mut claims: alloc::vec::Vec<ClaimId> =
				MemberCoverages::<T>::iter_key_prefix(member)
					.flat_map(CoverageClaims::<T>::iter_key_prefix)
					.collect();
			claims.sort_unstable();
			claims
		}

		/// The claims of `party` in the order they were submitted, from the `start`-th on, at
		/// most `limit` (and at most [`pallet_claims_runtime_api::MAX_PAGE`]) of them.
		pub fn claims_of(party: ClaimParty, start: u32, limit: u32) -> alloc::vec::Vec<ClaimId> {
			let end = start
				.saturating_add(limit.min(pallet_claims_runtime_api::MAX_PAGE))
				.min(PartyClaimCount::<T>::get(party));
			(start..end).filter_map(|n| PartyClaims::<T>::get(party, n)).collect()
		}

		/// The escrow of `payer`: its account, what it holds, how many claims the payer may
		/// still have to pay and what it must hold for them.
		pub fn escrow(payer: OrganisationId) -> Escrow<T::AccountId, BalanceOf<T>> {
			let liabilities = Liabilities::<T>::get(payer);
			let account = Self::escrow_account(payer);
			Escrow {
				balance: T::Currency::balance(&account),
				account,
				liabilities,
				floor: Self::escrow_floor(liabilities),
			}
		}

		/// What `payer`'s escrow holds.
		pub fn escrow_balance(payer: OrganisationId) -> BalanceOf<T> {
			T::Currency::balance(&Self::escrow_account(payer))
		}

		/// What an escrow must hold for `liabilities` claims its payer may still have to pay.
		pub fn escrow_floor(liabilities: u32) -> BalanceOf<T> {
			T::EscrowPerClaim::get().saturating_mul(liabilities.into())
		}
	}
}
