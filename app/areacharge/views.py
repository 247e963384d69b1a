"""我负责的片区: one page, for each area the officer holds, of what to do today."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from app.areacharge import services
from app.complaints import labels as complaint_labels
from app.db import utcnow
from app.needs import labels as need_labels
from app.permissions import require
from app.service.hours import local_date
from app.tenancy.scoping import current_tenant

bp = Blueprint("areacharge", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/my-areas")


@bp.route("")
@login_required
def page():
    tenant = current_tenant()
    require("areacharge.view", tenant)
    now = utcnow()
    return render_template("areacharge/page.html", areas=services.today(current_user, tenant.id, now),
                           now=now, today=local_date(now), labels=need_labels,
                           complaint_labels=complaint_labels, shown=services.SHOWN,
                           quiet_days=services.QUIET_DAYS)
