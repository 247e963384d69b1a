"""The honour list (光荣榜): public, one page per district, made for a phone."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.reputation import services
from app.tenancy.scoping import current_tenant

bp = Blueprint("reputation", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/honours")


@bp.route("")
def honours():
    tenant = current_tenant()
    return render_template("reputation/honours.html", tenant=tenant,
                           honours=services.honour_list(tenant),
                           thresholds=list(tenant.setting("star_thresholds")))
