"""Payments that cannot slip: a tranche is asked for with what shows its milestone is met; paid
early or without an evidence file only with a written reason, which the approving officer
reads on the approval card and in the confirmation; the anomaly scan flags both afterwards."""

from __future__ import annotations

import html
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.funding import contracts
from app.funding.models import TrancheStatus
from app.funding.samples import milestone_report, receipt_pdf
from app.funding.services import FundingError, today
from app.oversight.models import Finding
from app.oversight.rules import get_rule
from app.oversight.scan import run_scan, start_scan
from tests.funding.factories import make_contract, outbox, pay_tranche

REASON = "服务对象增加，须提前采购慰问物资"


def as_user(app, login, user):
    return login(user, c=app.test_client())


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def scan(tenant, code):
    run_scan(start_scan(tenant, "manual"), [get_rule(code)])
    return db.session.scalars(select(Finding).where(Finding.tenant_id == tenant.id,
                                                    Finding.rule == code)).all()


def demo_like(fw):
    """The demo's case: a contract started two days ago; tranche 2 (¥36,000, 中期评估合格)
    planned 178 days from now; tranche 1 paid on time with its report."""
    contract = make_contract(fw)
    contract.starts_on = today() - timedelta(days=2)
    second = contract.tranches[1]
    second.milestone, second.planned_on = "中期评估合格", today() + timedelta(days=178)
    pay_tranche(fw, contract, 1)
    return contract, second


def test_an_early_tranche_needs_a_reason_and_shows_a_warning_and_a_finding(app, fw, login):
    contract, tranche = demo_like(fw)
    with pytest.raises(FundingError) as exc:  # a one-line note, no reason
        contracts.request_payment(tranche, fw.officer, evidence="已完成",
                                  files=[milestone_report()])
    assert str(exc.value) == ("请写明现在拨付的理由（至少 10 个字）：比计划日期 "
                              f"{tranche.planned_on.isoformat()} 早 178 天拨付。")
    with pytest.raises(FundingError):
        contracts.request_payment(tranche, fw.officer, evidence="已完成", reason="急需用钱",
                                  files=[milestone_report()])
    assert tranche.status == TrancheStatus.PLANNED and tranche.request_reason == ""
    contracts.request_payment(tranche, fw.officer, evidence="中期评估报告已出，评分 86 分",
                              reason=REASON, files=[milestone_report("中期评估报告.pdf")])
    db.session.commit()

    second = as_user(app, login, fw.officer2)
    card = text(second.get(f"/t/{fw.tenant.slug}/funding/approvals"))
    for shown in ("中期评估合格", tranche.planned_on.isoformat(), "¥36,000.00", fw.officer.name,
                  "中期评估报告已出，评分 86 分", "中期评估报告.pdf", REASON,
                  f"提前拨付：现在付款，比计划日期 {tranche.planned_on.isoformat()} 早 178 天。"):
        assert shown in card
    assert "未附任何佐证材料。" not in card
    assert "提前拨付" in text(second.get(f"/t/{fw.tenant.slug}/funding/contracts/{contract.id}"))

    url = f"/t/{fw.tenant.slug}/funding/tranches/{tranche.id}/approve"
    asked = text(second.post(url))
    assert ("拨付 ¥36,000.00 给 阳光社工服务中心" in asked and "注意：比计划日期早 178 天。" in asked
            and f"申请理由：{REASON}" in asked)
    assert tranche.status == TrancheStatus.REQUESTED and len(outbox(kind="disbursement")) == 1
    second.post(url, data={"confirmed": "yes"})
    assert tranche.status == TrancheStatus.PAID and len(outbox(kind="disbursement")) == 2

    [finding] = scan(fw.tenant, "money.paid_before_planned")
    assert finding.evidence[1] == {"type": "tranche", "id": tranche.id}
    assert (finding.details["seq"], finding.details["days"], finding.details["amount"]) == (
        2, 178, "¥36,000.00")
    assert scan(fw.tenant, "money.paid_without_evidence") == []  # both came with a file


