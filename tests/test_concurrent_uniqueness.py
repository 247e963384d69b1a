"""Check-then-insert under concurrency, with real commits (``committed``): whatever is unique
(a volunteer record and its ID number, a fund's name, an organization's application to a
call, a merchant's name, a resident's rating) is written once, and the attempts that lose
the race are refused in the domain's words, never with a database error."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.auth.services import issue_api_token
from app.db import utcnow
from app.extensions import db
from app.funding import funds, incentives
from app.funding.models import Application, Award, Call, Fund
from app.funding.models_spending import Merchant
from app.funding.services import FundingError, today
from app.orgs.models import Organization
from app.projects.models import SlotBooking
from app.service import feedback
from app.service.models import ServiceRating
from app.service.services import ServiceError
from app.tenancy.models import Tenant
from app.volunteers import services as volunteers
from app.volunteers.models import VolunteerProfile
from app.volunteers.services import VolunteerError
from tests.concurrency import outcome, run_together
from tests.factories import TenantFactory, UserFactory, user_with
from tests.funding.factories import LINES, funding_world, make_application, make_call
from tests.service.factories import book, make_slot, scene

TIMES = 6


def refusals(results: list, error: type[Exception]) -> list[str]:
    """Each attempt's outcome: "ok", or the refusal's message (in Chinese), or the error."""
    with current_app.test_request_context():
        return sorted("ok" if not isinstance(r, Exception) else str(r) if isinstance(r, error)
                      else f"{type(r).__name__}: {r}" for r in results)


def count(committed, model, *where) -> int:
    committed.session.expire_all()
    return committed.session.scalar(select(func.count()).select_from(model).where(*where))


def volunteer_data(**changes) -> volunteers.VolunteerData:
    data = {"real_name": "王芳", "gender": "F", "birth_date": date(1990, 6, 15),
            "id_number": "110105199006150020", "phone": "13800000002"}
    return volunteers.VolunteerData(**{**data, **changes})


def register_volunteer(user_id: int, tenant_id: int):
    def job():
        return volunteers.register(db.session.get(User, user_id), db.session.get(Tenant, tenant_id),
                                   volunteer_data(), consent=True).id
    return job


def test_one_person_registering_as_a_volunteer_at_once_is_one_record(app, committed):
    tenant, user = TenantFactory(), UserFactory()
    ids = (user.id, tenant.id)
    committed.session.commit()

    results = run_together(app, [register_volunteer(*ids)] * TIMES)
    assert refusals(results, VolunteerError) == ["ok"] + ["您已在本区注册为志愿者。"] * (TIMES - 1)
    assert count(committed, VolunteerProfile) == 1


def test_one_id_number_registered_by_several_people_at_once_is_one_record(app, committed):
    tenant = TenantFactory()
    people = [UserFactory().id for _ in range(TIMES)]
    tenant_id = tenant.id
    committed.session.commit()

    results = run_together(app, [register_volunteer(p, tenant_id) for p in people])
    assert refusals(results, VolunteerError) == ["ok"] + [
        "该身份证号码已被登记。如有误，请联系民政局。"] * (TIMES - 1)
    assert count(committed, VolunteerProfile) == 1


def test_one_fund_name_created_at_once_is_one_fund(app, committed):
    w = funding_world()
    tenant_id, officer_id = w.tenant.id, w.officer.id
    committed.session.commit()

    def create():
        return funds.create_fund(db.session.get(Tenant, tenant_id), db.session.get(User, officer_id),
                                 fiscal_year=today().year, name="社区服务专项", source="区级财政",
                                 amount_fen=1_000_000).id

    results = run_together(app, [create] * TIMES)
    assert refusals(results, FundingError) == ["ok"] + ["该年度已有同名专项资金。"] * (TIMES - 1)
    assert count(committed, Fund) == 1


def test_an_organization_applying_to_one_call_at_once_is_one_application(app, committed):
    w = funding_world()
    call_id, org_id, admin_id = make_call(w).id, w.org.id, w.admin.id
    committed.session.commit()

    def apply():
        return funds.submit_application(
            db.session.get(Call, call_id), db.session.get(Organization, org_id),
            db.session.get(User, admin_id), title="银龄守望", plan="每周探访", lines=LINES).id

    results = run_together(app, [apply] * TIMES)
    assert refusals(results, FundingError) == ["ok"] + ["贵组织已对该申报通知提交过申报。"] * (TIMES - 1)
    assert count(committed, Application) == 1


def test_one_merchant_name_added_at_once_is_one_merchant(app, committed):
    tenant_id = funding_world().tenant.id
    committed.session.commit()

    def add():
        return incentives.add_merchant(db.session.get(Tenant, tenant_id), name="幸福爱心超市",
                                       kind="charity_store").id

    results = run_together(app, [add] * TIMES)
    assert refusals(results, FundingError) == ["ok"] + ["已有同名商户。"] * (TIMES - 1)
    assert count(committed, Merchant) == 1


def test_a_service_rated_at_once_is_rated_once(app, committed):
    s = scene()
    resident = user_with(s.tenant, Role.RESIDENT)
    booking = book(make_slot(s.project, starts_at=utcnow() - timedelta(hours=3)), resident)
    ids = (booking.id, resident.id)
    committed.session.commit()

    def rate():
        return feedback.rate(db.session.get(SlotBooking, ids[0]), db.session.get(User, ids[1]), 5).id

    results = run_together(app, [rate] * TIMES)
    assert refusals(results, ServiceError) == ["ok"] + ["您已评价过该服务。"] * (TIMES - 1)
    assert count(committed, ServiceRating) == 1


def test_a_write_that_loses_a_race_anywhere_else_is_a_conflict_not_a_server_error(app, committed):
    """Two officers propose an award for one application at once: one award, and the other
    request learns of the conflict (409, the API's error shape) or of the decision (422)."""
    w = funding_world()
    application_id = make_application(w).id
    tokens = [{"Authorization": f"Bearer {issue_api_token(officer, 'test')}"}
              for officer in (w.officer, w.officer2)]
    url = f"/api/v1/t/{w.tenant.slug}/funding/applications/{application_id}/award"
    committed.session.commit()

    answers = run_together(app, [lambda token=token: app.test_client().post(
        url, headers=token, json={"amount": "10000.00", "reasons": "评审通过"}) for token in tokens])
    outcomes = sorted(map(outcome, answers))
    assert outcomes[0] == "201" and outcomes[1] in ("409", "422"), answers
    loser = next(a for a in answers if a.status_code != 201).get_json()
    assert set(loser) >= {"code", "status", "message"} and loser["code"] == int(outcomes[1])
    assert count(committed, Award, Award.application_id == application_id) == 1
