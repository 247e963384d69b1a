"""A tenant's front page and the bureau's area tree."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.db_commit import commit
from app.extensions import db
from app.glossary import term
from app.permissions import require
from app.tenancy import services
from app.tenancy.models import Area
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
    return render_template("tenancy/areas.html", rows=rows,
                           count=len(db.session.scalars(scoped(Area)).all()))


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
