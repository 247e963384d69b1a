"""Navigation: the bureau's 规则设置, and the public 资金和激励规则 page for everyone."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import anyone, nav_item, with_roles

nav_item(_l("Rules and settings"), "rules.settings", with_roles(Role.BUREAU_OFFICER, Role.AUDITOR),
         order=59, group="money")
nav_item(_l("Funding and incentive rules"), "rules.public", anyone, order=72, group="public")
