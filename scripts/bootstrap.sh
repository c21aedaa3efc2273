#!/usr/bin/env bash
# Everything a fresh clone needs before tests, benchmarks or the demo, each step only when needed:
#   1. npm dependencies (npm ci when node_modules is missing or older than package-lock.json);
#   2. the build (tsc + workflow bundle) when any source is newer than the last build; skipped with
#      --no-build (the tests run the TypeScript sources and bundle the workflows themselves);
#   3. the real infrastructure (scripts/infra.sh up: builds the Temporal CLI and FerretDB from their
#      Go modules the first time, then starts them, or uses TEMPORAL_ADDRESS / MONGODB_URI).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
say() { printf '[bootstrap] %s\n' "$*" >&2; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 20 ] || { say "Node.js 20 or newer is needed (found $(node --version 2>/dev/null || echo none))"; exit 1; }

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)..."
  # Install scripts stay off (package.json allowScripts): none of ours needs one; native parts
  # (@swc/core, @temporalio/core-bridge) ship as prebuilt registry packages. Checked below.
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
node -e "require('@swc/core'); require('@temporalio/core-bridge')" \
  || { say "native modules (@swc/core, @temporalio/core-bridge) do not load: rm -rf node_modules and run again"; exit 1; }

stamp=dist/.build-stamp
if [ "${1:-}" = --no-build ]; then :
elif [ ! -f "$stamp" ] || [ -n "$(find apps workflows activities libs scripts bench package.json tsconfig*.json -newer "$stamp" \( -name '*.ts' -o -name '*.js' -o -name '*.json' \) -print -quit)" ]; then
  say "building (tsc + workflow bundle)..."
  npm run --silent build >&2
  touch "$stamp"
fi

bash scripts/infra.sh up
