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
mod impls;
#[cfg(test)]
mod tests;
#[cfg(any(test, feature = "try-runtime"))]
mod try_state;
pub mod types;
pub mod weights;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use medchain_primitives::{Commitment, DirectoryInspect, OrganisationId, PractitionerRole};
use polkadot_sdk::*;

/// Sets up, for the benchmarks, the practitioners the directory must know, and signs as a
/// patient's one-time key.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature> {
	/// Makes `who` an active physician of a new active organisation administered by `admin`;
	/// returns the organisation.
	fn setup_physician(
		admin: &AccountId,
		who: &AccountId,
	) -> Result<OrganisationId, sp_runtime::DispatchError>;

	/// Makes `who` an active pharmacist of a new active pharmacy administered by `admin`;
	/// returns the pharmacy.
	fn setup_pharmacist(
		admin: &AccountId,
		who: &AccountId,
	) -> Result<OrganisationId, sp_runtime::DispatchError>;

	/// Signs `message` with one fixed key; returns that key's account and the signature.
	fn sign(message: &[u8]) -> (AccountId, Signature);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::{IdentifyAccount, Saturating, Verify};

	/// The storage version of this pallet.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// A prescription as this runtime stores it.
	pub type PrescriptionOf<T> =
		Prescription<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A dispense as this runtime stores it.
	pub type DispenseOf<T> = Dispense<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A batch as this runtime stores it.
	pub type BatchOf<T> = Batch<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
	/// A holder of a batch in this runtime.
	pub type HolderOf<T> = Holder<<T as frame_system::Config>::AccountId>;
	/// A custody step in this runtime.
	pub type CustodyStepOf<T> =
		CustodyStep<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The prescriptions pallet's configuration.
	#[pallet::config]
	pub trait Config: polkadot_sdk::frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who the physicians, pharmacists and organisation admins are (the directory).
		type Directory: DirectoryInspect<Self::AccountId>;

		/// The signature of a patient's one-time key choosing a pharmacy (the runtime's
		/// `MultiSignature`).
		type Signature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>> + Parameter;

		/// Who licenses manufacturers and wholesalers and may recall any batch (the regulator:
		/// the council in the runtime).
		type RegulatorOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The most fills one prescription may allow. At least 1.
		#[pallet::constant]
		type MaxFills: Get<FillNumber>;

		/// The most parts one fill may be dispensed in (the last part completes it). At least 1.
		#[pallet::constant]
		type MaxPartsPerFill: Get<u8>;

		/// The longest a prescription may stay valid, in blocks. At least 1.
		#[pallet::constant]
		type MaxValidity: Get<BlockNumberFor<Self>>;

		/// How long a reserved fill with nothing dispensed holds off other pharmacies, in blocks:
		/// after it, the patient's new choice moves the fill to another pharmacy.
		#[pallet::constant]
		type PendingLifetime: Get<BlockNumberFor<Self>>;

		/// The most entries one page of [`Pallet::custody`] or [`Pallet::dispenses_of_batch`]
		/// returns.
		#[pallet::constant]
		type MaxPageSize: Get<u32>;

		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;

		/// Sets up physicians and pharmacists and signs as a patient, for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId, Self::Signature>;
	}

	/// Prescriptions by id (ids drawn at random by the prescriber's client). Never removed: a
	/// cancelled, completed or expired prescription stays, with its dispenses, for audit.
	#[pallet::storage]
	pub type Prescriptions<T: Config> =
		StorageMap<_, Blake2_128Concat, PrescriptionId, PrescriptionOf<T>, OptionQuery>;

	/// Every dispense of every prescription, numbered from 0 in the order they happened.
	#[pallet::storage]
	pub type Dispenses<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		PrescriptionId,
		Twox64Concat,
		u16,
		DispenseOf<T>,
		OptionQuery,
	>;

	/// Licensed suppliers of medicines (manufacturers and wholesalers).
	#[pallet::storage]
	pub type Suppliers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, SupplierKind, OptionQuery>;

	/// Batches by id. Never removed.
	#[pallet::storage]
	pub type Batches<T: Config> = StorageMap<_, Blake2_128Concat, BatchId, BatchOf<T>, OptionQuery>;

	/// Who holds (part of) each batch, with the step by which they received it. A holder keeps
	/// custody after shipping part of it on.
	#[pallet::storage]
	pub type Custody<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		BatchId,
		Blake2_128Concat,
		HolderOf<T>,
		CustodyStepOf<T>,
		OptionQuery,
	>;

	/// Shipments sent and not yet received: (batch, recipient) → sender.
	#[pallet::storage]
	pub type Shipments<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		BatchId,
		Blake2_128Concat,
		HolderOf<T>,
		HolderOf<T>,
		OptionQuery,
	>;

	/// Which dispenses named each batch (mirrors [`Dispenses`]): a recall finds the prescriptions,
	/// and their patients find the recall, without naming a patient.
	#[pallet::storage]
	pub type BatchDispenses<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		BatchId,
		Blake2_128Concat,
		(PrescriptionId, u16),
		(),
		OptionQuery,
	>;

	/// What happened to prescriptions and batches. No event names a patient, a medicine, a
	/// product or a schedule class.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A physician issued a prescription.
		Prescribed {
			/// The prescription.
			prescription: PrescriptionId,
			/// The physician.
			prescriber: T::AccountId,
			/// Their organisation.
			organisation: OrganisationId,
			/// How many fills it allows.
			fills: FillNumber,
			/// The last block in which it may be dispensed.
			valid_until: BlockNumberFor<T>,
		},
		/// A pharmacist reserved a fill: no other pharmacy may dispense it meanwhile.
		FillReserved {
			/// The prescription.
			prescription: PrescriptionId,
			/// The fill's number (from 1).
			fill: FillNumber,
			/// The pharmacy.
			pharmacy: OrganisationId,
			/// Whether the patient's one-time key chose this pharmacy in the same call.
			chosen_now: bool,
		},
		/// A fill, or a part of one, was dispensed.
		Dispensed {
			/// The prescription.
			prescription: PrescriptionId,
			/// The fill (from 1).
			fill: FillNumber,
			/// The part of the fill (from 1).
			part: u8,
			/// Whether it completed the fill.
			completes_fill: bool,
			/// The pharmacy.
			pharmacy: OrganisationId,
			/// The batch it came from.
			batch: BatchId,
		},
		/// A reserved fill was released with nothing dispensed: any chosen pharmacy may take it.
		FillReleased {
			/// The prescription.
			prescription: PrescriptionId,
			/// The fill.
			fill: FillNumber,
			/// The pharmacy that had reserved it.
			pharmacy: OrganisationId,
		},
		/// A prescription was cancelled: nothing more is dispensed.
		PrescriptionCancelled {
			/// The prescription.
			prescription: PrescriptionId,
			/// Who cancelled it (the prescriber or their organisation's admin).
			by: T::AccountId,
			/// Whether a reserved fill was dropped with it.
			dropped_pending: bool,
		},
		/// The regulator licensed a supplier.
		SupplierLicensed {
			/// The supplier's account.
			supplier: T::AccountId,
			/// What it is.
			kind: SupplierKind,
		},
		/// The regulator revoked a supplier's licence.
		SupplierRevoked {
			/// The supplier's account.
			supplier: T::AccountId,
		},
		/// A manufacturer registered a batch.
		BatchRegistered {
			/// The batch.
			batch: BatchId,
			/// The manufacturer.
			manufacturer: T::AccountId,
		},
		/// A holder shipped (part of) a batch.
		BatchShipped {
			/// The batch.
			batch: BatchId,
			/// The sender.
			from: HolderOf<T>,
			/// The recipient.
			to: HolderOf<T>,
		},
		/// The sender cancelled a shipment that had not been received.
		ShipmentCancelled {
			/// The batch.
			batch: BatchId,
			/// The sender.
			from: HolderOf<T>,
			/// The recipient it was addressed to.
			to: HolderOf<T>,
		},
		/// A recipient received a shipment: it holds the batch now.
		BatchReceived {
			/// The batch.
			batch: BatchId,
			/// The sender.
			from: HolderOf<T>,
			/// The recipient.
			to: HolderOf<T>,
		},
		/// A batch was recalled: it is refused at dispensing and in custody from now on.
		BatchRecalled {
			/// The batch.
			batch: BatchId,
			/// Commitment to the recall notice.
			notice: Commitment,
			/// How many dispenses had named it (the prescriptions to trace).
			dispenses: u32,
		},
	}

	/// Why a call was refused. A refused call changes nothing.
	#[pallet::error]
	pub enum Error<T> {
		/// The prescription does not exist.
		NotFound,
		/// A prescription with this id exists already.
		AlreadyExists,
		/// Only an active physician (valid licence, active organisation) may prescribe.
		NotPrescriber,
		/// The number of fills is zero or more than `MaxFills`.
		BadFillCount,
		/// The validity is zero blocks or longer than `MaxValidity`.
		BadValidity,
		/// Only the prescriber or their organisation's admin may do this.
		NotAuthorized,
		/// The prescription is cancelled.
		Cancelled,
		/// Every fill of the prescription has been dispensed.
		Completed,
		/// The prescription's validity has ended.
		Expired,
		/// Only an active pharmacist (valid licence, active organisation) may do this.
		NotPharmacist,
		/// The signature is not the prescription's one-time key's over this pharmacy's choice.
		BadSignature,
		/// The patient has not chosen a pharmacy yet: a choice must come with the reservation.
		NoPharmacyChosen,
		/// The patient chose another pharmacy (or another pharmacy is dispensing the fill).
		NotChosenPharmacy,
		/// A fill is being dispensed (by this or another pharmacy): finish or release it first.
		FillPending,
		/// No fill is reserved: reserve one first.
		NoFillPending,
		/// The fill has as many parts as a fill may have: this part must complete it.
		TooManyParts,
		/// Part of the fill has been dispensed: it can only be completed, not released.
		PartsDispensed,
		/// The account is not a licensed supplier.
		NotSupplier,
		/// The account is a licensed supplier already.
		AlreadySupplier,
		/// Only a licensed manufacturer (for a recall: the batch's manufacturer) may do this.
		NotManufacturer,
		/// The batch does not exist.
		BatchNotFound,
		/// A batch with this id exists already.
		BatchExists,
		/// The batch has been recalled.
		BatchRecalled,
		/// The pharmacy does not hold the batch (it never received it).
		BatchNotHeld,
		/// The caller holds none of the batch.
		NotHolder,
		/// The recipient holds the batch already.
		AlreadyHeld,
		/// A shipment of the batch to this recipient is waiting to be received already.
		ShipmentExists,
		/// No shipment of the batch to the caller (or, to cancel, to this recipient) is waiting.
		ShipmentNotFound,
		/// Only the sender of a shipment may cancel it.
		NotSender,
		/// The caller is neither a licensed supplier nor an active pharmacist.
		NotSupplierOrPharmacist,
		/// The batch has been recalled already.
		AlreadyRecalled,
		/// A counter would overflow.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxFills::get() >= 1, "MaxFills must be at least 1");
			assert!(T::MaxPartsPerFill::get() >= 1, "MaxPartsPerFill must be at least 1");
			assert!(T::MaxPageSize::get() >= 1, "MaxPageSize must allow an entry per page");
			assert!(T::MaxValidity::get() >= 1u32.into(), "MaxValidity must be at least one block");
			// Dispense indexes are u16: every fill in every part must fit.
			assert!(
				u32::from(T::MaxFills::get()).saturating_mul(u32::from(T::MaxPartsPerFill::get()))
					<= u32::from(u16::MAX),
				"MaxFills × MaxPartsPerFill must fit a u16"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Issues a prescription: what dispensing needs, nothing readable as care.
		///
		/// The origin must be signed by an active physician (or emergency physician); the
		/// prescription belongs to their organisation.
		///
		/// - `prescription`: its id, drawn at random by the client (the MedicationRequest names
		///   it).
		/// - `request`: commitment to the MedicationRequest document.
		/// - `schedule`: salted commitment to its controlled-substance schedule class.
		/// - `counter_key`: the account of a one-time key whose secret only the patient's copy
		///   holds; its signature chooses the pharmacy.
		/// - `fills`: how many fills it allows (1 to `MaxFills`).
		/// - `valid_for`: for how many blocks from now it may be dispensed (1 to `MaxValidity`).
		///
		/// # Events
		/// [`Event::Prescribed`].
		///
		/// # Errors
		/// - [`Error::NotPrescriber`]: the caller is not an active physician.
		/// - [`Error::BadFillCount`], [`Error::BadValidity`]: out of bounds.
		/// - [`Error::AlreadyExists`]: the id is taken.
		///
		/// Complexity: O(1).
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::prescribe())]
		pub fn prescribe(
			origin: OriginFor<T>,
			prescription: PrescriptionId,
			request: Commitment,
			schedule: Commitment,
			counter_key: T::AccountId,
			fills: FillNumber,
			valid_for: BlockNumberFor<T>,
		) -> DispatchResult {
			let prescriber = ensure_signed(origin)?;
			let organisation = T::Directory::active_practitioner(&prescriber)
				.filter(|p| {
					matches!(
						p.role,
						PractitionerRole::Physician | PractitionerRole::EmergencyPhysician
					)
				})
				.ok_or(Error::<T>::NotPrescriber)?
				.organisation;
			ensure!((1..=T::MaxFills::get()).contains(&fills), Error::<T>::BadFillCount);
			ensure!(
				valid_for >= 1u32.into() && valid_for <= T::MaxValidity::get(),
				Error::<T>::BadValidity
			);
			ensure!(!Prescriptions::<T>::contains_key(prescription), Error::<T>::AlreadyExists);
			let now = frame_system::Pallet::<T>::block_number();
			let valid_until = now.saturating_add(valid_for);
			Prescriptions::<T>::insert(
				prescription,
				Prescription {
					prescriber: prescriber.clone(),
					organisation,
					request,
					schedule,
					counter_key,
					fills_allowed: fills,
					fills_dispensed: 0,
					issued_at: now,
					valid_until,
					pharmacy: None,
					choices: 0,
					pending: None,
					dispenses: 0,
					status: PrescriptionStatus::Active,
				},
			);
			Self::deposit_event(Event::Prescribed {
				prescription,
				prescriber,
				organisation,
				fills,
				valid_until,
			});
			Ok(())
		}

		/// Reserves the prescription's next fill for the caller's pharmacy, so that no other
		/// pharmacy dispenses it meanwhile: the pharmacist scans the prescription at the counter.
		///
		/// The origin must be signed by an active pharmacist. `choice`, the patient's one-time
		/// key's signature over [`choice_message`] (this chain's genesis hash, this
		/// prescription, the caller's pharmacy and the number of choices made so far), chooses
		/// the caller's pharmacy; without it, the
		/// patient must have chosen it before. A fill reserved elsewhere, with nothing dispensed,
		/// for longer than `PendingLifetime`, moves to the caller's pharmacy with a new choice.
		///
		/// # Events
		/// [`Event::FillReserved`] (and [`Event::FillReleased`] for a stale reservation moved).
		///
		/// # Errors
		/// - [`Error::NotPharmacist`]: the caller is not an active pharmacist.
		/// - [`Error::NotFound`]; [`Error::Cancelled`], [`Error::Completed`], [`Error::Expired`].
		/// - [`Error::FillPending`]: a fill is reserved (and not stale, or no choice came).
		/// - [`Error::BadSignature`]: the choice is not the one-time key's for this pharmacy and
		///   this turn (a signature chooses once).
		/// - [`Error::NoPharmacyChosen`], [`Error::NotChosenPharmacy`]: without a choice, the
		///   caller's pharmacy is not the one chosen.
		///
		/// Complexity: O(1) (one signature check).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::reserve_fill())]
		pub fn reserve_fill(
			origin: OriginFor<T>,
			prescription: PrescriptionId,
			choice: Option<T::Signature>,
		) -> DispatchResult {
			let pharmacist = ensure_signed(origin)?;
			let pharmacy = Self::pharmacy_of(&pharmacist)?;
			let now = frame_system::Pallet::<T>::block_number();
			Prescriptions::<T>::try_mutate(prescription, |p| -> DispatchResult {
				let p = p.as_mut().ok_or(Error::<T>::NotFound)?;
				Self::ensure_dispensable(p, now)?;
				let moved = match &p.pending {
					None => None,
					Some(pending) => {
						let stale = pending.parts == 0
							&& now > pending.since.saturating_add(T::PendingLifetime::get());
						ensure!(stale && choice.is_some(), Error::<T>::FillPending);
						Some(pending.pharmacy)
					},
				};
				let chosen_now = choice.is_some();
				match choice {
					Some(signature) => {
						let message = Self::choice_message(&prescription, pharmacy, p.choices);
						ensure!(
							signature.verify(&message[..], &p.counter_key),
							Error::<T>::BadSignature
						);
						p.choices = p.choices.checked_add(1).ok_or(Error::<T>::Overflow)?;
						p.pharmacy = Some(pharmacy);
					},
					None => match p.pharmacy {
						None => return Err(Error::<T>::NoPharmacyChosen.into()),
						Some(chosen) => ensure!(chosen == pharmacy, Error::<T>::NotChosenPharmacy),
					},
				}
				let fill = p.fills_dispensed.checked_add(1).ok_or(Error::<T>::Overflow)?;
				p.pending = Some(PendingFill { pharmacy, pharmacist, since: now, parts: 0 });
				if let Some(previous) = moved {
					Self::deposit_event(Event::FillReleased {
						prescription,
						fill,
						pharmacy: previous,
					});
				}
				Self::deposit_event(Event::FillReserved {
					prescription,
					fill,
					pharmacy,
					chosen_now,
				});
				Ok(())
			})
		}

		/// Dispenses the reserved fill, whole or in part, from a batch the pharmacy holds.
		///
		/// The origin must be signed by an active pharmacist of the pharmacy that reserved the
		/// fill.
		///
		/// - `batch`: the batch handed over (held by the pharmacy, not recalled).
		/// - `dispense`: commitment to the MedicationDispense document.
		/// - `completes_fill`: whether this completes the fill; a fill's last possible part
		///   (`MaxPartsPerFill`) must.
		///
		/// # Events
		/// [`Event::Dispensed`].
		///
		/// # Errors
		/// - [`Error::NotPharmacist`]; [`Error::NotFound`]; [`Error::Cancelled`],
		///   [`Error::Completed`], [`Error::Expired`].
		/// - [`Error::NoFillPending`]: no fill is reserved.
		/// - [`Error::NotChosenPharmacy`]: another pharmacy reserved it.
		/// - [`Error::TooManyParts`]: the part would not complete a fill at its last part.
		/// - [`Error::BatchNotFound`], [`Error::BatchRecalled`], [`Error::BatchNotHeld`].
		/// - [`Error::Overflow`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::dispense())]
		pub fn dispense(
			origin: OriginFor<T>,
			prescription: PrescriptionId,
			batch: BatchId,
			dispense: Commitment,
			completes_fill: bool,
		) -> DispatchResult {
			let pharmacist = ensure_signed(origin)?;
			let pharmacy = Self::pharmacy_of(&pharmacist)?;
			let now = frame_system::Pallet::<T>::block_number();
			let mut p = Prescriptions::<T>::get(prescription).ok_or(Error::<T>::NotFound)?;
			Self::ensure_dispensable(&p, now)?;
			let mut pending = p.pending.clone().ok_or(Error::<T>::NoFillPending)?;
			ensure!(pending.pharmacy == pharmacy, Error::<T>::NotChosenPharmacy);
			let part = pending.parts.checked_add(1).ok_or(Error::<T>::Overflow)?;
			ensure!(completes_fill || part < T::MaxPartsPerFill::get(), Error::<T>::TooManyParts);
			let mut b = Batches::<T>::get(batch).ok_or(Error::<T>::BatchNotFound)?;
			ensure!(b.recall.is_none(), Error::<T>::BatchRecalled);
			ensure!(
				Custody::<T>::contains_key(batch, Holder::Pharmacy(pharmacy)),
				Error::<T>::BatchNotHeld
			);
			let fill = p.fills_dispensed.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let index = p.dispenses;
			p.dispenses = index.checked_add(1).ok_or(Error::<T>::Overflow)?;
			b.dispenses = b.dispenses.checked_add(1).ok_or(Error::<T>::Overflow)?;
			if completes_fill {
				p.fills_dispensed = fill;
				p.pending = None;
				if fill >= p.fills_allowed {
					p.status = PrescriptionStatus::Completed;
				}
			} else {
				pending.parts = part;
				p.pending = Some(pending);
			}
			Dispenses::<T>::insert(
				prescription,
				index,
				Dispense {
					fill,
					part,
					completes_fill,
					pharmacy,
					pharmacist,
					batch,
					dispense,
					at: now,
				},
			);
			BatchDispenses::<T>::insert(batch, (prescription, index), ());
			Batches::<T>::insert(batch, b);
			Prescriptions::<T>::insert(prescription, p);
			Self::deposit_event(Event::Dispensed {
				prescription,
				fill,
				part,
				completes_fill,
				pharmacy,
				batch,
			});
			Ok(())
		}

		/// Releases a reserved fill of which nothing was dispensed (the patient left, the
		/// medicine is out of stock): the fill goes back, for any pharmacy the patient chooses.
		///
		/// The origin must be signed by an active pharmacist of the pharmacy that reserved it.
		///
		/// # Events
		/// [`Event::FillReleased`].
		///
		/// # Errors
		/// - [`Error::NotPharmacist`]; [`Error::NotFound`]; [`Error::NoFillPending`];
		///   [`Error::NotChosenPharmacy`] (another pharmacy reserved it).
		/// - [`Error::PartsDispensed`]: part of it was dispensed; complete it instead.
		///
		/// Complexity: O(1).
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::release_fill())]
		pub fn release_fill(origin: OriginFor<T>, prescription: PrescriptionId) -> DispatchResult {
			let pharmacist = ensure_signed(origin)?;
			let pharmacy = Self::pharmacy_of(&pharmacist)?;
			Prescriptions::<T>::try_mutate(prescription, |p| -> DispatchResult {
				let p = p.as_mut().ok_or(Error::<T>::NotFound)?;
				let pending = p.pending.as_ref().ok_or(Error::<T>::NoFillPending)?;
				ensure!(pending.pharmacy == pharmacy, Error::<T>::NotChosenPharmacy);
				ensure!(pending.parts == 0, Error::<T>::PartsDispensed);
				p.pending = None;
				let fill = p.fills_dispensed.checked_add(1).ok_or(Error::<T>::Overflow)?;
				Self::deposit_event(Event::FillReleased { prescription, fill, pharmacy });
				Ok(())
			})
		}

		/// Cancels a prescription: nothing more is dispensed, and a reserved fill is dropped.
		///
		/// The origin must be signed by the prescriber or by the admin of the organisation they
		/// prescribed for.
		///
		/// # Events
		/// [`Event::PrescriptionCancelled`].
		///
		/// # Errors
		/// - [`Error::NotFound`]; [`Error::NotAuthorized`].
		/// - [`Error::Cancelled`], [`Error::Completed`]: nothing is left to cancel.
		///
		/// Complexity: O(1).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::cancel_prescription())]
		pub fn cancel_prescription(
			origin: OriginFor<T>,
			prescription: PrescriptionId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Prescriptions::<T>::try_mutate(prescription, |p| -> DispatchResult {
				let p = p.as_mut().ok_or(Error::<T>::NotFound)?;
				ensure!(
					p.prescriber == who
						|| T::Directory::is_organisation_admin(&who, p.organisation),
					Error::<T>::NotAuthorized
				);
				match p.status {
					PrescriptionStatus::Active => {},
					PrescriptionStatus::Cancelled => return Err(Error::<T>::Cancelled.into()),
					PrescriptionStatus::Completed => return Err(Error::<T>::Completed.into()),
				}
				let dropped_pending = p.pending.take().is_some();
				p.status = PrescriptionStatus::Cancelled;
				Self::deposit_event(Event::PrescriptionCancelled {
					prescription,
					by: who,
					dropped_pending,
				});
				Ok(())
			})
		}

		/// Licenses a manufacturer or a wholesaler.
		///
		/// The origin must be the regulator (`RegulatorOrigin`).
		///
		/// # Events
		/// [`Event::SupplierLicensed`].
		///
		/// # Errors
		/// - [`Error::AlreadySupplier`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::license_supplier())]
		pub fn license_supplier(
			origin: OriginFor<T>,
			supplier: T::AccountId,
			kind: SupplierKind,
		) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			ensure!(!Suppliers::<T>::contains_key(&supplier), Error::<T>::AlreadySupplier);
			Suppliers::<T>::insert(&supplier, kind);
			Self::deposit_event(Event::SupplierLicensed { supplier, kind });
			Ok(())
		}

		/// Revokes a supplier's licence: it registers and ships nothing more (its batches and
		/// their custody stay, and a manufacturer may still recall its own batches).
		///
		/// The origin must be the regulator (`RegulatorOrigin`).
		///
		/// # Events
		/// [`Event::SupplierRevoked`].
		///
		/// # Errors
		/// - [`Error::NotSupplier`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::revoke_supplier())]
		pub fn revoke_supplier(origin: OriginFor<T>, supplier: T::AccountId) -> DispatchResult {
			T::RegulatorOrigin::ensure_origin(origin)?;
			ensure!(Suppliers::<T>::take(&supplier).is_some(), Error::<T>::NotSupplier);
			Self::deposit_event(Event::SupplierRevoked { supplier });
			Ok(())
		}

		/// Registers a batch the caller made; the caller holds it.
		///
		/// The origin must be signed by a licensed manufacturer.
		///
		/// - `batch`: commitment to the product code, batch number and the manufacturer's salt.
		/// - `product`, `expiry`: salted commitments to the product and its expiry date.
		///
		/// # Events
		/// [`Event::BatchRegistered`].
		///
		/// # Errors
		/// - [`Error::NotManufacturer`]; [`Error::BatchExists`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::register_batch())]
		pub fn register_batch(
			origin: OriginFor<T>,
			batch: BatchId,
			product: Commitment,
			expiry: Commitment,
		) -> DispatchResult {
			let manufacturer = ensure_signed(origin)?;
			ensure!(
				Suppliers::<T>::get(&manufacturer) == Some(SupplierKind::Manufacturer),
				Error::<T>::NotManufacturer
			);
			ensure!(!Batches::<T>::contains_key(batch), Error::<T>::BatchExists);
			let now = frame_system::Pallet::<T>::block_number();
			Batches::<T>::insert(
				batch,
				Batch {
					manufacturer: manufacturer.clone(),
					product,
					expiry,
					registered_at: now,
					holders: 1,
					dispenses: 0,
					recall: None,
				},
			);
			Custody::<T>::insert(
				batch,
				Holder::Supplier(manufacturer.clone()),
				CustodyStep { from: None, at: now },
			);
			Self::deposit_event(Event::BatchRegistered { batch, manufacturer });
			Ok(())
		}

		/// Ships (part of) a batch the caller holds to a wholesaler or a pharmacy; the recipient
		/// holds it once it confirms receipt ([`Pallet::receive_batch`]).
		///
		/// The origin must be signed by a licensed supplier holding the batch, or by an active
		/// pharmacist of a pharmacy holding it.
		///
		/// # Events
		/// [`Event::BatchShipped`].
		///
		/// # Errors
		/// - [`Error::BatchNotFound`]; [`Error::BatchRecalled`].
		/// - [`Error::NotHolder`]: the caller (or their pharmacy) holds none of it.
		/// - [`Error::NotSupplier`]: the recipient is an account that is not a licensed supplier.
		/// - [`Error::AlreadyHeld`]: the recipient holds it already.
		/// - [`Error::ShipmentExists`]: a shipment to the recipient is waiting already.
		///
		/// Complexity: O(1).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::ship_batch())]
		pub fn ship_batch(origin: OriginFor<T>, batch: BatchId, to: HolderOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let b = Batches::<T>::get(batch).ok_or(Error::<T>::BatchNotFound)?;
			ensure!(b.recall.is_none(), Error::<T>::BatchRecalled);
			let from = Self::holder_of(&who)
				.filter(|h| Custody::<T>::contains_key(batch, h))
				.ok_or(Error::<T>::NotHolder)?;
			if let Holder::Supplier(account) = &to {
				ensure!(Suppliers::<T>::contains_key(account), Error::<T>::NotSupplier);
			}
			ensure!(!Custody::<T>::contains_key(batch, &to), Error::<T>::AlreadyHeld);
			ensure!(!Shipments::<T>::contains_key(batch, &to), Error::<T>::ShipmentExists);
			Shipments::<T>::insert(batch, &to, &from);
			Self::deposit_event(Event::BatchShipped { batch, from, to });
			Ok(())
		}

		/// Confirms receipt of a shipment of a batch: the caller (or their pharmacy) holds it.
		///
		/// The origin must be signed by a licensed supplier, or by an active pharmacist (who
		/// receives for their pharmacy).
		///
		/// # Events
		/// [`Event::BatchReceived`].
		///
		/// # Errors
		/// - [`Error::NotSupplierOrPharmacist`]; [`Error::BatchNotFound`];
		///   [`Error::BatchRecalled`] (a recalled batch is not taken in).
		/// - [`Error::ShipmentNotFound`]: nothing of the batch was shipped to the caller.
		/// - [`Error::Overflow`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::receive_batch())]
		pub fn receive_batch(origin: OriginFor<T>, batch: BatchId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let to = Self::holder_of(&who).ok_or(Error::<T>::NotSupplierOrPharmacist)?;
			let mut b = Batches::<T>::get(batch).ok_or(Error::<T>::BatchNotFound)?;
			ensure!(b.recall.is_none(), Error::<T>::BatchRecalled);
			let from = Shipments::<T>::get(batch, &to).ok_or(Error::<T>::ShipmentNotFound)?;
			b.holders = b.holders.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let now = frame_system::Pallet::<T>::block_number();
			Shipments::<T>::remove(batch, &to);
			Custody::<T>::insert(batch, &to, CustodyStep { from: Some(from.clone()), at: now });
			Batches::<T>::insert(batch, b);
			Self::deposit_event(Event::BatchReceived { batch, from, to });
			Ok(())
		}

		/// Cancels a shipment that has not been received (sent to the wrong recipient, lost on
		/// the way): the recipient can no longer receive it. The sender keeps custody.
		///
		/// The origin must be signed by the sender: the supplier, or an active pharmacist of the
		/// pharmacy, that shipped it.
		///
		/// # Events
		/// [`Event::ShipmentCancelled`].
		///
		/// # Errors
		/// - [`Error::ShipmentNotFound`]: no shipment of the batch to `to` is waiting.
		/// - [`Error::NotSender`]: the caller (or their pharmacy) did not send it.
		///
		/// Complexity: O(1).
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::cancel_shipment())]
		pub fn cancel_shipment(
			origin: OriginFor<T>,
			batch: BatchId,
			to: HolderOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let from = Shipments::<T>::get(batch, &to).ok_or(Error::<T>::ShipmentNotFound)?;
			ensure!(Self::holder_of(&who).as_ref() == Some(&from), Error::<T>::NotSender);
			Shipments::<T>::remove(batch, &to);
			Self::deposit_event(Event::ShipmentCancelled { batch, from, to });
			Ok(())
		}

		/// Recalls a batch: from now on it is refused at dispensing, in shipping and in receipt.
		/// The dispenses that named it ([`BatchDispenses`]) say which prescriptions received it;
		/// their patients' clients find the recall by their own prescriptions, and the chain
		/// names no patient.
		///
		/// The origin must be the regulator (`RegulatorOrigin`) or signed by the batch's
		/// manufacturer (licensed or not any more).
		///
		/// - `notice`: commitment to the recall notice.
		///
		/// # Events
		/// [`Event::BatchRecalled`].
		///
		/// # Errors
		/// - [`Error::BatchNotFound`]; [`Error::NotManufacturer`]; [`Error::AlreadyRecalled`].
		///
		/// Complexity: O(1).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::recall_batch())]
		pub fn recall_batch(
			origin: OriginFor<T>,
			batch: BatchId,
			notice: Commitment,
		) -> DispatchResult {
			let by_regulator = T::RegulatorOrigin::try_origin(origin.clone()).is_ok();
			let caller = if by_regulator { None } else { Some(ensure_signed(origin)?) };
			Batches::<T>::try_mutate(batch, |b| -> DispatchResult {
				let b = b.as_mut().ok_or(Error::<T>::BatchNotFound)?;
				if let Some(caller) = caller {
					ensure!(caller == b.manufacturer, Error::<T>::NotManufacturer);
				}
				ensure!(b.recall.is_none(), Error::<T>::AlreadyRecalled);
				let now = frame_system::Pallet::<T>::block_number();
				b.recall = Some(Recall { at: now, notice });
				Self::deposit_event(Event::BatchRecalled { batch, notice, dispenses: b.dispenses });
				Ok(())
			})
		}
	}

	impl<T: Config> Pallet<T> {
		/// The pharmacy `who` acts for, if `who` is an active pharmacist.
		fn pharmacy_of(who: &T::AccountId) -> Result<OrganisationId, Error<T>> {
			T::Directory::active_practitioner(who)
				.filter(|p| p.role == PractitionerRole::Pharmacist)
				.map(|p| p.organisation)
				.ok_or(Error::<T>::NotPharmacist)
		}

		/// Whom `who` acts for in the supply chain: themselves if a licensed supplier, else their
		/// pharmacy if an active pharmacist.
		fn holder_of(who: &T::AccountId) -> Option<HolderOf<T>> {
			if Suppliers::<T>::contains_key(who) {
				return Some(Holder::Supplier(who.clone()));
			}
			Self::pharmacy_of(who).ok().map(Holder::Pharmacy)
		}

		/// Whether a fill of `p` may be reserved or dispensed now.
		fn ensure_dispensable(p: &PrescriptionOf<T>, now: BlockNumberFor<T>) -> DispatchResult {
			match p.status {
				PrescriptionStatus::Active => {},
				PrescriptionStatus::Cancelled => return Err(Error::<T>::Cancelled.into()),
				PrescriptionStatus::Completed => return Err(Error::<T>::Completed.into()),
			}
			ensure!(now <= p.valid_until, Error::<T>::Expired);
			Ok(())
		}
	}
}
