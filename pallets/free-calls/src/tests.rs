//! The extension through `validate` and `prepare`, as a block author and the pool run it, over
//! the real fee extension (`ChargeTransactionPayment`) and balances.

use crate::{
	mock::*, Allowances, BlockUse, FreeForPatients, ThisBlock, Usage, ALLOWANCE_USED_UP,
	RECOVERED_ACCOUNT, TOO_LARGE_TO_BE_FREE,
};
use frame_support::{assert_ok, dispatch::DispatchInfo, weights::Weight};
use polkadot_sdk::*;
use sp_runtime::{
	traits::{DispatchTransaction, TransactionExtension},
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
};

type Charge = pallet_transaction_payment::ChargeTransactionPayment<Test>;
type Ext = FreeForPatients<Test, Charge>;

fn remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![7; 10] })
}

fn paid_call() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark_with_event { remark: vec![7; 10] })
}

fn info() -> DispatchInfo {
	DispatchInfo { call_weight: CALL_WEIGHT, ..Default::default() }
}

/// Runs `call` signed by `who` through the extension (validation, preparation, a successful
/// dispatch and post-dispatch), as a block author applies it.
fn apply(who: u64, call: RuntimeCall) -> Result<(), TransactionValidityError> {
	apply_sized(who, call, CALL_WEIGHT, 20)
}

/// [`apply`] with a call of `weight` and `len` bytes.
fn apply_sized(
	who: u64,
	call: RuntimeCall,
	weight: Weight,
	len: usize,
) -> Result<(), TransactionValidityError> {
	let ext = Ext::new(Charge::from(0));
	let info = DispatchInfo { call_weight: weight, ..Default::default() };
	ext.test_run(RuntimeOrigin::signed(who), &call, &info, len, 0, |_| Ok(().into())).map(
		|dispatched| {
			assert_ok!(dispatched);
		},
	)
}

/// Validation only, as the transaction pool runs it.
fn validate(who: u64, call: RuntimeCall) -> Result<(), TransactionValidityError> {
	let ext = Ext::new(Charge::from(0));
	ext.validate_only(
		RuntimeOrigin::signed(who),
		&call,
		&info(),
		20,
		TransactionSource::External,
		0,
	)
	.map(|_| ())
}

fn next_block() {
	System::set_block_number(System::block_number() + 1);
}

#[test]
fn a_patient_with_no_funds_makes_free_calls_within_the_allowance() {
	new_test_ext().execute_with(|| {
		for _ in 0..2 {
			assert_ok!(apply(POOR_PATIENT, remark()));
		}
		next_block();
		assert_ok!(apply(POOR_PATIENT, remark()));
		assert_eq!(FreeCalls::used(&POOR_PATIENT), CALLS);
		assert_eq!(Balances::free_balance(POOR_PATIENT), 0);
	});
}

#[test]
fn a_free_call_costs_a_funded_patient_nothing() {
	new_test_ext().execute_with(|| {
		assert_ok!(apply(RICH_PATIENT, remark()));
		assert_eq!(Balances::free_balance(RICH_PATIENT), FUNDS);
		assert_eq!(FreeCalls::remaining(&RICH_PATIENT), CALLS - 1);
	});
}

#[test]
fn the_call_after_the_allowance_is_refused_with_allowance_used_up() {
	new_test_ext().execute_with(|| {
		for _ in 0..CALLS {
			next_block();
			assert_ok!(apply(POOR_PATIENT, remark()));
		}
		next_block();
		let refused =
			TransactionValidityError::Invalid(InvalidTransaction::Custom(ALLOWANCE_USED_UP));
		assert_eq!(validate(POOR_PATIENT, remark()), Err(refused));
		assert_eq!(apply(POOR_PATIENT, remark()), Err(refused));
		// Nothing was counted for the refused call.
		assert_eq!(FreeCalls::used(&POOR_PATIENT), CALLS);
	});
}

#[test]
fn a_funded_patient_pays_beyond_the_allowance() {
	new_test_ext().execute_with(|| {
		for _ in 0..CALLS {
			next_block();
			assert_ok!(apply(RICH_PATIENT, remark()));
		}
		next_block();
		assert_ok!(apply(RICH_PATIENT, remark()));
		assert!(Balances::free_balance(RICH_PATIENT) < FUNDS, "the fourth call was paid");
		assert_eq!(FreeCalls::used(&RICH_PATIENT), CALLS, "and not counted as free");
	});
}

