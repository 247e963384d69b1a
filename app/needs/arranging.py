"""The projects an organization that took a need on may set a service slot or a volunteer
shift up in for it: its own, still running (draft or published), the one already linked to
the need first."""

from __future__ import annotations

from sqlalchemy import case

from app.extensions import db
from app.needs.models import Need, NeedStatus
from app.tenancy.scoping import scoped

#: How many projects the need's page offers.
OFFERED = 8


def projects_for(need: Need) -> list:
    from app.projects.models import Project, ProjectStatus

    if need.status != NeedStatus.CLAIMED or need.claimed_org_id is None:
        return []
    linked = need.met_object_id if need.met_kind == "project" else -1
    return list(db.session.scalars(
        scoped(Project, Project.org_id == need.claimed_org_id,
               Project.status.in_([str(ProjectStatus.DRAFT), str(ProjectStatus.PUBLISHED)]))
        .order_by(case((Project.id == linked, 0), else_=1), Project.id.desc()).limit(OFFERED)))
