"""What the needs domain's inbox messages are about: a need to take on, one coming due, a late
need."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.navigation import path_for
from app.needs.models import Need, NeedStatus
from app.notifications.subjects import Subject, subject
from app.tenancy.models import Tenant


@subject("need.open", "need.due", "need.overdue",
         summary={"need.open": _l("%(n)s residents' needs in your area"),
                  "need.due": _l("%(n)s needs are coming due"),
                  "need.overdue": _l("%(n)s needs are overdue")})
def _needs(kind: str, ids: list[int], viewer_id: int) -> dict[int, Subject]:
    rows = db.session.execute(select(Need, Tenant.slug).join(Tenant, Tenant.id == Need.tenant_id)
                              .where(Need.id.in_(ids))).all()
    found = {}
    for need, slug in rows:
        done = None
        if kind == "need.open" and need.status != NeedStatus.OPEN and need.claimed:
            done = _("Taken on by %(org)s", org=need.claimant_name)
        elif need.status in (NeedStatus.MET, NeedStatus.CONFIRMED):
            done = _("Met")
        label = need.what if len(need.what) <= 30 else need.what[:30] + "…"
        found[need.id] = Subject(label, path_for("needs.show", tenant=slug, need_id=need.id),
                                 done)
    return found
