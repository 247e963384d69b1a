"""Register as a volunteer, see and correct one's own record, download it."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.validators import Optional

from app.db_commit import commit
from app.extensions import db
from app.intents import safe_next
from app.permissions import require
from app.tenancy.scoping import current_tenant
from app.tenancy.services import area_choices
from app.volunteers import availability, services
from app.volunteers.forms import (
    AvailabilityForm,
    HonourForm,
    NoticeForm,
    RegisterVolunteerForm,
    VolunteerForm,
)

bp = Blueprint("volunteers", __name__, template_folder="templates", url_prefix="/t/<tenant>/volunteer")


def _prepare(form: VolunteerForm, tenant) -> None:
    form.area_id.choices = [(0, "—")] + area_choices(tenant)
    form.service_categories.choices = [(c, c) for c in tenant.setting("service_categories")]


def _data(form: VolunteerForm) -> services.VolunteerData:
    return services.VolunteerData(
        real_name=form.real_name.data, gender=form.gender.data, birth_date=form.birth_date.data,
        id_number=form.id_number.data, phone=form.phone.data.strip(),
        area_id=form.area_id.data or None, skills=form.skills.data or "",
        service_categories=form.service_categories.data or [],
        insurance_policy=form.insurance_policy.data, insurance_expires=form.insurance_expires.data)


@bp.route("/register", methods=["GET", "POST"])
@login_required
def register():
    tenant = current_tenant()
    # Where the person was going (a shift's sign-up, app/intents.py), else their record.
    back = safe_next(request.args.get("next"), url_for("volunteers.profile"))
    if services.profile_for(current_user, tenant):
        return redirect(back)
    form = RegisterVolunteerForm()
    _prepare(form, tenant)
    if form.validate_on_submit():
        try:
            services.register(current_user, tenant, _data(form), consent=form.consent.data)
        except services.VolunteerError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("You are now registered as a volunteer."), "success")
            return redirect(back)
    return render_template("volunteers/register.html", form=form)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    tenant = current_tenant()
    record = services.profile_for(current_user, tenant)
    if record is None:
        return redirect(url_for("volunteers.register"))
    require("volunteer.edit_profile", record)
    form = VolunteerForm(obj=record)
    form.id_number.validators = form.phone.validators = [Optional()]
    form.id_number.render_kw = {"placeholder": record.masked_id_number, "autocomplete": "off"}
    form.phone.render_kw = {"placeholder": record.masked_phone}
    _prepare(form, tenant)
    if form.is_submitted() and form.validate():
        form.id_number.data = form.id_number.data or record.id_number
        form.phone.data = form.phone.data or record.phone
        try:
            services.update(record, tenant, _data(form))
        except services.VolunteerError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            commit()
            flash(_("Your record has been updated."), "success")
            return redirect(url_for("volunteers.profile"))
    if not form.is_submitted() or form.errors:
        # Never echo the full numbers into the page: blank means "keep what is recorded".
        form.id_number.data = form.phone.data = ""
    honour = HonourForm(prefix="honour", data={"listed": record.honour_listed,
                                               "full_name": record.honour_full_name})
    notices = NoticeForm(prefix="notices", data={"on": record.shift_notices})
    return render_template("volunteers/profile.html", form=form, record=record, honour=honour,
                           notices=notices, per_day=tenant.setting("shift_notices_per_day"))


@bp.route("/profile/honours", methods=["POST"])
@login_required
def honours():
    """The person's own choice to appear on the public honour list, and by which name."""
    record = services.profile_for(current_user, current_tenant())
    if record is None:
        return redirect(url_for("volunteers.register"))
    require("volunteer.edit_profile", record)
    form = HonourForm(prefix="honour")
    if form.validate_on_submit():
        services.choose_honour_list(record, form.listed.data, form.full_name.data)
        commit()
        flash(_("You are on the honour list.") if record.honour_listed
              else _("You are not on the honour list."), "success")
    else:
        flash(_("This form has expired or was not sent from this site. Please reload the page and try again."), "error")
    return redirect(url_for("volunteers.profile") + "#honours")


@bp.route("/profile/notices", methods=["POST"])
@login_required
def notices():
    """The person's own choice to be told when a shift that suits them opens."""
    record = services.profile_for(current_user, current_tenant())
    if record is None:
        return redirect(url_for("volunteers.register"))
    require("volunteer.edit_profile", record)
    form = NoticeForm(prefix="notices")
    if form.validate_on_submit():
        services.choose_shift_notices(record, form.on.data)
        commit()
        flash(_("We will tell you when a shift that suits you opens.") if record.shift_notices
              else _("We will not send you notices of new shifts."), "success")
    back = safe_next(request.form.get("next"), url_for("volunteers.profile") + "#notices")
    return redirect(back)


@bp.route("/availability", methods=["GET", "POST"])
@login_required
def free_times():
    """When the person is usually free: a grid of weekdays × 上午 / 下午 / 晚上, one button."""
    record = services.profile_for(current_user, current_tenant())
    if record is None:
        return redirect(url_for("volunteers.register"))
    require("volunteer.edit_profile", record)
    form = AvailabilityForm()
    form.free.choices = [(cell, cell) for cell in availability.CELLS]
    if request.method == "GET":
        form.free.data = availability.cells_of(record.free_times)
    elif form.validate_on_submit():
        availability.choose(record, form.free.data or [])
        commit()
        flash(_("Saved. Shifts at the times you marked come first.") if record.free_times
              else _("Saved. You marked no time, so we take it you are free whenever."),
              "success")
        return redirect(safe_next(request.form.get("next"),
                                  url_for("marketplace.shifts_for_me")))
    return render_template("volunteers/availability.html", form=form,
                           chosen=set(form.free.data or []), grid=availability,
                           next=request.args.get("next", ""))


@bp.route("/profile/export")
@login_required
def export():
    record = services.profile_for(current_user, current_tenant())
    if record is None:
        return redirect(url_for("volunteers.register"))
    require("volunteer.view_personal_data", record)
    response = jsonify(services.export_personal_data(record))
    response.headers["Content-Disposition"] = "attachment; filename=my-volunteer-record.json"
    response.headers["Cache-Control"] = "no-store"
    return response
