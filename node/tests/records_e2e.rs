//! End-to-end test of a medical-record anchor through the real `medchain-node` binary.
//!
//! On a fresh `--dev` chain, through the typed client (`medchain_client::chain::runtime`, the
//! calls, events and runtime APIs generated from the committed metadata):
//! 1. Alice (sudo) registers St Example Hospital, administered by Bob (`Sudo::sudo` wrapping
//!    `Directory::register_organisation`), while Dave registers as a patient;
//! 2. Bob invites Charlie as a licensed physician, while Dave grants the hospital's physicians
//!    consent to write his general data for treatment (`Consent::grant_consent`); Charlie
//!    accepts the invitation;
//! 3. Charlie anchors a record of Dave's general class (his salted tag) about Dave
//!    (`MedicalRecords::anchor_record`);
//! 4. at the anchor's finalized block, the `MedicalRecordsApi` runtime API knows the ciphertext
//!    hash as version 1 and no other hash (`integrity`), describes the anchor (`record`) and
//!    holds Dave's and Charlie's wrapped keys and nobody else's (`wrapped_key`); the
//!    `DirectoryApi` knows Charlie as an active physician of the hospital and Dave as a patient;
//! 5. Charlie records a read (an access receipt); Dave revokes; Charlie's next receipt is
//!    refused (`AccessDenied`); the `ConsentApi_access_log` lists exactly the one access.
//!
//! Every transaction is waited for until it is in a finalized block; each step checks its events.

// subxt's errors are large; the test only reports them.
#![allow(clippy::result_large_err)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use medchain_client::{
	account::AccountId,
	chain::{
		runtime::{self, runtime_types as types},
		Config,
	},
	consent::{ConsentAction, PurposeOfUse},
	directory::{OrganisationKind, PractitionerRole},
};
use medchain_test_utils::node::{Node, NODE_START_TIMEOUT};
use subxt::{config::Hasher, utils::MultiAddress, OnlineClientAtBlock};
use subxt_signer::sr25519::dev;
use types::{
	bounded_collections::bounded_vec::BoundedVec,
	medchain_primitives::{AccessTarget, ClassTag},
	pallet_consent_runtime_api::{Effect, Grantee, LogEntry, Provision},
	pallet_directory::types::Licence,
	pallet_directory_runtime_api::Standing,
	pallet_medical_records::types::VersionContent,
	pallet_medical_records_runtime_api::{IntegrityStatus, RecordState},
};

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
const GENERAL: ClassTag = ClassTag([0x47; 32]);
/// The record: CID and the data key wrapped for Dave and for Charlie.
const CID: &[u8] = b"bafkreimedchainrecordanchore2e";
const PATIENT_KEY: [u8; 80] = [0xA1; 80];
const AUTHOR_KEY: [u8; 80] = [0xA2; 80];

const DAY: u64 = 24 * 60 * 60;

