"""Accounts for the adversarial suite (scripts/adversarial.sh) and the means to keep them usable.

Three accounts live on the server under test:

* the *keeper*: the first registered account (an admin), enrolled in an authenticator app so a
  two-factor policy set by a generated call can never lock it out. Schemathesis never gets its
  token; the hooks keep generated calls off it (see hooks.py). The harness uses it to put the
  settings back and to repair the test accounts.
* the test *admin*, *user* and *auditor*, created by the keeper; schemathesis runs as one of them.

A generated call may end the test account's session (logout, revoke-others, revoke-sessions,
password change, a password reset by an admin), change its password, username or role, disable,
lock or delete it, or change the settings (e.g. require a second factor, close sign-up). The
auth provider logs in again on 401, and `Harness.ensure` puts the account back as it was: found
by id (re-created when deleted), role restored, enabled, unlocked, second factors removed and,
when asked, the password reset.

Run as a program, `python harness.py bootstrap BASE_URL STATE_FILE` creates the three accounts on
a fresh server and writes their credentials to STATE_FILE, which the hooks read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.cookiejar
import json
import os
import secrets
import struct
import sys
import tempfile
import threading
import time
import urllib.parse

import requests

TIMEOUT = 30

# Policies the runs start from; a generated PATCH /admin/settings that succeeds is undone at once.
# Sign-up is open so that POST /auth/register is exercised beyond `signup_closed`.
BASELINE_SETTINGS_PATCH = {"signup": {"mode": "open", "allowed_domains": []}}
ROLES = ("admin", "user", "auditor")
SETTINGS_KEYS = ("signup", "password", "lockout", "session", "two_factor")


class HarnessError(RuntimeError):
    pass


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie, request):
        return False


def new_session() -> requests.Session:
    """Bearer tokens only: the sign-in cookies of one account must never ride along with another's calls."""
    session = requests.Session()
    session.cookies.set_policy(_NoCookies())
    return session


def new_password() -> str:
    # 32 random URL-safe characters: far from any breached-password list, within every length policy.
    return "Adv-" + secrets.token_urlsafe(24)


def new_name(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(5)}"


def totp(secret_b32: str, step: int, digits: int = 6, algorithm: str = "SHA1") -> str:
    """RFC 6238 code for time step `step` (RFC 4226 dynamic truncation)."""
    key = base64.b32decode(secret_b32.upper() + "=" * (-len(secret_b32) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), getattr(hashlib, algorithm.lower())).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp_params(otpauth_uri: str) -> dict:
    query = urllib.parse.parse_qs(urllib.parse.urlparse(otpauth_uri).query)
    return {
        "digits": int(query.get("digits", ["6"])[0]),
        "period": int(query.get("period", ["30"])[0]),
        "algorithm": query.get("algorithm", ["SHA1"])[0],
    }


def error_code(response: requests.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict):
            return err.get("code")
        if isinstance(err, str):
            return err
        return body.get("code")
    return None


