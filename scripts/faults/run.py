#!/usr/bin/env python3
"""Fault tests: a write load against authnode while the server is SIGKILLed and restarted (SQLite
and PostgreSQL), and while a private PostgreSQL cluster is restarted. Afterwards every
acknowledged write must be there, `verify` and `audit verify` must pass, event positions must be
gap-free, and during a database outage clients must only have seen 2xx or a 503 JSON
`database_unavailable`. Run through scripts/faults.sh, which makes the work directory and cleans
up after a crash of this script. Standard library only; every target is 127.0.0.1.

How answers are judged (each request is timed; windows are noted as the faults are injected):
- SIGKILL down time (kill .. restarted server ready + 1 s): anything is tolerated (connection
  refused/reset); it is counted and listed, not failed.
- database outage (stop .. back + FAULTS_RECOVER_S): only 2xx or 503 with a JSON body
  `{"error":{"code":"database_unavailable"}}`, each within FAULTS_MAX_LATENCY_S; no connection
  errors or time-outs; /healthz stays 200; a write must succeed within FAULTS_RECOVER_S of the
  database being back. The long outage (12 s) outlasts any sane pool/connect timeout, so the
  server is seen answering while the database is known to be down, not merely waiting it out.
- everywhere else: 2xx only. A 2xx whose body does not show the write (another label, no id) fails.

Knobs (environment): FAULTS_WRITERS (4), FAULTS_PHASE_S (4), FAULTS_KILLS (2),
FAULTS_PG_DOWN_S (12), FAULTS_RECOVER_S (5), FAULTS_MAX_LATENCY_S (2.5), FAULTS_CLIENT_TIMEOUT_S (20),
FAULTS_BUDGET_S (200).
"""

import argparse
import base64
import glob
import os
import pwd
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import OrderedDict

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import Client, Load  # noqa: E402


def knob(name, default):
    return type(default)(os.environ.get(name, default))


WRITERS = knob("FAULTS_WRITERS", 4)
PHASE_S = knob("FAULTS_PHASE_S", 4.0)
KILLS = knob("FAULTS_KILLS", 2)
PG_DOWN_S = knob("FAULTS_PG_DOWN_S", 12.0)
RECOVER_S = knob("FAULTS_RECOVER_S", 5.0)
MAX_LATENCY_S = knob("FAULTS_MAX_LATENCY_S", 2.5)
CLIENT_TIMEOUT_S = knob("FAULTS_CLIENT_TIMEOUT_S", 20.0)
BUDGET_S = knob("FAULTS_BUDGET_S", 200.0)
KILL_DOWN_S = 0.5  # how long the killed server stays down before the restart
KILL_GRACE_S = 1.0  # after the restarted server is ready, stragglers still count as in the outage
HOST = "127.0.0.1"
SCENARIOS = ("sqlite-kill", "pg-kill", "pg-restart")

T0 = time.monotonic()
DEADLINE = T0 + BUDGET_S


def say(msg):
    print(f"[faults +{time.monotonic() - T0:6.1f}s] {msg}", flush=True)


class Fail(Exception):
    pass


class Interrupted(BaseException):
    pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


ANSI = re.compile(r"\x1b\[[0-9;]*m")
ROUTINE = re.compile(r"status=2[0-9][0-9]\b")


def tail(path, lines=60):
    """The end of a log without colours and without the routine 2xx request lines."""
    try:
        with open(path, "rb") as f:
            text = [ANSI.sub("", line) for line in f.read().decode("utf-8", "replace").splitlines()]
    except OSError as e:
        return f"(cannot read {path}: {e})"
    text = [line for line in text if not ROUTINE.search(line)]
    return "\n".join("    | " + line[:400] for line in text[-lines:])


def remaining(cap):
    return max(1.0, min(cap, DEADLINE - time.monotonic()))


def register_pid(work, name, pid):
    """faults.sh kills what is listed here if this script dies."""
    with open(os.path.join(work, "pids", name), "w") as f:
        f.write(f"{pid}\n")


def unregister_pid(work, name):
    try:
        os.unlink(os.path.join(work, "pids", name))
    except OSError:
        pass


# --- the server -------------------------------------------------------------------------------


