#!/usr/bin/env bash
# Reorder benchmark: one `PUT /api/v1/applications/order` that moves all 50 applications of a
# vault, 200 times in a row (one client, keep-alive), against a release build on the embedded
# store. Prints the latency distribution of the request. Each request moves every application
# (the order is reversed each time), so each one is 50 `ApplicationMoved` events.
#
#   bash bench/reorder.sh                        # builds target/release/authnode
#   AUTHNODE_BIN=/path/to/authnode bash bench/reorder.sh   # another build, e.g. an older one
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${AUTHNODE_BIN:-}" ]; then
  cargo build --release --quiet
  AUTHNODE_BIN=target/release/authnode
fi
DIR=$(mktemp -d)
PORT=${PORT:-18081}
AUTHNODE_DATA_DIR="$DIR" AUTHNODE_LOG=warn AUTHNODE_RATE_LIMITS=off "$AUTHNODE_BIN" serve --listen "127.0.0.1:$PORT" &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DIR"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
echo "machine: $(nproc) cores; store: embedded SQLite; binary: $AUTHNODE_BIN"
python3 - "$PORT" "${RUNS:-200}" <<'PY'
import http.client, json, statistics, sys, time
port, runs = int(sys.argv[1]), int(sys.argv[2])
conn = http.client.HTTPConnection("127.0.0.1", port)
def call(method, path, body=None, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = "Bearer " + token
    conn.request(method, "/api/v1" + path, json.dumps(body) if body is not None else None, headers)
    res = conn.getresponse()
    data = res.read()
    assert res.status < 300, (res.status, data)
    return json.loads(data) if data else None
call("POST", "/auth/register", {"email": "bench@example.com", "username": "bench", "password": "bench password 123"})
token = call("POST", "/auth/login", {"login": "bench", "password": "bench password 123"})["access_token"]
ids = [call("POST", "/applications", {"issuer": f"Service {i}", "label": "bench", "secret": "JBSWY3DPEHPK3PXP"}, token)["application"]["id"] for i in range(50)]
times = []
for run in range(runs):
    ids.reverse()
    started = time.perf_counter()
    call("PUT", "/applications/order", {"ids": ids}, token)
    times.append((time.perf_counter() - started) * 1000)
listed = [a["id"] for a in call("GET", "/applications", token=token)["applications"]]
assert listed == ids, "the vault is in the last order sent"
times.sort()
pct = lambda p: times[min(len(times) - 1, int(p / 100 * len(times)))]
print(f"reorder 50 applications, {runs} requests: mean {statistics.mean(times):.1f} ms, p50 {pct(50):.1f} ms, p90 {pct(90):.1f} ms, p99 {pct(99):.1f} ms")
PY
