#!/usr/bin/env bash
# Run by zombienet in <zombienet dir>/eve: adds //Dave's BABE key (sr25519) to eve's keystore, so
# that after a restart eve authors in Dave's slots as well: a BABE equivocation. Only the BABE
# key is copied; eve's GRANDPA key stays //Eve (not an authority), so GRANDPA is not involved.
set -euo pipefail
keystore=$(echo data/chains/*/keystore)
[ -d "$keystore" ] || { echo "no keystore under $PWD/data/chains" >&2; exit 1; }
"${MEDCHAIN_NODE:?}" key insert --chain local --keystore-path "$keystore" \
	--suri //Dave --key-type babe --scheme sr25519
ls "$keystore"
