#!/usr/bin/env bash
# Regenerates every weight the runtime charges, in one command:
#
#   scripts/benchmark-weights.sh               everything (release build)
#   scripts/benchmark-weights.sh pallet_consent one pallet (MedChain's or an SDK pallet's)
#
# 1. Database weights: `medchain-node benchmark storage` on ParityDB, the node's database, on a
#    dev chain the load generator has filled (runtime/src/weights/paritydb_weights.rs).
# 2. Block and extrinsic base weights: `benchmark overhead`, blocks of `System::remark`s
#    (runtime/src/weights/{block,extrinsic}_weights.rs).
# 3. Every benchmarked pallet: `benchmark pallet`. MedChain's pallets get their own
#    `src/weights.rs`; the SDK pallets the runtime uses (system and its transaction
#    extensions, balances, transaction payment, timestamp, utility, proxy, recovery, sudo) get
#    runtime/src/weights/<pallet>.rs. BABE and GRANDPA are measured
#    too (their equivocation checks), for runtime/src/weights/consensus.rs.
#
# The node is built with `runtime-benchmarks` and, by default, the release profile: host
# functions (hashing, signatures, the database) run as a validator runs them. PROFILE=debug is
# quicker to build but gives weights several times too high. The figures depend on the machine:
# regenerate on validator-class hardware before a production launch. STEPS and REPEAT set the
# pallet benchmarks' resolution.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE="${PROFILE:-release}"
# The benchmark node needs no second runtime (the upgrade test's): skip building it.
[ "$PROFILE" = release ] && export MEDCHAIN_NEXT_RUNTIME="${MEDCHAIN_NEXT_RUNTIME:-0}"
source scripts/env.sh
scripts/setup.sh

STEPS="${STEPS:-50}"
REPEAT="${REPEAT:-20}"
WEIGHTS=runtime/src/weights
profile_flag=()
[ "$PROFILE" = release ] && profile_flag=(--release)
cargo build --locked "${profile_flag[@]}" -p medchain-node --features runtime-benchmarks
NODE="$CARGO_TARGET_DIR/$PROFILE/medchain-node"

# pallet -> where its weights go: a MedChain pallet's crate, or `runtime` for the SDK's.
declare -A PALLETS=(
	[pallet_directory]=pallets/directory
	[pallet_medical_records]=pallets/medical-records
	[pallet_consent]=pallets/consent
	[pallet_clinical_trials]=pallets/clinical-trials
	[pallet_free_calls]=pallets/free-calls
	[pallet_prescriptions]=pallets/prescriptions
	[pallet_claims]=pallets/claims
	[pallet_rewards]=pallets/rewards
	[frame_system]=runtime
	[frame_system_extensions]=runtime
	[pallet_balances]=runtime
	[pallet_transaction_payment]=runtime
	[pallet_timestamp]=runtime
	[pallet_utility]=runtime
	[pallet_proxy]=runtime
	[pallet_recovery]=runtime
	[pallet_sudo]=runtime
	[pallet_babe]=consensus
	[pallet_grandpa]=consensus
)
selected=("$@")
scratch=$(mktemp -d "${TMPDIR:-/tmp}/medchain-weights.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

if [ ${#selected[@]} -eq 0 ]; then
	selected=("${!PALLETS[@]}")

	# The database is measured on a chain holding care data, not on a near-empty genesis
	# (where the runtime's code is most of the state): the load generator fills one first, unless
	# STATE names the base path of a dev chain to measure instead.
	if [ -z "${STATE:-}" ]; then
		STATE="$scratch/state"
		echo "filling a dev chain to measure the database on (scripts/load-test.sh)"
		NODE="$NODE" KEEP_CHAIN="$STATE" OUT="$scratch/load" \
			scripts/load-test.sh --count 1000 --senders 20 --patients 40 --max-seconds 600
	fi
	echo "benchmarking the database (ParityDB) -> $WEIGHTS/paritydb_weights.rs"
	# Writes are committed 1,000 at a time, as a block's import commits them together.
	"$NODE" benchmark storage --chain dev --base-path "$STATE" \
		--database paritydb --state-version 1 --batch-size 1000 \
		--template-path scripts/storage-weights-template.hbs --weight-path "$WEIGHTS"

	echo "benchmarking block and extrinsic overhead -> $WEIGHTS/{block,extrinsic}_weights.rs"
	"$NODE" benchmark overhead --chain dev --base-path "$scratch/overhead" \
		--database paritydb --weight-path "$WEIGHTS"
	# The generated files name the SDK crates directly; the runtime reaches them through the
	# umbrella crate.
	sed -i -e 's/^\(\s*\)use sp_core::parameter_types;/\1use polkadot_sdk::frame_support::parameter_types;/' \
		-e 's/^\(\s*\)use sp_weights::/\1use polkadot_sdk::frame_support::weights::/' \
		"$WEIGHTS/block_weights.rs" "$WEIGHTS/extrinsic_weights.rs"
	rustfmt --edition 2021 "$WEIGHTS"/{block,extrinsic,paritydb}_weights.rs
fi

for pallet in "${selected[@]}"; do
	where=${PALLETS[$pallet]:-}
	[ -n "$where" ] || { echo "unknown pallet $pallet (known: ${!PALLETS[*]})" >&2; exit 2; }
	case "$where" in
	runtime)
		output="$WEIGHTS/$pallet.rs"
		template=scripts/runtime-weights-template.hbs
		;;
	consensus)
		# No WeightInfo to generate (their benchmarks measure the equivocation check only):
		# the measured figures feed runtime/src/weights/consensus.rs.
		output="$scratch/$pallet.rs"
		template=scripts/runtime-weights-template.hbs
		;;
	*)
		output="$where/src/weights.rs"
		template=scripts/weights-template.hbs
		;;
	esac
	echo "benchmarking $pallet -> $output"
	# Without proof recording: a standalone chain produces no storage proof (it bounds no
	# proof size, docs/performance.md), and recording one while timing inflates every time
	# weight (by 15 % for the consent decision). The proof-size part is still estimated from
	# what each benchmark reads and writes. The analyses are not printed (the weight files hold
	# what they give): without recorded proofs, printing the median-slopes analysis of a
	# benchmark with a component never ends and fills the memory (frame-benchmarking-cli 64).
	"$NODE" benchmark pallet \
		--chain dev \
		--pallet "$pallet" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" \
		--wasm-execution compiled \
		--disable-proof-recording \
		--no-median-slopes --no-min-squares \
		--template "$template" \
		--output "$output" \
		2> >(grep -v 'UnixTime::now. is called at genesis' >&2)
	if [ "$where" = consensus ]; then
		grep -E "fn |Minimum execution time|Weight::from_parts" "$output" | sed "s/^/  $pallet: /"
	fi
done
