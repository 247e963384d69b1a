"""``/api/v1/t/<tenant>/consultations``: the consultations I may see, open one (the bureau),
one with its options and my vote, vote, comment, end the voting, enter paper or meeting
votes, publish, and the public result. Same rules as the pages."""

from __future__ import annotations

from functools import wraps

import marshmallow as ma
from flask import abort
from flask.views import MethodView
from flask_login import current_user, login_required

from app import fields
from app.api import api_blueprint
from app.consultations import services
from app.consultations.models import (
    COMMENT_MAX,
    DETAIL_MAX,
    NOTE_MAX,
    OPTIONS_MAX,
    TALLY_MAX,
    TITLE_MAX,
    Consultation,
    ConsultationStatus,
    TallySource,
)
from app.consultations.services import ConsultationError
from app.db_commit import commit
from app.errors import json_error
from app.extensions import db
from app.orgs.apiutil import guard
from app.permissions import OVERSIGHT, can, require
from app.tenancy.models import Area
from app.tenancy.scoping import current_tenant, get_or_404, scoped

blp = api_blueprint("api_consultations", __name__, "/t/<tenant>/consultations",
                    "Residents' consultations")


class OptionSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    position = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    detail = ma.fields.String(required=True)
    need_id = ma.fields.Integer(allow_none=True, metadata={"description": "null: a proposed project"})


class CountSchema(ma.Schema):
    option_id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    online = ma.fields.Integer(required=True)
    paper = ma.fields.Integer(required=True)
    meeting = ma.fields.Integer(required=True)
    total = ma.fields.Integer(required=True)


class ConsultationSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    area_id = ma.fields.Integer(required=True)
    area = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    opens_at = ma.fields.DateTime(required=True)
    closes_at = ma.fields.DateTime(required=True)
    status = ma.fields.String(required=True, metadata={"description": "open/closed/published"})
    published_at = ma.fields.DateTime(allow_none=True)
    options = ma.fields.List(ma.fields.Nested(OptionSchema), required=True)
    my_option_id = ma.fields.Integer(allow_none=True,
                                     metadata={"description": "the option I voted for"})
    turnout = ma.fields.Integer(allow_none=True,
                                metadata={"description": "online votes (bureau, or published)"})
    counts = ma.fields.List(ma.fields.Nested(CountSchema), allow_none=True,
                            metadata={"description": "after voting ends (bureau), or published"})


def _counts(c: Consultation) -> list[dict]:
    return [{"option_id": n.option.id, "title": n.option.title, "online": n.online,
             "paper": n.paper, "meeting": n.meeting, "total": n.total}
            for n in services.results(c)]


def _out(c: Consultation, *, public: bool = False) -> dict:
    staff = not public and can("consultation.manage", c)
    mine = None if public else services.my_vote(c, current_user)
    show_counts = c.published or (staff and c.status != ConsultationStatus.OPEN)
    return {"id": c.id, "area_id": c.area_id, "area": c.area.name, "title": c.title,
            "description": c.description, "opens_at": c.opens_at, "closes_at": c.closes_at,
            "status": c.status, "published_at": c.published_at,
            "options": [{"id": o.id, "position": o.position, "title": o.title,
                         "detail": o.detail, "need_id": o.need_id} for o in c.options],
            "my_option_id": mine.option_id if mine else None,
            "turnout": services.turnout(c) if staff or c.published else None,
            "counts": _counts(c) if show_counts else None}


class OpenInSchema(ma.Schema):
    area_id = ma.fields.Integer(required=True, strict=True,
                                metadata={"description": "the community consulted"})
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=TITLE_MAX))
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=DETAIL_MAX))
    opens_at = fields.AwareDateTime(required=True)
    closes_at = fields.AwareDateTime(required=True)
    need_ids = ma.fields.List(ma.fields.Integer(strict=True), load_default=list,
                              validate=ma.validate.Length(max=OPTIONS_MAX),
                              metadata={"description": "unmet needs of the community"})
    proposals = ma.fields.List(ma.fields.String(validate=ma.validate.Length(max=TITLE_MAX)),
                               load_default=list, validate=ma.validate.Length(max=OPTIONS_MAX),
                               metadata={"description": "projects the bureau proposes"})


class VoteInSchema(ma.Schema):
    option_id = ma.fields.Integer(required=True, strict=True)


class CommentInSchema(ma.Schema):
    body = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=COMMENT_MAX))


class EmptySchema(ma.Schema):
    pass


class TallyInSchema(ma.Schema):
    option_id = ma.fields.Integer(required=True, strict=True)
    source = ma.fields.String(required=True,
                              validate=ma.validate.OneOf([s.value for s in TallySource]))
    held_on = fields.Date(required=True)
    votes = ma.fields.Integer(required=True, strict=True,
                              validate=ma.validate.Range(min=1, max=TALLY_MAX))
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=NOTE_MAX))


