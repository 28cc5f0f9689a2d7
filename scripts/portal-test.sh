#!/usr/bin/env bash
# The patient portal's tests: its unit tests (crypto against the Rust client's vectors, FHIR
# views, messages, opening a record) and its browser test in Debian's headless Chromium against
# a dev node, a gateway and the CLI (portal/e2e/). Installs Chromium (scripts/setup.sh --browser)
# and builds the binaries it needs first.
#
#   scripts/portal-test.sh [--figures]
#
# Screenshots of each step land in portal/test-output/; --figures also copies the ones
# docs/portal.md shows into docs/figures/. MEDCHAIN_KEEP_E2E=1 keeps the processes' logs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if [ "${1:-}" = "--figures" ]; then
	export MEDCHAIN_PORTAL_FIGURES=1
fi
scripts/setup.sh --browser
cargo build --locked -p medchain-node -p medchain-cli -p medchain-gateway
cd portal
npm ci --no-audit --no-fund --loglevel=error
npm run typecheck
npm test
MEDCHAIN_BIN_DIR="$CARGO_TARGET_DIR/debug" npm run test:browser
