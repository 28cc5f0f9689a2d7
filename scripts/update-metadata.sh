#!/usr/bin/env bash
# Regenerates client/metadata/medchain.scale (what the client's subxt code is generated from)
# from the runtime in this checkout. Run it after any change to the runtime, then commit the file;
# the runtime test `metadata::the_client_metadata_is_this_runtimes` fails while it is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
MEDCHAIN_UPDATE_METADATA=1 \
	cargo test --locked --workspace --test runtime -- metadata::
echo "updated client/metadata/medchain.scale ($(wc -c < client/metadata/medchain.scale) bytes)"
