//! `medchain-load` refuses a run it cannot complete before it touches the chain, and says why.

use std::process::Command;

fn run(args: &[&str]) -> (bool, String) {
	let output = Command::new(env!("CARGO_BIN_EXE_medchain-load"))
		.args(args)
		.output()
		.expect("medchain-load runs");
	(output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn an_empty_run_is_refused() {
	let (ok, stderr) = run(&["--count", "0"]);
	assert!(!ok);
	assert!(stderr.contains("nothing to run"), "{stderr}");
}

#[test]
fn more_grants_than_the_patients_may_sign_are_refused() {
	let (ok, stderr) = run(&["--kinds", "grant", "--count", "100", "--patients", "2"]);
	assert!(!ok);
	assert!(
		stderr.contains("100 grants need more patients: 2 patients sign at most 98"),
		"{stderr}"
	);
	// Grants counted apart from the other kinds.
	let (ok, stderr) = run(&[
		"--kinds",
		"transfer,grant",
		"--count",
		"100",
		"--grant-count",
		"99",
		"--patients",
		"2",
	]);
	assert!(!ok);
	assert!(stderr.contains("99 grants need more patients"), "{stderr}");
}

#[test]
fn zero_senders_are_refused() {
	let (ok, stderr) = run(&["--senders", "0"]);
	assert!(!ok);
	assert!(stderr.contains("--senders, --patients and --concurrency must be above 0"), "{stderr}");
}

#[test]
fn an_unreachable_node_is_named() {
	// Nothing listens on port 1 of loopback.
	let (ok, stderr) = run(&["--url", "ws://127.0.0.1:1", "--count", "1"]);
	assert!(!ok);
	assert!(stderr.contains("connecting to ws://127.0.0.1:1"), "{stderr}");
}
