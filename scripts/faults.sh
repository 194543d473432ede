#!/usr/bin/env bash
# Fault tests: a concurrent write load against `authnode serve` while
#   sqlite-kill  the server (embedded SQLite store) is SIGKILLed and restarted, twice;
#   pg-kill      the same on PostgreSQL;
#   pg-restart   a private PostgreSQL cluster is restarted under the load (a fast restart, then a
#                fast stop with a few seconds down): clients may only see 2xx or a 503 JSON
#                `database_unavailable`, answers stay fast, writes work again within seconds.
# After each: every acknowledged write is present (renames: the last acknowledged one or a later
# one), `authnode verify` and `authnode audit verify` exit 0, event positions are gap-free.
#
# Usage: scripts/faults.sh [scenario...]        (default: all three)
#   AUTHNODE_BIN   the binary to test (default target/debug/authnode; not built here)
#   FAULTS_KEEP=1  keep the work directory (server and PostgreSQL logs) for a look afterwards
#   FAULTS_TIMEOUT hard limit for the whole run in seconds (default 240); more knobs in
#                  scripts/faults/run.py
# Needs python3 (standard library only) and the PostgreSQL server binaries (installed from
# Debian's packages when missing and root). The PostgreSQL cluster is private: its own data
# directory and a free port on 127.0.0.1, never the machine's shared server. Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${AUTHNODE_BIN:-target/debug/authnode}"
if [ ! -x "$BIN" ]; then
  echo "faults: no executable at $BIN (build it, or set AUTHNODE_BIN)" >&2
  exit 2
fi
command -v python3 >/dev/null || { echo "faults: python3 is needed" >&2; exit 2; }

want_pg=1
if [ $# -gt 0 ]; then
  want_pg=0
  for s in "$@"; do case "$s" in pg-*) want_pg=1 ;; esac; done
fi
if [ "$want_pg" = 1 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing the PostgreSQL server binaries"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "faults: no /usr/lib/postgresql/*/bin/initdb; install PostgreSQL" >&2
    exit 2
  fi
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/authnode-faults.XXXXXX")"
chmod 711 "$WORK" # the private cluster's directory inside it belongs to `postgres`

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # Servers that run.py started and did not reap (it died or timed out): only those PIDs.
  for f in "$WORK"/pids/*; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    if [ -n "$pid" ] && grep -q authnode "/proc/$pid/cmdline" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if [ -f "$WORK/pg/data/postmaster.pid" ]; then
    ctl="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl"
    if [ "$(id -u)" = 0 ]; then
      (cd "$WORK/pg" && runuser -u postgres -- "$ctl" -D "$WORK/pg/data" -m immediate -w -t 20 stop) >/dev/null 2>&1 || true
    else
      "$ctl" -D "$WORK/pg/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    fi
  fi
  if [ "${FAULTS_KEEP:-}" = 1 ]; then
    echo "faults: work directory kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT

echo "== fault tests against $BIN (work directory $WORK)"
# In the background so that a signal to this script is handled at once: run.py gets a TERM,
# cleans up and prints its summary; the EXIT trap then sweeps whatever is left.
timeout -k 10 "${FAULTS_TIMEOUT:-240}" python3 -B -u scripts/faults/run.py --bin "$BIN" --work "$WORK" "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true; wait "$child" || true; exit 130' INT
trap 'kill -TERM "$child" 2>/dev/null || true; wait "$child" || true; exit 143' TERM
status=0
wait "$child" || status=$?
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
  echo "faults: FAIL: the run exceeded ${FAULTS_TIMEOUT:-240}s and was stopped"
fi
exit "$status"
