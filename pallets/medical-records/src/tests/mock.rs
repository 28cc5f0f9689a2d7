//! A minimal runtime with `frame_system` and the medical records pallet, the shared test
//! directory (`medchain-test-utils`: [`set_inactive`], [`unregister_patient`], …) and consent
//! whose answers each test controls ([`deny_consent`], [`deny_read`], …).

use crate::{
	self as pallet_medical_records, CidOf, Event, RecordId, VersionContent, VersionContentOf,
	WrappedKeyOf,
};
use alloc::collections::BTreeSet;
use frame_support::{assert_ok, derive_impl, traits::ConstU32, BoundedVec};
use medchain_primitives::{
	AccessTarget, ClassTag, Commitment, ConsentAction, ConsentEvaluator, ConsentVerifier, Decision,
	DecisionReason, GrantId, OrganisationId, PractitionerRole, PurposeOfUse,
};
pub use medchain_test_utils::accounts::{
	ADMIN_A, ADMIN_B, ALICE, BOB, DOC, DOC_B, MALLORY, NURSE, ORG_A, ORG_B,
};
pub use medchain_test_utils::directory::{
	add_admin, register_patient, remove_admin, set_inactive, set_practitioner, unregister_patient,
	MockDirectory,
};
use polkadot_sdk::*;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		MedicalRecords: pallet_medical_records,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Longest CID in the mock.
pub const MAX_CID_LEN: u32 = 24;
/// Longest wrapped key in the mock.
pub const MAX_WRAPPED_KEY_LEN: u32 = 40;
/// Versions per record in the mock.
pub const MAX_VERSIONS: u32 = 4;
/// Wrapped keys per record in the mock.
pub const MAX_GRANTEES: u32 = 4;
/// Records per page in the mock.
pub const MAX_PAGE_SIZE: u32 = 3;
/// Keys one grant may deliver.
/// The most leaves a batch anchor may commit to in the tests.
pub const MAX_BATCH_LEAVES: u32 = 1_000;
pub const MAX_KEYS_PER_GRANT: u32 = 2;

