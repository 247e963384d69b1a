"""The search form's select boxes (service categories, target groups, areas, organizations)
of a tenant, kept in each process: every search page shows them and they rarely change.

A change to an organization, an area or a tenant committed in this process drops them at
once; other processes show the new ones within ``TENANT_CACHE_SECONDS``, as they show a
changed tenant row (0 keeps nothing, as under tests).
"""

from __future__ import annotations

import threading
import time

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session, object_session

from app.extensions import db
from app.orgs.models import Organization, OrgStatus
from app.tenancy.models import Area, Tenant

#: tenant id -> (valid until, choices)
_kept: dict[int, tuple[float, dict]] = {}
_lock = threading.Lock()


def _compute(tenant: Tenant) -> dict:
    from app.tenancy.services import area_choices

    orgs = db.session.execute(select(Organization.id, Organization.name).where(
        Organization.tenant_id == tenant.id, Organization.status == OrgStatus.VERIFIED)
        .order_by(Organization.name)).all()
    return {"categories": tuple(tenant.setting("service_categories")),
            "groups": tuple(tenant.setting("target_groups")),
            "areas": tuple(area_choices(tenant)), "orgs": tuple(tuple(o) for o in orgs)}


def filter_choices(tenant: Tenant) -> dict:
    hit = _kept.get(tenant.id)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    seconds = current_app.config.get("TENANT_CACHE_SECONDS", 0)
    choices = _compute(tenant)
    if seconds:
        with _lock:
            _kept[tenant.id] = (time.monotonic() + seconds, choices)
    return choices


def forget() -> None:
    with _lock:
        _kept.clear()


@event.listens_for(Organization, "after_insert")
@event.listens_for(Organization, "after_update")
@event.listens_for(Organization, "after_delete")
@event.listens_for(Area, "after_insert")
@event.listens_for(Area, "after_update")
@event.listens_for(Area, "after_delete")
@event.listens_for(Tenant, "after_update")
@event.listens_for(Tenant, "after_delete")
def _changed(mapper, connection, target) -> None:
    forget()
    session = object_session(target)
    if session is not None:  # once more at commit: a page made meanwhile saw the old rows
        session.info["gz_choices_changed"] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop("gz_choices_changed", False):
        forget()