class Server:
    def __init__(self, binary, env, port, log_path, work, name):
        self.binary, self.env, self.port, self.log_path, self.work, self.name = binary, env, port, log_path, work, name
        self.proc = None
        self.starts = 0

    def start(self, timeout=30.0):
        self.starts += 1
        with open(self.log_path, "ab") as log:
            log.write(f"\n===== faults: start #{self.starts} =====\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [self.binary, "serve", "--listen", f"{HOST}:{self.port}"],
                env=self.env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=self.work,
            )
        register_pid(self.work, self.name, self.proc.pid)
        began = time.monotonic()
        probe = Client(HOST, self.port, timeout=2.0)
        end = began + remaining(timeout)
        while time.monotonic() < end:
            rc = self.proc.poll()
            if rc is not None:
                raise Fail(f"server exited with {rc} while starting")
            if probe.request("GET", "/readyz").status == 200:
                return time.monotonic() - began
            time.sleep(0.1)
        raise Fail(f"server not ready within {timeout:.0f}s")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        unregister_pid(self.work, self.name)

    def terminate(self, timeout=20.0):
        """SIGTERM; returns the exit code, or raises if it does not stop in time."""
        if not self.alive():
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(remaining(timeout))
        except subprocess.TimeoutExpired:
            self.kill()
            raise Fail(f"server did not stop within {timeout:.0f}s of SIGTERM (killed)")
        unregister_pid(self.work, self.name)
        return rc

    def cli(self, *args, timeout=90.0):
        try:
            p = subprocess.run(
                [self.binary, *args], env=self.env, cwd=self.work, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=remaining(timeout),
            )
        except subprocess.TimeoutExpired:
            return None, f"timed out after {timeout:.0f}s"
        return p.returncode, p.stdout.decode("utf-8", "replace").strip()


# --- the private PostgreSQL cluster -----------------------------------------------------------


class Cluster:
    """A throw-away cluster on a free 127.0.0.1 port, trust auth, run as `postgres` when root."""

    def __init__(self, work):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
        if not bins:
            raise Fail("no PostgreSQL server binaries in /usr/lib/postgresql/*/bin")
        self.bin = os.path.dirname(bins[-1])
        self.root = os.path.join(work, "pg")
        self.data = os.path.join(self.root, "data")
        self.log = os.path.join(self.root, "postgres.log")
        self.port = free_port()
        self.as_user = []
        os.makedirs(self.root)
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args, timeout=60.0):
        cmd = self.as_user + [os.path.join(self.bin, args[0]), *args[1:]]
        try:
            p = subprocess.run(cmd, cwd=self.root, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, timeout=remaining(timeout))
        except subprocess.TimeoutExpired:
            raise Fail(f"{args[0]} {args[1] if len(args) > 1 else ''} timed out")
        if p.returncode != 0:
            raise Fail(f"{' '.join(args[:2])} failed ({p.returncode}): {p.stdout.decode('utf-8', 'replace')[-800:]}")
        return p.stdout.decode("utf-8", "replace")

    def init(self):
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(
                "\n# authnode fault tests\n"
                f"listen_addresses = '{HOST}'\nport = {self.port}\nunix_socket_directories = '{self.root}'\n"
                "max_connections = 100\nshared_buffers = 32MB\nlogging_collector = off\n"
            )
        self.start()

    def start(self):
        self._run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "30", "start")

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "30", "stop")

    def running(self):
        return os.path.exists(os.path.join(self.data, "postmaster.pid"))

    def psql(self, db, sql):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["PGCONNECT_TIMEOUT"] = "5"
        p = subprocess.run(
            [os.path.join(self.bin, "psql"), "-h", HOST, "-p", str(self.port), "-U", "postgres", "-d", db,
             "-v", "ON_ERROR_STOP=1", "-AtXq", "-F", "|", "-c", sql],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=remaining(30),
        )
        out = p.stdout.decode("utf-8", "replace").strip()
        if p.returncode != 0:
            raise Fail(f"psql: {out}")
        return out

    def url(self, db):
        return f"postgres://postgres@{HOST}:{self.port}/{db}"


# --- judging ----------------------------------------------------------------------------------


class Outcome:
    def __init__(self, name):
        self.name = name
        self.problems = OrderedDict()  # category -> [examples]
        self.tolerated = OrderedDict()
        self.facts = []
        self.logs = []

    def fail(self, category, example=None):
        self.problems.setdefault(category, [])
        if example is not None:
            self.problems[category].append(example)

    def ok(self):
        return not self.problems


