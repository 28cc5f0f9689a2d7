//! End-to-end between two institutions (issue 14): the real `medchain-node` as a dev chain, two
//! organisations each running its own `medchain-gateway` on its own PostgreSQL cluster, and
//! every party (the registrar, each organisation's staff, the patient, each gateway) with a
//! client home of its own; nothing passes between them but the chain, the gateways' HTTP
//! faces and the patient's card, handed over as a file.
//!
//! Hospital A's physician adds an Observation: the CLI finds A's gateway in the directory and
//! deposits it there before anchoring. The patient grants B's physician, who reads it through
//! the CLI (resolving A's gateway from the directory) identical; A's physician amends it through
//! A's gateway and B's physician finds the new version by searching the patient's records; a
//! colleague at B covered by a role grant reads it; the patient revokes the first grant, the next read is 403 and the
//! refused attempt is on chain; an emergency physician at B opens break-glass and reads. The
//! patient's access log lists every one of these, written by A's gateway. Then every table of
//! both gateways' databases is scanned for the document's plaintext: none is there.
//!
//! It runs beside the other end-to-end test of this binary (each with its own node), so that
//! their waits for finality overlap. Needs the node and gateway binaries next to the test's
//! target directory: `cargo test --workspace` builds them.

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::Duration,
};

use medchain_client::{chain::AccountId, fhir::FhirDocument, gateway::Gateway};
use medchain_test_utils::{
	node::{workspace_binary, Node, NODE_START_TIMEOUT},
	postgres::Postgres,
};
use serde_json::Value;

use crate::common::{str_of, u64_of, User};

/// A running `medchain-gateway` with its own database; stopped when dropped.
struct RunningGateway {
	process: Child,
	url: String,
	log: PathBuf,
	database: Postgres,
}

impl RunningGateway {
	/// Starts the gateway of identity `gateway` in `home` against `node`, on a free port, with a
	/// fresh PostgreSQL cluster, and waits until it answers as `account`.
	async fn start(home: &Path, node: &str, account: AccountId) -> Self {
		let database = Postgres::start();
		let port = std::net::TcpListener::bind("127.0.0.1:0")
			.and_then(|l| l.local_addr())
			.expect("a free port")
			.port();
		let listen = format!("127.0.0.1:{port}");
		let log = home.join("gateway.log");
		let process = Command::new(workspace_binary("medchain-gateway"))
			.args(["--listen", &listen, "--node", node, "--database-url", &database.url()])
			.arg("--home")
			.arg(home)
			.args(["--as", "gateway"])
			.env("RUST_LOG", "info")
			.stdout(Stdio::null())
			.stderr(std::fs::File::create(&log).expect("a log file"))
			.spawn()
			.expect("starts medchain-gateway");
		let url = format!("http://{listen}");
		let client = Gateway::new(&url, account, Duration::from_secs(5)).expect("a gateway URL");
		let mut running = Self { process, url, log, database };
		for _ in 0..120 {
			if client.health().await.is_ok() {
				return running;
			}
			if let Ok(Some(status)) = running.process.try_wait() {
				panic!("medchain-gateway exited ({status}):\n{}", running.log_text());
			}
			tokio::time::sleep(Duration::from_millis(500)).await;
		}
		panic!("medchain-gateway never answered:\n{}", running.log_text());
	}

	fn log_text(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}
}

impl Drop for RunningGateway {
	fn drop(&mut self) {
		let _ = self.process.kill();
		let _ = self.process.wait();
	}
}

/// Values of the Observation fixture that must never reach a gateway's database (its resource
/// type does: the custody table keeps it, as an organisation's records system would).
const PLAINTEXT_VALUES: [&str; 6] = [
	"Jane Quixote-Marchetti",
	"Zanzibar",
	"long-distance swim",
	"8867-4",
	"Heart rate",
	"beats/minute",
];

/// Scans every value of every table of `database` (bytea columns as their raw bytes) for the
/// fixture's plaintext; returns how many rows it read.
fn scan_for_plaintext(database: &Postgres) -> usize {
	let tables = database.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
	assert!(tables.iter().any(|t| t == "custody"), "{tables:?}");
	let mut rows = 0;
	let check = |what: &str, text: &str| {
		for value in PLAINTEXT_VALUES {
			assert!(!text.contains(value), "{what} holds plaintext: {value}");
		}
	};
	for table in &tables {
		for row in database.query(&format!("SELECT t::text FROM {table} t")) {
			check(table, &row);
			rows += 1;
		}
		let bytea = format!(
			"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' \
			 AND data_type = 'bytea'"
		);
		for column in database.query(&bytea) {
			for value in database.query(&format!("SELECT encode({column}, 'escape') FROM {table}"))
			{
				check(&format!("{table}.{column}"), &value);
			}
		}
	}
	rows
}

