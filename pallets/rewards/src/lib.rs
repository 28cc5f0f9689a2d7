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

use medchain_primitives::{Commitment, DirectoryInspect, OrganisationId};
use polkadot_sdk::*;

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
	use sp_runtime::traits::{
		AccountIdConversion, BlakeTwo256, CheckedAdd, CheckedDiv, Hash, TrailingZeroInput, Zero,
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
			let kinds = [rates.appointment, rates.survey];
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
			let p = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
			ensure!(!p.closed, Error::<T>::PoolClosed);
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
			let mut p = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
			ensure!(!p.closed, Error::<T>::PoolClosed);
			ensure!(
				T::Directory::active_practitioner(&who)
					.is_some_and(|a| a.organisation == p.organisation),
				Error::<T>::NotPoolPractitioner
			);
			ensure!(T::Directory::is_patient(&patient), Error::<T>::NotAPatient);
			let amount = p.rates.of(kind);
			ensure!(!amount.is_zero(), Error::<T>::KindNotRewarded);
			ensure!(!Attested::<T>::contains_key(pool, attestation), Error::<T>::AlreadyRewarded);
			let period = frame_system::Pallet::<T>::block_number()
				.checked_div(&p.period)
				.ok_or(Error::<T>::Overflow)?;
			let before = EarnedIn::<T>::get(pool, &patient)
				.filter(|e| e.period == period)
				.map_or_else(Zero::zero, |e| e.amount);
			let after = before.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			ensure!(after <= p.cap, Error::<T>::CapReached);
			let account = Self::pool_account(pool);
			ensure!(T::Currency::balance(&account) >= amount, Error::<T>::InsufficientFunds);
			p.rewards = p.rewards.checked_add(1).ok_or(Error::<T>::Overflow)?;
			p.paid = p.paid.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			T::Currency::transfer(&account, &patient, amount, Preservation::Expendable)?;
			Pools::<T>::insert(pool, p);
			EarnedIn::<T>::insert(pool, &patient, Earned { period, amount: after });
			Attested::<T>::insert(pool, attestation, ());
			Self::deposit_event(Event::Rewarded { pool, patient, kind, amount });
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

	impl<T: Config> Pallet<T> {
		/// The account holding pool `pool`'s funds: a hash of the pallet's id and the pool's,
		/// as an account id, which no key controls.
		pub fn pool_account(pool: PoolId) -> T::AccountId {
			let entropy = BlakeTwo256::hash_of(&(T::PalletId::get(), b"pool", pool));
			T::AccountId::decode(&mut TrailingZeroInput::new(entropy.as_ref()))
				.unwrap_or_else(|_| T::PalletId::get().into_sub_account_truncating(pool))
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
			let p = Pools::<T>::get(pool)?;
			let period = at.checked_div(&p.period)?;
			Some(
				EarnedIn::<T>::get(pool, patient)
					.filter(|e| e.period == period)
					.map_or_else(Zero::zero, |e| e.amount),
			)
		}
	}
}
