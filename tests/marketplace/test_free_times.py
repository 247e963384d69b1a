"""When a volunteer is usually free (空闲时间): the grid they mark, read in Shanghai time, ranks
the shifts for them and decides which notices of shifts reach them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app.db import utcnow
from app.extensions import db
from app.templating import SHANGHAI
from app.volunteers import availability
from tests.service.factories import make_project, make_shift, profile, scene


def local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), SHANGHAI)


def next_weekday(weekday: int, after_days: int = 3) -> date:
    """The first ``weekday`` (Monday 0) at least ``after_days`` from today, Shanghai time."""
    day = utcnow().astimezone(SHANGHAI).date() + timedelta(days=after_days)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def test_a_shift_stored_in_utc_falls_in_its_shanghai_weekday_and_part_of_day():
    # Friday 23:30 UTC is Saturday 07:30 in Shanghai: Saturday morning.
    friday_night_utc = datetime(2026, 12, 11, 23, 30, tzinfo=UTC)
    assert availability.cell_of(friday_night_utc) == (5, 0)
    assert availability.cell_of(datetime(2026, 12, 12, 4, 0, tzinfo=UTC)) == (5, 1)  # 12:00
    assert availability.cell_of(datetime(2026, 12, 12, 10, 0, tzinfo=UTC)) == (5, 2)  # 18:00
    saturday_morning = availability.mask_of(["sat-morning"])
    assert availability.is_free(saturday_morning, friday_night_utc)
    assert not availability.is_free(saturday_morning, datetime(2026, 12, 12, 4, 0, tzinfo=UTC))
    assert availability.is_free(0, friday_night_utc)  # nothing marked: free whenever
    assert availability.cells_of(availability.mask_of(["sun-evening", "mon-morning"])) == [
        "mon-morning", "sun-evening"]


def test_the_volunteer_marks_saturday_morning_and_that_shift_comes_first_with_the_reason(
        client, login):
    s = scene(start=utcnow() + timedelta(days=1))
    tenant = s.tenant
    record = profile(tenant, s.volunteer)
    record.service_categories = ["助老服务"]
    care = make_project(tenant, s.org, "助老上门", category="助老服务")
    walk = make_project(tenant, s.org, "周六健步走", category="文体活动")
    tuesday = make_shift(care, starts_at=local(next_weekday(1), 14))
    saturday = make_shift(walk, starts_at=local(next_weekday(5), 9))
    db.session.flush()
    login(s.volunteer)
    url = f"/api/v1/t/{tenant.slug}/my/shifts-for-me"
    before = [m["shift_id"] for m in client.get(url).get_json()]
    assert before.index(tuesday.id) < before.index(saturday.id)  # the kind of service they chose

    page = client.get(f"/t/{tenant.slug}/volunteer/availability").get_data(as_text=True)
    assert page.count('type="checkbox" name="free"') == 21 and 'aria-label="周六上午"' in page
    answer = client.post(f"/t/{tenant.slug}/volunteer/availability",
                         data={"free": ["sat-morning", "sun-evening"]})
    assert answer.status_code == 302 and answer.location.endswith("/my/shifts/for-me")
    assert record.free_times == availability.mask_of(["sat-morning", "sun-evening"])

    ranked = client.get(url).get_json()
    assert ranked[0]["shift_id"] == saturday.id
    assert ranked[0]["reasons"][0] == "您周六上午有空。"
    assert not any("有空" in r for m in ranked[1:] for r in m["reasons"])
    page = client.get(f"/t/{tenant.slug}/my/shifts/for-me").get_data(as_text=True)
    assert "您平时有空的时间：周六上午、周日晚上。" in page
    assert page.index(f'data-shift="{saturday.id}"') < page.index(f'data-shift="{tuesday.id}"')
    assert "您周六上午有空。" in page

    # Clearing the grid: free whenever again, and no time is given as a reason.
    client.post(f"/t/{tenant.slug}/volunteer/availability", data={})
    assert record.free_times == 0
    assert [m["shift_id"] for m in client.get(url).get_json()] == before


def test_a_cell_not_on_the_grid_is_refused_and_nothing_changes(client, login):
    s = scene(start=utcnow() + timedelta(days=1))
    record = profile(s.tenant, s.volunteer)
    record.free_times = availability.mask_of(["mon-morning"])
    db.session.flush()
    login(s.volunteer)
    page = client.post(f"/t/{s.tenant.slug}/volunteer/availability",
                       data={"free": ["sat-midnight", "' OR 1=1 --"]})
    assert page.status_code == 200 and "请只选择表格里的时间。" in page.get_data(as_text=True)
    assert record.free_times == availability.mask_of(["mon-morning"])


def test_the_api_reads_and_writes_my_free_times(app, client, login):
    s = scene(start=utcnow() + timedelta(days=1))
    record = profile(s.tenant, s.volunteer)
    url = f"/api/v1/t/{s.tenant.slug}/volunteer-profile/free-times"
    assert app.test_client().get(url).status_code == 401
    login(s.volunteer)
    assert client.get(url).get_json() == {"free": []}
    answer = client.put(url, json={"free": ["sat-morning", "mon-evening"]})
    assert answer.status_code == 200 and answer.get_json() == {"free": ["mon-evening", "sat-morning"]}
    assert record.free_times == availability.mask_of(["mon-evening", "sat-morning"])
    for bad in ({"free": ["sat-noon"]}, {"free": "sat-morning"}, {}, {"free": [1]}):
        assert client.put(url, json=bad).status_code == 422
    assert client.get(url).get_json() == {"free": ["mon-evening", "sat-morning"]}
    # Another district's address reads and writes nothing of this record.
    elsewhere = scene(start=utcnow() + timedelta(days=1))
    there = f"/api/v1/t/{elsewhere.tenant.slug}/volunteer-profile/free-times"
    assert client.get(there).status_code in (403, 404)
    assert client.put(there, json={"free": []}).status_code in (403, 404)
    assert record.free_times == availability.mask_of(["mon-evening", "sat-morning"])
    page = client.post(f"/t/{elsewhere.tenant.slug}/volunteer/availability", data={"free": []})
    assert page.status_code in (302, 403, 404)
    assert record.free_times == availability.mask_of(["mon-evening", "sat-morning"])
    login(s.other)  # no volunteer record of their own
    assert client.get(url).status_code == 404


def _told(user, shift_id=None):
    from app.notifications.models import Notification

    stmt = select(Notification).where(Notification.user_id == user.id,
                                      Notification.kind == "shift.match")
    if shift_id is not None:
        stmt = stmt.where(Notification.subject_id == shift_id)
    return list(db.session.scalars(stmt.order_by(Notification.id)))


def test_a_place_freed_on_a_full_shift_is_told_once_to_those_free_then(client, login):
    from app.db_commit import commit
    from app.projects import signups
    from app.projects.models import ShiftSignup, SignupStatus
    from tests.projects.factories import volunteer

    s = scene(start=utcnow() + timedelta(days=1), shift_notices_per_day=3)
    tenant = s.tenant
    saturday = local(next_weekday(5), 9)
    full = make_shift(s.project, starts_at=saturday, capacity=1)
    leaving = volunteer(tenant)
    confirm_row = ShiftSignup(tenant_id=tenant.id, shift_id=full.id, user_id=leaving.id,
                              status=SignupStatus.CONFIRMED, queued_at=utcnow(), confirmed_at=utcnow())
    db.session.add(confirm_row)
    full.confirmed_count = 1
    free_then = profile(tenant, s.volunteer)
    free_then.shift_notices, free_then.free_times = True, availability.mask_of(["sat-morning"])
    busy_then = profile(tenant, s.other, real_name="王芳", id_number="110105199006150020")
    busy_then.shift_notices, busy_then.free_times = True, availability.mask_of(["sat-evening"])
    commit()
    assert _told(s.volunteer) == []  # nothing opened: a full shift is not announced

    signups.withdraw(confirm_row)
    commit()
    told = _told(s.volunteer)
    assert [n.subject_id for n in told] == [full.id]
    assert "助老送餐" in told[0].title and "剩余 1 个名额" in told[0].body
    assert _told(s.other) == []  # not free on Saturday mornings

    # The place is taken and freed again: the same person is not told of it twice.
    again = signups.sign_up(leaving, full)
    commit()
    signups.withdraw(again)
    commit()
    assert len(_told(s.volunteer, full.id)) == 1


def test_a_schedules_new_dates_are_told_in_one_notice_of_the_soonest(client, login):
    from app.db_commit import commit
    from app.schedules import services as schedules
    from app.schedules.rules import Frequency, Rule

    s = scene(start=utcnow() + timedelta(days=1), shift_notices_per_day=5)
    tenant = s.tenant
    record = profile(tenant, s.volunteer)
    record.shift_notices, record.free_times = True, availability.mask_of(["wed-afternoon"])
    evenings = profile(tenant, s.other, real_name="王芳", id_number="110105199006150020")
    evenings.shift_notices, evenings.free_times = True, availability.mask_of(["wed-evening"])
    commit()
    first = next_weekday(2)
    rule = Rule(frequency=Frequency.WEEKLY, starts_on=first, interval=1, weekdays=(2,),
                until=first + timedelta(days=21), skip_holidays=False)
    template = schedules.Template(start_time=time(14, 30), duration_minutes=120,
                                  place="幸福社区活动中心", capacity=4)
    series = schedules.create(s.project, s.admin, "shift", rule, template)
    commit()
    made = schedules.dates_of(series)
    assert len(made) == 4
    told = _told(s.volunteer)
    assert [n.subject_id for n in told] == [made[0].id]
    assert "还有 3 个日期也适合您" in told[0].body
    assert _told(s.other) == []  # free on Wednesday evenings only
    assert schedules.generate(series) == []  # nothing new: nobody told again
    commit()
    assert len(_told(s.volunteer)) == 1
