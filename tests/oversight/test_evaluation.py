"""Performance evaluation: the 100-point template, scores and tiers, the three modes, the
two-way feedback, and the last tier shown for the next award."""

from __future__ import annotations

import pytest

from app.auth.models import Role
from app.evaluation import services
from app.evaluation.models import Evaluation
from tests.factories import OrgFactory, TenantFactory, user_with


@pytest.fixture
def world1(db):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id)
    return tenant, org, user_with(tenant, Role.BUREAU_OFFICER), user_with(tenant, Role.ORG_ADMIN, org)


def _scores(evaluation, points):
    """Score each indicator ``points`` share of its weight."""
    return {i["code"]: str(round(i["weight"] * points * 2) / 2) for i in evaluation.indicators}


def test_the_default_template_weighs_100_points_over_five_dimensions(world1):
    tenant, *_ = world1
    template = services.default_template(tenant)
    assert sum(i["weight"] for i in template.indicators) == 100
    assert {i["dimension"] for i in template.indicators} == {
        "economy", "efficiency", "effectiveness", "equity", "satisfaction"}
    assert template.tiers == {"excellent": 90, "good": 80, "fair": 60}


@pytest.mark.parametrize(("total", "tier"), [(100, "excellent"), (90, "excellent"), (89.5, "good"),
                                             (80, "good"), (79.5, "fair"), (60, "fair"),
                                             (59.5, "poor"), (0, "poor")])
def test_tiers_follow_the_thresholds(total, tier):
    assert services.tier_for(int(total * 10), {"excellent": 90, "good": 80, "fair": 60}) == tier


def test_department_evaluation_scores_finalizes_and_freezes(client, world1, login):
    tenant, org, officer, admin = world1
    evaluation = services.start(tenant, officer, org, "department", "2026年度")
    login(officer)
    form = {f"score_{code}": v for code, v in _scores(evaluation, 0.9).items()}
    form["score_I8"] = "17.5"  # satisfaction 17.5 of 20
    response = client.post(f"/t/{tenant.slug}/evaluations/{evaluation.id}",
                           data={**form, "comment": "总体良好", "finalize": "1"})
    assert response.status_code == 302
    db_eval = client.application.extensions["sqlalchemy"].session.get(Evaluation, evaluation.id)
    expected = sum(int(float(v) * 10) for v in form.values())
    assert (db_eval.status, db_eval.total_tenths) == ("final", expected)
    assert db_eval.tier == services.tier_for(expected, db_eval.tiers)
    page = client.get(f"/t/{tenant.slug}/evaluations/{evaluation.id}").get_data(as_text=True)
    assert "已定稿" in page and "保存评分" not in page
    # A final evaluation does not change.
    client.post(f"/t/{tenant.slug}/evaluations/{evaluation.id}",
                data={**form, "score_I1": "0"})
    assert db_eval.total_tenths == expected


def test_a_score_above_the_weight_is_refused(client, world1, login):
    tenant, org, officer, _ = world1
    evaluation = services.start(tenant, officer, org, "department", "2026年度")
    login(officer)
    response = client.post(f"/t/{tenant.slug}/evaluations/{evaluation.id}",
                           data={"score_I1": "11"}, follow_redirects=True)
    assert "得分须在 0 到 10 之间，以 0.5 为单位。" in response.get_data(as_text=True)
    assert evaluation.scores == {}


def test_finalizing_needs_every_indicator(app, world1):
    tenant, org, officer, _ = world1
    evaluation = services.start(tenant, officer, org, "department", "2026年度")
    services.score(evaluation, {"I1": "10"}, {}, "")
    with pytest.raises(services.EvaluationError):
        services.finalize(evaluation, officer)
    assert evaluation.status == "draft"


def test_self_evaluation_is_the_org_admins_and_only_for_their_org(client, world1, login):
    tenant, org, officer, admin = world1
    other = OrgFactory(tenant_id=tenant.id)
    login(admin)
    ok = client.post(f"/t/{tenant.slug}/evaluations", data={"org_id": org.id, "mode": "self",
                                                            "period": "2026年度"})
    assert ok.status_code == 302
    [mine] = client.application.extensions["sqlalchemy"].session.query(Evaluation).filter_by(
        tenant_id=tenant.id).all()
    assert (mine.mode, mine.org_id, mine.created_by_id) == ("self", org.id, admin.id)
    # Not for another organization, and not in the bureau's modes.
    client.post(f"/t/{tenant.slug}/evaluations", data={"org_id": other.id, "mode": "self",
                                                       "period": "2026年度"})
    client.post(f"/t/{tenant.slug}/evaluations", data={"org_id": org.id, "mode": "department",
                                                       "period": "2026年度"})
    assert client.application.extensions["sqlalchemy"].session.query(Evaluation).filter_by(
        tenant_id=tenant.id).count() == 1
    # The bureau cannot score an org's self-evaluation.
    login(officer)
    assert client.post(f"/t/{tenant.slug}/evaluations/{mine.id}",
                       data={"score_I1": "5"}).status_code == 403


def test_third_party_evaluation_names_the_evaluator(app, world1):
    tenant, org, officer, _ = world1
    with pytest.raises(services.EvaluationError):
        services.start(tenant, officer, org, "third_party", "2026年度")
    evaluation = services.start(tenant, officer, org, "third_party", "2026年度", "某某评估中心")
    assert evaluation.evaluator_name == "某某评估中心"


