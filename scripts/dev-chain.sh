#!/usr/bin/env bash
# Sets the machine up, builds the node and starts a single-validator development chain
# (Alice authors every 6 s slot with BABE, GRANDPA finalises). RPC on ws://127.0.0.1:9944.
# Extra arguments go to the node, e.g. `scripts/dev-chain.sh --base-path /tmp/medchain-dev`
# to keep the chain between runs (the default is a throw-away `--tmp` chain).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh
# Built exactly as the test suite builds it (`cargo test --no-run` also produces the node
# binary), so that the two README commands share one build instead of compiling ~1,000 crates
# twice with different feature unification.
cargo test --locked --workspace --no-run
args=("$@")
if ! printf '%s\n' "${args[@]+"${args[@]}"}" | grep -q -- '--base-path\|^-d$'; then
	args+=(--tmp)
fi
exec "$CARGO_TARGET_DIR/debug/medchain-node" --dev "${args[@]}"
