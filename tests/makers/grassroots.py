"""Isolation makers for community groups: a milestone of the organization's incubation (the
organization stands as its own incubator here), and a filed group that named the organization
as its sponsor and waits for its answer (the one organization this adds, named after the
world's organization so that a leak of it is seen)."""

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


@maker("group_id")
def _group_awaiting_sponsor(world, org):
    from app.extensions import db
    from app.grassroots.models import Filing
    from app.orgs.models import OrgStatus, Standing
    from app.parsing import local_today
    from app.tenancy.services import add_area
    from tests.factories import OrgFactory

    area = add_area(world.tenant, f"{org.name}所在社区{org.id}", "社区")
    group = OrgFactory(tenant_id=org.tenant_id, name=f"{org.name}的合唱队", credit_code=None,
                       standing=Standing.FILED, status=OrgStatus.PENDING, parent_id=org.id)
    db.session.add(Filing(tenant_id=org.tenant_id, org_id=group.id, number=f"备〔{group.id}〕号",
                          filed_with_id=area.id, filed_on=local_today()))
    db.session.flush()
    return group.id


# Lists only the person's own incubators and groups; registering a group is open to anyone
# signed in, as registering an organization is.
OPEN_ENDPOINTS.update({"grassroots.home", "grassroots.register", "api_grassroots.Groups"})