#[test]
fn the_allowance_is_whole_again_in_the_next_period() {
	new_test_ext().execute_with(|| {
		for _ in 0..CALLS {
			next_block();
			assert_ok!(apply(POOR_PATIENT, remark()));
		}
		System::set_block_number(PERIOD * 2);
		assert_eq!(FreeCalls::remaining(&POOR_PATIENT), CALLS);
		assert_ok!(apply(POOR_PATIENT, remark()));
		assert_eq!(Allowances::<Test>::get(POOR_PATIENT), Some(Usage { period: 2, used: 1 }));
	});
}

#[test]
fn free_calls_never_fill_a_block() {
	new_test_ext().execute_with(|| {
		// Two calls' weight is the block's share: the third waits for a later block.
		assert_ok!(apply(POOR_PATIENT, remark()));
		assert_ok!(apply(RICH_PATIENT, remark()));
		let exhausted = TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources);
		assert_eq!(apply(POOR_PATIENT, remark()), Err(exhausted));
		assert_eq!(Balances::free_balance(RICH_PATIENT), FUNDS);
		assert_eq!(
			ThisBlock::<Test>::get(),
			BlockUse { block: 1, weight: CALL_WEIGHT.saturating_mul(2), length: 40 }
		);
		// Paid transactions are not held back by it.
		assert_ok!(apply(OTHER, paid_call()));
		next_block();
		assert_ok!(apply(POOR_PATIENT, remark()));
	});
}

#[test]
fn a_call_larger_than_the_share_is_paid_even_as_the_first_of_a_block() {
	new_test_ext().execute_with(|| {
		// The counts of an earlier block are in storage: the share of this one is whole.
		ThisBlock::<Test>::put(BlockUse { block: 0, weight: MaxFreeWeight::get(), length: 1_000 });
		let too_heavy = MaxFreeWeight::get().saturating_add(Weight::from_parts(0, 1));
		let refused =
			TransactionValidityError::Invalid(InvalidTransaction::Custom(TOO_LARGE_TO_BE_FREE));
		assert_eq!(apply_sized(POOR_PATIENT, remark(), too_heavy, 20), Err(refused));
		assert_eq!(apply_sized(POOR_PATIENT, remark(), CALL_WEIGHT, 1_001), Err(refused));
		// Nothing counted for the refused calls.
		assert_eq!(FreeCalls::used(&POOR_PATIENT), 0);
		assert_eq!(ThisBlock::<Test>::get().block, 0);
		// A patient who can pay, pays.
		assert_ok!(apply_sized(RICH_PATIENT, remark(), too_heavy, 20));
		assert!(Balances::free_balance(RICH_PATIENT) < FUNDS, "the call was paid");
		assert_eq!(FreeCalls::used(&RICH_PATIENT), 0, "and not counted as free");
		// A call exactly the share's size is free, from the stale counts' zero.
		assert_ok!(apply_sized(POOR_PATIENT, remark(), MaxFreeWeight::get(), 1_000));
		assert_eq!(
			ThisBlock::<Test>::get(),
			BlockUse { block: 1, weight: MaxFreeWeight::get(), length: 1_000 }
		);
		assert_ok!(FreeCalls::do_try_state(1));
		// And the share is then full for this block.
		let exhausted = TransactionValidityError::Invalid(InvalidTransaction::ExhaustsResources);
		assert_eq!(apply_sized(POOR_PATIENT, remark(), CALL_WEIGHT, 1), Err(exhausted));
	});
}

