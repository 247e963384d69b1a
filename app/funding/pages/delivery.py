"""The organization's coordinators or the bureau put a project under one of the organization's
contracts (or take it out)."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.funding import delivery
from app.funding.pages import attempt
from app.funding.views import bp
from app.permissions import can
from app.projects.models import Project
from app.tenancy.scoping import get_or_404


def may_link(project) -> bool:
    return can("project.manage", project) or can("funding.manage", project)


@bp.route("/projects/<int:project_id>/contract", methods=["POST"])
@login_required
def link_project(project_id: int):
    project = get_or_404(Project, project_id)
    if not may_link(project):
        abort(403)
    raw = (request.form.get("contract_id") or "").strip()
    if raw and not raw.isdigit():
        abort(400)
    chosen = int(raw) if raw and len(raw) < 12 else None
    if raw and chosen is None:
        abort(400)
    attempt(lambda: delivery.link(project, chosen), _("The project's contract is saved."))
    return redirect(url_for("projects.manage", project_id=project.id))


@bp.app_template_global()
def project_contract_choices(project) -> list[tuple[str, str]]:
    """The contract select's options, for those who may change it; else none."""
    return delivery.choices(project) if may_link(project) else []


@bp.app_template_global()
def project_contract(project):
    from app.extensions import db
    from app.funding.models import Contract

    return db.session.get(Contract, project.contract_id) if project.contract_id else None
