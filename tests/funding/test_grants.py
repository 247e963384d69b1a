"""Steps 1–4: a fund is appropriated, a call published, organizations apply, and an award goes
through public notice with objections answered before anything can be signed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.db import utcnow
from app.funding import awards, funds
from app.funding.models import Application, ApplicationStatus, Award, AwardStatus, Fund
from app.funding.services import FundingError, parse_amount, parse_percent, today
from app.orgs.models import OrgStatus
from tests.funding.factories import (
    end_notice,
    make_application,
    make_award,
    make_call,
    make_fund,
    money_fields,
    outbox,
    outbox_count,
)


def test_fund_appropriation_is_recorded_with_its_event(fw):
    fund = make_fund(fw, amount_fen=50_000_000)
    assert (fund.fiscal_year, fund.name, fund.source) == (today().year, "社区服务专项", "区级财政")
    assert (fund.amount_fen, fund.committed_fen, fund.uncommitted_fen) == (50_000_000, 0, 50_000_000)
    [payload] = outbox()
    assert money_fields(payload) == {
        "kind": "appropriation", "fund_id": fund.id, "amount": "500000.00",
        "date": today().isoformat(), "source": f"fund:{fund.id}",
        "approver": f"user:{fw.officer.id}"}
    assert payload["tenant"] == fw.tenant.slug
    assert payload["narration"] == f"{today().year} 年度拨款：社区服务专项（区级财政）"
    assert fund.appropriation_event_id is not None


@pytest.mark.parametrize("text, message", [
    ("12.345", "金额以元为单位，最多两位小数（分）。"),
    ("0", "金额必须大于零。"),
    ("-5", "金额必须大于零。"),
    ("abc", "请以元为单位填写金额，例如 1200.50。"),
    ("", "请以元为单位填写金额，例如 1200.50。"),
])
def test_bad_amounts_are_refused_with_a_clear_message(app, text, message):
    with app.test_request_context("/"):
        with pytest.raises(FundingError) as exc:
            parse_amount(text)
        assert str(exc.value) == message


def test_amounts_parse_to_fen():
    assert parse_amount("1,200.5") == 120050
    assert parse_amount("¥30") == 3000
    assert parse_percent("33.33") == 3333
    assert parse_percent("40%") == 4000


def test_fund_refusals_post_nothing(fw):
    make_fund(fw)
    before = outbox_count()
    with pytest.raises(FundingError) as exc:
        make_fund(fw)  # the same name in the same year
    assert str(exc.value) == "该年度已有同名专项资金。"
    with pytest.raises(FundingError) as exc:
        funds.create_fund(fw.tenant, fw.officer, fiscal_year=today().year - 3, name="旧账",
                          source="区级财政", amount_fen=100)
    assert str(exc.value) == "专项资金只能安排在本年度或下一年度。"
    assert outbox_count() == before


def test_call_ceiling_category_and_deadline_are_checked(fw):
    fund = make_fund(fw, amount_fen=1_000_000)
    with pytest.raises(FundingError) as exc:
        funds.publish_call(fund, fw.officer, title="x", category="助老服务", description="",
                           ceiling_fen=1_000_001, deadline=today())
    assert str(exc.value) == "上限超过了该专项资金的未占用余额。"
    with pytest.raises(FundingError) as exc:
        funds.publish_call(fund, fw.officer, title="x", category="炒股", description="",
                           ceiling_fen=100, deadline=today())
    assert str(exc.value) == "请从服务目录中选择类别。"
    with pytest.raises(FundingError) as exc:
        funds.publish_call(fund, fw.officer, title="x", category="助老服务", description="",
                           ceiling_fen=100, deadline=today() - timedelta(days=1))
    assert str(exc.value) == "截止日期不能早于今天。"
    call = funds.publish_call(fund, fw.officer, title="x", category="助老服务", description="",
                              ceiling_fen=100, deadline=today())
    assert call.accepting  # the deadline day itself still counts


def test_application_records_lines_and_total(fw):
    application = make_application(fw)
    assert application.total_fen == 6_000_000
    assert [(line.name, line.amount_fen) for line in application.lines] == [
        ("交通", 2_000_000), ("物资", 3_000_000), ("激励", 1_000_000)]
    assert application.status == ApplicationStatus.SUBMITTED
    assert outbox(kind="appropriation") and not outbox(kind="commitment")


@pytest.mark.parametrize("lines, message", [
    ([("交通", 5_000_000), ("物资", 3_000_001)], "预算合计超过了申报上限。"),
    ([("烟酒", 100)], "请从列表中选择预算科目。"),
    ([("交通", 100), ("交通", 200)], "每个预算科目只能出现一次。"),
    ([("交通", 0)], "金额必须大于零。"),
    ([], "请至少添加一个预算科目。"),
])
def test_bad_budgets_are_refused(fw, lines, message):
    call = make_call(fw, ceiling_fen=8_000_000)
    with pytest.raises(FundingError) as exc:
        funds.submit_application(call, fw.org, fw.admin, title="t", plan="p", lines=lines)
    assert str(exc.value) == message
    assert db_applications() == []


def db_applications():
    from app.extensions import db

    return db.session.scalars(select(Application)).all()


def test_one_application_per_call_and_only_verified_orgs_while_open(fw):
    call = make_call(fw)
    make_application(fw, call)
    with pytest.raises(FundingError) as exc:
        make_application(fw, call)
    assert str(exc.value) == "贵组织已对该申报通知提交过申报。"
    fw.org2.status = OrgStatus.PENDING
    with pytest.raises(FundingError) as exc:
        make_application(fw, call, org=fw.org2)
    assert str(exc.value) == "只有已认证的组织才能申报。"
    fw.org2.status = OrgStatus.VERIFIED
    call.deadline_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(FundingError) as exc:
        make_application(fw, call, org=fw.org2)
    assert str(exc.value) == "该申报通知已停止受理申报。"


def test_award_opens_a_notice_for_the_tenants_notice_days(fw):
    fw.tenant.settings = {"notice_days": 5}
    application = make_application(fw)
    award = awards.propose_award(application, fw.officer, amount_fen=5_500_000)
    assert award.status == AwardStatus.NOTICE and award.notice_open
    assert award.notice_ends_at - award.notice_starts_at == timedelta(days=5)
    assert application.status == ApplicationStatus.PROPOSED
    with pytest.raises(FundingError) as exc:
        awards.propose_award(application, fw.officer, amount_fen=100)
    assert str(exc.value) == "该申报已处理。"


def test_award_cannot_exceed_what_was_asked_for(fw):
    application = make_application(fw)
    with pytest.raises(FundingError) as exc:
        awards.propose_award(application, fw.officer, amount_fen=application.total_fen + 1)
    assert str(exc.value) == "拟资助金额不能超过申报预算。"


def test_objections_are_taken_during_the_notice_and_answered(fw):
    award = make_award(fw, ended=False)
    objection = awards.file_objection(award, text="该组织去年项目未按期完成", name="", contact="")
    assert (objection.name, objection.contact, objection.answer) == ("", "", None)
    assert awards.signing_blockers(award) == ["公示期尚未结束。",
                                              "该资助的异议须先答复，才能签订合同。"]
    awards.answer_objection(objection, fw.officer, "经核实，该项目已于去年12月完成验收。")
    with pytest.raises(FundingError) as exc:
        awards.answer_objection(objection, fw.officer2, "再答一次")
    assert str(exc.value) == "该异议已答复。"
    end_notice(award)
    assert awards.signing_blockers(award) == []
    with pytest.raises(FundingError) as exc:
        awards.file_objection(award, text="太晚了")
    assert str(exc.value) == "该公示的异议期已结束。"


def test_an_objection_needs_text(fw):
    award = make_award(fw, ended=False)
    with pytest.raises(FundingError) as exc:
        awards.file_objection(award, text="   ", name="张三")
    assert str(exc.value) == "请填写异议内容。"


def test_withdrawing_an_award_declines_the_application(fw):
    award = make_award(fw, ended=False)
    awards.withdraw_award(award)
    assert award.status == AwardStatus.WITHDRAWN
    assert award.application.status == ApplicationStatus.DECLINED


def test_no_money_moves_before_a_contract(fw, db):
    make_award(fw)
    assert [p["kind"] for p in outbox()] == ["appropriation"]
    assert db.session.scalar(select(func.sum(Fund.committed_fen))) == 0
    assert db.session.scalar(select(func.count(Award.id))) == 1
