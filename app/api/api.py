"""The foundation's API: who am I, a tenant's areas, my volunteer record."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_login import current_user, login_required
from sqlalchemy import select

from app.api import api_blueprint
from app.api.schemas import AreaSchema, MeSchema, VolunteerProfileSchema
from app.extensions import db
from app.permissions import require
from app.privacy import mask_email, mask_phone
from app.tenancy.models import Area, Tenant
from app.tenancy.scoping import current_tenant, scoped
from app.volunteers.services import profile_for

me_blp = api_blueprint("api_me", __name__, "", "The signed-in account")
tenant_blp = api_blueprint("api_tenant", __name__, "/t/<tenant>", "A tenant's shared data")


@me_blp.route("/me")
class Me(MethodView):
    decorators = [login_required]

    @me_blp.response(200, MeSchema)
    def get(self):
        tenant_ids = {g.tenant_id for g in current_user.grants}
        slugs = dict(db.session.execute(
            select(Tenant.id, Tenant.slug).where(Tenant.id.in_(tenant_ids))).all())
        return {
            "id": current_user.id, "name": current_user.name,
            "phone": mask_phone(current_user.phone) or None,
            "email": mask_email(current_user.email) or None,
            "roles": [{"tenant": slugs[g.tenant_id], "role": g.role, "org_id": g.org_id}
                      for g in current_user.grants],
        }


@tenant_blp.route("/areas")
class Areas(MethodView):
    @tenant_blp.response(200, AreaSchema(many=True))
    def get(self):
        return db.session.scalars(scoped(Area).order_by(Area.path)).all()


@tenant_blp.route("/volunteer-profile")
class MyVolunteerProfile(MethodView):
    decorators = [login_required]

    @tenant_blp.response(200, VolunteerProfileSchema)
    def get(self):
        profile = profile_for(current_user, current_tenant())
        if profile is None:
            abort(404)
        require("volunteer.view_profile", profile)
        return profile


def blueprints():
    return [me_blp, tenant_blp]
