"""A tenant's front page and the bureau's area tree."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.db_commit import commit
from app.extensions import db
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
