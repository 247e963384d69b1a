"""Public reputation: an organization's public page and API show the service figures the
bureau sees and only its published grades; the honour list shows only volunteers who chose to
appear, masked unless they chose their full name, with the stars of their own page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import Role
from app.evaluation import services as evaluation
from app.extensions import db
from app.oversight import service_figures
from app.reputation.services import honour_list
from app.service.models import AwardRecord, ServiceRating, ServiceRecord
from app.service.standing import dashboard
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.service.factories import attend, book, make_slot, profile, scene


def verified(org, user, minutes: int, day: date = date(2025, 5, 6)) -> ServiceRecord:
    """A verified record brought over from the paper register (no shift needed)."""
    start = datetime(day.year, day.month, day.day, 1, tzinfo=UTC)
    row = ServiceRecord(tenant_id=org.tenant_id, org_id=org.id, shift_id=None, user_id=user.id,
                        activity_name="上门助老", activity_date=day, place="幸福社区",
                        organizing_unit=org.name, scheduled_minutes=minutes,
                        checked_in_at=start, checked_out_at=start + timedelta(minutes=minutes),
                        minutes=minutes, method="import", status="verified", verified_at=start)
    db.session.add(row)
    db.session.flush()
    return row


def graded(s, officer, mode: str, period: str, final: bool = True, share: float = 0.85):
    item = evaluation.start(s.tenant, officer, s.org, mode, period,
                            evaluator_name="明德评估中心" if mode == "third_party" else "")
    evaluation.score(item, {i["code"]: str(round(i["weight"] * share * 2) / 2)
                            for i in item.indicators}, {}, "")
    if final:
        evaluation.finalize(item, officer)
    return item


def award(org, user, name: str, day: date = date(2026, 1, 16)) -> AwardRecord:
    row = AwardRecord(tenant_id=org.tenant_id, org_id=org.id, user_id=user.id, name=name,
                      awarded_on=day, grantor="东湖街道办事处")
    db.session.add(row)
    db.session.flush()
    return row


def _fig(page: str, label: str) -> str:
    """The value the oversight page shows under a figure's label."""
    found = re.search(re.escape(label) + r'</div><div class="value">(?:<a [^>]*>)?([^<]*)', page)
    assert found, label
    return found.group(1)


def test_the_public_page_shows_the_figures_the_bureau_sees(client, db, login):
    s = scene()
    officer = user_with(s.tenant, Role.BUREAU_OFFICER)
    verified(s.org, s.volunteer, 150)
    verified(s.org, s.other, 95)
    slot = make_slot(s.project)
    came, away = (user_with(s.tenant, Role.RESIDENT) for _ in range(2))
    bookings = [book(slot, came), book(slot, away)]
    attend(bookings[0])
    attend(bookings[1], attended=False)
    for b, score in zip(bookings, (5, 4), strict=True):
        db.session.add(ServiceRating(tenant_id=s.tenant.id, org_id=s.org.id, booking_id=b.id,
                                     user_id=b.user_id, score=score))
    graded(s, officer, "department", "2025年度")
    graded(s, officer, "third_party", "2026年第一季度", final=False, share=1)
    graded(s, officer, "self", "2026年度自评", share=1)
    db.session.flush()
    slug = s.tenant.slug

    api = client.get(f"/api/v1/t/{slug}/organizations/{s.org.id}/reputation").get_json()
    internal = service_figures.live(s.tenant.id, s.org.id)
    dashboard_row = service_figures.compute(s.tenant.id)[s.org.id]
    assert api["verified_hours"] == str(internal.hours) == str(dashboard_row.hours) == "4.1"
    assert api["people_served"] == internal.people_served == dashboard_row.people_served == 1
    assert api["average_rating"] == str(internal.satisfaction) == "4.50"
    assert api["ratings"] == 2
    # Only the final grade by the bureau: not the draft, not the organization's own.
    assert [(g["period"], g["tier"], g["mode"]) for g in api["grades"]] == [
        ("2025年度", "good", "department")]

    page = client.get(f"/t/{slug}/orgs/{s.org.id}").get_data(as_text=True)
    assert 'data-service="hours">4.1<' in page
    assert 'data-service="people_served">1<' in page
    assert 'data-service="satisfaction">4.50 / 5' in page
    assert "2025年度" in page and "良" in page
    assert "2026年第一季度" not in page and "2026年度自评" not in page

    login(officer)
    internal_page = client.get(f"/t/{slug}/oversight/orgs/{s.org.id}").get_data(as_text=True)
    assert _fig(internal_page, "核实服务时长（小时）") == "4.1"
    assert _fig(internal_page, "服务对象人数") == "1"
    assert _fig(internal_page, "平均满意度").startswith("4.50 / 5")


def test_an_unverified_organization_has_no_public_reputation(client, db):
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, status="pending")
    assert client.get(f"/api/v1/t/{tenant.slug}/organizations/{org.id}/reputation"
                      ).status_code in (401, 403, 404)


def _listed(tenant, user, name, full=False):
    row = profile(tenant, user, real_name=name,
                  id_number={"张伟": "110105198503070019", "王芳": "110105199006150020",
                             "李娜": "110105199211020049"}[name])
    row.honour_listed, row.honour_full_name = True, full
    return row