def test_the_evidence_is_required_and_a_payment_without_a_file_needs_a_reason(app, fw, login):
    contract = make_contract(fw)
    tranche = contract.tranches[0]  # planned for today: on time
    with pytest.raises(FundingError) as exc:
        contracts.request_payment(tranche, fw.officer, evidence="  ", files=[milestone_report()])
    assert str(exc.value) == "请说明里程碑已达成的依据。"
    with pytest.raises(FundingError) as exc:
        contracts.request_payment(tranche, fw.officer, evidence="启动会已召开")
    assert str(exc.value) == "请写明现在拨付的理由（至少 10 个字）：未附佐证材料。"
    contracts.request_payment(tranche, fw.officer, evidence="启动会已召开", reason=REASON)
    db.session.commit()

    second = as_user(app, login, fw.officer2)
    card = text(second.get(f"/t/{fw.tenant.slug}/funding/approvals"))
    assert "未附任何佐证材料。" in card and REASON in card and "提前拨付" not in card
    url = f"/t/{fw.tenant.slug}/funding/tranches/{tranche.id}/approve"
    assert "注意：未附任何佐证材料。" in text(second.post(url))
    second.post(url, data={"confirmed": "yes"})
    assert tranche.status == TrancheStatus.PAID

    [finding] = scan(fw.tenant, "money.paid_without_evidence")
    assert finding.evidence[1] == {"type": "tranche", "id": tranche.id}
    assert scan(fw.tenant, "money.paid_before_planned") == []


def test_a_request_without_its_reason_cannot_be_approved_either(fw):
    contract, tranche = demo_like(fw)
    contracts.request_payment(tranche, fw.officer, evidence="中期评估报告已出", reason=REASON,
                              files=[milestone_report()])
    tranche.request_reason = ""  # asked for before the rule, or changed behind its back
    with pytest.raises(FundingError) as exc:
        contracts.approve_payment(tranche, fw.officer2)
    assert str(exc.value).startswith("请写明现在拨付的理由")
    assert tranche.status == TrancheStatus.REQUESTED and contract.disbursed_fen == 2_400_000


def test_the_second_officer_rule_still_holds_with_evidence_and_reason(fw):
    contract, tranche = demo_like(fw)
    contracts.request_payment(tranche, fw.officer, evidence="中期评估报告已出", reason=REASON,
                              files=[milestone_report()])
    with pytest.raises(FundingError) as exc:
        contracts.approve_payment(tranche, fw.officer)
    assert str(exc.value) == "该付款由您发起，须由另一位工作人员审批。"
    assert contracts.approve_payment(tranche, fw.officer2).approved_by_id == fw.officer2.id


def test_the_api_refuses_the_same_way(app, fw, login):
    contract, tranche = demo_like(fw)
    db.session.commit()
    api = f"/api/v1/t/{fw.tenant.slug}/funding/tranches/{tranche.id}"
    officer = as_user(app, login, fw.officer)
    r = officer.post(f"{api}/evidence", content_type="multipart/form-data",
                     data={"files": [(io.BytesIO(b"MZ not a report"), "报告.pdf")]})
    assert r.status_code == 422 and r.json["message"] == "只接受 PDF、PNG 或 JPEG 文件（按文件内容检查，改扩展名无效）。"
    r = officer.post(f"{api}/evidence", content_type="multipart/form-data",
                     data={"files": [(io.BytesIO(receipt_pdf()), "中期评估报告.pdf")]})
    assert r.status_code == 201 and len(r.json["evidence_files"]) == 1
    r = officer.post(f"{api}/request", json={"evidence": "中期评估报告已出"})
    assert r.status_code == 422 and set(r.json) >= {"code", "status", "message"}
    assert r.json["message"].startswith("请写明现在拨付的理由（至少 10 个字）：比计划日期")
    assert tranche.status == TrancheStatus.PLANNED
    r = officer.post(f"{api}/request", json={"evidence": "中期评估报告已出", "reason": REASON})
    assert r.status_code == 200 and r.json["reason"] == REASON
    r = officer.post(f"{api}/approve")
    assert r.status_code == 422 and r.json["message"] == "该付款由您发起，须由另一位工作人员审批。"
    r = as_user(app, login, fw.officer2).post(f"{api}/approve")
    assert r.status_code == 201 and r.json["amount_fen"] == 3_600_000


def test_evidence_files_are_served_to_the_bureau_and_the_organization_only(app, fw, login):
    contract, tranche = demo_like(fw)
    db.session.commit()
    [paid] = [t for t in contract.tranches if t.seq == 1]
    url = f"/t/{fw.tenant.slug}/funding/tranche-evidence/{paid.evidence_files[0].id}"
    r = as_user(app, login, fw.officer2).get(url)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "private, no-store"
    assert as_user(app, login, fw.admin).get(url).status_code == 200
    assert as_user(app, login, fw.resident).get(url).status_code in (403, 404)