/// A party: the tool with a home of its own.
fn party(root: &Path, name: &str, url: &str) -> User {
	let home = root.join(name);
	std::fs::create_dir_all(&home).expect("a home");
	User { home, url: url.to_string(), passphrase: None }
}

/// `user` imports the well-known development account `suri` as `name`.
fn import(user: &User, name: &str, suri: &str) {
	user.ok(None, &["keys", "import", "--name", name, "--suri", suri]);
}

/// `admin` invites `who` (an identity in `staff`'s home) to `org` with `role`.
fn invite(admin: &User, org: &str, staff: &User, who: &str, role: &str) {
	let account = staff.account_of(who).to_string();
	admin.ok(
		Some("admin"),
		&[
			"directory",
			"invite",
			"--org",
			org,
			"--practitioner",
			&account,
			"--role",
			role,
			"--authority",
			"GMC",
			"--licence",
			&format!("GMC-{who}"),
		],
	);
}

/// `who` accepts `org`'s invitation and registers its encryption key.
fn join(staff: &User, org: &str, who: &str) {
	staff.ok(Some(who), &["directory", "accept", "--org", org]);
	staff.ok(Some(who), &["keys", "register"]);
}

/// `admin` publishes `org`'s gateway, whose key file is in `gateway_home`, at `url`.
fn publish(admin: &User, org: &str, gateway_home: &User, url: &str) {
	let shown = gateway_home.ok(None, &["keys", "show", "--name", "gateway"]);
	admin.ok(
		Some("admin"),
		&[
			"directory",
			"set-gateway",
			"--org",
			org,
			"--account",
			str_of(&shown, "account"),
			"--endpoint",
			url,
			"--encryption-key",
			str_of(&shown, "encryption_public"),
		],
	);
	let published = admin.ok(None, &["directory", "gateway", "--org", org]);
	assert_eq!(str_of(&published, "endpoint"), url);
	assert_eq!(str_of(&published, "account"), str_of(&shown, "account"));
}

