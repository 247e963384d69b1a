"""``/api/v1/t/<tenant>``: organizations manage projects, shifts and slots. Reading a
project and signing up are in ``app.marketplace.api``."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user, login_required

from app.api import api_blueprint
from app.db_commit import commit
from app.money import to_yuan
from app.orgs import uploads
from app.orgs.apiutil import guard, refused
from app.orgs.models import Organization
from app.permissions import require
from app.privacy import mask_phone
from app.projects import places, services, signups
from app.projects.models import Project, ServiceSlot, Shift
from app.projects.schemas import (
    ClosingSchema,
    PhotosSchema,
    PlaceInSchema,
    ProjectInSchema,
    ProjectSchema,
    ReasonSchema,
    RosterEntrySchema,
    ScopeArgs,
    ShiftSchema,
    SlotSchema,
)
from app.projects.services import ProjectError
from app.schedules import services as schedules
from app.tenancy.scoping import current_tenant, get_or_404

blp = api_blueprint("api_projects", __name__, "/t/<tenant>",
                    "Projects, volunteer shifts and service slots, managed by their organization")
blp.register_error_handler(ProjectError, refused)
blp.register_error_handler(uploads.UploadError, refused)


def _data(payload: dict) -> services.ProjectData:
    payload = dict(payload)
    payload["budget_lines"] = [(b["line"], to_yuan(b["amount"])) for b in payload["budget_lines"]]
    return services.ProjectData(**payload)


def _place(payload: dict) -> places.PlaceData:
    return places.PlaceData(**payload)


@blp.route("/organizations/<int:org_id>/projects")
class OrgProjects(MethodView):
    decorators = [login_required]

    @blp.response(200, ProjectSchema(many=True))
    def get(self, org_id: int):
        """All of an organization's projects, drafts included (its staff and oversight)."""
        org = get_or_404(Organization, org_id)
        require("org.view_internal", org)
        return services.org_projects(org)

    @guard(Organization, "project.create", "org_id")
    @blp.arguments(ProjectInSchema)
    @blp.response(201, ProjectSchema)
    def post(self, payload, org: Organization):
        """A new draft."""
        project = services.create(org, current_tenant(), current_user, _data(payload))
        commit()
        return project


@blp.route("/projects/<int:project_id>", methods=["PATCH"])
class ProjectEdit(MethodView):
    decorators = [login_required]

    @guard(Project, "project.manage")
    @blp.arguments(ProjectInSchema)
    @blp.response(200, ProjectSchema)
    def patch(self, payload, project: Project):
        services.update(project, current_tenant(), _data(payload))
        commit()
        return project


@blp.route("/projects/<int:project_id>/publication")
class Publication(MethodView):
    decorators = [login_required]

    @guard(Project, "project.manage")
    @blp.response(200, ProjectSchema)
    def post(self, project: Project):
        """Publish a draft (verified organizations, at least one shift or slot)."""
        services.publish(project)
        commit()
        return project


@blp.route("/projects/<int:project_id>/cancellation")
class Cancellation(MethodView):
    decorators = [login_required]

    @guard(Project, "project.manage")
    @blp.arguments(ReasonSchema)
    @blp.response(200, ProjectSchema)
    def post(self, payload, project: Project):
        """Cancel the project; everyone signed up is told the reason."""
        services.cancel(project, payload["reason"])
        commit()
        return project


@blp.route("/projects/<int:project_id>/closing")
class Closing(MethodView):
    decorators = [login_required]

    @guard(Project, "project.manage")
    @blp.arguments(ClosingSchema, location="form")
    @blp.arguments(PhotosSchema, location="files")
    @blp.response(200, ProjectSchema)
    def post(self, payload, files, project: Project):
        """Close with the closing report (multipart form: ``report`` and ``photos``)."""
        photos = [uploads.check(f.stream, f.filename, uploads.IMAGES) for f in files["photos"]]
        services.close(project, payload["report"], photos)
        commit()
        return project


@blp.route("/projects/<int:project_id>/shifts")
class Shifts(MethodView):
    decorators = [login_required]

    @guard(Project, "project.manage")
    @blp.arguments(PlaceInSchema)
    @blp.response(201, ShiftSchema)
    def post(self, payload, project: Project):
        shift = places.add_shift(project, _place(payload))
        commit()
        return shift


@blp.route("/projects/<int:project_id>/slots")
class Slots(MethodView):
    decorators = [login_required]

    @guard(Project, "project.manage")
    @blp.arguments(PlaceInSchema)
    @blp.response(201, SlotSchema)
    def post(self, payload, project: Project):
        slot = places.add_slot(project, _place(payload))
        commit()
        return slot


@blp.route("/shifts/<int:shift_id>", methods=["PATCH"])
class ShiftEdit(MethodView):
    decorators = [login_required]

    @guard(Shift, "project.manage")
    @blp.arguments(PlaceInSchema)
    @blp.arguments(ScopeArgs, location="query")
    @blp.response(200, ShiftSchema)
    def patch(self, payload, args, shift: Shift):
        """Change a shift; capacity never below the confirmed places, more promotes the waitlist.
        A date of a recurring schedule may take its dates after it, or all, along (``scope``)."""
        schedules.change(shift, _place(payload), args["scope"])
        commit()
        return shift


@blp.route("/slots/<int:slot_id>", methods=["PATCH"])
class SlotEdit(MethodView):
    decorators = [login_required]

    @guard(ServiceSlot, "project.manage", "slot_id")
    @blp.arguments(PlaceInSchema)
    @blp.arguments(ScopeArgs, location="query")
    @blp.response(200, SlotSchema)
    def patch(self, payload, args, slot: ServiceSlot):
        schedules.change(slot, _place(payload), args["scope"])
        commit()
        return slot


@blp.route("/shifts/<int:shift_id>/cancellation")
class ShiftCancellation(MethodView):
    decorators = [login_required]

    @guard(Shift, "project.manage")
    @blp.arguments(ReasonSchema)
    @blp.response(200, ShiftSchema)
    def post(self, payload, shift: Shift):
        shift = places.cancel_place(shift, payload["reason"])
        commit()
        return shift


@blp.route("/slots/<int:slot_id>/cancellation")
class SlotCancellation(MethodView):
    decorators = [login_required]

    @guard(ServiceSlot, "project.manage", "slot_id")
    @blp.arguments(ReasonSchema)
    @blp.response(200, SlotSchema)
    def post(self, payload, slot: ServiceSlot):
        slot = places.cancel_place(slot, payload["reason"])
        commit()
        return slot


def _roster(place):
    require("org.view_internal", place)
    return [{"user_id": u.id, "name": u.name, "phone": mask_phone(u.phone) or None,
             "status": row.status} for row, u in signups.roster(place)]


@blp.route("/shifts/<int:shift_id>/roster")
class ShiftRoster(MethodView):
    decorators = [login_required]

    @blp.response(200, RosterEntrySchema(many=True))
    def get(self, shift_id: int):
        """Who is on the shift: confirmed first, then the waitlist in order."""
        return _roster(get_or_404(Shift, shift_id))


@blp.route("/slots/<int:slot_id>/roster")
class SlotRoster(MethodView):
    decorators = [login_required]

    @blp.response(200, RosterEntrySchema(many=True))
    def get(self, slot_id: int):
        return _roster(get_or_404(ServiceSlot, slot_id))


def blueprints():
    return [blp]
