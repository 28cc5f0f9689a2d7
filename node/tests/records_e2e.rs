//! End-to-end test of a medical-record anchor through the real `medchain-node` binary.
//!
//! On a fresh `--dev` chain, through subxt's dynamic API only:
//! 1. Alice (sudo) registers St Example Hospital, administered by Bob (`Sudo::sudo` wrapping
//!    `Directory::register_organisation`), while Dave registers as a patient;
//! 2. Bob invites Charlie as a licensed physician, while Dave grants the hospital's physicians
//!    consent to write his general data for treatment (`Consent::grant_consent`); Charlie
//!    accepts the invitation;
//! 3. Charlie anchors a record of Dave's general class (his salted tag) about Dave
//!    (`MedicalRecords::anchor_record`);
//! 4. at the anchor's finalized block, the `MedicalRecordsApi_integrity` runtime API knows the
//!    ciphertext hash as version 1 and no other hash, and `MedicalRecords::Records(0)` holds the
//!    anchor.
//!
//! 5. Charlie records a read (an access receipt); Dave revokes; Charlie's next receipt is
//!    refused (`AccessDenied`); the `ConsentApi_access_log` lists exactly the one access.
//!
//! Every transaction is waited for until it is in a finalized block; each step checks its events.

// subxt's errors are large; the test only reports them.
#![allow(clippy::result_large_err)]

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{Finalized, Node, NODE_START_TIMEOUT};
use subxt::{
	config::Hasher,
	dynamic::Value,
	events::DecodeAsEvent,
	ext::{
		scale_decode::DecodeAsType,
		scale_value::{Composite, ValueDef},
	},
	transactions::DynamicPayload,
	utils::AccountId32,
	OnlineClientAtBlock, PolkadotConfig,
};
use subxt_signer::sr25519::dev;

/// How long the dev chain gets to finalise its first block.
const FIRST_FINALITY_TIMEOUT: Duration = Duration::from_secs(180);
/// How long each transaction gets from submission to a finalized block.
const TX_TIMEOUT: Duration = Duration::from_secs(120);
/// Upper bound for a single query against the node.
const QUERY_TIMEOUT: Duration = Duration::from_secs(30);

/// The organisation's name.
const ORGANISATION_NAME: &[u8] = b"St Example Hospital";
/// The id the first registered organisation receives.
const ORGANISATION: u32 = 0;
/// The id the first anchored record receives.
const RECORD: u64 = 0;
/// Charlie's licence: issuing authority and licence-number commitment.
const LICENCE_AUTHORITY: &[u8] = b"GMC";
const LICENCE_ID: [u8; 32] = [7; 32];
/// Dave's pseudonym and X25519 public key.
const PSEUDONYM: [u8; 32] = [9; 32];
const ENCRYPTION_KEY: [u8; 32] = [5; 32];
/// Dave's tag of the general data class (his client computes it under his class key; the
/// chain only compares tags).
const GENERAL: [u8; 32] = [0x47; 32];
/// The record: CID and the data key wrapped for Dave and for Charlie.
const CID: &[u8] = b"bafkreimedchainrecordanchore2e";
const PATIENT_KEY: [u8; 80] = [0xA1; 80];
const AUTHOR_KEY: [u8; 80] = [0xA2; 80];

const DAY: u64 = 24 * 60 * 60;

/// Makes `$name` (the fields of an event, decoded by name, so their order does not matter and
/// fields left out are skipped) stand for the event `$pallet::$name`.
macro_rules! event {
	($pallet:literal, $name:ident) => {
		impl DecodeAsEvent for $name {
			fn is_event(pallet: &str, event: &str) -> bool {
				pallet == $pallet && event == stringify!($name)
			}
		}
	};
}

/// `Sudo::Sudid`: the result of the call sudo dispatched.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct Sudid {
	sudo_result: Value,
}
event!("Sudo", Sudid);

/// `Directory::OrganisationRegistered`.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct OrganisationRegistered {
	organisation: u32,
	kind: Value,
	admin: AccountId32,
}
event!("Directory", OrganisationRegistered);

/// `Directory::PractitionerInvited`.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct PractitionerInvited {
	organisation: u32,
	practitioner: AccountId32,
}
event!("Directory", PractitionerInvited);

/// `Directory::PractitionerAttached`.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct PractitionerAttached {
	organisation: u32,
	practitioner: AccountId32,
	role: Value,
	valid_from: u64,
	valid_until: u64,
}
event!("Directory", PractitionerAttached);

