"""Isolation makers for residents who are not online (代办)."""

from __future__ import annotations

import itertools

from tests.isolation import maker

_serial = itertools.count(1)


def id_number() -> str:
    """A fresh valid 居民身份证号码 (born 1960, Beijing Chaoyang)."""
    from stdnum.cn import ric

    while True:
        body = f"11010519600101{next(_serial) % 1000:03d}"
        number = body + ric.calc_check_digit(body)
        if ric.is_valid(number):
            return number


@maker("profile_id")
def _profile(world, org):
    """A resident not online, kept by ``org``, registered by the district's officer."""
    from app.residents import services
    from tests.factories import AreaFactory

    area = AreaFactory(tenant=world.tenant, name=f"{org.name}网格", level="网格")
    profile = services.register(world.tenant, world.users.officer, name=f"{org.name}的居民",
                                id_number=id_number(), area=area, target_group="",
                                consent_how="written", contact_phone="13700000000")
    profile.kept_by_org_id = org.id
    return profile.id
