"""The district's rules as data: a change takes effect from its day (never a past one), a
money rule's change waits for a second bureau officer, every step is in the audit log, the
bureau's page and the CLI propose and approve, and the public page says what is in force."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.parsing import local_today
from app.rules import services
from app.rules.catalogue import CATALOGUE, MONEY_RULES, RuleError, parse, typed, words
from app.rules.models import ChangeStatus
from app.tenancy.models import DEFAULT_SETTINGS
from tests.factories import OrgFactory, TenantFactory, user_with

TODAY = local_today()


@pytest.fixture
def district(db):
    tenant = TenantFactory(slug="chaoyang", name="朝阳区民政局")
    org = OrgFactory(tenant_id=tenant.id, name="阳光社工")
    return {"tenant": tenant, "a": user_with(tenant, Role.BUREAU_OFFICER, name="王科长"),
            "b": user_with(tenant, Role.BUREAU_OFFICER, name="李主任"),
            "admin": user_with(tenant, Role.ORG_ADMIN, org),
            "resident": user_with(tenant, Role.RESIDENT)}


def test_every_setting_is_a_rule_people_can_read():
    assert set(CATALOGUE) == set(DEFAULT_SETTINGS)
    money = {"approval_tiers_fen", "approval_steps", "petty_cash_cap_fen", "overseer_scope",
             "overseer_threshold_fen", "points_per_hour", "points_cap_per_activity",
             "point_value_fen", "incentive_mode", "filed_group_grants", "filed_group_grant_cap_fen"}
    assert set(MONEY_RULES) == money


def test_a_rule_is_the_old_value_before_its_day_and_the_new_one_from_it(district):
    tenant, officer = district["tenant"], district["a"]
    day = TODAY + timedelta(days=10)
    change = services.propose(tenant, officer, "notice_days", "10", day)
    # Not a money rule: approved at once, no second officer.
    assert change.status == ChangeStatus.APPROVED and change.decided_by_id is None
    assert (change.before, change.after) == (7, 10)
    assert tenant.setting("notice_days") == 7
    assert tenant.setting("notice_days", day - timedelta(days=1)) == 7
    assert tenant.setting("notice_days", day) == 10
    assert services.in_force(tenant, "notice_days", day + timedelta(days=400)) == 10
    today_change = services.propose(tenant, officer, "notice_days", "8", TODAY)
    assert today_change.before == 7 and tenant.setting("notice_days") == 8
    assert tenant.setting("notice_days", day) == 10


def test_a_change_into_the_past_is_refused(district):
    with pytest.raises(RuleError, match="never in the past|不能追溯|过去"):
        services.propose(district["tenant"], district["a"], "notice_days", "9",
                         TODAY - timedelta(days=1))
    assert district["tenant"].setting("notice_days", TODAY - timedelta(days=1)) == 7


def test_a_money_rule_waits_for_a_second_officer_not_the_proposer(district):
    tenant, a, b = district["tenant"], district["a"], district["b"]
    change = services.propose(tenant, a, "petty_cash_cap_fen", "2,000.50", TODAY)
    assert change.status == ChangeStatus.PENDING and change.after == 200_050
    assert tenant.setting("petty_cash_cap_fen") == 100_000
    with pytest.raises(RuleError) as refused:
        services.approve(change, a)
    assert refused.value.status == 403 and change.status == ChangeStatus.PENDING
    services.approve(change, b)
    assert change.status == ChangeStatus.APPROVED and change.decided_by_id == b.id
    assert tenant.setting("petty_cash_cap_fen") == 200_050
    with pytest.raises(RuleError):
        services.approve(change, b)


def test_a_pending_change_whose_day_passed_is_not_approved(district):
    tenant = district["tenant"]
    change = services.propose(tenant, district["a"], "point_value_fen", "2", TODAY)
    with pytest.raises(RuleError) as refused:
        services.approve(change, district["b"], today=TODAY + timedelta(days=1))
    assert refused.value.status == 409 and tenant.setting("point_value_fen") == 100
    services.reject(change, district["a"], "提错了")
    assert change.status == ChangeStatus.REJECTED and change.decision_reason == "提错了"


@pytest.mark.parametrize(("key", "text"), [
    ("approval_tiers_fen", "50000, 10000"), ("approval_tiers_fen", "10000, 10000"),
    ("petty_cash_cap_fen", "abc"), ("petty_cash_cap_fen", "0"), ("petty_cash_cap_fen", "1.001"),
    ("notice_days", "3"), ("notice_days", "1e3"), ("points_per_hour", "-1"),
    ("star_thresholds", "1, 2, 3"), ("need_deadline_days", "30, 7, 2"),
    ("service_categories", "助老\n助老"), ("anomaly_staff_share", "150"),
    ("overseer_scope", "some"), ("overseer_scope", ""),
])
def test_values_are_checked_for_their_rule(key, text, app):
    with app.test_request_context("/"), pytest.raises(RuleError):
        parse(CATALOGUE[key], text)


def test_values_read_as_typed(app):
    with app.test_request_context("/"):
        assert parse(CATALOGUE["approval_tiers_fen"], "¥8,000、20000.5") == [800_000, 2_000_050]
        assert parse(CATALOGUE["points_cap_per_activity"], " ") is None
        assert parse(CATALOGUE["need_deadline_days"], "1，5，20") == {
            "urgent": 1, "soon": 5, "routine": 20}
        assert parse(CATALOGUE["anomaly_staff_share"], "40%") == 0.4
        scope = CATALOGUE["overseer_scope"]
        assert parse(scope, " 每一笔支出 ") == "all" and parse(scope, "threshold") == "threshold"
        assert parse(scope, typed(scope, "threshold")) == "threshold"
        assert words(scope, "all") == "每一笔支出"


def test_only_bureau_officers_propose_and_other_districts_see_nothing(district, client, login):
    tenant = district["tenant"]
    form = {"rule": "petty_cash_cap_fen", "value": "3000", "effective_from": TODAY.isoformat()}
    for who in ("admin", "resident"):
        c = login(district[who])
        assert c.get("/t/chaoyang/rules/settings").status_code == 403
        assert c.post("/t/chaoyang/rules/settings", data=form).status_code == 403
        c.post("/logout")
    with pytest.raises(RuleError):
        services.propose(tenant, district["admin"], "notice_days", "9", TODAY)
    change = services.propose(tenant, district["a"], "petty_cash_cap_fen", "3000", TODAY,
                              reason="朝阳的机密理由")
    other = TenantFactory(slug="haidian")
    stranger = user_with(other, Role.BUREAU_OFFICER)
    c = login(stranger)
    for action in ("approve", "reject"):
        response = c.post(f"/t/haidian/rules/changes/{change.id}/{action}",
                          data={"confirmed": "yes", "reason": "x"})
        assert response.status_code == 404
    assert c.get("/t/chaoyang/rules/settings").status_code == 403
    assert "朝阳的机密理由" not in c.get("/t/haidian/rules/settings").get_data(as_text=True)
    assert change.status == ChangeStatus.PENDING


def test_officers_propose_and_approve_on_the_page_and_the_log_says_who(district, client, login,
                                                                        app):
    tenant, a, b = district["tenant"], district["a"], district["b"]
    c = login(a)
    page = c.get("/t/chaoyang/rules/settings?rule=approval_tiers_fen").get_data(as_text=True)
    assert "支出审批分级金额" in page and "¥10,000.00" in page and "10000.00, 50000.00" in page
    response = c.post("/t/chaoyang/rules/settings", data={
        "rule": "approval_tiers_fen", "value": "20000, 50000, 100000, 500000",
        "effective_from": TODAY.isoformat(), "reason": "物价上涨"})
    assert response.status_code == 302
    change = services.pending(tenant)[0]
    assert change.proposed_by_id == a.id
    own = c.post(f"/t/chaoyang/rules/changes/{change.id}/approve", data={"confirmed": "yes"})
    assert own.status_code == 302 and change.status == ChangeStatus.PENDING
    c.post("/logout")
    c = login(b)
    asked = c.post(f"/t/chaoyang/rules/changes/{change.id}/approve", data={})
    assert asked.status_code == 200 and "¥20,000.00" in asked.get_data(as_text=True)
    assert change.status == ChangeStatus.PENDING  # asked, nothing done
    done = c.post(f"/t/chaoyang/rules/changes/{change.id}/approve", data={"confirmed": "yes"})
    assert done.status_code == 302
    assert tenant.setting("approval_tiers_fen")[0] == 2_000_000
    entries = entries_of(change.id)
    assert [(e.action, e.actor_id) for e in entries] == [("create", a.id), ("update", b.id)]
    assert entries[1].changes["status"] == ["pending", "approved"]


def entries_of(change_id: int) -> list[AuditEntry]:
    from app.extensions import db

    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.object_type == "rule_change", AuditEntry.object_id == str(change_id))
        .order_by(AuditEntry.id)))


def test_a_rejection_is_logged_with_its_reason(district, client, login):
    tenant = district["tenant"]
    change = services.propose(tenant, district["a"], "points_per_hour", "2", TODAY)
    c = login(district["b"])
    assert c.post(f"/t/chaoyang/rules/changes/{change.id}/reject",
                  data={"confirmed": "yes", "reason": "预算不足"}).status_code == 302
    assert change.status == ChangeStatus.REJECTED and tenant.setting("points_per_hour") == 1
    last = entries_of(change.id)[-1]
    assert last.actor_id == district["b"].id and last.changes["decision_reason"][1] == "预算不足"


def test_the_public_page_shows_amounts_in_yuan_and_the_history(district, client):
    tenant = district["tenant"]
    change = services.propose(tenant, district["a"], "petty_cash_cap_fen", "1500", TODAY)
    services.approve(change, district["b"])
    services.propose(tenant, district["a"], "notice_days", "10", TODAY + timedelta(days=30))
    services.propose(tenant, district["a"], "anomaly_min_hours", "40", TODAY)
    page = client.get("/t/chaoyang/rules/").get_data(as_text=True)
    assert "资金和激励规则" in page and "现金支付上限" in page
    assert "¥1,500.00" in page and "¥1,000.00" in page  # in force, and before it
    assert TODAY.isoformat() in page and (TODAY + timedelta(days=30)).isoformat() in page
    assert "<svg" in page and "/t/chaoyang/rules/" in page
    assert "异常" not in page and "40 小时" not in page  # anomaly thresholds stay internal
    assert "资金和激励规则" in client.get("/t/chaoyang/needs/wall").get_data(as_text=True)


def test_the_public_page_reads_each_tier_as_amounts_and_what_it_takes(district, client):
    """The ladder as a resident reads it: a range of amounts per row and the approvals and
    records it needs, from the rules in force (domain.md's example ladder)."""
    import re

    page = client.get("/t/chaoyang/rules/").get_data(as_text=True)
    table = page[page.index('<table class="ladder">'):page.index("</table>")]
    rows = [re.sub(r"<[^>]+>", "|", row) for row in re.findall(r"<tr>(.*?)</tr>", table)[1:]]
    rows = [[cell for cell in row.split("|") if cell.strip()] for row in rows]
    assert rows[0] == ["不到 ¥10,000.00", "组织审批"]
    assert rows[1][0] == "¥10,000.00 至 ¥50,000.00（不含）"
    assert "居民会议决议" in rows[1][1] and "采购记录" not in rows[1][1]
    assert "采购记录（三家询价或招标）" in rows[2][1]
    assert rows[-1][0] == "¥500,000.00 及以上" and "第二位民政局工作人员审批" in rows[-1][1]
    assert len(rows) == 5


def run(app, *args):
    return app.test_cli_runner().invoke(args=["tenant", "settings", "chaoyang", *args])


def test_the_command_lists_proposes_and_approves(district, app):
    a, b = district["a"].phone, district["b"].phone
    listed = run(app)
    assert listed.exit_code == 0 and "petty_cash_cap_fen" in listed.output
    assert "¥1,000.00" in listed.output and "pending: 0" in listed.output
    proposed = run(app, "--set", "petty_cash_cap_fen=1200", "--from", TODAY.isoformat(),
                   "--by", a)
    assert proposed.exit_code == 0, proposed.output
    change = services.pending(district["tenant"])[0]
    assert f"#{change.id}" in run(app).output
    same = run(app, "--approve", str(change.id), "--by", a)
    assert same.exit_code == 1 and "Traceback" not in same.output
    approved = run(app, "--approve", str(change.id), "--by", b)
    assert approved.exit_code == 0, approved.output
    assert district["tenant"].setting("petty_cash_cap_fen") == 120_000
    assert entries_of(change.id)[-1].actor_id == district["b"].id


@pytest.mark.parametrize("args", [
    ["--set", "no_such_rule=1", "--by", "{a}"], ["--set", "notice_days", "--by", "{a}"],
    ["--set", "notice_days=9", "--from", "2000-01-01", "--by", "{a}"],
    ["--set", "notice_days=9", "--from", "2026-02-30", "--by", "{a}"],
    ["--set", "notice_days=9"], ["--set", "notice_days=9", "--by", "{resident}"],
    ["--approve", "99999999999999999999", "--by", "{a}"], ["--approve", "7", "--set", "x=1"],
    ["--from", "2030-01-01"],
])
def test_the_command_refuses_bad_arguments_with_a_message(district, app, args):
    args = [a.format(a=district["a"].phone, resident=district["resident"].phone) for a in args]
    result = run(app, *args)
    assert result.exit_code != 0 and result.output.strip()
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_points_follow_the_rate_in_force_on_the_day_served(district):
    """A new points rate counts for activities from its day on, never for earlier ones."""
    from types import SimpleNamespace

    from app.service.incentives import target_points
    from app.service.models import RecordStatus

    tenant = district["tenant"]
    change = services.propose(tenant, district["a"], "points_per_hour", "2",
                              TODAY + timedelta(days=1))
    services.approve(change, district["b"])
    served = [SimpleNamespace(status=RecordStatus.VERIFIED, minutes=180, activity_date=day)
              for day in (TODAY, TODAY + timedelta(days=1))]
    assert [target_points(record, tenant) for record in served] == [3, 6]


def test_the_ladder_rule_reads_step_names_one_line_per_tier(app):
    spec = CATALOGUE["approval_steps"]
    with app.test_request_context("/"):
        assert parse(spec, "组织审批\n组织审批、居民会议决议|org, bureau, leader") == [
            ["org"], ["org", "assembly"], ["org", "bureau", "leader"]]
        for bad in ("民政局审批", "组织审批、请客吃饭"):
            with pytest.raises(RuleError):
                parse(spec, bad)
        assert "第 2 档：组织审批、居民会议决议" in catalogue_words(spec, [["org"], ["org", "assembly"]])


def catalogue_words(spec, value):
    from app.rules.catalogue import words

    return words(spec, value)


def test_the_api_gives_the_public_rules_and_the_bureau_all_of_them(district, app, login):
    tenant = district["tenant"]
    change = services.propose(tenant, district["a"], "petty_cash_cap_fen", "1500", TODAY)
    services.approve(change, district["b"])
    services.propose(tenant, district["a"], "point_value_fen", "2", TODAY)
    public = app.test_client().get("/api/v1/t/chaoyang/rules/").get_json()
    cap = next(r for r in public["rules"] if r["key"] == "petty_cash_cap_fen")
    assert cap["value"] == 150_000 and cap["in_words"] == "¥1,500.00" and cap["money_rule"]
    assert [c["after"] for c in public["history"]] == [150_000] and public["pending"] == []
    assert not any(r["key"].startswith("anomaly") for r in public["rules"])
    assert app.test_client().get("/api/v1/t/chaoyang/rules/all").status_code == 401
    assert login(district["resident"], c=app.test_client()).get(
        "/api/v1/t/chaoyang/rules/all").status_code == 403
    bureau = login(district["b"], c=app.test_client()).get("/api/v1/t/chaoyang/rules/all")
    assert [c["rule"] for c in bureau.get_json()["pending"]] == ["point_value_fen"]


def test_the_overseers_scope_is_chosen_by_its_words_on_the_page(district, login):
    tenant, a, b = district["tenant"], district["a"], district["b"]
    c = login(a)
    page = c.get("/t/chaoyang/rules/settings?rule=overseer_scope").get_data(as_text=True)
    assert "居务监督审核范围" in page and "每一笔支出" in page and "仅达到门槛金额的支出" in page
    refused = c.post("/t/chaoyang/rules/settings", data={
        "rule": "overseer_scope", "value": "大额", "effective_from": TODAY.isoformat()})
    assert "请填写其中之一" in refused.get_data(as_text=True) and services.pending(tenant) == []
    c.post("/t/chaoyang/rules/settings", data={
        "rule": "overseer_scope", "value": "仅达到门槛金额的支出",
        "effective_from": TODAY.isoformat()})
    change = services.pending(tenant)[0]  # a money rule: a second officer approves it
    c.post("/logout")
    login(b).post(f"/t/chaoyang/rules/changes/{change.id}/approve", data={"confirmed": "yes"})
    assert tenant.setting("overseer_scope") == "threshold"
    public = login(b).get("/t/chaoyang/rules/").get_data(as_text=True)
    assert "仅达到门槛金额的支出" in public
