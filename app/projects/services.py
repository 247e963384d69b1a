"""Projects: the template organizations fill in, and their life: draft → published →
closed (with a closing report and photos) or cancelled (everyone signed up is told).

Shifts and slots are in ``app.projects.places``, sign-ups in ``app.projects.signups``.
Services flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.money import to_fen
from app.orgs import uploads
from app.orgs.models import Organization
from app.projects.models import Project, ProjectEvidence, ProjectStatus
from app.tenancy.models import Area, Tenant


class ProjectError(ValueError):
    """A refusal the user can read."""


@dataclass
class ProjectData:
    name: str
    category: str
    theme: str = ""
    highlights: str = ""
    content: str = ""
    schedule: str = ""
    expected_outcomes: str = ""
    team_roles: str = ""
    #: (line, amount in yuan)
    budget_lines: list[tuple[str, Decimal]] = field(default_factory=list)
    safety_plan: str = ""
    target_groups: list[str] = field(default_factory=list)
    area_id: int | None = None
    cancel_deadline_hours: int = 24


def _validate(tenant: Tenant, data: ProjectData) -> None:
    if not data.name.strip():
        raise ProjectError(_l("Please give the project a name."))
    if data.category not in tenant.setting("service_categories"):
        raise ProjectError(_l("Please choose a service category from the catalogue."))
    if not set(data.target_groups) <= set(tenant.setting("target_groups")):
        raise ProjectError(_l("Unknown target group."))
    if data.area_id is not None and not db.session.scalar(
            select(Area.id).where(Area.id == data.area_id, Area.tenant_id == tenant.id)):
        raise ProjectError(_l("Please choose an area of this district."))
    if not 0 <= data.cancel_deadline_hours <= 24 * 14:
        raise ProjectError(_l("The cancellation deadline must be between 0 and 336 hours."))
    for line, amount in data.budget_lines:
        if not line.strip() or amount < 0:
            raise ProjectError(_l("Each budget line needs a name and an amount of at least zero."))


def _apply(project: Project, data: ProjectData) -> None:
    for name in ("theme", "highlights", "content", "schedule", "expected_outcomes", "team_roles",
                 "safety_plan"):
        setattr(project, name, (getattr(data, name) or "").strip())
    project.name, project.category, project.area_id = data.name.strip(), data.category, data.area_id
    project.target_groups = list(data.target_groups)
    project.budget_lines = [{"line": line.strip(), "amount_fen": to_fen(amount)}
                            for line, amount in data.budget_lines]
    project.cancel_deadline_hours = data.cancel_deadline_hours


def create(org: Organization, tenant: Tenant, user: User, data: ProjectData) -> Project:
    """A new draft. Any organization may prepare drafts; only verified ones publish."""
    _validate(tenant, data)
    project = Project(tenant_id=org.tenant_id, org_id=org.id, created_by_id=user.id,
                      status=ProjectStatus.DRAFT)
    _apply(project, data)
    db.session.add(project)
    db.session.flush()
    return project


def _editable(project: Project) -> None:
    if project.status in (ProjectStatus.CLOSED, ProjectStatus.CANCELLED):
        raise ProjectError(_l("A closed or cancelled project can no longer be changed."))


def update(project: Project, tenant: Tenant, data: ProjectData) -> Project:
    _editable(project)
    _validate(tenant, data)
    _apply(project, data)
    db.session.flush()
    return project


def publish(project: Project) -> Project:
    org = db.session.get(Organization, project.org_id)
    if not org.is_verified:
        raise ProjectError(_l("Only organizations verified by the bureau can publish projects."))
    from app.grassroots.rules import publishing_refusal

    if (refusal := publishing_refusal(org)) is not None:
        raise ProjectError(refusal)
    if project.status != ProjectStatus.DRAFT:
        raise ProjectError(_l("Only a draft can be published."))
    if not any(not p.is_cancelled for p in [*project.shifts, *project.slots]):
        raise ProjectError(_l("Add at least one volunteer shift or service slot before publishing."))
    project.status, project.published_at = ProjectStatus.PUBLISHED, utcnow()
    db.session.flush()
    from app.marketplace.match_notices import announce_many

    announce_many(project.shifts)  # one notice a person, of the soonest that suits them
    return project


def cancel(project: Project, reason: str) -> Project:
    """Cancel the project; every confirmed or waitlisted person is told."""
    from app.projects import places

    _editable(project)
    reason = (reason or "").strip()
    if not reason:
        raise ProjectError(_l("Please say why the project is cancelled; the people signed up will see it."))
    for place in [*project.shifts, *project.slots]:
        if not place.is_cancelled:
            places.cancel_place(place, reason, notify_project=project)
    project.status, project.cancelled_at, project.cancel_reason = (
        ProjectStatus.CANCELLED, utcnow(), reason[:2000])
    db.session.flush()
    return project


def close(project: Project, report: str, photos: list[uploads.Upload],
          captions: list[str] | None = None) -> Project:
    """Close a published project with its closing report (text and photo evidence)."""
    if project.status != ProjectStatus.PUBLISHED:
        raise ProjectError(_l("Only a published project can be closed."))
    if not (report or "").strip():
        raise ProjectError(_l("Please write the closing report: what was done, for whom, with what result."))
    if not photos and not project.evidence:
        raise ProjectError(_l("Please add at least one photo as evidence of what was done."))
    now = utcnow()
    ahead = [p for p in [*project.shifts, *project.slots]
             if not p.is_cancelled and p.ends_at > now and p.confirmed_count > 0]
    if ahead:
        raise ProjectError(_l("Some shifts or slots with confirmed people have not taken place yet: "
                              "wait until they have, or cancel them first."))
    captions = captions or []
    for i, photo in enumerate(photos):
        key = uploads.store(photo, project.tenant_id, f"projects/{project.id}")
        project.evidence.append(ProjectEvidence(
            tenant_id=project.tenant_id, org_id=project.org_id, file_key=key, mime=photo.mime,
            caption=(captions[i] if i < len(captions) else "")[:200]))
    project.closing_report = report.strip()
    project.status, project.closed_at = ProjectStatus.CLOSED, now
    db.session.flush()
    return project


def org_projects(org: Organization) -> list[Project]:
    return list(db.session.scalars(select(Project).where(
        Project.tenant_id == org.tenant_id, Project.org_id == org.id)
        .order_by(Project.created_at.desc(), Project.id.desc())))
