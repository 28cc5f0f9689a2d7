#!/usr/bin/env bash
# The runtime fuzzer (runtime/tests/runtime/fuzz.rs) for longer than CI runs it: random calls of
# the healthcare pallets through the real runtime, every pallet's try_state after each block.
#
#   scripts/fuzz.sh [CALLS [SEED]]    default: 200,000 calls from a random seed
#
# It prints the seed first, so a run can be repeated. An input that panicked or broke an
# invariant is saved under $CARGO_TARGET_DIR/tmp/fuzz-failures/ (the failure names the file);
# once the fault is fixed, copy it into runtime/tests/fuzz-corpus/, which every test run replays.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
calls=${1:-200000}
seed=${2:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "fuzzing $calls calls from seed $seed"
MEDCHAIN_FUZZ_CALLS=$calls MEDCHAIN_FUZZ_SEED=$seed SKIP_WASM_BUILD=1 cargo test --locked -q \
	-p medchain-runtime --features runtime-benchmarks,try-runtime --test runtime \
	fuzz::random_calls -- --nocapture
