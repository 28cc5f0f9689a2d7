#!/usr/bin/env bash
# The throughput benchmark (docs/performance.md): a release dev node on this machine and
# `medchain-load` against it, every call kind side by side in one run.
#
#   scripts/load-test.sh                          a short run (2,000 of each kind)
#   scripts/load-test.sh --count 15000 --grant-count 500 --senders 50 --patients 50 \
#       --rate 1000 --max-seconds 300             the run docs/performance.md shows
#   scripts/load-test.sh --count 500 --kinds transfer,anchor   any medchain-load options
#
# Writes target/load/load.json and target/load/load.svg (OUT=<dir> to change), the node's log
# (node.log: how long it took to build each block) and blocks.txt (the blocks the weight limit
# ended, re-executed afterwards: time against weight). The node is the
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
chain="${KEEP_CHAIN:-$base/chain}"
cleanup() {
	[ -n "${node_pid:-}" ] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null
	rm -rf "$base"
}
trap cleanup EXIT
# A pool large enough that a run's whole backlog waits in it rather than being turned away. Its
# future queue (transactions waiting for an earlier nonce) is a tenth of --pool-limit, and the
# fork-aware pool hands each new block's view up to 7,000 of the waiting transactions in no
# particular order. With --pool-limit 32,768 (a future queue of 3,276), a backlog of about 16,000
# had 7,047 accepted transactions dropped, the last nonces of every sender (the future queue
# overflowing); with 100,000 (10,000), none.
"$NODE" --dev --base-path "$chain" --rpc-port "$PORT" --no-prometheus --no-telemetry \
	--listen-addr /ip4/127.0.0.1/tcp/0 --pool-limit 100000 --pool-kbytes 262144 \
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

# How long the node took to build each block of the run, from its log: the time from asking the
# pool for transactions (waiting for it to be ready at the parent block) to the block built. A
# line a block: its number, the milliseconds, why it stopped filling it, its extrinsics.
cp "$log" "$OUT/node.log"
built=$(grep -o 'Prepared block for proposing at [0-9]* ([0-9]* ms).*end: [A-Za-z]*; extrinsics_count: [0-9]*' "$log" |
	sed -E 's/.* at ([0-9]+) \(([0-9]+) ms\).*end: ([A-Za-z]+); extrinsics_count: ([0-9]+)/\1 \2 \3 \4/' || true)
awk '$4 > 1 { print $3, $2, $4 }' <<<"$built" | sort -k1,1 -k2,2n |
	awk 'function report() {
			if (n) printf "blocks built (%s): %d, median %d ms, slowest %d ms, %.0f extrinsics each on average\n",
				end, n, v[int((n + 1) / 2)], v[n], xt / n
		}
		$1 != end { report(); end = $1; n = 0; xt = 0 }
		{ v[++n] = $2; xt += $3 }
		END { report() }'

# What the blocks the run filled cost to execute against the weight they were charged: the node
# stopped, each block from the first the weight limit ended to the last re-executed on its
# database (`benchmark block`), with nothing else competing for the cores. Written to
# blocks.txt, a line a block.
filled=$(awk '$3 == "HitBlockWeightLimit" { print $1 }' <<<"$built")
if [ -n "$filled" ]; then
	kill "$node_pid" && wait "$node_pid" 2>/dev/null || true
	node_pid=
	"$NODE" benchmark block --chain dev --base-path "$chain" --database paritydb \
		--from "$(head -1 <<<"$filled")" --to "$(tail -1 <<<"$filled")" --repeat 3 2>&1 |
		grep -E 'Block [0-9]+ with' | tee "$OUT/blocks.txt"
fi
