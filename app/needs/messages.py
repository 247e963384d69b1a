"""Inbox messages about needs: to the organizations a new need is routed to, to the resident
when it is taken on, given back or met, to whoever holds it as its deadline nears, and, once
it is late, to the staff of each area it climbs to and last to the bureau."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Role, RoleGrant, User
from app.extensions import db
from app.navigation import path_for
from app.needs.models import Need, NeedDecline, NeedStatus
from app.needs.routing import routed_org_ids
from app.notifications.services import notify
from app.tenancy.models import Tenant


def link_of(need: Need) -> str:
    slug = db.session.get(Tenant, need.tenant_id).slug
    return path_for("needs.show", tenant=slug, need_id=need.id)


def _holders(tenant_id: int, roles, org_ids: set[int] | None = None) -> list[User]:
    stmt = select(User).join(RoleGrant).where(
        RoleGrant.tenant_id == tenant_id, RoleGrant.role.in_([str(r) for r in roles]),
        User.active.is_(True)).distinct()
    if org_ids is not None:
        stmt = stmt.where(RoleGrant.org_id.in_(org_ids or {-1}))
    return list(db.session.scalars(stmt))


def _to_resident(need: Need, title) -> None:
    people = {need.resident_id, need.posted_by_id} - {None}
    for user in db.session.scalars(select(User).where(User.id.in_(people))):
        notify(user, title, need.what[:200], link=link_of(need), tenant_id=need.tenant_id,
               email=False)


def routed(need: Need) -> None:
    orgs = routed_org_ids(need)
    for user in _holders(need.tenant_id, (Role.ORG_ADMIN, Role.ORG_COORDINATOR), orgs):
        notify(user, _l("A resident's need in your area"), need.what[:200], link=link_of(need),
               tenant_id=need.tenant_id, email=False, kind="need.open", subject_id=need.id)


def claimed(need: Need) -> None:
    if need.claimed_volunteer is not None:
        _to_resident(need, _l("Volunteer %(name)s has taken on your wish",
                              name=need.claimed_volunteer.name))
    else:
        _to_resident(need, _l("%(org)s has taken on your need", org=need.claimed_org.name))


def declined(need: Need, record: NeedDecline) -> None:
    who = record.org.name if record.org is not None else (
        record.declined_by.name if record.declined_by else "")
    _to_resident(need, _l("%(org)s gave your need back; it is open for others again", org=who))


def holders(need: Need) -> list[User]:
    """Who has the need in hand: the volunteer, the claiming organization's admins and
    coordinators, or, while it is open, those of the organizations it is routed to."""
    if need.claimed_volunteer_id is not None:
        return [need.claimed_volunteer]
    orgs = {need.claimed_org_id} if need.claimed_org_id else routed_org_ids(need)
    return _holders(need.tenant_id, (Role.ORG_ADMIN, Role.ORG_COORDINATOR), orgs)


def _where(need: Need) -> str:
    """The body of a reminder or an escalation: where, what kind, for whom (the wish itself
    is the message's subject)."""
    return f"{need.area.name} · {need.category} · {need.target_group}"


def reminder(need: Need) -> None:
    from app.parsing import SHANGHAI

    day = need.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d")
    title = (_l("A need you took on is due by %(day)s", day=day)
             if need.status == NeedStatus.CLAIMED
             else _l("A resident's need in your area is still waiting, due by %(day)s", day=day))
    for user in holders(need):
        notify(user, title, _where(need), link=link_of(need), tenant_id=need.tenant_id,
               email=False, kind="need.due", subject_id=need.id)


def met(need: Need) -> None:
    _to_resident(need, _l("Your need was met: please confirm it and rate it"))


def escalated(need: Need, area, people: list[User]) -> None:
    """Tell ``people`` (the staff in charge of ``area``, or the bureau when it is None)."""
    title = (_l("A need in %(area)s is overdue", area=area.name) if area is not None
             else _l("A need is overdue"))
    for user in people:
        notify(user, title, _where(need), link=link_of(need), tenant_id=need.tenant_id,
               email=False, kind="need.overdue", subject_id=need.id)
