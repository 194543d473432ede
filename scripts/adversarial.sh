#!/usr/bin/env bash
# Adversarial suite: Schemathesis (pinned, installed from PyPI into a venv of its own) generates
# requests from the live OpenAPI document (GET /api/v1/openapi.json) of a running `authnode serve`
# and runs every check of `--checks all` on the answers: no 5xx, documented status codes, content
# types, response headers and bodies, invalid input rejected, valid input accepted, 401 without
# credentials, 405 for undocumented methods, no use after delete. It runs on both stores, the
# embedded SQLite one and PostgreSQL (a fresh database, dropped afterwards), each as a normal
# user and as an admin, and fails on any failure.
#
#   scripts/adversarial.sh                     # both stores, both roles
#   AUTHNODE_BIN=target/release/authnode ADVERSARIAL_STORES=sqlite scripts/adversarial.sh
#   scripts/adversarial.sh --include-path-regex '^/api/v1/applications'   # arguments go to
#                                                     # `schemathesis run` (here: a subset)
#
# Environment (all optional):
#   AUTHNODE_BIN                 binary under test (default target/debug/authnode; not built here)
#   ADVERSARIAL_STORES           "sqlite postgres" (default)
#   ADVERSARIAL_ROLES            "user admin" (default); "auditor" is the third test account
#   ADVERSARIAL_MAX_EXAMPLES     Schemathesis --max-examples per operation and phase (default 30)
#   ADVERSARIAL_MIN_CASES        fewest generated cases a store must get, else the run fails (2000)
#   ADVERSARIAL_SEED             Hypothesis seed (default: random, printed to rerun a failure)
#   ADVERSARIAL_WORKERS          Schemathesis workers (default 1: with 2 threads, CPython 3.11's
#                                ast module now and then fails inside Hypothesis with "AST
#                                constructor recursion depth mismatch", a tool error, not a finding)
#   ADVERSARIAL_OUT              where each run leaves its output: <store>-<role>/output.txt (the
#                                report, with a curl command per failure), JUnit XML and NDJSON
#                                events, harness.log (what the hooks did), server-<store>.log
#                                (default target/adversarial)
#   ADVERSARIAL_VENV             the venv (default ~/.cache/authnode-adversarial/venv-schemathesis-V)
#   AUTHNODE_TEST_DATABASE_URL   a PostgreSQL database to connect to for CREATE/DROP DATABASE
#                                (default postgres://postgres:postgres@127.0.0.1:5432/postgres)
#
# The servers run with AUTHNODE_RATE_LIMITS=off: thousands of generated sign-ins and sign-ups from
# one address would otherwise turn most of the run into 429s (which the checks accept, so they
# would only hide what the handlers do). Rate limiting has its own tests in the Rust suite.
#
# Accounts: the first registered account (the "keeper", an admin with an authenticator app) is the
# harness's own; the test admin and test user are created by it. The auth hook signs in again
# whenever a generated call ended the test account's session, and the keeper repairs the account
# (or the settings) when a generated call changed them; see scripts/adversarial/hooks.py.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SCHEMATHESIS_VERSION=4.32.5
BIN="${AUTHNODE_BIN:-target/debug/authnode}"
STORES="${ADVERSARIAL_STORES:-sqlite postgres}"
ROLES="${ADVERSARIAL_ROLES:-user admin}"
MAX_EXAMPLES="${ADVERSARIAL_MAX_EXAMPLES:-30}"
MIN_CASES="${ADVERSARIAL_MIN_CASES:-2000}"
SEED="${ADVERSARIAL_SEED:-$(( (RANDOM << 15) | RANDOM ))}"
WORKERS="${ADVERSARIAL_WORKERS:-1}"
OUT="${ADVERSARIAL_OUT:-target/adversarial}"
VENV="${ADVERSARIAL_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/authnode-adversarial/venv-schemathesis-$SCHEMATHESIS_VERSION}"
PGURL="${AUTHNODE_TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ beside the hooks in the work tree

