"""Navigation: evaluations for the bureau, auditors and organization staff."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import nav_item, org_staff, with_roles

_oversight = with_roles(Role.BUREAU_OFFICER, Role.AUDITOR)


def _evaluation_readers(user, tenant) -> bool:
    return _oversight(user, tenant) or org_staff(user, tenant)


nav_item(_l("Performance evaluation"), "evaluation.index", _evaluation_readers, order=73)
