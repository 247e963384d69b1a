"""``PUT /api/v1/t/<tenant>/funding/projects/<id>/contract``: which contract a project
delivers, as on the project's page (its organization's coordinators or the bureau)."""

from __future__ import annotations

import functools

import marshmallow as ma
from flask import abort
from flask.views import MethodView
from flask_login import current_user

from app.funding import delivery
from app.funding.api import blp, done
from app.funding.pages.delivery import may_link
from app.projects.models import Project
from app.tenancy.scoping import get_or_404


class DeliveryIn(ma.Schema):
    contract_id = ma.fields.Integer(required=True, allow_none=True, strict=True,
                                    validate=ma.validate.Range(min=1, max=2**31 - 1),
                                    metadata={"description": "null takes the project out"})


class DeliveryOut(ma.Schema):
    project_id = ma.fields.Integer(attribute="id")
    contract_id = ma.fields.Integer(allow_none=True)
    contract_number = ma.fields.Function(
        lambda p: delivery.contract_of(p).number if p.contract_id else None)


def _guard(fn):
    """Sign-in, the tenant's project and the permission, before any body is parsed."""
    @functools.wraps(fn)
    def inner(*args, project_id: int, **kwargs):
        if not current_user.is_authenticated:
            abort(401)
        project = get_or_404(Project, project_id)
        if not may_link(project):
            abort(403)
        return fn(*args, project=project, **kwargs)

    return inner


@blp.route("/projects/<int:project_id>/contract")
class ProjectDelivery(MethodView):
    @_guard
    @blp.response(200, DeliveryOut)
    def get(self, project: Project):
        """The contract the project delivers, if any."""
        return project

    @_guard
    @blp.arguments(DeliveryIn)
    @blp.response(200, DeliveryOut)
    def put(self, payload, project: Project):
        """Put the project under one of its organization's signed contracts (or take it out)."""
        delivery.link(project, payload["contract_id"])
        return done(project)
