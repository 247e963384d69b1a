"""Drawing a return-visit sample and recording the visits.

The draw is the spot checks' (``app.spotchecks.services``): the population is the tenant's
attendances recorded as come, up to the draw's cutoff, ordered by id; the sample is
``random.Random(seed).sample`` of their ids; the seed, size, count and a SHA-256 of the ids
are kept, and ``reproduce`` draws again. Only ids are read for the population, so a draw
among 100,000 served residents stays small in memory.

A visit is taken by one bureau officer (who alone then sees the resident's full phone
number) and recorded by them: by phone or at the door, reached or not; if reached, whether
the resident confirms being served and how satisfied they are (1–5). A visit that did not
reach the resident may be tried again; one that did is final.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.attendance.models import SlotAttendance
from app.audit.log import day_after, day_start
from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.inbound import text_problem
from app.parsing import DateInputError, parse_date
from app.projects.models import ServiceSlot
from app.returnvisits.models import REMARKS_MAX, ReturnVisit, ReturnVisitSample, VisitMethod
from app.spotchecks.models import ALGORITHM
from app.spotchecks.services import MAX_SAMPLE, digest, sample
from app.tenancy.models import Tenant


class VisitError(ValueError):
    """A refused action, with a message for the officer and an HTTP status."""

    def __init__(self, message, status: int = 422):
        super().__init__(str(message))
        self.status = status


def _population(tenant_id: int, params: dict, cutoff: datetime):
    """The attendances recorded as come that the criteria name, as of ``cutoff``."""
    stmt = select(SlotAttendance.id).where(
        SlotAttendance.tenant_id == tenant_id, SlotAttendance.attended.is_(True),
        SlotAttendance.created_at <= cutoff)
    if params.get("org_id"):
        stmt = stmt.where(SlotAttendance.org_id == int(params["org_id"]))
    if params.get("start") or params.get("end"):
        stmt = stmt.join(ServiceSlot, ServiceSlot.id == SlotAttendance.slot_id)
        if params.get("start"):
            stmt = stmt.where(ServiceSlot.starts_at >= day_start(date.fromisoformat(params["start"])))
        if params.get("end"):
            stmt = stmt.where(ServiceSlot.starts_at < day_after(date.fromisoformat(params["end"])))
    return stmt


def population_ids(tenant_id: int, params: dict, cutoff: datetime) -> list[int]:
    """The population's ids in order, read as plain values (no ORM rows: half the time over
    100,000 of them)."""
    stmt = _population(tenant_id, params, cutoff).order_by(SlotAttendance.id)
    return db.session.connection().execute(stmt).scalars().all()


def population_count(tenant_id: int, params: dict, cutoff: datetime) -> int:
    """How many residents' services the criteria name (what a draw picks from)."""
    return int(db.session.scalar(select(func.count()).select_from(
        _population(tenant_id, params, cutoff).subquery())) or 0)


def clean(size: int, params: dict, seed: str | None) -> tuple[dict, str]:
    if not 1 <= (size or 0) <= MAX_SAMPLE:
        raise VisitError(_l("The sample size must be between 1 and %(max)s.", max=MAX_SAMPLE))
    out = {}
    for key in ("start", "end"):
        if params.get(key):
            try:
                out[key] = parse_date(str(params[key])).isoformat()
            except DateInputError as exc:
                raise VisitError(*exc.args) from None
    if out.get("start") and out.get("end") and out["start"] > out["end"]:
        raise VisitError(_l("The period starts after it ends."))
    if params.get("org_id"):
        out["org_id"] = int(params["org_id"])
    seed = (seed or "").strip()
    if seed and (not seed.isdigit() or len(seed) > 18):
        raise VisitError(_l("A seed is a whole number of at most 18 digits."))
    return out, seed or str(secrets.randbelow(10**12))


