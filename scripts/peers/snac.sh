#!/usr/bin/env bash
# A real Mastodon-client-API server on loopback: snac2 (Debian trixie-backports build, unpacked
# with dpkg -x, no root install). Users alice and bob. Usage: snac.sh {install|start|stop}
# Env: HERALD_PEERS_CACHE (default ~/.cache/herald-peers), HERALD_PEERS_STATE (default
# /tmp/herald-peers), SNAC_PORT (default 18002), SNAC_START_TIMEOUT (default 20 s).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/peers/lib.sh
. "$HERE/lib.sh"

SNAC_VERSION=2.96-1~bpo13+1
PKG="$CACHE/snac"
SNAC="$PKG/root/usr/bin/snac"
PORT="${SNAC_PORT:-18002}"
DIR="$STATE/snac"
DATA="$DIR/data"
PIDFILE="$DIR/snac.pid"
LOG="$DIR/snac.log"
ENVFILE="$STATE/snac.env"
TIMEOUT="${SNAC_START_TIMEOUT:-20}"

install() {
  [ -x "$SNAC" ] && return 0
  command -v jq >/dev/null || die "jq is needed (apt-get install jq)"
  log "installing snac2 $SNAC_VERSION into $PKG"
  local apt="$PKG/apt" uri
  rm -rf "$PKG"
  mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/cache/archives/partial"
  # bookworm has no snac2; trixie-backports' build runs on bookworm. A private apt config
  # (own source list, lists and cache) fetches it from the machine's configured mirror
  # without touching the system's apt state.
  uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
  uri=${uri:-http://deb.debian.org/debian}
  printf 'Types: deb\nURIs: %s\nSuites: trixie-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" >"$apt/parts/trixie-bpo.sources"
  local opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/parts"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
    -o APT::Sandbox::User=root) # the _apt user cannot write into root's cache folder
  apt-get "${opts[@]}" -qq update >/dev/null
  (cd "$apt" && apt-get "${opts[@]}" -qq download "snac2=$SNAC_VERSION" >/dev/null)
  dpkg -x "$apt"/snac2_*.deb "$PKG/root"
  rm -rf "$apt/lists" "$apt/cache"
  [ -x "$SNAC" ] || die "snac binary missing after unpacking"
}

answers() { curl -sf "http://127.0.0.1:$PORT/api/v1/instance"; }

start() {
  stop_server
  install
  command -v jq >/dev/null || die "jq is needed (apt-get install jq)"
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
    die "port $PORT is already in use by another process (not ours): set SNAC_PORT"
  fi
  mkdir -p "$DIR"
  # `snac init` asks: network address, port, host name, URL prefix, admin email. Host includes
  # the port so the actor URLs it builds are reachable.
  printf '127.0.0.1\n%s\nlocalhost:%s\n\n\n' "$PORT" "$PORT" | "$SNAC" init "$DATA" >"$LOG" 2>&1 ||
    { cat "$LOG" >&2; die "snac init failed"; }
  # protocol: without it snac writes https:// into every URL it returns (and federates to https).
  # num_threads: snac delivers alice->bob by HTTP to itself; with its default of 4 threads
  # (on 2 cores) the job threads sending a burst of posts also have to answer them, and the
  # deliveries hit snac's 6 s timeout (599) and are retried: more threads, fewer stalls.
  jq '.protocol = "http" | .num_threads = 16' "$DATA/server.json" >"$DATA/server.json.new" && mv "$DATA/server.json.new" "$DATA/server.json"
  # adduser prints a random base64-ish password ([A-Za-z0-9+/]): safe unquoted in the env file.
  local alice bob
  alice=$(echo | "$SNAC" adduser "$DATA" alice 2>>"$LOG" | sed -n 's/^User password is //p')
  bob=$(echo | "$SNAC" adduser "$DATA" bob 2>>"$LOG" | sed -n 's/^User password is //p')
  if [ -z "$alice" ] || [ -z "$bob" ]; then die "snac adduser printed no password (log: $LOG)"; fi
  # setsid: own process group, so stop can end snac with whatever it spawned.
  setsid "$SNAC" httpd "$DATA" >>"$LOG" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  # A start that fails from here on (timeout, early exit) leaves no process behind; the
  # log's tail has been printed by then.
  trap 'stop_server >/dev/null 2>&1' EXIT
  wait_for "snac" "$TIMEOUT" "$PIDFILE" "$LOG" answers
  trap - EXIT
  log "snac ready on http://127.0.0.1:$PORT (pid $(cat "$PIDFILE"), log $LOG)"
  cat >"$ENVFILE" <<ENV
HERALD_PEER_SNAC_URL=http://127.0.0.1:$PORT
HERALD_PEER_SNAC_ALICE_PASSWORD=$alice
HERALD_PEER_SNAC_BOB_PASSWORD=$bob
ENV
  cat "$ENVFILE"
}

stop_server() {
  stop_pidfile "snac" "$PIDFILE"
  rm -rf "$DIR" "$ENVFILE"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop_server ;;
  *) echo "usage: $0 {install|start|stop}" >&2; exit 2 ;;
esac
