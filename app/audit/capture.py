"""Write an audit entry for every inserted, updated or deleted row, at flush time.

Nothing in a domain has to remember to log: the session does it. Models opt out
with ``__audit__ = False`` (the log itself, the ledger's mirror, inbox messages,
whose own history is elsewhere). Personal numbers are stored masked.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.privacy import mask_id_number, mask_phone

MASKED = {"id_number": mask_id_number, "phone": mask_phone, "resident_phone": mask_phone}
SECRET = {"password_hash", "token_hash", "code_hash"}
SKIP_TABLES = {"audit_entry", "notification", "ledger_outbox", "ledger_txn", "ledger_posting",
               "api_token"}
MAX_TEXT = 500
#: Levels of a JSON value the log keeps; deeper parts are cut (as long texts are).
MAX_DEPTH = 20
CUT = "…"


def _bounded(value: Any, depth: int = 0) -> Any:
    """A JSON column's value as logged: texts cut at ``MAX_TEXT``, nesting at ``MAX_DEPTH``."""
    if isinstance(value, str):
        return value[:MAX_TEXT] + CUT if len(value) > MAX_TEXT else value
    if not isinstance(value, dict | list):
        return value
    if depth >= MAX_DEPTH:
        return CUT
    if isinstance(value, dict):
        return {_bounded(k, depth): _bounded(v, depth + 1) for k, v in value.items()}
    return [_bounded(item, depth + 1) for item in value]


def _plain(name: str, value: Any) -> Any:
    if name in SECRET:
        return "***"
    if name in MASKED and isinstance(value, str):
        return MASKED[name](value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    return _bounded(value)


def _audited(obj: Any) -> bool:
    table = getattr(obj, "__tablename__", None)
    return table is not None and table not in SKIP_TABLES and getattr(obj, "__audit__", True)


def _changes(obj: Any, action: str) -> dict[str, list]:
    state = inspect(obj)
    out: dict[str, list] = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if action == "create":
            value = getattr(obj, attr.key)
            if value is not None:
                out[attr.key] = [None, _plain(attr.key, value)]
        elif action == "delete":
            value = hist.unchanged[0] if hist.unchanged else (hist.deleted[0] if hist.deleted else None)
            out[attr.key] = [_plain(attr.key, value), None]
        elif hist.has_changes():
            before = hist.deleted[0] if hist.deleted else None
            after = hist.added[0] if hist.added else None
            out[attr.key] = [_plain(attr.key, before), _plain(attr.key, after)]
    return out


def _context(session: Session) -> dict[str, Any]:
    ctx: dict[str, Any] = {"actor_id": None, "actor_roles": "", "ip": None, "endpoint": None}
    if has_request_context():
        from flask_login import current_user

        ctx["ip"] = request.remote_addr
        ctx["endpoint"] = (request.endpoint or "")[:120]
        user = current_user._get_current_object() if current_user else None
        if user is not None and getattr(user, "is_authenticated", False):
            ctx["actor_id"] = user.id
            tenant_id = g.get("tenant_id")
            # The roles held when acting: not a grant created by this very change.
            roles = sorted({gr.role for gr in user.grants if gr not in session.new
                            and (tenant_id is None or gr.tenant_id == tenant_id)})
            ctx["actor_roles"] = ",".join(roles)[:200]
    elif g and g.get("audit_actor_id"):
        ctx["actor_id"] = g.audit_actor_id
        ctx["endpoint"] = g.get("audit_endpoint")
    return ctx


def _entry(obj: Any, action: str, changes: dict, ctx: dict, now: dt.datetime) -> dict:
    state = inspect(obj)
    # A row inserted by this flush has no identity yet (it is given after the flush hooks):
    # its primary key is already on the object.
    ident = state.identity or state.mapper.primary_key_from_instance(obj)
    return {"at": now, "tenant_id": getattr(obj, "tenant_id", None), "action": action,
            "object_type": obj.__tablename__,
            "object_id": ",".join(str(i) for i in ident if i is not None),
            "changes": changes, **ctx}


def _write(session: Session, rows: list[dict]) -> None:
    from app.audit.models import AuditEntry

    session.connection().execute(AuditEntry.__table__.insert(), rows)
    if not session.info.get("audit_seal_queued"):
        from workers.audit import SEAL, seal
        from workers.queue import enqueue_after_commit

        session.info["audit_seal_queued"] = True
        enqueue_after_commit(seal, coalesce=SEAL)


def _after_flush(session: Session, flush_context) -> None:
    rows = []
    now = dt.datetime.now(dt.UTC)
    ctx = None
    for action, objects in (("create", session.new), ("update", session.dirty),
                            ("delete", session.deleted)):
        for obj in objects:
            if not _audited(obj):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            ctx = ctx or _context(session)
            rows.append(_entry(obj, action, changes, ctx, now))
    if rows:
        _write(session, rows)


def created(session: Session, obj: Any) -> None:
    """The audit entry of a row inserted without the unit of work (one INSERT in a section
    that holds a lock), the same the flush would have written."""
    _write(session, [_entry(obj, "create", _changes(obj, "create"), _context(session),
                            dt.datetime.now(dt.UTC))])


def _reset(session: Session, *args) -> None:
    session.info.pop("audit_seal_queued", None)


def install() -> None:
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_commit", _reset)
        event.listen(Session, "after_rollback", _reset)


def act_as(user_id: int | None, what: str) -> None:
    """Jobs and CLI commands name the person (or nobody) their changes are made for."""
    g.audit_actor_id = user_id
    g.audit_endpoint = what[:120]
