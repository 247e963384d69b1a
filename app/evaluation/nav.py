"""Navigation: evaluations for the bureau and auditors (oversight) and for organization
staff (their organization's work)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, org_staff, with_roles

nav_item(_l("Performance evaluation"), "evaluation.index",
         with_roles(Role.BUREAU_OFFICER, Role.AUDITOR), order=64, group="oversight")
nav_item(_l("Performance evaluation"), "evaluation.index", org_staff, order=33, group="work")
