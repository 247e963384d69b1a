"""Isolation makers for projects, shifts, slots and closing evidence; public and open
marketplace endpoints."""

from __future__ import annotations

from tests.isolation import OPEN_ENDPOINTS, PUBLIC_ENDPOINTS, maker


def _project(org):
    from tests.projects.factories import ProjectFactory

    return ProjectFactory(org=org, name=f"{org.name}的项目")


@maker("project_id")
def _project_id(world, org):
    return _project(org).id


@maker("shift_id")
def _shift(world, org):
    from tests.projects.factories import shift

    return shift(_project(org)).id


@maker("slot_id")
def _slot(world, org):
    from tests.projects.factories import slot

    return slot(_project(org)).id


@maker("evidence_id")
def _evidence(world, org):
    from app.extensions import db
    from app.projects.models import ProjectEvidence

    project = _project(org)
    photo = ProjectEvidence(tenant_id=org.tenant_id, org_id=org.id, project_id=project.id,
                            file_key=f"{org.tenant_id}/projects/{project.id}/x.png", mime="image/png")
    db.session.add(photo)
    db.session.flush()
    return photo.id


PUBLIC_ENDPOINTS.update({"marketplace.search", "marketplace.project", "marketplace.cover"})
OPEN_ENDPOINTS.update({
    "marketplace.sign_up", "marketplace.book", "marketplace.withdraw_shift",
    "marketplace.withdraw_slot", "marketplace.shift_ics", "marketplace.slot_ics",
    "marketplace.my_shifts", "marketplace.my_bookings"})
PUBLIC_ENDPOINTS.update({"api_market.Search", "api_market.ProjectPublic"})
OPEN_ENDPOINTS.update({"api_market.ShiftSignupResource", "api_market.SlotBookingResource",
                       "api_market.MySignups"})
