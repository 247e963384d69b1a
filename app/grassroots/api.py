"""``/api/v1/t/<tenant>/grassroots``: a filed group's application (multipart, with the filing
document), the sponsor's answer, a group's filing and incubation, stage moves, milestones and
leaders' training, and an incubator's list of its groups. Same rules and services as the
pages (``app.grassroots.views``)."""

from __future__ import annotations

import marshmallow as ma
from flask import abort
from flask.views import MethodView
from flask_login import current_user, login_required

from app import fields
from app.api import api_blueprint
from app.db_commit import commit
from app.grassroots import filing, services
from app.grassroots.filing import FilingData, GroupError
from app.grassroots.models import Milestone
from app.orgs import services as orgs
from app.orgs import uploads
from app.orgs.apiutil import guard, refused
from app.orgs.models import Organization
from app.orgs.services import OrgError
from app.permissions import require
from app.tenancy.scoping import current_tenant

blp = api_blueprint("api_grassroots", __name__, "/t/<tenant>/grassroots",
                    "Community groups: filing, sponsorship, incubation")
for _refusal in (GroupError, OrgError, uploads.UploadError):
    blp.register_error_handler(_refusal, refused)

ID = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=2**31 - 1))


class GroupInSchema(ma.Schema):
    """The application, sent as ``multipart/form-data`` with the ``document`` file."""

    name = ma.fields.String(required=True, validate=ma.validate.Length(max=120))
    kind = ma.fields.String(required=True, validate=ma.validate.Length(max=60))
    legal_representative = ma.fields.String(required=True, validate=ma.validate.Length(max=40),
                                            metadata={"description": "the person in charge"})
    contact_name = ma.fields.String(required=True, validate=ma.validate.Length(max=40))
    contact_phone = ma.fields.String(required=True, validate=ma.validate.Length(max=20))
    contact_email = ma.fields.Email(load_default=None, allow_none=True)
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=4000))
    area_ids = ma.fields.List(ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1)),
                              load_default=list, validate=ma.validate.Length(max=200))
    number = ma.fields.String(required=True, validate=ma.validate.Length(max=40),
                              metadata={"description": "the filing number (备案号)"})
    filed_with_id = ID
    filed_on = fields.Date(required=True)
    sponsor_id = ID


class DocumentSchema(ma.Schema):
    document = ma.fields.Raw(metadata={"type": "string", "format": "binary"})


class SponsorInSchema(ma.Schema):
    decision = ma.fields.String(required=True, validate=ma.validate.OneOf(["confirm", "decline"]))
    note = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000),
                            metadata={"description": "required to decline; the group reads it"})


class MoveInSchema(ma.Schema):
    moved_on = fields.Date(required=True)
    note = ma.fields.String(required=True, validate=ma.validate.Length(max=2000))
    credit_code = ma.fields.String(load_default="", validate=ma.validate.Length(max=30), metadata={
        "description": "on graduation, if the group has registered: it becomes a registered "
                       "organization, verified again by the bureau"})


class MilestoneInSchema(ma.Schema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(max=120))
    due_on = fields.Date(required=True)


class DoneInSchema(ma.Schema):
    done_on = fields.Date(required=True)
    evidence = ma.fields.String(required=True, validate=ma.validate.Length(max=2000))


class TrainingInSchema(ma.Schema):
    person = ma.fields.String(required=True, validate=ma.validate.Length(max=40))
    course = ma.fields.String(required=True, validate=ma.validate.Length(max=120))
    minutes = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1, max=2**31 - 1))
    trained_on = fields.Date(required=True)


class MilestoneSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    due_on = ma.fields.Date(required=True)
    done_on = ma.fields.Date(allow_none=True)
    evidence = ma.fields.String(attribute="evidence_note")
    has_file = ma.fields.Function(lambda m: bool(m.evidence_file), dump_only=True)


class MoveSchema(ma.Schema):
    from_stage = ma.fields.String(allow_none=True)
    to_stage = ma.fields.String(required=True)
    moved_on = ma.fields.Date(required=True)
    note = ma.fields.String()


class TrainingSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    person = ma.fields.String(required=True)
    course = ma.fields.String(required=True)
    minutes = ma.fields.Integer(required=True)
    trained_on = ma.fields.Date(required=True)


class FilingSchema(ma.Schema):
    number = ma.fields.String(required=True)
    filed_with = ma.fields.String(required=True)
    filed_on = ma.fields.Date(required=True)
    sponsor_status = ma.fields.String(required=True,
                                      metadata={"description": "pending / confirmed / declined"})
    sponsor_note = ma.fields.String()


class GroupSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    standing = ma.fields.String(required=True, metadata={"description": "filed / registered"})
    status = ma.fields.String(required=True,
                              metadata={"description": "pending / verified / rejected"})
    sponsor = ma.fields.String(allow_none=True)
    filing = ma.fields.Nested(FilingSchema, allow_none=True)
    incubator = ma.fields.String(allow_none=True)
    stage = ma.fields.String(allow_none=True,
                             metadata={"description": "admitted / nurturing / graduated"})
    stage_since = ma.fields.Date(allow_none=True)
    moves = ma.fields.List(ma.fields.Nested(MoveSchema))
    milestones = ma.fields.List(ma.fields.Nested(MilestoneSchema))
    trainings = ma.fields.List(ma.fields.Nested(TrainingSchema))


class GroupRowSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    stage = ma.fields.String(required=True)
    stage_since = ma.fields.Date(required=True)
    open_milestones = ma.fields.Integer(required=True)
    overdue = ma.fields.Integer(required=True)
    training_minutes = ma.fields.Integer(required=True)


class IncubatorSchema(ma.Schema):
    groups = ma.fields.List(ma.fields.Nested(GroupRowSchema), required=True)
    awaiting_sponsor = ma.fields.List(ma.fields.String(), required=True, metadata={
        "description": "groups that named this organization as sponsor, awaiting its answer"})


def _name(org_id: int | None) -> str | None:
    from app.extensions import db

    org = db.session.get(Organization, org_id) if org_id else None
    return org.name if org is not None else None


def _group_out(group: Organization) -> dict:
    incubation, record = services.incubation_of(group), filing.filing_of(group)
    if incubation is None and record is None:
        abort(404)  # an organization that is neither filed nor incubated
    return {
        "id": group.id, "name": group.name, "standing": group.standing, "status": group.status,
        "sponsor": _name(group.parent_id),
        "filing": None if record is None else {
            "number": record.number, "filed_with": record.filed_with.name,
            "filed_on": record.filed_on, "sponsor_status": record.sponsor_status,
            "sponsor_note": record.sponsor_note},
        "incubator": _name(incubation.incubator_id) if incubation else None,
        "stage": incubation.stage if incubation else None,
        "stage_since": incubation.stage_since if incubation else None,
        "moves": incubation.moves if incubation else [],
        "milestones": incubation.milestones if incubation else [],
        "trainings": services.trainings_of(group),
    }


def _incubation(group: Organization):
    incubation = services.incubation_of(group)
    if incubation is None:
        abort(404)
    return incubation


@blp.route("/groups")
class Groups(MethodView):
    decorators = [login_required]

    @blp.arguments(GroupInSchema, location="form")
    @blp.arguments(DocumentSchema, location="files")
    @blp.response(201, GroupSchema)
    def post(self, payload, files):
        """Apply as a filed group (multipart form with the filing ``document``): the group
        waits for its sponsor's answer, then the bureau's; you become its admin."""
        tenant = current_tenant()
        require("org.register", tenant)
        upload = files.get("document")
        document = uploads.check(upload.stream, upload.filename) if upload else None
        data = orgs.OrgData(
            name=payload["name"], credit_code="", kind=payload["kind"],
            legal_representative=payload["legal_representative"],
            contact_name=payload["contact_name"], contact_phone=payload["contact_phone"].strip(),
            contact_email=payload["contact_email"], description=payload["description"],
            area_ids=payload["area_ids"])
        group = filing.register_group(tenant, current_user, data, FilingData(
            number=payload["number"], filed_with_id=payload["filed_with_id"],
            filed_on=payload["filed_on"], sponsor_id=payload["sponsor_id"]), document)
        commit()
        return _group_out(group)


