"""The departure report (离任经济责任审计): everything one person recorded or approved in
this tenant over a period, from the audit log, with the money they approved.

"Approved" means a change by the person that set an approval field (``approved_by_id``,
``verified_by_id``…) to themselves. Domains add money figures with ``@contribution``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from app.audit.log import day_after, day_start
from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db

APPROVAL_FIELDS = ("approved_by_id", "verified_by_id", "decided_by_id", "resolved_by_id",
                   "reviewed_by_id", "signed_by_id", "disbursed_by_id", "settled_by_id")


@dataclass
class Figure:
    label: Any
    count: int
    amount_fen: int | None = None


Contribution = Callable[[int, int, date, date], list[Figure]]
CONTRIBUTIONS: list[Contribution] = []


def contribution(fn: Contribution) -> Contribution:
    """Register ``fn(tenant_id, user_id, start, end) -> [Figure]`` for the report."""
    if fn not in CONTRIBUTIONS:
        CONTRIBUTIONS.append(fn)
    return fn


@dataclass
class DepartureReport:
    person: User
    start: date
    end: date
    #: object type → Counter of created / changed / deleted / approved
    summary: dict[str, Counter] = field(default_factory=dict)
    total: int = 0
    figures: list[Figure] = field(default_factory=list)


def approved_field(entry: AuditEntry, user_id: int) -> str | None:
    for name in APPROVAL_FIELDS:
        change = (entry.changes or {}).get(name)
        if change and change[1] == user_id and change[0] != user_id:
            return name
    return None


def entries(tenant_id: int, user_id: int, start: date, end: date, batch: int = 2000
            ) -> Iterator[list[AuditEntry]]:
    """The person's entries in id order, in batches (keyset, safe across commits)."""
    last = 0
    while True:
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.tenant_id == tenant_id,
                                     AuditEntry.actor_id == user_id,
                                     AuditEntry.at >= day_start(start),
                                     AuditEntry.at < day_after(end), AuditEntry.id > last)
            .order_by(AuditEntry.id).limit(batch)).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id


def build(tenant_id: int, person: User, start: date, end: date) -> DepartureReport:
    report = DepartureReport(person, start, end)
    summary: dict[str, Counter] = defaultdict(Counter)
    for rows in entries(tenant_id, person.id, start, end):
        for entry in rows:
            summary[entry.object_type][entry.action] += 1
            if entry.action == "update" and approved_field(entry, person.id):
                summary[entry.object_type]["approve"] += 1
            report.total += 1
    report.summary = dict(sorted(summary.items()))
    from app.oversight import contributions  # noqa: F401  (registers the money figures)

    for fn in CONTRIBUTIONS:
        report.figures.extend(fn(tenant_id, person.id, start, end))
    return report
