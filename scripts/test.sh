#!/usr/bin/env bash
# Runs every test: domain, store suite and HTTP API (SQLite and PostgreSQL), CLI, the web UI's
# unit tests (Vitest), its end-to-end tests in a real Chromium (playwright-core), the fault tests
# (scripts/faults.sh) and the adversarial suite (scripts/adversarial.sh). Installs and
# starts PostgreSQL, installs Node.js packages (npm ci) and Debian's Chromium when missing (Debian;
# needs root), so it works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."

PGURL="${AUTHNODE_TEST_DATABASE_URL:-postgres://postgres:postgres@127.0.0.1:5432/postgres}"
export AUTHNODE_TEST_DATABASE_URL="$PGURL"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

pg_up() { PGPASSWORD=postgres PGCONNECT_TIMEOUT=3 psql "$PGURL" -Atqc 'select 1' >/dev/null 2>&1; }

if ! command -v psql >/dev/null 2>&1 || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "== installing PostgreSQL"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi
if ! pg_up; then
  echo "== starting PostgreSQL"
  for v in $(ls /etc/postgresql); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start 2>/dev/null || true
  done
  for _ in $(seq 1 30); do
    if as_root su postgres -c "psql -Atqc 'select 1'" >/dev/null 2>&1; then break; fi
    sleep 1
  done
  # A fresh install asks for a password over TCP: give the test user one (a no-op under trust).
  pg_up || as_root su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
pg_up || { echo "PostgreSQL is not reachable at $PGURL" >&2; exit 1; }

# Databases left behind by an interrupted earlier run.
PGPASSWORD=postgres psql "$PGURL" -Atqc "select datname from pg_database where datname like 'authnode_test_%'" |
  while read -r db; do PGPASSWORD=postgres psql "$PGURL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null; done

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "== installing Node.js"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Chromium"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi
echo "== npm ci (frontend)"
(cd frontend && npm ci --no-audit --no-fund --loglevel=error)

status=0
echo "== Rust: domain, store, API and CLI suites (the build embeds the UI)"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast || status=1
else
  cargo test --workspace --no-fail-fast || status=1
fi
echo "== UI: type check and unit tests (Vitest)"
(cd frontend && npm run --silent typecheck && npm test --silent) || status=1
echo "== UI: end-to-end in Chromium against target/debug/authnode (screenshots in frontend/test-output)"
cargo build --quiet --bin authnode
(cd frontend && npm run --silent e2e) || status=1
echo "== Fault tests: SIGKILL under write load (both stores), PostgreSQL restarted mid-load"
AUTHNODE_BIN=target/debug/authnode bash scripts/faults.sh || status=1
echo "== Adversarial suite: schemathesis against the live OpenAPI document, both stores, user and admin"
AUTHNODE_BIN=target/debug/authnode bash scripts/adversarial.sh || status=1
exit $status