def test_the_honour_list_shows_only_those_who_chose_it(client, db):
    s = scene()
    tenant = s.tenant
    on = _listed(tenant, s.volunteer, "张伟")
    verified(s.org, s.volunteer, 310 * 60)
    award(s.org, s.volunteer, "2025年度优秀志愿者")
    profile(tenant, s.other, real_name="王芳", id_number="110105199006150020")
    verified(s.org, s.other, 700 * 60)
    award(s.org, s.other, "助老服务之星")
    listed_no_merit = user_with(tenant, Role.VOLUNTEER)
    _listed(tenant, listed_no_merit, "李娜")
    # Another district's volunteer on its own honour list.
    far = scene()
    _listed(far.tenant, far.volunteer, "王芳", full=True)
    verified(far.org, far.volunteer, 200 * 60)
    db.session.flush()

    stars = dashboard(tenant, s.volunteer.id).stars
    assert stars == 2
    api = client.get(f"/api/v1/t/{tenant.slug}/honours").get_json()
    assert api == [{"name": "张*", "stars": stars, "award_count": 1,
                    "awards": [{"name": "2025年度优秀志愿者", "awarded_on": "2026-01-16",
                                "grantor": "东湖街道办事处"}]}]
    page = client.get(f"/t/{tenant.slug}/honours").get_data(as_text=True)
    assert "张*" in page and "2025年度优秀志愿者" in page
    for absent in ("张伟", "王芳", "王*", "助老服务之星", "李*"):
        assert absent not in page
    assert 'data-honours="1"' in page

    on.honour_full_name = True
    db.session.flush()
    assert client.get(f"/api/v1/t/{tenant.slug}/honours").get_json()[0]["name"] == "张伟"
    assert "王芳" in client.get(f"/t/{far.tenant.slug}/honours").get_data(as_text=True)


def test_a_volunteer_chooses_on_their_record_and_the_choice_is_audited(client, db, login):
    s = scene()
    record = profile(s.tenant, s.volunteer)
    award(s.org, s.volunteer, "助老服务之星")
    assert record.honour_listed is False
    login(s.volunteer)
    page = client.get(f"/t/{s.tenant.slug}/volunteer/profile").get_data(as_text=True)
    assert "光荣榜" in page
    assert "张*" not in client.get(f"/t/{s.tenant.slug}/honours").get_data(as_text=True)

    client.post(f"/t/{s.tenant.slug}/volunteer/profile/honours", data={"honour-listed": "y"})
    assert (record.honour_listed, record.honour_full_name) == (True, False)
    assert "张*" in client.get(f"/t/{s.tenant.slug}/honours").get_data(as_text=True)
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.object_type == "volunteer_profile", AuditEntry.object_id == str(record.id),
        AuditEntry.action == "update").order_by(AuditEntry.id.desc()))
    assert entry.actor_id == s.volunteer.id
    assert entry.changes["honour_listed"] == [False, True]

    # The full name alone, without the list, is not kept.
    client.post(f"/t/{s.tenant.slug}/volunteer/profile/honours",
                data={"honour-full_name": "y"})
    assert (record.honour_listed, record.honour_full_name) == (False, False)
    assert "张*" not in client.get(f"/t/{s.tenant.slug}/honours").get_data(as_text=True)


def test_the_api_changes_only_ones_own_choice(client, db, login):
    s = scene()
    mine = profile(s.tenant, s.volunteer)
    theirs = profile(s.tenant, s.other, real_name="王芳", id_number="110105199006150020")
    award(s.org, s.other, "助老服务之星")
    url = f"/api/v1/t/{s.tenant.slug}/volunteer-profile/honours"
    login(s.volunteer)
    assert client.get(url).get_json() == {"listed": False, "full_name": False}
    answer = client.put(url, json={"listed": True, "full_name": True})
    assert answer.status_code == 200 and answer.get_json() == {"listed": True, "full_name": True}
    assert (mine.honour_listed, theirs.honour_listed) == (True, False)
    # Naming someone else, or sending junk, changes nobody else's choice.
    for body in ({"listed": True, "user_id": s.other.id}, {"listed": "yes please"}, [], "x"):
        client.put(url, json=body)
    assert theirs.honour_listed is False
    assert [h["name"] for h in client.get(
        f"/api/v1/t/{s.tenant.slug}/honours").get_json()] == []  # 张伟 has no star or award yet
    login(user_with(s.tenant, Role.RESIDENT))  # no volunteer record: nothing to choose
    assert client.get(url).status_code == 404
    assert client.put(url, json={"listed": True}).status_code == 404


def test_the_demo_honour_list(app, client, db, demo):
    from app.tenancy.models import Tenant

    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == "demo"))
    names = [(h.name, h.stars) for h in honour_list(tenant)]
    assert names == [("张伟", 2), ("王*", 1), ("李*", 0)]
    page = client.get("/t/demo/honours").get_data(as_text=True)
    assert "张伟" in page and "刘*" not in page and "社区文明劝导志愿者" not in page
