#!/usr/bin/env bash
# try_state on live chains: every pallet's invariants and an upgrade rehearsal (pre/post-upgrade
# hooks, storage versions), run on the state at a node's finalized head, downloaded over RPC
# (runtime/tests/runtime/live.rs, with frame-remote-externalities).
#
#   scripts/try-live.sh ws://127.0.0.1:9944 ...   check running nodes (a validator's own, too)
#   scripts/try-live.sh --kept DIR                 check every chain the end-to-end tests kept in
#                                                  DIR (they keep them when MEDCHAIN_KEEP_CHAINS
#                                                  names it, as scripts/test.sh does): each is
#                                                  started in turn on its base path, checked, stopped
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# The same features as the try-runtime step of scripts/test.sh, so the build is shared.
check() {
	MEDCHAIN_LIVE_URI=$1 SKIP_WASM_BUILD=1 cargo test --locked -q -p medchain-runtime \
		--features runtime-benchmarks,try-runtime --test runtime live:: -- --ignored --nocapture
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts the dev node on a kept base path, checks it and stops it.
check_kept() {
	local base=$1 rpc p2p pid ready=
	rpc=$(free_port)
	p2p=$(free_port)
	"$NODE" --dev --base-path "$base" --rpc-port "$rpc" --port "$p2p" --no-prometheus \
		--no-telemetry --no-mdns >"$base/try-live.log" 2>&1 &
	pid=$!
	for _ in $(seq 120); do
		if curl -s --max-time 2 -H 'Content-Type: application/json' \
			-d '{"id":1,"jsonrpc":"2.0","method":"chain_getFinalizedHead","params":[]}' \
			"http://127.0.0.1:$rpc" | grep -q '"result"'; then
			ready=1
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 1
	done
	if [ -z "$ready" ]; then
		echo "the node on $base did not answer; its log:" >&2
		tail -20 "$base/try-live.log" >&2
		kill -9 "$pid" 2>/dev/null || true
		return 1
	fi
	local status=0
	check "ws://127.0.0.1:$rpc" || status=$?
	kill -TERM "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	return $status
}

if [ "${1:-}" = --kept ]; then
	dir=${2:?usage: scripts/try-live.sh --kept DIR}
	NODE="${MEDCHAIN_NODE:-$CARGO_TARGET_DIR/debug/medchain-node}"
	chains=("$dir"/chain-*)
	[ -d "${chains[0]}" ] || { echo "no kept chains in $dir" >&2; exit 1; }
	for base in "${chains[@]}"; do
		echo "== $base"
		check_kept "$base"
	done
	echo "try_state held on ${#chains[@]} chains"
else
	[ $# -gt 0 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
	for uri in "$@"; do
		echo "== $uri"
		check "$uri"
	done
fi
