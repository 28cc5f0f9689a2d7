# Sourced by the other scripts: one build cache outside the checkout, shared by every clone,
# CI run and session on this machine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/medchain-target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
