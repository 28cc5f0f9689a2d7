#!/usr/bin/env bash
# The throughput benchmark (docs/performance.md): a release dev node on this machine and
# `medchain-load` against it, every call kind side by side in one run.
#
#   scripts/load-test.sh                          the documented run
#   scripts/load-test.sh --count 500 --kinds transfer,anchor   any medchain-load options
#
# Writes target/load/load.json and target/load/load.svg (OUT=<dir> to change). The node is the
# release benchmark build that scripts/benchmark-weights.sh makes (same binary, so the weights
# it charges are the ones measured on it); NODE=<path> runs another node binary and LOAD=<path>
# another medchain-load (CI's smoke run uses the debug builds). The node binds loopback only;
# its chain is thrown away afterwards unless KEEP_CHAIN=<dir> names where to keep it (the
# weights script measures the database on such a chain). A benchmark, not a test: the figures depend on the
# machine and what else runs on it.
set -euo pipefail
cd "$(dirname "$0")/.."
export MEDCHAIN_NEXT_RUNTIME="${MEDCHAIN_NEXT_RUNTIME:-0}"
source scripts/env.sh
scripts/setup.sh

OUT="${OUT:-target/load}"
PORT="${PORT:-9955}"
if [ -z "${NODE:-}" ]; then
	cargo build --locked --release -p medchain-node --features runtime-benchmarks
	NODE="$CARGO_TARGET_DIR/release/medchain-node"
fi
if [ -z "${LOAD:-}" ]; then
	cargo build --locked --release -p medchain-loadgen
	LOAD="$CARGO_TARGET_DIR/release/medchain-load"
fi

base=$(mktemp -d "${TMPDIR:-/tmp}/medchain-load.XXXXXX")
log="$base/node.log"
cleanup() {
	[ -n "${node_pid:-}" ] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null
	rm -rf "$base"
}
trap cleanup EXIT
# A pool large enough that a run's whole backlog waits in it rather than being turned away.
"$NODE" --dev --base-path "${KEEP_CHAIN:-$base/chain}" --rpc-port "$PORT" --no-prometheus --no-telemetry \
	--listen-addr /ip4/127.0.0.1/tcp/0 --pool-limit 32768 --pool-kbytes 131072 \
	--rpc-max-connections 256 >"$log" 2>&1 &
node_pid=$!
for _ in $(seq 1 120); do
	grep -q "Running JSON-RPC server" "$log" && break
	kill -0 "$node_pid" 2>/dev/null || { tail -20 "$log"; echo "the node stopped" >&2; exit 1; }
	sleep 0.5
done
grep -q "Running JSON-RPC server" "$log" || { tail -20 "$log"; echo "the node did not start" >&2; exit 1; }

args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--count 2000 --senders 50 --patients 50)
"$LOAD" --url "ws://127.0.0.1:$PORT" --out "$OUT" "${args[@]}"
