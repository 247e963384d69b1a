"""The statements behind ``places``: each kind of fact (records, attendance, slots, ratings,
complaints, needs) read once, in one statement, at the grain its figures need — per project
where the project's groups count (hours, volunteers, slots), else per area and person's group
(people served, ratings, complaints, needs), the people of each row gathered into one value —
then placed in Python under its area and its groups. The roll-up of the area tree and the
district's row are ``places``' (people kept as sets, so a volunteer of two communities is one
volunteer of their street and of the district).

Nothing here joins a fact to the area tree: a statement's cost follows the facts, not the
depth or breadth of the tree, and the number of statements is fixed. At 200 communities and
100,000 records of 20,000 volunteers, pairing each person with every area above theirs in SQL
took seven times the dashboard's own figures; gathered and rolled up here, about twice.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, case, func, or_, select, text, true

from app.audit.log import day_after, day_start
from app.extensions import db
from app.oversight.sqlfn import dialect, gathered, ids_in

CARRY = ("carry-out", "carry-in")


@dataclass(frozen=True)
class Period:
    tenant_id: int
    start: date | None
    end: date | None
    now: datetime

    def days(self, column) -> list:
        return ([column >= self.start] if self.start else []) + \
            ([column <= self.end] if self.end else [])

    def moments(self, column) -> list:
        return ([column >= day_start(self.start)] if self.start else []) + \
            ([column < day_after(self.end)] if self.end else [])


def _models():
    from app.attendance.models import SlotAttendance
    from app.complaints.models import Complaint
    from app.needs.models import Need
    from app.projects.models import Project, ServiceSlot, Shift, SlotBooking
    from app.residents.models import ResidentProfile
    from app.service.models import ServiceRating, ServiceRecord

    return dict(record=ServiceRecord, shift=Shift, project=Project, slot=ServiceSlot,
                attendance=SlotAttendance, booking=SlotBooking, rating=ServiceRating,
                complaint=Complaint, need=Need, profile=ResidentProfile)


def plan_plainly() -> None:
    """On PostgreSQL, for the rest of this transaction: no JIT compilation (these statements
    run in a fraction of a second; compiling them took longer than running them), and room
    for the (project, person) pairs to be gathered in memory rather than on disk."""
    if dialect() == "postgresql":
        db.session.execute(text("SET LOCAL jit = off"))
        db.session.execute(text("SET LOCAL work_mem = '64MB'"))


@dataclass
class Tally:
    """Figures before they are placed: sums by figure, and the people (a set of user ids) of
    each figure that counts people."""

    sums: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    people: dict[str, set] = field(default_factory=lambda: defaultdict(set))

    def put(self, fact: Fact, people: set | None, sums: tuple) -> None:
        """Add one row of ``fact``: its people and its sums."""
        if people:
            self.people[fact.person] |= people
        for name, value in zip(fact.sums, sums, strict=True):
            self.sums[name] += value or 0

    def add(self, other: Tally) -> None:
        for name, value in other.sums.items():
            self.sums[name] += value
        for name, who in other.people.items():
            self.people[name] |= who


@dataclass(frozen=True)
class Fact:
    """One statement's rows: ``place`` (a project id if ``by_project``, else an area id),
    ``grp`` (the person's or need's group; absent: the project's named groups count), ``who``
    (the person counted in the figure ``person``), then the sums named as figures."""

    stmt: object
    by_project: bool
    sums: tuple[str, ...]
    person: str | None = None
    grouped: bool = False


def _shape(base, place, sums: dict, *, grp=None, who=None):
    """``base`` (a select's FROM and WHERE) giving, per ``place`` and ``grp``, every ``who``
    (gathered in one value: a few thousand rows reach Python, not one per person) and the
    sums."""
    keys = [place.label("place")] + ([grp.label("grp")] if grp is not None else [])
    people = [gathered(who).label("who")] if who is not None else []
    return (base.with_only_columns(*keys, *people, *(agg.label(n) for n, agg in sums.items()))
            .group_by(*keys))


def _person_group(m, declared):
    """A person's group: theirs on the district's roll (joined only where it names one), else
    what they declared booking."""
    return func.coalesce(m["profile"].target_group, declared)


def _facts(p: Period) -> list[Fact]:
    m = _models()
    r, sh, pr, sl, at, bk = (m[k] for k in ("record", "shift", "project", "slot", "attendance",
                                             "booking"))
    ra, co, ne, pf = m["rating"], m["complaint"], m["need"], m["profile"]
    t = p.tenant_id
    unmet = ne.status.in_(("open", "claimed"))
    posted_in = p.moments(ne.created_at)
    met_in = [ne.status.in_(("met", "confirmed")), ne.met_at.is_not(None), *p.moments(ne.met_at)]
    group = _person_group(m, bk.declared_group)

    def roll(person):  # the person's group on the district's roll, if they have one
        return and_(pf.tenant_id == t, pf.user_id == person, pf.target_group != "")

    def declared(booking_id):  # only bookings that declared a group: a small table to hash
        return and_(bk.id == booking_id, bk.declared_group.is_not(None))

    def flag(conds: list):
        return func.sum(case((and_(*conds) if conds else true(), 1), else_=0))

    records = (select(r.id).outerjoin(sh, sh.id == r.shift_id)
               .where(r.tenant_id == t, r.status == "verified", *p.days(r.activity_date)))
    served = (select(at.id).join(sl, sl.id == at.slot_id).join(pr, pr.id == sl.project_id)
              .outerjoin(bk, declared(at.booking_id))
              .outerjoin(pf, roll(at.user_id))
              .where(at.tenant_id == t, at.attended.is_(True), *p.moments(sl.starts_at)))
    slots = select(sl.id).where(sl.tenant_id == t, sl.cancelled_at.is_(None),
                                sl.starts_at <= p.now, *p.moments(sl.starts_at))
    ratings = (select(ra.id).join(bk, bk.id == ra.booking_id).join(sl, sl.id == bk.slot_id)
               .join(pr, pr.id == sl.project_id).outerjoin(pf, roll(ra.user_id)).where(ra.tenant_id == t, *p.moments(ra.created_at)))
    complaints = (select(co.id).outerjoin(bk, declared(co.booking_id))
                  .outerjoin(pf, roll(co.user_id))
                  .where(co.tenant_id == t, *p.moments(co.created_at)))
    needs = select(ne.id).where(ne.tenant_id == t)
    if posted_in:  # a period: only the needs posted or met in it
        needs = needs.where(or_(and_(*posted_in), and_(*met_in)))
    return [
        Fact(_shape(records, sh.project_id, {"verified_minutes": func.sum(r.minutes)},
                    who=r.user_id), True, ("verified_minutes",), "volunteers"),
        Fact(_shape(served, pr.area_id, {}, grp=group, who=at.user_id), False, (),
             "people_served", grouped=True),
        Fact(_shape(slots, sl.project_id, {"slots_held": func.count()}), True, ("slots_held",)),
        Fact(_shape(ratings, pr.area_id, {"ratings": func.count(),
                                          "rating_sum": func.sum(ra.score)}, grp=group),
             False, ("ratings", "rating_sum"), grouped=True),
        Fact(_shape(complaints, co.area_id, {"complaints": func.count()}, grp=group), False,
             ("complaints",), grouped=True),
        Fact(_shape(needs, ne.area_id, {"needs_posted": flag(posted_in), "needs_met": flag(met_in),
                                        "needs_overdue": flag([*posted_in, unmet,
                                                               ne.due_at < p.now])},
                    grp=ne.target_group),
             False, ("needs_posted", "needs_met", "needs_overdue"), grouped=True),
    ]


def projects(tenant_id: int) -> dict[int, tuple[int | None, tuple[str, ...], int | None]]:
    """{project id: (its area, the groups it names, its contract)}."""
    pr = _models()["project"]
    return {pid: (area_id, tuple(g for g in (named or []) if isinstance(g, str) and g),
                  contract_id)
            for pid, area_id, named, contract_id in db.session.execute(
                select(pr.id, pr.area_id, pr.target_groups, pr.contract_id)
                .where(pr.tenant_id == tenant_id))}


def _plain_rows(stmt) -> list[tuple]:
    """``stmt``'s rows as the driver gives them: ids, counts, group names and gathered ids,
    which need no conversion (a result row per row costs more than the statement)."""
    result = db.session.connection().execute(stmt)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def _read(fact: Fact) -> list[tuple]:
    """``fact``'s rows as (place, group, people or None, sums in ``fact.sums``' order)."""
    grouped, person = fact.grouped, fact.person is not None
    out = []
    for row in _plain_rows(fact.stmt):
        rest = row[2:] if grouped else row[1:]
        out.append((row[0], row[1] if grouped else None, ids_in(rest[0]) if person else None,
                    rest[1:] if person else rest))
    return out


@dataclass
class Placed:
    """Each area's own figures (None: no area; not yet the areas under it) and each group's
    (None: no group)."""

    areas: dict = field(default_factory=lambda: defaultdict(Tally))
    groups: dict = field(default_factory=lambda: defaultdict(Tally))


def placed(p: Period, projects: dict) -> Placed:
    """Every fact of the period under its area and its groups: a project's facts
    under the project's area; hours, slots and volunteers under each group the project names;
    people served, ratings and complaints under the person's group; needs under their own."""
    out = Placed()
    _place(out, _facts(p), projects)
    return out


@contextmanager
def collector_paused():
    """The cyclic garbage collector off while the figures are built: the people's sets hold no
    cycles, and the passes it made over every object of the process as they grew (each pass
    over all of them) took as long as the statements."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _place(out: Placed, facts: list[Fact], projects: dict) -> None:
    for fact in facts:
        for place, grp, people, sums in _read(fact):
            area, named, _ = projects.get(place, (None, (), None)) if fact.by_project \
                else (place, (), None)
            out.areas[area].put(fact, people, sums)
            for name in ((grp or None,) if fact.grouped else (named or (None,))):
                out.groups[name].put(fact, people, sums)


def contract_money(p: Period) -> dict[int, tuple[int, int]]:
    """{contract id: (已拨付, 已支出)} in fen. Without a period: ``app.funding.figures``'
    definitions over the books' balances; with one, the same identities over the period's
    postings (已支出 = the contract's expense accounts; 已拨付 = what the contract account
    gained + 已支出 + 已退回)."""
    if "ledger_posting" not in db.metadata.tables:
        return {}
    if p.start is None and p.end is None:
        from app.oversight import money

        books = money.load(p.tenant_id)
        return {cid: (m.disbursed, m.spent) for cid, m in books.contracts.items()}
    from app.books.models import LedgerPosting as P
    from app.books.models import LedgerTxn as T

    cash = P.account.like("Assets:FY%:Org:O%:C%:Cash")
    spent = P.account.like("Expenses:FY%:Org:O%:C%:%")
    refunded = P.account.like("Assets:FY%:Fund:F%:Refunded")
    rows = db.session.execute(
        select(P.contract_id, func.sum(case((cash, P.amount), else_=0)),
               func.sum(case((spent, P.amount), else_=0)),
               func.sum(case((refunded, P.amount), else_=0)))
        .join(T, T.id == P.ledger_txn_id)
        .where(P.tenant_id == p.tenant_id, P.commodity == "CNY", P.contract_id.is_not(None),
               T.kind.not_in(CARRY), *p.days(T.date))
        .group_by(P.contract_id))
    return {cid: (int(c or 0) + int(s or 0) + int(r or 0), int(s or 0))
            for cid, c, s, r in rows}
