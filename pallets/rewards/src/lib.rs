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
pub use pallet_rewards_runtime_api as types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use medchain_primitives::{invalid_transaction, Commitment, DirectoryInspect, OrganisationId};
pub use pallet_clinical_trials_runtime_api::{Pseudonym, RingIndex, RingProof, TrialId};
use polkadot_sdk::*;

/// Why a participant's ring proof was refused (the trials pallet's answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofRefusal {
	/// No research ring has this index.
	UnknownRing,
	/// The ring holds too few keys for a proof against it to hide anyone.
	RingTooSmall,
	/// The proof does not yield the participant's pseudonym for this trial and message.
	BadProof,
}

/// What this pallet asks of the clinical trials: a visit a trial's data anchor records, and
/// whether a participant proved a choice (the runtime answers from `pallet-clinical-trials`).
pub trait TrialVisits {
	/// The sponsor of `trial` and the pseudonym of the participant whose visit its data anchor
	/// `seq` records; `None` when there is no such anchor or it is a batch's.
	fn visit(trial: TrialId, seq: u32) -> Option<(OrganisationId, Pseudonym)>;

	/// Whether `proof` proves, against research ring `ring`, that the holder of the research
	/// key whose alias in `trial` is `pseudonym` chose `message`.
	fn check_proof(
		trial: TrialId,
		ring: RingIndex,
		pseudonym: &Pseudonym,
		message: &[u8],
		proof: &RingProof,
	) -> Result<(), ProofRefusal>;
}

/// What [`BenchmarkHelper::trial_visit`] sets up: a trial's visit anchored for a participant,
/// and their proof claiming its reward.
#[cfg(feature = "runtime-benchmarks")]
pub struct VisitSetup<AccountId> {
	/// The admin of the trial's sponsor (who opens the pool).
	pub admin: AccountId,
	/// The sponsor.
	pub organisation: OrganisationId,
	/// The trial.
	pub trial: TrialId,
	/// The data anchor recording the visit.
	pub seq: u32,
	/// The research ring the proof is made against.
	pub ring: RingIndex,
	/// The account the proof has the reward paid to (a new one).
	pub payee: AccountId,
	/// The participant's proof, for the pool [`VisitSetup::pool`].
	pub proof: RingProof,
	/// The pool the proof is for (the first the benchmark opens).
	pub pool: PoolId,
}

/// Sets up, for the benchmarks, the organisation, its practitioner and the patient the
/// directory must know.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Registers an active organisation administered by `admin` with `practitioner` as an
	/// active practitioner, and `patient` as a patient; returns the organisation.
	fn setup(
		admin: &AccountId,
		practitioner: &AccountId,
		patient: &AccountId,
	) -> Result<OrganisationId, sp_runtime::DispatchError>;

	/// A trial with a participant's visit anchored, and the participant's proof claiming its
	/// reward from the first pool opened (no pool may exist yet).
	fn trial_visit() -> Result<VisitSetup<AccountId>, sp_runtime::DispatchError>;
}

