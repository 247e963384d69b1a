"""The funding flow through ``/api/v1/t/<tenant>/funding``: same rules, same messages, the
same outbox events; refusals answer 422 and record nothing."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.funding.models import Contract, ContractStatus, Fund
from app.funding.models_spending import Expenditure
from app.funding.samples import receipt_pdf, receipt_png
from app.funding.services import today
from tests.funding.factories import (
    accrue,
    end_notice,
    funded_contract,
    make_award,
    make_merchant,
    make_volunteer,
    outbox,
    outbox_count,
)


def api(fw) -> str:
    return f"/api/v1/t/{fw.tenant.slug}/funding"


def as_user(app, login, user):
    return login(user, c=app.test_client())


CONTRACT = {
    "title": "银龄守望服务合同", "content": "上门探访", "quantity": "2000 人次",
    "quality": "满意度 90%", "settlement": "分期", "duties": "按约履行", "liability": "扣减",
    "lines": [{"name": "交通", "amount": "20000"}, {"name": "物资", "amount": "30000"},
              {"name": "激励", "amount": "10000"}],
}


def contract_body(**changes):
    start = today()
    body = dict(CONTRACT, starts_on=start.isoformat(),
                ends_on=(start + timedelta(days=300)).isoformat(),
                tranches=[{"percent": "40", "planned_on": start.isoformat(), "milestone": "启动"},
                          {"percent": "60", "planned_on": start.isoformat(), "milestone": "结项"}])
    body.update(changes)
    return body


def test_the_whole_flow_through_the_api(app, fw, login, client):
    officer = as_user(app, login, fw.officer)
    r = officer.post(f"{api(fw)}/funds", json={"fiscal_year": today().year, "name": "社区服务专项",
                                               "source": "区级财政", "amount": "500000"})
    assert r.status_code == 201 and r.json["amount_fen"] == 50_000_000
    fund_id = r.json["id"]
    r = officer.post(f"{api(fw)}/funds/{fund_id}/calls", json={
        "title": "助老服务", "category": "助老服务", "ceiling": "80000",
        "deadline": (today() + timedelta(days=7)).isoformat()})
    assert r.status_code == 201 and r.json["accepting"] is True
    call_id = r.json["id"]

    admin = as_user(app, login, fw.admin)
    r = admin.post(f"{api(fw)}/orgs/{fw.org.id}/calls/{call_id}/applications", json={
        "title": "银龄守望", "plan": "每周探访", "lines": CONTRACT["lines"]})
    assert r.status_code == 201 and r.json["total_fen"] == 6_000_000
    application_id = r.json["id"]

    r = officer.post(f"{api(fw)}/applications/{application_id}/award",
                     json={"amount": "60000", "reasons": "方案完整"})
    assert r.status_code == 201 and r.json["notice_open"] is True
    award_id = r.json["id"]

    r = client.post(f"{api(fw)}/notices/{award_id}/objections",
                    json={"text": "请公开评审记录", "name": "李四", "contact": "13900001111"})
    assert r.status_code == 201
    public = client.get(f"{api(fw)}/notices/{award_id}").json
    assert public["objections"][0]["text"] == "请公开评审记录"
    assert "name" not in public["objections"][0] and "contact" not in public["objections"][0]
    bureau_view = officer.get(f"{api(fw)}/awards/{award_id}").json
    assert bureau_view["objections"][0]["contact"] == "139****1111"

    r = officer.put(f"{api(fw)}/awards/{award_id}/contract", json=contract_body())
    assert r.status_code == 200 and r.json["status"] == "draft"
    contract_id = r.json["id"]
    r = officer.post(f"{api(fw)}/contracts/{contract_id}/sign")
    assert r.status_code == 422 and r.json["message"] == "公示期尚未结束。"
    end_notice(db.session.get(Contract, contract_id).award)
    r = officer.post(f"{api(fw)}/contracts/{contract_id}/sign")
    assert r.status_code == 422
    assert r.json["message"] == "该资助的异议须先答复，才能签订合同。"
    objection_id = bureau_view["objections"][0]["id"]
    officer.post(f"{api(fw)}/objections/{objection_id}/answer", json={"answer": "已公开"})
    r = officer.post(f"{api(fw)}/contracts/{contract_id}/sign")
    assert r.status_code == 200 and r.json["committed_fen"] == 6_000_000
    assert [p["kind"] for p in outbox()] == ["appropriation", "commitment"]

    tranche_id = r.json["tranches"][0]["id"]
    r = officer.post(f"{api(fw)}/tranches/{tranche_id}/request", json={})
    assert r.status_code == 422 and r.json["message"] == "请说明里程碑已达成的依据。"
    r = officer.post(f"{api(fw)}/tranches/{tranche_id}/evidence", content_type="multipart/form-data",
                     data={"files": [(io.BytesIO(receipt_pdf()), "启动会签到表.pdf")]})
    assert r.status_code == 201 and r.json["evidence_files"][0]["original_name"] == "启动会签到表.pdf"
    r = officer.post(f"{api(fw)}/tranches/{tranche_id}/request", json={"evidence": "启动会已召开"})
    assert r.status_code == 200 and r.json["evidence"] == "启动会已召开"
    assert r.json["requested_by"] == fw.officer.name and r.json["days_early"] == 0
    r = officer.post(f"{api(fw)}/tranches/{tranche_id}/approve")
    assert r.status_code == 422
    r = as_user(app, login, fw.officer2).post(f"{api(fw)}/tranches/{tranche_id}/approve")
    assert r.status_code == 201 and r.json["amount_fen"] == 2_400_000

    books = as_user(app, login, fw.bookkeeper)
    line_id = db.session.get(Contract, contract_id).lines[0].id
    r = books.post(f"{api(fw)}/contracts/{contract_id}/expenditures", data={
        "line_id": line_id, "amount": "300", "spent_on": today().isoformat(),
        "payee": "出租车公司", "description": "交通", "method": "transfer",
        "receipts": [(io.BytesIO(receipt_png()), "票.png")]}, content_type="multipart/form-data")
    assert r.status_code == 201 and r.json["receipts"][0]["content_type"] == "image/png"
    expenditure_id = r.json["id"]
    r = admin.post(f"{api(fw)}/expenditures/{expenditure_id}/approve", json={"as": "org"})
    assert r.status_code == 200 and r.json["status"] == "final"
    statement = books.get(f"{api(fw)}/contracts/{contract_id}/statement").json
    assert (statement["received_fen"], statement["spent_fen"], statement["held_fen"]) == (
        2_400_000, 30_000, 2_370_000)
    # The older names are the glossary's figures under other words, and say so in the spec.
    figures = statement["figures"]
    assert (statement["committed_fen"], statement["received_fen"], statement["held_fen"],
            statement["refunded_fen"]) == (
        figures["contract_amount_fen"], figures["disbursed_fen"], figures["book_balance_fen"],
        figures["refunded_fen"])
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["StatementOut"]
    assert spec["properties"]["held_fen"]["deprecated"] is True
    assert "figures.book_balance_fen" in spec["properties"]["held_fen"]["description"]
    assert [p["kind"] for p in outbox()] == ["appropriation", "commitment", "disbursement",
                                            "expenditure"]
    published = client.get(f"{api(fw)}/published/{contract_id}").json
    assert published["organization"] == fw.org.name and "spent_fen" not in published


def test_bad_input_answers_422_and_records_nothing(app, fw, login):
    officer = as_user(app, login, fw.officer)
    r = officer.post(f"{api(fw)}/funds", json={"fiscal_year": today().year, "name": "专项",
                                               "source": "区级财政", "amount": "10.005"})
    assert r.status_code == 422
    assert r.json["errors"]["json"]["amount"] == ["金额以元为单位，最多两位小数（分）。"]
    r = officer.post(f"{api(fw)}/funds", json={"fiscal_year": today().year, "name": "专项"})
    assert r.status_code == 422 and set(r.json["errors"]["json"]) == {"source", "amount"}
    award = make_award(fw)
    r = officer.put(f"{api(fw)}/awards/{award.id}/contract", json=contract_body(tranches=[
        {"percent": "40", "planned_on": today().isoformat(), "milestone": "启动"},
        {"percent": "59.99", "planned_on": today().isoformat(), "milestone": "结项"}]))
    assert r.status_code == 422
    assert r.json["message"] == "各期比例合计必须恰好为 100%（现为 99.99%）。"
    assert db.session.scalar(select(func.count(Fund.id))) == 1  # only the award's own fund
    assert db.session.scalar(select(func.count(Contract.id))) == 0
    assert [p["kind"] for p in outbox()] == ["appropriation"]


def test_receipts_are_checked_by_content_through_the_api(app, fw, login):
    contract = funded_contract(fw)
    books = as_user(app, login, fw.bookkeeper)
    r = books.post(f"{api(fw)}/contracts/{contract.id}/expenditures", data={
        "line_id": contract.lines[0].id, "amount": "300", "spent_on": today().isoformat(),
        "payee": "出租车公司", "description": "交通", "method": "transfer",
        "receipts": [(io.BytesIO(b"GIF89a-not-allowed"), "票.png")]},
        content_type="multipart/form-data")
    assert r.status_code == 422
    assert r.json["message"] == "票据须为照片（JPEG、PNG、WebP）或 PDF 文件。"
    assert db.session.scalar(select(func.count(Expenditure.id))) == 0


def test_beyond_the_commitment_through_the_api(app, fw, login):
    contract = funded_contract(fw, tranches=0)
    officer = as_user(app, login, fw.officer)
    before = outbox_count()
    r = officer.post(f"{api(fw)}/tranches/{contract.tranches[0].id}/request",
                     json={"amount": "60000.01"})
    assert r.status_code == 422
    assert r.json["message"] == "本次拨付超过了合同尚未拨付的占用额度（¥60,000.00）。"
    assert outbox_count() == before


def test_who_may_call_what(app, fw, login, client):
    contract = funded_contract(fw)
    assert client.get(f"{api(fw)}/funds").status_code == 401
    assert as_user(app, login, fw.resident).get(f"{api(fw)}/funds").status_code == 403
    assert as_user(app, login, fw.auditor).get(f"{api(fw)}/funds").status_code == 200
    assert as_user(app, login, fw.auditor).post(f"{api(fw)}/funds", json={}).status_code == 403
    assert as_user(app, login, fw.admin2).get(
        f"{api(fw)}/contracts/{contract.id}").status_code == 403
    assert as_user(app, login, fw.admin).get(
        f"{api(fw)}/contracts/{contract.id}").json["cash_fen"] == 2_400_000
    assert client.get(f"{api(fw)}/published/{contract.id}").status_code == 200


def test_points_and_redemptions_through_the_api(app, fw, login):
    contract = funded_contract(fw)
    volunteer = make_volunteer(fw)
    accrue(fw, volunteer, 20)
    merchant = make_merchant(fw)
    me = as_user(app, login, volunteer)
    assert me.get(f"{api(fw)}/points").json == {"total": 20, "by_org": [
        {"org_id": fw.org.id, "points": 20}]}
    r = me.post(f"{api(fw)}/points", json={"org_id": fw.org.id, "merchant_id": merchant.id,
                                           "points": 25})
    assert r.status_code == 422 and r.json["message"] == "您在该组织的积分为 20 分，不能兑换更多。"
    r = me.post(f"{api(fw)}/points", json={"org_id": fw.org.id, "merchant_id": merchant.id,
                                           "points": 15})
    assert r.status_code == 201 and len(r.json["code"]) == 10
    code, redemption_id = r.json["code"], r.json["id"]
    coordinator = as_user(app, login, fw.coordinator)
    assert "code" not in coordinator.get(f"{api(fw)}/redemptions/{redemption_id}").json
    path = f"{api(fw)}/orgs/{fw.org.id}/redemptions/consume"
    assert coordinator.post(path, json={"code": code}).json["status"] == "consumed"
    r = coordinator.post(path, json={"code": code})
    assert r.status_code == 422 and r.json["message"] == "该兑换码已使用或已取消。"
    r = as_user(app, login, fw.bookkeeper).post(
        f"{api(fw)}/redemptions/{redemption_id}/settle", json={"contract_id": contract.id})
    assert r.status_code == 200 and r.json["status"] == "settled"
    assert outbox(kind="redemption-settlement")[0]["amount"] == "15.00"
    assert contract.status == ContractStatus.SIGNED


def test_objections_through_the_api_are_throttled(fw, client):
    award = make_award(fw, ended=False)
    codes = [client.post(f"{api(fw)}/notices/{award.id}/objections",
                         json={"text": f"异议{i}"}).status_code for i in range(6)]
    assert codes == [201] * 5 + [429]


def test_the_funding_api_is_documented(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = [p for p in spec["paths"] if "/funding/" in p]
    assert "/api/v1/t/{tenant}/funding/contracts/{contract_id}/expenditures" in paths
    assert "/api/v1/t/{tenant}/funding/notices/{award_id}/objections" in paths
    body = spec["paths"]["/api/v1/t/{tenant}/funding/contracts/{contract_id}/expenditures"]
    assert "multipart/form-data" in body["post"]["requestBody"]["content"]


def test_session_writes_need_the_csrf_header_and_tokens_do_not(app, fw, login, monkeypatch):
    from app.auth.services import issue_api_token
    from app.db_commit import commit

    officer = as_user(app, login, fw.officer)
    token = issue_api_token(fw.officer, "集成")
    commit()
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    body = {"fiscal_year": today().year, "name": "专项", "source": "区级财政", "amount": "100"}
    assert officer.post(f"{api(fw)}/funds", json=body).status_code == 400
    r = app.test_client().post(f"{api(fw)}/funds", json=body,
                               headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 201
    assert [p["kind"] for p in outbox()] == ["appropriation"]


def test_a_project_is_put_under_a_contract_through_the_api(app, login, fw):
    """As on the project's page: one of its organization's signed contracts, or none; a made-up
    contract or a malformed body is refused and nothing changes."""
    from tests.service.factories import make_project

    contract = funded_contract(fw)
    project = make_project(fw.tenant, fw.org)
    db.session.commit()
    url = f"{api(fw)}/projects/{project.id}/contract"
    assert app.test_client().put(url, json={"contract_id": contract.id}).status_code == 401
    stranger = as_user(app, login, fw.admin2)   # the other organization's admin
    assert stranger.put(url, json={"contract_id": contract.id}).status_code == 403
    assert stranger.get(url).status_code == 403
    coordinator = as_user(app, login, fw.coordinator)
    assert coordinator.get(url).get_json() == {"project_id": project.id, "contract_id": None,
                                               "contract_number": None}
    for body in ({"contract_id": 999_999}, {"contract_id": "x"}, {"contract_id": 2**40}, {}, [],
                 {"contract_id": True}):
        response = coordinator.put(url, json=body)
        assert response.status_code == 422, (body, response.get_json())
    db.session.expire_all()
    assert db.session.get(type(project), project.id).contract_id is None
    response = coordinator.put(url, json={"contract_id": contract.id})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"project_id": project.id, "contract_id": contract.id,
                                   "contract_number": contract.number}
    db.session.expire_all()
    assert db.session.get(type(project), project.id).contract_id == contract.id
    assert coordinator.put(url, json={"contract_id": None}).get_json()["contract_id"] is None
    # Another district's project is not found.
    other = f"/api/v1/t/{fw.tenant.slug}x/funding/projects/{project.id}/contract"
    assert coordinator.put(other, json={"contract_id": None}).status_code == 404
