#!/usr/bin/env bash
# Frees disk in the shared build cache ($CARGO_TARGET_DIR, scripts/env.sh): every build of a
# changed workspace crate leaves its previous binaries and libraries behind (a node binary is
# ~500 MB, a test binary ~400 MB), and a few days of sessions fill the disk. Keeps, of each
# artifact of this workspace's crates, the two newest builds (two feature sets are in use: CI's
# and the benchmarks'), and removes the incremental data; dependencies' builds stay (they
# change only with Cargo.lock, and several feature sets of one are in use at once). Nothing is
# lost: cargo rebuilds whatever it misses. Run it with no build running.
#
#   scripts/prune-cache.sh            # prune and print what was freed
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if pgrep -x cargo >/dev/null; then
	echo "prune-cache: a cargo build is running; run this when it is done" >&2
	exit 1
fi
for profile in debug release; do
	deps="$CARGO_TARGET_DIR/$profile/deps"
	[ -d "$deps" ] || continue
	rm -rf "${CARGO_TARGET_DIR:?}/$profile/incremental"
	python3 - "$deps" <<'EOF'
import collections, os, re, sys

deps = sys.argv[1]
# The workspace's crates (medchain*, our pallets and their API crates; not the SDK's pallets,
# whose several feature sets are all in use) and its test and example targets.
ours = re.compile(
    r"^(lib)?(medchain|pallet_(directory|medical_records|consent|clinical_trials|free_calls|"
    r"prescriptions|claims|rewards)(_runtime_api)?$)|^(cli_e2e|e2e|records_e2e|upgrade_e2e|"
    r"runtime|client|api|gateway|load|node|batch_throughput)$"
)
groups = collections.defaultdict(list)
for name in os.listdir(deps):
    m = re.match(r"^(.*)-([0-9a-f]{16})(\..*)?$", name)
    if not m:
        continue
    st = os.stat(os.path.join(deps, name))
    groups[(m.group(1), m.group(3) or "")].append((st.st_mtime, st.st_size, name))
freed = removed = 0
for (crate, _), builds in groups.items():
    builds.sort(reverse=True)
    if len(builds) <= 2 or not ours.match(crate):
        continue
    for _, size, name in builds[2:]:
        os.remove(os.path.join(deps, name))
        freed += size
        removed += 1
print(f"prune-cache: {deps}: removed {removed} stale artifacts, {freed / 1e9:.1f} GB")
EOF
done
df -h "$CARGO_TARGET_DIR" | tail -1