// `Call::reward_visit` carries a ring proof (788 bytes) by value, as the trials pallet's calls
// do: the runtime's call enum is that large already, so boxing it here would save nothing.
#[allow(clippy::large_enum_variant)]
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
	use frame_system::ensure_authorized;
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{CheckedAdd, CheckedDiv, Zero};
	use sp_runtime::transaction_validity::{
		TransactionSource, TransactionValidityWithRefund, ValidTransaction,
	};

	/// The storage version of this pallet.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// An amount of the chain's currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A pool as this runtime stores it.
	pub type PoolOf<T> = Pool<BalanceOf<T>, BlockNumberFor<T>>;
	/// What a patient received in a period, as this runtime stores it.
	pub type EarnedOf<T> = Earned<BalanceOf<T>, BlockNumberFor<T>>;
	/// A pool's rates, as this runtime stores them.
	pub type RatesOf<T> = RewardRates<BalanceOf<T>>;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The rewards pallet's configuration.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who the organisations' admins and practitioners and the patients are.
		type Directory: DirectoryInspect<Self::AccountId>;

		/// The chain's currency: pools hold it and pay patients in it.
		type Currency: Mutate<Self::AccountId>;

		/// The pallet's id: each pool's funds are in an account derived from it and the pool's
		/// id, which no key controls.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The clinical trials: the visits their data anchors record and their participants'
		/// ring proofs.
		type Trials: TrialVisits;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up organisations and patients for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// The id the next pool receives.
	#[pallet::storage]
	pub type NextPoolId<T> = StorageValue<_, PoolId, ValueQuery>;

	/// Pools by id. Never removed: a closed pool stays with what it paid.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Twox64Concat, PoolId, PoolOf<T>, OptionQuery>;

	/// What each patient received from each pool in the pool's current (or last) period of
	/// theirs: what the cap is checked against.
	#[pallet::storage]
	pub type EarnedIn<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PoolId,
		Blake2_128Concat,
		T::AccountId,
		EarnedOf<T>,
		OptionQuery,
	>;

	/// The attestations each pool paid for: an event is rewarded once.
	#[pallet::storage]
	pub type Attested<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PoolId, Identity, Commitment, (), OptionQuery>;

	/// The trial visits rewarded, by trial and data anchor, with the pool that paid: a visit
	/// is rewarded once, by one pool.
	#[pallet::storage]
	pub type RewardedVisits<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TrialId, Twox64Concat, u32, PoolId, OptionQuery>;

	/// What each trial participant (trial and pseudonym) received from each pool in the pool's
	/// current (or last) period of theirs: the cap holds per participant, whatever account
	/// they have the rewards paid to.
	#[pallet::storage]
	pub type ParticipantEarnedIn<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PoolId,
		Blake2_128Concat,
		(TrialId, Pseudonym),
		EarnedOf<T>,
		OptionQuery,
	>;

	/// What happened to pools and rewards. None names the care an event was for.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An organisation opened a pool.
		PoolCreated {
			/// The pool.
			pool: PoolId,
			/// The organisation.
			organisation: OrganisationId,
		},
		/// Funds went into a pool.
		PoolFunded {
			/// The pool.
			pool: PoolId,
			/// Who paid them in.
			by: T::AccountId,
			/// How much.
			amount: BalanceOf<T>,
		},
		/// A pool paid a patient for an event its organisation attested.
		Rewarded {
			/// The pool.
			pool: PoolId,
			/// The patient's account.
			patient: T::AccountId,
			/// The kind of event.
			kind: RewardKind,
			/// What it paid.
			amount: BalanceOf<T>,
		},
		/// A pool paid a trial participant for a visit, to the account they chose.
		VisitRewarded {
			/// The pool.
			pool: PoolId,
			/// The trial.
			trial: TrialId,
			/// The data anchor recording the visit.
			seq: u32,
			/// The account paid (the participant's choice; not their patient account).
			payee: T::AccountId,
			/// What it paid.
			amount: BalanceOf<T>,
		},
		/// The organisation's admin closed a pool; what it held went back to the admin.
		PoolClosed {
			/// The pool.
			pool: PoolId,
			/// What went back.
			returned: BalanceOf<T>,
		},
	}

	/// Why a call was refused. A refused call changes nothing.
	#[pallet::error]
	pub enum Error<T> {
		/// Only the organisation's admin may do this.
		NotOrganisationAdmin,
		/// A period of no blocks.
		ZeroPeriod,
		/// A pool that rewards no kind of event.
		NothingRewarded,
		/// A rate the patient could not receive: above nothing but below the existential
		/// deposit (a patient's account may hold nothing).
		RateBelowMinimum,
		/// A cap below a rate: that reward could never be paid.
		CapBelowRate,
		/// The pool does not exist.
		PoolNotFound,
		/// The pool is closed.
		PoolClosed,
		/// An amount of nothing.
		ZeroAmount,
		/// Only an active practitioner of the pool's organisation attests events.
		NotPoolPractitioner,
		/// The account is not a registered patient.
		NotAPatient,
		/// The pool does not reward this kind of event.
		KindNotRewarded,
		/// The pool paid for this attestation already.
		AlreadyRewarded,
		/// The reward would take the patient above the pool's cap for this period.
		CapReached,
		/// The pool does not hold the reward.
		InsufficientFunds,
		/// A counter or a total would overflow.
		Overflow,
		/// The trial has no such data anchor, or it records a batch rather than a
		/// participant's visit.
		NotAVisit,
		/// The pool's organisation does not sponsor the trial.
		NotSponsorPool,
		/// A reward paid to the pool's own account.
		PayeeIsPool,
		/// No research ring has this index.
		UnknownRing,
		/// The ring holds too few keys for a proof against it to hide anyone.
		RingTooSmall,
		/// The proof does not yield the visit's participant for this trial, pool, visit and
		/// payee.
		BadProof,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Opens a reward pool of `organisation`: what it pays per kind of event (nothing for
		/// a kind it does not reward), the most one patient receives in one period, and the
		/// period's length in blocks. It pays from what is put into it ([`Pallet::fund_pool`]).
		///
		/// The origin must be signed by the organisation's admin.
		///
		/// # Events
		/// [`Event::PoolCreated`].
		///
		/// # Errors
		/// - [`Error::NotOrganisationAdmin`]; [`Error::ZeroPeriod`].
		/// - [`Error::NothingRewarded`]: every rate is nothing.
		/// - [`Error::RateBelowMinimum`]: a rate below the existential deposit.
		/// - [`Error::CapBelowRate`]: a rate the cap would never let it pay.
		/// - [`Error::Overflow`]: no pool id left.
		///
		/// Complexity: O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_pool())]
		pub fn create_pool(
			origin: OriginFor<T>,
			organisation: OrganisationId,
			rates: RatesOf<T>,
			cap: BalanceOf<T>,
			period: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				T::Directory::is_organisation_admin(&who, organisation),
				Error::<T>::NotOrganisationAdmin
			);
			ensure!(!period.is_zero(), Error::<T>::ZeroPeriod);
			let kinds = [rates.appointment, rates.survey, rates.visit];
			ensure!(kinds.iter().any(|r| !r.is_zero()), Error::<T>::NothingRewarded);
			let minimum = T::Currency::minimum_balance();
			ensure!(
				kinds.iter().all(|r| r.is_zero() || *r >= minimum),
				Error::<T>::RateBelowMinimum
			);
			ensure!(kinds.iter().all(|r| *r <= cap), Error::<T>::CapBelowRate);
			let pool = NextPoolId::<T>::get();
			NextPoolId::<T>::put(pool.checked_add(1).ok_or(Error::<T>::Overflow)?);
			Pools::<T>::insert(
				pool,
				Pool {
					organisation,
					rates,
					cap,
					period,
					closed: false,
					rewards: 0,
					paid: Zero::zero(),
				},
			);
			Self::deposit_event(Event::PoolCreated { pool, organisation });
			Ok(())
		}

		/// Puts `amount` into pool `pool`, from the caller (the organisation, a sponsor: anyone).
		///
		/// # Events
		/// [`Event::PoolFunded`].
		///
		/// # Errors
		/// - [`Error::PoolNotFound`]; [`Error::PoolClosed`]; [`Error::ZeroAmount`]; and the
		///   currency's own errors (funds the caller does not have, or would leave it below
		///   the existential deposit; a pool that would hold less than it).
		///
		/// Complexity: O(1).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::fund_pool())]
		pub fn fund_pool(
			origin: OriginFor<T>,
			pool: PoolId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::open_pool(pool)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			T::Currency::transfer(&who, &Self::pool_account(pool), amount, Preservation::Preserve)?;
			Self::deposit_event(Event::PoolFunded { pool, by: who, amount });
			Ok(())
		}

		/// Pays `patient` the pool's rate for an event of `kind` its organisation attests:
		/// `attestation` is a salted commitment to the FHIR resource that records it (the
		/// Appointment kept, the QuestionnaireResponse received), which stays with the
		/// organisation and the patient; the pool pays for each attestation once, and a
		/// patient at most the pool's cap in one period.
		///
		/// The origin must be signed by an active practitioner of the pool's organisation.
		///
		/// # Events
		/// [`Event::Rewarded`].
		///
		/// # Errors
		/// - [`Error::PoolNotFound`]; [`Error::PoolClosed`].
		/// - [`Error::NotPoolPractitioner`]: the caller is not an active practitioner of the
		///   pool's organisation.
		/// - [`Error::NotAPatient`]; [`Error::KindNotRewarded`]; [`Error::AlreadyRewarded`].
		/// - [`Error::CapReached`]: the patient would receive more than the cap this period.
		/// - [`Error::InsufficientFunds`]: the pool does not hold the reward.
		/// - [`Error::Overflow`]; and the currency's own errors.
		///
		/// Complexity: O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reward())]
		pub fn reward(
			origin: OriginFor<T>,
			pool: PoolId,
			patient: T::AccountId,
			kind: RewardKind,
			attestation: Commitment,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let p = Self::open_pool(pool)?;
			ensure!(
				T::Directory::active_practitioner(&who)
					.is_some_and(|a| a.organisation == p.organisation),
				Error::<T>::NotPoolPractitioner
			);
			ensure!(T::Directory::is_patient(&patient), Error::<T>::NotAPatient);
			let amount = p.rates.of(kind);
			ensure!(!amount.is_zero(), Error::<T>::KindNotRewarded);
			ensure!(!Attested::<T>::contains_key(pool, attestation), Error::<T>::AlreadyRewarded);
			let earned = Self::within_cap(pool, &p, amount, EarnedIn::<T>::get(pool, &patient))?;

			Self::pay(pool, p, &patient, amount)?;
			EarnedIn::<T>::insert(pool, &patient, earned);
			Attested::<T>::insert(pool, attestation, ());
			Self::deposit_event(Event::Rewarded { pool, patient, kind, amount });
			Ok(())
		}

		/// Pays the pool's visit rate to `payee` for the visit of a participant in a trial the
		/// pool's organisation sponsors, as data anchor `seq` of `trial` records it, claimed by
		/// the participant without saying who they are: an unsigned, authorized transaction
		/// with a ring VRF proof (as for enrolling) that the holder of the research key whose
		/// alias is the anchor's pseudonym chose this pool, visit and payee
		/// (`ring_statement::visit_reward_message`). The payee is any account the participant
		/// chooses (a new one keeps the reward apart from their patient account). Each visit is
		/// rewarded once; a participant receives at most the pool's cap in one period, whatever
		/// accounts they are paid to.
		///
		/// - `pool`: the sponsor's pool.
		/// - `trial`, `seq`: the data anchor recording the visit.
		/// - `payee`: the account paid.
		/// - `ring`: the research ring the proof is made against.
		/// - `proof`: the ring VRF proof.
		///
		/// # Events
		/// [`Event::VisitRewarded`].
		///
		/// # Errors
		/// Refused as an invalid transaction with the error's index as custom code:
		/// - [`Error::PoolNotFound`]; [`Error::PoolClosed`].
		/// - [`Error::NotAVisit`]: no such anchor, or a batch's.
		/// - [`Error::NotSponsorPool`]: the pool's organisation does not sponsor the trial.
		/// - [`Error::KindNotRewarded`]: the pool pays nothing for visits.
		/// - [`Error::AlreadyRewarded`]: the visit was rewarded (by any pool).
		/// - [`Error::PayeeIsPool`]: the payee is the pool's own account.
		/// - [`Error::CapReached`]; [`Error::InsufficientFunds`]; [`Error::Overflow`].
		/// - [`Error::UnknownRing`], [`Error::RingTooSmall`], [`Error::BadProof`].
		///
		/// # Complexity
		/// The proof's verification (constant in the ring's size) and the checks' reads when
		/// authorizing; the same reads, a transfer and three writes when dispatching.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::reward_visit())]
		#[pallet::authorize(Self::authorize_reward_visit)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_reward_visit())]
		pub fn reward_visit(
			origin: OriginFor<T>,
			pool: PoolId,
			trial: TrialId,
			seq: u32,
			payee: T::AccountId,
			ring: RingIndex,
			proof: RingProof,
		) -> DispatchResult {
			ensure_authorized(origin)?;
			let _ = (ring, proof);
			let visit = Self::check_visit(pool, trial, seq, &payee)?;

			Self::pay(pool, visit.pool, &payee, visit.amount)?;
			ParticipantEarnedIn::<T>::insert(pool, (trial, visit.pseudonym), visit.earned);
			RewardedVisits::<T>::insert(trial, seq, pool);
			Self::deposit_event(Event::VisitRewarded {
				pool,
				trial,
				seq,
				payee,
				amount: visit.amount,
			});
			Ok(())
		}

		/// Closes pool `pool`: it pays nothing more, and what it holds goes to the caller.
		///
		/// The origin must be signed by the admin of the pool's organisation.
		///
		/// # Events
		/// [`Event::PoolClosed`].
		///
		/// # Errors
		/// - [`Error::PoolNotFound`]; [`Error::NotOrganisationAdmin`]; [`Error::PoolClosed`];
		///   and the currency's own errors (an admin account that holds nothing receiving less
		///   than the existential deposit).
		///
		/// Complexity: O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::close_pool())]
		pub fn close_pool(origin: OriginFor<T>, pool: PoolId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut p = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
			ensure!(
				T::Directory::is_organisation_admin(&who, p.organisation),
				Error::<T>::NotOrganisationAdmin
			);
			ensure!(!p.closed, Error::<T>::PoolClosed);
			let account = Self::pool_account(pool);
			let returned = T::Currency::balance(&account);
			if !returned.is_zero() {
				T::Currency::transfer(&account, &who, returned, Preservation::Expendable)?;
			}
			p.closed = true;
			Pools::<T>::insert(pool, p);
			Self::deposit_event(Event::PoolClosed { pool, returned });
			Ok(())
		}
	}

	/// A visit's reward that passed every check but the proof's.
	struct CheckedVisit<T: Config> {
		/// The pool, as it is before paying.
		pool: PoolOf<T>,
		/// The visit's participant.
		pseudonym: Pseudonym,
		/// What the pool pays.
		amount: BalanceOf<T>,
		/// What the participant will have received this period.
		earned: EarnedOf<T>,
	}

	impl<T: Config> Pallet<T> {
		/// Pool `pool`, if it exists and is open.
		fn open_pool(pool: PoolId) -> Result<PoolOf<T>, Error<T>> {
			let p = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
			ensure!(!p.closed, Error::<T>::PoolClosed);
			Ok(p)
		}

		/// What a beneficiary who received `earned` from pool `pool` (`p`) will have received
		/// this period once paid `amount`: refused above the cap, or beyond what the pool holds.
		fn within_cap(
			pool: PoolId,
			p: &PoolOf<T>,
			amount: BalanceOf<T>,
			earned: Option<EarnedOf<T>>,
		) -> Result<EarnedOf<T>, Error<T>> {
			let period = frame_system::Pallet::<T>::block_number()
				.checked_div(&p.period)
				.ok_or(Error::<T>::Overflow)?;
			let before =
				earned.filter(|e| e.period == period).map_or_else(Zero::zero, |e| e.amount);
			let after = before.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			ensure!(after <= p.cap, Error::<T>::CapReached);
			ensure!(
				T::Currency::balance(&Self::pool_account(pool)) >= amount,
				Error::<T>::InsufficientFunds
			);
			Ok(Earned { period, amount: after })
		}

		/// Pays `amount` from pool `pool` (`p`) to `to` and counts it in the pool.
		fn pay(
			pool: PoolId,
			mut p: PoolOf<T>,
			to: &T::AccountId,
			amount: BalanceOf<T>,
		) -> DispatchResult {
			p.rewards = p.rewards.checked_add(1).ok_or(Error::<T>::Overflow)?;
			p.paid = p.paid.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			T::Currency::transfer(&Self::pool_account(pool), to, amount, Preservation::Expendable)?;
			Pools::<T>::insert(pool, p);
			Ok(())
		}

		/// Everything [`Pallet::reward_visit`] checks but the proof.
		fn check_visit(
			pool: PoolId,
			trial: TrialId,
			seq: u32,
			payee: &T::AccountId,
		) -> Result<CheckedVisit<T>, Error<T>> {
			let p = Self::open_pool(pool)?;
			let (sponsor, pseudonym) = T::Trials::visit(trial, seq).ok_or(Error::<T>::NotAVisit)?;
			ensure!(p.organisation == sponsor, Error::<T>::NotSponsorPool);
			let amount = p.rates.visit;
			ensure!(!amount.is_zero(), Error::<T>::KindNotRewarded);
			ensure!(!RewardedVisits::<T>::contains_key(trial, seq), Error::<T>::AlreadyRewarded);
			ensure!(*payee != Self::pool_account(pool), Error::<T>::PayeeIsPool);
			let before = ParticipantEarnedIn::<T>::get(pool, (trial, pseudonym));
			let earned = Self::within_cap(pool, &p, amount, before)?;
			Ok(CheckedVisit { pool: p, pseudonym, amount, earned })
		}

		/// Authorizes [`Pallet::reward_visit`] (see its errors): its checks, then the proof. The
		/// pool keeps one claim per visit.
		fn authorize_reward_visit(
			_source: TransactionSource,
			pool: &PoolId,
			trial: &TrialId,
			seq: &u32,
			payee: &T::AccountId,
			ring: &RingIndex,
			proof: &RingProof,
		) -> TransactionValidityWithRefund {
			let visit =
				Self::check_visit(*pool, *trial, *seq, payee).map_err(invalid_transaction)?;
			let message = pallet_clinical_trials_runtime_api::ring_statement::visit_reward_message(
				*seq,
				*pool,
				&payee.encode(),
			);
			T::Trials::check_proof(*trial, *ring, &visit.pseudonym, &message, proof).map_err(
				|refusal| {
					invalid_transaction(match refusal {
						ProofRefusal::UnknownRing => Error::<T>::UnknownRing,
						ProofRefusal::RingTooSmall => Error::<T>::RingTooSmall,
						ProofRefusal::BadProof => Error::<T>::BadProof,
					})
				},
			)?;
			let validity = ValidTransaction::with_tag_prefix("medchain-rewards")
				.and_provides((b"visit", trial, seq))
				.longevity(AUTHORIZED_LONGEVITY)
				.propagate(true)
				.build()?;
			Ok((validity, Weight::zero()))
		}

		/// The account holding pool `pool`'s funds, which no key controls: a hash of the
		/// pallet's id and the pool's ([`medchain_primitives::keyless_account`]).
		pub fn pool_account(pool: PoolId) -> T::AccountId {
			medchain_primitives::keyless_account(T::PalletId::get(), b"pool", pool)
		}

		/// Pool `pool`, its account and what it holds, if it exists.
		pub fn pool_state(
			pool: PoolId,
		) -> Option<PoolState<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
			let p = Pools::<T>::get(pool)?;
			let account = Self::pool_account(pool);
			Some(PoolState { pool: p, balance: T::Currency::balance(&account), account })
		}

		/// The pools of `organisation`, by id (a scan of the pools: an organisation opens few).
		pub fn pools_of(organisation: OrganisationId) -> alloc::vec::Vec<PoolId> {
			let mut pools: alloc::vec::Vec<PoolId> = Pools::<T>::iter()
				.filter(|(_, p)| p.organisation == organisation)
				.map(|(id, _)| id)
				.collect();
			pools.sort_unstable();
			pools
		}

		/// What pool `pool` holds.
		pub fn pool_balance(pool: PoolId) -> BalanceOf<T> {
			T::Currency::balance(&Self::pool_account(pool))
		}

		/// What `patient` received from pool `pool` in the period that holds block `at`;
		/// `None` for a pool that does not exist.
		pub fn earned(
			pool: PoolId,
			patient: &T::AccountId,
			at: BlockNumberFor<T>,
		) -> Option<BalanceOf<T>> {
			Self::earned_in_period(pool, at, EarnedIn::<T>::get(pool, patient))
		}

		/// What participant `pseudonym` of `trial` received from pool `pool` in the period that
		/// holds block `at`; `None` for a pool that does not exist.
		pub fn participant_earned(
			pool: PoolId,
			trial: TrialId,
			pseudonym: Pseudonym,
			at: BlockNumberFor<T>,
		) -> Option<BalanceOf<T>> {
			Self::earned_in_period(
				pool,
				at,
				ParticipantEarnedIn::<T>::get(pool, (trial, pseudonym)),
			)
		}

		/// `earned` if it is of the period of pool `pool` that holds block `at`, else nothing;
		/// `None` for a pool that does not exist.
		fn earned_in_period(
			pool: PoolId,
			at: BlockNumberFor<T>,
			earned: Option<EarnedOf<T>>,
		) -> Option<BalanceOf<T>> {
			let period = at.checked_div(&Pools::<T>::get(pool)?.period)?;
			Some(earned.filter(|e| e.period == period).map_or_else(Zero::zero, |e| e.amount))
		}

		/// The pool that paid for the visit data anchor `seq` of `trial` records, if one did.
		pub fn visit_reward(trial: TrialId, seq: u32) -> Option<PoolId> {
			RewardedVisits::<T>::get(trial, seq)
		}
	}
}

/// How many blocks an authorized visit reward stays valid in the pool.
const AUTHORIZED_LONGEVITY: u64 = 64;
