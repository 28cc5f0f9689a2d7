//! MedChain's healthcare pallets: the directory of organisations, practitioners and patients,
//! and the medical-record anchors.
//! They ask one another through the traits in `medchain-primitives`, wired here.

#[cfg(feature = "runtime-benchmarks")]
use crate::RuntimeOrigin;
use crate::{AccountId, Directory, Runtime, Timestamp};
use medchain_primitives::{ConsentVerifier, DataClass, DirectoryInspect, OrganisationId};
use polkadot_sdk::{frame_support::traits::ConstU32, frame_system::EnsureRoot};

impl pallet_directory::Config for Runtime {
	// Root (sudo) registers organisations until a council of member institutions exists.
	type RegistrarOrigin = EnsureRoot<AccountId>;
	type Time = Timestamp;
	type MaxNameLen = ConstU32<64>;
	type MaxAuthorityLen = ConstU32<64>;
	type MaxKeyHistory = ConstU32<8>;
	type MaxTreatingOrganisations = ConstU32<16>;
	type WeightInfo = pallet_directory::weights::SubstrateWeight<Runtime>;
}

impl pallet_medical_records::Config for Runtime {
	type Directory = Directory;
	type Consent = TreatingOrganisationConsent;
	type MaxResourceTypeLen = ConstU32<64>;
	type MaxCidLen = ConstU32<128>;
	type MaxWrappedKeyLen = ConstU32<256>;
	type MaxVersions = ConstU32<32>;
	type MaxGrantees = ConstU32<32>;
	type MaxPageSize = ConstU32<100>;
	type WeightInfo = pallet_medical_records::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RecordsBenchmarkHelper;
}

/// Sets up, through the directory's own calls, what the records benchmarks need: an active
/// organisation, a licensed practitioner and a patient who named the organisation as treating.
#[cfg(feature = "runtime-benchmarks")]
pub struct RecordsBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl pallet_medical_records::BenchmarkHelper<AccountId> for RecordsBenchmarkHelper {
	fn setup_practitioner_and_patient(
		admin: &AccountId,
		practitioner: &AccountId,
		patient: &AccountId,
	) -> Result<OrganisationId, polkadot_sdk::sp_runtime::DispatchError> {
		use medchain_primitives::{OrganisationKind, PractitionerRole};
		let organisation = pallet_directory::NextOrganisationId::<Runtime>::get();
		let mut name = b"benchmark hospital ".to_vec();
		name.extend_from_slice(&organisation.to_le_bytes());
		Directory::register_organisation(
			RuntimeOrigin::root(),
			OrganisationKind::Hospital,
			admin.clone().into(),
			name.try_into().map_err(|_| "name too long")?,
		)?;
		Directory::attach_practitioner(
			RuntimeOrigin::signed(admin.clone()),
			organisation,
			practitioner.clone().into(),
			PractitionerRole::Physician,
			pallet_directory::Licence {
				authority: b"benchmark".to_vec().try_into().map_err(|_| "authority too long")?,
				licence_id: [1u8; 32],
				valid_from: 0,
				valid_until: u64::MAX,
			},
		)?;
		Directory::register_patient(RuntimeOrigin::signed(patient.clone()), [2u8; 32], [3u8; 32])?;
		Directory::add_treating_organisation(RuntimeOrigin::signed(patient.clone()), organisation)?;
		Ok(organisation)
	}
}

/// The interim write-consent rule, until pallet-consent is the authority on access: a
/// practitioner may write a patient's records when acting for one of the patient's treating
/// organisations (named by the patient in the directory), whatever the data class.
pub struct TreatingOrganisationConsent;

impl ConsentVerifier<AccountId> for TreatingOrganisationConsent {
	fn may_write(
		patient: &AccountId,
		_author: &AccountId,
		organisation: OrganisationId,
		_class: DataClass,
	) -> bool {
		Directory::is_treating_organisation(patient, organisation)
	}
}
