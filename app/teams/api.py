"""``/api/v1/t/<tenant>/teams``: my teams, a team's roster (mobile numbers masked), adding a
member, signing the team up for a shift (all its places or none: 409 otherwise), cancelling,
and the coordinator recording each person's hours. Same rules as the pages."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView
from flask_login import current_user, login_required

from app import fields
from app.api import api_blueprint
from app.db_commit import commit
from app.errors import json_error
from app.extensions import db
from app.orgs.apiutil import guard
from app.permissions import require
from app.privacy import mask_name
from app.projects.models import Shift
from app.projects.signups import SignupError
from app.teams import hours, services, signups
from app.teams.hours import Served
from app.teams.models import MemberStatus, Team, TeamSignup
from app.teams.services import TeamError
from app.tenancy.scoping import current_tenant, get_or_404

blp = api_blueprint("api_teams", __name__, "/t/<tenant>", "Volunteer teams and team sign-ups")
ID = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=2**31 - 1))


@blp.errorhandler(SignupError)
def _signup_refused(exc: SignupError):
    db.session.rollback()
    return json_error(409, str(exc))


@blp.errorhandler(TeamError)
def _team_refused(exc: TeamError):
    db.session.rollback()
    return json_error(exc.status, str(exc))


class MemberSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, metadata={"description": "masked unless you lead"})
    registered = ma.fields.Boolean(required=True)
    phone = ma.fields.String(allow_none=True, metadata={"description": "masked; leader only"})
    status = ma.fields.String(required=True, metadata={"description": "invited/active"})


class TeamSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    leader = ma.fields.String(required=True)
    members = ma.fields.List(ma.fields.Nested(MemberSchema), required=True)


class MemberInSchema(ma.Schema):
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(["registered", "named"]),
                            metadata={"description": "registered: invite by mobile; named: no account"})
    phone = ma.fields.String(required=True, validate=ma.validate.Length(max=30))
    name = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))


class SignupInSchema(ma.Schema):
    shift_id = ID
    member_ids = ma.fields.List(ID, required=True, validate=ma.validate.Length(min=1, max=200))


class PlaceSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    minutes = ma.fields.Integer(allow_none=True, metadata={"description": "null: not recorded"})


class TeamSignupSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    team_id = ma.fields.Integer(required=True)
    shift_id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, metadata={"description": "confirmed/cancelled"})
    places = ma.fields.List(ma.fields.Nested(PlaceSchema), required=True)


class ServedInSchema(ma.Schema):
    place_id = ID
    served = ma.fields.Boolean(load_default=True)
    arrived_at = fields.AwareDateTime(load_default=None, allow_none=True)
    left_at = fields.AwareDateTime(load_default=None, allow_none=True)


class HoursInSchema(ma.Schema):
    entries = ma.fields.List(ma.fields.Nested(ServedInSchema), required=True,
                             validate=ma.validate.Length(min=1, max=200))


def _team_out(team: Team) -> dict:
    leads = team.leader_id == current_user.id
    shown = services.members(team, MemberStatus.ACTIVE, MemberStatus.INVITED)
    return {"id": team.id, "name": team.name, "leader": team.leader.name, "members": [
        {"id": m.id, "name": m.display_name if leads or m.user_id == current_user.id
         else mask_name(m.display_name), "registered": m.is_registered,
         "phone": (m.masked_phone or None) if leads else None, "status": m.status} for m in shown]}


def _signup_out(row: TeamSignup) -> dict:
    return {"id": row.id, "team_id": row.team_id, "shift_id": row.shift_id, "status": row.status,
            "places": [{"id": p.id, "name": p.member.display_name, "minutes": p.minutes}
                       for p in row.places]}


@blp.route("/teams")
class MyTeams(MethodView):
    decorators = [login_required]

    @blp.response(200, TeamSchema(many=True))
    def get(self):
        """The teams I lead, belong to or am invited to."""
        tenant = current_tenant()
        require("tenant.member", tenant)
        return [_team_out(team) for team, _ in services.teams_of(tenant, current_user)]


@blp.route("/teams/<int:team_id>")
class TeamOne(MethodView):
    decorators = [guard(Team, "teams.view"), login_required]

    @blp.response(200, TeamSchema)
    def get(self, team):
        """A team and its roster; mobile numbers masked, shown to the leader only."""
        return _team_out(team)


@blp.route("/teams/<int:team_id>/members")
class Members(MethodView):
    decorators = [guard(Team, "teams.manage"), login_required]

    @blp.arguments(MemberInSchema)
    @blp.response(201, MemberSchema)
    def post(self, data, team):
        """Invite a registered volunteer by mobile number, or add a named person."""
        if data["kind"] == "named":
            row = services.add_named(team, current_user, data["name"], data["phone"])
        else:
            row = services.invite(team, current_user, data["phone"])
        commit()
        return {"id": row.id, "name": row.display_name, "registered": row.is_registered,
                "phone": row.masked_phone or None, "status": row.status}


@blp.route("/teams/<int:team_id>/signups")
class TeamSignups(MethodView):
    decorators = [guard(Team, "teams.sign_up"), login_required]

    @blp.arguments(SignupInSchema)
    @blp.response(201, TeamSignupSchema)
    def post(self, data, team):
        """Sign the chosen members up for a shift: every one gets a place or none does (409,
        saying how many places are left); a team is never put on the waitlist."""
        shift = get_or_404(Shift, data["shift_id"])
        row = signups.sign_up(team, current_user, shift, data["member_ids"])
        commit()
        return _signup_out(row)


@blp.route("/team-signups/<int:signup_id>")
class TeamSignupOne(MethodView):
    decorators = [guard(TeamSignup, "teams.signup.view", "signup_id"), login_required]

    @blp.response(200, TeamSignupSchema)
    def get(self, signup):
        """A team's sign-up with each person's place and recorded minutes."""
        return _signup_out(signup)


@blp.route("/team-signups/<int:signup_id>/cancel")
class Cancel(MethodView):
    decorators = [guard(TeamSignup, "teams.signup.cancel", "signup_id"), login_required]

    @blp.response(200, TeamSignupSchema)
    def post(self, signup):
        """Cancel the team's sign-up: its places go to the first people waiting."""
        signups.cancel(signup, current_user)
        commit()
        return _signup_out(signup)


@blp.route("/team-signups/<int:signup_id>/hours")
class Hours(MethodView):
    decorators = [guard(TeamSignup, "teams.hours.record", "signup_id"), login_required]

    @blp.arguments(HoursInSchema)
    @blp.response(201, TeamSignupSchema)
    def post(self, data, signup):
        """Record each person's hours (once each): arrival and departure, clipped to the
        shift, or ``served: false``."""
        hours.record(signup, current_user, [Served(e["place_id"], e["arrived_at"], e["left_at"],
                                                   e["served"]) for e in data["entries"]])
        commit()
        return _signup_out(signup)


def blueprints():
    return [blp]

