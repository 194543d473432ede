"""Schemathesis hooks of the adversarial suite (loaded through SCHEMATHESIS_HOOKS=hooks).

Environment: ADV_STATE_FILE (written by `harness.py bootstrap`), ADV_ROLE (`admin`, `user` or
`auditor`: the test account the generated calls run as) and ADV_HARNESS_LOG (optional: a file
listing what the hooks did behind Schemathesis's back).

* Auth: a Bearer token of the test account, from POST /api/v1/auth/login. Schemathesis throws
  it away on a 401 and asks again (`retry_on=[401]`, its default), then replays the call once: a
  generated call that ended the session (logout, revoke-others, DELETE /me/sessions/{id}, a
  password change, revoke-sessions or reset-password on itself, deletion) costs one sign-in. When
  the password sign-in fails (password changed, account renamed, disabled, locked, deleted, given
  a second factor), the keeper repairs the account first (harness.Harness.ensure).
* Repairs right after the call: a generated call that succeeded in changing the settings is
  undone, and one that changed a test account through /admin/users/{id}... is followed by a
  repair, so a disabled or demoted test account doesn't turn the rest of the run into 403s.
* Failures dropped (filter_failure): only "schema-valid request rejected" (ST202, the
  positive_data_acceptance check) answered 400 with an error code that says a *secret or a
  server-held value* was wrong: a one-time code, a sign-in challenge, a passkey ceremony or
  answer, or a password on the breached-password list. No schema can tell a right code from a
  wrong one of the same shape, so these rejections are the API working, not the document lying.
  Likewise content no schema can judge (CONTENT_DEPENDENT_CODES: a picture, an otpauth URI, base32
  block rules, a WebAuthn credential), each refused with a code of its own.
  Every other ST202 (a length, range, pattern or shape the document does not state) still fails.
* The keeper is out of reach: a generated call other than a read naming its id in
  /admin/users/{id}... (found e.g. in GET /admin/users) gets a fresh random id instead, and a sign-in
  naming its username or email gets another name (so a lockout policy can't lock it).
"""

from __future__ import annotations

import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import schemathesis  # noqa: E402

from harness import Harness  # noqa: E402

HARNESS = Harness(os.environ["ADV_STATE_FILE"])
ROLE = os.environ["ADV_ROLE"]
API = "/api/v1"
SETTINGS = f"{API}/admin/settings"
ADMIN_USER = f"{API}/admin/users/{{id}}"
SIGN_INS = {f"{API}/auth/login"}
READ_ONLY = {"GET", "HEAD", "OPTIONS"}

# Error codes (400 answers) for values only the server can check: see the module docstring.
SECRET_DEPENDENT_CODES = frozenset(
    {"invalid_code", "second_factor_invalid", "challenge_invalid", "ceremony_invalid", "passkey_invalid", "password_breached"}
)
# Content a JSON Schema cannot judge, each with its own error code so that nothing else hides
# behind it: whether bytes are a PNG/JPEG holding a QR code; whether a text is a usable otpauth://
# URI (scheme, type, label, required secret, parameter values, RFC 6238/4226); whether base32 text
# decodes under RFC 4648's block rules to 1-256 bytes, and holds 80 bits without
# allow_short_secret (RFC 4226 §4); whether JSON is a WebAuthn credential webauthn-rs can read
# (W3C WebAuthn §5.1, base64url members per credential type).
CONTENT_DEPENDENT_CODES = frozenset(
    {"invalid_image", "no_qr_code", "invalid_otpauth_uri", "invalid_secret", "secret_too_short", "credential_invalid"}
)
# Rules between two values, which JSON Schema cannot compare: a session's refresh lifetime not
# shorter than its access token's; a password policy's minimum not above its maximum; an application keeping an issuer or a label, judged against the
# stored one on update, and Steam's fixed 5 digits and SHA1 against the stored type (the create
# body's schema states both).
RELATIONAL_CODES = frozenset({"session_lifetimes_inverted", "password_lengths_inverted", "issuer_or_label_required", "steam_parameters_fixed"})


@schemathesis.auth(refresh_interval=240)
class TestAccountAuth:
    def get(self, case, context):
        return HARNESS.token_for(ROLE)

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


def _same(value, target: str) -> bool:
    return isinstance(value, str) and value.strip().lower() == target.lower()


@schemathesis.hook
def before_call(context, case, kwargs):
    path = case.operation.path
    if path.startswith(ADMIN_USER) and case.path_parameters and case.method.upper() not in READ_ONLY:
        value = case.path_parameters.get("id")
        if any(_same(value, pid) for pid in HARNESS.protected_ids()):
            case.path_parameters["id"] = str(uuid.uuid4())
            HARNESS.log(f"{case.method} {path}: the keeper's id replaced by a random one")
    if path in SIGN_INS and isinstance(case.body, dict):
        login = case.body.get("login")
        if _same(login, HARNESS.keeper["username"]) or _same(login, HARNESS.keeper["email"]):
            case.body["login"] = "someone-else-" + uuid.uuid4().hex[:8]
            HARNESS.log(f"{case.method} {path}: a sign-in as the keeper replaced by another name")


@schemathesis.hook
def after_call(context, case, response):
    if not 200 <= response.status_code < 300 or case.method.upper() in READ_ONLY:
        return
    path = case.operation.path
    if path == SETTINGS:
        HARNESS.restore_settings()
    elif path.startswith(ADMIN_USER) and case.path_parameters:
        acct = HARNESS.test_account_by_id(case.path_parameters.get("id", ""))
        if acct is not None:
            HARNESS.ensure(acct["role"], reset_password=path.endswith("/reset-password"))


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if failure.code != "ST202" or response.status_code != 400:
        return True
    try:
        body = response.json()
        code = body["error"]["code"]
    except Exception:
        return True
    return code not in SECRET_DEPENDENT_CODES | CONTENT_DEPENDENT_CODES | RELATIONAL_CODES