#[tokio::test(flavor = "multi_thread")]
async fn record_anchor_through_the_node() {
	// Declared first so it is dropped last, after every connection to it.
	let mut node = Node::start();
	let api = node.wait_for_rpc(NODE_START_TIMEOUT).await;
	let rpc = node.legacy_rpc().await;
	let (first_finalized, _) = node.wait_for_finalized(&rpc, 1, FIRST_FINALITY_TIMEOUT).await;
	eprintln!("finalized #{first_finalized}");

	let (alice, bob, charlie, dave) = (dev::alice(), dev::bob(), dev::charlie(), dev::dave());
	let bob_id = AccountId::from(bob.public_key());
	let charlie_id = AccountId::from(charlie.public_key());
	let dave_id = AccountId::from(dave.public_key());

	// Licence times are Unix seconds, checked against the chain's timestamp (the host clock).
	let now = SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.expect("the host clock is after 1970")
		.as_secs();
	let (valid_from, valid_until) = (now - DAY, now + 365 * DAY);

	// Step 1, two signers at once: Alice (sudo) registers the hospital with Bob as its admin;
	// Dave registers as a patient.
	let register_organisation = types::medchain_runtime::RuntimeCall::Directory(
		types::pallet_directory::pallet::Call::register_organisation {
			kind: OrganisationKind::Hospital,
			admin: MultiAddress::Id(bob_id),
			name: BoundedVec(ORGANISATION_NAME.to_vec()),
		},
	);
	let sudo = runtime::transactions().sudo().sudo(register_organisation);
	let register_patient =
		runtime::transactions().directory().register_patient(PSEUDONYM, ENCRYPTION_KEY);
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

	let sudid = registered.single_event::<runtime::sudo::events::Sudid>();
	if let Err(e) = &sudid.sudo_result {
		node.fail(format!("sudo dispatched Directory::register_organisation, which failed: {e:?}"));
	}
	let organisation =
		registered.single_event::<runtime::directory::events::OrganisationRegistered>();
	assert_eq!(
		(organisation.organisation, organisation.kind, organisation.admin),
		(ORGANISATION, OrganisationKind::Hospital, bob_id)
	);

	let registered_patient =
		patient.single_event::<runtime::directory::events::PatientRegistered>();
	assert_eq!(
		(
			registered_patient.patient,
			registered_patient.pseudonym,
			registered_patient.encryption_key
		),
		(dave_id, PSEUDONYM, ENCRYPTION_KEY)
	);

	// Step 2, two signers at once: Bob invites Charlie as a physician with a licence valid now;
	// Dave grants the hospital's physicians read and write consent. Then Charlie accepts.
	let invite = runtime::transactions().directory().invite_practitioner(
		ORGANISATION,
		MultiAddress::Id(charlie_id),
		PractitionerRole::Physician,
		Licence {
			authority: BoundedVec(LICENCE_AUTHORITY.to_vec()),
			licence_id: LICENCE_ID,
			valid_from,
			valid_until,
		},
	);
	// Dave lets the hospital's physicians read and write his general data for treatment.
	let grant = runtime::transactions().consent().grant_consent(
		Grantee::Role { organisation: ORGANISATION, role: PractitionerRole::Physician },
		Provision {
			effect: Effect::Permit,
			actions: BoundedVec(vec![ConsentAction::Read, ConsentAction::Write]),
			purposes: BoundedVec(vec![PurposeOfUse::Treatment]),
			classes: BoundedVec(vec![GENERAL]),
			records: BoundedVec(vec![]),
		},
		None,
		None,
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
	let invitation = invited.single_event::<runtime::directory::events::PractitionerInvited>();
	assert_eq!(
		(invitation.organisation, invitation.practitioner, invitation.role),
		(ORGANISATION, charlie_id, PractitionerRole::Physician)
	);
	let accept = runtime::transactions().directory().accept_invitation(ORGANISATION);
	let attached = node
		.submit_finalized(
			&api,
			"Directory::accept_invitation by Charlie",
			&accept,
			&charlie,
			TX_TIMEOUT,
		)
		.await;

	let practitioner = attached.single_event::<runtime::directory::events::PractitionerAttached>();
	assert_eq!(
		(practitioner.organisation, practitioner.practitioner, practitioner.role),
		(ORGANISATION, charlie_id, PractitionerRole::Physician)
	);
	assert_eq!((practitioner.valid_from, practitioner.valid_until), (valid_from, valid_until));

	let consent = granted.single_event::<runtime::consent::events::ConsentGranted>();
	assert_eq!((consent.grant, consent.patient), (0, dave_id), "the chain's first grant");
	assert_eq!(
		(consent.grantee, consent.effect),
		(
			Grantee::Role { organisation: ORGANISATION, role: PractitionerRole::Physician },
			Effect::Permit
		)
	);

	// Step 3: Charlie anchors a record about Dave.
	let ciphertext_hash: [u8; 32] = granted.at.hasher().hash(b"e2e ciphertext").0;
	let plaintext_commitment: [u8; 32] = granted.at.hasher().hash(b"e2e salted plaintext").0;
	let anchor = runtime::transactions().medical_records().anchor_record(
		MultiAddress::Id(dave_id),
		GENERAL,
		VersionContent { ciphertext_hash, plaintext_commitment, cid: BoundedVec(CID.to_vec()) },
		BoundedVec(PATIENT_KEY.to_vec()),
		BoundedVec(AUTHOR_KEY.to_vec()),
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

	let event = anchored.single_event::<runtime::medical_records::events::RecordAnchored>();
	assert_eq!(
		(event.record, event.subject, event.custodian, event.author, event.version),
		(RECORD, dave_id, Some(ORGANISATION), charlie_id, 1)
	);
	assert_eq!(event.ciphertext_hash, ciphertext_hash);

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

	// Step 4: the runtime APIs at the anchor's finalized block.
	let at = &anchored.at;
	let records = runtime::runtime_apis().medical_records_api();
	let other_hash: [u8; 32] = at.hasher().hash(b"some other ciphertext").0;
	for (record, hash, expected) in [
		(RECORD, ciphertext_hash, IntegrityStatus::Current { version: 1 }),
		// A hash that was never anchored, and a record that never was.
		(RECORD, other_hash, IntegrityStatus::Unknown),
		(RECORD + 1, ciphertext_hash, IntegrityStatus::Unknown),
	] {
		let status = call(&node, at, "integrity", records.integrity(record, hash)).await;
		assert_eq!(status, expected, "MedicalRecordsApi::integrity({record}, {hash:?})");
	}

	let record = call(&node, at, "record", records.record(RECORD))
		.await
		.unwrap_or_else(|| node.fail(format!("MedicalRecordsApi::record({RECORD}) is None")));
	eprintln!("MedicalRecordsApi::record({RECORD}) at #{anchored_number}: {record:?}");
	assert_eq!(
		(record.record, record.subject, record.custodian, record.author),
		(RECORD, dave_id, Some(ORGANISATION), charlie_id)
	);
	assert_eq!(u64::from(record.created_at), anchored_number);
	assert_eq!(record.current_version, 1);
	assert_eq!(record.grantees, 2, "Dave and Charlie hold wrapped keys");
	assert_eq!(record.state, RecordState::Active { data_class: GENERAL });
	assert_eq!(call(&node, at, "record", records.record(RECORD + 1)).await, None);

	for (holder, expected) in [
		(dave_id, Some(PATIENT_KEY.to_vec())),
		(charlie_id, Some(AUTHOR_KEY.to_vec())),
		(bob_id, None),
	] {
		let key = call(&node, at, "wrapped_key", records.wrapped_key(RECORD, holder)).await;
		assert_eq!(key, expected, "MedicalRecordsApi::wrapped_key({RECORD}, {holder})");
	}

	let directory = runtime::runtime_apis().directory_api();
	let charlie_entry = call(&node, at, "account", directory.account(charlie_id)).await;
	let physician = charlie_entry
		.practitioner
		.unwrap_or_else(|| node.fail("DirectoryApi::account(Charlie) knows no practitioner"));
	assert_eq!(
		(physician.organisation, physician.role, physician.standing, physician.active),
		(ORGANISATION, PractitionerRole::Physician, Standing::Good, true)
	);
	assert!(charlie_entry.patient.is_none());
	let dave_entry = call(&node, at, "account", directory.account(dave_id)).await;
	assert_eq!(dave_entry.patient.map(|p| p.pseudonym), Some(PSEUDONYM));
	assert_eq!(dave_entry.encryption_key, Some(ENCRYPTION_KEY));

	// Step 5: Charlie records a read of the record, which consent permits by grant 0.
	let access = runtime::transactions().consent().record_access(
		MultiAddress::Id(dave_id),
		AccessTarget::Record { record: RECORD, class: GENERAL },
		PurposeOfUse::Treatment,
		ConsentAction::Read,
	);
	let accessed = node
		.submit_finalized(&api, "Consent::record_access by Charlie", &access, &charlie, TX_TIMEOUT)
		.await;
	let receipt = accessed.single_event::<runtime::consent::events::AccessRecorded>();
	assert_eq!((receipt.patient, receipt.actor), (dave_id, charlie_id));
	assert_eq!((receipt.receipt, receipt.grant), (0, Some(0)));

	// Step 6: Dave revokes; Charlie's next access is refused on chain.
	let revoke = runtime::transactions().consent().revoke_consent(0);
	let revoked = node
		.submit_finalized(&api, "Consent::revoke_consent by Dave", &revoke, &dave, TX_TIMEOUT)
		.await;
	assert_eq!(revoked.single_event::<runtime::consent::events::ConsentRevoked>().grant, 0);
	let refusal = node
		.submit_finalized_refused(
			&api,
			"Consent::record_access by Charlie after revocation",
			&access,
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
	let log = runtime::runtime_apis().consent_api().access_log(dave_id, None, 10);
	let log = call(&node, &now, "access_log", log).await;
	eprintln!("access log of Dave at #{}: {log:?}", now.block_number());
	assert_eq!(log.len(), 1, "exactly one access: {log:?}");
	assert_eq!((log[0].seq, log[0].actor), (0, charlie_id), "{log:?}");
	assert!(matches!(log[0].entry, LogEntry::Accessed { .. }), "{log:?}");
}

/// The runtime API call `payload` (named `what` in messages) at the client's block, bounded by
/// [`QUERY_TIMEOUT`].
async fn call<P: subxt::runtime_apis::Payload>(
	node: &Node,
	at: &OnlineClientAtBlock<Config>,
	what: &str,
	payload: P,
) -> P::ReturnType {
	let block = at.block_number();
	tokio::time::timeout(QUERY_TIMEOUT, at.runtime_apis().call(payload))
		.await
		.unwrap_or_else(|_| {
			node.fail(format!("{what} at #{block}: no answer within {QUERY_TIMEOUT:?}"))
		})
		.unwrap_or_else(|e| node.fail(format!("{what} at #{block} failed: {e}")))
}
