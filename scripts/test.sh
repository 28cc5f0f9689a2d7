#!/usr/bin/env bash
# The whole test suite, as CI runs it: setup, formatting, then every crate's tests, including
# the runtime tests and the end-to-end tests that start the real node binary.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh
cargo fmt --all -- --check
# One invocation for everything: the end-to-end tests build and start the node binary, and
# building it separately with other feature unification would compile ~1,000 crates twice.
cargo test --locked --workspace
# Every pallet benchmark also runs as a test against the pallet's mock, with try-state checks.
SKIP_WASM_BUILD=1 cargo test --locked -p pallet-directory -p pallet-medical-records -p pallet-consent \
	-p pallet-clinical-trials -p pallet-free-calls \
	--features runtime-benchmarks,try-runtime
