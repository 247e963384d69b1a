"""``/api/v1/t/<tenant>/my-areas``: 我负责的片区 for an officer in charge of areas, as the page
shows it: per area held, each list's count and first lines, names masked."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user, login_required

from app.api import api_blueprint
from app.areacharge import services
from app.db import utcnow
from app.permissions import require
from app.privacy import mask_name
from app.tenancy.scoping import current_tenant

blp = api_blueprint("api_areacharge", __name__, "/t/<tenant>/my-areas", "My areas")


class AreaLineSchema(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "need, complaint or resident record"})
    label = ma.fields.String(required=True)
    who = ma.fields.String(required=True, metadata={"description": "masked name"})


class AreaListSchema(ma.Schema):
    count = ma.fields.Integer(required=True)
    lines = ma.fields.List(ma.fields.Nested(AreaLineSchema), required=True)


class AreaTodaySchema(ma.Schema):
    area_id = ma.fields.Integer(required=True)
    area = ma.fields.String(required=True)
    late = ma.fields.Nested(AreaListSchema, required=True)
    coming_due = ma.fields.Nested(AreaListSchema, required=True)
    unclaimed = ma.fields.Nested(AreaListSchema, required=True)
    complaints = ma.fields.Nested(AreaListSchema, required=True)
    quiet = ma.fields.Nested(AreaListSchema, required=True)


def _needs(listing) -> dict:
    return {"count": listing.count, "lines": [
        {"id": n.id, "label": n.what[:40], "who": mask_name(n.resident_name)} for n in listing.rows]}


def _out(a) -> dict:
    return {"area_id": a.area.id, "area": a.area.name, "late": _needs(a.late),
            "coming_due": _needs(a.coming_due), "unclaimed": _needs(a.unclaimed),
            "complaints": {"count": a.complaints.count, "lines": [
                {"id": c.id, "label": c.body[:40], "who": mask_name(c.user.name)}
                for c in a.complaints.rows]},
            "quiet": {"count": a.quiet.count, "lines": [
                {"id": p.id, "label": p.target_group, "who": mask_name(u.name)}
                for p, u in a.quiet.rows]}}


@blp.route("")
class MyAreas(MethodView):
    decorators = [login_required]

    @blp.response(200, AreaTodaySchema(many=True))
    def get(self):
        """What waits today in each area I am in charge of and the areas under it."""
        tenant = current_tenant()
        require("areacharge.view", tenant)
        return [_out(a) for a in services.today(current_user, tenant.id, utcnow())]


def blueprints():
    return [blp]
