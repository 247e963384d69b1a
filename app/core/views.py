"""Front page, language switch and health check."""

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
from sqlalchemy import select, text

from app.extensions import db, limiter
from app.intents import safe_next
from app.tenancy.models import Tenant

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    tenants = db.session.scalars(select(Tenant).order_by(Tenant.name)).all()
    if len(tenants) == 1:
        return redirect(url_for("tenancy.home", tenant=tenants[0].slug))
    return render_template("core/home.html", tenants=tenants)


@bp.route("/lang/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), url_for("core.home")))


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