class Harness:
    """Holds the state file's accounts; every method is safe to call from several threads."""

    def __init__(self, state_file: str):
        self.state_file = state_file
        with open(state_file) as f:
            self.state = json.load(f)
        self.api = self.state["base_url"].rstrip("/") + "/api/v1"
        self.http = new_session()
        self.lock = threading.RLock()
        self.keeper_access: str | None = None
        self.log_file = os.environ.get("ADV_HARNESS_LOG")

    def log(self, message: str) -> None:
        """One line in ADV_HARNESS_LOG (what the harness did behind Schemathesis's back)."""
        if self.log_file:
            with self.lock, open(self.log_file, "a") as f:
                f.write(f"{time.strftime('%H:%M:%S')} {message}\n")

    # --- state file -------------------------------------------------------------------------
    def save(self) -> None:
        with self.lock:
            fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(self.state_file)))
            with os.fdopen(fd, "w") as f:
                json.dump(self.state, f, indent=2)
            os.replace(tmp, self.state_file)

    @property
    def keeper(self) -> dict:
        return self.state["keeper"]

    def account(self, role: str) -> dict:
        return self.state["accounts"][role]

    def protected_ids(self) -> set[str]:
        return {self.keeper["id"].lower()}

    def test_account_by_id(self, user_id: str) -> dict | None:
        for acct in self.state["accounts"].values():
            if acct["id"].lower() == str(user_id).strip().lower():
                return acct
        return None

    # --- plain calls --------------------------------------------------------------------------
    def _post(self, path: str, body: dict | None = None, token: str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.http.post(self.api + path, json=body, headers=headers, timeout=TIMEOUT)

    def login(self, login: str, password: str) -> requests.Response:
        return self._post("/auth/login", {"login": login, "password": password})

    def step_up(self, token: str, password: str) -> bool:
        return self._post("/auth/reauth", {"password": password}, token).status_code == 200

    def password_login(self, acct: dict) -> str | None:
        """Access token for a test account, or None when its password login does not sign in."""
        r = self.login(acct["username"], acct["password"])
        if r.status_code != 200:
            return None
        body = r.json()
        if body.get("second_factor_required") or "access_token" not in body:
            return None
        return body["access_token"]

    # --- the keeper ---------------------------------------------------------------------------
    def _keeper_totp_login(self) -> None:
        k = self.keeper
        params = k["totp"]
        for _ in range(3):
            r = self.login(k["username"], k["password"])
            if r.status_code != 200 or not r.json().get("second_factor_required"):
                raise HarnessError(f"keeper login failed: {r.status_code} {r.text[:300]}")
            challenge = r.json()["challenge"]
            step = int(time.time()) // params["period"]
            if step <= k.get("last_totp_step", -1):  # a code is good once: wait for the next one
                time.sleep((k["last_totp_step"] + 1) * params["period"] - time.time() + 0.2)
                step = int(time.time()) // params["period"]
            code = totp(k["totp"]["secret"], step, params["digits"], params["algorithm"])
            r = self._post("/auth/login/second-factor", {"challenge": challenge, "method": "totp", "code": code})
            k["last_totp_step"] = step
            if r.status_code == 200:
                self._keeper_tokens(r.json())
                return
            if error_code(r) != "second_factor_invalid":
                raise HarnessError(f"keeper second factor failed: {r.status_code} {r.text[:300]}")
        raise HarnessError("keeper second factor kept failing")

    def _keeper_tokens(self, body: dict) -> None:
        self.keeper_access = body["access_token"]
        self.keeper["refresh_token"] = body["refresh_token"]
        self.save()

    def _keeper_refresh(self) -> None:
        rt = self.keeper.get("refresh_token")
        if rt:
            r = self._post("/auth/refresh", {"refresh_token": rt})
            if r.status_code == 200:
                self._keeper_tokens(r.json())
                return
        self._keeper_totp_login()

    def keeper_call(self, method: str, path: str, body: dict | None = None) -> requests.Response:
        """A call as the keeper: refreshes its session on 401 and steps up when asked to."""
        with self.lock:
            if self.keeper_access is None:
                self._keeper_refresh()
            stepped = False
            for _ in range(4):
                r = self.http.request(
                    method, self.api + path, json=body, timeout=TIMEOUT,
                    headers={"Authorization": f"Bearer {self.keeper_access}"},
                )
                if r.status_code == 401:
                    self._keeper_refresh()
                    continue
                if r.status_code == 403 and error_code(r) == "reauthentication_required" and not stepped:
                    stepped = self.step_up(self.keeper_access, self.keeper["password"])
                    continue
                return r
            return r

    def _expect(self, r: requests.Response, what: str, ok=(200, 201, 204)) -> requests.Response:
        if r.status_code not in ok:
            raise HarnessError(f"{what}: {r.status_code} {r.text[:300]}")
        return r

    # --- repairs --------------------------------------------------------------------------------
    def restore_settings(self, why: str = "settings changed by a generated call") -> None:
        with self.lock:
            self.log(f"{why}: restoring the settings")
            self._expect(self.keeper_call("PATCH", "/admin/settings", self.state["settings"]), "restoring settings")

    def ensure(self, role: str, reset_password: bool) -> None:
        """Puts the test account of `role` back as the harness made it."""
        with self.lock:
            # Another worker's generated PATCH /admin/settings may not be undone yet, and a
            # password policy it set could refuse the password put back below.
            self.restore_settings(f"repairing the test {role}")
            acct = self.account(role)
            r = self.keeper_call("GET", f"/admin/users/{acct['id']}")
            if r.status_code == 404:
                self.log(f"repair {role}: deleted, re-creating it")
                self._create(acct)
                return
            user = self._expect(r, f"reading the test {role}").json()["user"]
            self.log(
                f"repair {role}: role={user['role']} disabled={user['disabled']} locked_until={user.get('locked_until')} "
                f"factors={user.get('second_factors')} renamed={user['username'] != acct['username']} reset_password={reset_password}"
            )
            # A generated PATCH may have renamed it: sign in with the name it has now.
            acct["username"] = user["username"]
            acct["email"] = user["email"]
            uid = acct["id"]
            if user["role"] != acct["role"]:
                self._expect(self.keeper_call("PATCH", f"/admin/users/{uid}", {"role": acct["role"]}), "restoring the role")
            if user["disabled"]:
                self._expect(self.keeper_call("POST", f"/admin/users/{uid}/enable"), "enabling")
            if user.get("locked_until"):
                self._expect(self.keeper_call("POST", f"/admin/users/{uid}/unlock"), "unlocking", ok=(204, 409))
            factors = user.get("second_factors") or {}
            if factors.get("totp") or factors.get("passkeys"):
                self._expect(self.keeper_call("POST", f"/admin/users/{uid}/reset-second-factors"), "removing factors")
            if reset_password:
                self._expect(
                    self.keeper_call("POST", f"/admin/users/{uid}/reset-password", {"password": acct["password"]}),
                    "resetting the password",
                )
            self.save()

    def _create(self, acct: dict) -> None:
        for _ in range(3):
            body = {"email": acct["email"], "username": acct["username"], "password": acct["password"], "role": acct["role"]}
            r = self.keeper_call("POST", "/admin/users", body)
            if r.status_code == 409:  # a generated call took the name or the address meanwhile
                acct["username"] = new_name(f"adv{acct['role']}")
                acct["email"] = acct["username"] + "@example.com"
                continue
            acct["id"] = self._expect(r, "creating a test account").json()["user"]["id"]
            self.save()
            return
        raise HarnessError("could not re-create a test account")

    def token_for(self, role: str) -> str:
        """A fresh access token of the test account, stepped up so step-up operations are reached."""
        acct = self.account(role)
        token = self.password_login(acct)
        if token is None:
            self.log(f"the test {role} cannot sign in")
            self.ensure(role, reset_password=True)
            token = self.password_login(acct)
            if token is None:
                raise HarnessError(f"the test {role} cannot sign in even after a repair")
        self.step_up(token, acct["password"])
        return token


def seed_applications(call, acct: dict) -> None:
    """Gives the account a TOTP and an HOTP entry and one in the trash, so that the list answers
    carry ids that the fuzzing and stateful phases reuse for /applications/{id}..."""
    token = call("POST", "/auth/login", {"login": acct["username"], "password": acct["password"]})["access_token"]
    seeds = [
        {"issuer": "Seed TOTP", "label": acct["email"], "secret": base64.b32encode(secrets.token_bytes(20)).decode()},
        {"issuer": "Seed HOTP", "label": acct["email"], "otp_type": "hotp", "counter": 3,
         "secret": base64.b32encode(secrets.token_bytes(20)).decode()},
        {"issuer": "Seed trashed", "label": acct["email"], "secret": base64.b32encode(secrets.token_bytes(20)).decode()},
    ]
    ids = [call("POST", "/applications", body, token)["application"]["id"] for body in seeds]
    call("DELETE", f"/applications/{ids[-1]}", None, token)
    call("POST", "/auth/logout", None, token)


def bootstrap(base_url: str, state_file: str) -> None:
    api = base_url.rstrip("/") + "/api/v1"
    http = new_session()

    def call(method, path, body=None, token=None, ok=(200, 201, 204)):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = http.request(method, api + path, json=body, headers=headers, timeout=TIMEOUT)
        if r.status_code not in ok:
            raise HarnessError(f"{method} {path}: {r.status_code} {r.text[:500]}")
        return r.json() if r.content else None

    name = new_name("keeper")
    keeper = {"username": name, "email": name + "@example.com", "password": new_password()}
    user = call("POST", "/auth/register", {k: keeper[k] for k in ("username", "email", "password")})["user"]
    if user["role"] != "admin":
        raise HarnessError("the first registered account is not an admin: is this a fresh server?")
    keeper["id"] = user["id"]
    tokens = call("POST", "/auth/login", {"login": keeper["username"], "password": keeper["password"]})
    token = tokens["access_token"]
    call("POST", "/auth/reauth", {"password": keeper["password"]}, token)
    enrolment = call("POST", "/me/totp", None, token)
    params = totp_params(enrolment["otpauth_uri"])
    step = int(time.time()) // params["period"]
    code = totp(enrolment["secret"], step, params["digits"], params["algorithm"])
    call("POST", "/me/totp/confirm", {"code": code}, token)
    keeper["totp"] = {"secret": enrolment["secret"], **params}
    keeper["last_totp_step"] = step
    keeper["refresh_token"] = tokens["refresh_token"]
    call("PATCH", "/admin/settings", BASELINE_SETTINGS_PATCH, token)
    current = call("GET", "/admin/settings", None, token)["settings"]
    settings = {k: current[k] for k in SETTINGS_KEYS if k in current}
    accounts = {}
    for role in ROLES:
        name = new_name(f"adv{role}")
        acct = {"username": name, "email": name + "@example.com", "password": new_password(), "role": role}
        acct["id"] = call("POST", "/admin/users", {k: acct[k] for k in ("username", "email", "password", "role")}, token)["user"]["id"]
        accounts[role] = acct
        seed_applications(call, acct)
    state = {"base_url": base_url, "keeper": keeper, "accounts": accounts, "settings": settings}
    with open(state_file, "w") as f:
        json.dump(state, f, indent=2)
    os.chmod(state_file, 0o600)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] != "bootstrap":
        sys.exit("usage: harness.py bootstrap BASE_URL STATE_FILE")
    bootstrap(sys.argv[2], sys.argv[3])
