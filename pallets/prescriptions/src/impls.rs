//! What the pallet offers other code: the queries behind its runtime API, and the message a
//! one-time key signs on this chain.

use super::*;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;

impl<T: Config> Pallet<T> {
	/// The message the patient's one-time key signs to choose `pharmacy` for `prescription`
	/// at its `nonce`-th choice, on this chain ([`choice_message`] with its genesis hash).
	pub fn choice_message(
		prescription: &PrescriptionId,
		pharmacy: OrganisationId,
		nonce: u32,
	) -> alloc::vec::Vec<u8> {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::default());
		choice_message(genesis.as_ref(), prescription, pharmacy, nonce)
	}

	/// The prescription `id`, if it exists (runtime API).
	pub fn prescription(id: PrescriptionId) -> Option<PrescriptionOf<T>> {
		Prescriptions::<T>::get(id)
	}

	/// The dispenses of prescription `id`, in the order they happened (runtime API; at most
	/// `MaxFills × MaxPartsPerFill`).
	pub fn dispenses(id: PrescriptionId) -> alloc::vec::Vec<DispenseOf<T>> {
		let count = Prescriptions::<T>::get(id).map_or(0, |p| p.dispenses);
		(0..count).filter_map(|index| Dispenses::<T>::get(id, index)).collect()
	}

	/// The batch `id`, if it exists (runtime API).
	pub fn batch(id: BatchId) -> Option<BatchOf<T>> {
		Batches::<T>::get(id)
	}

	/// Who holds batch `id`, with the step by which each received it: from the `start`-th
	/// on, at most `limit` (and at most `MaxPageSize`) of them (runtime API).
	pub fn custody(
		id: BatchId,
		start: u32,
		limit: u32,
	) -> alloc::vec::Vec<(HolderOf<T>, CustodyStepOf<T>)> {
		Self::page(Custody::<T>::iter_prefix(id), start, limit)
	}

	/// The dispenses that named batch `id`, as (prescription, dispense index): from the
	/// `start`-th on, at most `limit` (and at most `MaxPageSize`) of them (runtime API):
	/// what a recall traces.
	pub fn dispenses_of_batch(
		id: BatchId,
		start: u32,
		limit: u32,
	) -> alloc::vec::Vec<(PrescriptionId, u16)> {
		Self::page(BatchDispenses::<T>::iter_key_prefix(id), start, limit)
	}

	/// Items `start..start + limit` of `items`, at most `MaxPageSize` of them.
	fn page<I: Iterator>(items: I, start: u32, limit: u32) -> alloc::vec::Vec<I::Item> {
		let limit = limit.min(T::MaxPageSize::get());
		items
			.skip(usize::try_from(start).unwrap_or(usize::MAX))
			.take(usize::try_from(limit).unwrap_or(usize::MAX))
			.collect()
	}
}