def category(rec):
    if rec.status is None:
        return "no answer: " + rec.err.split(":")[0]
    code = rec.error_code()
    json_ok = (rec.ctype or "").lower().startswith("application/json") and rec.json() is not None
    return f"HTTP {rec.status} {code or ('JSON' if json_ok else 'non-JSON')}"


def judge(out, load, windows, origin):
    """Sorts every recorded answer: fine, tolerated (SIGKILL down time) or a failure."""
    counts = OrderedDict()
    slowest_503 = 0.0
    for r in sorted(load.records, key=lambda r: r.t0):
        hit = [w for w in windows if r.t0 <= w["end"] and r.t1 >= w["start"]]
        good = r.status is not None and 200 <= r.status < 300
        if good and r.err:
            out.fail("2xx with an unexpected body", r.describe(origin))
            continue
        if any(w["kind"] == "kill" for w in hit):
            key = "kill outage: " + ("2xx" if good else category(r))
            counts[key] = counts.get(key, 0) + 1
            if not good:
                out.tolerated.setdefault(category(r), []).append(r.describe(origin))
            continue
        if hit:  # database outage
            down = any(r.t0 <= w["up"] for w in hit)
            key = ("DB down: " if down else "DB back, recovering: ") + ("2xx" if good else category(r))
            counts[key] = counts.get(key, 0) + 1
            if r.op == "healthz" and r.status != 200:
                out.fail("during a DB outage, /healthz not 200", r.describe(origin))
            elif not (good or r.is_db_unavailable()):
                out.fail(f"during a DB outage: {category(r)} (only 2xx or 503 JSON database_unavailable allowed)",
                         r.describe(origin))
            if r.t1 - r.t0 > MAX_LATENCY_S:
                out.fail(f"during a DB outage: answer slower than {MAX_LATENCY_S:.1f}s", r.describe(origin))
            if r.is_db_unavailable():
                slowest_503 = max(slowest_503, r.t1 - r.t0)
            continue
        key = "steady: " + ("2xx" if good else category(r))
        counts[key] = counts.get(key, 0) + 1
        if not good:
            out.fail(f"outside any outage: {category(r)}", r.describe(origin))
    out.facts.append("answers: " + ", ".join(f"{k} ×{v}" for k, v in counts.items()))
    if slowest_503:
        out.facts.append(f"slowest 503 database_unavailable answer: {slowest_503:.2f}s")
    for w in windows:
        if w["kind"] != "db":
            continue
        first = min((r.t1 for r in load.records
                     if r.op in ("create", "rename") and r.t0 >= w["up"] and r.status and 200 <= r.status < 300),
                    default=None)
        if first is None:
            out.fail(f"no write succeeded after the database came back ({w['what']})")
        else:
            took = first - w["up"]
            out.facts.append(f"{w['what']}: down {w['up'] - w['start']:.1f}s; first write acknowledged {took:.2f}s after it was back")
            if took > RECOVER_S:
                out.fail(f"writes took {took:.1f}s (> {RECOVER_S:.0f}s) to succeed after {w['what']}")


def check_positions(out, rows):
    count, lo, hi, distinct, head = rows
    out.facts.append(f"events: {count}, positions {lo}..{hi}, head {head}")
    if count and (lo != 1 or hi != count or distinct != count):
        out.fail(f"positions not gap-free: {count} events span {lo}..{hi} ({distinct} distinct)")
    if head != hi:
        out.fail(f"event_head.position {head} != max(position) {hi}")
    return count


POSITIONS_SQL = ("SELECT count(*), coalesce(min(position), 0), coalesce(max(position), 0), count(DISTINCT position), "
                 "(SELECT position FROM event_head WHERE id = 1) FROM events")


# --- one scenario -----------------------------------------------------------------------------


