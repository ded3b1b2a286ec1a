# shellcheck shell=bash disable=SC2034
# Shared helpers for the peer scripts (sourced, not run).
# CACHE survives between runs (CI keeps it); STATE is per run and removed by `stop`.
CACHE="${HERALD_PEERS_CACHE:-$HOME/.cache/herald-peers}"
STATE="${HERALD_PEERS_STATE:-/tmp/herald-peers}"

log() { printf '[peers] %s\n' "$*" >&2; }
die() { printf '[peers] ERROR: %s\n' "$*" >&2; exit 1; }

# wait_for NAME TIMEOUT_SECONDS PIDFILE LOGFILE COMMAND...: polls COMMAND every 0.2 s until it
# succeeds. Fails early (showing the log's tail) if the server process died, and after the timeout.
wait_for() {
  local name=$1 timeout=$2 pidfile=$3 logfile=$4; shift 4
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ -f "$pidfile" ] && ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      tail -n 50 "$logfile" >&2 || true
      die "$name exited before answering (the tail of its log is above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 50 "$logfile" >&2 || true
      die "$name did not answer within ${timeout}s (the tail of its log is above)"
    fi
    sleep 0.2
  done
}

# stop_pidfile NAME PIDFILE: the server was started with setsid, so its PID is also its process
# group: TERM the whole group (children included), wait up to 15 s, then KILL. Never by name.
stop_pidfile() {
  local name=$1 pidfile=$2 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $name (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 75); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop on TERM; killing"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  # Leftover members of the group (if the leader exited first) go too.
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
}
