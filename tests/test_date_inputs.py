"""Every date, datetime and time a person or program can send, at its extremes: never a
server error, and a refusal says what is wrong.

The API operations and their date fields are read from the OpenAPI document; the pages and
their date fields from the forms the pages render, and from the query strings pages read.
A new operation, form or filter is walked without being listed here.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from flask_babel import force_locale

from app.auth.services import issue_api_token
from app.parsing import DateInputError, local_datetime, parse_date, parse_datetime, parse_time
from tests.forms_walk import ROLES, submit
from tests.test_isolation import build, methods, tenant_rules

#: value → accepted. Full-width digits are read as the digits they are.
DATES = {"0001-01-01": False, "9999-12-31": False, "2100-13-45": False, "": False,
         "二〇二六-一-一": False, "２０２６-０１-０１": True, "1900-01-01": True,
         "2100-12-31": True, "1899-12-31": False, "2026-02-30": False, "20260101": False}
DATETIMES = {"0001-01-01T00:00:00": False, "0001-01-01T00:00:00+00:00": False,
             "9999-12-31T23:59:59+00:00": False, "2100-13-45T10:00:00+08:00": False, "": False,
             "二〇二六-一-一T10:00": False, "２０２６-０１-０１T１０:００:００+０８:００": True,
             "2026-01-01T10:00:00+23:59": False, "2026-01-01T10:00:00-99:00": False,
             "2026-06-01T10:00:00+14:00": True, "1900-01-01T00:00:00+14:00": True,
             "2100-12-31T23:59:59-14:00": True}
LOCAL_DATETIMES = {"0001-01-01T00:00": False, "9999-12-31T23:59": False,
                   "2100-13-45T10:00": False, "二〇二六-一-一T10:00": False,
                   "２０２６-０１-０１T１０:００": True, "2026-01-01T10:00+23:59": False, "": None}
TIMES = {"24:00": False, "99:99": False, "二十:三十": False, "１０:３０": True, "": None}
#: What each kind of input is checked with, and the parser whose message a refusal shows.
KINDS = {"date": (DATES, parse_date), "date-time": (DATETIMES, parse_datetime),
         "datetime-local": (LOCAL_DATETIMES, local_datetime), "time": (TIMES, parse_time)}
PAGE_KINDS = {"date", "datetime-local", "time"}
VALID = {"date": "2026-01-02", "date-time": "2026-01-02T10:00:00+08:00"}


@pytest.fixture(autouse=True)
def server_errors_answered(app, monkeypatch, tmp_path):
    """A server error is answered (and counted by the walk) rather than raised; whatever
    the walk posts goes to journals of its own (the database is rolled back, files are not)."""
    monkeypatch.setitem(app.config, "SHOW_500_IN_TESTS", True)
    monkeypatch.setitem(app.config, "LEDGER_DIR", str(tmp_path / "ledger"))


def messages(kind: str, value: str) -> set[str]:
    """The refusal of ``value``, as the one parser words it in each language."""
    _, parse = KINDS[kind]
    found = set()
    for locale in ("zh_CN", "en"):
        with force_locale(locale):
            try:
                parse(value)
            except DateInputError as exc:
                found.add(str(exc))
    return found


# --- the API, from its OpenAPI document ------------------------------------------------------

def _resolve(schema: dict, doc: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _date_paths(schema: dict, doc: dict, path: tuple = ()):
    """(path, format) of every date or date-time property; ``[]`` stands for a list item."""
    schema = _resolve(schema, doc)
    if schema.get("readOnly"):
        return
    if schema.get("format") in ("date", "date-time"):
        yield path, schema["format"]
    for name, prop in (schema.get("properties") or {}).items():
        yield from _date_paths(prop, doc, (*path, name))
    if "items" in schema:
        yield from _date_paths(schema["items"], doc, (*path, []))
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            yield from _date_paths(part, doc, path)


def date_inputs(doc: dict) -> list[tuple]:
    """(method, path, location, field path, format, content type) of every date input."""
    found = []
    for url, item in doc["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            for param in op.get("parameters", []):
                if param["in"] == "query":
                    for _, fmt in _date_paths(param.get("schema", {}), doc):
                        found.append((method, url, "query", (param["name"],), fmt, None))
            for ctype, content in op.get("requestBody", {}).get("content", {}).items():
                for path, fmt in _date_paths(content["schema"], doc):
                    found.append((method, url, "body", path, fmt, ctype))
    return found


def _nest(path: tuple, value):
    for part in reversed(path):
        value = [value] if part == [] else {part: value}
    return value


def _error_paths(errors, prefix: tuple = ()):
    if isinstance(errors, dict):
        for key, inner in errors.items():
            yield from _error_paths(inner, (*prefix, key))
    else:
        yield prefix


def _fill(url: str, ids: dict, tenant: str) -> str:
    return re.sub(r"{(\w+)}", lambda m: str(tenant if m.group(1) == "tenant" else ids[m.group(1)]),
                  url)


def _call(client, method, url, location, path, value, ctype, headers):
    if location == "query":
        return client.open(f"{url}?{urlencode({path[0]: value})}", method=method, headers=headers)
    body = _nest(path, value)
    if ctype == "multipart/form-data":
        return client.open(url, method=method, data=body, headers=headers)
    return client.open(url, method=method, json=body, headers=headers)


def test_every_api_date_input_refuses_the_extremes(app, client, world):
    doc = client.get("/api/v1/openapi.json").get_json()
    inputs = date_inputs(doc)
    assert {(m, u.rsplit("/", 1)[-1], p[-1]) for m, u, _, p, _, _ in inputs} >= {
        ("get", "projects", "from"), ("post", "calls", "deadline"),
        ("put", "contract", "planned_on"), ("post", "shifts", "starts_at"),
        ("post", "corrections", "ends_at"), ("post", "certificates", "date_from")}
    tokens = {role: {"Authorization": f"Bearer {issue_api_token(getattr(world.a.users, role), 't')}"}
              for role in ROLES}
    failures = []
    for method, url, location, path, fmt, ctype in inputs:
        target = _fill(url, world.a.extra[0], world.a.tenant.slug)
        headers = next((h for h in tokens.values() if _call(
            client, method, target, location, path, VALID[fmt], ctype, h).status_code
            not in (401, 403, 404)), None)
        if headers is None:
            failures.append(f"{method} {url}: no role reaches it")
            continue
        field = path[-1]
        for value, accepted in KINDS[fmt][0].items():
            response = _call(client, method, target, location, path, value, ctype, headers)
            body = response.get_json(silent=True) or {}
            named = [p for p in _error_paths(body.get("errors") or {}) if field in p]
            where = f"{method.upper()} {url} {location} {'.'.join(map(str, path))}={value!r}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code}")
            elif accepted and named:
                failures.append(f"{where}: refused {body}")
            elif not accepted and not (400 <= response.status_code < 500 and named
                                       and {"code", "status", "message"} <= set(body)):
                failures.append(f"{where}: not refused ({response.status_code} {body})")
    assert failures == [], "\n".join(failures)


# --- the pages, from the forms they render and the query strings they read --------------------

#: Pages that read a date from their query string without a form that sends it.
QUERY_DATES = {"oversight.records": ("start", "end")}
#: Forms the walk must find (so a walk that finds nothing cannot pass).
SOME_FORMS = {("marketplace.search", "from"), ("audit.log", "start"), ("projects.new_shift", "day"),
              ("projects.new_shift", "start"), ("funding.fund", "deadline"),
              ("funding.contract_draft", "date_1"), ("spotchecks.index", "start"),
              ("volunteers.register", "birth_date"), ("service.request_certificate", "date_from"),
              ("service.correct", "starts_at"), ("service.org_honours", "t-held_on")}


#: The extremes a page's inputs are sent (the API's list, less its cheap variations).
PAGE_VALUES = {
    "date": ("0001-01-01", "9999-12-31", "2100-13-45", "", "二〇二六-一-一", "２０２６-０１-０１"),
    "datetime-local": tuple(LOCAL_DATETIMES), "time": tuple(TIMES)}


def _form_failures(by_role, found) -> list[str]:
    failures = []
    for (endpoint, name), (role, form, kind) in sorted(found.items()):
        for value in PAGE_VALUES[kind]:
            response = submit(by_role[role], form, name, value)
            where = f"{endpoint} {name}={value!r} as {role}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code}")
            elif KINDS[kind][0][value] is False and value and not any(
                    m in response.get_data(as_text=True) for m in messages(kind, value)):
                failures.append(f"{where}: no refusal shown ({response.status_code})")
    return failures


def _query_failures(app, world, by_role, names) -> tuple[list[str], set[str]]:
    """Every page asked with a refused date in every date parameter pages use (and a year no
    calendar holds): the pages that answer 400, and what went wrong."""
    failures, reading = [], set()
    for rule in tenant_rules(app):
        if "GET" not in methods(rule) or rule.rule.startswith("/api/"):
            continue
        base = build(rule, world.a.tenant.slug, world.a.extra[0])
        for value, year in (("0001-01-01", "99999"), ("2100-13-45", "0")):
            query = urlencode({**dict.fromkeys(names, value), "year": year, "quarter": "1"})
            for role in ("officer", "anonymous"):
                response = by_role[role].get(f"{base}?{query}")
                if response.status_code >= 500:
                    failures.append(f"{rule.endpoint} ={value!r} year={year} as {role}: "
                                    f"{response.status_code}")
                elif response.status_code == 400:
                    reading.add(rule.endpoint)
                    if not any(m in response.get_data(as_text=True)
                               for m in messages("date", value)):
                        failures.append(f"{rule.endpoint} ={value!r}: 400 without the refusal")
    return failures, reading


def page_date_failures(app, world, by_role, found) -> list[str]:
    """Every date, datetime and time input of every form a page renders (``found`` by the
    walk), sent the extremes: never a server error, and the page shows why a value is
    refused. Every page that reads a date from its query string (found by asking every page
    with one) answers 400 saying why, and is one of the filter forms found or listed in
    ``QUERY_DATES``; a year no calendar holds (``?year=99999``) is never a server error
    either. The walk is shared with the amounts' (``tests/test_page_inputs.py``)."""
    found = {key: value for key, value in found.items() if value[2] in PAGE_KINDS}
    missing = SOME_FORMS - set(found)
    failures = [f"forms not found: {missing}"] if missing else []
    failures += _form_failures(by_role, found)
    names = {n for _, n in found} | {n for ns in QUERY_DATES.values() for n in ns}
    query_failures, reading = _query_failures(app, world, by_role, names)
    failures += query_failures
    get_forms = {e for (e, _), (_, f, _) in found.items() if f["method"] == "GET"}
    if reading != set(QUERY_DATES) | get_forms:
        failures.append(f"pages reading dates {sorted(reading)} != the date filters "
                        f"{sorted(set(QUERY_DATES) | get_forms)}")
    return failures


# --- the storage layer, behind the parser ----------------------------------------------------

def test_a_datetime_no_column_can_hold_is_refused_not_a_server_error(app):
    """Behind the parser, a datetime that overflows once stored as UTC (year 1 in Beijing
    time) is refused as bad input by the storage layer, on the pages and on the API."""
    from datetime import datetime

    from sqlalchemy import select

    from app import create_app
    from app.audit.models import AuditEntry
    from app.extensions import db
    from app.parsing import SHANGHAI

    probe = create_app({**app.config, "SHOW_500_IN_TESTS": False})

    @probe.route("/probe-storage")
    @probe.route("/api/v1/probe-storage")
    def storage():
        first = datetime(1, 1, 1, tzinfo=SHANGHAI)
        return str(db.session.scalar(select(AuditEntry.id).where(AuditEntry.at >= first)))

    client = probe.test_client()
    page, api = client.get("/probe-storage"), client.get("/api/v1/probe-storage")
    with probe.app_context():
        db.engine.dispose()
    assert (page.status_code, api.status_code) == (422, 422)
    assert api.get_json()["code"] == 422 and api.get_json()["message"]

