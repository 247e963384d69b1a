"""A tenant's front page and the bureau's area tree."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.glossary import term
from app.permissions import can, require
from app.tenancy import services
from app.tenancy.forms import AreaStaffForm
from app.tenancy.models import Area, AreaStaff
from app.tenancy.scoping import current_tenant, get_or_404, scoped

bp = Blueprint("tenancy", __name__, template_folder="templates", url_prefix="/t/<tenant>")


@bp.route("/")
def home():
    """The front page: a member's workbench, or the visitors' page."""
    from app.workbench.views import front_page

    return front_page(current_tenant())


@bp.route("/areas", methods=["GET", "POST"])
@login_required
def areas():
    tenant = current_tenant()
    require("area.manage", tenant)
    if request.method == "POST":
        name = (request.form.get("name") or "").strip()
        level = (request.form.get("level") or "").strip()
        parent_id = request.form.get("parent_id") or None
        parent = get_or_404(Area, parent_id) if parent_id else None
        if not name or not level or len(name) > 80 or len(level) > 20:
            flash(_("Please give the area a name and a level."), "error")
        else:
            services.add_area(tenant, name, level, parent)
            commit()
            flash(_("Area saved."), "success")
        return redirect(url_for("tenancy.areas"))
    rows = services.area_choices(tenant)
    return render_template("tenancy/areas.html", rows=rows, staff_form=_staff_form(tenant, rows),
                           staff=services.staff_by_area(tenant),
                           may_assign=can("area.assign_staff", tenant),
                           count=len(db.session.scalars(scoped(Area)).all()))


def _staff_form(tenant, rows) -> AreaStaffForm:
    form = AreaStaffForm()
    form.area_id.choices = rows
    form.user_id.choices = [(p.id, p.name) for p in services.bureau_people(tenant)]
    return form


@bp.route("/areas/staff", methods=["POST"])
@login_required
def put_in_charge():
    """Put a bureau officer (community or street staff, a grid worker) in charge of an area:
    a late need there reaches them before the bureau, and they write community notices to
    it (and the areas under it) only. The bureau's to say: ``area.assign_staff``."""
    from app.auth.models import User

    tenant = current_tenant()
    require("area.assign_staff", tenant)
    form = _staff_form(tenant, services.area_choices(tenant))
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("tenancy.areas"))
    area = get_or_404(Area, form.area_id.data)
    person = db.session.get(User, form.user_id.data)
    try:
        services.put_in_charge(tenant, area, person)
    except services.TenancyError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(_("%(name)s is now in charge of %(area)s.", name=person.name, area=area.name),
              "success")
    return redirect(url_for("tenancy.areas"))


@bp.route("/areas/staff/<int:staff_id>/remove", methods=["POST"])
@login_required
def relieve(staff_id: int):
    from flask_wtf import FlaskForm

    tenant = current_tenant()
    require("area.assign_staff", tenant)
    staff = get_or_404(AreaStaff, staff_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    name, area = staff.user.name, staff.area.name
    services.relieve(staff)
    commit()
    flash(_("%(name)s is no longer in charge of %(area)s.", name=name, area=area), "success")
    return redirect(url_for("tenancy.areas"))


@bp.route("/people")
@login_required
def people():
    """The bureau finds a person holding a role here (a lost phone, someone who left) and can
    sign them out on every device."""
    from app.auth import services as accounts
    from app.auth import sessions
    from app.db import utcnow

    tenant = current_tenant()
    require("tenant.administer", tenant)
    query = (request.args.get("q") or "").strip()[:60]
    found = accounts.people_of(tenant.id, query) if query else []
    now = utcnow()
    rows = [(person, sorted(str(term(g.role)) for g in person.grants if g.tenant_id == tenant.id),
             len(sessions.live(person)), sum(t.is_live(now) for t in accounts.tokens_of(person)))
            for person in found]
    return render_template("tenancy/people.html", query=query, rows=rows)


@bp.route("/people/<int:person_id>/sign-out", methods=["POST"])
@login_required
def sign_out_person(person_id: int):
    from flask_login import current_user

    from app import confirm
    from app.auth import services as accounts
    from app.auth.models import User

    tenant = current_tenant()
    require("tenant.administer", tenant)
    person = db.session.get(User, person_id)
    if person is None or not accounts.holds_role_in(person, tenant.id):
        abort(404)
    back = url_for("tenancy.people", q=person.name)
    if person.id == current_user.id:
        flash(_("To sign yourself out everywhere, use your account page."), "error")
        return redirect(back)
    if (page := confirm.ask("person.sign_out", person, back)) is not None:
        return page
    ended, revoked = accounts.sign_out_everywhere(person)
    commit()
    flash(_("%(name)s is signed out on every device (%(sessions)s sign-ins ended, %(tokens)s "
            "API tokens revoked).", name=person.name, sessions=ended, tokens=revoked), "success")
    return redirect(back)
