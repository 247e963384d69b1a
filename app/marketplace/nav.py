"""Menu entries for the marketplace and a person's own sign-ups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.models import Role
from app.navigation import anyone, nav_item, with_roles

nav_item(_l("Find services"), "marketplace.search", anyone, order=10)
nav_item(_l("My sign-ups"), "marketplace.my_bookings", with_roles(Role.RESIDENT), order=21,
         group="mine")
nav_item(_l("My shifts"), "marketplace.my_shifts", with_roles(Role.VOLUNTEER), order=23,
         group="mine")
nav_item(_l("Shifts for me"), "marketplace.shifts_for_me", with_roles(Role.VOLUNTEER), order=24,
         group="mine")
