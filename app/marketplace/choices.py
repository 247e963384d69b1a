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
from markupsafe import Markup, escape
from sqlalchemy import event, select
from sqlalchemy.orm import Session, object_session

from app.extensions import db
from app.orgs.models import Organization, OrgStatus
from app.tenancy.models import Area, Tenant

#: tenant id -> (valid until, choices)
_kept: dict[int, tuple[float, dict]] = {}
_lock = threading.Lock()


def _options(pairs) -> Markup:
    """``<option>`` elements, written once: a search page would otherwise escape some
    hundred labels and values on every request."""
    return Markup("".join(f'<option value="{escape(value)}">{escape(label)}</option>'
                          for value, label in pairs))


def selected(options: Markup, value) -> Markup:
    """``options`` with the one whose value is ``value`` selected."""
    if value is None or value == "":
        return options
    mark = f'<option value="{escape(value)}">'
    return Markup(str(options).replace(mark, mark[:-1] + " selected>", 1))


def _compute(tenant: Tenant) -> dict:
    from app.tenancy.services import area_choices

    orgs = db.session.execute(select(Organization.id, Organization.name).where(
        Organization.tenant_id == tenant.id, Organization.status == OrgStatus.VERIFIED)
        .order_by(Organization.name)).all()
    categories = tenant.setting("service_categories")
    groups = tenant.setting("target_groups")
    return {"categories": _options((c, c) for c in categories),
            "groups": _options((g, g) for g in groups),
            "areas": _options(area_choices(tenant)), "orgs": _options(orgs)}


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
