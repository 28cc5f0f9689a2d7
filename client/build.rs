//! Rebuilds the client when the runtime metadata it is generated from changes: the `subxt`
//! macro reads `metadata/medchain.scale` at compile time, but cargo does not know the crate
//! depends on that file, so a regenerated metadata file would otherwise leave a client built
//! against the old runtime (whose transactions the node refuses as incompatible).

fn main() {
	println!("cargo:rerun-if-changed=metadata/medchain.scale");
}
