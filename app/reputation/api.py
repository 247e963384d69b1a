"""``/api/v1/t/<tenant>``: an organization's public reputation, the honour list, and the
volunteer's own choice about appearing on it. Same rules as the pages."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask.views import MethodView
from flask_login import current_user, login_required

from app.api import api_blueprint
from app.db_commit import commit
from app.orgs.models import Organization
from app.permissions import can, require
from app.reputation import services
from app.tenancy.scoping import current_tenant, get_or_404
from app.volunteers import services as volunteers

blp = api_blueprint("api_reputation", __name__, "/t/<tenant>",
                    "Public reputation: organizations' record of service, the honour list")


class GradeSchema(ma.Schema):
    period = ma.fields.String(required=True)
    mode = ma.fields.String(required=True, metadata={"description": "department/third_party"})
    mode_label = ma.fields.String(required=True)
    evaluator = ma.fields.String(required=True, metadata={"description": "third party's name"})
    tier = ma.fields.String(required=True, metadata={"description": "excellent/good/fair/poor"})
    tier_label = ma.fields.String(required=True)
    total = ma.fields.Decimal(required=True, as_string=True, metadata={"description": "of 100"})
    finalized_at = ma.fields.DateTime(required=True)


class ReputationSchema(ma.Schema):
    org_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    verified_hours = ma.fields.Decimal(required=True, as_string=True)
    people_served = ma.fields.Integer(required=True)
    ratings = ma.fields.Integer(required=True)
    average_rating = ma.fields.Decimal(allow_none=True, as_string=True,
                                       metadata={"description": "1–5; null with no rating"})
    grades = ma.fields.List(ma.fields.Nested(GradeSchema), required=True)


class AwardSchema(ma.Schema):
    name = ma.fields.String(required=True)
    awarded_on = ma.fields.Date(required=True)
    grantor = ma.fields.String(required=True)


class HonourSchema(ma.Schema):
    name = ma.fields.String(required=True,
                            metadata={"description": "masked unless the person chose otherwise"})
    stars = ma.fields.Integer(required=True)
    awards = ma.fields.List(ma.fields.Nested(AwardSchema), required=True)
    award_count = ma.fields.Integer(required=True)


class HonourChoiceSchema(ma.Schema):
    listed = ma.fields.Boolean(required=True, metadata={"description": "on the honour list"})
    full_name = ma.fields.Boolean(load_default=False,
                                  metadata={"description": "shown by full name, not masked"})


def _reputation(rep: services.OrgReputation) -> dict:
    s = rep.service
    return {"org_id": rep.org.id, "name": rep.org.name, "verified_hours": s.hours,
            "people_served": s.people_served, "ratings": s.ratings,
            "average_rating": s.satisfaction,
            "grades": [{"period": e.period, "mode": e.mode, "mode_label": rep.mode_label(e.mode),
                        "evaluator": e.evaluator_name, "tier": e.tier,
                        "tier_label": rep.tier_label(e.tier), "total": e.total,
                        "finalized_at": e.finalized_at} for e in rep.grades]}


@blp.route("/organizations/<int:org_id>/reputation")
class OrgReputation(MethodView):
    @blp.response(200, ReputationSchema)
    def get(self, org_id: int):
        """Verified hours, people served, average rating and published grades (public once
        the organization is verified)."""
        org = get_or_404(Organization, org_id)
        if not can("org.view", org):
            abort(404)
        return _reputation(services.for_org(org))


@blp.route("/honours")
class Honours(MethodView):
    @blp.response(200, HonourSchema(many=True))
    def get(self):
        """The honour list (光荣榜): volunteers who chose to appear, with stars and awards."""
        return services.honour_list(current_tenant())


def _own_profile():
    profile = volunteers.profile_for(current_user, current_tenant())
    if profile is None:
        abort(404)
    require("volunteer.edit_profile", profile)
    return profile


@blp.route("/volunteer-profile/honours")
class MyHonourChoice(MethodView):
    decorators = [login_required]

    @blp.response(200, HonourChoiceSchema)
    def get(self):
        """Whether I am on the honour list, and by full name."""
        profile = _own_profile()
        return {"listed": profile.honour_listed, "full_name": profile.honour_full_name}

    @blp.arguments(HonourChoiceSchema)
    @blp.response(200, HonourChoiceSchema)
    def put(self, data):
        """Join or leave the honour list; leaving also withdraws the full name."""
        profile = _own_profile()
        volunteers.choose_honour_list(profile, data["listed"], data["full_name"])
        commit()
        return {"listed": profile.honour_listed, "full_name": profile.honour_full_name}


def blueprints():
    return [blp]
