"""Navigation: the audit log and the departure report for the bureau and auditors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles

_oversight = with_roles(Role.BUREAU_OFFICER, Role.AUDITOR)

nav_item(_l("Audit log"), "audit.log", _oversight, order=65, group="oversight")
nav_item(_l("Departure report"), "audit.departure", _oversight, order=66, group="oversight")