def _tenant_check(action: str):
    """Checked before the request body is read: strangers to the tenant get 403, not 422."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            require(action, current_tenant())
            return view(*args, **kwargs)

        return wrapper

    return decorate


def _refused(exc: ConsultationError):
    db.session.rollback()
    return json_error(exc.status, str(exc))


def _done(consultation: Consultation, action) -> dict:
    try:
        action()
    except ConsultationError as exc:
        return _refused(exc)
    commit()
    return _out(consultation)


@blp.route("")
class Consultations(MethodView):
    @_tenant_check("consultation.list.view")
    @login_required
    @blp.response(200, ConsultationSchema(many=True))
    def get(self):
        """The bureau and auditors: every consultation; others: those of the community they
        live in, on the district's roll."""
        tenant = current_tenant()
        if current_user.has_role(tenant.id, *OVERSIGHT):
            stmt = scoped(Consultation).order_by(Consultation.id.desc())
        else:
            stmt = services.for_resident(current_user, tenant)
        return [_out(c) for c in db.session.scalars(stmt.limit(200))]

    @_tenant_check("consultation.manage")
    @login_required
    @blp.arguments(OpenInSchema)
    @blp.response(201, ConsultationSchema)
    def post(self, data):
        """Open a consultation of a community on its unmet needs and proposed projects."""
        tenant = current_tenant()
        try:
            consultation = services.open_consultation(
                tenant, current_user, area=get_or_404(Area, data["area_id"]),
                title=data["title"], description=data["description"],
                opens_at=data["opens_at"], closes_at=data["closes_at"],
                need_ids=data["need_ids"], proposals=data["proposals"])
        except ConsultationError as exc:
            return _refused(exc)
        commit()
        return _out(consultation)


@blp.route("/<int:consultation_id>")
class ConsultationResource(MethodView):
    decorators = [guard(Consultation, "consultation.view"), login_required]

    @blp.response(200, ConsultationSchema)
    def get(self, consultation):
        return _out(consultation)


@blp.route("/<int:consultation_id>/vote")
class Vote(MethodView):
    decorators = [guard(Consultation, "consultation.take_part"), login_required]

    @blp.arguments(VoteInSchema)
    @blp.response(200, ConsultationSchema)
    def post(self, data, consultation):
        """My one vote (single choice); it cannot be changed."""
        return _done(consultation, lambda: services.vote(consultation, current_user,
                                                         data["option_id"]))


@blp.route("/<int:consultation_id>/comments")
class Comments(MethodView):
    decorators = [guard(Consultation, "consultation.take_part"), login_required]

    @blp.arguments(CommentInSchema)
    @blp.response(200, ConsultationSchema)
    def post(self, data, consultation):
        """Comment while voting is open."""
        return _done(consultation, lambda: services.comment(consultation, current_user,
                                                            data["body"]))


@blp.route("/<int:consultation_id>/close")
class Close(MethodView):
    decorators = [guard(Consultation, "consultation.manage"), login_required]

    @blp.arguments(EmptySchema)
    @blp.response(200, ConsultationSchema)
    def post(self, data, consultation):
        """End the voting online."""
        return _done(consultation, lambda: services.close(consultation, current_user))


@blp.route("/<int:consultation_id>/tallies")
class Tallies(MethodView):
    decorators = [guard(Consultation, "consultation.manage"), login_required]

    @blp.arguments(TallyInSchema)
    @blp.response(200, ConsultationSchema)
    def post(self, data, consultation):
        """Enter votes for one option cast on paper or at a meeting on ``held_on``."""
        return _done(consultation, lambda: services.enter_tally(
            consultation, current_user, option_id=data["option_id"], source=data["source"],
            held_on=data["held_on"], votes=data["votes"], note=data["note"]))


@blp.route("/<int:consultation_id>/publish")
class Publish(MethodView):
    decorators = [guard(Consultation, "consultation.manage"), login_required]

    @blp.arguments(EmptySchema)
    @blp.response(200, ConsultationSchema)
    def post(self, data, consultation):
        """Publish the result with its counts (after the voting has ended)."""
        return _done(consultation, lambda: services.publish(consultation, current_user))


@blp.route("/<int:consultation_id>/result")
class Result(MethodView):
    @blp.response(200, ConsultationSchema)
    def get(self, consultation_id):
        """A published result with its counts: public."""
        consultation = get_or_404(Consultation, consultation_id)
        if not consultation.published:
            abort(404)
        return _out(consultation, public=True)


def blueprints():
    return [blp]
