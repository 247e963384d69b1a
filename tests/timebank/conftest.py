"""Fixtures for the time bank: a fresh journal directory per test, a district in time-bank
mode with two organizations, a volunteer, her daughter and a neighbour."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.auth.models import Role, User
from app.orgs.models import Organization
from app.projects.models import Project
from app.tenancy.models import Tenant
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.service.factories import BASE, confirm, make_project, make_shift


@pytest.fixture(autouse=True)
def books_dir(app, tmp_path):
    """Each test writes its own journals (the database is rolled back; files are not)."""
    before = app.config["LEDGER_DIR"]
    app.config["LEDGER_DIR"] = str(tmp_path / "ledger")
    yield tmp_path / "ledger"
    app.config["LEDGER_DIR"] = before


@pytest.fixture
def zh(app, db):
    with app.test_request_context("/"):
        yield db


@dataclass
class Bank:
    tenant: Tenant
    org_a: Organization
    org_b: Organization
    coordinator: User
    volunteer: User
    daughter: User
    neighbour: User
    officer: User
    project_a: Project
    project_b: Project


def district(mode: str = "time_bank", cap: int = 1500, prefix: str = "138") -> Bank:
    tenant = TenantFactory(settings={"incentive_mode": mode, "time_bank_cap_hours": cap})
    org_a = OrgFactory(tenant_id=tenant.id, name="阳光社区服务中心")
    org_b = OrgFactory(tenant_id=tenant.id, name="邻里互助会")
    coordinator = user_with(tenant, Role.ORG_COORDINATOR, org_a, name="协调员")
    volunteer = user_with(tenant, Role.VOLUNTEER, name="张秀兰", phone=f"{prefix}00001111")
    daughter = user_with(tenant, Role.RESIDENT, name="李娟", phone=f"{prefix}00002222")
    neighbour = user_with(tenant, Role.RESIDENT, name="赵大爷", phone=f"{prefix}00003333")
    officer = user_with(tenant, Role.BUREAU_OFFICER, name="王科长")
    project_a = make_project(tenant, org_a, created_by_id=coordinator.id)
    project_b = make_project(tenant, org_b, name="上门理发")
    return Bank(tenant, org_a, org_b, coordinator, volunteer, daughter, neighbour, officer,
                project_a, project_b)


def shift_for(bank: Bank, hours: float = 3, start=BASE):
    shift = make_shift(bank.project_a, starts_at=start, hours=hours, leader=bank.coordinator)
    confirm(shift, bank.volunteer)
    return shift
