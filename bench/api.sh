#!/usr/bin/env bash
# HTTP benchmark against a release build on the embedded store:
#  1. GET /api/v1/applications/codes for a 50-application vault, 64 concurrent clients, 15 s;
#  2. POST /api/v1/auth/login (argon2id m=19 MiB, t=2, p=1), 8 concurrent clients, 15 s
#     (the server runs with AUTHNODE_RATE_LIMITS=off so the limiter does not answer instead).
# Prints wrk's throughput and latency percentiles (p50/p90/p99). Needs wrk (installed with apt
# when missing) and python3. AUTHNODE_BIN=/path/to/authnode measures another build (no build).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
if [ -z "${AUTHNODE_BIN:-}" ]; then
  cargo build --release --quiet
  AUTHNODE_BIN=target/release/authnode
fi
DIR=$(mktemp -d)
PORT=${PORT:-18080}
AUTHNODE_DATA_DIR="$DIR" AUTHNODE_LOG=warn AUTHNODE_RATE_LIMITS=off "$AUTHNODE_BIN" serve --listen "127.0.0.1:$PORT" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT/api/v1"
TOKEN=$(python3 - "$BASE" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
def call(path, body, token=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST", headers={"content-type": "application/json"})
    if token: req.add_header("authorization", "Bearer " + token)
    return json.load(urllib.request.urlopen(req))
call("/auth/register", {"email": "bench@example.com", "username": "bench", "password": "bench password 123"})
token = call("/auth/login", {"login": "bench", "password": "bench password 123"})["access_token"]
for i in range(50):
    call("/applications", {"issuer": f"Service {i}", "label": "bench", "secret": "JBSWY3DPEHPK3PXP", "digits": 6 + i % 3, "algorithm": ["SHA1", "SHA256", "SHA512"][i % 3]}, token)
print(token)
PY
)
echo "machine: $(nproc) cores; store: embedded SQLite"
echo
echo "== codes for a 50-application vault, 64 connections, 15 s"
wrk -t2 -c64 -d15s --latency -H "Authorization: Bearer $TOKEN" "$BASE/applications/codes" | grep -E "Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx"
LUA=$(mktemp)
cat > "$LUA" <<'LUA'
wrk.method = "POST"
wrk.body = '{"login":"bench","password":"bench password 123"}'
wrk.headers["Content-Type"] = "application/json"
LUA
echo
echo "== logins (argon2id), 8 connections, 15 s (rate limits off for this run)"
wrk -t2 -c8 -d15s --latency -s "$LUA" "$BASE/auth/login" | grep -E "Requests/sec|Latency|50%|90%|99%|requests in|Non-2xx"
rm -f "$LUA"
