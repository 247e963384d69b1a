"""Isolation: the honour list and organizations' reputation are public; the choice to appear
on the honour list is the signed-in volunteer's own (no id in the URL)."""

from __future__ import annotations

from tests.isolation import OPEN_ENDPOINTS, PUBLIC_ENDPOINTS

PUBLIC_ENDPOINTS.update({"reputation.honours", "api_reputation.Honours",
                         "api_reputation.OrgReputation"})
OPEN_ENDPOINTS.update({"volunteers.honours", "api_reputation.MyHonourChoice"})