def bootstrap(client):
    """Checks the API shape in the OpenAPI document, registers the first (admin) account and
    signs in. Returns the access token."""
    r = client.request("GET", "/api/v1/openapi.json")
    doc = r.json() if r.status == 200 else None
    if not isinstance(doc, dict):
        raise Fail(f"GET /api/v1/openapi.json: {r.describe(T0)}")
    paths = doc.get("paths", {})
    for path, method in (("/api/v1/applications", "post"), ("/api/v1/applications", "get"),
                         ("/api/v1/applications/{id}", "patch"), ("/api/v1/auth/register", "post"),
                         ("/api/v1/auth/login", "post")):
        if method not in paths.get(path, {}):
            raise Fail(f"the OpenAPI document has no {method.upper()} {path}: the fault test needs updating")
    props = doc.get("components", {}).get("schemas", {}).get("AppBody", {}).get("properties", {})
    missing = {"uri", "issuer", "label", "secret"} - set(props)
    if missing:
        raise Fail(f"AppBody lacks {sorted(missing)}: the fault test needs updating")
    password = secrets.token_urlsafe(24)
    r = client.request("POST", "/api/v1/auth/register",
                       {"email": "faults@example.com", "username": "faults", "password": password})
    if r.status != 201:
        raise Fail(f"register: {r.describe(T0)}")
    r = client.request("POST", "/api/v1/auth/login", {"login": "faults", "password": password})
    token = (r.json() or {}).get("access_token") if r.status == 200 else None
    if not token:
        raise Fail(f"login: {r.describe(T0)}")
    return token


def scenario(name, binary, work, cluster):
    out = Outcome(name)
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith("AUTHNODE_") or k.startswith("DATABASE_URL") or k.startswith("PG"))}
    env.update(NO_COLOR="1", AUTHNODE_RATE_LIMITS="off", AUTHNODE_LISTEN=f"{HOST}:{port}",
               AUTHNODE_DATA_DIR=os.path.join(work, name + "-data"))
    db = name.replace("-", "_")
    if name.startswith("pg"):
        cluster.psql("postgres", f"CREATE DATABASE {db}")
        env["DATABASE_URL"] = cluster.url(db)
        env["AUTHNODE_MASTER_KEY"] = base64.b64encode(os.urandom(32)).decode()
    log_path = os.path.join(work, name + "-server.log")
    out.logs.append(("server log", log_path))
    if cluster and name.startswith("pg"):
        out.logs.append(("PostgreSQL log", cluster.log))
    server = Server(binary, env, port, log_path, work, name)
    load = None
    windows = []
    try:
        say(f"{name}: starting the server on {HOST}:{port}")
        took = server.start()
        out.facts.append(f"server ready in {took:.1f}s")
        token = bootstrap(Client(HOST, port))
        client = Client(HOST, port, token, timeout=CLIENT_TIMEOUT_S)
        load = Load(client, name.replace("-", ""), writers=WRITERS, deadline_s=remaining(120))
        load.start()
        say(f"{name}: load running ({WRITERS} writers, 1 reader)")
        time.sleep(PHASE_S)
        if name.endswith("kill"):
            for i in range(KILLS):
                start = time.monotonic()
                server.kill()
                say(f"{name}: SIGKILLed the server ({len(load.acked_creates())} creates acknowledged so far)")
                time.sleep(KILL_DOWN_S)
                took = server.start()
                say(f"{name}: restarted, ready in {took:.1f}s")
                windows.append({"kind": "kill", "start": start, "end": time.monotonic() + KILL_GRACE_S})
                time.sleep(PHASE_S)
        else:
            outages = [(f"fast restart #{i + 1} (pg_ctl stop -m fast; start)", 0.0, 3.0) for i in range(2)]
            outages.append((f"fast stop, {PG_DOWN_S:.0f}s down, start", PG_DOWN_S, max(PHASE_S, RECOVER_S + 1.0)))
            for what, down, after in outages:
                start = time.monotonic()
                say(f"{name}: {what}: stopping PostgreSQL")
                cluster.stop("fast")
                time.sleep(down)
                cluster.start()
                up = time.monotonic()
                say(f"{name}: PostgreSQL back after {up - start:.1f}s")
                windows.append({"kind": "db", "what": what, "start": start, "up": up, "end": up + RECOVER_S})
                time.sleep(after)
        if not load.stop():
            out.fail("load threads did not finish")
        say(f"{name}: load stopped: {len(load.records)} requests, {len(load.acked_creates())} creates and "
            f"{load.acked_renames()} renames acknowledged")
        out.facts.append(f"{len(load.records)} requests; acknowledged {len(load.acked_creates())} creates, "
                         f"{load.acked_renames()} renames")
        judge(out, load, windows, T0)

        r = client.request("GET", "/api/v1/applications", None, "check", "final-list")
        if r.status != 200 or not isinstance((r.json() or {}).get("applications"), list):
            raise Fail(f"final GET /api/v1/applications: {r.describe(T0)}")
        apps = r.json()["applications"]
        for problem in load.check_final(apps):
            out.fail("acknowledged write missing or wrong after the run", problem)
        out.facts.append(f"final list: {len(apps)} applications "
                         f"({load.unacked_but_present(apps)} committed without an acknowledgement)")

        rc = server.terminate()
        if rc != 0:
            out.fail(f"server exited with {rc} on SIGTERM")
        for args in (("verify",), ("audit", "verify")):
            rc, text = server.cli(*args)
            line = text.splitlines()[-1] if text else ""
            out.facts.append(f"authnode {' '.join(args)}: exit {rc}: {line}")
            if rc != 0:
                out.fail(f"authnode {' '.join(args)} exited {rc}", text[-1500:])
        if name.startswith("pg"):
            rows = [int(x) for x in cluster.psql(db, POSITIONS_SQL).split("|")]
        else:
            path = os.path.join(env["AUTHNODE_DATA_DIR"], "authnode.db")
            if not os.path.exists(path):
                raise Fail(f"no SQLite database at {path}")
            con = sqlite3.connect(path, timeout=10)
            try:
                rows = list(con.execute(POSITIONS_SQL).fetchone())
            finally:
                con.close()
        events = check_positions(out, rows)
        needed = len(load.acked_creates()) + load.acked_renames() + 1
        if events < needed:
            out.fail(f"only {events} events for {needed} acknowledged writes")
    except Fail as e:
        out.fail(str(e))
    finally:
        if load is not None:
            load.stop(5.0)
        if server.alive():
            server.kill()
    return out


