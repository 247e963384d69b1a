"""Return visits: the bureau draws served residents reproducibly (the same seed, the same
residents), one officer takes a visit on and alone sees the full phone number, a resident who
says they were not served flags the service, and the dashboard and the evaluation read the
results. Nobody but the bureau draws or records."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.auth.models import Role, User
from app.db import utcnow
from app.evaluation import services as evaluation
from app.extensions import db
from app.orgs.models import Organization
from app.oversight.rules import ScanContext, get_rule
from app.oversight.scan import run_scan, start_scan
from app.oversight.service_figures import live
from app.projects.models import ServiceSlot
from app.returnvisits import services
from app.returnvisits.models import ReturnVisit, ReturnVisitSample
from app.service.hours import local_date
from app.tenancy.models import Tenant
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.service.factories import attend, book, make_project, make_slot


@dataclass
class Scene:
    tenant: Tenant
    org_id: int
    officer: User
    other_officer: User
    auditor: User
    admin: User
    slots: list[ServiceSlot]
    residents: list[User]


@pytest.fixture
def s(db) -> Scene:
    """Two past slots of one organization, six residents recorded as served on each, and one
    resident who booked without being recorded (not in any sample)."""
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光社区服务中心")
    project = make_project(tenant, org, name="助老送餐")
    slots = [make_slot(project, starts_at=utcnow() - timedelta(days=d)) for d in (3, 2)]
    residents = [user_with(tenant, Role.RESIDENT) for _ in range(6)]
    for slot in slots:
        slot.capacity = 10
        for resident in residents:
            attend(book(slot, resident))
    book(slots[1], user_with(tenant, Role.RESIDENT))
    return Scene(tenant, org.id, user_with(tenant, Role.BUREAU_OFFICER),
                 user_with(tenant, Role.BUREAU_OFFICER), user_with(tenant, Role.AUDITOR),
                 user_with(tenant, Role.ORG_ADMIN, org), slots, residents)


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def drawn(sample: ReturnVisitSample) -> list[int]:
    return [v.attendance_id for v in sample.visits]


def test_the_same_seed_draws_the_same_residents(client, login, s):
    first = services.draw(s.tenant, s.officer, 5, {}, seed="20261208")
    second = services.draw(s.tenant, s.officer, 5, {}, seed="20261208")
    other = services.draw(s.tenant, s.officer, 5, {}, seed="7")
    assert drawn(first) == drawn(second) != drawn(other)
    assert first.population_count == 12 and len(set(drawn(first))) == 5
    one_slot = services.draw(s.tenant, s.officer, 12,
                             {"start": local_date(s.slots[1].starts_at).isoformat()}, seed="1")
    assert {v.slot_id for v in one_slot.visits} == {s.slots[1].id}  # the period's slot only
    assert services.reproduce(first).same_sample
    login(s.officer)
    response = client.post(f"/t/{s.tenant.slug}/return-visits",
                           data={"size": "5", "seed": "20261208", "org_id": "0"})
    made = db.session.get(ReturnVisitSample, int(response.location.rsplit("/", 1)[1]))
    assert drawn(made) == drawn(first)
    assert "按此种子重新抽样，样本完全一致" in page(client.get(response.location))


def test_a_denial_flags_the_service_and_feeds_dashboard_and_evaluation(client, login, s):
    sample = services.draw(s.tenant, s.officer, 12, {"org_id": s.org_id}, seed="3")
    denied = next(v for v in sample.visits if v.slot_id == s.slots[0].id)
    content = next(v for v in sample.visits
                   if v.slot_id == s.slots[1].id and v.resident_id != denied.resident_id)
    slug = s.tenant.slug
    login(s.officer)
    for visit, outcome in ((denied, {"reached": "yes", "confirmed": "no",
                                     "remarks": "老人说那天没人来"}),
                           (content, {"reached": "yes", "confirmed": "yes", "satisfaction": "4"})):
        client.post(f"/t/{slug}/return-visits/visits/{visit.id}/take")
        client.post(f"/t/{slug}/return-visits/visits/{visit.id}", data={"method": "phone",
                                                                           **outcome})
    assert (denied.confirmed, content.satisfaction) == (False, 4)

    hits = list(get_rule("service.visit_denied").run(_ctx(s.tenant)))
    assert [h.subject_key for h in hits] == [f"service_slot:{s.slots[0].id}"]
    assert hits[0].details["denied"] == 1 and hits[0].details["project"] == "助老送餐"
    s.tenant.settings = {"anomaly_visit_denial_share": 0.5}  # one of one is above half too
    assert len(list(get_rule("service.visit_denied").run(_ctx(s.tenant)))) == 1
    run_scan(start_scan(s.tenant, "manual"))
    login(s.auditor)
    findings = page(client.get(f"/t/{slug}/oversight/findings"))
    assert "居民称未接受服务" in findings

    figures = live(s.tenant.id, s.org_id)
    assert (figures.visits_reached, figures.visits_confirmed, str(figures.visit_confirmation)) \
        == (2, 1, "50.0")
    assert "50.0% (1 / 2)" in page(client.get(f"/t/{slug}/oversight/orgs/{s.org_id}"))
    assert "50.0%" in page(client.get(f"/t/{slug}/oversight/"))
    login(s.officer)
    review = evaluation.start(s.tenant, s.officer, db.session.get(Organization, s.org_id),
                              "department", "2026年度")
    shown = page(client.get(f"/t/{slug}/evaluations/{review.id}"))
    assert "回访确认率" in shown and "50.0%" in shown
    assert "联系上的 2 位居民中，1 位确认接受了服务" in shown
    login(denied.resident)  # what is held about them is in their own data download
    mine = client.get("/account/my-data.json").json
    assert [(a["came"], a["source"]) for a in mine["attendance"]] == [("是", "工作人员登记")] * 2
    assert [(v["confirmed"], v["remarks"]) for v in mine["return_visits"]] == [
        ("否", "老人说那天没人来")]


def _ctx(tenant):
    return ScanContext(tenant, utcnow())


def test_only_the_visiting_officer_sees_the_number_and_only_the_bureau_draws(client, login, s):
    sample = services.draw(s.tenant, s.officer, 1, {}, seed="5")
    visit = sample.visits[0]
    phone = visit.resident.phone
    masked = phone[:3] + "****" + phone[-4:]
    slug = s.tenant.slug
    url = f"/t/{slug}/return-visits/visits/{visit.id}"
    login(s.officer)
    assert masked in page(client.get(url)) and phone not in page(client.get(url))
    client.post(f"{url}/take")
    assert phone in page(client.get(url))
    for someone in (s.other_officer, s.auditor):
        login(someone)
        shown = page(client.get(url))
        assert masked in shown and phone not in shown
    login(s.other_officer)  # taken by a colleague: neither taken over nor recorded
    assert client.post(url, data={"method": "phone", "reached": "yes",
                                  "confirmed": "yes"}).status_code == 403
    client.post(f"{url}/take")
    assert db.session.get(ReturnVisit, visit.id).visited_by_id == s.officer.id
    for someone in (s.auditor, s.admin, s.residents[0]):
        login(someone)
        refused = client.post(f"/t/{slug}/return-visits", data={"size": "3", "seed": "1"})
        assert refused.status_code == 403, someone
    login(s.admin)
    assert client.get(f"/t/{slug}/return-visits").status_code == 403
    assert client.get(url).status_code == 403
    assert db.session.scalar(db.select(db.func.count(ReturnVisitSample.id))) == 1
