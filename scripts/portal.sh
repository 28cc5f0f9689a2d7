#!/usr/bin/env bash
# Serves the patient portal (portal/) against a MedChain node, by default the dev chain that
# scripts/dev-chain.sh starts:
#
#   scripts/portal.sh [--node ws://127.0.0.1:9944] [--port 5173] [--preview]
#
# then open http://127.0.0.1:5173. Installs the portal's packages first (npm ci) when they are
# missing or the lock file changed. `--preview` serves the production build instead of the
# development server. A gateway the portal should fetch records from must allow the portal's
# origin: start it with `--allowed-origin http://127.0.0.1:5173` (docs/portal.md).
set -euo pipefail
cd "$(dirname "$0")/../portal"
node="ws://127.0.0.1:9944"
port=5173
mode=dev
while (($#)); do
	case "$1" in
	--node) node="$2"; shift 2 ;;
	--port) port="$2"; shift 2 ;;
	--preview) mode=preview; shift ;;
	-h | --help) sed -n '2,11p' "$0"; exit 0 ;;
	*) echo "portal.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
done
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
export VITE_MEDCHAIN_NODE="$node"
echo "portal: http://127.0.0.1:$port against $node"
if [ "$mode" = preview ]; then
	npx vite build --logLevel warn
	exec npx vite preview --host 127.0.0.1 --port "$port"
fi
exec npx vite --host 127.0.0.1 --port "$port"
