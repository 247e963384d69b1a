"""Service-record rules (民政部令第67号): time that cannot have been served, records made
after the deadline, and an organization whose hours are mostly typed in by staff."""

from __future__ import annotations

from collections import defaultdict

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select

from app.extensions import db
from app.oversight.models import Severity
from app.oversight.rules import Hit, ScanContext, anomaly_rule
from app.oversight.sqlfn import greatest, least, minutes_between, quarter_of

TABLES = ("service_record", "shift")
MAX_EVIDENCE = 50


def _models():
    from app.projects.models import Shift
    from app.service.models import ServiceRecord

    return ServiceRecord, Shift


def served_interval():
    """(start, end) of the counted time: check-in/out clipped to the shift, else the shift."""
    record, shift = _models()
    start = greatest(func.coalesce(record.checked_in_at, shift.starts_at), shift.starts_at)
    end = least(func.coalesce(record.checked_out_at, shift.ends_at), shift.ends_at)
    return start, end


@anomaly_rule(
    "service.overlap",
    title=_l("One volunteer in two places at once"),
    message=_l("Service record #%(record)s overlaps record #%(other)s of the same volunteer by %(minutes)s minutes."),
    severity=Severity.HIGH, tables=TABLES)
def overlap(ctx: ScanContext):
    """Two counted intervals of one volunteer overlap (same or different organizations).

    A window over each volunteer's records in start order compares every record with the
    latest end among the ones before it, so the scan is one sort, not a self-join.
    """
    record, shift = _models()
    start, end = served_interval()
    order = (start, record.id)
    inner = (select(record.id.label("id"), record.org_id.label("org_id"),
                    start.label("start"), end.label("end"),
                    func.max(end).over(partition_by=record.user_id, order_by=order,
                                       rows=(None, -1)).label("prev_end"),
                    func.lag(record.id).over(partition_by=record.user_id,
                                             order_by=order).label("prev_id"),
                    func.lag(record.org_id).over(partition_by=record.user_id,
                                                 order_by=order).label("prev_org"))
             .join(shift, shift.id == record.shift_id)
             .where(record.tenant_id == ctx.tenant_id, record.status != "void")
             .subquery())
    overlap_minutes = minutes_between(inner.c.start, least(inner.c.end, inner.c.prev_end))
    stmt = (select(inner.c.id, inner.c.org_id, inner.c.prev_id, inner.c.prev_org, overlap_minutes)
            .where(inner.c.start < inner.c.prev_end))
    for rid, org_id, prev_id, prev_org, minutes in db.session.execute(stmt):
        yield Hit(f"service_record:{rid}", org_id,
                  [{"type": "service_record", "id": rid}, {"type": "service_record", "id": prev_id}],
                  {"record": rid, "other": prev_id, "minutes": round(minutes or 0),
                   "cross_org": prev_org != org_id})


@anomaly_rule(
    "service.beyond_shift",
    title=_l("Hours beyond the shift"),
    message=_l("Record #%(record)s counts %(minutes)s minutes on a shift of %(shift_minutes)s minutes."),
    severity=Severity.HIGH, tables=TABLES)
def beyond_shift(ctx: ScanContext):
    record, shift = _models()
    length = minutes_between(shift.starts_at, shift.ends_at)
    stmt = (select(record.id, record.org_id, record.minutes, length)
            .join(shift, shift.id == record.shift_id)
            .where(record.tenant_id == ctx.tenant_id, record.status != "void",
                   or_(record.minutes > length + 0.5, record.scheduled_minutes > length + 0.5)))
    for rid, org_id, minutes, shift_minutes in db.session.execute(stmt):
        yield Hit(f"service_record:{rid}", org_id, [{"type": "service_record", "id": rid}],
                  {"record": rid, "minutes": minutes, "shift_minutes": round(shift_minutes)})


