"""Isolation: the shifts for me, the choice to be told of new ones and the free times are the
signed-in volunteer's own (no id in the URL)."""

from __future__ import annotations

from tests.isolation import OPEN_ENDPOINTS

OPEN_ENDPOINTS.update({"marketplace.shifts_for_me", "api_market.ShiftsForMe", "volunteers.notices",
                       "volunteers.free_times", "api_volunteers.MyFreeTimes"})
