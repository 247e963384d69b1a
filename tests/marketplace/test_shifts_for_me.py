"""Shifts for me: the open shifts a volunteer may take, best match first, each with the reasons
in plain words; never a shift that is full, past, asks for a skill they lack, clashes with their
own, lies in another community, or belongs to another district."""

from __future__ import annotations

from datetime import timedelta

from app.auth.models import Role
from app.db import utcnow
from app.extensions import db
from tests.factories import AreaFactory, user_with
from tests.service.factories import confirm, make_project, make_shift, profile, scene


def test_shifts_for_me_are_ordered_by_match_and_say_why(client, login):
    now = utcnow()
    s = scene(start=now + timedelta(days=2))
    tenant = s.tenant
    street = AreaFactory(tenant=tenant, name="东湖街道", level="街道")
    home = AreaFactory(tenant=tenant, name="幸福社区", level="社区", parent=street)
    grid = AreaFactory(tenant=tenant, name="幸福社区第1网格", level="网格", parent=home)
    elsewhere = AreaFactory(tenant=tenant, name="和平社区", level="社区", parent=street)
    record = profile(tenant, s.volunteer)
    record.area_id, record.skills, record.service_categories = grid.id, "急救、摄影", ["助老服务"]
    care = make_project(tenant, s.org, "助老上门", category="助老服务", area_id=home.id)
    sport = make_project(tenant, s.org, "街道运动会", category="文体活动", area_id=street.id)
    open_all = make_project(tenant, s.org, "全区环保宣传", category="文体活动")
    far = make_project(tenant, s.org, "和平社区义诊", category="助老服务", area_id=elsewhere.id)
    day = now + timedelta(days=3)
    best = make_shift(care, starts_at=day + timedelta(days=1))
    best.required_skills = "急救"
    street_wide = make_shift(sport, starts_at=day)
    anywhere = make_shift(open_all, starts_at=day + timedelta(hours=5))
    lacking = make_shift(care, starts_at=day)
    lacking.required_skills = "木工"
    full = make_shift(care, starts_at=day, capacity=1)
    confirm(full, s.other)
    clash = make_shift(care, starts_at=s.shift.starts_at + timedelta(hours=1))
    past = make_shift(care, starts_at=now - timedelta(days=1))
    elsewhere_shift = make_shift(far, starts_at=day)
    other_district = scene(start=now + timedelta(days=4))
    db.session.flush()

    login(s.volunteer)
    answer = client.get(f"/api/v1/t/{tenant.slug}/my/shifts-for-me").get_json()
    assert [m["shift_id"] for m in answer] == [best.id, street_wide.id, anywhere.id]
    assert answer[0]["reasons"] == ["这个岗位需要急救，正是您填写的技能。",
                                    "助老服务是您选择的服务类别。",
                                    "就在您附近：幸福社区。"]
    assert answer[1]["reasons"] == ["不需要特别的技能。", "服务范围覆盖您居住的东湖街道。"]
    assert answer[2]["reasons"] == ["不需要特别的技能。", "全区志愿者都可以报名。"]
    assert answer[0]["score"] > answer[1]["score"] > answer[2]["score"]
    never = {lacking.id, full.id, clash.id, past.id, elsewhere_shift.id, s.shift.id,
             other_district.shift.id}
    assert never.isdisjoint(m["shift_id"] for m in answer)

    page = client.get(f"/t/{tenant.slug}/my/shifts/for-me").get_data(as_text=True)
    assert 'data-matches="3"' in page
    assert page.index(f'data-shift="{best.id}"') < page.index(f'data-shift="{street_wide.id}"')
    assert "正是您填写的技能" in page and "和平社区义诊" not in page


def test_a_volunteer_without_a_record_is_asked_to_register(app, client, login):
    s = scene(start=utcnow() + timedelta(days=2))
    newcomer = user_with(s.tenant, Role.VOLUNTEER)
    login(newcomer)
    page = client.get(f"/t/{s.tenant.slug}/my/shifts/for-me").get_data(as_text=True)
    assert f"/t/{s.tenant.slug}/volunteer/register" in page
    stranger = app.test_client()
    assert stranger.get(f"/api/v1/t/{s.tenant.slug}/my/shifts-for-me").status_code == 401


def _notices(user):
    from sqlalchemy import select

    from app.extensions import db
    from app.notifications.models import Notification

    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == "shift.match")))


def test_volunteers_who_asked_are_told_of_a_shift_that_suits_them_at_most_n_a_day(client, login):
    from app.db_commit import commit
    from app.projects.places import PlaceData, add_shift

    now = utcnow()
    s = scene(start=now + timedelta(days=2), shift_notices_per_day=2)
    tenant = s.tenant
    asked = profile(tenant, s.volunteer)
    asked.skills = "急救"
    silent = profile(tenant, s.other, real_name="王芳", id_number="110105199006150020")
    silent.skills = "急救"
    lacking = user_with(tenant, Role.VOLUNTEER)
    profile(tenant, lacking, real_name="李娜", id_number="110105199211020049").skills = "木工"
    # The volunteer turns notices on from the shifts-for-me page.
    login(s.volunteer)
    page = client.get(f"/t/{tenant.slug}/my/shifts/for-me").get_data(as_text=True)
    assert "每天最多 2 条" in page
    client.post(f"/t/{tenant.slug}/volunteer/profile/notices",
                data={"notices-on": "y", "next": f"/t/{tenant.slug}/my/shifts/for-me"})
    assert asked.shift_notices is True
    client.post(f"/t/{tenant.slug}/volunteer/profile/notices", data={})
    assert asked.shift_notices is False
    client.post(f"/t/{tenant.slug}/volunteer/profile/notices", data={"notices-on": "y"})
    lacking_profile = _profile_of(tenant, lacking)
    lacking_profile.shift_notices = True
    other_district = scene(start=now + timedelta(days=2))
    far = profile(other_district.tenant, other_district.volunteer)
    far.skills, far.shift_notices = "急救", True
    commit()

    project = make_project(tenant, s.org, "急救知识进社区")
    day = now + timedelta(days=5)
    shifts = [add_shift(project, PlaceData(starts_at=day + timedelta(days=i),
                                           ends_at=day + timedelta(days=i, hours=2),
                                           place="幸福社区活动中心", capacity=5,
                                           required_skills="急救"))
              for i in range(3)]
    commit()
    told = _notices(s.volunteer)
    assert [n.subject_id for n in told] == [shifts[0].id, shifts[1].id]  # two a day, not three
    assert "急救知识进社区" in told[0].title and f"/projects/{project.id}" in told[0].link
    assert _notices(s.other) == [] and _notices(lacking) == []
    assert _notices(other_district.volunteer) == []
    # Told once per shift, even when the job runs again.
    from workers.matching import notify_shift_matches

    assert notify_shift_matches(shifts[0].id) == 0


def _profile_of(tenant, user):
    from app.volunteers.services import profile_for

    return profile_for(user, tenant)
