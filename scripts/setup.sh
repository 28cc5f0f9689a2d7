#!/usr/bin/env bash
# Installs what a fresh machine lacks to build MedChain, and nothing twice:
#   - apt: clang + libclang-dev (bindgen), protobuf-compiler (libp2p/litep2p), a C++ compiler (wasm-opt),
#     PostgreSQL (the gateway's store: its tests and scripts/gateway.sh run their own clusters),
#     Node.js and npm (zombienet, for the fault tests in zombienet/; the patient portal in portal/,
#     whose build tools need Node.js 20.19 or later); with --browser also Chromium (the portal's
#     browser test, scripts/portal-test.sh)
#   - rustup: the toolchain pinned in rust-toolchain.toml with its Wasm target and components
# Safe to run again: every step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v clang >/dev/null 2>&1 || need_apt+=(clang)
dpkg -s libclang-dev >/dev/null 2>&1 || need_apt+=(libclang-dev)
command -v protoc >/dev/null 2>&1 || need_apt+=(protobuf-compiler)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v curl >/dev/null 2>&1 || need_apt+=(curl)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_apt+=(postgresql)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
# The portal's browser test drives Debian's Chromium headless (never a downloaded browser).
if [ "${1:-}" = "--browser" ]; then
	[ -x /usr/bin/chromium ] || need_apt+=(chromium)
fi
if ((${#need_apt[@]})); then
	echo "setup: installing ${need_apt[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The portal's build tools (Vite, Vitest) need Node.js 20.19 or later; Debian 12's own package is 18.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
	echo "setup: Node.js $(node --version) is too old for the portal: install 20.19 or later (https://nodejs.org, or NodeSource's Debian packages)" >&2
	exit 1
fi

if ! command -v rustup >/dev/null 2>&1; then
	echo "setup: rustup is required (https://rustup.rs)" >&2
	exit 1
fi
toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
rustup toolchain list | grep -q "^$toolchain" || rustup toolchain install "$toolchain" --profile minimal
rustup target list --installed --toolchain "$toolchain" | grep -qx wasm32v1-none ||
	rustup target add wasm32v1-none --toolchain "$toolchain"
for component in rust-src rustfmt clippy; do
	rustup component list --installed --toolchain "$toolchain" | grep -q "^$component" ||
		rustup component add "$component" --toolchain "$toolchain"
done
# A full build needs about 60 GB under the target directory; a disk that fills up mid-build fails
# with a linker error far from its cause. Incremental data is only a cache: drop it when space is
# short, and say plainly when that is not enough.
target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target"
free_gb() { df --output=avail -B1G "$target" | tail -n 1 | tr -d ' '; }
if [ "$(free_gb)" -lt 30 ] && compgen -G "$target/*/incremental" >/dev/null; then
	echo "setup: $(free_gb) GB free; removing the incremental build cache under $target"
	rm -rf "$target"/*/incremental
fi
if [ "$(free_gb)" -lt 15 ]; then
	echo "setup: warning: only $(free_gb) GB free under $target; the build may run out of disk" >&2
fi
echo "setup: ok (toolchain $toolchain, wasm32v1-none, clang, protoc, postgresql, node $(node --version)${1:+, chromium})"
