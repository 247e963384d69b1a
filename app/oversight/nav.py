"""Navigation for the bureau's and auditors' oversight pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, with_roles

_oversight = with_roles(Role.BUREAU_OFFICER, Role.AUDITOR)

nav_item(_l("Oversight dashboard"), "oversight.dashboard_page", _oversight, order=61,
         group="oversight")
nav_item(_l("Anomaly queue"), "oversight.findings", _oversight, order=62, group="oversight")
nav_item(_l("Figures by place and group"), "oversight.places_page", _oversight, order=63,
         group="oversight")
