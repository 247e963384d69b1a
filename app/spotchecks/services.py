"""Drawing, re-drawing, checking and publishing spot checks.

The draw is reproducible: the population is the sampler's rows created up to the draw's
cutoff, ordered by id; the sample is ``random.Random(seed).sample`` of it. The seed, size,
count and a SHA-256 of the population ids are recorded, and ``reproduce`` draws again.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.parsing import DateInputError, parse_date
from app.spotchecks.models import ALGORITHM, CheckStatus, Outcome, SpotCheck, SpotCheckItem
from app.spotchecks.samplers import available
from app.tenancy.models import Tenant

MAX_SAMPLE = 500
_SHANGHAI = ZoneInfo("Asia/Shanghai")


class SpotCheckError(ValueError):
    pass


def _population(kind: str, tenant_id: int, params: dict, cutoff) -> list[tuple[int, int | None]]:
    spec = available()[kind]
    stmt = spec.population(tenant_id, params, cutoff).order_by(None)
    rows = db.session.execute(stmt.execution_options(all_tenants=True)).all()
    return sorted((int(r[0]), r[1]) for r in rows)


def digest(ids: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()


def sample(ids: list[int], size: int, seed: str) -> list[int]:
    return random.Random(int(seed)).sample(ids, min(size, len(ids)))


def _clean(kind: str, size: int, params: dict, seed: str | None) -> tuple[dict, str]:
    if kind not in available():
        raise SpotCheckError(_l("Choose what to sample."))
    if not 1 <= size <= MAX_SAMPLE:
        raise SpotCheckError(_l("The sample size must be between 1 and %(max)s.", max=MAX_SAMPLE))
    clean = {}
    for key in ("start", "end"):
        if params.get(key):
            try:
                clean[key] = parse_date(params[key]).isoformat()
            except DateInputError as exc:
                raise SpotCheckError(*exc.args) from None
    if clean.get("start") and clean.get("end") and clean["start"] > clean["end"]:
        raise SpotCheckError(_l("The period starts after it ends."))
    if params.get("org_id"):
        clean["org_id"] = int(params["org_id"])
    seed = (seed or "").strip()
    if seed and (not seed.isdigit() or len(seed) > 18):
        raise SpotCheckError(_l("A seed is a whole number of at most 18 digits."))
    return clean, seed or str(secrets.randbelow(10**12))


def draw(tenant: Tenant, user: User, kind: str, size: int, params: dict,
         seed: str | None = None, *, supersedes: SpotCheck | None = None,
         reason: str = "") -> SpotCheck:
    params, seed = _clean(kind, size, params, seed)
    cutoff = utcnow()
    population = _population(kind, tenant.id, params, cutoff)
    if not population:
        raise SpotCheckError(_l("There is nothing to sample with these criteria."))
    ids = [i for i, _ in population]
    orgs = dict(population)
    check = SpotCheck(tenant_id=tenant.id, kind=kind, params=params, sample_size=size, seed=seed,
                      algorithm=ALGORITHM, population_count=len(ids), population_digest=digest(ids),
                      cutoff_at=cutoff, drawn_by_id=user.id, status=CheckStatus.OPEN,
                      supersedes_id=supersedes.id if supersedes else None, redraw_reason=reason)
    db.session.add(check)
    db.session.flush()
    db.session.add_all(SpotCheckItem(tenant_id=tenant.id, spot_check_id=check.id, position=n,
                                     object_type=kind, object_id=object_id, org_id=orgs[object_id])
                       for n, object_id in enumerate(sample(ids, size, seed), start=1))
    db.session.flush()
    return check


def redraw(check: SpotCheck, user: User, reason: str, tenant: Tenant) -> SpotCheck:
    """A new draw that replaces ``check``, for a stated reason; ``check`` stays on record."""
    reason = (reason or "").strip()
    if check.status == CheckStatus.SUPERSEDED:
        raise SpotCheckError(_l("This sample was already re-drawn; the re-draw is the one to work on."))
    if check.status == CheckStatus.COMPLETED:
        raise SpotCheckError(_l("This spot check is complete; its outcomes stand and cannot be replaced by a new draw."))
    if len(reason) < 10:
        raise SpotCheckError(_l("A re-draw needs a reason (at least 10 characters). The first draw stays on record beside it."))
    check.status = CheckStatus.SUPERSEDED
    db.session.flush()
    return draw(tenant, user, check.kind, check.sample_size, check.params,
                supersedes=check, reason=reason)


def record(item: SpotCheckItem, user: User, outcome: str, note: str) -> SpotCheckItem:
    if item.check.status != CheckStatus.OPEN:
        raise SpotCheckError(_l("This spot check is closed; its outcomes can no longer change."))
    if outcome not in set(Outcome) - {Outcome.PENDING}:
        raise SpotCheckError(_l("Choose what the evidence showed."))
    note = (note or "").strip()
    if outcome != Outcome.MATCHES and len(note) < 5:
        raise SpotCheckError(_l("Describe what did not match or what was missing."))
    item.outcome, item.note, item.checked_by_id, item.checked_at = outcome, note, user.id, utcnow()
    db.session.flush()
    return item


def complete(check: SpotCheck) -> SpotCheck:
    if check.status != CheckStatus.OPEN:
        raise SpotCheckError(_l("This spot check is closed; its outcomes can no longer change."))
    pending = sum(1 for i in check.items if i.outcome == Outcome.PENDING)
    if pending:
        raise SpotCheckError(_l("%(n)s sampled items have no outcome yet.", n=pending))
    check.status, check.completed_at = CheckStatus.COMPLETED, utcnow()
    db.session.flush()
    return check


@dataclass
class Reproduction:
    same_population: bool
    same_sample: bool


def reproduce(check: SpotCheck) -> Reproduction:
    """Draw again from the recorded criteria, cutoff and seed."""
    population = _population(check.kind, check.tenant_id, check.params, check.cutoff_at)
    ids = [i for i, _ in population]
    drawn = [item.object_id for item in check.items]
    return Reproduction(digest(ids) == check.population_digest,
                        sample(ids, check.sample_size, check.seed) == drawn)


@dataclass
class Aggregate:
    year: int
    quarter: int
    kind: str
    checks: int
    redraws: int
    sampled: int
    outcomes: Counter


def aggregates(tenant_id: int) -> list[Aggregate]:
    """Per quarter and kind: how many were checked and what the evidence showed (public)."""
    checks = db.session.execute(
        select(SpotCheck.id, SpotCheck.created_at, SpotCheck.kind, SpotCheck.supersedes_id)
        .where(SpotCheck.tenant_id == tenant_id)).all()
    outcome_rows = db.session.execute(
        select(SpotCheckItem.spot_check_id, SpotCheckItem.outcome, func.count())
        .where(SpotCheckItem.tenant_id == tenant_id)
        .group_by(SpotCheckItem.spot_check_id, SpotCheckItem.outcome)).all()
    per_check: dict[int, Counter] = {}
    for check_id, outcome, n in outcome_rows:
        per_check.setdefault(check_id, Counter())[outcome] += n
    groups: dict[tuple, Aggregate] = {}
    for check_id, created, kind, supersedes in checks:
        local = created.astimezone(_SHANGHAI)
        key = (local.year, (local.month - 1) // 3 + 1, kind)
        agg = groups.setdefault(key, Aggregate(*key, 0, 0, 0, Counter()))
        agg.checks += 1
        agg.redraws += 1 if supersedes else 0
        counts = per_check.get(check_id, Counter())
        agg.sampled += sum(counts.values())
        agg.outcomes.update(counts)
    return [groups[k] for k in sorted(groups, reverse=True)]

