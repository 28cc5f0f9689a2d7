#!/usr/bin/env bash
# Run by zombienet (`<node>: run ./wipe-db.sh [with "<arg>,..."]`) in <zombienet dir>/<node>,
# with the node paused. Deletes the node's ParityDB and keeps its keystore (the network key is
# on the command line). Any arguments are written to ./extra-args, which node-extra-args.sh
# adds to the node's command line when it is restarted (e.g. with "--sync,warp").
set -euo pipefail
shopt -s nullglob
dbs=(data/chains/*/paritydb)
[ ${#dbs[@]} -eq 1 ] || { echo "expected one ParityDB under $PWD/data/chains, found ${#dbs[@]}" >&2; exit 1; }
ls -d data/chains/*/keystore >/dev/null
echo "wiping $PWD/${dbs[0]} ($(du -sh "${dbs[0]}" | cut -f1))"
rm -rf "${dbs[0]}"
if [ $# -gt 0 ]; then
	echo "$*" >extra-args
	echo "next start adds: $*"
fi
