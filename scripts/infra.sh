#!/usr/bin/env bash
# Real infrastructure for Propensity on this machine: the Temporal CLI dev server and FerretDB.
#   bash scripts/infra.sh up | down | status
# Idempotent: reuses servers already listening; builds the binaries from their Go modules only when
# missing; starts nothing for a service that TEMPORAL_ADDRESS / MONGODB_URI point elsewhere.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=${PROPENSITY_DATA_DIR_LOCAL:-$ROOT/.data}
LOGS=$DATA/logs
TOOLS=$ROOT/.tools/bin
TEMPORAL_CLI_VERSION=v1.5.1   # newest tag whose go.mod has no replace line (go install fails on later ones)
FERRETDB_VERSION=v1.24.2
TEMPORAL_PORT=7233
TEMPORAL_UI_PORT=8233
MONGO_PORT=27017
SEARCH_ATTRIBUTES=(PredictionId=Keyword CanvasId=Keyword SegmentId=Keyword UserId=Keyword CanvasVersion=Int ImportFile=Keyword)

mkdir -p "$LOGS" "$TOOLS"
say() { printf '[infra] %s\n' "$*" >&2; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A service is local unless its variable names another host:port.
temporal_is_local() { [[ -z "${TEMPORAL_ADDRESS:-}" || "$TEMPORAL_ADDRESS" =~ ^(127\.0\.0\.1|localhost):$TEMPORAL_PORT$ ]]; }
mongo_is_local() { [[ -z "${MONGODB_URI:-}" || "$MONGODB_URI" =~ ^mongodb://(127\.0\.0\.1|localhost)(:$MONGO_PORT)?(/|$) ]]; }

need_go() {
  command -v go >/dev/null || { say "Go is needed to build $1 once (https://go.dev/dl); or set ${2} to a running server"; exit 1; }
}

temporal_bin() {
  if [ -x "$TOOLS/temporal" ]; then echo "$TOOLS/temporal"; return; fi
  if command -v temporal >/dev/null; then command -v temporal; return; fi
  need_go "the Temporal CLI" TEMPORAL_ADDRESS
  say "building the Temporal CLI $TEMPORAL_CLI_VERSION from its Go module (one time, a few minutes)..."
  GOBIN="$TOOLS" GOFLAGS=-buildvcs=false go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >>"$LOGS/build-temporal.log" 2>&1 \
    || { say "Temporal CLI build failed; see $LOGS/build-temporal.log"; exit 1; }
  echo "$TOOLS/temporal"
}

# `go install` of FerretDB fails here (the module proxy refuses its version list, which go install reads
# for deprecation notices) and the module lacks build/version/version.txt, so build from a copy of the
# module source with that file written.
ferretdb_bin() {
  if [ -x "$TOOLS/ferretdb" ]; then echo "$TOOLS/ferretdb"; return; fi
  if command -v ferretdb >/dev/null; then command -v ferretdb; return; fi
  need_go FerretDB MONGODB_URI
  say "building FerretDB $FERRETDB_VERSION from its Go module (one time, a few minutes)..."
  local src tmp
  src=$(cd /tmp && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -n "$src" ] || { say "could not download the FerretDB module"; exit 1; }
  tmp=$(mktemp -d)
  cp -r "$src"/. "$tmp" && chmod -R u+w "$tmp"
  echo "$FERRETDB_VERSION" >"$tmp/build/version/version.txt"
  (cd "$tmp" && go build -trimpath -o "$TOOLS/ferretdb" ./cmd/ferretdb) >>"$LOGS/build-ferretdb.log" 2>&1 \
    || { say "FerretDB build failed; see $LOGS/build-ferretdb.log"; rm -rf "$tmp"; exit 1; }
  rm -rf "$tmp"
  echo "$TOOLS/ferretdb"
}

wait_for() { # name, seconds, command...
  local name=$1 secs=$2; shift 2
  for ((i = 0; i < secs * 4; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  say "$name did not become healthy in ${secs}s; see $LOGS"; return 1
}

temporal_healthy() {
  "$1" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT" 2>/dev/null | grep -q SERVING
}

# Registers the custom search attributes that are missing (a server started by an older version of
# this script, or one started by hand), so `up` always leaves the namespace ready.
ensure_search_attributes() {
  local bin=$1 have name type
  have=$("$bin" operator search-attribute list --address "127.0.0.1:$TEMPORAL_PORT" --namespace default 2>/dev/null)
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do
    name=${sa%%=*} type=${sa#*=}
    if ! grep -qw "$name" <<<"$have"; then
      # start-dev registers its --search-attribute flags just after it reports healthy: a
      # concurrent "already exists" is fine, so presence is checked again on failure.
      if "$bin" operator search-attribute create --address "127.0.0.1:$TEMPORAL_PORT" --namespace default --name "$name" --type "$type" >>"$LOGS/temporal.log" 2>&1; then
        say "Temporal: registered search attribute $name ($type)"
      elif ! "$bin" operator search-attribute list --address "127.0.0.1:$TEMPORAL_PORT" --namespace default 2>/dev/null | grep -qw "$name"; then
        say "could not register search attribute $name; see $LOGS/temporal.log"; return 1
      fi
    fi
  done
}

start_temporal() {
  if ! temporal_is_local; then say "Temporal: using $TEMPORAL_ADDRESS (nothing started)"; return; fi
  local bin; bin=$(temporal_bin)
  if listening $TEMPORAL_PORT; then
    say "Temporal: already listening on $TEMPORAL_PORT"
    wait_for Temporal 60 temporal_healthy "$bin"
    ensure_search_attributes "$bin"
    return
  fi
  local args=(server start-dev --ip 127.0.0.1 --port $TEMPORAL_PORT --ui-port $TEMPORAL_UI_PORT
    --db-filename "$DATA/temporal.sqlite" --namespace default --log-format json --log-level warn)
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do args+=(--search-attribute "$sa"); done
  setsid nohup "$bin" "${args[@]}" >>"$LOGS/temporal.log" 2>&1 </dev/null 9>&- &
  echo $! >"$DATA/temporal.pid"
  wait_for Temporal 90 temporal_healthy "$bin"
  ensure_search_attributes "$bin"
  say "Temporal: started (gRPC 127.0.0.1:$TEMPORAL_PORT, Web UI http://localhost:$TEMPORAL_UI_PORT, $DATA/temporal.sqlite)"
}

start_ferretdb() {
  if ! mongo_is_local; then say "MongoDB: using MONGODB_URI (nothing started)"; return; fi
  local bin; bin=$(ferretdb_bin)
  if listening $MONGO_PORT; then say "FerretDB: already listening on $MONGO_PORT"; return; fi
  local args=(--listen-addr "127.0.0.1:$MONGO_PORT" --debug-addr "127.0.0.1:${FERRETDB_DEBUG_PORT:-8088}"
    --state-dir "$DATA/ferretdb-state" --telemetry disable --log-level WARN --log-format json)
  if [ -n "${FERRETDB_POSTGRESQL_URL:-}" ]; then
    args+=(--handler postgresql --postgresql-url "$FERRETDB_POSTGRESQL_URL")
  else
    mkdir -p "$DATA/ferretdb"
    args+=(--handler sqlite --sqlite-url "file:$DATA/ferretdb/")
  fi
  mkdir -p "$DATA/ferretdb-state"
  setsid nohup "$bin" "${args[@]}" >>"$LOGS/ferretdb.log" 2>&1 </dev/null 9>&- &
  echo $! >"$DATA/ferretdb.pid"
  wait_for FerretDB 60 listening $MONGO_PORT
  say "FerretDB: started (mongodb://127.0.0.1:$MONGO_PORT, backend ${FERRETDB_POSTGRESQL_URL:+postgresql}${FERRETDB_POSTGRESQL_URL:-sqlite $DATA/ferretdb})"
}

stop() { # name, pidfile
  local pidfile=$DATA/$2.pid
  [ -f "$pidfile" ] || { say "$1: not started by this project"; return; }
  local pid; pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for ((i = 0; i < 60; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    say "$1: stopped (pid $pid)"
  fi
  rm -f "$pidfile"
}

status() {
  if temporal_is_local; then
    if listening $TEMPORAL_PORT; then echo "temporal  up    127.0.0.1:$TEMPORAL_PORT  ui http://localhost:$TEMPORAL_UI_PORT"; else echo "temporal  down"; fi
  else echo "temporal  remote $TEMPORAL_ADDRESS"; fi
  if mongo_is_local; then
    if listening $MONGO_PORT; then echo "ferretdb  up    mongodb://127.0.0.1:$MONGO_PORT"; else echo "ferretdb  down"; fi
  else echo "mongodb   remote (MONGODB_URI)"; fi
}

case "${1:-}" in
  up)
    # One `up` at a time: the demo and a test run may start together.
    exec 9>"$DATA/infra.lock"; flock 9
    start_ferretdb & fpid=$!
    start_temporal
    wait $fpid
    ;;
  down) stop Temporal temporal; stop FerretDB ferretdb ;;
  status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
