"""Recurring schedules: the rule's dates (official holidays skipped), made with a preview
first, made again without duplicates, changed one / following / all, cancelled with one
message per person, signed up for at once; other organizations and districts refused."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.extensions import db as _db
from app.notifications.models import Notification
from app.parsing import local_today
from app.projects.models import Shift, ShiftSignup, SignupStatus
from app.projects.places import PlaceData
from app.projects.signups import sign_up
from app.schedules import rules, services
from app.schedules.models import Series
from app.templating import SHANGHAI
from tests.factories import OrgFactory, TenantFactory, user_with
from tests.projects.factories import ProjectFactory, volunteer

THURSDAY = 3


def test_weekly_rule_skips_national_day_and_keeps_its_count():
    """Thursdays from 2026-09-24: 1 October (国庆节) is skipped and does not use up a date."""
    rule = rules.Rule(starts_on=date(2026, 9, 24), weekdays=(THURSDAY,), count=3)
    found = rules.dates(rule)
    assert found.days == [date(2026, 9, 24), date(2026, 10, 8), date(2026, 10, 15)]
    assert found.skipped == [(date(2026, 10, 1), "国庆节")]
    kept = rules.dates(rules.Rule(starts_on=date(2026, 9, 24), weekdays=(THURSDAY,), count=3,
                                  skip_holidays=False))
    assert kept.days == [date(2026, 9, 24), date(2026, 10, 1), date(2026, 10, 8)]


def test_other_rules_unknown_years_and_the_cap():
    every_other = rules.dates(rules.Rule(starts_on=date(2026, 11, 2), weekdays=(0, 2),
                                         interval=2, until=date(2026, 11, 30)))
    assert every_other.days == [date(2026, 11, 2), date(2026, 11, 4), date(2026, 11, 16),
                                date(2026, 11, 18), date(2026, 11, 30)]
    last_tuesday = rules.dates(rules.Rule(starts_on=date(2026, 11, 1), frequency="monthly",
                                          nth=-1, nth_weekday=1, count=3))
    assert last_tuesday.days == [date(2026, 11, 24), date(2026, 12, 29), date(2027, 1, 26)]
    # 2027's holidays are not announced in the calendar yet: its dates are kept, and said so.
    assert last_tuesday.unknown_years == [2027]
    with pytest.raises(rules.RuleError, match="200"):
        rules.dates(rules.Rule(starts_on=date(2026, 1, 5), weekdays=tuple(range(7)),
                               until=date(2026, 12, 31)))
    with pytest.raises(rules.RuleError):
        rules.dates(rules.Rule(starts_on=date(2026, 1, 5), weekdays=(), count=3))


def _setup(capacity=2, count=4):
    """A published project, its coordinator, and a weekly schedule of ``count`` shifts."""
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光社工")
    project = ProjectFactory(org=org, name="周末助老")
    staff = user_with(tenant, Role.ORG_COORDINATOR, org)
    first = local_today() + timedelta(days=2)
    rule = rules.Rule(starts_on=first, weekdays=(first.weekday(),), count=count,
                      skip_holidays=False)
    series = services.create(project, staff, "shift", rule,
                             services.Template(time(9), 120, "社区活动室", capacity))
    return tenant, org, project, staff, series


def _notes(person) -> list[Notification]:
    return list(_db.session.scalars(select(Notification).where(Notification.user_id == person.id)
                                    .order_by(Notification.id)))


def test_staff_preview_then_create_then_make_again_adds_only_what_is_missing(
        client, db, login):
    tenant, org, project, staff, _series = _setup()
    login(staff)
    first = local_today() + timedelta(days=1)
    form = {"kind": "shift", "starts_on": first.isoformat(), "start": "14:00",
            "duration_minutes": "90", "frequency": "weekly", "weekdays": str(first.weekday()),
            "interval": "1", "nth": "1", "nth_weekday": "0", "ends": "count", "count": "3",
            "place": "老年活动中心", "capacity": "4"}
    url = f"/t/{tenant.slug}/projects/{project.id}/series/new"
    page = client.post(url, data=form).get_data(as_text=True)
    assert page.count(" 14:00</li>") == 3 and "生成这些日期" in page
    assert db.session.scalar(select(func.count(Series.id))) == 1  # the preview made nothing
    previewed = re.search(r'name="previewed" type="hidden" value="([0-9a-f]+)"', page).group(1)
    changed = client.post(url, data={**form, "count": "5", "previewed": previewed,
                                     "confirmed": "yes"})
    assert changed.status_code == 200  # other fields than previewed: shown again, not made
    made = client.post(url, data={**form, "previewed": previewed, "confirmed": "yes"})
    assert made.status_code == 302
    series = db.session.scalars(select(Series).order_by(Series.id.desc())).first()
    dates = services.dates_of(series)
    assert [d.occurs_on for d in dates] == [first + timedelta(weeks=n) for n in range(3)]
    assert dates[0].starts_at.astimezone(SHANGHAI).time() == time(14)
    assert dates[0].ends_at - dates[0].starts_at == timedelta(minutes=90)

    again = client.post(f"/t/{tenant.slug}/series/{series.id}/generate")
    assert again.status_code == 302 and len(services.dates_of(series)) == 3
    db.session.delete(dates[1])  # lost somehow: only it is made again
    db.session.flush()
    assert [d.occurs_on for d in services.generate(series)] == [dates[1].occurs_on]
    assert services.generate(series) == []


def _data(shift, hour=9, place="社区活动室", capacity=3) -> PlaceData:
    starts = datetime.combine(shift.starts_at.astimezone(SHANGHAI).date(), time(hour), SHANGHAI)
    return PlaceData(starts_at=starts, ends_at=starts + timedelta(hours=2), place=place,
                     capacity=capacity)


def test_change_this_following_and_all(db):
    tenant, _org, _project, _staff, series = _setup(capacity=3)
    d1, d2, d3, d4 = dates = services.dates_of(series)
    person = volunteer(tenant)
    for shift in (d1, d3, d4):
        sign_up(person, shift)
    days = [d.starts_at.astimezone(SHANGHAI).date() for d in dates]

    services.change(d2, _data(d2, place="居委会二楼"), services.THIS)
    assert [d.place for d in dates] == ["社区活动室", "居委会二楼", "社区活动室", "社区活动室"]
    assert _notes(person) == []  # nobody was on that date

    services.change(d3, _data(d3, hour=10), services.FOLLOWING)
    assert [d.starts_at.astimezone(SHANGHAI).hour for d in dates] == [9, 9, 10, 10]
    assert [d.starts_at.astimezone(SHANGHAI).date() for d in dates] == days
    (note,) = _notes(person)
    assert "2 个日期" in note.body  # one message for both of their dates
    assert series.start_time == time(10)

    services.change(d1, _data(d1, hour=10, capacity=9), services.ALL)
    assert [d.starts_at.astimezone(SHANGHAI).hour for d in dates] == [10] * 4
    assert [d.capacity for d in dates] == [9] * 4 and series.capacity == 9
    assert [d.place for d in dates] == ["社区活动室"] * 4
    assert "1 个日期" in _notes(person)[-1].body and len(_notes(person)) == 2


def test_cancelling_the_schedule_tells_each_person_once(client, db, login):
    tenant, _org, project, staff, series = _setup()
    person = volunteer(tenant)
    for shift in services.dates_of(series)[:3]:
        sign_up(person, shift)
    login(staff)
    second = services.dates_of(series)[1]
    local = second.starts_at.astimezone(SHANGHAI)
    client.post(f"/t/{tenant.slug}/shifts/{second.id}/edit", data={
        "day": local.date().isoformat(), "start": "09:00", "end": "11:00", "place": "居委会二楼",
        "capacity": "2", "scope": "following"})
    assert [d.place for d in services.dates_of(series)] == ["社区活动室"] + ["居委会二楼"] * 3
    response = client.post(f"/t/{tenant.slug}/series/{series.id}/cancel",
                           data={"reason": "场地维修", "confirmed": "yes"})
    assert response.status_code == 302
    assert series.is_cancelled and services.dates_of(series) == []
    assert set(db.session.scalars(select(ShiftSignup.status))) == {SignupStatus.CANCELLED}
    moved, cancelled = _notes(person)  # the new place of dates 2–3, then the cancellation
    assert "2 个日期" in moved.body
    assert "取消" in cancelled.title and "3 个日期" in cancelled.body and "场地维修" in cancelled.body


def test_signing_up_for_every_date_waitlists_on_the_full_one(client, db, login):
    tenant, _org, project, _staff, series = _setup(capacity=1, count=3)
    d1, d2, d3 = services.dates_of(series)
    sign_up(volunteer(tenant), d2)  # someone took the only place on the second date
    person = volunteer(tenant)
    login(person)
    response = client.post(f"/t/{tenant.slug}/series/{series.id}/signup")
    assert response.status_code == 302
    rows = {r.shift_id: r.status for r in db.session.scalars(
        select(ShiftSignup).where(ShiftSignup.user_id == person.id))}
    assert rows == {d1.id: SignupStatus.CONFIRMED, d2.id: SignupStatus.WAITLISTED,
                    d3.id: SignupStatus.CONFIRMED}
    assert [d.confirmed_count for d in (d1, d2, d3)] == [1, 1, 1]
    page = client.get(f"/t/{tenant.slug}/projects/{project.id}").get_data(as_text=True)
    assert "您已报名 2 个日期" in page and "候补名单第 1 位" in page
    again = client.post(f"/api/v1/t/{tenant.slug}/series/{series.id}/signups")
    assert again.status_code == 201 and sorted(again.json["already"]) == sorted([d1.id, d2.id, d3.id])


def test_other_organizations_and_districts_cannot_make_or_change_a_schedule(client, db, login):
    tenant, _org, project, _staff, series = _setup()
    d1 = services.dates_of(series)[0]
    rival = OrgFactory(tenant_id=tenant.id, name="别家社工")
    outsider = user_with(tenant, Role.ORG_ADMIN, rival)
    other_tenant = TenantFactory()
    stranger = user_with(other_tenant, Role.ORG_ADMIN, OrgFactory(tenant_id=other_tenant.id))
    body = {"kind": "shift", "starts_on": (local_today() + timedelta(days=3)).isoformat(),
            "start_time": "09:00", "duration_minutes": 60, "weekdays": [0], "count": 2,
            "place": "别处", "capacity": 5}
    shift_body = {"starts_at": d1.starts_at.isoformat(), "ends_at": d1.ends_at.isoformat(),
                  "place": "别处", "capacity": 1}
    for person, slug, refused in ((outsider, tenant.slug, {403}),
                                  (stranger, other_tenant.slug, {404})):
        login(person)
        api = f"/api/v1/t/{slug}"
        attempts = [
            client.post(f"/t/{slug}/projects/{project.id}/series/new", data={}),
            client.post(f"/t/{slug}/series/{series.id}/generate"),
            client.post(f"/t/{slug}/series/{series.id}/cancel", data={"confirmed": "yes"}),
            client.post(f"{api}/projects/{project.id}/series", json=body),
            client.post(f"{api}/series/{series.id}/cancellation", json={}),
            client.patch(f"{api}/shifts/{d1.id}?scope=all", json=shift_body),
        ]
        assert {r.status_code for r in attempts} <= refused | {404}, [r.status_code for r in attempts]
    assert not series.is_cancelled and d1.place == "社区活动室" and len(services.dates_of(series)) == 4
    assert db.session.scalar(select(func.count(Series.id))) == 1
    assert db.session.scalar(select(func.count(Shift.id))) == 4


def test_api_makes_a_schedule_and_refuses_too_many_dates(client, db, login):
    tenant, _org, project, staff, _series = _setup()
    login(staff)
    first = local_today() + timedelta(days=1)
    body = {"kind": "slot", "starts_on": first.isoformat(), "start_time": "15:30",
            "duration_minutes": 60, "weekdays": [first.weekday()], "count": 2,
            "place": "社区卫生站", "capacity": 6}
    api = f"/api/v1/t/{tenant.slug}/projects/{project.id}/series"
    preview = client.post(f"{api}/preview", json=body)
    assert preview.status_code == 200 and len(preview.json["dates"]) == 2
    made = client.post(api, json=body)
    assert made.status_code == 201 and len(made.json["slots"]) == 2
    assert made.json["slots"][0]["starts_at"] == f"{first.isoformat()}T07:30:00+00:00"
    too_many = client.post(api, json={**body, "count": None, "weekdays": list(range(7)),
                                      "until": (first + timedelta(days=400)).isoformat()})
    assert too_many.status_code == 422 and "200" in too_many.json["message"]
