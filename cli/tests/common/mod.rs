//! What the command-line end-to-end tests share: the `medchain` tool run as a user with a home
//! of their own, and reading its JSON answers.

// Each test crate compiles this module and uses part of it.
#![allow(dead_code)]

use std::{
	path::{Path, PathBuf},
	process::Command,
	str::FromStr,
};

use medchain_client::identity::KeyRing;
use serde_json::Value;

const CLI: &str = env!("CARGO_BIN_EXE_medchain");

/// The `medchain` tool with its own home (key files, store, seeds) against one node.
pub struct User {
	pub home: PathBuf,
	pub url: String,
	/// The file holding the passphrase of the sealed key files (`MEDCHAIN_PASSPHRASE_FILE`).
	pub passphrase: Option<PathBuf>,
}

impl User {
	/// The same user talking to the node at `url`.
	pub fn via(&self, url: &str) -> User {
		User { home: self.home.clone(), url: url.to_string(), passphrase: self.passphrase.clone() }
	}

	/// The same user with another passphrase file, or none.
	pub fn with_passphrase(&self, file: Option<&Path>) -> User {
		User {
			home: self.home.clone(),
			url: self.url.clone(),
			passphrase: file.map(Path::to_path_buf),
		}
	}

	/// The user's key ring, opened with their passphrase.
	pub fn ring(&self) -> KeyRing {
		let ring = KeyRing::new(&self.home);
		match &self.passphrase {
			Some(file) => ring.with_passphrase(
				medchain_client::passphrase::Passphrase::from_file(file)
					.expect("the passphrase file"),
			),
			None => ring,
		}
	}

	/// The account of identity `name`, as `keys show` gives it.
	pub fn account_of(&self, name: &str) -> medchain_client::chain::AccountId {
		let shown = self.ok(None, &["keys", "show", "--name", name]);
		medchain_client::chain::AccountId::from_str(str_of(&shown, "account")).expect("an account")
	}

	pub fn command(&self, who: Option<&str>, args: &[&str]) -> Command {
		let mut command = Command::new(CLI);
		match &self.passphrase {
			Some(file) => command.env("MEDCHAIN_PASSPHRASE_FILE", file),
			None => command.env_remove("MEDCHAIN_PASSPHRASE_FILE"),
		};
		command.arg("--home").arg(&self.home).arg("--url").arg(&self.url).arg("--json");
		if let Some(who) = who {
			command.arg("--as").arg(who);
		}
		command.args(args);
		command
	}

	/// Runs the tool as `who`; returns its JSON result, failing the test if it failed.
	pub fn ok(&self, who: Option<&str>, args: &[&str]) -> Value {
		let output = self.command(who, args).output().expect("runs medchain");
		let stdout = String::from_utf8_lossy(&output.stdout);
		let stderr = String::from_utf8_lossy(&output.stderr);
		assert!(
			output.status.success(),
			"medchain {args:?} as {who:?} failed ({}):\n{stderr}",
			output.status
		);
		eprintln!("medchain {args:?} as {who:?}: {}", stdout.trim());
		serde_json::from_str(&stdout)
			.unwrap_or_else(|e| panic!("medchain {args:?}: output is not JSON ({e}): {stdout}"))
	}

	/// Runs the tool as `who`, expecting it to fail with status 1; returns its stderr.
	pub fn fails(&self, who: Option<&str>, args: &[&str]) -> String {
		self.exits(1, who, args)
	}

	/// Runs the tool as `who`, expecting it to refuse a command used wrongly (status 2);
	/// returns its stderr.
	pub fn misused(&self, who: Option<&str>, args: &[&str]) -> String {
		self.exits(2, who, args)
	}

	pub fn exits(&self, status: i32, who: Option<&str>, args: &[&str]) -> String {
		let output = self.command(who, args).output().expect("runs medchain");
		let stderr = String::from_utf8_lossy(&output.stderr).to_string();
		assert_eq!(
			output.status.code(),
			Some(status),
			"medchain {args:?} as {who:?} must fail with status {status}; stdout: {}; stderr: \
			 {stderr}",
			String::from_utf8_lossy(&output.stdout)
		);
		eprintln!("medchain {args:?} as {who:?} refused: {}", stderr.trim());
		stderr
	}
}

