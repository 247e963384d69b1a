"""Inbox messages about needs: to the organizations a new need is routed to, to the resident
when it is taken on, given back or met, and to the bureau when it is late."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Role, RoleGrant, User
from app.extensions import db
from app.navigation import path_for
from app.needs.models import Need, NeedDecline
from app.needs.routing import routed_org_ids
from app.notifications.services import notify
from app.tenancy.models import Tenant


def _link(need: Need) -> str:
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
        notify(user, title, need.what[:200], link=_link(need), tenant_id=need.tenant_id,
               email=False)


def routed(need: Need) -> None:
    orgs = routed_org_ids(need)
    for user in _holders(need.tenant_id, (Role.ORG_ADMIN, Role.ORG_COORDINATOR), orgs):
        notify(user, _l("A resident's need in your area"), need.what[:200], link=_link(need),
               tenant_id=need.tenant_id, email=False, kind="need.open", subject_id=need.id)


def claimed(need: Need) -> None:
    _to_resident(need, _l("%(org)s has taken on your need", org=need.claimed_org.name))


def declined(need: Need, record: NeedDecline) -> None:
    _to_resident(need, _l("%(org)s gave your need back; it is open for others again",
                          org=record.org.name))


def met(need: Need) -> None:
    _to_resident(need, _l("Your need was met: please confirm it and rate it"))


def escalated(tenant: Tenant, needs: list[Need]) -> None:
    for user in _holders(tenant.id, (Role.BUREAU_OFFICER,)):
        for need in needs:
            notify(user, _l("A need is overdue"), need.what[:200], link=_link(need),
                   tenant_id=tenant.id, email=False, kind="need.overdue", subject_id=need.id)
