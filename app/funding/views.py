"""Funding pages: the bureau's (funds, calls, awards, contracts, payments), the organization's
(applications, contracts, expenditures with receipts, redemptions), the volunteer's points, the
overseers' queue, and the public notices and contracts. Routes live in ``app.funding.pages``."""

from __future__ import annotations

from flask import Blueprint

from app.privacy import scrub

bp = Blueprint("funding", __name__, template_folder="templates", url_prefix="/t/<tenant>/funding")


@bp.app_template_filter("scrub")
def _scrub(text: str | None) -> str:
    """Mask ID and mobile numbers someone typed into free text before it is shown publicly."""
    return scrub(text or "")


from app.funding.pages import (  # noqa: E402,F401  (their routes attach to ``bp``)
    bureau,
    contracts,
    delivery,
    incentives,
    org,
    overseers,
    public,
    steps,
)
