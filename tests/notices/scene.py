"""A district with two communities, their grids and residents on the roll, for the notice tests."""

from __future__ import annotations

from types import SimpleNamespace

from app.auth.models import Role
from app.extensions import db
from app.notices import services
from app.residents import services as residents
from app.residents.models import ResidentProfile
from app.tenancy.services import add_area, put_in_charge
from tests.factories import TenantFactory, user_with


def on_roll(tenant, area, group, **kw):
    """An online resident on the district's roll, living in ``area``."""
    user = user_with(tenant, Role.RESIDENT, **kw)
    db.session.add(ResidentProfile(tenant_id=tenant.id, user_id=user.id, area_id=area.id,
                                   target_group=group))
    db.session.flush()
    return user


def build(**settings) -> SimpleNamespace:
    tenant = TenantFactory(settings=settings)
    s = SimpleNamespace(tenant=tenant)
    street = add_area(tenant, "东湖街道", "街道")
    s.xingfu = add_area(tenant, "幸福社区", "社区", street)
    s.grid = add_area(tenant, "幸福社区第1网格", "网格", s.xingfu)
    s.heping = add_area(tenant, "和平社区", "社区", street)
    s.bureau = user_with(tenant, Role.BUREAU_OFFICER, name="王科长")
    s.staff = user_with(tenant, Role.BUREAU_OFFICER, name="刘网格员")
    put_in_charge(tenant, s.xingfu, s.staff)
    # 幸福社区's elderly living alone: one online, one asked for text messages, one not
    # online (reached at her daughter's phone), one who stopped community notices.
    s.online = on_roll(tenant, s.grid, "独居老人", name="周大爷")
    s.texted = on_roll(tenant, s.xingfu, "独居老人", name="吴奶奶", sms=True)
    s.offline = residents.register(
        tenant, s.staff, name="郑奶奶", id_number="110105195205070025", area=s.grid,
        target_group="独居老人", consent_how="written", consent_given_by="女儿 李红",
        contact_phone="13700000011").user
    s.stopped = on_roll(tenant, s.grid, "独居老人", name="冯大爷")
    services.choose(tenant.id, s.stopped, False, services.ChoiceHow.SELF)
    # Not of the group, or not of the community.
    s.disabled = on_roll(tenant, s.grid, "残疾人", name="陈叔叔")
    s.elsewhere = on_roll(tenant, s.heping, "独居老人", name="褚奶奶")
    return s
