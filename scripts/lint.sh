#!/usr/bin/env bash
# The habits the code follows, enforced (scripts/test.sh runs this; it also runs alone):
#   1. clippy on every crate and target, failing on any warning: rustc's (missing docs among
#      them: `[workspace.lints]`) and clippy's, including the on-chain crates' restriction lints
#      (no arithmetic side effects, indexing, unwrap/expect, panic or truncating casts; set in
#      each on-chain crate's lib.rs, outside its tests);
#   2. `cargo doc` of the workspace's crates, failing on any rustdoc warning (broken intra-doc
#      links, bad HTML or code blocks);
#   3. feature propagation (zepter): a crate's `std`, `runtime-benchmarks` and `try-runtime`
#      reach every dependency that has them.
#
# One exception, in scripts/clippy-filter.py: FRAME's and SCALE codec's macros expand to
# `expect` and `as u8` in code they generate inside our crates, which the restriction lints see;
# a restriction lint whose every span lies in a macro expansion is not ours to fix and passes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# A debug build: zepter reads one workspace's manifests in a second either way, and a debug
# build skips the optimiser (the release build took 4 minutes of a fresh machine's CI run).
command -v zepter >/dev/null 2>&1 || cargo install --locked --debug zepter --version 1.88.2

echo "lint: clippy"
SKIP_WASM_BUILD=1 cargo clippy --locked --workspace --all-targets \
	--features runtime-benchmarks,try-runtime --message-format=json -q 2>/dev/null |
	python3 scripts/clippy-filter.py

echo "lint: cargo doc"
# Missing docs are the clippy step's (which knows the macros' output); here every other warning.
# Same features as clippy, and `--examples` so that dev-dependencies take part in feature
# resolution as they do under `--all-targets`: the dependencies clippy checked are then reused
# as they are, instead of ~800 crates checked again with other features (12 minutes on 2 cores).
SKIP_WASM_BUILD=1 RUSTDOCFLAGS="-D warnings -A missing_docs" cargo doc --locked --workspace --no-deps -q \
	--features runtime-benchmarks,try-runtime --lib --bins --examples

echo "lint: feature propagation"
zepter run check

echo "lint: ok"
