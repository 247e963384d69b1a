"""我负责的片区 on the workbench of an officer in charge of areas: each area held, with what
waits there today, linking to its part of the page."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from app.areacharge import services as areas
from app.auth.models import User
from app.navigation import path_for
from app.tenancy.models import Tenant
from app.workbench.services import Item, Section, Urgency


def sections(user: User, tenant: Tenant, now: datetime) -> list[Section]:
    held = areas.today(user, tenant.id, now)
    if not held:
        return []
    page = path_for("areacharge.page", tenant=tenant.slug)
    items = [Item(a.area.name, f"{page}#area-{a.area.id}",
                  note=_("%(late)s late · %(soon)s due soon · %(open)s not taken on · "
                         "%(complaints)s complaints", late=a.late.count, soon=a.coming_due.count,
                         open=a.unclaimed.count, complaints=a.complaints.count),
                  action=_("Deal with it") if a.waiting else "", urgent=bool(a.late.count))
             for a in held]
    late = sum(a.late.count for a in held)
    return [Section("areas.mine", _("My areas"), _("Bureau"),
                    Urgency.DEADLINE if late else Urgency.WAITING, sum(a.waiting for a in held),
                    items, more=page, more_label=_("My areas"),
                    empty=_("Nothing waits today in your areas."))]
