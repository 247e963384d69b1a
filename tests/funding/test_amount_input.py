"""Hostile amounts and percentages sent to every funding operation and form that takes one:
a refusal with a message, never a server error; and the edge values accepted.

The operations are read from the OpenAPI document (a body property documented as yuan, or a
``percent``) and the forms from the pages (inputs typed with a decimal keyboard), so a new
one is sent them too; an operation needs a valid body below to be walked.
"""

from __future__ import annotations

import io
import json
from functools import partial

import pytest
from flask_babel import force_locale

from app.auth.services import issue_api_token
from app.extensions import db
from app.funding import funds
from app.funding.models import Call, Contract
from app.funding.samples import receipt_png
from app.funding.services import today
from app.money import MoneyError, parse_percent, parse_yuan
from tests.forms_walk import submit

HOSTILE = ["1e400", "-1e400", "9" * 40, "9" * 100_000, "1e308", "NaN", "-Infinity", "Infinity",
           "sNaN", "0x10", "1.005", "-5", "0", "10000000000.01", "二十", ""]
#: JSON numbers, not strings, where a string of yuan belongs.
HOSTILE_JSON = ["1e400", "-1e400", "1e308", "NaN", "Infinity", "9" * 40]
EDGES = ["0.01", "10000000000.00"]
#: What every other number a page takes is sent.
HOSTILE_NUMBERS = ["1e400", "NaN", "sNaN", "-Infinity", "9" * 100_000, "二十"]
HOSTILE_PERCENT = ["1e400", "NaN", "Infinity", "9" * 40, "100.01", "0", "-1", "33.333", "abc"]
EDGE_PERCENTS = ["0.01", "100"]


@pytest.fixture(autouse=True)
def server_errors_answered(app, monkeypatch, tmp_path):
    """A server error is answered (and counted) rather than raised; the money the walk posts
    goes to journals of its own (the database is rolled back, files are not)."""
    monkeypatch.setitem(app.config, "SHOW_500_IN_TESTS", True)
    monkeypatch.setitem(app.config, "LEDGER_DIR", str(tmp_path / "ledger"))


def refusals(value: str) -> set[str]:
    """What the one parser says to ``value``, as an amount and as a percentage, in each language."""
    found = set()
    for locale in ("zh_CN", "en"):
        with force_locale(locale):
            for parse in (parse_yuan, partial(parse_yuan, allow_zero=True), parse_percent):
                try:
                    parse(value)
                except MoneyError as exc:
                    found.add(str(exc))
    return found


def every_refusal() -> set[str]:
    return {m for v in [*HOSTILE, *HOSTILE_PERCENT] for m in refusals(v)}


# --- the API ---------------------------------------------------------------------------------

def money_operations(doc: dict) -> set[tuple[str, str]]:
    """(method, path) of every operation whose body takes yuan or a percentage."""
    def takes_money(schema, seen=()):
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name in seen:
                return False
            seen, schema = (*seen, name), doc["components"]["schemas"][name]
        for key, prop in (schema.get("properties") or {}).items():
            if key == "percent" or str(prop.get("description", "")).startswith("yuan"):
                return True
            if takes_money(prop, seen) or takes_money(prop.get("items", {}), seen):
                return True
        return any(takes_money(s, seen) for s in schema.get("allOf", []) + schema.get("anyOf", []))

    return {(method, url.split("/t/{tenant}", 1)[-1]) for url, item in doc["paths"].items()
            for method, op in item.items() if method != "parameters"
            and any(takes_money(c["schema"]) for c in
                    op.get("requestBody", {}).get("content", {}).values())}


def _contract(amount="20000", percent="40"):
    day = today().isoformat()
    return {"title": "合同", "content": "服务", "quantity": "100", "quality": "好",
            "settlement": "分期", "duties": "履行", "liability": "扣减", "starts_on": day,
            "ends_on": day, "lines": [{"name": "交通", "amount": amount}],
            "tranches": [{"percent": percent, "planned_on": day, "milestone": "启动"},
                         {"percent": "60", "planned_on": day, "milestone": "结项"}]}


