"""Trend rules: an organization whose verified hours or residents' satisfaction jump
implausibly from one month to the next (polished numbers, 形式主义)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.extensions import db
from app.oversight.models import Severity
from app.oversight.rules import Hit, ScanContext, anomaly_rule
from app.oversight.sqlfn import local_date, month_of

MIN_RATINGS = 10


def _months(ctx: ScanContext, n: int) -> list[str]:
    """The last ``n`` complete months before the scan, oldest first (``YYYY-MM``)."""
    year, month = ctx.now.year, ctx.now.month
    out = []
    for _ in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(f"{year:04d}-{month:02d}")
    return out[::-1]


@anomaly_rule(
    "trend.hours_jump",
    title=_l("Verified hours jump implausibly"),
    message=_l("Verified hours in %(month)s: %(hours)s, against an average of %(before)s over the three months before."),
    severity=Severity.MEDIUM, tables=("service_record",))
def hours_jump(ctx: ScanContext):
    from app.service.models import ServiceRecord as R

    months = _months(ctx, 4)
    factor = float(ctx.setting("anomaly_jump_factor"))
    floor = int(ctx.setting("anomaly_min_hours")) * 60
    month = month_of(R.activity_date)
    rows = db.session.execute(
        select(R.org_id, month, func.sum(R.minutes))
        .where(R.tenant_id == ctx.tenant_id, R.status == "verified",
               R.activity_date >= date.fromisoformat(f"{months[0]}-01"), month.in_(months))
        .group_by(R.org_id, month))
    per_org: dict[int, dict[str, int]] = defaultdict(dict)
    for org_id, m, minutes in rows:
        per_org[org_id][m] = int(minutes or 0)
    last = months[-1]
    for org_id, by_month in per_org.items():
        now = by_month.get(last, 0)
        before = sum(by_month.get(m, 0) for m in months[:-1]) / 3
        if now >= floor and now > factor * max(before, floor / 3):
            yield Hit(f"org:{org_id}:hours:{last}", org_id, [{"type": "organization", "id": org_id}],
                      {"month": last, "hours": round(now / 60), "before": round(before / 60)})


@anomaly_rule(
    "trend.satisfaction_jump",
    title=_l("Satisfaction jumps implausibly"),
    message=_l("Residents' average rating in %(month)s: %(score)s from %(count)s ratings, against %(before)s before."),
    severity=Severity.LOW, tables=("service_rating",))
def satisfaction_jump(ctx: ScanContext):
    """A month with many ratings averaging ≥ 4.8 after months averaging below 3.5, or a
    month of many ratings that are all perfect (self-reported 100% rates)."""
    from app.service.models import ServiceRating as S

    months = _months(ctx, 4)
    month = month_of(local_date(S.created_at))
    rows = db.session.execute(
        select(S.org_id, month, func.count(S.id), func.sum(S.score), func.min(S.score))
        .where(S.tenant_id == ctx.tenant_id, month.in_(months))
        .group_by(S.org_id, month))
    per_org: dict[int, dict[str, tuple[int, int, int]]] = defaultdict(dict)
    for org_id, m, count, total, lowest in rows:
        per_org[org_id][m] = (int(count), int(total), int(lowest))
    last = months[-1]
    for org_id, by_month in per_org.items():
        if last not in by_month:
            continue
        count, total, lowest = by_month[last]
        if count < MIN_RATINGS:
            continue
        prior = [by_month[m] for m in months[:-1] if m in by_month]
        prior_count = sum(p[0] for p in prior)
        prior_avg = sum(p[1] for p in prior) / prior_count if prior_count else None
        avg = total / count
        jumped = prior_avg is not None and prior_count >= MIN_RATINGS and prior_avg < 3.5 and avg >= 4.8
        if jumped or lowest == 5:
            yield Hit(f"org:{org_id}:satisfaction:{last}", org_id,
                      [{"type": "organization", "id": org_id}],
                      {"month": last, "score": f"{avg:.2f}", "count": count,
                       "before": f"{prior_avg:.2f}" if prior_avg is not None else "—"})
