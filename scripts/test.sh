#!/usr/bin/env bash
# The whole test suite, as CI runs it: setup, formatting, then every crate's tests, including
# the runtime tests and the end-to-end tests that start the real node binary.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
# Each step prints when it starts, counted from here, so a run's log says where its time went.
step() { printf '\n== test.sh %d:%02d  %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
SECONDS=0
step setup
scripts/setup.sh
step fmt
cargo fmt --all -- --check
# The patient portal's unit tests (its crypto against the vectors the Rust client wrote, its
# readable views of FHIR records, its messages), type-checked first: Node.js, no browser.
step portal unit tests
(cd portal && npm ci --no-audit --no-fund --loglevel=error && npm run typecheck && npm test)
# Clippy and rustdoc with every warning an error, and feature propagation (scripts/lint.sh).
step lint
scripts/lint.sh
# Every pallet benchmark also runs as a test against the pallet's mock, with try-state checks;
# and the runtime's try-runtime checks (an upgrade rehearsed on a chain holding care data, every
# pallet's pre/post-upgrade hooks, storage versions and invariants) pass before the upgrade test
# below enacts that runtime. Both with the same features, so they share their build.
step pallet tests and benchmarks
SKIP_WASM_BUILD=1 cargo test --locked -p pallet-directory -p pallet-medical-records -p pallet-consent \
	-p pallet-clinical-trials -p pallet-free-calls -p pallet-prescriptions -p pallet-claims -p pallet-rewards \
	--features runtime-benchmarks,try-runtime
# The runtime fuzzer too (10,000 random calls of the healthcare pallets through the real runtime,
# every pallet's try_state after each block; its regression corpus replayed too).
step runtime try-runtime and fuzz
SKIP_WASM_BUILD=1 cargo test --locked -p medchain-runtime --features runtime-benchmarks,try-runtime \
	--test runtime -- try_runtime:: fuzz::
# One build for everything else: the end-to-end tests build and start the node binary, and
# building it separately with other feature unification would compile ~1,000 crates twice.
# `MEDCHAIN_NEXT_RUNTIME` (scripts/env.sh) also builds the runtime one `spec_version` later, which the upgrade
# test (`node/tests/upgrade_e2e.rs`) has the council enact on a running chain.
# The end-to-end tests keep their chains (MEDCHAIN_KEEP_CHAINS), and try_state then runs on the
# state each of them left, read from the node restarted on it (scripts/try-live.sh).
kept=$(mktemp -d "${TMPDIR:-/tmp}/medchain-chains.XXXXXX")
trap 'rm -rf "$kept"' EXIT
step workspace build
cargo test --locked --workspace --no-run
# cargo runs one test binary at a time, and the end-to-end binaries (the node's and the CLI's)
# spend most of their time waiting for blocks: three groups run side by side, each into its own
# log, printed whole once all are done. Every group names `--workspace`, so that features
# resolve as in the build above and nothing is built again.
step workspace tests
e2e=(cli_e2e e2e records_e2e upgrade_e2e)
others=$(cargo metadata --locked --no-deps --format-version 1 | python3 -c '
import json, sys
skip = set(sys.argv[1:])
targets = {t["name"] for p in json.load(sys.stdin)["packages"] for t in p["targets"]
	if "test" in t["kind"] and t["name"] not in skip}
print(" ".join("--test " + name for name in sorted(targets)))' "${e2e[@]}")
logs="$kept/logs"
mkdir -p "$logs"
group() { # <name> <cargo test arguments>…
	local name=$1
	shift
	if MEDCHAIN_KEEP_CHAINS=$kept cargo test --locked --workspace "$@" >"$logs/$name.log" 2>&1; then
		echo ok >"$logs/$name.status"
	else
		echo FAILED >"$logs/$name.status"
	fi
}
# Its five tests (records and consent; a trial; two institutions' gateways; prescriptions;
# claims) each run a node of their own and spend most of their time waiting for blocks: all at
# once. With three threads the longest test started only when another had finished (39 min for
# the group); each needs little CPU between blocks.
group cli-e2e --test cli_e2e -- --test-threads=5 &
group node-e2e --test e2e --test records_e2e --test upgrade_e2e &
# shellcheck disable=SC2086 # one argument per word
{
	group units --lib --bins $others
	group doc --doc
} &
wait
failed=0
for name in units doc node-e2e cli-e2e; do
	status=$(cat "$logs/$name.status" 2>/dev/null || echo "NOT RUN")
	printf '\n== test.sh workspace tests: %s %s\n' "$name" "$status"
	cat "$logs/$name.log" 2>/dev/null || true
	[ "$status" = ok ] || failed=1
done
[ "$failed" = 0 ]
step try-live
scripts/try-live.sh --kept "$kept"
# A smoke run of the bulk-anchoring benchmark (a real run: docs/performance.md): every proof of a
# 20,000-leaf batch written, one read back and verified, tampered copies refused.
step batch smoke
cargo run --locked -q -p medchain-client --example batch_throughput -- 20000 1
# A smoke run of the load generator (scripts/load-test.sh is the real run): every call kind on
# a debug dev node, a few of each, all finalized without a failure.
step load smoke
NODE="$CARGO_TARGET_DIR/debug/medchain-node" LOAD="$CARGO_TARGET_DIR/debug/medchain-load" \
	OUT="$kept/load" scripts/load-test.sh --count 20 --senders 4 --patients 4 --max-seconds 240 --strict
# The patient portal's browser test (seven minutes, most of it waiting for blocks) does not fit
# CI's hour beside the rest: scripts/portal-test.sh runs it (docs/portal.md).
# One fault test on four validators in CI (zombienet, loopback only): a validator's key signs two
# blocks in one slot, the other nodes report it with the node's own reporter
# (node/src/equivocation.rs), and it is disabled and slashed. The other fault tests (a validator
# killed, two paused, all restarted, a database wiped, a validator joining, a 10-minute soak)
# take 3 to 25 minutes each: `zombienet/run.sh` runs them all (zombienet/README.md).
step zombienet 0006
ZN_TEST_TIMEOUT=900 zombienet/run.sh 0006
step done
