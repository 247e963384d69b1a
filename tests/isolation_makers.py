"""Object makers for the isolation attack, one block per domain."""

from __future__ import annotations

from tests.isolation import maker


@maker("org_id")
def _org(world, org):
    return org.id
