//! The records this pallet stores. None of them is readable as care (see
//! `pallet-prescriptions-runtime-api`, where they are defined: the runtime API answers with them;
//! the pallet re-exports them).

pub use pallet_prescriptions_runtime_api::{
	choice_message, Batch, BatchId, CustodyStep, Dispense, FillNumber, Holder, PendingFill,
	Prescription, PrescriptionId, PrescriptionStatus, Recall, SupplierKind, CHOICE_DOMAIN,
};