@anomaly_rule(
    "service.checkin_outside_shift",
    title=_l("Check-in outside the shift"),
    message=_l("Record #%(record)s was checked in %(minutes)s minutes outside its shift."),
    severity=Severity.MEDIUM, tables=TABLES)
def checkin_outside(ctx: ScanContext):
    """Checked in more than the tolerance before the shift began, or after it ended."""
    record, shift = _models()
    tolerance = int(ctx.setting("anomaly_checkin_tolerance_minutes"))
    early = minutes_between(record.checked_in_at, shift.starts_at)
    late = minutes_between(shift.ends_at, record.checked_in_at)
    stmt = (select(record.id, record.org_id, early, late)
            .join(shift, shift.id == record.shift_id)
            .where(record.tenant_id == ctx.tenant_id, record.checked_in_at.is_not(None),
                   record.status != "void", or_(early > tolerance, late > 0)))
    for rid, org_id, early_by, late_by in db.session.execute(stmt):
        yield Hit(f"service_record:{rid}", org_id, [{"type": "service_record", "id": rid}],
                  {"record": rid, "minutes": round(max(early_by or 0, late_by or 0))})


@anomaly_rule(
    "service.late_records",
    title=_l("Records completed after the deadline"),
    message=_l("%(count)s records of %(month)s were completed after the %(days)s-working-day deadline."),
    severity=Severity.MEDIUM, tables=TABLES)
def late_records(ctx: ScanContext):
    """Per organization and month: records verified after the working-day deadline (the
    service domain's late flag, or a verification date past the deadline)."""
    from app.service.hours import local_date, record_deadline

    record, shift = _models()
    days = int(ctx.setting("record_deadline_working_days"))
    # 10 working days are at least 10 calendar days: only those rows need the calendar.
    stmt = (select(record.id, record.org_id, record.is_late, record.verified_at, shift.ends_at)
            .join(shift, shift.id == record.shift_id)
            .where(record.tenant_id == ctx.tenant_id, record.status == "verified",
                   or_(record.is_late.is_(True),
                       minutes_between(shift.ends_at, record.verified_at) > days * 1440)))
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    for rid, org_id, flagged, verified_at, ended in db.session.execute(stmt):
        if flagged or local_date(verified_at) > record_deadline(ended, days):
            groups[(org_id, local_date(ended).strftime("%Y-%m"))].append(rid)
    for (org_id, month), ids in groups.items():
        yield Hit(f"org:{org_id}:{month}", org_id,
                  [{"type": "service_record", "id": i} for i in ids[:MAX_EVIDENCE]],
                  {"count": len(ids), "month": month, "days": days})


@anomaly_rule(
    "service.staff_recorded_share",
    title=_l("Most hours typed in by staff"),
    message=_l("In %(quarter)s, %(percent)s%% of this organization's %(hours)s verified hours were recorded by staff, not by check-in codes."),
    severity=Severity.MEDIUM, tables=TABLES)
def staff_share(ctx: ScanContext):
    """Per organization and quarter: the share of verified minutes typed in by staff (not
    recorded by QR code, nor imported from another system)."""
    record, _ = _models()
    threshold = float(ctx.setting("anomaly_staff_share"))
    quarter = quarter_of(record.activity_date)
    staff = func.sum(case((record.method.not_in(("qr", "import")), record.minutes), else_=0))
    total = func.sum(record.minutes)
    stmt = (select(record.org_id, quarter, staff, total)
            .where(record.tenant_id == ctx.tenant_id, record.status == "verified")
            .group_by(record.org_id, quarter)
            .having(and_(total >= int(ctx.setting("anomaly_min_hours")) * 60,
                         staff > total * threshold)))
    for org_id, q, staff_minutes, total_minutes in db.session.execute(stmt):
        yield Hit(f"org:{org_id}:{q}", org_id, [{"type": "organization", "id": org_id}],
                  {"quarter": q, "percent": round(100 * staff_minutes / total_minutes),
                   "hours": round(total_minutes / 60)})