# --- main -------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--work", required=True, help="an empty directory (faults.sh removes it)")
    ap.add_argument("scenarios", nargs="*", help=f"any of {', '.join(SCENARIOS)} (default all)")
    args = ap.parse_args()
    chosen = args.scenarios or list(SCENARIOS)
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown:
        ap.error(f"unknown scenario(s) {unknown}; choose from {SCENARIOS}")
    binary = os.path.abspath(args.bin)
    os.makedirs(os.path.join(args.work, "pids"), exist_ok=True)

    def interrupted(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)

    results = []
    cluster = None
    try:
        if any(s.startswith("pg") for s in chosen):
            try:
                cluster = Cluster(args.work)
                say(f"starting a private PostgreSQL ({cluster.bin}) on {HOST}:{cluster.port}")
                cluster.init()
            except Fail as e:
                out = Outcome("postgres-cluster")
                out.fail(str(e))
                results.append(out)
                chosen = [s for s in chosen if not s.startswith("pg")]
        for name in chosen:
            if time.monotonic() > DEADLINE - 20:
                out = Outcome(name)
                out.fail(f"not run: the {BUDGET_S:.0f}s budget is spent")
                results.append(out)
                continue
            results.append(scenario(name, binary, args.work, cluster))
            say(f"{name}: {'PASS' if results[-1].ok() else 'FAIL'}")
    except Interrupted as e:
        say(f"interrupted ({e})")
        out = Outcome("interrupted")
        out.fail(f"interrupted by {e}")
        results.append(out)
    finally:
        if cluster is not None and cluster.running():
            try:
                cluster.stop("immediate")
            except Exception as e:  # noqa: BLE001 - cleanup; faults.sh retries
                say(f"could not stop the private PostgreSQL: {e}")

    print("\n==================== fault tests: summary ====================", flush=True)
    for out in results:
        print(f"{'PASS' if out.ok() else 'FAIL'} {out.name}")
        for fact in out.facts:
            print(f"    {fact}")
        for cat, examples in out.tolerated.items():
            print(f"    tolerated during SIGKILL down time: {cat} ×{len(examples)}")
        for cat, examples in out.problems.items():
            print(f"  ✗ {cat}" + (f" ×{len(examples)}" if examples else ""))
            for ex in examples[:5]:
                print(f"      e.g. {ex}")
    for out in results:
        if not out.ok():
            for title, path in out.logs:
                print(f"\n---- {out.name}: {title} (last 60 lines without 2xx request lines: {path}) ----\n{tail(path)}")
    passed = sum(1 for o in results if o.ok())
    print(f"\nfault tests took {time.monotonic() - T0:.0f}s")
    print(f"faults: {passed} passed, {len(results) - passed} failed", flush=True)
    return 0 if results and passed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