def test_the_org_rates_the_bureaus_process_once(client, world1, login):
    tenant, org, officer, admin = world1
    evaluation = services.start(tenant, officer, org, "department", "2026年度")
    services.score(evaluation, _scores(evaluation, 1), {}, "")
    services.finalize(evaluation, officer)
    login(admin)
    data = {"rate_clarity": 4, "rate_payment": 2, "rate_fairness": 5, "rate_response": 3,
            "comment": "第二笔拨款晚了一个月"}
    assert client.post(f"/t/{tenant.slug}/evaluations/{evaluation.id}/feedback",
                       data=data).status_code == 302
    feedback = evaluation.feedback
    assert feedback.ratings == {"clarity": 4, "payment": 2, "fairness": 5, "response": 3}
    assert feedback.average_tenths == 35 and feedback.submitted_by_id == admin.id
    page = client.get(f"/t/{tenant.slug}/evaluations/{evaluation.id}").get_data(as_text=True)
    assert "第二笔拨款晚了一个月" in page
    # Officers do not rate their own process.
    login(officer)
    assert client.post(f"/t/{tenant.slug}/evaluations/{evaluation.id}/feedback",
                       data=data).status_code == 403


def test_the_last_tier_is_served_for_the_award_decision(client, world1, login):
    tenant, org, officer, admin = world1
    url = f"/api/v1/t/{tenant.slug}/evaluations/orgs/{org.id}/latest"
    login(officer)
    assert client.get(url).get_json()["tier"] is None
    own = services.start(tenant, admin, org, "self", "2026年度")
    services.score(own, _scores(own, 1), {}, "")
    services.finalize(own, admin)
    dept = services.start(tenant, officer, org, "department", "2026年度")
    services.score(dept, _scores(dept, 0.7), {}, "")
    services.finalize(dept, officer)
    body = client.get(url).get_json()
    # The bureau's 70 points (中) count, not the organization's own 100.
    assert (body["evaluation_id"], body["tier"], body["tier_label"], body["total"]) == (
        dept.id, "fair", "中", "70.0")


def test_a_tenant_template_replaces_the_standard_one_for_new_evaluations(client, world1, login):
    tenant, org, officer, _ = world1
    started = services.start(tenant, officer, org, "department", "2025年度")
    login(officer)
    lines = "\n".join(["economy | 成本控制 | 25", "efficiency | 按期完成 | 25",
                       "effectiveness | 成效 | 20", "equity | 覆盖 | 10",
                       "satisfaction | 满意度 | 20"])
    response = client.post(f"/t/{tenant.slug}/evaluations/template", data={
        "name": "2026年模板", "indicators": lines, "excellent": 85, "good": 75, "fair": 60})
    assert response.status_code == 302
    new = services.start(tenant, officer, org, "department", "2026年度")
    assert [i["weight"] for i in new.indicators] == [25, 25, 20, 10, 20]
    assert new.tiers == {"excellent": 85, "good": 75, "fair": 60}
    assert len(started.indicators) == 8  # the one already started keeps its indicators
    bad = client.post(f"/t/{tenant.slug}/evaluations/template", data={
        "name": "坏模板", "indicators": "economy | 成本 | 50\nequity | 覆盖 | 30",
        "excellent": 85, "good": 75, "fair": 60}, follow_redirects=True)
    assert "权重合计为 80，须为 100。" in bad.get_data(as_text=True)


def test_the_template_is_written_and_read_with_the_dimensions_in_words(client, world1, login):
    """The form shows 经济性 | … | 10, never the stored code, and takes back what it shows."""
    tenant, org, officer, _ = world1
    login(officer)
    page = client.get(f"/t/{tenant.slug}/evaluations/template").get_data(as_text=True)
    assert "经济性 | 预算执行率与资金使用合规 | 10" in page and "economy" not in page
    lines = "\n".join(["经济性 | 成本控制 | 25", "效率性 | 按期完成 | 25", "效果性 | 成效 | 20",
                       "公平性 | 覆盖 | 10", "居民满意度 | 满意度 | 20"])
    response = client.post(f"/t/{tenant.slug}/evaluations/template", data={
        "name": "2026年模板", "indicators": lines, "excellent": 85, "good": 75, "fair": 60})
    assert response.status_code == 302
    new = services.start(tenant, officer, org, "department", "2026年度")
    assert [i["dimension"] for i in new.indicators] == [
        "economy", "efficiency", "effectiveness", "equity", "satisfaction"]


def test_an_evaluation_names_its_contract_by_number_and_title(client, world, login):
    from app.extensions import db
    from app.funding.models_contracts import Contract

    a = world.a
    contract = db.session.get(Contract, a.extra[0]["contract_id"])
    evaluation = services.start(a.tenant, a.users.officer, a.orgs[0], "department", "2026年度",
                                contract_id=contract.id)
    login(a.users.officer)
    page = client.get(f"/t/{a.tenant.slug}/evaluations/{evaluation.id}").get_data(as_text=True)
    assert contract.number and f"{contract.number} {contract.title}" in page
    assert f"#{contract.id}<" not in page and f"#{evaluation.id}<" not in page
