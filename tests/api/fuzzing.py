"""Fuzzing every ``/api/v1`` operation from its OpenAPI document, as each role: no server
error, and every response matches the documented schema.

Shared by the suite's run (``tests/api/test_fuzz.py``: few examples, derandomized, so the
same requests every time) and the long random one (``make fuzz``: ``tests/api/fuzz_long.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as seeded
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.auth.services import issue_api_token

#: Each role, and the ``world`` user who holds it (None: not signed in).
ROLES = {"anonymous": None, "resident": "resident", "volunteer": "volunteer",
         "org_admin": "admin", "bureau_officer": "officer", "auditor": "auditor",
         "bookkeeper": "bookkeeper", "overseer": "overseer"}
#: What the API promises: no server error, documented status codes, content types, headers
#: and bodies. (Business rules may still refuse schema-valid input with a 422.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@dataclass(frozen=True)
class Finding:
    """One request the API answered wrongly, written so that a person can send it again."""

    operation: str
    role: str
    problem: str
    request: str
    response: str
    seed: int | None = None

    @property
    def kind(self) -> tuple[str, str, str]:
        """Findings of one kind: the same operation, role and first line of the problem."""
        return self.operation, self.role, self.problem.splitlines()[0][:120]

    def __str__(self) -> str:
        lines = [f"{self.operation} as {self.role}: {self.problem}", f"  request:  {self.request}",
                 f"  response: {self.response}"]
        if self.seed is not None:
            lines.append(f"  seed:     {self.seed}")
        return "\n".join(lines)


def api_operations(app) -> list:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def role_headers(world) -> dict[str, dict]:
    """The ``Authorization`` header of each role (a fresh API token of its ``world`` user)."""
    headers = {}
    for role, attr in ROLES.items():
        if attr is None:
            headers[role] = {}
        else:
            token = issue_api_token(getattr(world.a.users, attr), "fuzz")
            headers[role] = {"Authorization": f"Bearer {token}"}
    return headers


def as_curl(case, role: str) -> str:
    """The request as one curl line; the role's token stands as a placeholder."""
    generated = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    saved, case.headers = case.headers, generated
    try:
        command = case.as_curl_command(base_url="http://127.0.0.1:5000").split("\n\n")[0]
    finally:
        case.headers = saved
    if role != "anonymous":
        command += f" -H 'Authorization: Bearer <{role} token>'"
    return command


def send(app, case, role: str, seed: int | None = None) -> Finding | None:
    """Send ``case`` (its headers already those of ``role``); what went wrong, or None."""
    def finding(problem: str, response: str) -> Finding:
        return Finding(case.operation.label, role, problem, as_curl(case, role), response, seed)

    try:
        with app.app_context():  # each request its own context, as in production
            response = case.call()
    except Exception as exc:  # the test config lets the server's exception through
        return finding(f"server error: {type(exc).__name__}: {str(exc)[:300]}", "500 (raised)")
    answer = f"{response.status_code} {response.text[:300]}"
    if response.status_code >= 500:
        return finding(f"server error {response.status_code}", answer)
    try:
        case.validate_response(response, checks=CHECKS)
    except Exception as exc:  # a documented promise broken: say which
        return finding(str(exc).strip()[:600], answer)
    return None


def fuzz(app, operation, roles: dict[str, dict], tenant_slug: str, *, examples: int,
         seed: int | None = None, until: float | None = None) -> list[Finding]:
    """Send ``examples`` generated requests to ``operation`` as each of ``roles``.

    Without ``seed`` the examples are derandomized (the same ones on every run) and the
    first failure of each example is kept as generated. With ``seed`` they are random but
    replayable, and each failure is shrunk to a simpler request. ``until`` (a
    ``time.monotonic()`` value) stops sending once passed.
    """
    found: dict[tuple, Finding] = {}

    @settings(max_examples=examples, deadline=None, database=None, derandomize=seed is None,
              suppress_health_check=list(HealthCheck),
              phases=[p for p in Phase if seed is not None or p is not Phase.shrink])
    @given(case=operation.as_strategy())
    def run(case):
        if until is not None and time.monotonic() > until:
            return
        if "tenant" in (case.path_parameters or {}):
            case.path_parameters["tenant"] = tenant_slug
        generated = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        for role, role_header in roles.items():
            # Our credentials, not generated ones: each role must really be signed in.
            case.headers = {**generated, **role_header}
            finding = send(app, case, role, seed)
            if finding is not None:
                found[finding.kind] = finding  # while shrinking, the simplest comes last
                if seed is not None:
                    raise AssertionError(finding.problem)
                return

    if seed is not None:
        run = seeded(seed)(run)
    try:
        run()
    except Exception:  # hypothesis re-raises the shrunk failure: it is in ``found``
        if not found:
            raise
    return list(found.values())
