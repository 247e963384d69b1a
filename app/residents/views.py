"""Pages for acting for a resident who is not online (代办): the residents a staff member
keeps, registering one with their consent, a resident's page with their bookings (booked by
whom), booking a service for them and passing on their confirmation."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import confirm
from app.db import utcnow
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.needs.views import _area_choices as area_choices
from app.orgs.models import Organization
from app.permissions import can, require
from app.projects.models import Project, ProjectStatus, ServiceSlot, SlotBooking
from app.residents import labels, services
from app.residents.forms import OfflineResidentForm
from app.residents.models import ResidentProfile
from app.residents.services import ResidentError
from app.tenancy.models import Area
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("residents", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/residents")
#: How many coming slots the booking page offers.
SLOTS_SHOWN = 40


@bp.context_processor
def _labels() -> dict:
    return {"consent_short": labels.CONSENT_SHORT}


@bp.route("/offline")
@login_required
def kept():
    tenant = current_tenant()
    require("resident.register", tenant)
    return render_template("residents/kept.html",
                           profiles=services.kept_by(current_user, tenant))


@bp.route("/offline/new", methods=["GET", "POST"])
@login_required
def register():
    tenant = current_tenant()
    require("resident.register", tenant)
    form = OfflineResidentForm()
    form.area_id.choices = area_choices()
    form.target_group.choices = [("", _("None"))] + [
        (g, g) for g in tenant.setting("target_groups")]
    orgs = services.keeping_orgs(current_user, tenant)
    form.org_id.choices = ([(0, _("The community (bureau staff)"))]
                           if can("tenant.administer", tenant) else []) + [
        (o.id, o.name) for o in orgs]
    if form.validate_on_submit():
        area = get_or_404(Area, form.area_id.data)
        org = next((o for o in orgs if o.id == form.org_id.data), None)
        if org is None and not can("tenant.administer", tenant):
            org = orgs[0] if len(orgs) == 1 else None
        try:
            profile = services.register(
                tenant, current_user, name=form.name.data, id_number=form.id_number.data,
                area=area, target_group=form.target_group.data or "",
                consent_how=form.consent_how.data, consent_given_by=form.consent_given_by.data,
                contact_phone=form.contact_phone.data or "", org=org)
        except ResidentError as exc:
            db.session.rollback()
            if exc.field and exc.field in form:
                form[exc.field].errors = [str(exc)]
            flash(str(exc), "error")
        else:
            commit()
            flash(_("%(name)s is registered. You can now book services for them.",
                    name=profile.user.name), "success")
            return redirect(url_for("residents.show", profile_id=profile.id))
    elif form.is_submitted():
        flash_form_errors(form)
    return render_template("residents/new.html", form=form, show_orgs=len(form.org_id.choices) > 1)


def _kept(profile_id: int) -> ResidentProfile:
    profile = get_or_404(ResidentProfile, profile_id)
    require("resident.act_for", profile)
    return profile


@bp.route("/offline/<int:profile_id>")
@login_required
def show(profile_id: int):
    profile = _kept(profile_id)
    area = db.session.get(Area, profile.area_id) if profile.area_id else None
    org = db.session.get(Organization, profile.kept_by_org_id) if profile.kept_by_org_id else None
    return render_template("residents/show.html", profile=profile, area=area, org=org,
                           rows=services.bookings_of(profile), now=utcnow(),
                           may_confirm=services.attendance.may_confirm)


@bp.route("/offline/<int:profile_id>/book")
@login_required
def slots(profile_id: int):
    """Coming service slots with places, those for the resident's group first."""
    profile = _kept(profile_id)
    now = utcnow()
    found = db.session.execute(
        scoped(ServiceSlot).join(Project, Project.id == ServiceSlot.project_id)
        .where(Project.status == ProjectStatus.PUBLISHED, ServiceSlot.cancelled_at.is_(None),
               ServiceSlot.starts_at > now)
        .order_by(ServiceSlot.starts_at).limit(SLOTS_SHOWN)
        .add_columns(Project.name)).all()
    booked = set(db.session.scalars(select(SlotBooking.slot_id).where(
        SlotBooking.tenant_id == profile.tenant_id, SlotBooking.user_id == profile.user_id)))
    rows = [(slot, name) for slot, name in found
            if not slot.target_group or slot.target_group == profile.target_group]
    return render_template("residents/slots.html", profile=profile, rows=rows, booked=booked)


@bp.route("/offline/<int:profile_id>/book/<int:slot_id>", methods=["POST"])
@login_required
def book(profile_id: int, slot_id: int):
    profile = _kept(profile_id)
    slot = get_or_404(ServiceSlot, slot_id)
    try:
        booking = services.book_for(profile, slot, current_user)
    except ResidentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("residents.slots", profile_id=profile.id))
    commit()
    flash(_("Booked for %(name)s.", name=profile.user.name) if booking.confirmed_at
          else _("%(name)s is on the waitlist.", name=profile.user.name), "success")
    return redirect(url_for("residents.show", profile_id=profile.id))


@bp.route("/offline/<int:profile_id>/bookings/<int:booking_id>/confirm", methods=["POST"])
@login_required
def confirm_for(profile_id: int, booking_id: int):
    profile = _kept(profile_id)
    booking = get_or_404(SlotBooking, booking_id)
    if booking.user_id != profile.user_id:
        abort(404)
    back = url_for("residents.show", profile_id=profile.id)
    if (page := confirm.ask("resident.confirm_for", booking, back)) is not None:
        return page
    try:
        services.confirm_for(profile, booking, current_user)
    except ResidentError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("Recorded: %(name)s received this service.", name=profile.user.name),
              "success")
    return redirect(back)
