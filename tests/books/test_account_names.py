"""Account names people read: 民间非营利组织会计制度 wording with the fund, organization,
contract and budget line resolved, derived from the key alone (the journal keeps its keys)."""

from __future__ import annotations

import pytest

from app.books.accounts import display, names_for
from ledger import accounts as chart
from tests.funding.factories import funded_contract, funding_world


@pytest.fixture
def names(app, db):
    with app.test_request_context("/"):
        w = funding_world()
        contract = funded_contract(w)
        yield w, contract


def test_every_account_of_the_chart_has_a_name_with_its_parts_resolved(names):
    w, contract = names
    year, fund, org, c = contract.starts_on.year, contract.fund_id, w.org.id, contract.id
    line = next(li for li in contract.lines if li.name == "交通")
    custom = chart.org_expense(year, org, c, chart.line_code(9999))
    keys = {
        chart.fund_available(year, fund): "银行存款—社区服务专项—可用额度",
        chart.fund_committed(year, fund, c): f"银行存款—社区服务专项—合同占用（{contract.number}）",
        chart.fund_refunded(year, fund): "银行存款—社区服务专项—退回资金",
        chart.appropriation(year, fund): "限定性净资产—政府补助（社区服务专项）",
        chart.org_cash(year, org, c): f"银行存款—阳光社工服务中心（{contract.number}）",
        chart.org_expense(year, org, c, line.code):
            f"业务活动成本—交通费（阳光社工服务中心·{contract.number}）",
        custom: f"业务活动成本—预算科目 L9999（阳光社工服务中心·{contract.number}）",
        chart.points_issued(year, org): "业务活动成本—志愿者积分（阳光社工服务中心）",
        chart.points_liability(year, org): "应付款项—志愿者积分（阳光社工服务中心）",
        chart.points_redeemed(year, org): "其他收入—已兑换积分（阳光社工服务中心）",
        chart.carried_forward(year): "净资产—结转下年",
        chart.brought_forward(year): "净资产—上年结转",
    }
    found = names_for(w.tenant.id, keys)
    assert {k: display(k, found) for k in keys} == keys
    assert display("Assets:Elsewhere", found) == "Assets:Elsewhere"


def test_a_line_known_only_by_its_number_is_called_by_its_name(names):
    w, contract = names
    line = contract.lines[0]
    line.code = chart.line_code(line.id)  # as for a line with no standard code (e.g. 场地)
    key = chart.org_expense(contract.starts_on.year, w.org.id, contract.id, line.code)
    assert display(key, names_for(w.tenant.id, [key])).startswith(f"业务活动成本—{line.name}（")


def test_names_of_another_tenant_are_never_looked_up(names):
    w, contract = names
    other = funding_world()
    key = chart.org_cash(contract.starts_on.year, w.org.id, contract.id)
    assert display(key, names_for(other.tenant.id, [key])) == \
        f"银行存款—组织 {w.org.id}（合同 {contract.id}）"
