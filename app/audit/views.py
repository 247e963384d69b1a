"""Browsing the audit log, one entry's before/after, and the departure report."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_login import login_required

from app.audit import departure, log, present, words
from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.parsing import local_today
from app.permissions import require
from app.tenancy.scoping import current_tenant, get_or_404

bp = Blueprint("audit", __name__, template_folder="templates", url_prefix="/t/<tenant>/audit")


PER_PAGE = 50


@bp.route("/log", endpoint="log")
@login_required
def log_page():
    tenant = current_tenant()
    require("audit.read", tenant)
    flt = log.LogFilter.from_params(request.args)
    stmt = log.log_query(tenant.id, flt)
    before = request.args.get("before", type=int)
    if before:
        stmt = stmt.where(AuditEntry.id < before)
    rows = db.session.scalars(stmt.limit(PER_PAGE + 1)).all()
    older = rows[PER_PAGE - 1].id if len(rows) > PER_PAGE else None
    rows = rows[:PER_PAGE]
    actors = log.names(e.actor_id for e in rows)
    types = sorted(((t, words.object_type(t)) for t in log.object_types(tenant.id)),
                   key=lambda pair: pair[1])
    return render_template("audit/log.html", rows=rows, older=older, flt=flt, actors=actors,
                           people=log.people(tenant.id), types=types
                           ), 400 if flt.refused else 200


@bp.route("/log/<int:audit_entry_id>")
@login_required
def entry(audit_entry_id: int):
    item = get_or_404(AuditEntry, audit_entry_id)
    require("audit.read", item)
    actor = db.session.get(User, item.actor_id) if item.actor_id else None
    return render_template("audit/entry.html", item=item, actor=actor,
                           changes=present.changes(item), object_link=_object_link(item))


def _object_link(item: AuditEntry) -> str | None:
    """The page of the object the entry is about, when it has one and still exists."""
    from app.oversight import evidence, links  # noqa: F401  (registers the detail pages)

    if item.action == "delete" or item.object_type not in evidence.DETAIL \
            or not item.object_id.isdigit():
        return None
    url = evidence.link(item.object_type, item.object_id)
    return None if url == "#" else url


@bp.app_context_processor
def _words():
    return {"audit_words": words, "audit_fields": present.field_list}


@bp.route("/departure", endpoint="departure")
@login_required
def departure_page():
    tenant = current_tenant()
    require("audit.read", tenant)
    people = log.people(tenant.id)
    flt = log.LogFilter.from_params(request.args)
    report = None
    if flt.actor_id:
        person = next((p for p in people if p.id == flt.actor_id), None)
        if person is None:
            abort(404)
        end = flt.end or local_today()
        start = flt.start or date(end.year, 1, 1)
        if start > end:
            start, end = end, start
        report = departure.build(tenant.id, person, start, end)
    return render_template("audit/departure.html", people=people, flt=flt, report=report
                           ), 400 if flt.refused else 200