/// `Directory::PatientRegistered`.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct PatientRegistered {
	patient: AccountId32,
	pseudonym: [u8; 32],
	encryption_key: [u8; 32],
}
event!("Directory", PatientRegistered);

/// `Consent::ConsentGranted`.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct ConsentGranted {
	grant: u64,
	patient: AccountId32,
	grantee: Value,
	effect: Value,
}
event!("Consent", ConsentGranted);

/// `Consent::AccessRecorded`.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct AccessRecorded {
	patient: AccountId32,
	actor: AccountId32,
	receipt: u64,
	grant: Option<u64>,
}
event!("Consent", AccessRecorded);

/// `Consent::ConsentRevoked`.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct ConsentRevoked {
	grant: u64,
}
event!("Consent", ConsentRevoked);

/// A receipt of `ConsentApi_access_log`, the fields this test checks.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct Receipt {
	seq: u64,
	actor: AccountId32,
	entry: Value,
}

/// `MedicalRecords::RecordAnchored`.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct RecordAnchored {
	record: u64,
	subject: AccountId32,
	custodian: Option<u32>,
	author: AccountId32,
	version: u32,
	ciphertext_hash: [u8; 32],
}
event!("MedicalRecords", RecordAnchored);

/// `pallet_medical_records_runtime_api::IntegrityStatus`, decoded by variant name.
#[derive(Debug, PartialEq, Eq, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
enum IntegrityStatus {
	Current { version: u32 },
	Superseded { version: u32, current: u32 },
	Erased,
	Unknown,
}

/// The `MedicalRecords::Records` fields this test looks at.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct Record {
	subject: AccountId32,
	custodian: Option<u32>,
	author: AccountId32,
	created_at: u32,
	current_version: u32,
	grantees: u32,
	state: RecordState,
}

/// `medchain_primitives::ClassTag`.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
struct ClassTag([u8; 32]);

/// A class tag as a call's argument.
fn tag(bytes: [u8; 32]) -> Value {
	Value::unnamed_composite([Value::from_bytes(bytes)])
}

/// `pallet_medical_records_runtime_api::RecordState` as the pallet stores it.
#[derive(Debug, DecodeAsType)]
#[decode_as_type(crate_path = "subxt::ext::scale_decode")]
enum RecordState {
	Active { data_class: ClassTag },
	Erased { by: AccountId32, at: u32 },
}

