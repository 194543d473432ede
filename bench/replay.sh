#!/usr/bin/env bash
# Replay benchmark: generates a store of ~106,000 events through the real command path
# (1,000 users × 20 applications, 30 logins, renames, favourites, failures, revocations), then
# rebuilds every read model from it three times and prints the events/s of each run.
#
#   bash bench/replay.sh                       # embedded SQLite store in a temp dir
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/replay.sh
#                                              # PostgreSQL (creates and drops a scratch database)
#   AUTHNODE_BIN=/path/to/authnode bash bench/replay.sh   # another build (no build step)
set -euo pipefail
cd "$(dirname "$0")/.."
USERS="${USERS:-1000}"
BIN="${AUTHNODE_BIN:-}"
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=target/release/authnode
fi
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
export AUTHNODE_DATA_DIR="$DIR" AUTHNODE_LOG=warn
if [ -n "${DATABASE_URL:-}" ]; then
  ADMIN_URL="$DATABASE_URL"
  DB="authnode_bench_$$"
  psql "$ADMIN_URL" -qc "CREATE DATABASE $DB"
  trap 'psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; rm -rf "$DIR"' EXIT
  export DATABASE_URL="${ADMIN_URL%/*}/$DB"
  export AUTHNODE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)"
  echo "store: PostgreSQL ($DATABASE_URL)"
else
  echo "store: embedded SQLite ($DIR/authnode.db)"
fi
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
$BIN bench-seed --users "$USERS" --apps 20 --logins 30
for run in 1 2 3; do
  printf 'run %s: ' "$run"
  $BIN replay | tail -n 1
done
$BIN verify
