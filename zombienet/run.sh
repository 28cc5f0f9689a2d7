#!/usr/bin/env bash
# Runs the zombienet fault tests of a four-validator MedChain network.
#
#   zombienet/run.sh                 every NNNN-*.zndsl test, in order
#   zombienet/run.sh 0001 0003       only these (a number, a name or a file name)
#
# Environment:
#   MEDCHAIN_NODE     node binary (default ${CARGO_TARGET_DIR:-$HOME/.cache/medchain-target}/debug/medchain-node)
#   ZN_WORK_DIR       where chain specs, networks and logs go (default ${TMPDIR:-/tmp}/medchain-zombienet);
#                     each test runs in $ZN_WORK_DIR/<test> (emptied first, kept afterwards)
#   ZN_TEST_TIMEOUT   hard limit per test in seconds (default 2400)
#   ZN_SKIP           tests to leave out, by name or prefix (e.g. ZN_SKIP="0005 0007", the two long ones)
#   ZN_NO_NETNS=1     do not use a network namespace
#
# Steps: `npm ci` when node_modules is missing or package-lock.json has changed; a raw chain spec
# from the binary (`build-spec --chain local --raw`) when missing or older than the binary; then
# each test with `zombienet -p native test`, its wall time, and a summary. Exits non-zero if any
# test fails.
#
# Isolation: the tests run in a new network namespace in which only `lo` is up (unshare --net),
# and in a new pid namespace (unshare --pid): when the run ends, however it ends, the kernel
# kills every process left in it, so no node outlives the run. Where unshare is not allowed
# (no root and no user namespaces) the tests run in the host's namespaces; zombienet's native
# provider binds p2p and RPC to 127.0.0.1 (Prometheus listens on all interfaces), and the script
# kills, by pid, any process whose command line names the test's work directory.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export MEDCHAIN_NODE=${MEDCHAIN_NODE:-${CARGO_TARGET_DIR:-$HOME/.cache/medchain-target}/debug/medchain-node}
export ZN_WORK_DIR=${ZN_WORK_DIR:-${TMPDIR:-/tmp}/medchain-zombienet}
export ZN_ROOT=$HERE
export ZN_CHAIN_SPEC=$ZN_WORK_DIR/local-raw.json
ZN_TEST_TIMEOUT=${ZN_TEST_TIMEOUT:-2400}

log() { printf '[run.sh %(%H:%M:%S)T] %s\n' -1 "$*"; }

