"""Isolation makers for community groups: a milestone of the organization's incubation (the
organization stands as its own incubator here, so no organization is added to the world)."""

from __future__ import annotations

from tests.isolation import OPEN_ENDPOINTS, maker


@maker("milestone_id")
def _milestone(world, org):
    from sqlalchemy import select

    from app.extensions import db
    from app.grassroots.models import Incubation, Milestone
    from app.parsing import local_today

    incubation = db.session.scalar(select(Incubation).where(Incubation.org_id == org.id))
    if incubation is None:
        incubation = Incubation(tenant_id=org.tenant_id, org_id=org.id, incubator_id=org.id,
                                stage="nurturing", stage_since=local_today())
        db.session.add(incubation)
        db.session.flush()
    milestone = Milestone(tenant_id=org.tenant_id, org_id=org.id, incubation_id=incubation.id,
                          title=f"{org.name}的里程碑", due_on=local_today(),
                          evidence_file=f"{org.tenant_id}/orgs/{org.id}/milestones/x.pdf",
                          evidence_mime="application/pdf")
    db.session.add(milestone)
    db.session.flush()
    return milestone.id


# Lists only the person's own incubators and groups; registering a group is open to anyone
# signed in, as registering an organization is.
OPEN_ENDPOINTS.update({"grassroots.home", "grassroots.register"})
