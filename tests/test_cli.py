"""Operator commands."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import Role, User
from app.tenancy.models import Tenant


def test_tenant_create_makes_tenant_and_bureau_officer(app, db):
    result = app.test_cli_runner().invoke(args=[
        "tenant", "create", "xicheng", "西城区民政局", "--admin", "chief@xicheng.gov.cn",
        "--admin-password", "chief12345"])
    assert result.exit_code == 0, result.output
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "xicheng"))
    chief = db.session.scalar(select(User).where(User.email == "chief@xicheng.gov.cn"))
    assert tenant.name == "西城区民政局"
    assert chief.roles_in(tenant.id) == {Role.BUREAU_OFFICER}
    assert chief.check_password("chief12345")


def test_tenant_create_refuses_a_bad_or_taken_slug(app, db):
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["tenant", "create", "Bad Slug", "x", "--admin", "a@b.cn",
                              "--admin-password", "chief12345"])
    assert bad.exit_code != 0 and "slug" in bad.output
    ok = ["tenant", "create", "dup", "x", "--admin", "a@b.cn", "--admin-password", "chief12345"]
    assert runner.invoke(args=ok).exit_code == 0
    again = runner.invoke(args=ok)
    assert again.exit_code != 0 and "exists" in again.output
