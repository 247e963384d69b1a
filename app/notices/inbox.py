"""Community notices in people's messages: the text-message and email copies end with the
link that stops them, signed for the person and the district (no sign-in needed)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.navigation import path_for
from app.notices import tokens
from app.notices.fanout import KIND
from app.notifications.footers import footer
from app.tenancy.models import Tenant


def stop_link(tenant_id: int, user_id: int) -> str:
    """The full address of a person's stop link (``PUBLIC_URL`` names the site)."""
    slug = db.session.scalar(select(Tenant.slug).where(Tenant.id == tenant_id))
    path = path_for("notices.stop", tenant=slug, stop_token=tokens.make(tenant_id, user_id))
    return current_app.config.get("PUBLIC_URL", "").rstrip("/") + path


@footer(KIND)
def _stop_footer(note, user) -> str:
    return _("Stop community notices: %(url)s", url=stop_link(note.tenant_id, user.id))
