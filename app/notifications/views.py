from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.db_commit import commit
from app.notifications import services

bp = Blueprint("notifications", __name__, template_folder="templates")


@bp.route("/inbox")
@login_required
def inbox():
    return render_template("notifications/inbox.html", notes=services.inbox(current_user.id))


@bp.route("/inbox/read", methods=["POST"])
@login_required
def mark_read():
    services.mark_all_read(current_user.id)
    commit()
    return redirect(url_for("notifications.inbox"))
