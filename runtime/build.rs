//! Build script: compiles the runtime to Wasm (and, when asked, the next runtime version for
//! the upgrade test).

fn main() {
	#[cfg(feature = "std")]
	{
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
		next_runtime();
	}
}

/// The runtime one `spec_version` later (feature `next-version`), which the upgrade test enacts
/// on a running chain: built only when `MEDCHAIN_NEXT_RUNTIME` is set and not `0` (every
/// script sets it, `scripts/env.sh`), else `next_wasm_binary.rs` says there is none.
#[cfg(feature = "std")]
fn next_runtime() {
	const FILE: &str = "next_wasm_binary.rs";
	println!("cargo:rerun-if-env-changed=MEDCHAIN_NEXT_RUNTIME");
	let wanted = std::env::var("MEDCHAIN_NEXT_RUNTIME").is_ok_and(|value| value != "0");
	let skipped = std::env::var_os("SKIP_WASM_BUILD").is_some();
	if wanted && !skipped {
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_feature("next-version")
			.set_file_name(FILE)
			.build();
	} else {
		let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
		std::fs::write(
			out.join(FILE),
			"pub const WASM_BINARY: Option<&[u8]> = None;\n\
			 pub const WASM_BINARY_BLOATY: Option<&[u8]> = None;\n",
		)
		.expect("OUT_DIR is writable");
	}
}
