#!/usr/bin/env bash
# Starts or stops every peer (snac for the Mastodon API, the Bluesky network) and writes
# $STATE/peers.env with all their variables, for a test runner:
#   scripts/peers/all.sh start && set -a && . "${HERALD_PEERS_STATE:-/tmp/herald-peers}/peers.env" && set +a
# Usage: all.sh {install|start|stop}
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/peers/lib.sh
. "$HERE/lib.sh"

case "${1:-}" in
  install)
    "$HERE/snac.sh" install
    "$HERE/bluesky.sh" install
    ;;
  start)
    # If either fails, stop both so no half-started set is left behind.
    trap '"$HERE/all.sh" stop >/dev/null 2>&1 || true' ERR
    "$HERE/snac.sh" start >/dev/null
    "$HERE/bluesky.sh" start >/dev/null
    trap - ERR
    cat "$STATE/snac.env" "$STATE/bluesky.env" >"$STATE/peers.env"
    cat "$STATE/peers.env"
    ;;
  stop)
    # Both, even if the first fails.
    rc=0
    "$HERE/snac.sh" stop || rc=$?
    "$HERE/bluesky.sh" stop || rc=$?
    rm -f "$STATE/peers.env"
    rmdir "$STATE" 2>/dev/null || true
    exit "$rc"
    ;;
  *) echo "usage: $0 {install|start|stop}" >&2; exit 2 ;;
esac
