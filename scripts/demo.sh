#!/usr/bin/env bash
# npm run demo: the main job on embedded defaults. Installs and starts what is missing (npm deps,
# build, Temporal dev server, FerretDB), starts the API and a worker, imports the CDNOW sample through
# the durable import workflow, generates a simulated population (with a product catalogue), trains and
# scores churn, purchase, lifetime-value and recommendation predictions, prints what came out, then
# keeps everything up until Ctrl-C (and stops what it started).
#   DEMO_USERS (default 50000), DEMO_HISTORY_DAYS (365), API_PORT (3000); any variable of the README.
# Creates an admin API key for the run and prints it.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# Stop on exit only what this run starts: servers already up (another run, the tests) stay up.
started_infra=false
# Captured first: under pipefail, `status | grep -q` fails whenever grep exits before status is done.
infra_status=$(bash scripts/infra.sh status || true)
grep -q ' up ' <<<"$infra_status" || started_infra=true
bash scripts/bootstrap.sh

export NODE_ENV=production
DEMO_USERS=${DEMO_USERS:-50000}
DEMO_HISTORY_DAYS=${DEMO_HISTORY_DAYS:-365}
# One database per population size: a later run with the same size reuses its users and predictions.
export MONGODB_URI=${MONGODB_URI:-mongodb://127.0.0.1:${FERRETDB_PORT:-27017}/propensity_demo_${DEMO_USERS}u_${DEMO_HISTORY_DAYS}d}
export API_PORT=${API_PORT:-3000}
export TEMPORAL_UI_URL=${TEMPORAL_UI_URL:-http://localhost:8233}
LOGS=$ROOT/.data/logs
# The API listens on 127.0.0.1 only (API_HOST opens it).
API=http://127.0.0.1:$API_PORT
pids=()
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "[demo] stopping the API and the worker"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if $started_infra; then bash scripts/infra.sh down; else echo "[demo] Temporal and FerretDB were already running and stay up (npm run infra:down stops them)"; fi
}
trap cleanup EXIT INT TERM

if (exec 3<>"/dev/tcp/127.0.0.1/$API_PORT") 2>/dev/null; then
  echo "[demo] port $API_PORT is taken: stop what listens there or set API_PORT" >&2; exit 1
fi
# An admin key for this run, made straight in the database like `npm run key -- create --role admin`.
PROPENSITY_API_KEY=$(node dist/scripts/key-cli.js create --role admin --name "demo $(date -u +%Y-%m-%dT%H:%MZ)")
export PROPENSITY_API_KEY
echo "[demo] admin API key of this run (only its hash is stored; send it as Authorization: Bearer <key>): $PROPENSITY_API_KEY"
node dist/apps/worker/main.js >>"$LOGS/demo-worker.log" 2>&1 & pids+=($!)
node dist/apps/api/main.js >>"$LOGS/demo-api.log" 2>&1 & pids+=($!)
for ((i = 0; i < 120; i++)); do
  curl -fsS "$API/health" >/dev/null 2>&1 && break
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { echo "[demo] a process died; see $LOGS/demo-*.log" >&2; exit 1; }; done
  sleep 0.5
done
curl -fsS "$API/health" >/dev/null || { echo "[demo] the API did not become healthy; see $LOGS/demo-api.log" >&2; exit 1; }
echo "[demo] API and worker up (logs: $LOGS/demo-api.log, $LOGS/demo-worker.log)"

echo
echo "== Importing the CDNOW sample (6,919 purchases of 2,357 customers) through the import workflow"
node dist/scripts/import-cli.js "$ROOT/../shared/data/cdnow/CDNOW_sample.txt" --preset cdnow

echo
echo "== Predictions on a simulated population with known ground truth"
node dist/scripts/demo-predictions.js --users "$DEMO_USERS" --history-days "$DEMO_HISTORY_DAYS" --api "$API"

cat <<MSG

== Explore
  API docs (OpenAPI):  $API/docs  (Authorize with the admin key above)
  Health:              $API/health
  Admin API key:       $PROPENSITY_API_KEY
                       e.g. curl -H "Authorization: Bearer \$PROPENSITY_API_KEY" $API/v1/predictions
  Temporal Web UI:     $TEMPORAL_UI_URL/namespaces/default/workflows
  Schedules:           $TEMPORAL_UI_URL/namespaces/default/schedules
  Database:            $MONGODB_URI
Everything stays up until Ctrl-C.
MSG
# Under CI or without a terminal there is nobody to explore: end here.
if [ -n "${CI:-}" ] || [ ! -t 0 ]; then exit 0; fi
while true; do sleep 3600 & wait $!; done