def draw(tenant: Tenant, officer: User, size: int, params: dict,
         seed: str | None = None) -> ReturnVisitSample:
    """Draw ``size`` served residents' services to visit, reproducibly."""
    params, seed = clean(size, params, seed)
    cutoff = utcnow()
    ids = population_ids(tenant.id, params, cutoff)
    if not ids:
        raise VisitError(_l("Nobody is recorded as served with these criteria."))
    drawn = sample(ids, size, seed)
    row = ReturnVisitSample(tenant_id=tenant.id, params=params, sample_size=size, seed=seed,
                            algorithm=ALGORITHM, population_count=len(ids),
                            population_digest=digest(ids), cutoff_at=cutoff,
                            drawn_by_id=officer.id)
    db.session.add(row)
    db.session.flush()
    found = {a.id: a for a in db.session.scalars(select(SlotAttendance).where(
        SlotAttendance.id.in_(drawn)))}
    db.session.add_all(
        ReturnVisit(tenant_id=tenant.id, org_id=found[i].org_id, sample_id=row.id,
                    position=n, attendance_id=i, slot_id=found[i].slot_id,
                    resident_id=found[i].user_id)
        for n, i in enumerate(drawn, start=1))
    db.session.flush()
    return row


@dataclass
class Reproduction:
    same_population: bool
    same_sample: bool


def reproduce(row: ReturnVisitSample) -> Reproduction:
    """Draw again from the recorded criteria, cutoff and seed."""
    ids = population_ids(row.tenant_id, row.params, row.cutoff_at)
    drawn = [visit.attendance_id for visit in row.visits]
    return Reproduction(digest(ids) == row.population_digest,
                        sample(ids, row.sample_size, row.seed) == drawn)


def take(visit: ReturnVisit, officer: User, now: datetime | None = None) -> ReturnVisit:
    """The officer takes the visit on: from now on they see the full phone number."""
    if visit.visited_by_id not in (None, officer.id):
        raise VisitError(_l("Another officer is doing this visit."), 409)
    if visit.reached:
        raise VisitError(_l("This visit is recorded."), 409)
    if visit.visited_by_id is None:
        visit.visited_by_id, visit.taken_at = officer.id, now or utcnow()
        db.session.flush()
    return visit


def record(visit: ReturnVisit, officer: User, *, method: str, reached: bool,
           confirmed: bool | None = None, satisfaction: int | None = None,
           remarks: str = "", now: datetime | None = None) -> ReturnVisit:
    """What the visit found. Not reached: may be tried again; reached: final."""
    if visit.visited_by_id != officer.id:
        raise VisitError(_l("Take this visit on before recording it."), 403)
    if visit.reached:
        raise VisitError(_l("This visit is recorded."), 409)
    if method not in set(VisitMethod):
        raise VisitError(_l("Say whether you phoned or visited at the door."))
    remarks = (remarks or "").strip()
    if len(remarks) > REMARKS_MAX:
        raise VisitError(_l("Please keep it to %(n)s characters.", n=REMARKS_MAX))
    if remarks and (problem := text_problem(remarks)):
        raise VisitError(problem)
    if reached:
        if confirmed is None:
            raise VisitError(_l("Say whether the resident confirms being served."))
        if satisfaction is not None and satisfaction not in range(1, 6):
            raise VisitError(_l("Satisfaction is from 1 to 5."))
        if not confirmed:
            satisfaction = None  # nothing to be satisfied with
        if not confirmed and not remarks:
            raise VisitError(_l("Write down what the resident said."))
    else:
        confirmed = satisfaction = None
    visit.method, visit.reached, visit.confirmed = method, reached, confirmed
    visit.satisfaction, visit.remarks, visit.visited_at = satisfaction, remarks, now or utcnow()
    db.session.flush()
    return visit


@dataclass
class Progress:
    visited: int
    reached: int
    denied: int


def progress(sample_ids: list[int]) -> dict[int, Progress]:
    """Per sample: visits made, residents reached, denials."""
    if not sample_ids:
        return {}
    rows = db.session.execute(
        select(ReturnVisit.sample_id, func.count(ReturnVisit.visited_at),
               func.count(ReturnVisit.id).filter(ReturnVisit.reached.is_(True)),
               func.count(ReturnVisit.id).filter(ReturnVisit.confirmed.is_(False)))
        .where(ReturnVisit.sample_id.in_(sample_ids)).group_by(ReturnVisit.sample_id))
    return {sid: Progress(int(v), int(r), int(d)) for sid, v, r, d in rows}
