"""What the organizations domain's inbox messages are about: registrations to verify."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.navigation import path_for
from app.notifications.subjects import Subject, names, subject
from app.orgs.models import Organization, OrgStatus
from app.tenancy.models import Tenant


@subject("org.review",
         summary={"org.review": _l("%(n)s organizations await verification")})
def _registrations(kind: str, ids: list[int], viewer_id: int) -> dict[int, Subject]:
    rows = db.session.execute(select(Organization, Tenant.slug)
                              .join(Tenant, Tenant.id == Organization.tenant_id)
                              .where(Organization.id.in_(ids))).all()
    who = names((org.reviewed_by_id for org, _slug in rows), viewer_id)
    found = {}
    for org, slug in rows:
        done = None
        if org.status == OrgStatus.VERIFIED:
            done = _("Verified by %(name)s", name=who.get(org.reviewed_by_id, "—"))
        elif org.status == OrgStatus.REJECTED:
            done = _("Returned by %(name)s", name=who.get(org.reviewed_by_id, "—"))
        found[org.id] = Subject(org.name, path_for("orgs.review", tenant=slug, org_id=org.id),
                                done)
    return found
