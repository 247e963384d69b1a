"""Navigation: residents' consultations (居民议事) for residents and volunteers; the bureau's
list, where it opens them."""

from __future__ import annotations

from app.auth.models import Role
from app.glossary import TERMS
from app.navigation import nav_item, with_roles

nav_item(TERMS["consultation"].label, "consultations.index",
         with_roles(Role.RESIDENT, Role.VOLUNTEER), order=24, group="mine")
nav_item(TERMS["consultation"].label, "consultations.index", with_roles(Role.BUREAU_OFFICER, Role.AUDITOR),
         order=45, group="bureau")
