"""The team pages: a leader founds a team, builds its roster and signs it up from the project's
page; a coordinator records each person's hours on the shift's page; strangers are turned away."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.auth.models import Role
from app.db import utcnow
from app.service.models import ServiceRecord
from app.teams.models import Team, TeamSignup
from tests.factories import OrgFactory, user_with
from tests.projects.factories import volunteer
from tests.teams.factories import team_scene


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_leader_founds_a_team_and_builds_its_roster(client, db, login):
    s = team_scene()
    newcomer = volunteer(s.tenant, name="孙志强")
    login(newcomer)
    base = f"/t/{s.tenant.slug}/teams"
    r = client.post(base + "/", data={"name": "银龄互助队"})
    team = db.session.scalar(select(Team).where(Team.name == "银龄互助队"))
    assert r.status_code == 302 and team.leader_id == newcomer.id
    r = client.post(f"{base}/{team.id}/members", data={"kind": "named", "name": "刘奶奶",
                                                        "phone": "13912345678"},
                    follow_redirects=True)
    page = text(r)
    assert "刘奶奶" in page and "139****5678" in page and "13912345678" not in page
    r = client.post(f"{base}/{team.id}/members", data={"kind": "registered", "phone": "123"},
                    follow_redirects=True)
    assert r.status_code == 200 and "13800001234" in text(r)  # the form's own example


def test_the_leader_signs_the_team_up_from_the_project_page(client, db, login):
    s = team_scene(capacity=5)
    login(s.leader)
    project_page = text(client.get(f"/t/{s.tenant.slug}/projects/{s.shift.project_id}"))
    url = f"/t/{s.tenant.slug}/teams/{s.team.id}/shifts/{s.shift.id}"
    assert url in project_page
    chosen = [m.id for m in s.registered + s.named]
    r = client.post(url, data={"member_id": chosen})
    assert r.status_code == 302
    assert s.shift.confirmed_count == 4
    r = client.post(url, data={"member_id": [m.id for m in s.named]}, follow_redirects=True)
    assert "服务队已经报名了这个志愿岗位" in text(r)


def test_the_coordinator_records_each_persons_hours(client, db, login):
    s = team_scene(capacity=5)
    start = s.shift.starts_at
    from app.teams import signups

    row = signups.sign_up(s.team, s.leader, s.shift, [m.id for m in s.registered + s.named])
    s.shift.starts_at, s.shift.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
    db.session.flush()
    assert start != s.shift.starts_at
    login(s.coordinator)
    assert row.team.name in text(client.get(f"/t/{s.tenant.slug}/service/shifts/{s.shift.id}"))
    url = f"/t/{s.tenant.slug}/teams/signups/{row.id}/hours"
    form = {f"came-{p.id}": "yes" for p in row.places}
    form[f"came-{row.places[-1].id}"] = "no"
    r = client.post(url, data=form, follow_redirects=True)
    assert r.status_code == 200
    # The banner counts those who got hours, and says who was marked as not serving.
    assert "已为 3 人登记服务时长；1 人记为未参加。" in text(r)
    records = db.session.scalars(select(ServiceRecord).where(ServiceRecord.shift_id == s.shift.id)).all()
    assert sorted(r.minutes for r in records) == [120, 120]
    assert [p.minutes for p in row.places] == [120, 120, 120, 0]


def test_hours_on_a_shift_past_midnight_read_each_time_on_its_own_day(client, db, login):
    """A shift from 22:30 to 00:30 (Shanghai) spans two days: the form's 23:15 is on the
    first, 00:30 on the second (it was read as that morning's and refused as before arrival)."""
    from datetime import datetime, time

    from app.teams import signups
    from app.templating import SHANGHAI

    s = team_scene(capacity=5)
    row = signups.sign_up(s.team, s.leader, s.shift, [m.id for m in s.registered + s.named])
    yesterday = (utcnow().astimezone(SHANGHAI) - timedelta(days=1)).date()
    s.shift.starts_at = datetime.combine(yesterday, time(22, 30), SHANGHAI)
    s.shift.ends_at = s.shift.starts_at + timedelta(hours=2)
    db.session.flush()
    login(s.coordinator)
    first, second = row.places[0], row.places[1]
    form = {f"came-{first.id}": "yes", f"in-{first.id}": "23:15", f"out-{first.id}": "00:30",
            f"came-{second.id}": "yes", f"in-{second.id}": "22:30", f"out-{second.id}": "00:30"}
    r = client.post(f"/t/{s.tenant.slug}/teams/signups/{row.id}/hours", data=form,
                    follow_redirects=True)
    assert "离开时间必须晚于到达时间" not in text(r)
    assert "已为 2 人登记服务时长" in text(r)
    assert [first.minutes, second.minutes] == [75, 120]


def test_strangers_are_turned_away(client, db, login):
    s = team_scene()
    from app.teams import signups

    row = signups.sign_up(s.team, s.leader, s.shift, [m.id for m in s.named])
    outsider = volunteer(s.tenant)
    login(outsider)
    base = f"/t/{s.tenant.slug}/teams"
    assert client.get(f"{base}/{s.team.id}").status_code == 403
    assert client.post(f"{base}/{s.team.id}/members", data={"kind": "named", "name": "x",
                                                             "phone": "13912345678"}).status_code == 403
    assert client.get(f"{base}/{s.team.id}/shifts/{s.shift.id}").status_code == 403
    assert client.post(f"{base}/signups/{row.id}/cancel").status_code == 403
    assert client.get(f"{base}/signups/{row.id}/hours").status_code == 403
    other_org_staff = user_with(s.tenant, Role.ORG_COORDINATOR, OrgFactory(tenant_id=s.tenant.id))
    login(other_org_staff)
    assert client.get(f"{base}/signups/{row.id}/hours").status_code == 403
    assert db.session.get(TeamSignup, row.id).status == "confirmed"


def test_the_sign_up_page_says_the_places_left_once(client, db, login):
    s = team_scene(capacity=6)
    login(s.leader)
    html = text(client.get(f"/t/{s.tenant.slug}/teams/{s.team.id}/shifts/{s.shift.id}"))
    assert "<dt>剩余名额</dt><dd data-left>6 个（共 6 个）</dd>" in html
    assert "剩余 6 个名额" not in html
