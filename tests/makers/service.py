"""Isolation makers for service records: shifts with a confirmed volunteer and a record."""

from __future__ import annotations

from tests.isolation import maker


def _shift(world, org):
    """One shift per organization (cached in ``world.extra``) with the world's volunteer
    confirmed on it."""
    from tests.service.factories import confirm, make_project, make_shift

    cache = world.extra.setdefault("service_shifts", {})
    if org.id not in cache:
        project = make_project(world.tenant, org, name=f"{org.name}-服务项目")
        shift = make_shift(project)
        confirm(shift, world.users.volunteer)
        cache[org.id] = shift
    return cache[org.id]


@maker("shift_id")
def _shift_id(world, org):
    return _shift(world, org).id