def _expense(ids, amount):
    return {"line_id": ids["line_id"], "amount": amount, "spent_on": today().isoformat(),
            "payee": "商店", "description": "物资", "method": "transfer"}


def _project(ids, v):
    return {"name": "项目", "category": "助老服务", "budget_lines": [{"line": "交通", "amount": v}]}


#: (method, path) → (role, body with the amount or percentage in it).
OPERATIONS = {
    ("post", "/funding/funds"): ("officer", lambda ids, v: {
        "fiscal_year": today().year, "name": "基金", "source": "财政", "amount": v}),
    ("post", "/funding/funds/{fund_id}/calls"): ("officer", lambda ids, v: {
        "title": "征集", "category": "助老服务", "ceiling": v, "deadline": today().isoformat()}),
    ("post", "/funding/orgs/{org_id}/calls/{call_id}/applications"): ("admin", lambda ids, v: {
            "title": "申报", "plan": "方案", "lines": [{"name": "交通", "amount": v}]}),
    ("post", "/funding/applications/{application_id}/award"): (
        "officer", lambda ids, v: {"amount": v}),
    ("put", "/funding/awards/{award_id}/contract"): ("officer", lambda ids, v: _contract(amount=v)),
    ("post", "/funding/tranches/{tranche_id}/request"): ("officer", lambda ids, v: {"amount": v}),
    ("post", "/funding/contracts/{contract_id}/expenditures"): ("bookkeeper", _expense),
    ("post", "/funding/expenditures/{expenditure_id}/reverse"): ("officer", lambda ids, v: {
        "reason": "更正", "replacement": _expense(ids, v)}),
    ("post", "/organizations/{org_id}/projects"): ("admin", _project),
    ("patch", "/projects/{project_id}"): ("admin", _project),
}
#: Without an amount, a payment request asks for the tranche as planned.
AMOUNT_OPTIONAL = {("post", "/funding/tranches/{tranche_id}/request")}
#: A project's budget line may be zero.
ZERO_ALLOWED = {("post", "/organizations/{org_id}/projects"), ("patch", "/projects/{project_id}")}
PERCENT_OPERATIONS = {("put", "/funding/awards/{award_id}/contract"): lambda ids, v: _contract(percent=v)}


def _send(client, method, url, body, headers, raw: str | None = None):
    if url.endswith("/expenditures"):
        return client.open(url, method=method, headers=headers, content_type="multipart/form-data",
                           data={**body, "receipts": [(io.BytesIO(receipt_png()), "票.png")]})
    if raw is not None:  # a JSON number where the amount goes
        text = json.dumps(body).replace('"@AMOUNT@"', raw)
        return client.open(url, method=method, headers=headers, data=text,
                           content_type="application/json")
    return client.open(url, method=method, headers=headers, json=body)