/// The patient's access log, oldest first, as the CLI's JSON gives it.
fn access_log(patient: &User) -> Vec<Value> {
	let log = patient.ok(Some("patient"), &["consent", "log"]);
	let mut entries = log.as_array().cloned().expect("a list");
	entries.reverse();
	entries
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_organisations_share_a_record_through_their_gateways() {
	let mut node = Node::start();
	node.wait_for_rpc(NODE_START_TIMEOUT).await;
	let rpc = node.legacy_rpc().await;
	node.wait_for_finalized(&rpc, 1, Duration::from_secs(120)).await;
	let url = node.ws_url();
	let root = tempfile::tempdir().expect("a temporary root");
	let root = root.path();

	// Each party its own home. Funded development accounts for whoever pays fees; the patient
	// is a fresh identity (their own calls are free).
	let registrar = party(root, "registrar", &url);
	import(&registrar, "registrar", "//Alice");
	let hospital_a = party(root, "hospital-a", &url);
	import(&hospital_a, "admin", "//Bob");
	import(&hospital_a, "doc-a", "//Charlie");
	let hospital_b = party(root, "hospital-b", &url);
	import(&hospital_b, "admin", "//Ferdie");
	import(&hospital_b, "doc-b", "//Dave");
	import(&hospital_b, "colleague-b", "//One");
	import(&hospital_b, "er-doc", "//Two");
	let patient = party(root, "patient", &url);
	patient.ok(None, &["keys", "generate", "--name", "patient", "--plaintext"]);
	let gateway_a_home = party(root, "gateway-a", &url);
	import(&gateway_a_home, "gateway", "//Eve");
	let gateway_b_home = party(root, "gateway-b", &url);
	gateway_b_home.ok(None, &["keys", "generate", "--name", "gateway", "--plaintext"]);

	// The directory: two hospitals, their staff, the patient.
	let admin_a = hospital_a.account_of("admin").to_string();
	let admin_b = hospital_b.account_of("admin").to_string();
	let org_a = registrar.ok(
		Some("registrar"),
		&["directory", "register-org", "--name", "St Elsewhere", "--admin", &admin_a],
	);
	let org_a = u64_of(&org_a, "organisation").to_string();
	let org_b = registrar.ok(
		Some("registrar"),
		&["directory", "register-org", "--name", "County General", "--admin", &admin_b],
	);
	let org_b = u64_of(&org_b, "organisation").to_string();
	// What different accounts sign runs side by side (each waits for finality).
	std::thread::scope(|s| {
		s.spawn(|| invite(&hospital_a, &org_a, &hospital_a, "doc-a", "physician"));
		s.spawn(|| {
			for (who, role) in [
				("doc-b", "physician"),
				("colleague-b", "physician"),
				("er-doc", "emergency-physician"),
			] {
				invite(&hospital_b, &org_b, &hospital_b, who, role);
			}
		});
		s.spawn(|| patient.ok(Some("patient"), &["directory", "register-patient"]));
	});
	std::thread::scope(|s| {
		s.spawn(|| join(&hospital_a, &org_a, "doc-a"));
		for who in ["doc-b", "colleague-b", "er-doc"] {
			let (hospital_b, org_b) = (&hospital_b, &org_b);
			s.spawn(move || join(hospital_b, org_b, who));
		}
	});
	let patient_account = patient.account_of("patient").to_string();

	// Each organisation runs its gateway on its own database and publishes it.
	let gateway_a =
		RunningGateway::start(&gateway_a_home.home, &url, gateway_a_home.account_of("gateway"))
			.await;
	let gateway_b =
		RunningGateway::start(&gateway_b_home.home, &url, gateway_b_home.account_of("gateway"))
			.await;
	// A typo in the key is caught before anything is published: the gateway names its own.
	let shown = gateway_a_home.ok(None, &["keys", "show", "--name", "gateway"]);
	let refused = hospital_a.misused(
		Some("admin"),
		&[
			"directory",
			"set-gateway",
			"--org",
			&org_a,
			"--account",
			str_of(&shown, "account"),
			"--endpoint",
			&gateway_a.url,
			"--encryption-key",
			&"ab".repeat(32),
		],
	);
	assert!(refused.contains("unwraps with key"), "{refused}");
	std::thread::scope(|s| {
		s.spawn(|| publish(&hospital_a, &org_a, &gateway_a_home, &gateway_a.url));
		s.spawn(|| publish(&hospital_b, &org_b, &gateway_b_home, &gateway_b.url));
	});

	// The patient hands hospital A their card and lets its physicians read and write.
	let card = root.join("patient-card.json");
	let card = card.to_string_lossy().to_string();
	patient.ok(Some("patient"), &["keys", "card", "--out", &card]);
	hospital_a.ok(Some("doc-a"), &["patients", "import", &card]);
	patient.ok(
		Some("patient"),
		&[
			"consent",
			"grant",
			"--org",
			&org_a,
			"--role",
			"physician",
			"--actions",
			"read,write",
			"--purposes",
			"treatment",
			"--classes",
			"general",
		],
	);

	// A's physician adds the Observation: deposited with A's gateway, then anchored.
	let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/observation.json");
	let fixture = fixture.to_string_lossy().to_string();
	let anchored = hospital_a
		.ok(Some("doc-a"), &["records", "add", "--patient", &patient_account, "--file", &fixture]);
	let record = u64_of(&anchored, "record").to_string();
	assert!(
		!hospital_a.home.join("store").exists()
			|| std::fs::read_dir(hospital_a.home.join("store")).unwrap().next().is_none(),
		"the document went to the gateway, not the local store"
	);
	let original = FhirDocument::parse(&std::fs::read(&fixture).unwrap()).unwrap();

	// B's physician, granted by the patient, reads it through A's gateway, found in the
	// directory: identical.
	let refused = hospital_b.fails(Some("doc-b"), &["records", "get", &record]);
	assert!(refused.contains("403"), "{refused}");
	let doc_b = hospital_b.account_of("doc-b").to_string();
	let granted = patient.ok(
		Some("patient"),
		&[
			"consent",
			"grant",
			"--to",
			&doc_b,
			"--actions",
			"read",
			"--purposes",
			"treatment",
			"--records",
			&record,
		],
	);
	let grant_b = u64_of(&granted, "grant").to_string();
	let out = hospital_b.home.join("read-by-b.json");
	hospital_b.ok(Some("doc-b"), &["records", "get", &record, "--out", &out.to_string_lossy()]);
	let read_back = FhirDocument::parse(&std::fs::read(&out).unwrap()).unwrap();
	assert_eq!(read_back, original);

	// A's physician amends it through A's gateway (reading the current version there, a
	// receipted read); B's physician finds version 2 by searching the patient's records.
	let mut amended: Value = serde_json::from_slice(&std::fs::read(&fixture).unwrap()).unwrap();
	amended["status"] = "amended".into();
	let amended_file = hospital_a.home.join("amended.json");
	std::fs::write(&amended_file, amended.to_string()).unwrap();
	let version = hospital_a.ok(
		Some("doc-a"),
		&["records", "amend", &record, "--file", &amended_file.to_string_lossy()],
	);
	assert_eq!(version["version"].as_u64(), Some(2), "{version}");
	let amended = FhirDocument::parse(amended.to_string().as_bytes()).unwrap();
	let found_dir = hospital_b.home.join("found");
	let found = hospital_b.ok(
		Some("doc-b"),
		&[
			"records",
			"search",
			"--patient",
			&patient_account,
			"--type",
			"Observation",
			"--out",
			&found_dir.to_string_lossy(),
		],
	);
	let entries = found["found"].as_array().expect("found");
	assert_eq!(entries.len(), 1, "{found}");
	assert_eq!(entries[0]["record"].to_string(), record);
	assert_eq!(entries[0]["version"].as_u64(), Some(2));
	assert_eq!(entries[0]["organisation"].to_string(), org_a);
	let path = found_dir.join(format!("record-{record}.json"));
	assert_eq!(FhirDocument::parse(&std::fs::read(path).unwrap()).unwrap(), amended);
	// Nothing of another type.
	let none = hospital_b.ok(
		Some("doc-b"),
		&["records", "search", "--patient", &patient_account, "--type", "Condition"],
	);
	assert_eq!(none["found"].as_array().map(Vec::len), Some(0), "{none}");

	// A colleague at B, covered by a grant to B's physicians (the chain holds no key for them:
	// the gateway delivers it).
	let role_grant_b = patient.ok(
		Some("patient"),
		&[
			"consent",
			"grant",
			"--org",
			&org_b,
			"--role",
			"physician",
			"--actions",
			"read",
			"--purposes",
			"treatment",
			"--records",
			&record,
		],
	);
	let role_grant_b = u64_of(&role_grant_b, "grant").to_string();
	let read = hospital_b.ok(Some("colleague-b"), &["records", "get", &record]);
	assert_eq!(FhirDocument::parse(read.to_string().as_bytes()).unwrap(), amended);

	// The patient revokes B's physician's own grant and the role grant: the next read is 403,
	// and the refused attempt is on chain.
	patient.ok(Some("patient"), &["consent", "revoke", &grant_b]);
	patient.ok(Some("patient"), &["consent", "revoke", &role_grant_b]);
	let refused = hospital_b.fails(Some("doc-b"), &["records", "get", &record]);
	assert!(refused.contains("403") && refused.contains("receipt"), "{refused}");

	// An emergency physician at B opens break-glass and reads, with an emergency receipt.
	let refused = hospital_b
		.fails(Some("er-doc"), &["records", "get", &record, "--purpose", "emergency-treatment"]);
	assert!(refused.contains("403"), "{refused}");
	hospital_b.ok(
		Some("er-doc"),
		&[
			"consent",
			"emergency",
			"--patient",
			&patient_account,
			"--reason",
			"unconscious on arrival",
		],
	);
	let read = hospital_b
		.ok(Some("er-doc"), &["records", "get", &record, "--purpose", "emergency-treatment"]);
	assert_eq!(FhirDocument::parse(read.to_string().as_bytes()).unwrap(), amended);

	// The patient's log: every read above, written by A's gateway, and the break-glass opening.
	let log = access_log(&patient);
	let gateway_entries = |kind: &str| -> Vec<&Value> {
		log.iter().filter(|receipt| receipt["entry"].get(kind).is_some()).collect()
	};
	let released = gateway_entries("ReleasedByGateway");
	let refused = gateway_entries("RefusedByGateway");
	let actors = |entries: &[&Value]| -> Vec<String> {
		entries.iter().map(|e| str_of(e, "actor").to_string()).collect()
	};
	let (colleague, er_doc, doc_a) = (
		hospital_b.account_of("colleague-b").to_string(),
		hospital_b.account_of("er-doc").to_string(),
		hospital_a.account_of("doc-a").to_string(),
	);
	// B's read, A's read before amending, B's search, the colleague's read, the emergency's.
	let expected = vec![doc_b.clone(), doc_a, doc_b.clone(), colleague, er_doc.clone()];
	assert_eq!(actors(&released), expected, "{log:#?}");
	assert_eq!(actors(&refused), vec![doc_b.clone(), doc_b, er_doc], "{log:#?}");
	for entry in released.iter().chain(&refused) {
		let (_, body) = entry["entry"].as_object().unwrap().iter().next().unwrap();
		assert_eq!(body["organisation"].as_u64(), org_a.parse().ok(), "{entry}");
	}
	assert!(
		released[4]["entry"]["ReleasedByGateway"]["reason"].get("Emergency").is_some(),
		"{log:#?}"
	);
	assert_eq!(gateway_entries("EmergencyOpened").len(), 1, "{log:#?}");

	// No plaintext in any table of either gateway's database; A's holds both versions.
	let custody = gateway_a.database.query("SELECT count(*) FROM custody");
	assert_eq!(custody, vec!["2".to_string()]);
	assert!(scan_for_plaintext(&gateway_a.database) > 1);
	scan_for_plaintext(&gateway_b.database);
	drop(gateway_b);
	drop(gateway_a);
}
