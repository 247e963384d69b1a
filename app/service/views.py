"""Pages of the service domain. The blueprint lives here; its routes are grouped by who
uses them in ``app.service.pages``: attendance (coordinators and volunteers on the spot),
approvals, the volunteer's own pages, certificates, residents' feedback, org staff pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("service", __name__, template_folder="templates", url_prefix="/t/<tenant>/service")


@bp.app_template_filter("as_hours")
def as_hours(minutes: int | None) -> str:
    """Stored minutes shown as hours (``135`` → ``2.25``)."""
    from app.service.hours import format_minutes

    return format_minutes(minutes or 0)


@bp.context_processor
def _labels() -> dict:
    from app.service.labels import labels

    return labels()


from app.service.pages import (  # noqa: E402,F401
    approvals,
    attendance,
    certificates,
    feedback,
    org,
    volunteer,
)