[ -x "$BIN" ] || { echo "adversarial: no binary at $BIN (build it, or set AUTHNODE_BIN)" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# --- Schemathesis, pinned --------------------------------------------------------------------
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -qx "schemathesis, version $SCHEMATHESIS_VERSION"; then
  echo "== installing schemathesis $SCHEMATHESIS_VERSION into $VENV"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

# --- cleanup ---------------------------------------------------------------------------------
SERVER_PID=""
DATA_DIR=""
PG_DB=""
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
  if [ -n "$PG_DB" ]; then
    PGPASSWORD=postgres psql "$PGURL" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    PG_DB=""
  fi
  if [ -n "$DATA_DIR" ]; then rm -rf "$DATA_DIR"; DATA_DIR=""; fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

free_port() {
  "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server STORE LOG: starts `authnode serve` on a free loopback port, sets BASE.
start_server() {
  local store=$1 log=$2 port
  port=$(free_port)
  DATA_DIR=$(mktemp -d "${TMPDIR:-/tmp}/authnode-adversarial.XXXXXX")
  local -a env=(env -u DATABASE_URL -u DATABASE_URL_FILE -u AUTHNODE_MASTER_KEY -u AUTHNODE_MASTER_KEY_FILE
    -u AUTHNODE_PUBLIC_URL -u AUTHNODE_LISTEN AUTHNODE_DATA_DIR="$DATA_DIR" AUTHNODE_RATE_LIMITS=off AUTHNODE_LOG=info NO_COLOR=1)
  if [ "$store" = postgres ]; then
    PGPASSWORD=postgres PGCONNECT_TIMEOUT=3 psql "$PGURL" -Atqc 'select 1' >/dev/null 2>&1 ||
      { echo "adversarial: PostgreSQL is not reachable at $PGURL (scripts/test.sh starts it)" >&2; return 1; }
    # The authnode_test_ prefix lets scripts/test.sh drop it should this run be killed.
    PG_DB="authnode_test_adv_$$_$(date +%s)"
    PGPASSWORD=postgres psql "$PGURL" -qc "CREATE DATABASE $PG_DB" >/dev/null
    env+=(DATABASE_URL="${PGURL%/*}/$PG_DB" AUTHNODE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)")
  fi
  "${env[@]}" "$BIN" serve --listen "127.0.0.1:$port" >"$log" 2>&1 &
  SERVER_PID=$!
  BASE="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    if "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$BASE/healthz" 2>/dev/null; then
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "adversarial: the $store server did not come up; its log:" >&2
  tail -n 40 "$log" >&2
  return 1
}

# --- runs ------------------------------------------------------------------------------------
echo "== adversarial: schemathesis $SCHEMATHESIS_VERSION on $BIN, seed $SEED, max-examples $MAX_EXAMPLES"
status=0
summary=()
started_all=$SECONDS
for store in $STORES; do
  log="$OUT/server-$store.log"
  start_server "$store" "$log" || { status=1; summary+=("$store: server did not start"); stop_server; continue; }
  state="$OUT/state-$store.json"
  (umask 077; "$VENV/bin/python" "$ROOT/scripts/adversarial/harness.py" bootstrap "$BASE" "$state") ||
    { status=1; summary+=("$store: bootstrap failed"); tail -n 40 "$log"; stop_server; continue; }
  store_cases=0
  store_status=0
  for role in $ROLES; do
    dir="$OUT/$store-$role"
    rm -rf "$dir"; mkdir -p "$dir"
    echo "== adversarial: $store store, as the test $role ($BASE)"
    t0=$SECONDS
    rc=0
    # Run from the report folder: Hypothesis keeps its caches in the working directory.
    (cd "$dir" && ADV_STATE_FILE="$state" ADV_ROLE="$role" ADV_HARNESS_LOG="$dir/harness.log" PYTHONPATH="$ROOT/scripts/adversarial" SCHEMATHESIS_HOOKS=hooks \
      "$VENV/bin/schemathesis" --no-color --config-file "$ROOT/scripts/adversarial/schemathesis.toml" run \
      "$BASE/api/v1/openapi.json" \
      --checks all \
      --max-examples "$MAX_EXAMPLES" \
      --seed "$SEED" \
      --workers "$WORKERS" \
      --report junit,ndjson --report-dir "$dir" \
      "$@" >"$dir/output.txt" 2>&1) || rc=$?
    cases=$(grep -A1 '^Test cases:' "$dir/output.txt" | grep -oE '[0-9]+ generated' | grep -oE '[0-9]+' || echo 0)
    store_cases=$((store_cases + cases))
    line="$store/$role: $cases cases, exit $rc, $((SECONDS - t0)) s"
    if [ "$rc" -ne 0 ]; then
      store_status=1
      sed -n '/FAILURES\|ERRORS/,$p' "$dir/output.txt" | head -n 400
      line+=" — FAILED (full output: $dir/output.txt)"
    else
      tail -n 12 "$dir/output.txt"
    fi
    summary+=("$line")
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      store_status=1; summary+=("$store: the server died during the $role run"); break
    fi
  done
  if grep -q "panicked at" "$log"; then
    store_status=1
    summary+=("$store: the server panicked (see $log)")
    grep -m5 -A3 "panicked at" "$log"
  fi
  if [ "$store_cases" -lt "$MIN_CASES" ]; then
    store_status=1
    summary+=("$store: only $store_cases generated cases, fewer than $MIN_CASES")
  fi
  summary+=("$store: $store_cases cases in all")
  if [ "$store_status" -ne 0 ]; then
    status=1
    echo "== last lines of the $store server log ($log):"
    tail -n 30 "$log"
  fi
  stop_server
done

echo "== adversarial summary (seed $SEED, $((SECONDS - started_all)) s)"
printf '  %s\n' "${summary[@]}"
if [ "$status" -eq 0 ]; then echo "adversarial: passed"; else echo "adversarial: FAILED (rerun with ADVERSARIAL_SEED=$SEED)"; fi
exit $status