impl pallet_medical_records::Config for Test {
	type Directory = MockDirectory;
	type Consent = MockConsent;
	type MaxCidLen = ConstU32<MAX_CID_LEN>;
	type MaxWrappedKeyLen = ConstU32<MAX_WRAPPED_KEY_LEN>;
	type MaxVersions = ConstU32<MAX_VERSIONS>;
	type MaxGrantees = ConstU32<MAX_GRANTEES>;
	type MaxPageSize = ConstU32<MAX_PAGE_SIZE>;
	type MaxKeysPerGrant = ConstU32<MAX_KEYS_PER_GRANT>;
	type MaxBatchLeaves = ConstU32<MAX_BATCH_LEAVES>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

/// The tags of one patient's data classes (any distinct values: the chain only compares them).
pub const GENERAL: ClassTag = ClassTag([0x01; 32]);
/// Mental health's tag.
pub const MENTAL_HEALTH: ClassTag = ClassTag([0x02; 32]);
/// Sexual health's tag.
pub const SEXUAL_HEALTH: ClassTag = ClassTag([0x03; 32]);
/// Genetic data's tag.
pub const GENETIC: ClassTag = ClassTag([0x04; 32]);
/// Substance use's tag.
pub const SUBSTANCE_USE: ClassTag = ClassTag([0x05; 32]);

/// Every data class's tag.
pub const ALL_CLASSES: [ClassTag; 5] =
	[GENERAL, MENTAL_HEALTH, SEXUAL_HEALTH, GENETIC, SUBSTANCE_USE];

/// What the mock consent answers.
#[derive(Default)]
struct World {
	/// (patient, author, organisation, class) write consents; they also permit sharing.
	consents: alloc::vec::Vec<(u64, u64, OrganisationId, ClassTag)>,
	/// (patient, reader) pairs whose reads consent denies (every other read is permitted).
	read_denied: BTreeSet<(u64, u64)>,
	/// (patient, reader) pairs whose reads a grant permits: the grant's id.
	read_grants: alloc::collections::BTreeMap<(u64, u64), GrantId>,
	/// The last question the evaluator was asked.
	last_question: Option<(u64, u64, ConsentAction, PurposeOfUse, AccessTarget)>,
}

medchain_test_utils::mock_world!(World);

/// The population every test starts with: [`ORG_A`] (admin [`ADMIN_A`], [`DOC`], [`NURSE`]),
/// [`ORG_B`] (admin [`ADMIN_B`], [`DOC_B`]), patients [`ALICE`] and [`BOB`]. Alice consents to
/// writes by all three practitioners, Bob by [`DOC`] and [`DOC_B`], for every class.
fn reset_world() {
	with_world(|world| *world = World::default());
	medchain_test_utils::directory::reset();
	add_admin(ADMIN_A, ORG_A);
	add_admin(ADMIN_B, ORG_B);
	set_practitioner(DOC, ORG_A, PractitionerRole::Physician);
	set_practitioner(NURSE, ORG_A, PractitionerRole::Nurse);
	set_practitioner(DOC_B, ORG_B, PractitionerRole::Physician);
	register_patient(ALICE);
	register_patient(BOB);
	allow_consent(ALICE, DOC, ORG_A);
	allow_consent(ALICE, NURSE, ORG_A);
	allow_consent(ALICE, DOC_B, ORG_B);
	allow_consent(BOB, DOC, ORG_A);
	allow_consent(BOB, DOC_B, ORG_B);
}

/// `patient` lets `author`, acting for `organisation`, write data of every class.
pub fn allow_consent(patient: u64, author: u64, organisation: OrganisationId) {
	with_world(|w| {
		for class in ALL_CLASSES {
			w.consents.push((patient, author, organisation, class));
		}
	});
}

/// `patient` withdraws every write consent given to `author`.
pub fn deny_consent(patient: u64, author: u64) {
	with_world(|w| w.consents.retain(|(p, a, _, _)| !(*p == patient && *a == author)));
}

/// `patient` withdraws `author`'s write consent for one data class.
pub fn deny_class(patient: u64, author: u64, class: ClassTag) {
	with_world(|w| {
		w.consents.retain(|(p, a, _, c)| !(*p == patient && *a == author && *c == class))
	});
}

/// Consent denies `reader` every read of `patient`'s data.
pub fn deny_read(patient: u64, reader: u64) {
	with_world(|w| w.read_denied.insert((patient, reader)));
}

/// Consent permits `reader` to read `patient`'s data by grant `grant` (the decision names it).
pub fn grant_read(patient: u64, reader: u64, grant: GrantId) {
	with_world(|w| w.read_grants.insert((patient, reader), grant));
}

/// The last question the consent evaluator was asked: (patient, actor, action, purpose,
/// target).
pub fn last_consent_question() -> Option<(u64, u64, ConsentAction, PurposeOfUse, AccessTarget)> {
	with_world(|w| w.last_question)
}

/// Consent answering from the test-controlled world.
pub struct MockConsent;

impl ConsentVerifier<u64> for MockConsent {
	fn may_write(
		patient: &u64,
		author: &u64,
		organisation: OrganisationId,
		class: ClassTag,
	) -> bool {
		with_world(|w| w.consents.contains(&(*patient, *author, organisation, class)))
	}
}

/// The evaluator: a read is permitted unless [`deny_read`] said otherwise; a share is permitted
/// to whoever may write the record's class (any organisation); a write as [`MockConsent`]
/// answers `may_write` for any organisation.
impl ConsentEvaluator<u64> for MockConsent {
	fn evaluate_access(
		patient: &u64,
		actor: &u64,
		action: ConsentAction,
		purpose: PurposeOfUse,
		target: AccessTarget,
	) -> Decision {
		let (permitted, grant) = with_world(|w| {
			w.last_question = Some((*patient, *actor, action, purpose, target));
			match action {
				ConsentAction::Read => (
					!w.read_denied.contains(&(*patient, *actor)),
					w.read_grants.get(&(*patient, *actor)).copied(),
				),
				ConsentAction::Write | ConsentAction::Share => (
					w.consents
						.iter()
						.any(|(p, a, _, c)| p == patient && a == actor && *c == target.class()),
					None,
				),
			}
		});
		let reason = if permitted { DecisionReason::Granted } else { DecisionReason::NoGrant };
		Decision { permitted, grant: grant.filter(|_| permitted), reason }
	}
}

/// Sets up the benchmarks' accounts in the mock world.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockBenchmarkHelper {
	fn setup_practitioner_and_patient(
		admin: &u64,
		practitioner: &u64,
		patient: &u64,
	) -> Result<OrganisationId, sp_runtime::DispatchError> {
		let organisation = 7;
		add_admin(*admin, organisation);
		set_practitioner(*practitioner, organisation, PractitionerRole::Physician);
		register_patient(*patient);
		allow_consent(*patient, *practitioner, organisation);
		with_world(|w| {
			w.consents.push((*patient, *practitioner, organisation, crate::BENCHMARK_CLASS))
		});
		Ok(organisation)
	}

