"""``/api/v1/t/<tenant>/volunteer-profile/free-times``: when I am usually free (空闲时间), the
grid the shifts-for-me list ranks by. Same rules as the page: one's own record only."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask.views import MethodView
from flask_login import current_user, login_required

from app.api import api_blueprint
from app.db_commit import commit
from app.permissions import require
from app.tenancy.scoping import current_tenant
from app.volunteers import availability
from app.volunteers.services import profile_for

blp = api_blueprint("api_volunteers", __name__, "/t/<tenant>",
                    "A volunteer's own choices: when they are usually free")


class FreeTimesSchema(ma.Schema):
    free = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(availability.CELLS)), required=True,
        validate=ma.validate.Length(max=len(availability.CELLS)),
        metadata={"description": "the cells ticked, as weekday-part: mon … sun, morning "
                                 "(before noon), afternoon (until 18:00), evening; Shanghai "
                                 "time. Empty: free whenever."})


def _own_profile():
    profile = profile_for(current_user, current_tenant())
    if profile is None:
        abort(404)
    require("volunteer.edit_profile", profile)
    return profile


@blp.route("/volunteer-profile/free-times")
class MyFreeTimes(MethodView):
    decorators = [login_required]

    @blp.response(200, FreeTimesSchema)
    def get(self):
        """When I am usually free (nothing marked: free whenever)."""
        return {"free": availability.cells_of(_own_profile().free_times)}

    @blp.arguments(FreeTimesSchema)
    @blp.response(200, FreeTimesSchema)
    def put(self, data):
        """Mark when I am usually free; the cells not given are cleared."""
        profile = availability.choose(_own_profile(), data["free"])
        commit()
        return {"free": availability.cells_of(profile.free_times)}


def blueprints():
    return [blp]
