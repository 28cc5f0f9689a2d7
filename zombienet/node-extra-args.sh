#!/usr/bin/env bash
# medchain-node with the arguments zombienet passes, plus the words in extra-args next to the
# node's --base-path directory (<zombienet dir>/<node>/extra-args) if that file exists.
# exec keeps the pid, so zombienet's pause/resume/restart still reach the node itself.
set -euo pipefail
base="" prev=""
for arg in "$@"; do
	[ "$prev" = --base-path ] && base=$arg
	prev=$arg
done
extra=()
if [ -n "$base" ] && [ -f "$(dirname "$base")/extra-args" ]; then
	read -r -a extra <"$(dirname "$base")/extra-args"
	echo "node-extra-args.sh: adding ${extra[*]}" >&2
fi
exec "${MEDCHAIN_NODE:?MEDCHAIN_NODE is not set}" "$@" "${extra[@]}"