#[test]
fn non_patients_and_other_calls_pay() {
	new_test_ext().execute_with(|| {
		// Not a patient: the fee extension's own refusal, unchanged.
		assert_eq!(
			validate(POOR_OTHER, remark()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
		assert_ok!(apply(OTHER, remark()));
		assert!(Balances::free_balance(OTHER) < FUNDS);
		// A patient's call the filter does not name: paid, or refused as unpayable.
		assert_eq!(
			validate(POOR_PATIENT, paid_call()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
		assert_ok!(apply(RICH_PATIENT, paid_call()));
		assert!(Balances::free_balance(RICH_PATIENT) < FUNDS);
		assert_eq!(FreeCalls::used(&RICH_PATIENT), 0);
		assert_eq!(FreeCalls::used(&OTHER), 0);
	});
}

#[test]
fn a_guardian_with_no_funds_acts_for_the_patient_on_the_patients_allowance() {
	new_test_ext().execute_with(|| {
		frame_system::Pallet::<Test>::inc_sufficients(&GUARDIAN);
		// Before it acts for anyone, the guardian's remark is an unpayable call.
		assert_eq!(
			validate(GUARDIAN, remark()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Payment))
		);
		MockRecovery::add_guardian(GUARDIAN, POOR_PATIENT);
		assert_ok!(apply(GUARDIAN, remark()));
		assert_eq!(FreeCalls::used(&POOR_PATIENT), 1, "counted on the patient's allowance");
		assert_eq!(FreeCalls::used(&GUARDIAN), 0);
		// The patient's allowance bounds the guardian too.
		for _ in 1..CALLS {
			next_block();
			assert_ok!(apply(POOR_PATIENT, remark()));
		}
		next_block();
		assert_eq!(
			validate(GUARDIAN, remark()),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(ALLOWANCE_USED_UP)))
		);
	});
}

#[test]
fn a_recovered_account_signs_nothing_free_or_paid() {
	new_test_ext().execute_with(|| {
		MockRecovery::recover(POOR_PATIENT);
		MockRecovery::recover(OTHER);
		let refused =
			TransactionValidityError::Invalid(InvalidTransaction::Custom(RECOVERED_ACCOUNT));
		assert_eq!(validate(POOR_PATIENT, remark()), Err(refused));
		assert_eq!(apply(POOR_PATIENT, remark()), Err(refused));
		assert_eq!(apply(OTHER, paid_call()), Err(refused));
		// Nothing counted, nothing charged.
		assert_eq!(FreeCalls::used(&POOR_PATIENT), 0);
		assert_eq!(Balances::free_balance(OTHER), FUNDS);
		assert_eq!(ThisBlock::<Test>::get(), BlockUse::default());
		// Other accounts are not affected.
		assert_ok!(apply(RICH_PATIENT, remark()));
	});
}

#[test]
fn the_extension_looks_like_the_fee_extension_from_outside() {
	use codec::Encode;
	use scale_info::TypeInfo;
	let charge = Charge::from(5);
	assert_eq!(Ext::new(charge.clone()).encode(), charge.encode());
	assert_eq!(Ext::type_info(), Charge::type_info());
	assert_eq!(<Ext as TransactionExtension<RuntimeCall>>::IDENTIFIER, "ChargeTransactionPayment");
	// And charges its check on top of the fee extension's weight: the whole check for a call
	// that can be free, only the recovery check for one that never is.
	let free = remark();
	assert_eq!(
		Ext::new(charge.clone()).weight(&free),
		charge.weight(&free) + <() as crate::WeightInfo>::free_call_check()
	);
	let paid = RuntimeCall::System(frame_system::Call::remark_with_event { remark: vec![1] });
	assert_eq!(
		Ext::new(charge.clone()).weight(&paid),
		charge.weight(&paid) + <() as crate::WeightInfo>::paid_call_check()
	);
}

#[test]
fn try_state_detects_an_overused_allowance() {
	new_test_ext().execute_with(|| {
		assert_ok!(FreeCalls::do_try_state(1));
		Allowances::<Test>::insert(POOR_PATIENT, Usage { period: 0, used: CALLS + 1 });
		assert_eq!(
			FreeCalls::do_try_state(1),
			Err("a patient used more free calls than the allowance".into())
		);
	});
}

#[test]
fn try_state_detects_an_overfull_block_share() {
	new_test_ext().execute_with(|| {
		ThisBlock::<Test>::put(BlockUse {
			block: 1,
			weight: MaxFreeWeight::get().saturating_add(Weight::from_parts(1, 0)),
			length: 0,
		});
		assert_eq!(
			FreeCalls::do_try_state(1),
			Err("free calls exceeded their share of the block".into())
		);
		// A past block's counts do not matter.
		assert_ok!(FreeCalls::do_try_state(2));
	});
}
