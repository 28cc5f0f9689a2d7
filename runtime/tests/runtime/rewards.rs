//! Engagement rewards through the real runtime (no mocks): a hospital opens a pool and funds
//! it; its physician attests that a patient kept an appointment, and the patient's account,
//! which held nothing, receives the reward; the same attestation is not paid twice, and the
//! cap per period holds. What the runtime API answers matches.

use crate::common::{dispatch, join, new_ext, NOW_SECS};
use medchain_primitives::{OrganisationKind, PractitionerRole};
use medchain_runtime::{
	AccountId, Balance, Balances, Block, Rewards, Runtime, RuntimeCall, RuntimeOrigin, System, UNIT,
};
use pallet_rewards::{RewardKind, RewardRates};
use pallet_rewards_runtime_api::runtime_decl_for_rewards_api::RewardsApiV1;

/// The runtime API as the runtime implements it.
struct Api;

impl Api {
	fn pool(id: u32) -> Option<pallet_rewards::PoolState<AccountId, Balance, u32>> {
		<Runtime as RewardsApiV1<Block, AccountId, Balance>>::pool(id)
	}

	fn pools_of(organisation: u32) -> Vec<u32> {
		<Runtime as RewardsApiV1<Block, AccountId, Balance>>::pools_of(organisation)
	}

	fn earned(pool: u32, patient: AccountId) -> Option<Balance> {
		<Runtime as RewardsApiV1<Block, AccountId, Balance>>::earned(pool, patient)
	}
}
use polkadot_sdk::{
	frame_support::{assert_noop, assert_ok},
	pallet_timestamp,
	sp_io::hashing::blake2_256,
	sp_keyring::Sr25519Keyring,
};

const HOSPITAL: u32 = 0;

#[test]
fn a_kept_appointment_pays_the_patient_from_the_pool() {
	new_ext(medchain_runtime::genesis_config_presets::DEVELOPMENT_PRESET).execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(NOW_SECS * 1000);
		let (admin, physician) =
			(Sr25519Keyring::Bob.to_account_id(), Sr25519Keyring::Charlie.to_account_id());
		// A patient's account at the hospital: registered by signature, holding nothing.
		let patient = AccountId::from([0x9a; 32]);
		dispatch(
			RuntimeCall::Directory(pallet_directory::Call::register_organisation {
				kind: OrganisationKind::Hospital,
				admin: admin.clone().into(),
				name: b"St Elsewhere".to_vec().try_into().unwrap(),
			}),
			RuntimeOrigin::root(),
		);
		join(&admin, HOSPITAL, &physician, PractitionerRole::Physician);
		dispatch(
			RuntimeCall::Directory(pallet_directory::Call::register_patient {
				pseudonym: blake2_256(b"a patient's pseudonym"),
				encryption_key: [5u8; 32],
			}),
			RuntimeOrigin::signed(patient.clone()),
		);
		assert_eq!(Balances::free_balance(&patient), 0);

		// Two MED per appointment, at most three a week.
		assert_ok!(Rewards::create_pool(
			RuntimeOrigin::signed(admin.clone()),
			HOSPITAL,
			RewardRates { appointment: 2 * UNIT, survey: UNIT, visit: 0 },
			3 * UNIT,
			7 * medchain_runtime::DAYS,
		));
		assert_ok!(Rewards::fund_pool(RuntimeOrigin::signed(admin.clone()), 0, 100 * UNIT));
		let attestation = blake2_256(b"salt and the FHIR Appointment, fulfilled");
		assert_ok!(Rewards::reward(
			RuntimeOrigin::signed(physician.clone()),
			0,
			patient.clone(),
			RewardKind::AppointmentKept,
			attestation,
		));
		assert_eq!(Balances::free_balance(&patient), 2 * UNIT);
		assert_noop!(
			Rewards::reward(
				RuntimeOrigin::signed(physician.clone()),
				0,
				patient.clone(),
				RewardKind::AppointmentKept,
				attestation,
			),
			pallet_rewards::Error::<Runtime>::AlreadyRewarded
		);
		// Another appointment the same week would be 4 MED, above the cap of 3; a survey fits.
		assert_noop!(
			Rewards::reward(
				RuntimeOrigin::signed(physician.clone()),
				0,
				patient.clone(),
				RewardKind::AppointmentKept,
				blake2_256(b"another appointment"),
			),
			pallet_rewards::Error::<Runtime>::CapReached
		);
		assert_ok!(Rewards::reward(
			RuntimeOrigin::signed(physician.clone()),
			0,
			patient.clone(),
			RewardKind::SurveyAnswered,
			blake2_256(b"a QuestionnaireResponse"),
		));

		// The runtime API.
		let state = Api::pool(0).expect("the pool exists");
		assert_eq!(state.balance, 97 * UNIT);
		assert_eq!(Balances::free_balance(&state.account), 97 * UNIT);
		assert_eq!((state.pool.rewards, state.pool.paid), (2, 3 * UNIT));
		assert_eq!(Api::pools_of(HOSPITAL), vec![0]);
		assert_eq!(Api::earned(0, patient.clone()), Some(3 * UNIT));
		assert_eq!(Api::earned(1, patient.clone()), None);
		// A week later, a new period.
		System::set_block_number(7 * medchain_runtime::DAYS);
		assert_eq!(Api::earned(0, patient), Some(0));
	});
}
