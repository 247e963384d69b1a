"""Isolation makers for organizations."""

from __future__ import annotations

from tests.isolation import maker


@maker("org_id")
def _org(world, org):
    return org.id
