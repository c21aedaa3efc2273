#!/usr/bin/env bash
# npm run demo: the main job on embedded defaults. Installs and starts what is missing (npm deps,
# build, Temporal dev server, FerretDB), starts the API and a worker, imports the CDNOW sample through
# the durable import workflow, generates a simulated population, trains and scores churn and purchase
# predictions, prints what came out, then keeps everything up until Ctrl-C (and stops what it started).
#   DEMO_USERS (default 50000), DEMO_HISTORY_DAYS (365), API_PORT (3000); any variable of the README.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
bash scripts/bootstrap.sh

export NODE_ENV=production
export MONGODB_URI=${MONGODB_URI:-mongodb://127.0.0.1:27017/propensity_demo}
export API_PORT=${API_PORT:-3000}
export TEMPORAL_UI_URL=${TEMPORAL_UI_URL:-http://localhost:8233}
LOGS=$ROOT/.data/logs
API=http://localhost:$API_PORT
pids=()
cleanup() {
  trap - EXIT INT TERM
  echo
  echo "[demo] stopping the API and the worker (Temporal and FerretDB keep running: npm run infra:down stops them)"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if (exec 3<>"/dev/tcp/127.0.0.1/$API_PORT") 2>/dev/null; then
  echo "[demo] port $API_PORT is taken: stop what listens there or set API_PORT" >&2; exit 1
fi
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
node dist/scripts/demo-predictions.js --users "${DEMO_USERS:-50000}" --history-days "${DEMO_HISTORY_DAYS:-365}" --api "$API"

cat <<MSG

== Explore
  API docs (OpenAPI):  $API/docs
  Health:              $API/health
  Temporal Web UI:     $TEMPORAL_UI_URL/namespaces/default/workflows
  Schedules:           $TEMPORAL_UI_URL/namespaces/default/schedules
  Database:            $MONGODB_URI
Everything stays up until Ctrl-C.
MSG
# Under CI or without a terminal there is nobody to explore: end here.
if [ -n "${CI:-}" ] || [ ! -t 0 ]; then exit 0; fi
while true; do sleep 3600 & wait $!; done
