"""Which contract a project delivers: at most one, of the project's own district and
organization (the composite foreign key on ``project`` holds it too). A contract's service
figures count its own projects only (``app.oversight.service_figures.for_projects``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.funding.models import Contract, ContractStatus
from app.funding.services import FundingError


def active_contracts(project) -> list[Contract]:
    """The contracts a project may be linked to: its organization's signed ones."""
    return list(db.session.scalars(select(Contract).where(
        Contract.tenant_id == project.tenant_id, Contract.org_id == project.org_id,
        Contract.status == ContractStatus.SIGNED).order_by(Contract.number, Contract.id)))


def choices(project) -> list[tuple[str, str]]:
    """(value, label) for a select: none, then each contract by number and name."""
    rows = [("", str(_l("Not under a contract")))]
    rows += [(str(c.id), f"{c.number} {c.title}".strip()) for c in active_contracts(project)]
    current = project.contract_id and db.session.get(Contract, project.contract_id)
    if current and str(current.id) not in {v for v, _ in rows}:
        rows.append((str(current.id), f"{current.number} {current.title}".strip()))
    return rows


def link(project, contract_id: int | None) -> None:
    """Put a project under a contract (or take it out: ``None``)."""
    if contract_id is None:
        project.contract_id = None
        db.session.flush()
        return
    contract = db.session.get(Contract, contract_id)
    if (contract is None or contract.tenant_id != project.tenant_id
            or contract.org_id != project.org_id):
        raise FundingError(_l("Choose one of your organization's contracts."))
    if contract.id != project.contract_id and contract.status != ContractStatus.SIGNED:
        raise FundingError(_l("Only a signed contract that is not closed can take a project."))
    project.contract_id = contract.id
    db.session.flush()


def contract_of(project) -> Contract | None:
    return db.session.get(Contract, project.contract_id) if project.contract_id else None


def projects_of(contract) -> list:
    from app.projects.models import Project

    return list(db.session.scalars(select(Project).where(
        Project.tenant_id == contract.tenant_id, Project.contract_id == contract.id)
        .order_by(Project.id)))