def test_every_operation_taking_money_refuses_hostile_amounts(app, client, world):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert money_operations(doc) == set(OPERATIONS), "add a valid body for the new operation"
    ids = dict(world.a.extra[0])
    ids["line_id"] = db.session.get(Contract, ids["contract_id"]).lines[0].id
    base = f"/api/v1/t/{world.a.tenant.slug}"
    tokens = {}
    failures = []
    sends = [(key, False) for key in OPERATIONS] + [(key, True) for key in PERCENT_OPERATIONS]
    parse_messages = every_refusal()
    for key, percent in sends:
        role, make = OPERATIONS[key]
        make = PERCENT_OPERATIONS[key] if percent else make
        if role not in tokens:
            user = getattr(world.a.users, role)
            tokens[role] = {"Authorization": f"Bearer {issue_api_token(user, 'amounts')}"}
        method, path = key
        url = base + path.format(**ids)
        hostile = [(v, None) for v in (HOSTILE_PERCENT if percent else HOSTILE)
                   if not (v == "0" and key in ZERO_ALLOWED or v == "" and key in AMOUNT_OPTIONAL)]
        if not url.endswith("/expenditures"):
            hostile += [("@AMOUNT@", raw) for raw in HOSTILE_JSON]
        what = "percent" if percent else "amount"
        for value, raw in hostile:
            response = _send(client, method, url, make(ids, value), tokens[role], raw)
            body = response.get_json(silent=True) or {}
            where = f"{method.upper()} {path} {what}={(raw or value)[:20]!r}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code}")
            elif not (400 <= response.status_code < 500 and body.get("message")):
                failures.append(f"{where}: not refused ({response.status_code} {body})")
            elif raw is None and value and not (refusals(value) & _texts(body)):
                failures.append(f"{where}: refused without saying why ({body})")
        edges = EDGE_PERCENTS if percent else [*EDGES, *(["0"] if key in ZERO_ALLOWED else [])]
        for value in edges:
            response = _send(client, method, url, make(ids, value), tokens[role])
            body = response.get_json(silent=True) or {}
            if response.status_code >= 500 or parse_messages & _texts(body):
                failures.append(f"{method.upper()} {path} {what}={value!r} refused: "
                                f"{response.status_code} {body}")
    assert failures == [], "\n".join(failures)


def _texts(body) -> set[str]:
    """Every message in an API error body (its message and the field messages)."""
    if isinstance(body, dict):
        return {t for v in body.values() for t in _texts(v)}
    if isinstance(body, list):
        return {t for v in body for t in _texts(v)}
    return {body} if isinstance(body, str) else set()


# --- the pages -------------------------------------------------------------------------------

def walk_ids(world) -> dict:
    """The objects the pages are walked with: organization 1's, and an application still
    waiting for its award, so that the application's page shows the award form."""
    a = world.a
    call = db.session.get(Call, a.extra[0]["call_id"])
    pending = funds.submit_application(call, a.orgs[1], a.users.admin2, title="待评申报",
                                       plan="方案", lines=[("交通", 100_000)])
    return {**a.extra[0], "application_id": pending.id}


#: Pages the walk must find amounts on (so a walk that finds nothing cannot pass).
FUNDING_FORMS = {"funding.index", "funding.fund", "funding.apply", "funding.propose_award",
                 "funding.contract_draft", "funding.expenditures", "funding.request_payment",
                 "funding.reverse_expenditure"}


def page_amount_failures(by_role, found) -> list[str]:
    """Every amount and percentage of the funding pages shows the refusal; every other
    number any page takes (hours, places, points…) is at least never a server error. ``found``
    is the walk's (``tests/test_page_inputs.py``)."""
    found = {key: value for key, value in found.items() if value[2] in ("decimal", "number")}
    missing = FUNDING_FORMS - {e for e, _ in found}
    failures = [f"amounts not found on: {missing}"] if missing else []
    parse_messages = every_refusal()
    for (endpoint, name), (role, form, kind) in sorted(found.items()):
        money = endpoint.startswith("funding.") and kind == "decimal"
        percent = name.startswith("share_")
        for value in (HOSTILE_PERCENT if percent else HOSTILE) if money else HOSTILE_NUMBERS:
            response = submit(by_role[role], form, name, value)
            page = response.get_data(as_text=True)
            where = f"{endpoint} {name}={value[:20]!r} as {role}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code}")
            elif money and value and not any(m in page for m in refusals(value)):
                failures.append(f"{where}: no refusal shown ({response.status_code})")
        if money:
            for value in EDGE_PERCENTS if percent else EDGES:
                page = submit(by_role[role], form, name, value).get_data(as_text=True)
                shown = [m for m in parse_messages if m in page]
                if shown:
                    failures.append(f"{endpoint} {name}={value!r} refused: {shown}")
    return failures
