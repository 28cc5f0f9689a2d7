//! The metadata the Rust client is generated from (`client/metadata/medchain.scale`, read by
//! subxt's static codegen) must be this runtime's. After changing the runtime, regenerate it with
//! `scripts/update-metadata.sh`; this test fails while the committed file is stale.

use medchain_runtime::Runtime;
use std::path::PathBuf;

/// The metadata version the client is generated from.
const VERSION: u32 = 16;

fn committed_path() -> PathBuf {
	PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../client/metadata/medchain.scale")
}

#[test]
fn the_client_metadata_is_this_runtimes() {
	let metadata = Runtime::metadata_at_version(VERSION)
		.expect("the runtime serves metadata version 16")
		.to_vec();
	let path = committed_path();
	if std::env::var_os("MEDCHAIN_UPDATE_METADATA").is_some() {
		std::fs::write(&path, &metadata).expect("writes the client metadata");
	}
	let committed = std::fs::read(&path).unwrap_or_else(|e| {
		panic!("{}: {e}; run scripts/update-metadata.sh", path.display());
	});
	assert!(
		committed == metadata,
		"{} is stale (the runtime changed): run scripts/update-metadata.sh and commit the file",
		path.display()
	);
}
