"""A call for proposals (申报通知) started from a cluster of unmet needs: the bureau picks the
needs of one category in an area (and target group), the call's words are drafted from them,
and once it is published the needs are linked to it, so organizations see what residents
asked for and each need's page names its call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.funding.models import Call, Fund
from app.needs.models import UNMET, Need
from app.needs.services import NeedError
from app.tenancy.models import Area, Tenant

#: Most needs one call is started from (the page lists them all).
CLUSTER_MAX = 200


def cluster(tenant: Tenant, area: Area, category: str, group: str = ""):
    """A select of the unmet needs of ``category`` in ``area`` and beneath it (of ``group``
    when given) that no call answers yet, oldest first."""
    stmt = (select(Need).join(Area, Area.id == Need.area_id)
            .where(Need.tenant_id == tenant.id, Need.status.in_([str(s) for s in UNMET]),
                   Need.category == category, Need.call_id.is_(None),
                   Area.path.startswith(area.path, autoescape=False)))
    if group:
        stmt = stmt.where(Need.target_group == group)
    return stmt.order_by(Need.created_at, Need.id).limit(CLUSTER_MAX)


@dataclass(frozen=True)
class Draft:
    title: str
    description: str


def draft(area: Area, category: str, group: str, needs: list[Need]) -> Draft:
    """The call's title and description, written from the needs (the bureau edits them); the
    words of a need are quoted only when its resident allowed it on the wish wall."""
    who = group or _("residents")
    title = _("%(area)s %(category)s for %(group)s (%(n)s residents' needs)", area=area.name,
              category=category, group=who, n=len(needs))
    lines = [_("Residents of %(area)s asked for %(category)s for %(group)s %(n)s times:",
               area=area.name, category=category, group=who, n=len(needs))]
    # A call is public: only the wishes their residents put on the wish wall are quoted.
    shown = [n for n in needs if n.on_wall]
    lines += [f"{i}. {n.what}（{n.area.name}）" for i, n in enumerate(shown, start=1)]
    if len(shown) < len(needs):
        lines.append(_("And %(n)s more, not shown in public.", n=len(needs) - len(shown)))
    return Draft(title[:120], "\n".join(lines)[:5000])


def start_call(fund: Fund, officer, needs: list[Need], *, title: str, category: str,
               description: str, ceiling_fen: int, deadline: date) -> Call:
    """Publish the call (the funding rules) and link the needs to it."""
    from app.funding import funds

    if not needs:
        raise NeedError(_("Choose at least one need."))
    if any(n.tenant_id != fund.tenant_id or n.status not in UNMET or n.call_id is not None
           for n in needs):
        raise NeedError(_("Some of these needs are met or already answered by a call."), 409)
    call = funds.publish_call(fund, officer, title=title, category=category,
                              description=description, ceiling_fen=ceiling_fen,
                              deadline=deadline)
    for need in needs:
        need.call_id = call.id
    db.session.flush()
    return call


@dataclass(frozen=True)
class Behind:
    count: int
    areas: list[str]
    wishes: list[str]


def behind(call: Call) -> Behind:
    """What the public reads of the needs behind a call: how many, where, and the wishes
    their residents put on the wish wall (the rest are counted, not shown)."""
    rows = db.session.execute(select(Need.what, Need.on_wall, Area.name)
                              .join(Area, Area.id == Need.area_id)
                              .where(Need.tenant_id == call.tenant_id, Need.call_id == call.id)
                              .order_by(Need.id)).all()
    areas = sorted({name for _what, _wall, name in rows})
    return Behind(len(rows), areas, [what for what, wall, _name in rows if wall][:50])