	/// Reads are permitted in the mock unless a test denies them.
	fn allow_reading(_patient: &u64, _reader: &u64) -> sp_runtime::DispatchResult {
		Ok(())
	}

	fn forbid_reading(patient: &u64, reader: &u64) -> sp_runtime::DispatchResult {
		deny_read(*patient, *reader);
		Ok(())
	}
}

/// Test externalities at block 1 (so events are recorded), with the default world.
#[derive(Default)]
pub struct ExtBuilder;

impl ExtBuilder {
	/// Builds the externalities and resets the mock directory and consent.
	pub fn build(self) -> sp_io::TestExternalities {
		reset_world();
		medchain_test_utils::new_ext::<Test>()
	}

	/// Runs `test`, then checks every `try_state` invariant.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		medchain_test_utils::execute_checked(self.build(), test, MedicalRecords::do_try_state)
	}
}

/// Externalities for the benchmark test suite.
pub fn new_test_ext() -> sp_io::TestExternalities {
	ExtBuilder.build()
}

/// A CID, different for each `n`.
pub fn cid(n: u8) -> CidOf<Test> {
	let mut bytes = b"bafkrei".to_vec();
	bytes.push(b'a' + n % 26);
	bytes.push(n);
	BoundedVec::try_from(bytes).expect("test CIDs fit")
}

/// A wrapped key, different for each `n`.
pub fn key(n: u8) -> WrappedKeyOf<Test> {
	BoundedVec::try_from(vec![n; 32]).expect("test keys fit")
}

/// A ciphertext hash for version content `n` (distinct from [`plain`]).
pub fn cipher(n: u8) -> Commitment {
	let mut out = [0xC0u8; 32];
	out[0] = n;
	out
}

/// A plaintext commitment for version content `n`.
pub fn plain(n: u8) -> Commitment {
	let mut out = [0x5Au8; 32];
	out[0] = n;
	out
}

/// Version content `n`: ciphertext [`cipher`], commitment [`plain`], CID [`cid`].
pub fn content(n: u8) -> VersionContentOf<Test> {
	VersionContent { ciphertext_hash: cipher(n), plaintext_commitment: plain(n), cid: cid(n) }
}

/// `author` (a practitioner) anchors a record of `class` about `patient` with content
/// `n` (ciphertext [`cipher`], commitment [`plain`], CID [`cid`]), wrapped keys `key(n)` for the
/// patient and `key(n + 100)` for the author; returns its id.
pub fn anchor_class(author: u64, patient: u64, class: ClassTag, n: u8) -> RecordId {
	let id = crate::NextRecordId::<Test>::get();
	assert_ok!(MedicalRecords::anchor_record(
		RuntimeOrigin::signed(author),
		patient,
		class,
		content(n),
		key(n),
		key(n.wrapping_add(100)),
	));
	id
}

/// [`anchor_class`] with [`GENERAL`].
pub fn anchor(author: u64, patient: u64, n: u8) -> RecordId {
	anchor_class(author, patient, GENERAL, n)
}

/// `patient` anchors a self-reported record of [`GENERAL`] with content `n`; returns its id.
pub fn anchor_self(patient: u64, n: u8) -> RecordId {
	let id = crate::NextRecordId::<Test>::get();
	assert_ok!(MedicalRecords::anchor_self_reported(
		RuntimeOrigin::signed(patient),
		GENERAL,
		content(n),
		key(n),
	));
	id
}

/// `author` amends `record` with content `n`.
pub fn amend(author: u64, record: RecordId, n: u8) {
	assert_ok!(MedicalRecords::amend_record(
		RuntimeOrigin::signed(author),
		record,
		content(n),
		None
	));
}

/// Asserts that the last event deposited is the pallet's `event`.
pub fn assert_last_event(event: Event<Test>) {
	System::assert_last_event(event.into());
}

/// The pallet's events so far.
pub fn events() -> alloc::vec::Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::MedicalRecords(event) => Some(event),
			_ => None,
		})
		.collect()
}