#[tokio::test(flavor = "multi_thread")]
async fn record_anchor_through_the_node() {
	// Declared first so it is dropped last, after every connection to it.
	let mut node = Node::start();
	let api = node.wait_for_rpc(NODE_START_TIMEOUT).await;
	let rpc = node.legacy_rpc().await;
	let (first_finalized, _) = node.wait_for_finalized(&rpc, 1, FIRST_FINALITY_TIMEOUT).await;
	eprintln!("finalized #{first_finalized}");

	let (alice, bob, charlie, dave) = (dev::alice(), dev::bob(), dev::charlie(), dev::dave());
	let bob_id = bob.public_key().to_account_id();
	let charlie_id = charlie.public_key().to_account_id();
	let dave_id = dave.public_key().to_account_id();

	// Licence times are Unix seconds, checked against the chain's timestamp (the host clock).
	let now = SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.expect("the host clock is after 1970")
		.as_secs();
	let (valid_from, valid_until) = (now - DAY, now + 365 * DAY);

	// Step 1, two signers at once: Alice (sudo) registers the hospital with Bob as its admin;
	// Dave registers as a patient.
	let register_organisation = call(
		"Directory",
		"register_organisation",
		[
			("kind", unit_variant("Hospital")),
			("admin", address(&bob_id)),
			("name", Value::from_bytes(ORGANISATION_NAME)),
		],
	);
	let sudo = call("Sudo", "sudo", [("call", register_organisation.into_value())]);
	let register_patient = call(
		"Directory",
		"register_patient",
		[
			("pseudonym", Value::from_bytes(PSEUDONYM)),
			("encryption_key", Value::from_bytes(ENCRYPTION_KEY)),
		],
	);
	let (registered, patient) = tokio::join!(
		node.submit_finalized(
			&api,
			"Sudo::sudo(Directory::register_organisation) by Alice",
			&sudo,
			&alice,
			TX_TIMEOUT
		),
		node.submit_finalized(
			&api,
			"Directory::register_patient by Dave",
			&register_patient,
			&dave,
			TX_TIMEOUT
		),
	);

	let sudid = registered.single_event::<Sudid>();
	if variant_name(&sudid.sudo_result) != Some("Ok") {
		node.fail(format!(
			"sudo dispatched Directory::register_organisation, which failed: {}",
			sudid.sudo_result
		));
	}
	let organisation = registered.single_event::<OrganisationRegistered>();
	assert_eq!(organisation.organisation, ORGANISATION, "{organisation:?}");
	assert_eq!(variant_name(&organisation.kind), Some("Hospital"), "{organisation:?}");
	assert_eq!(organisation.admin, bob_id, "the organisation's admin is not Bob");

	let registered_patient = patient.single_event::<PatientRegistered>();
	assert_eq!(registered_patient.patient, dave_id, "the registered patient is not Dave");
	assert_eq!(registered_patient.pseudonym, PSEUDONYM, "{registered_patient:?}");
	assert_eq!(registered_patient.encryption_key, ENCRYPTION_KEY, "{registered_patient:?}");

	// Step 2, two signers at once: Bob invites Charlie as a physician with a licence valid now;
	// Dave grants the hospital's physicians read and write consent. Then Charlie accepts.
	let invite = call(
		"Directory",
		"invite_practitioner",
		[
			("organisation", Value::u128(ORGANISATION.into())),
			("practitioner", address(&charlie_id)),
			("role", unit_variant("Physician")),
			(
				"licence",
				Value::named_composite([
					("authority", Value::from_bytes(LICENCE_AUTHORITY)),
					("licence_id", Value::from_bytes(LICENCE_ID)),
					("valid_from", Value::u128(valid_from.into())),
					("valid_until", Value::u128(valid_until.into())),
				]),
			),
		],
	);
	// Dave lets the hospital's physicians write his general data for treatment.
	let grant = call(
		"Consent",
		"grant_consent",
		[
			(
				"grantee",
				Value::named_variant(
					"Role",
					[
						("organisation", Value::u128(ORGANISATION.into())),
						("role", unit_variant("Physician")),
					],
				),
			),
			(
				"provision",
				Value::named_composite([
					("effect", unit_variant("Permit")),
					(
						"actions",
						Value::unnamed_composite([unit_variant("Read"), unit_variant("Write")]),
					),
					("purposes", Value::unnamed_composite([unit_variant("Treatment")])),
					("classes", Value::unnamed_composite([tag(GENERAL)])),
					("records", Value::unnamed_composite([])),
				]),
			),
			("valid_from", unit_variant("None")),
			("valid_until", unit_variant("None")),
		],
	);
	let (invited, granted) = tokio::join!(
		node.submit_finalized(
			&api,
			"Directory::invite_practitioner by Bob",
			&invite,
			&bob,
			TX_TIMEOUT
		),
		node.submit_finalized(&api, "Consent::grant_consent by Dave", &grant, &dave, TX_TIMEOUT),
	);
	let invitation = invited.single_event::<PractitionerInvited>();
	assert_eq!(
		(invitation.organisation, &invitation.practitioner),
		(ORGANISATION, &charlie_id),
		"{invitation:?}"
	);
	let accept = call(
		"Directory",
		"accept_invitation",
		[("organisation", Value::u128(ORGANISATION.into()))],
	);
	let attached = node
		.submit_finalized(
			&api,
			"Directory::accept_invitation by Charlie",
			&accept,
			&charlie,
			TX_TIMEOUT,
		)
		.await;

	let practitioner = attached.single_event::<PractitionerAttached>();
	assert_eq!(practitioner.organisation, ORGANISATION, "{practitioner:?}");
	assert_eq!(practitioner.practitioner, charlie_id, "the attached practitioner is not Charlie");
	assert_eq!(variant_name(&practitioner.role), Some("Physician"), "{practitioner:?}");
	assert_eq!(
		(practitioner.valid_from, practitioner.valid_until),
		(valid_from, valid_until),
		"{practitioner:?}"
	);

	let consent = granted.single_event::<ConsentGranted>();
	assert_eq!(consent.grant, 0, "the chain's first grant: {consent:?}");
	assert_eq!(consent.patient, dave_id, "{consent:?}");
	assert_eq!(variant_name(&consent.grantee), Some("Role"), "{consent:?}");
	assert_eq!(variant_name(&consent.effect), Some("Permit"), "{consent:?}");

	// Step 3: Charlie anchors a record about Dave.
	let ciphertext_hash: [u8; 32] = granted.at.hasher().hash(b"e2e ciphertext").0;
	let plaintext_commitment: [u8; 32] = granted.at.hasher().hash(b"e2e salted plaintext").0;
	let anchor = call(
		"MedicalRecords",
		"anchor_record",
		[
			("patient", address(&dave_id)),
			("data_class", tag(GENERAL)),
			(
				"content",
				Value::named_composite([
					("ciphertext_hash", Value::from_bytes(ciphertext_hash)),
					("plaintext_commitment", Value::from_bytes(plaintext_commitment)),
					("cid", Value::from_bytes(CID)),
				]),
			),
			("patient_key", Value::from_bytes(PATIENT_KEY)),
			("author_key", Value::from_bytes(AUTHOR_KEY)),
		],
	);
	let anchored = node
		.submit_finalized(
			&api,
			"MedicalRecords::anchor_record by Charlie",
			&anchor,
			&charlie,
			TX_TIMEOUT,
		)
		.await;

	let event = anchored.single_event::<RecordAnchored>();
	assert_eq!(event.record, RECORD, "{event:?}");
	assert_eq!(event.subject, dave_id, "the record's subject is not Dave");
	assert_eq!(event.custodian, Some(ORGANISATION), "{event:?}");
	assert_eq!(event.author, charlie_id, "the record's author is not Charlie");
	assert_eq!(event.version, 1, "{event:?}");
	assert_eq!(event.ciphertext_hash, ciphertext_hash, "{event:?}");

	// The node itself reports the anchor's block as finalized.
	let anchored_number = anchored.block_number();
	let (finalized_now, _) = node
		.finalized_head(&rpc)
		.await
		.unwrap_or_else(|e| node.fail(format!("cannot read the finalized head: {e}")));
	assert!(
		finalized_now >= anchored_number,
		"subxt reported the anchor finalized in #{anchored_number}, but the node's finalized \
		 head is #{finalized_now}"
	);

	// Step 4: the runtime API and the storage at the anchor's finalized block.
	let at = &anchored.at;
	let other_hash: [u8; 32] = at.hasher().hash(b"some other ciphertext").0;
	assert_eq!(
		integrity(&node, at, RECORD, ciphertext_hash).await,
		IntegrityStatus::Current { version: 1 },
		"the anchored ciphertext hash is not the record's current version"
	);
	assert_eq!(
		integrity(&node, at, RECORD, other_hash).await,
		IntegrityStatus::Unknown,
		"a hash that was never anchored is known to the record"
	);
	assert_eq!(
		integrity(&node, at, RECORD + 1, ciphertext_hash).await,
		IntegrityStatus::Unknown,
		"a record that was never anchored is known"
	);

	let record = record(&node, &anchored, RECORD).await;
	eprintln!("MedicalRecords::Records({RECORD}) at #{anchored_number}: {record:?}");
	assert_eq!(record.subject, dave_id, "the stored record's subject is not Dave");
	assert_eq!(record.custodian, Some(ORGANISATION), "{record:?}");
	assert_eq!(record.author, charlie_id, "the stored record's author is not Charlie");
	assert_eq!(u64::from(record.created_at), anchored_number, "{record:?}");
	assert_eq!(record.current_version, 1, "{record:?}");
	assert_eq!(record.grantees, 2, "Dave and Charlie should hold wrapped keys: {record:?}");
	match &record.state {
		RecordState::Active { data_class } => {
			assert_eq!(data_class.0, GENERAL, "{record:?}");
		},
		RecordState::Erased { by, at } => {
			panic!("the new record was already erased, by {by} in #{at}: {record:?}")
		},
	}

	// Step 5: Charlie records a read of the record, which consent permits by grant 0.
	let access = || {
		call(
			"Consent",
			"record_access",
			[
				("patient", address(&dave_id)),
				(
					"target",
					Value::named_variant(
						"Record",
						[("record", Value::u128(RECORD.into())), ("class", tag(GENERAL))],
					),
				),
				("purpose", unit_variant("Treatment")),
				("action", unit_variant("Read")),
			],
		)
	};
	let accessed = node
		.submit_finalized(
			&api,
			"Consent::record_access by Charlie",
			&access(),
			&charlie,
			TX_TIMEOUT,
		)
		.await;
	let receipt = accessed.single_event::<AccessRecorded>();
	assert_eq!((receipt.patient, receipt.actor), (dave_id, charlie_id));
	assert_eq!((receipt.receipt, receipt.grant), (0, Some(0)), "{receipt:?}");

	// Step 6: Dave revokes; Charlie's next access is refused on chain.
	let revoke = call("Consent", "revoke_consent", [("grant", Value::u128(0))]);
	let revoked = node
		.submit_finalized(&api, "Consent::revoke_consent by Dave", &revoke, &dave, TX_TIMEOUT)
		.await;
	assert_eq!(revoked.single_event::<ConsentRevoked>().grant, 0);
	let refusal = node
		.submit_finalized_refused(
			&api,
			"Consent::record_access by Charlie after revocation",
			&access(),
			&charlie,
			TX_TIMEOUT,
		)
		.await;
	assert!(refusal.contains("AccessDenied"), "refused for another reason: {refusal}");

	// Step 7: the access log lists exactly the one access, by Charlie.
	let now = tokio::time::timeout(QUERY_TIMEOUT, api.at_current_block())
		.await
		.unwrap_or_else(|_| node.fail("no client at the finalized block in time"))
		.unwrap_or_else(|e| node.fail(format!("no client at the finalized block: {e}")));
	let log_call = subxt::dynamic::runtime_api_call::<_, Vec<Receipt>>(
		"ConsentApi",
		"access_log",
		(dave_id, Option::<u64>::None, 10u32),
	);
	let log = tokio::time::timeout(QUERY_TIMEOUT, now.runtime_apis().call(log_call))
		.await
		.unwrap_or_else(|_| node.fail("ConsentApi_access_log: no answer in time"))
		.unwrap_or_else(|e| node.fail(format!("ConsentApi_access_log failed: {e}")));
	eprintln!("access log of Dave at #{}: {log:?}", now.block_number());
	assert_eq!(log.len(), 1, "exactly one access: {log:?}");
	assert_eq!((log[0].seq, log[0].actor), (0, charlie_id), "{log:?}");
	assert_eq!(variant_name(&log[0].entry), Some("Accessed"), "{log:?}");
}

