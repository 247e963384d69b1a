"""Front page, language and large-text switches, favicon and health check."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select, text

from app.db_commit import commit
from app.extensions import csrf, db, limiter
from app.intents import safe_next
from app.tenancy.models import Tenant

bp = Blueprint("core", __name__)


#: A visitor's large-text choice (a signed-in person's is on their account).
LARGE_TEXT_COOKIE = "large_text"


@bp.route("/")
def home():
    tenants = db.session.scalars(select(Tenant).order_by(Tenant.name)).all()
    if len(tenants) == 1:
        return redirect(url_for("tenancy.home", tenant=tenants[0].slug))
    if current_user.is_authenticated:  # a member of one tenant goes to its workbench
        mine = {g.tenant_id for g in current_user.grants}
        if len(mine) == 1:
            slug = next(t.slug for t in tenants if t.id in mine)
            return redirect(url_for("tenancy.home", tenant=slug))
    return render_template("core/home.html", tenants=tenants)


@bp.route("/lang/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("core.home")))


@bp.route("/large-text", methods=["POST"])
@csrf.exempt
def set_large_text():
    """长辈版 on or off: kept on the account of a signed-in person, in a cookie for a visitor
    (and on this device for the person too, so signing out does not shrink the text).

    A signed-in person's switch changes their account, so it carries the form token. A
    visitor's only sets this cookie, so their pages carry no token (reading a page starts
    no session) and a forged switch could at most change a stranger's text size."""
    on = request.form.get("on") == "1"
    if current_user.is_authenticated:
        if current_app.config.get("WTF_CSRF_ENABLED", True):  # as for every form
            csrf.protect()
        current_user.large_text = on
        commit()
    response = redirect(safe_next(request.form.get("next"), url_for("core.home")))
    response.set_cookie(LARGE_TEXT_COOKIE, "1" if on else "0", max_age=365 * 24 * 3600,
                        samesite="Lax", httponly=True,
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def large_text() -> bool:
    """Whether this page is drawn in large text."""
    if current_user.is_authenticated:
        return bool(current_user.large_text)
    return request.cookies.get(LARGE_TEXT_COOKIE) == "1"


@bp.route("/favicon.ico")
def favicon():
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.route("/healthz")
@limiter.exempt
def healthz():
    report, ok = {}, True
    try:
        db.session.execute(text("SELECT 1"))
        report["database"] = "ok"
    except Exception as exc:  # report, don't crash: this is what monitoring reads
        report["database"], ok = f"error: {type(exc).__name__}", False
    if current_app.config.get("REDIS_URL"):
        from workers.queue import redis_connection

        try:
            redis_connection().ping()
            report["redis"] = "ok"
        except Exception as exc:
            report["redis"], ok = f"error: {type(exc).__name__}", False
    else:
        report["redis"] = "not configured (jobs run inline)"
    report["status"] = "ok" if ok else "degraded"
    return jsonify(report), 200 if ok else 503
