"""The pages: a group joins, its sponsor answers, the incubator's list and a group's page,
a move asked for before it is made, and who may see what."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Role
from app.grassroots import filing, services
from app.orgs.models import Organization
from app.parsing import local_today
from tests.factories import OrgFactory, UserFactory, user_with
from tests.grassroots.factories import DOCUMENT, group_world, register, verified_group

TODAY = local_today()


def _form(w, **changes):
    values = {"name": "和平社区护绿小队", "kind": "居民互助类", "legal_representative": "钱志刚",
              "contact_name": "钱志刚", "contact_phone": "13700002002",
              "number": "东湖社备〔2026〕031号", "filed_with_id": str(w.community.id),
              "filed_on": (TODAY - timedelta(days=20)).isoformat(), "sponsor_id": str(w.hub.id),
              "document": (io.BytesIO(DOCUMENT), "备案证明.pdf")}
    values.update(changes)
    return values


def test_a_group_joins_on_its_page_and_its_sponsor_confirms_after_being_asked(client, login, db):
    w = group_world()
    leader = UserFactory(name="钱志刚")
    login(leader)
    page = client.get(f"/t/{w.tenant.slug}/grassroots/register").get_data(as_text=True)
    assert "东湖街道社区社会组织服务中心" in page and "幸福社区" in page
    response = client.post(f"/t/{w.tenant.slug}/grassroots/register", data=_form(w),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    group = db.session.scalar(select(Organization).where(Organization.name == "和平社区护绿小队"))
    assert group.credit_code is None and group.is_filed
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "东湖社备〔2026〕031号" in page and "确认作为依托单位" not in page

    login(w.hub_admin)
    listing = client.get(f"/t/{w.tenant.slug}/grassroots/incubators/{w.hub.id}").get_data(
        as_text=True)
    assert "和平社区护绿小队" in listing
    url = f"/t/{w.tenant.slug}/grassroots/groups/{group.id}/sponsorship"
    asked = client.post(url, data={"decision": "confirm", "note": "欢迎"})
    assert asked.status_code == 200 and filing.filing_of(group).sponsor_status == "pending"
    done = client.post(url, data={"decision": "confirm", "note": "欢迎", "confirmed": "yes"})
    assert done.status_code == 302
    assert filing.filing_of(group).sponsor_status == "confirmed"
    assert services.incubation_of(group).stage == "admitted"


def test_a_group_without_a_filing_document_or_with_a_fake_one_is_refused(client, login, db):
    w = group_world()
    login(UserFactory())
    for document in ((io.BytesIO(b""), ""), (io.BytesIO(b"MZ\x90\x00"), "备案.pdf")):
        response = client.post(f"/t/{w.tenant.slug}/grassroots/register",
                               data=_form(w, document=document),
                               content_type="multipart/form-data")
        assert response.status_code == 200
    assert db.session.scalar(select(Organization).where(
        Organization.name == "和平社区护绿小队")) is None


def test_the_incubator_moves_a_group_on_after_asking_and_the_leader_sees_it(client, login, db):
    w = group_world()
    group, leader = verified_group(w)
    incubation = services.incubation_of(group)
    incubation.stage_since = incubation.moves[0].moved_on = TODAY - timedelta(days=30)
    services.move(incubation, w.hub_coordinator, day=TODAY - timedelta(days=10), note="培育")
    milestone = services.add_milestone(incubation, w.hub_coordinator, title="首场公开演出",
                                       due_on=TODAY + timedelta(days=3))
    base = f"/t/{w.tenant.slug}/grassroots"
    login(w.hub_coordinator)
    move = {"moved_on": TODAY.isoformat(), "note": "能独立开展活动", "confirmed": "yes"}
    client.post(f"{base}/groups/{group.id}/move", data=move)
    assert incubation.stage == "nurturing"  # refused: its milestone is open
    login(leader)
    response = client.post(f"{base}/milestones/{milestone.id}/done", data={
        "done_on": TODAY.isoformat(), "evidence": "演出照片", "document": (io.BytesIO(DOCUMENT),
                                                                       "照片.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302 and milestone.done_on == TODAY
    assert client.get(f"{base}/milestones/{milestone.id}/evidence").data.startswith(b"%PDF-")
    assert client.post(f"{base}/groups/{group.id}/move", data=move).status_code == 403
    login(w.hub_coordinator)
    asked = client.post(f"{base}/groups/{group.id}/move", data={**move, "confirmed": ""})
    assert asked.status_code == 200 and incubation.stage == "nurturing"
    client.post(f"{base}/groups/{group.id}/move", data=move)
    assert incubation.stage == "graduated"
    login(leader)
    page = client.get(f"{base}/groups/{group.id}").get_data(as_text=True)
    assert "首场公开演出" in page and "演出照片" in page and 'aria-current="step">出壳' in page


def test_training_is_recorded_in_hours_on_the_page(client, login, db):
    w = group_world()
    group, _leader = verified_group(w)
    login(w.hub_coordinator)
    base = f"/t/{w.tenant.slug}/grassroots/groups/{group.id}"
    client.post(f"{base}/trainings", data={"person": "周玉梅", "course": "骨干培训班",
                                           "hours": "1.5", "trained_on": TODAY.isoformat()})
    for hours in ("abc", "1e3", "0"):
        client.post(f"{base}/trainings", data={"person": "周玉梅", "course": "骨干培训班",
                                               "hours": hours, "trained_on": TODAY.isoformat()})
    assert [t.minutes for t in services.trainings_of(group)] == [90]
    page = client.get(base).get_data(as_text=True)
    assert "1.5 小时" in page


def test_others_cannot_see_or_act_on_a_group(client, login, db):
    w = group_world()
    group, _leader = verified_group(w)
    outsider = user_with(w.tenant, Role.ORG_ADMIN, OrgFactory(tenant_id=w.tenant.id,
                                                              credit_code="91110000802100433B"))
    base = f"/t/{w.tenant.slug}/grassroots"
    login(outsider)
    assert client.get(f"{base}/groups/{group.id}").status_code == 403
    assert client.post(f"{base}/groups/{group.id}/trainings", data={}).status_code == 403
    assert client.get(f"{base}/incubators/{w.hub.id}").status_code == 403
    login(w.auditor)
    assert client.get(f"{base}/groups/{group.id}").status_code == 200
    assert client.post(f"{base}/groups/{group.id}/move", data={}).status_code == 403


def test_a_filed_group_edits_its_details_without_a_credit_code(client, login, db):
    w = group_world()
    group, leader = register(w)
    login(leader)
    page = client.get(f"/t/{w.tenant.slug}/orgs/{group.id}/edit").get_data(as_text=True)
    assert 'name="credit_code"' not in page
    response = client.post(f"/t/{w.tenant.slug}/orgs/{group.id}/edit", data={
        "name": group.name, "kind": group.kind, "legal_representative": "周玉梅",
        "contact_name": "周玉梅", "contact_phone": "13700002009", "description": "每周排练两次"})
    assert response.status_code == 302
    db.session.refresh(group)
    assert (group.contact_phone, group.credit_code, group.parent_id) == (
        "13700002009", None, w.hub.id)