/// A dynamic call of `pallet::name` with named fields (encoded by name against the metadata).
fn call<const N: usize>(
	pallet: &str,
	name: &str,
	fields: [(&str, Value); N],
) -> DynamicPayload<Composite<()>> {
	subxt::dynamic::tx(pallet, name, Composite::named(fields))
}

/// An enum variant without fields, such as `OrganisationKind::Hospital`.
fn unit_variant(name: &str) -> Value {
	Value::unnamed_variant(name, [])
}

/// `MultiAddress::Id(account)`, as calls take accounts.
fn address(account: &AccountId32) -> Value {
	Value::unnamed_variant("Id", [Value::from_bytes(account.0)])
}

/// The name of `value`'s variant, if it is one.
fn variant_name(value: &Value) -> Option<&str> {
	match &value.value {
		ValueDef::Variant(variant) => Some(&variant.name),
		_ => None,
	}
}

/// `MedicalRecordsApi_integrity(record, ciphertext_hash)` at the client's block.
async fn integrity(
	node: &Node,
	at: &OnlineClientAtBlock<PolkadotConfig>,
	record: u64,
	ciphertext_hash: [u8; 32],
) -> IntegrityStatus {
	let payload = subxt::dynamic::runtime_api_call::<_, IntegrityStatus>(
		"MedicalRecordsApi",
		"integrity",
		(record, ciphertext_hash),
	);
	let block = at.block_number();
	tokio::time::timeout(QUERY_TIMEOUT, at.runtime_apis().call(payload))
		.await
		.unwrap_or_else(|_| {
			node.fail(format!(
				"MedicalRecordsApi_integrity({record}, ..) at #{block}: no answer within \
				 {QUERY_TIMEOUT:?}"
			))
		})
		.unwrap_or_else(|e| {
			node.fail(format!("MedicalRecordsApi_integrity({record}, ..) at #{block} failed: {e}"))
		})
}

/// `MedicalRecords::Records(id)` at the transaction's block, read with a dynamic storage query.
async fn record(node: &Node, tx: &Finalized, id: u64) -> Record {
	let address = subxt::dynamic::storage::<(u64,), Record>("MedicalRecords", "Records");
	let block = tx.block_number();
	let entry = tokio::time::timeout(QUERY_TIMEOUT, tx.at.storage().try_fetch(address, (id,)))
		.await
		.unwrap_or_else(|_| {
			node.fail(format!(
				"MedicalRecords::Records({id}) at #{block}: no answer within {QUERY_TIMEOUT:?}"
			))
		})
		.unwrap_or_else(|e| {
			node.fail(format!("cannot read MedicalRecords::Records({id}) at #{block}: {e}"))
		})
		.unwrap_or_else(|| {
			node.fail(format!("MedicalRecords::Records({id}) at #{block} is empty"))
		});
	entry
		.decode()
		.unwrap_or_else(|e| panic!("cannot decode MedicalRecords::Records({id}) at #{block}: {e}"))
}
