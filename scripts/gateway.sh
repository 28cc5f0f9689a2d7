#!/usr/bin/env bash
# Starts one organisation's custodian gateway with its own PostgreSQL cluster, on this machine:
#
#   scripts/gateway.sh <organisation> [--listen 127.0.0.1:8480] [--node ws://127.0.0.1:9944]
#
# Everything lives under $MEDCHAIN_GATEWAYS/<organisation>/ (default ~/.medchain-gateways, or
# /var/lib/medchain-gateways as root, where the cluster belongs to the postgres user):
#   pg/           the cluster (initdb on first run; listens on a Unix socket in pg/, no TCP port)
#   home/keys/    the gateway's identity `gateway` (created unsealed on first run: protect the
#                 directory, or replace it with a sealed one and set MEDCHAIN_GATEWAY_PASSPHRASE_FILE)
#   gateway.toml  the configuration (written on first run; edit it, the script keeps it)
# The gateway runs in the foreground and logs JSON lines to standard error; Ctrl-C stops it and
# the cluster. Run it once per organisation (each with its own --listen) for several.
# Needs the binaries `cargo build --workspace` (or scripts/dev-chain.sh) made.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if [ $# -lt 1 ] || [[ "$1" == -* ]]; then
	sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi
org=$1
shift
[[ "$org" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "gateway.sh: organisation name: letters, digits, - and _ only" >&2; exit 2; }
as_pg=()
default_root=$HOME/.medchain-gateways
if [ "$(id -u)" -eq 0 ]; then
	# PostgreSQL refuses to run as root: its programs run as the postgres user.
	as_pg=(runuser -u postgres --)
	default_root=/var/lib/medchain-gateways
fi
root=${MEDCHAIN_GATEWAYS:-$default_root}/$org
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
gateway=$CARGO_TARGET_DIR/debug/medchain-gateway
cli=$CARGO_TARGET_DIR/debug/medchain
for b in "$gateway" "$cli" "${bin:-/usr/lib/postgresql/<version>/bin}/initdb"; do
	[ -x "$b" ] || { echo "gateway.sh: $b is missing: run scripts/setup.sh and cargo build --workspace" >&2; exit 1; }
done
mkdir -p "$root/home"
if [ ! -d "$root/pg/data" ]; then
	mkdir -p "$root/pg"
	[ ${#as_pg[@]} -eq 0 ] || chown -R postgres:postgres "$root/pg"
	if ! "${as_pg[@]}" test -w "$root/pg"; then
		echo "gateway.sh: the postgres user cannot reach $root/pg (a parent directory is closed to it): set MEDCHAIN_GATEWAYS to a directory it can reach" >&2
		exit 1
	fi
	"${as_pg[@]}" "$bin/initdb" -D "$root/pg/data" -U medchain --auth=trust -E UTF8 >/dev/null
fi
"${as_pg[@]}" "$bin/pg_ctl" -D "$root/pg/data" -l "$root/pg/server.log" -w \
	-o "-c listen_addresses='' -k $root/pg" start >/dev/null
stop_pg() { "${as_pg[@]}" "$bin/pg_ctl" -D "$root/pg/data" -m fast -w stop >/dev/null || true; }
trap stop_pg EXIT
"$bin/psql" -h "$root/pg" -U medchain -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'gateway'" |
	grep -q 1 || "$bin/psql" -h "$root/pg" -U medchain -d postgres -qc "CREATE DATABASE gateway"
if [ ! -e "$root/home/keys/gateway.json" ]; then
	"$cli" --home "$root/home" keys generate --name gateway --plaintext >/dev/null
	echo "gateway.sh: created the gateway identity $("$cli" --home "$root/home" keys show --name gateway | head -1)" >&2
fi
[ -e "$root/gateway.toml" ] || cat >"$root/gateway.toml" <<TOML
# The $org gateway (scripts/gateway.sh). Command-line options and MEDCHAIN_GATEWAY_* override.
listen = "127.0.0.1:8480"
node = "ws://127.0.0.1:9944"
database-url = "host=$root/pg user=medchain dbname=gateway"
home = "$root/home"
identity = "gateway"
replay-window-secs = 60
TOML
# In the background so that a TERM or INT to this script stops the gateway, then the cluster.
"$gateway" --config "$root/gateway.toml" "$@" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true' INT TERM
status=0
wait $pid || status=$?
# A signal interrupts the first wait: wait again for the gateway's graceful stop.
kill -0 $pid 2>/dev/null && { wait $pid || status=$?; }
exit $status
