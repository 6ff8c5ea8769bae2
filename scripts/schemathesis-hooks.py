# Hooks for scripts/schemathesis (loaded through SCHEMATHESIS_HOOKS): the session of the
# profile the script registered, and the check that every error is a problem document.
import json
import os
import time
import urllib.error
import urllib.request

import schemathesis

BASE_URL = os.environ["LANYARD_ST_URL"]
LOGIN = os.environ["LANYARD_ST_LOGIN"]
PASSWORD = os.environ["LANYARD_ST_PASSWORD"]


def call(method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(BASE_URL + path, data=data, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read() or b"null")


# The session the run acts in. Checked (GET /me, cheap and not rate-limited) before it is
# handed out, and replaced by a new sign-in only once it stopped working: the run may end it
# (a revoked session, a stateful sequence), and sign-ins are rate-limited per login.
class Session:
    token = None


def live_token():
    if Session.token:
        try:
            call("GET", "/api/v1/me", token=Session.token)
            return Session.token
        except urllib.error.HTTPError as error:
            if error.code != 401:
                return Session.token
    Session.token = sign_in()["access_token"]
    return Session.token


def sign_in():
    """Signs the run's profile in, as a client would: a 429 (the run's own sign-ins, and its
    hostile ones, spend the login's budget) is waited out as its Retry-After says, a few times."""
    for _ in range(6):
        try:
            return call("POST", "/api/v1/auth/login", {"login": LOGIN, "password": PASSWORD})
        except urllib.error.HTTPError as error:
            if error.code != 429:
                raise
            time.sleep(min(int(error.headers.get("Retry-After") or 1), 30))
    return call("POST", "/api/v1/auth/login", {"login": LOGIN, "password": PASSWORD})


@schemathesis.auth(refresh_interval=2, retry_on=[])
class ProfileSession:
    def get(self, case, context):
        return live_token()

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


PROBLEM_FIELDS = {"type": str, "title": str, "status": int, "code": str, "detail": str}


@schemathesis.check
def problem_document(ctx, response, case):
    """Every 4xx and 5xx answer is an RFC 9457 problem document with Lanyard's code."""
    if response.status_code < 400:
        return None
    content_type = ";".join(response.headers.get("content-type", [])).split(";")[0].strip()
    if content_type != "application/problem+json":
        raise AssertionError(
            f"{response.status_code} answered as {content_type or 'no content type'!r}, "
            "not application/problem+json"
        )
    try:
        problem = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"{response.status_code}: the problem is no JSON ({error})")
    if not isinstance(problem, dict):
        raise AssertionError(f"{response.status_code}: the problem is not a JSON object")
    for field, kind in PROBLEM_FIELDS.items():
        if not isinstance(problem.get(field), kind):
            raise AssertionError(f"{response.status_code}: the problem has no {kind.__name__} {field!r}")
    if problem["status"] != response.status_code:
        raise AssertionError(
            f"the problem says status {problem['status']}, the answer is {response.status_code}"
        )
    return None
