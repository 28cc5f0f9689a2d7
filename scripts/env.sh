# Sourced by the other scripts: one build cache outside the checkout, shared by every clone,
# CI run and session on this machine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/medchain-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# Also build the runtime one `spec_version` later (`medchain_runtime::next_runtime`), which the
# upgrade test enacts on a running chain. Set for every script, so that switching between them
# never rebuilds the runtime for a changed environment.
export MEDCHAIN_NEXT_RUNTIME="${MEDCHAIN_NEXT_RUNTIME:-1}"
# CI builds from an empty cache once: incremental data buys it nothing and costs ~25 GB of disk.
if [ "${CI:-}" = "true" ]; then
	export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
fi
