#!/usr/bin/env bash
# Sign-in timing side channel (issue 14.5): is a wrong password for a real account
# distinguishable from any password for a name that has no account? Alternates the two kinds of
# failed sign-in against a release build on the embedded store, one request at a time (N each,
# default 150, interleaved so drift hits both alike), and prints mean, median, p90 and standard
# deviation per kind and the difference of the means. Ten accounts and ten unknown names take
# turns under the widest lockout policy, so no failure locks (a locked answer takes another path).
# AUTHNODE_BIN=/path/to/authnode measures another build (no build). Needs python3 only.
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
echo "machine: $(nproc) cores; store: embedded SQLite; $("$AUTHNODE_BIN" --version 2>/dev/null || echo authnode)"
python3 - "http://127.0.0.1:$PORT/api/v1" "${N:-150}" <<'PY'
import json, statistics, sys, time, urllib.error, urllib.request
base, n = sys.argv[1], int(sys.argv[2])
def call(path, body, token=None, method="POST"):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method=method, headers={"content-type": "application/json"})
    if token: req.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req) as r: return r.status, json.load(r)
    except urllib.error.HTTPError as e: return e.code, json.load(e)
call("/auth/register", {"email": "timing@example.com", "username": "timing", "password": "timing password 123"})
_, login = call("/auth/login", {"login": "timing", "password": "timing password 123"})
status, _ = call("/admin/settings", {"signup": {"mode": "open", "allowed_domains": []}}, login["access_token"], "PATCH")
assert status == 200, status
ACCOUNTS = 10
for a in range(ACCOUNTS):
    call("/auth/register", {"email": f"timing{a}@example.com", "username": f"timing{a}", "password": "timing password 123"})
# The widest lockout the policy allows, so that no failure here locks (a lock answers earlier).
status, _ = call("/admin/settings", {"lockout": {"max_failures": 100, "window_minutes": 1, "lock_minutes": 1}}, login["access_token"], "PATCH")
assert status == 200, status
samples = {"wrong password (account exists)": [], "unknown name": []}
for i in range(n):
    for kind, name in (("wrong password (account exists)", f"timing{i % ACCOUNTS}"), ("unknown name", f"nobody{i % ACCOUNTS}")):
        t = time.perf_counter()
        status, body = call("/auth/login", {"login": name, "password": "not the password"})
        samples[kind].append((time.perf_counter() - t) * 1000)
        assert status == 401, (status, body)
for kind, xs in samples.items():
    xs.sort()
    print(f"{kind:34s} n={len(xs)}  mean {statistics.mean(xs):6.2f} ms  median {statistics.median(xs):6.2f} ms  p90 {xs[int(len(xs)*0.9)]:6.2f} ms  sd {statistics.stdev(xs):5.2f} ms")
a, b = (statistics.mean(xs) for xs in samples.values())
print(f"difference of means: {a - b:+.2f} ms")
PY
