"""Spot checks: a seeded, recorded, reproducible draw; outcomes; re-draws need a reason and
leave the first draw on record; the aggregate is public and names nobody."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db as _db
from app.spotchecks import services
from app.spotchecks.models import SpotCheck
from app.spotchecks.samplers import sampler
from app.volunteers.models import VolunteerProfile
from tests.factories import OrgFactory, TenantFactory, UserFactory, user_with


@sampler("test_volunteer", title="测试：志愿者档案", tables=("volunteer_profile",))
def _volunteers(tenant_id, params, cutoff):
    return select(VolunteerProfile.id, VolunteerProfile.area_id).where(
        VolunteerProfile.tenant_id == tenant_id, VolunteerProfile.created_at <= cutoff)


_serial = iter(range(10**6))


def _message(app, exc) -> str:
    with app.test_request_context():
        return str(exc.value)


def _population(tenant, n=40):
    from app.db import utcnow

    ids = []
    for _ in range(n):
        i = next(_serial)
        user = UserFactory()
        profile = VolunteerProfile(tenant_id=tenant.id, user_id=user.id, real_name=f"志愿者{i}",
                                   gender="M", birth_date=date(1985, 3, 7),
                                   id_number=f"X{tenant.id:05d}{i:06d}", phone=user.phone,
                                   consent_at=utcnow(), consent_version="2026-01")
        _db.session.add(profile)
        _db.session.flush()
        ids.append(profile.id)
    return ids


@pytest.fixture
def setup(db):
    tenant = TenantFactory()
    officer = user_with(tenant, Role.BUREAU_OFFICER)
    return tenant, officer, _population(tenant)


def test_the_draw_records_its_seed_and_can_be_reproduced(setup):
    tenant, officer, ids = setup
    check = services.draw(tenant, officer, "test_volunteer", 5, {}, seed="20260401")
    drawn = [i.object_id for i in check.items]
    assert check.seed == "20260401" and check.population_count == 40
    assert check.population_digest == services.digest(sorted(ids))
    assert drawn == services.sample(sorted(ids), 5, "20260401")
    assert len(set(drawn)) == 5 and set(drawn) <= set(ids)
    again = services.reproduce(check)
    assert again.same_population and again.same_sample
    # Same seed, same population: same sample. Another seed: (here) another sample.
    assert services.draw(tenant, officer, "test_volunteer", 5, {}, seed="20260401").items[2].object_id == drawn[2]
    assert [i.object_id for i in services.draw(tenant, officer, "test_volunteer", 5, {},
                                               seed="7").items] != drawn


def test_records_added_after_the_draw_do_not_change_its_reproduction(setup):
    tenant, officer, _ = setup
    check = services.draw(tenant, officer, "test_volunteer", 5, {}, seed="99")
    _population(tenant, 3)
    assert services.reproduce(check).same_sample


def test_without_a_seed_one_is_chosen_and_recorded(setup):
    tenant, officer, _ = setup
    check = services.draw(tenant, officer, "test_volunteer", 3, {})
    assert check.seed.isdigit()
    assert services.reproduce(check).same_sample


def test_a_redraw_without_a_reason_is_refused_and_the_first_draw_stays(client, setup, login):
    tenant, officer, _ = setup
    check = services.draw(tenant, officer, "test_volunteer", 5, {}, seed="1")
    login(officer)
    response = client.post(f"/t/{tenant.slug}/spot-checks/{check.id}/redraw", data={"reason": ""},
                           follow_redirects=True)
    assert "重新抽样须填写理由（至少 10 个字）。首次抽样会一并保留在案。" in response.get_data(as_text=True)
    assert _db.session.scalars(select(SpotCheck).where(SpotCheck.tenant_id == tenant.id)).all() == [check]
    _db.session.refresh(check)
    assert check.status == "open"


def test_a_redraw_with_a_reason_is_recorded_beside_the_first(client, setup, login):
    tenant, officer, _ = setup
    check = services.draw(tenant, officer, "test_volunteer", 5, {}, seed="1")
    first_items = [i.object_id for i in check.items]
    login(officer)
    response = client.post(f"/t/{tenant.slug}/spot-checks/{check.id}/redraw",
                           data={"reason": "样本中三条记录属于已注销组织，无法调取凭证"})
    assert response.status_code == 302
    checks = _db.session.scalars(select(SpotCheck).where(SpotCheck.tenant_id == tenant.id)
                                 .order_by(SpotCheck.id)).all()
    assert len(checks) == 2
    first, second = checks
    _db.session.refresh(first)
    assert first.status == "superseded" and [i.object_id for i in first.items] == first_items
    assert second.supersedes_id == first.id
    assert second.redraw_reason == "样本中三条记录属于已注销组织，无法调取凭证"
    assert second.seed != first.seed
    # The replaced draw cannot be re-drawn again, nor its outcomes changed.
    again = client.post(f"/t/{tenant.slug}/spot-checks/{first.id}/redraw",
                        data={"reason": "再抽一次看看结果会不会更好"}, follow_redirects=True)
    assert "该样本已重新抽取过" in again.get_data(as_text=True)
    assert _db.session.query(SpotCheck).filter_by(tenant_id=tenant.id).count() == 2


def test_a_completed_check_cannot_be_replaced(app, setup):
    tenant, officer, _ = setup
    check = services.draw(tenant, officer, "test_volunteer", 2, {}, seed="5")
    for item in check.items:
        services.record(item, officer, "discrepancy", "签到表上没有此人")
    services.complete(check)
    with pytest.raises(services.SpotCheckError) as exc:
        services.redraw(check, officer, "结果不理想，想重新抽取一次", tenant)
    assert _message(app, exc) == "本次抽查已完成，结果有效，不能以重新抽样替代。"


def test_outcomes_need_a_note_unless_they_match_and_completion_needs_all(app, setup):
    tenant, officer, _ = setup
    check = services.draw(tenant, officer, "test_volunteer", 2, {}, seed="5")
    one, two = check.items
    with pytest.raises(services.SpotCheckError):
        services.record(one, officer, "no_evidence", "")
    services.record(one, officer, "matches", "")
    with pytest.raises(services.SpotCheckError) as exc:
        services.complete(check)
    assert _message(app, exc) == "还有 1 个抽样项目未记录核查结果。"
    services.record(two, officer, "no_evidence", "未提供签到表")
    services.complete(check)
    assert check.status == "completed" and check.completed_at is not None
    with pytest.raises(services.SpotCheckError):
        services.record(two, officer, "matches", "")


def test_the_published_results_count_outcomes_and_name_nobody(client, setup):
    tenant, officer, _ = setup
    check = services.draw(tenant, officer, "test_volunteer", 3, {}, seed="11")
    a, b, c = check.items
    services.record(a, officer, "matches", "")
    services.record(b, officer, "discrepancy", "时长与签到不符")
    services.redraw(check, officer, "第三条记录不在抽查范围内，重新抽取", tenant)
    body = client.get(f"/t/{tenant.slug}/spot-checks/results").get_data(as_text=True)
    [agg] = services.aggregates(tenant.id)
    assert (agg.checks, agg.redraws, agg.sampled) == (2, 1, 6)
    assert (agg.outcomes["matches"], agg.outcomes["discrepancy"], agg.outcomes["pending"]) == (1, 1, 4)
    assert "测试：志愿者档案" in body
    assert "志愿者0" not in body and "时长与签到不符" not in body


def test_auditors_read_but_cannot_draw(client, setup, login):
    tenant, officer, _ = setup
    auditor = user_with(tenant, Role.AUDITOR)
    check = services.draw(tenant, officer, "test_volunteer", 2, {}, seed="3")
    login(auditor)
    assert client.get(f"/t/{tenant.slug}/spot-checks/{check.id}").status_code == 200
    assert client.post(f"/t/{tenant.slug}/spot-checks", data={"kind": "test_volunteer",
                                                              "size": 2}).status_code == 403
    assert _db.session.query(SpotCheck).filter_by(tenant_id=tenant.id).count() == 1


def test_drawing_from_the_page(client, setup, login):
    tenant, officer, _ = setup
    OrgFactory(tenant_id=tenant.id)
    login(officer)
    response = client.post(f"/t/{tenant.slug}/spot-checks", data={
        "kind": "test_volunteer", "org_id": "0", "size": "4", "seed": "123"})
    assert response.status_code == 302
    check = _db.session.scalar(select(SpotCheck).where(SpotCheck.tenant_id == tenant.id))
    assert (check.seed, len(check.items), check.drawn_by_id) == ("123", 4, officer.id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "按此种子重新抽样，样本完全一致。" in page