@blp.route("/groups/<int:org_id>")
class GroupOne(MethodView):
    decorators = [guard(Organization, "grassroots.view", "org_id"), login_required]

    @blp.response(200, GroupSchema)
    def get(self, org):
        """A group's filing record, stage, moves, milestones and leaders' training."""
        return _group_out(org)


@blp.route("/sponsorships/<int:group_id>")
class Sponsorship(MethodView):
    decorators = [guard(Organization, "grassroots.sponsor", "group_id"), login_required]

    @blp.arguments(SponsorInSchema)
    @blp.response(200, GroupSchema)
    def post(self, data, group):
        """The sponsor's admin confirms (the group enters incubation and goes to the bureau)
        or declines with a note."""
        filing.answer_sponsorship(group, current_user, accept=data["decision"] == "confirm",
                                  note=data["note"])
        commit()
        return _group_out(group)


@blp.route("/groups/<int:org_id>/moves")
class Moves(MethodView):
    decorators = [guard(Organization, "grassroots.incubate", "org_id"), login_required]

    @blp.arguments(MoveInSchema)
    @blp.response(201, MoveSchema)
    def post(self, data, org):
        """Move the group to its next stage (入驻 → 培育 → 出壳); graduation needs every
        milestone done."""
        row = services.move(_incubation(org), current_user, day=data["moved_on"],
                            note=data["note"], credit_code=data["credit_code"])
        commit()
        return row


@blp.route("/groups/<int:org_id>/milestones")
class Milestones(MethodView):
    decorators = [guard(Organization, "grassroots.incubate", "org_id"), login_required]

    @blp.arguments(MilestoneInSchema)
    @blp.response(201, MilestoneSchema)
    def post(self, data, org):
        """Add a milestone the group is to reach by a day."""
        row = services.add_milestone(_incubation(org), current_user, title=data["title"],
                                     due_on=data["due_on"])
        commit()
        return row


@blp.route("/milestones/<int:milestone_id>/done")
class MilestoneDone(MethodView):
    decorators = [guard(Milestone, "grassroots.milestone.done"), login_required]

    @blp.arguments(DoneInSchema)
    @blp.response(200, MilestoneSchema)
    def post(self, data, milestone):
        """Mark a milestone done on a day, saying what shows it."""
        services.complete_milestone(milestone, current_user, day=data["done_on"],
                                    evidence=data["evidence"])
        commit()
        return milestone


@blp.route("/groups/<int:org_id>/trainings")
class Trainings(MethodView):
    decorators = [guard(Organization, "grassroots.incubate", "org_id"), login_required]

    @blp.arguments(TrainingInSchema)
    @blp.response(201, TrainingSchema)
    def post(self, data, org):
        """Record a leader's training: who, which course, how many minutes, which day."""
        row = services.add_training(org, current_user, person=data["person"],
                                    course=data["course"], minutes=data["minutes"],
                                    day=data["trained_on"])
        commit()
        return row


@blp.route("/incubators/<int:org_id>")
class Incubator(MethodView):
    decorators = [guard(Organization, "grassroots.incubator.view", "org_id"), login_required]

    @blp.response(200, IncubatorSchema)
    def get(self, org):
        """The incubator's groups, earliest stage first, and those awaiting its answer."""
        if not org.is_incubator:
            abort(404)
        return {"groups": [{"id": r.group.id, "name": r.group.name, "stage": r.incubation.stage,
                            "stage_since": r.incubation.stage_since,
                            "open_milestones": r.open_milestones, "overdue": r.overdue,
                            "training_minutes": r.training_minutes}
                           for r in services.groups_of(org)],
                "awaiting_sponsor": [g.name for g in filing.awaiting_sponsor(org)]}


def blueprints():
    return [blp]
