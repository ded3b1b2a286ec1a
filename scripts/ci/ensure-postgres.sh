#!/usr/bin/env bash
# Makes sure the local PostgreSQL answers (starting the cluster if it stopped), or fails:
# the PostgreSQL run is part of CI. With --drop-test-databases, removes the per-test
# databases (herald_t_*) the integration tests created.
set -euo pipefail
url="$1"
answers() { psql "$url" -tAc 'SELECT 1' >/dev/null 2>&1; }
if ! answers; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 20); do answers && break; sleep 0.5; done
  fi
fi
answers || { echo "PostgreSQL at $url is unreachable: CI needs it" >&2; exit 1; }
if [ "${2:-}" = "--drop-test-databases" ]; then
  for db in $(psql "$url" -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'herald\_t\_%'"); do
    psql "$url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  done
fi
echo "PostgreSQL answers at $url"
