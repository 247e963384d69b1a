"""Isolation makers for the oversight dashboards: funds, contracts and expenditures, made
directly as rows (the funding makers may cover the same names; either serves)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.isolation import maker

_serial = iter(range(1, 10**9))


def _add(row):
    from app.extensions import db

    db.session.add(row)
    db.session.flush()
    return row


def _fund(world):
    from app.funding.models import Fund

    return _add(Fund(tenant_id=world.tenant.id, fiscal_year=2026,
                     name=f"专项资金{next(_serial)}", source="区级财政",
                     amount_fen=10_000_000, created_by_id=world.users.officer.id))


def _contract(world, org):
    from app.db import utcnow
    from app.funding.models import Application, Award, Call, Contract, ContractLine

    fund = _fund(world)
    call = _add(Call(tenant_id=world.tenant.id, fund_id=fund.id, title="助老服务", category="助老服务",
                     ceiling_fen=5_000_000, deadline_at=utcnow() + timedelta(days=10),
                     created_by_id=world.users.officer.id))
    application = _add(Application(tenant_id=world.tenant.id, org_id=org.id, call_id=call.id,
                                   title=f"{org.name}的方案", plan="每周探访", total_fen=1_000_000,
                                   submitted_by_id=world.users.admin.id))
    award = _add(Award(tenant_id=world.tenant.id, org_id=org.id, application_id=application.id,
                       call_id=call.id, amount_fen=1_000_000, notice_starts_at=utcnow() - timedelta(days=9),
                       notice_ends_at=utcnow() - timedelta(days=1), proposed_by_id=world.users.officer.id,
                       status="contracted"))
    contract = _add(Contract(
        tenant_id=world.tenant.id, org_id=org.id, award_id=award.id, fund_id=fund.id,
        number=f"HT-{award.id}", title=f"{org.name}服务合同", content="探访", starts_on=date.today(),
        ends_on=date.today() + timedelta(days=300), quantity="100 人次", quality="满意度 90%",
        price_fen=1_000_000, settlement="分期", duties="按约", liability="按约", status="signed",
        signed_at=utcnow(), signed_by_id=world.users.officer.id, committed_fen=1_000_000))
    _add(ContractLine(tenant_id=world.tenant.id, org_id=org.id, contract_id=contract.id,
                      name="交通", code="Transport", budget_fen=1_000_000))
    return contract


@maker("fund_id")
def _fund_id(world, org):
    return _fund(world).id


@maker("contract_id")
def _contract_id(world, org):
    return _contract(world, org).id


@maker("expenditure_id")
def _expenditure_id(world, org):
    from app.funding.models_spending import Expenditure

    contract = _contract(world, org)
    return _add(Expenditure(tenant_id=world.tenant.id, org_id=org.id, contract_id=contract.id,
                            line_id=contract.lines[0].id if contract.lines else None,
                            amount_fen=10_000, spent_on=date.today(), payee=f"{org.name}供应商",
                            description="交通费", method="transfer",
                            recorded_by_id=world.users.bookkeeper.id)).id
