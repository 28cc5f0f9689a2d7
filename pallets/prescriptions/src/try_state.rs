//! The pallet's invariants over its storage (`try_state`): checked by the `try_state` hook
//! under try-runtime and after every unit test.

use super::*;
use frame_support::{ensure, traits::Get};

impl<T: Config> Pallet<T> {
	/// Checks every invariant that spans the pallet's storage items; an `Err` names the first
	/// one broken. Run by the `try_state` hook and after every unit test.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_prescriptions()?;
		Self::try_state_dispenses()?;
		Self::try_state_batches()?;
		Ok(())
	}

	/// Each prescription: fills never exceed its allowance; completed exactly when every fill
	/// is dispensed; a reserved fill only while active, with fewer parts than a fill may have.
	fn try_state_prescriptions() -> Result<(), sp_runtime::TryRuntimeError> {
		for (_, p) in Prescriptions::<T>::iter() {
			ensure!(
				p.fills_allowed >= 1 && p.fills_allowed <= T::MaxFills::get(),
				"a prescription allows a number of fills out of bounds"
			);
			ensure!(
				p.fills_dispensed <= p.fills_allowed,
				"a prescription has more fills dispensed than it allows"
			);
			ensure!(
				(p.status == PrescriptionStatus::Completed)
					== (p.fills_dispensed == p.fills_allowed),
				"a prescription is completed exactly when every fill is dispensed"
			);
			if let Some(pending) = &p.pending {
				ensure!(
					p.status == PrescriptionStatus::Active,
					"a cancelled or completed prescription has a reserved fill"
				);
				ensure!(
					pending.parts < T::MaxPartsPerFill::get(),
					"a reserved fill has as many parts as a fill may have"
				);
				ensure!(
					p.pharmacy == Some(pending.pharmacy),
					"a fill is reserved by a pharmacy the patient did not choose"
				);
			}
		}
		Ok(())
	}

	/// Dispenses: each prescription's are numbered 0..its count; each names an existing batch
	/// and is mirrored in `BatchDispenses`; the completed fills are the prescription's
	/// dispensed fills; the parts of an active prescription's open fill are its reservation's.
	fn try_state_dispenses() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut total: u64 = 0;
		for (id, p) in Prescriptions::<T>::iter() {
			let mut completed: u8 = 0;
			let mut open_parts: u8 = 0;
			let mut count: u16 = 0;
			for (index, d) in Dispenses::<T>::iter_prefix(id) {
				ensure!(
					index < p.dispenses,
					"a dispense is numbered beyond its prescription's count"
				);
				ensure!(Batches::<T>::contains_key(d.batch), "a dispense names an unknown batch");
				ensure!(
					BatchDispenses::<T>::contains_key(d.batch, (id, index)),
					"a dispense is missing from its batch's index"
				);
				if d.completes_fill {
					completed = completed.saturating_add(1);
				} else if d.fill > p.fills_dispensed {
					open_parts = open_parts.saturating_add(1);
				}
				count = count.saturating_add(1);
			}
			ensure!(count == p.dispenses, "a prescription's dispense count is wrong");
			ensure!(
				completed == p.fills_dispensed,
				"a prescription's dispensed fills are not its completing dispenses"
			);
			// A cancelled prescription may keep the parts of the fill it stopped.
			ensure!(
				p.status != PrescriptionStatus::Active
					|| open_parts == p.pending.as_ref().map_or(0, |pending| pending.parts),
				"the parts of an open fill are not its reservation's"
			);
			total = total.saturating_add(u64::from(count));
		}
		let mirrored = BatchDispenses::<T>::iter_keys().count() as u64;
		ensure!(mirrored == total, "the batches' dispense index holds entries of no dispense");
		Ok(())
	}

	/// Batches: their holder and dispense counts match `Custody` and `BatchDispenses`; the
	/// manufacturer holds each; shipments are of known batches, to holders that do not hold
	/// them, from holders that do.
	fn try_state_batches() -> Result<(), sp_runtime::TryRuntimeError> {
		for (id, b) in Batches::<T>::iter() {
			let holders = Custody::<T>::iter_prefix(id).count() as u64;
			ensure!(holders == u64::from(b.holders), "a batch's holder count is wrong");
			ensure!(
				Custody::<T>::contains_key(id, Holder::Supplier(b.manufacturer.clone())),
				"a batch's manufacturer does not hold it"
			);
			let dispenses = BatchDispenses::<T>::iter_prefix(id).count() as u64;
			ensure!(dispenses == u64::from(b.dispenses), "a batch's dispense count is wrong");
		}
		for (batch, to, from) in Shipments::<T>::iter() {
			ensure!(Batches::<T>::contains_key(batch), "a shipment is of an unknown batch");
			ensure!(!Custody::<T>::contains_key(batch, &to), "a shipment goes to a holder");
			ensure!(Custody::<T>::contains_key(batch, &from), "a shipment comes from no holder");
		}
		Ok(())
	}
}
