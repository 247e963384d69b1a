"""The tenant's front page: a signed-in member's workbench, or the visitors' page with the
services coming up."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.db import utcnow
from app.marketplace import agenda
from app.tenancy.models import Tenant
from app.workbench import services

bp = Blueprint("workbench", __name__, template_folder="templates")

#: How many coming services and shifts the visitors' page lists.
VISITOR_LIST = 4


def front_page(tenant: Tenant):
    """What ``/t/<tenant>/`` shows (``tenancy.home``)."""
    now = utcnow()
    if current_user.is_authenticated and services.member(current_user, tenant):
        return render_template("workbench/home.html",
                               wb=services.build(current_user, tenant, now), now=now)
    slots = agenda.slots_near(tenant.id, None, None, now, VISITOR_LIST)
    shifts = agenda.shifts_for(tenant.id, None, None, None, now, VISITOR_LIST)
    return render_template("workbench/visitor.html", tenant=tenant, slots=slots, shifts=shifts,
                           when=services.when, now=now)
