"""Write load and its bookkeeping for the fault tests (standard library only).

Every request is recorded with its start and end time, so that after the run it can be judged
against the outage windows the orchestrator noted (a SIGKILL's down time, a database restart).
Each writer thread creates applications and renames (PATCH `label`) the ones it created; it
remembers every acknowledged (2xx) write, so the final state can be checked against them. A
reader thread fetches single applications, a filtered list and the probes. Only loopback targets.
"""

import http.client
import itertools
import json
import random
import re
import socket
import threading
import time

SECRET = "JBSWY3DPEHPK3PXP"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
_ids = itertools.count(1)


def root_label(label):
    """The label an application was created with (renames append `-r<k>`)."""
    return re.sub(r"-r[0-9]+$", "", label)


class Record:
    """One request and what came back (status None: no HTTP answer; err says why)."""

    __slots__ = ("worker", "op", "method", "path", "t0", "t1", "status", "ctype", "body", "err", "rid")

    def __init__(self, worker, op, method, path, t0, t1, status, ctype, body, err, rid):
        self.worker, self.op, self.method, self.path, self.rid = worker, op, method, path, rid
        self.t0, self.t1, self.status, self.ctype, self.body, self.err = t0, t1, status, ctype, body, err

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def error_code(self):
        doc = self.json()
        if isinstance(doc, dict) and isinstance(doc.get("error"), dict):
            return doc["error"].get("code")
        return None

    def is_db_unavailable(self):
        """A 503 whose body is the JSON error `database_unavailable`."""
        return (
            self.status == 503
            and (self.ctype or "").lower().startswith("application/json")
            and self.error_code() == "database_unavailable"
        )

    def describe(self, origin):
        what = (f"{self.method} {self.path} [{self.worker} {self.op}, X-Request-Id {self.rid}] "
                f"t={self.t0 - origin:.2f}s took {self.t1 - self.t0:.2f}s")
        if self.status is None:
            return f"{what}: no answer ({self.err})"
        body = self.body.decode("utf-8", "replace") if isinstance(self.body, bytes) else str(self.body)
        body = " ".join(body.split())[:200]
        return f"{what}: HTTP {self.status} ({self.ctype or 'no content-type'}) {body!r}"


class Client:
    """One request per connection (`Connection: close`): a connection never outlives a server."""

    def __init__(self, host, port, token=None, timeout=20.0):
        if host not in LOOPBACK:
            raise ValueError(f"refusing non-loopback target {host}")
        self.host, self.port, self.token, self.timeout = host, port, token, timeout

    def request(self, method, path, body=None, worker="main", op="request"):
        rid = f"faults-{next(_ids)}"  # echoed in the server log's request line
        headers = {"Connection": "close", "Accept": "application/json", "X-Request-Id": rid}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        t0 = time.monotonic()
        status = ctype = err = None
        payload = b""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=data, headers=headers)
            resp = conn.getresponse()
            status, ctype, payload = resp.status, resp.getheader("Content-Type"), resp.read()
        except socket.timeout:
            err = f"timeout after {self.timeout:.0f}s"
        except (OSError, http.client.HTTPException) as e:
            err = f"{type(e).__name__}: {e}"
        finally:
            conn.close()
        return Record(worker, op, method, path, t0, time.monotonic(), status, ctype, payload, err, rid)


class App:
    """What one writer knows of an application it tried to create."""

    __slots__ = ("issuer", "label", "id", "renames")

    def __init__(self, issuer, label):
        self.issuer, self.label, self.id = issuer, label, None
        self.renames = []  # [label, acknowledged] in the order they were sent

    def allowed_labels(self):
        """Labels the application may have now: from the last acknowledged rename on (a later,
        unacknowledged one may have been applied), or, with none acknowledged, any of them."""
        acked = [i for i, (_, ok) in enumerate(self.renames) if ok]
        if acked:
            return {lbl for lbl, _ in self.renames[acked[-1]:]}
        return {self.label} | {lbl for lbl, _ in self.renames}


