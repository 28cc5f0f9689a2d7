#!/usr/bin/env bash
# Regenerates each MedChain pallet's `src/weights.rs` from its benchmarks.
#
#   scripts/benchmark-weights.sh                 every MedChain pallet
#   scripts/benchmark-weights.sh pallet_directory one pallet
#
# Builds the node with `runtime-benchmarks` (a separate build from the test one) and runs
# `medchain-node benchmark pallet` against the runtime Wasm with the development preset. The
# figures depend on the machine: regenerate on validator-class hardware with a release build
# (PROFILE=release) before a production launch; a dev-profile node gives conservative (higher)
# weights because host functions run unoptimised.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh

PROFILE="${PROFILE:-debug}"
STEPS="${STEPS:-20}"
REPEAT="${REPEAT:-10}"
profile_flag=()
[ "$PROFILE" = release ] && profile_flag=(--release)
cargo build --locked "${profile_flag[@]}" -p medchain-node --features runtime-benchmarks
NODE="$CARGO_TARGET_DIR/$PROFILE/medchain-node"

# pallet name -> crate directory
declare -A PALLETS=(
	[pallet_directory]=pallets/directory
	[pallet_medical_records]=pallets/medical-records
	[pallet_consent]=pallets/consent
	[pallet_clinical_trials]=pallets/clinical-trials
	[pallet_free_calls]=pallets/free-calls
)
selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${!PALLETS[@]}")

for pallet in "${selected[@]}"; do
	dir=${PALLETS[$pallet]:-}
	[ -n "$dir" ] || { echo "unknown pallet $pallet (known: ${!PALLETS[*]})" >&2; exit 2; }
	echo "benchmarking $pallet -> $dir/src/weights.rs"
	"$NODE" benchmark pallet \
		--chain dev \
		--pallet "$pallet" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" \
		--wasm-execution compiled \
		--template scripts/weights-template.hbs \
		--output "$dir/src/weights.rs"
done
