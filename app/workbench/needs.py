"""Needs on the workbench: for an organization's admins and coordinators, needs in their
areas to take on and those in hand; for the resident, their needs and the ones to confirm;
for a volunteer, the wishes they took on in person; for the bureau, needs past their
deadline."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.auth.models import ORG_ROLES, Role, User
from app.extensions import db
from app.navigation import path_for
from app.needs import labels, routing
from app.needs.models import Need, NeedStatus
from app.needs.services import overdue
from app.service.permissions import COORDINATING
from app.tenancy.models import Tenant
from app.workbench.services import SHOWN, Item, Section, Urgency, day


def _count(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def _item(need: Need, slug: str, now: datetime, action: str = "") -> Item:
    late = need.is_overdue(now)
    note = f"{need.area.name} · {labels.STATUS[need.status]}"
    if late:
        note += f" · {labels.OVERDUE}"
    return Item(need.what[:40], path_for("needs.show", tenant=slug, need_id=need.id),
                when=_("Due by %(day)s", day=day(need.due_at)), note=note, action=action,
                urgent=late or need.urgency == "urgent")


def sections(user: User, tenant: Tenant, now: datetime) -> list[Section]:
    roles, slug = user.roles_in(tenant.id), tenant.slug
    found: list[Section] = []
    coordinating = user.org_ids(tenant.id, *COORDINATING)
    if roles & ORG_ROLES and coordinating:
        waiting = routing.open_for(tenant.id, coordinating)
        found.append(Section(
            "needs.open", _("Residents' needs to take on"), _("My organizations"),
            Urgency.WAITING, _count(waiting),
            [_item(n, slug, now, _("Take it on")) for n in db.session.scalars(waiting.limit(SHOWN))],
            more=path_for("needs.queue", tenant=slug), more_label=_("Residents' needs")))
        held = routing.claimed_by(tenant.id, coordinating)
        found.append(Section(
            "needs.claimed", _("Needs you have taken on"), _("My organizations"),
            Urgency.DEADLINE, _count(held),
            [_item(n, slug, now) for n in db.session.scalars(held.limit(SHOWN))],
            more=path_for("needs.queue", tenant=slug), more_label=_("Residents' needs")))
    if Role.BUREAU_OFFICER in roles:
        late = overdue(tenant, now)
        found.append(Section(
            "needs.overdue", _("Overdue needs"), _("Bureau"), Urgency.DEADLINE, _count(late),
            [_item(n, slug, now) for n in db.session.scalars(late.limit(SHOWN))],
            more=path_for("needs.overview_page", tenant=slug), more_label=_("Unmet needs")))
    taken = (select(Need).where(Need.tenant_id == tenant.id, Need.claimed_volunteer_id == user.id,
                                Need.status == NeedStatus.CLAIMED).order_by(Need.due_at))
    if Role.VOLUNTEER in roles and (held := _count(taken)):
        found.append(Section(
            "needs.taken", _("Wishes I took on"), _("Volunteer"), Urgency.DEADLINE, held,
            [_item(n, slug, now, _("Mark as met")) for n in db.session.scalars(taken.limit(SHOWN))],
            more=path_for("needs.mine", tenant=slug), more_label=_("My needs")))
    if roles & {Role.RESIDENT, Role.VOLUNTEER}:
        mine = (select(Need).where(Need.tenant_id == tenant.id,
                                   or_(Need.resident_id == user.id, Need.posted_by_id == user.id),
                                   Need.status != NeedStatus.CONFIRMED)
                .order_by((Need.status == NeedStatus.MET).desc(), Need.due_at))
        found.append(Section(
            "needs.mine", _("My needs"), _("Resident"), Urgency.PLANNED, _count(mine),
            [_item(n, slug, now, _("Confirm and rate") if n.status == NeedStatus.MET else "")
             for n in db.session.scalars(mine.limit(SHOWN))],
            more=path_for("needs.new", tenant=slug), more_label=_("Post a need"),
            empty=_("Nothing you asked for is waiting. Post a need when you need a hand.")))
    return found