pub fn u64_of(value: &Value, field: &str) -> u64 {
	value[field].as_u64().unwrap_or_else(|| panic!("no number `{field}` in {value}"))
}

pub fn str_of<'a>(value: &'a Value, field: &str) -> &'a str {
	value[field].as_str().unwrap_or_else(|| panic!("no string `{field}` in {value}"))
}

pub fn write(dir: &Path, name: &str, text: &str) -> String {
	let path = dir.join(name);
	std::fs::write(&path, text).expect("writes a fixture");
	path.to_string_lossy().to_string()
}

/// A passphrase file (mode 0600, as the CLI requires).
pub fn passphrase_file(dir: &Path, name: &str, passphrase: &str) -> PathBuf {
	let path = PathBuf::from(write(dir, name, &format!("{passphrase}\n")));
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
			.expect("a private passphrase file");
	}
	path
}

/// A dev node that keeps every block's state, running and past its first finalized block, with
/// a legacy RPC client to it. The privacy scans read the events of each block, and a run that
/// outlasts the default pruning window (256 blocks, 26 minutes) would find the first ones
/// discarded.
pub async fn archive_node(
) -> (medchain_test_utils::node::Node, medchain_test_utils::node::LegacyRpc) {
	use medchain_test_utils::node::{Node, NODE_START_TIMEOUT};
	let mut node = Node::start_with_args(&["--state-pruning", "archive"]);
	node.wait_for_rpc(NODE_START_TIMEOUT).await;
	let rpc = node.legacy_rpc().await;
	node.wait_for_finalized(&rpc, 1, std::time::Duration::from_secs(120)).await;
	(node, rpc)
}

/// An organisation with one member of staff, as the end-to-end tests set them up: the
/// `registrar` (the sudo key) registers `name`, a `kind` organisation administered by `admin`,
/// who invites `staff` with `role` under a licence from `authority`; `staff` accepts and
/// registers their encryption key. Returns the organisation's id.
pub fn staffed_organisation(
	user: &User,
	name: &str,
	kind: &str,
	admin: &str,
	(staff, role, authority): (&str, &str, &str),
) -> String {
	let registered = user.ok(
		Some("registrar"),
		&["directory", "register-org", "--name", name, "--kind", kind, "--admin", admin],
	);
	let org = u64_of(&registered, "organisation").to_string();
	let licence = format!("{authority}-{staff}");
	user.ok(
		Some(admin),
		&[
			"directory",
			"invite",
			"--org",
			&org,
			"--practitioner",
			staff,
			"--role",
			role,
			"--authority",
			authority,
			"--licence",
			&licence,
		],
	);
	user.ok(Some(staff), &["directory", "accept", "--org", &org]);
	user.ok(Some(staff), &["keys", "register"]);
	org
}

/// One end-to-end test's world: its own archive node, a user of the tool against it with a
/// fresh home, and a temporary directory for the files it hands the tool. The directories
/// live as long as this does.
pub struct Session {
	pub node: medchain_test_utils::node::Node,
	pub rpc: medchain_test_utils::node::LegacyRpc,
	pub home: tempfile::TempDir,
	pub files: tempfile::TempDir,
	pub user: User,
}

/// A [`Session`] on a new node; with `passphrase`, the user's key files are sealed under it
/// (a passphrase file in the session's directory).
pub async fn session(passphrase: Option<&str>) -> Session {
	let (node, rpc) = archive_node().await;
	let home = tempfile::tempdir().expect("a temporary home");
	let files = tempfile::tempdir().expect("a temporary directory");
	let passphrase = passphrase.map(|secret| passphrase_file(files.path(), "passphrase", secret));
	let user = User { home: home.path().to_path_buf(), url: node.ws_url(), passphrase };
	Session { node, rpc, home, files, user }
}
