"""The inbox: in a tenant's frame at ``/t/<tenant>/inbox``; ``/inbox`` for a person who
belongs to several tenants (or none yet)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.db_commit import commit
from app.extensions import db
from app.notifications import services
from app.tenancy.models import Tenant
from app.tenancy.scoping import current_tenant

bp = Blueprint("notifications", __name__, template_folder="templates")


def _member_tenant() -> Tenant:
    tenant = current_tenant()
    if not current_user.roles_in(tenant.id):
        abort(404)
    return tenant


@bp.route("/inbox")
@login_required
def inbox():
    tenant_ids = {grant.tenant_id for grant in current_user.grants}
    if len(tenant_ids) == 1:  # the inbox in that tenant's frame
        tenant = db.session.get(Tenant, tenant_ids.pop())
        return redirect(url_for("notifications.tenant_inbox", tenant=tenant.slug))
    return render_template("notifications/inbox.html", lines=services.lines(current_user.id),
                           read_url=url_for("notifications.mark_read"))


@bp.route("/t/<tenant>/inbox")
@login_required
def tenant_inbox():
    tenant = _member_tenant()
    return render_template("notifications/inbox.html",
                           lines=services.lines(current_user.id, tenant.id),
                           read_url=url_for("notifications.tenant_mark_read"))


@bp.route("/inbox/read", methods=["POST"])
@login_required
def mark_read():
    services.mark_all_read(current_user.id)
    commit()
    return redirect(url_for("notifications.inbox"))


@bp.route("/t/<tenant>/inbox/read", methods=["POST"])
@login_required
def tenant_mark_read():
    tenant = _member_tenant()
    services.mark_all_read(current_user.id, tenant.id)
    commit()
    return redirect(url_for("notifications.tenant_inbox"))
