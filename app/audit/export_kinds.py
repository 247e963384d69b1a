"""Exports of the audit log (a filtered extract) and of the departure report."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.audit import departure, log, words
from app.audit.models import AuditEntry
from app.auth.models import User
from app.exports.registry import ExportError, exporter
from app.exports.writers import Sheet, write_pdf, write_xlsx
from app.extensions import db
from app.oversight.labels import ACTION
from app.parsing import local_today, parse_date

BATCH = 2000


def _filter(params: dict) -> log.LogFilter:
    flt = log.LogFilter.from_params(params)
    if flt.refused:
        raise ExportError(flt.refused[0])
    return flt


def _log_params(tenant, params: dict) -> dict:
    return _filter(params).params()


def _departure_params(tenant, params: dict) -> dict:
    flt = _filter(params)
    if not flt.actor_id or flt.actor_id not in {u.id for u in log.people(tenant.id)}:
        raise ExportError(_l("Choose a person who acted in this district."))
    end = flt.end or local_today()
    start = flt.start or date(end.year, 1, 1)
    if start > end:
        raise ExportError(_l("The period starts after it ends."))
    return {"actor_id": flt.actor_id, "start": start.isoformat(), "end": end.isoformat()}


def _entry_row(e: AuditEntry, names: dict[int, str]) -> list:
    changes = "; ".join(f"{words.field(k, e.object_type)}: {v[0]!s} → {v[1]!s}"
                        for k, v in sorted((e.changes or {}).items()) if k not in words.TECHNICAL)
    return [e.id, log.localtime_text(e.at), names.get(e.actor_id, "") if e.actor_id else _("System"),
            words.roles(e.actor_roles), str(ACTION.get(e.action, e.action)),
            words.object_type(e.object_type), e.object_id, changes[:32000],
            e.ip or "", e.endpoint or "", e.seq or "", e.hash or ""]


def _headers() -> list[str]:
    return [_("Entry"), _("When"), _("Done by"), _("Role"), _("Action"), _("Object type"),
            _("Object number"), _("Before → after"), _("IP address"), _("Page or job"),
            _("Chain position"), _("Chain hash")]


def _batched(job, stmt, total: int):
    """Rows of ``stmt`` (ordered by id) in keyset batches, reporting progress between them."""
    last, done = 0, 0
    while True:
        rows = db.session.scalars(stmt.where(AuditEntry.id > last).limit(BATCH)).all()
        if not rows:
            return
        names = log.names(e.actor_id for e in rows)
        for e in rows:
            yield _entry_row(e, names)
        last, done = rows[-1].id, done + len(rows)
        job.progress(done, total)


@exporter("audit_log", title=_l("Audit log extract"), formats=("xlsx",), validate=_log_params)
def audit_log(job) -> None:
    flt = log.LogFilter.from_params(job.params)
    stmt = log.log_query(job.tenant.id, flt).order_by(None).order_by(AuditEntry.id)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    job.export.rows = write_xlsx(job.path, [Sheet(_("Audit log"), _headers(), _batched(job, stmt, total),
                                                  widths=[8, 18, 12, 16, 8, 14, 10, 80])],
                                 meta=[[job.tenant.name, _("Audit log extract")]])


@exporter("departure_report", title=_l("Departure report"), formats=("xlsx", "pdf"),
          validate=_departure_params)
def departure_report(job) -> None:
    params = job.params
    person = db.session.get(User, params["actor_id"])
    start, end = parse_date(params["start"]), parse_date(params["end"])
    report = departure.build(job.tenant.id, person, start, end)
    summary = [[words.object_type(t), c["create"], c["update"], c["delete"], c["approve"]]
               for t, c in report.summary.items()]
    figures = [[str(f.label), f.count, None if f.amount_fen is None else f.amount_fen / 100]
               for f in report.figures]
    period = f"{start.isoformat()} – {end.isoformat()}"
    if job.fmt == "pdf":
        rows = [_entry_row(e, {person.id: person.name}) for batch in
                departure.entries(job.tenant.id, person.id, start, end) for e in batch]
        write_pdf(job.path, "audit/departure_pdf.html", tenant=job.tenant, report=report,
                  summary=summary, rows=rows, period=period, label=words.object_type)
        job.export.rows = len(rows)
        return
    stmt = (select(AuditEntry).where(AuditEntry.tenant_id == job.tenant.id,
                                     AuditEntry.actor_id == person.id,
                                     AuditEntry.at >= log.day_start(start),
                                     AuditEntry.at < log.day_after(end))
            .order_by(AuditEntry.id))
    meta = [[job.tenant.name, _("Departure report")], [_("Person"), person.name, f"#{person.id}"],
            [_("Time period"), period], [_("Recorded actions"), report.total]]
    sheets = [Sheet(_("Summary"), [_("Object type"), _("Created"), _("Changed"), _("Deleted"),
                                   _("Approved")], summary, widths=[24, 10, 10, 10, 10])]
    if figures:
        sheets.append(Sheet(_("Money and service"), [_("Approved or recorded"), _("Count"),
                                                     _("Amount (yuan)")], figures, widths=[36, 10, 16]))
    sheets.append(Sheet(_("Entries"), _headers(), _batched(job, stmt, report.total),
                        widths=[8, 18, 12, 16, 8, 14, 10, 80]))
    job.export.rows = write_xlsx(job.path, sheets, meta=meta)
