#!/usr/bin/env bash
# A four-validator MedChain testnet on this machine: Alice, Bob, Charlie and Dave, each its own
# process with its own base path, ports and session keys (`--chain local`).
#
#   scripts/local-testnet.sh start   build the node if needed, start the four validators
#   scripts/local-testnet.sh check   wait until every validator has authored a block and
#                                     finality has advanced (exit 1 after CHECK_TIMEOUT s)
#   scripts/local-testnet.sh status  best and finalised block of each node, and peers
#   scripts/local-testnet.sh stop    stop the four processes (SIGTERM, then SIGKILL after 30 s)
#   scripts/local-testnet.sh purge   stop, then delete the chain data
#
# Ports: validator i (0..3) listens on p2p 30333+i, RPC 9944+i, Prometheus 9615+i.
# Data, logs and pid files live in $TESTNET_DIR (default /tmp/medchain-local).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

TESTNET_DIR="${TESTNET_DIR:-/tmp/medchain-local}"
NODE="${MEDCHAIN_NODE:-$CARGO_TARGET_DIR/debug/medchain-node}"
VALIDATORS=(alice bob charlie dave)
CHECK_TIMEOUT="${CHECK_TIMEOUT:-300}"

rpc() { # rpc PORT METHOD -> JSON result
	curl -s --max-time 5 -H 'Content-Type: application/json' \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":[]}" "http://127.0.0.1:$1" |
		python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin).get("result")))' 2>/dev/null
}

finalized_number() { # finalized_number PORT
	local hash
	hash=$(rpc "$1" chain_getFinalizedHead | tr -d '"')
	[ -n "$hash" ] && [ "$hash" != null ] || { echo -1; return; }
	curl -s --max-time 5 -H 'Content-Type: application/json' \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"chain_getHeader\",\"params\":[\"$hash\"]}" \
		"http://127.0.0.1:$1" |
		python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"]["number"],16))' 2>/dev/null ||
		echo -1
}

best_number() { # best_number PORT
	rpc "$1" chain_getHeader | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["number"],16))' \
		2>/dev/null || echo -1
}

authored() { # authored NAME -> blocks this validator sealed, from its log
	grep -c 'Pre-sealed block for proposal' "$TESTNET_DIR/$1.log" 2>/dev/null || true
}

start() {
	[ -x "$NODE" ] || { scripts/setup.sh && cargo test --locked --workspace --no-run; }
	mkdir -p "$TESTNET_DIR"
	# Every validator needs a persistent network key (its libp2p identity); Alice's peer id is
	# then known in advance and she is everyone's bootnode.
	for name in "${VALIDATORS[@]}"; do
		[ -f "$TESTNET_DIR/$name.node-key" ] ||
			"$NODE" key generate-node-key --file "$TESTNET_DIR/$name.node-key" 2>/dev/null
	done
	local alice_peer
	alice_peer=$("$NODE" key inspect-node-key --file "$TESTNET_DIR/alice.node-key")
	for i in "${!VALIDATORS[@]}"; do
		local name=${VALIDATORS[$i]}
		if [ -f "$TESTNET_DIR/$name.pid" ] && kill -0 "$(cat "$TESTNET_DIR/$name.pid")" 2>/dev/null; then
			echo "$name is already running (pid $(cat "$TESTNET_DIR/$name.pid"))"
			continue
		fi
		local extra=(--node-key-file "$TESTNET_DIR/$name.node-key")
		[ "$name" = alice ] || extra+=(--bootnodes "/ip4/127.0.0.1/tcp/30333/p2p/$alice_peer")
		"$NODE" --chain local --"$name" --validator \
			--base-path "$TESTNET_DIR/$name" \
			--port $((30333 + i)) --rpc-port $((9944 + i)) --prometheus-port $((9615 + i)) \
			--no-telemetry --no-mdns --allow-private-ip "${extra[@]}" \
			>"$TESTNET_DIR/$name.log" 2>&1 &
		echo $! >"$TESTNET_DIR/$name.pid"
		echo "started $name (pid $!, rpc ws://127.0.0.1:$((9944 + i)), log $TESTNET_DIR/$name.log)"
	done
}

stop() {
	for name in "${VALIDATORS[@]}"; do
		local pidfile="$TESTNET_DIR/$name.pid"
		[ -f "$pidfile" ] || continue
		local pid
		pid=$(cat "$pidfile")
		if kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid"
			for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
			kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
			echo "stopped $name"
		fi
		rm -f "$pidfile"
	done
}

status() {
	for i in "${!VALIDATORS[@]}"; do
		local port=$((9944 + i))
		printf '%-8s best %-6s finalised %-6s authored %-4s health %s\n' "${VALIDATORS[$i]}" \
			"$(best_number $port)" "$(finalized_number $port)" "$(authored "${VALIDATORS[$i]}")" \
			"$(rpc $port system_health)"
	done
}

check() {
	local start_final deadline
	start_final=$(finalized_number 9944)
	deadline=$((SECONDS + CHECK_TIMEOUT))
	while ((SECONDS < deadline)); do
		local ok=1
		for name in "${VALIDATORS[@]}"; do
			[ "$(authored "$name")" -ge 1 ] || ok=0
		done
		local final
		final=$(finalized_number 9944)
		((final > start_final && final >= 2)) || ok=0
		if ((ok)); then
			status
			echo "ok: all four validators authored blocks; finalised block $final"
			return 0
		fi
		sleep 6
	done
	status
	echo "check failed after ${CHECK_TIMEOUT}s" >&2
	return 1
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
check) check ;;
purge) stop; rm -rf "$TESTNET_DIR" ;;
*) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