# Kills (SIGKILL, by pid) every process whose command line contains $1.
kill_leftovers() {
	local pattern=$1 dir pid cmd killed=()
	for dir in /proc/[0-9]*; do
		pid=${dir#/proc/}
		[ "$pid" = $$ ] && continue
		cmd=$(tr '\0' ' ' <"$dir/cmdline" 2>/dev/null) || continue
		case $cmd in *"$pattern"*) kill -9 "$pid" 2>/dev/null && killed+=("$pid") ;; esac
	done
	[ ${#killed[@]} -eq 0 ] || log "killed leftover processes ${killed[*]}"
}

# ---------------------------------------------------------------------------------------------
# Inside the namespaces: run the tests.
run_tests() {
	if [ "${ZN_IN_NETNS:-}" = 1 ]; then
		ip link set lo up
		log "network namespace: $(ip -o link show up | awk -F': ' '{print $2}' | tr '\n' ' ')(only these interfaces are up)"
	fi
	local results=() failed=0 test name dir start rc secs
	for test in "$@"; do
		name=$(basename "$test" .zndsl)
		dir=$ZN_WORK_DIR/$name
		rm -rf "$dir"
		log "=== $name (work dir $dir)"
		start=$SECONDS
		set +e
		(cd "$HERE" && timeout --kill-after=30 "$ZN_TEST_TIMEOUT" \
			npx --no -- zombienet -p native -l text -f -d "$dir" test "$test") 2>&1 |
			tee "$ZN_WORK_DIR/$name.out" | grep --line-buffered -v -e 'fetching metrics from' -e '^$'
		rc=${PIPESTATUS[0]}
		set -e
		secs=$((SECONDS - start))
		kill_leftovers "$dir/"
		if [ -f "$dir/results.txt" ]; then
			log "chain checks of $name:"
			sed 's/^/    /' "$dir/results.txt"
		fi
		if [ "$rc" -eq 0 ]; then
			results+=("PASS  $name  ${secs}s")
		else
			results+=("FAIL  $name  ${secs}s  (exit $rc; output $ZN_WORK_DIR/$name.out, node logs $dir/*.log)")
			failed=1
		fi
		log "=== $name: $([ "$rc" -eq 0 ] && echo passed || echo "FAILED (exit $rc)") in ${secs}s"
	done
	echo
	log "summary (binary $MEDCHAIN_NODE):"
	printf '    %s\n' "${results[@]}"
	return $failed
}

if [ "${ZN_IN_NETNS:-}" = 1 ]; then
	run_tests "$@"
	exit $?
fi

# ---------------------------------------------------------------------------------------------
# Outside: choice of tests, install, chain spec, then the namespaces.

# The tests: all NNNN-*.zndsl, or those named.
tests=()
if [ $# -eq 0 ]; then
	for f in "$HERE"/[0-9][0-9][0-9][0-9]-*.zndsl; do tests+=("$f"); done
else
	for arg in "$@"; do
		arg=$(basename "${arg%.zndsl}")
		matches=("$HERE/$arg"*.zndsl)
		[ -f "${matches[0]}" ] || matches=("$HERE"/*"$arg"*.zndsl)
		[ -f "${matches[0]}" ] || { echo "no test matches $arg" >&2; exit 2; }
		tests+=("${matches[@]}")
	done
fi
# ZN_SKIP: names (or prefixes) of tests to leave out, e.g. ZN_SKIP="0005 0007".
if [ -n "${ZN_SKIP:-}" ]; then
	kept=()
	for t in "${tests[@]}"; do
		skip=
		for s in $ZN_SKIP; do case ${t##*/} in "$s"*) skip=1 ;; esac; done
		if [ -n "$skip" ]; then log "skipping ${t##*/} (ZN_SKIP)"; else kept+=("$t"); fi
	done
	tests=("${kept[@]}")
	[ ${#tests[@]} -gt 0 ] || { echo "ZN_SKIP leaves no test to run" >&2; exit 2; }
fi

[ -x "$MEDCHAIN_NODE" ] || { echo "no node binary at $MEDCHAIN_NODE (set MEDCHAIN_NODE)" >&2; exit 2; }
mkdir -p "$ZN_WORK_DIR"

# zombienet from npm (package-lock.json), installed again when the lock file changes.
stamp=$HERE/node_modules/.medchain-lock.sha256
want=$(sha256sum "$HERE/package-lock.json" | cut -d' ' -f1)
if [ ! -x "$HERE/node_modules/.bin/zombienet" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	log "npm ci"
	(cd "$HERE" && npm ci --no-audit --no-fund)
	echo "$want" >"$stamp"
fi

# The raw chain spec of `--chain local`: genesis validators //Alice, //Bob, //Charlie, //Dave.
if [ ! -s "$ZN_CHAIN_SPEC" ] || [ "$MEDCHAIN_NODE" -nt "$ZN_CHAIN_SPEC" ] ||
	[ "$(cat "$ZN_CHAIN_SPEC.node" 2>/dev/null)" != "$MEDCHAIN_NODE" ]; then
	log "chain spec: $MEDCHAIN_NODE build-spec --chain local --raw"
	"$MEDCHAIN_NODE" build-spec --chain local --raw --disable-default-bootnode >"$ZN_CHAIN_SPEC.tmp" 2>/dev/null
	mv "$ZN_CHAIN_SPEC.tmp" "$ZN_CHAIN_SPEC"
	echo "$MEDCHAIN_NODE" >"$ZN_CHAIN_SPEC.node"
fi

log "tests: $(printf '%s ' "${tests[@]##*/}")"

if [ -z "${ZN_NO_NETNS:-}" ] && command -v ip >/dev/null; then
	ns=(unshare --net --pid --fork --kill-child --mount-proc)
	[ "$(id -u)" -eq 0 ] || ns=(unshare --map-root-user --net --pid --fork --kill-child --mount-proc)
	if "${ns[@]}" ip link set lo up 2>/dev/null; then
		exec env ZN_IN_NETNS=1 "${ns[@]}" "$0" "${tests[@]}"
	fi
	log "cannot create a network namespace here; running in the host's namespaces"
fi
trap 'kill_leftovers "$ZN_WORK_DIR/"' EXIT
run_tests "${tests[@]}"
