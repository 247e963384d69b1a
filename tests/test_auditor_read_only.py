"""Auditors read; they never change data. Every route that accepts POST, PUT, PATCH or
DELETE is tried as the tenant's own auditor, on the auditor's own tenant's objects: each
must answer 403, 404 or 405, and no row may change (no new audit-log entry).

Exempt, and listed here on purpose: the person's own account and inbox (signing in and out,
their password, their tokens, signing out of all their devices), joining a tenant or keeping one's own volunteer record as a
private person (``OPEN_ENDPOINTS``; asking for a proof of one's own service), what anyone may do without an account at all, such as objecting to a
public notice (``PUBLIC_ENDPOINTS``: an auditor's account adds nothing there), and asking
for an export, which records a read-out.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.parsing import local_today
from tests.isolation import OPEN_ENDPOINTS, PUBLIC_ENDPOINTS

ARG_RE = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
SELF_SERVICE = {"auth.login", "auth.logout", "auth.change_password", "auth.create_token",
                "auth.end_all_sessions",
                "auth.register", "auth.claim_start", "auth.claim_code",  # a first sign-in
                "notifications.mark_read", "notifications.tenant_mark_read",
                "core.set_language", "core.set_large_text",  # 长辈版, on their own account
                "service.request_certificate",  # a proof of one's own service
                "personal.close",  # closing one's own account
                "personal.new_calendar", "personal.stop_calendar",  # one's own calendar address
                # one's own choice of text messages and community notices, and the stop link
                "notices.settings", "notices.stop_mine", "notices.stop"}
READ_OUTS = {"exports.index"}  # an export request: who asked for which read-out


def _url(rule, world) -> str:
    ids = {"tenant": world.a.tenant.slug, **world.a.extra[0]}
    missing = [a for a in rule.arguments if a not in ids]
    assert not missing, f"{rule.rule}: no isolation maker for {missing}"
    return ARG_RE.sub(lambda m: str(ids[m.group(1)]), rule.rule)


def _plausible(schema) -> dict:
    """A body that passes ``schema`` as far as types go, so a route that validates before it
    checks permission is still made to decide on the permission."""
    import datetime as dt

    import marshmallow as ma

    schema = schema() if isinstance(schema, type) else schema
    body = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        key = field.data_key or name
        choices = next((v.choices for v in field.validators if isinstance(v, ma.validate.OneOf)), None)
        if choices:
            body[key] = list(choices)[0]
        elif isinstance(field, ma.fields.Boolean):
            body[key] = True
        elif isinstance(field, ma.fields.Integer):
            body[key] = 1
        elif isinstance(field, (ma.fields.Decimal, ma.fields.Float, ma.fields.Number)):
            body[key] = "1.00"
        elif isinstance(field, ma.fields.DateTime):
            body[key] = dt.datetime.now(dt.UTC).isoformat()
        elif isinstance(field, ma.fields.Date):
            body[key] = local_today().isoformat()
        elif isinstance(field, ma.fields.List):
            body[key] = []
        elif isinstance(field, ma.fields.Nested):
            body[key] = _plausible(field.schema)
        elif isinstance(field, ma.fields.Dict):
            body[key] = {}
        else:
            body[key] = "审计员试图修改数据"
    return body


def _json_body(app, rule, method) -> dict:
    view = app.view_functions[rule.endpoint]
    handler = getattr(getattr(view, "view_class", None), method.lower(), view)
    for param in getattr(handler, "_apidoc", {}).get("arguments", {}).get("parameters", []):
        if param.get("in") == "json":
            return _plausible(param["schema"])
    return {}


def _entries(db) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)))


def test_every_write_route_refuses_the_auditor_and_changes_nothing(app, client, db, world, login):
    login(world.a.users.auditor)
    tried = []
    for rule in app.url_map.iter_rules():
        exempt = SELF_SERVICE | READ_OUTS | OPEN_ENDPOINTS | PUBLIC_ENDPOINTS
        unsafe = sorted((rule.methods or set()) & UNSAFE)
        if not unsafe or rule.endpoint in exempt or rule.endpoint == "static":
            continue
        url = _url(rule, world)
        for method in unsafe:
            before = _entries(db)
            if url.startswith("/api/"):
                response = client.open(url, method=method, json={})
                if response.status_code == 422:  # validated before the permission check
                    response = client.open(url, method=method, json=_json_body(app, rule, method))
            else:
                response = client.open(url, method=method, data={})
            assert response.status_code in (403, 404, 405), \
                f"auditor {method} {url} -> {response.status_code}"
            assert _entries(db) == before, f"auditor {method} {url} changed data"
            tried.append(f"{method} {rule.endpoint}")
    assert len(tried) >= 10, tried


def test_an_export_request_records_only_the_request(app, client, db, world, login):
    """The one write an auditor makes: the export row saying who asked for what."""
    login(world.a.users.auditor)
    before = _entries(db)
    client.post(f"/t/{world.a.tenant.slug}/exports", data={"kind": "audit_log", "fmt": "xlsx"})
    new = db.session.scalars(select(AuditEntry.object_type).where(AuditEntry.id > 0)
                             .order_by(AuditEntry.id.desc()).limit(_entries(db) - before)).all()
    assert new and set(new) == {"export"}
