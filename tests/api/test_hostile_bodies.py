"""Hostile bodies sent to every write operation of the OpenAPI document, as a role allowed to
call it: deep nesting, huge arrays, wrong types at every level, duplicate keys, bytes that are
not UTF-8, text that is not text, bodies that are not JSON or say they are not, and bodies over
the limits. Each is refused with a 4xx in the API's error shape; none is a server error."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from app.auth.services import issue_api_token
from app.extensions import limiter
from app.needs.models import Need
from app.orgs.models import OrgInvitation
from tests.factories import UserFactory

WRITES = ("post", "put", "patch", "delete")
#: Tried in this order for each operation; the first one the operation does not turn away
#: (401/403/404 before reading the body) is the one the bodies are sent as.
ROLES = ["admin", "coordinator", "bookkeeper", "officer", "overseer", "volunteer", "resident",
         "auditor", "invitee", None]
DEEP = 10_000
JSON = "application/json"


@dataclass
class Body:
    name: str
    data: bytes
    content_type: str | None = JSON

    @classmethod
    def of(cls, name: str, value, content_type: str | None = JSON) -> Body:
        return cls(name, json.dumps(value, ensure_ascii=True).encode(), content_type)


def generic_bodies(app) -> list[Body]:
    """What every write operation refuses, whatever it reads."""
    arrays, objects = "[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP
    oversized = b'{"a":"' + b"a" * app.config["MAX_JSON_BYTES"] + b'"}'
    return [
        Body("arrays nested 10,000 deep", arrays.encode()),
        Body("objects nested 10,000 deep", objects.encode()),
        Body("nesting inside a list", ('{"a":[1,' + arrays + "]}").encode()),
        Body.of("an array of 200,000 values", [0] * 200_000),
        Body.of("6,000 objects in a field", {"lines": [{"line": "a"}] * 6_000}),
        Body("not JSON", b'{"a": '),
        Body("not UTF-8", b'{"a": "\xff\xfe\xfd"}'),
        Body("UTF-16", '{"a": "助老"}'.encode("utf-16")),
        Body("a key twice", b'{"a": 1, "a": 2}'),
        Body("NaN", b'{"a": NaN}'),
        Body("a lone surrogate", b'{"a": "\\ud800"}'),
        Body("a lone surrogate as a key", b'{"\\udfff": 1}'),
        Body("U+FFFF", b'{"a": "\\uffff"}'),
        Body("NUL", b'{"a": "x\\u0000y"}'),
        Body("JSON sent as text/plain", b'{"a": 1}', "text/plain"),
        Body("JSON without a content type", b'{"a": 1}', None),
        Body("JSON sent as XML", b'{"a": 1}', "application/xml"),
        Body("over the JSON limit", oversized),
        Body("over the request limit", b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1), JSON),
    ]


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


#: Values of the wrong type, for each type a field may have.
WRONG = {
    "string": [{}, [{}], 1],
    "integer": ["x", 1.5, 10**30],
    "number": ["x", {}],
    "boolean": ["x", {}],
    "array": [{}, "x", [[{}]]],
    "object": [[], "x"],
}
#: Strings of the right type with contents no field should take, by format.
ODD_STRINGS = {
    "date": ["2026-02-30", "0000-01-01", "99999-12-31", "x"],
    "date-time": ["2026-13-01T00:00:00", "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
                  "x"],
    None: ["1e999999", "NaN", "-Infinity", "9" * 400, "0.001", "-1", ""],
}


def schema_bodies(spec: dict, schema: dict) -> tuple[list[Body], list[Body]]:
    """(bodies with a value of the wrong type at every level of ``schema``, which must be
    refused; bodies whose strings have odd contents, one per odd value for every string field
    at once, which must not be a server error)."""
    schema = _resolve(spec, schema)
    wrong = [Body.of(f"a {type(v).__name__} for the body", v) for v in ([], "x", None)]
    strings: dict[str | None, list[str]] = {}
    for name, field in schema.get("properties", {}).items():
        field = _resolve(spec, field)
        kind = field.get("type", "string")
        wrong += [Body.of(f"{name}: {v!r:.40}", {name: v}) for v in WRONG.get(kind, [])]
        if kind == "string":
            strings.setdefault(field.get("format") if field.get("format") in ODD_STRINGS
                               else None, []).append(name)
        if kind == "array":
            items = _resolve(spec, field.get("items", {}))
            inner = items.get("type", "string")
            wrong += [Body.of(f"{name}[0]: {v!r:.40}", {name: [v]}) for v in WRONG.get(inner, [])]
            for sub, subfield in items.get("properties", {}).items():
                sub_kind = _resolve(spec, subfield).get("type", "string")
                wrong += [Body.of(f"{name}[0].{sub}: {v!r:.40}", {name: [{sub: v}]})
                          for v in WRONG.get(sub_kind, [])]
    odd = [Body.of(f"{', '.join(names)}: {v!r:.40}", dict.fromkeys(names, v))
           for fmt, names in strings.items() for v in ODD_STRINGS[fmt]]
    return wrong, odd


def form_bodies(app) -> list[Body]:
    """Forms that break a rule, for the operations that read multipart forms."""
    boundary = "gzboundary"

    def multipart(parts: list[tuple[str, str | None, bytes]]) -> bytes:
        out = b""
        for name, filename, content in parts:
            disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
            out += (f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
                    + content + b"\r\n")
        return out + f"--{boundary}--\r\n".encode()

    kind = f"multipart/form-data; boundary={boundary}"
    return [
        Body("a field holding U+FFFF", multipart([("name", None, "甲\uffff".encode())]), kind),
        Body("a field holding NUL", multipart([("name", None, b"a\x00b")]), kind),
        Body("a file name holding a control character",
             multipart([("certificate", "a\x1b.png", b"\x89PNG")]), kind),
        Body("a file name holding U+FFFE",
             multipart([("receipts", "票\ufffe.png", b"\x89PNG")]), kind),
        Body("a field over the form memory limit",
             multipart([("description", None, b"a" * (app.config.get("MAX_FORM_MEMORY_SIZE")
                                                        or 500_000) + b"a")]), kind),
        Body("5,000 parts", multipart([("area_ids", None, b"1")] * 5_000), kind),
        Body("a broken multipart body", b"--gzboundary\r\nContent-Disposition: form", kind),
    ]


def write_operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in WRITES:
            if method in item:
                yield method.upper(), path, item[method]


def url_for(path: str, tenant_slug: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: tenant_slug if m.group(1) == "tenant"
                  else str(ids[m.group(1)]), path)


def send(client, method: str, url: str, body: Body, headers: dict):
    limiter.reset()  # public writes are rate-limited; every body must reach the checks
    sent = dict(headers)
    if body.content_type:
        sent["Content-Type"] = body.content_type
    return client.open(url, method=method, data=body.data, headers=sent)


def role_for(client, method, url, tokens, spec_op) -> str | None:
    """The first role the operation does not turn away before reading a body."""
    content = spec_op.get("requestBody", {}).get("content", {})
    probe = Body("probe", b"{}") if JSON in content or not content else Body(
        "probe", b"--x--\r\n", "multipart/form-data; boundary=x")
    for role in ROLES:
        if send(client, method, url, probe, tokens[role]).status_code not in (401, 403, 404):
            return role
    raise AssertionError(f"{method} {url}: no role of the test world may call it")


@pytest.mark.long
def test_every_write_operation_refuses_hostile_bodies(app, db, world, monkeypatch):
    monkeypatch.setitem(app.config, "SHOW_500_IN_TESTS", True)  # count them all, then report
    client = app.test_client()
    spec = client.get("/api/v1/openapi.json").get_json()
    ids = world.a.extra[0]
    # The person the test world's invitation is for, who alone may accept it.
    world.a.users.invitee = UserFactory(phone=db.session.get(OrgInvitation, ids["invitation_id"]).phone)
    # A wish on the wish wall, which a volunteer may take on in person.
    wish = db.session.get(Need, ids["need_id"])
    wish.on_wall = True
    db.session.flush()
    # Taken on in person, so that its resident and volunteer may reach each other (contact).
    from app.needs.services import claim_in_person

    claim_in_person(wish, world.a.users.volunteer)
    tokens = {role: {"Authorization": f"Bearer {issue_api_token(getattr(world.a.users, role), 'x')}"}
              for role in ROLES if role}
    tokens[None] = {}
    generic, forms = generic_bodies(app), form_bodies(app)
    failures, sent = [], 0
    operations = list(write_operations(spec))
    assert len(operations) >= 40, "the OpenAPI document lost its write operations"
    for method, path, op in operations:
        url = url_for(path, world.a.tenant.slug, ids)
        role = role_for(client, method, url, tokens, op)
        content = op.get("requestBody", {}).get("content", {})
        refused, odd = list(generic), []
        if JSON in content:
            wrong, odd = schema_bodies(spec, content[JSON]["schema"])
            refused += wrong
        if "multipart/form-data" in content or any(p.get("in") == "formData"
                                                   for p in op.get("parameters", [])):
            refused += forms
        for body, must_refuse in [(b, True) for b in refused] + [(b, False) for b in odd]:
            response = send(client, method, url, body, tokens[role])
            sent += 1
            status, answer = response.status_code, response.get_json(silent=True) or {}
            label = f"{method} {path} as {role or 'anonymous'} with {body.name}"
            if status >= 500 or (must_refuse and not 400 <= status < 500):
                failures.append(f"{label}: {status} {response.get_data(as_text=True)[:200]}")
            elif status >= 400 and not (answer.get("code") == status and answer.get("message")):
                failures.append(f"{label}: {status} without the error shape")
    assert not failures, f"{len(failures)} of {sent} bodies:\n" + "\n".join(failures[:60])