class Load:
    """`writers` threads writing, one reader; runs until stop() or `deadline_s` has passed."""

    def __init__(self, client, tag, writers=4, deadline_s=120.0, max_requests=4000, seed=None):
        self.client, self.tag, self.writers = client, tag, writers
        self.deadline = time.monotonic() + deadline_s
        self.max_requests = max_requests
        self.records = []
        self.apps = []  # every App any writer tried to create
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = []
        self._rng = random.Random(seed)

    # --- running ---------------------------------------------------------------------------

    def start(self):
        for w in range(self.writers):
            t = threading.Thread(target=self._writer, args=(w, random.Random(self._rng.random())), daemon=True)
            self._threads.append(t)
        self._threads.append(threading.Thread(target=self._reader, args=(random.Random(self._rng.random()),), daemon=True))
        for t in self._threads:
            t.start()

    def stop(self, join_timeout=30.0):
        self._stop.set()
        end = time.monotonic() + join_timeout
        for t in self._threads:
            t.join(max(0.1, end - time.monotonic()))
        return not any(t.is_alive() for t in self._threads)

    def _running(self, count):
        return not self._stop.is_set() and time.monotonic() < self.deadline and count < self.max_requests

    def _keep(self, rec):
        with self._lock:
            self.records.append(rec)

    def _pause_after(self, rec):
        # No answer (server being killed) or 503 (database down): don't spin, like a real client.
        if (rec.status is None and not rec.err.startswith("timeout")) or rec.status == 503:
            time.sleep(0.05)

    def _writer(self, w, rng):
        name = f"writer{w}"
        mine = []  # acknowledged apps of this writer
        n = 0
        while self._running(n):
            n += 1
            if mine and rng.random() < 0.3:
                app = rng.choice(mine)
                label = f"{app.label}-r{len(app.renames) + 1}"
                app.renames.append([label, False])
                rec = self.client.request("PATCH", f"/api/v1/applications/{app.id}", {"label": label}, name, "rename")
                if rec.status is not None and 200 <= rec.status < 300:
                    doc = rec.json() or {}
                    got = (doc.get("application") or {}).get("label")
                    if got == label:
                        app.renames[-1][1] = True
                    else:
                        rec.err = f"2xx rename answered label {got!r}, expected {label!r}"
            else:
                issuer = f"{self.tag}W{w}"
                app = App(issuer, f"{self.tag}-w{w}-n{n}")
                with self._lock:
                    self.apps.append(app)
                if n % 2:
                    body = {"uri": f"otpauth://totp/{issuer}:{app.label}?secret={SECRET}&issuer={issuer}"}
                else:
                    body = {"issuer": issuer, "label": app.label, "secret": SECRET, "digits": 6, "period": 30}
                rec = self.client.request("POST", "/api/v1/applications", body, name, "create")
                if rec.status is not None and 200 <= rec.status < 300:
                    view = (rec.json() or {}).get("application") or {}
                    if view.get("id") and view.get("label") == app.label:
                        app.id = view["id"]
                        mine.append(app)
                    else:
                        rec.err = f"2xx create without the expected application: {view!r}"
            self._keep(rec)
            self._pause_after(rec)

    def _reader(self, rng):
        n = 0
        while self._running(n):
            n += 1
            with self._lock:
                known = [a for a in self.apps if a.id]
            kind = n % 4
            if kind == 0:
                rec = self.client.request("GET", "/healthz", None, "reader", "healthz")
            elif kind == 1:
                rec = self.client.request("GET", "/readyz", None, "reader", "readyz")
            elif known and kind == 2:
                rec = self.client.request("GET", f"/api/v1/applications/{rng.choice(known).id}", None, "reader", "get")
            else:
                label = rng.choice(known).label if known else "nothing"
                rec = self.client.request("GET", f"/api/v1/applications?q={label}", None, "reader", "search")
            self._keep(rec)
            self._pause_after(rec)
            time.sleep(0.02)

    # --- results ---------------------------------------------------------------------------

    def acked_creates(self):
        return [a for a in self.apps if a.id]

    def acked_renames(self):
        return sum(1 for a in self.apps for _, ok in a.renames if ok)

    def check_final(self, applications):
        """Compares the final list of applications with what was acknowledged. Returns problems."""
        problems = []
        by_id = {a["id"]: a for a in applications}
        ours = {a.issuer for a in self.apps}
        attempted = {(a.issuer, a.label) for a in self.apps}
        seen = {}
        for view in applications:
            if view.get("issuer") not in ours:
                continue
            root = root_label(view.get("label", ""))
            if (view["issuer"], root) not in attempted:
                problems.append(f"phantom application {view['id']} {view['issuer']}/{view.get('label')!r}: never sent")
            seen.setdefault((view["issuer"], root), []).append(view["id"])
        for key, ids in seen.items():
            if len(ids) > 1:
                problems.append(f"create {key} applied {len(ids)} times: {ids}")
        for app in self.acked_creates():
            view = by_id.get(app.id)
            if view is None:
                problems.append(f"LOST acknowledged create {app.id} ({app.issuer}/{app.label})")
                continue
            allowed = app.allowed_labels()
            if view.get("label") not in allowed:
                last = [lbl for lbl, ok in app.renames if ok]
                problems.append(
                    f"LOST acknowledged rename of {app.id}: label is {view.get('label')!r}, "
                    f"last acknowledged {last[-1] if last else app.label!r}, allowed {sorted(allowed)}"
                )
        return problems

    def unacked_but_present(self, applications):
        """Creates that got no 2xx (killed mid-request) but were committed: allowed, counted."""
        present = {(a.get("issuer"), root_label(a.get("label", ""))) for a in applications}
        return sum(1 for a in self.apps if not a.id and (a.issuer, a.label) in present)
