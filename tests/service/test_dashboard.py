"""The volunteer's dashboard: verified hours by year, organization and category, stars,
points, every record with its status; and what another organization sees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.auth.models import Role
from app.db import utcnow
from app.service import standing
from app.service.models import RecordMethod, RecordStatus, ServiceRecord, VolunteerStanding
from app.service.services import snapshot
from tests.factories import OrgFactory, user_with
from tests.service.factories import make_project, make_shift, scene


def record(db, shift, user, minutes, status=RecordStatus.VERIFIED) -> ServiceRecord:
    row = ServiceRecord(**snapshot(shift), user_id=user.id, checked_in_at=shift.starts_at,
                        checked_out_at=shift.starts_at + timedelta(minutes=minutes),
                        minutes=minutes, method=RecordMethod.QR, status=status)
    db.session.add(row)
    db.session.flush()
    return row


def two_orgs(db):
    """The volunteer served 阳光 (two categories, last year and this year) and 彩虹."""
    s = scene()
    this_year = utcnow().replace(month=3, day=4, hour=2, minute=0, second=0, microsecond=0)
    last_year = this_year.replace(year=this_year.year - 1)
    rainbow = OrgFactory(tenant_id=s.tenant.id, name="彩虹文体协会")
    shifts = [
        make_shift(make_project(s.tenant, s.org, name="助老", category="助老服务"), last_year, 8),
        make_shift(make_project(s.tenant, s.org, name="课堂", category="社区教育"), this_year, 8),
        make_shift(make_project(s.tenant, rainbow, name="文艺汇演", category="文体活动"),
                   this_year + timedelta(days=1), 8),
    ]
    record(db, shifts[0], s.volunteer, 300)
    record(db, shifts[1], s.volunteer, 120)
    record(db, shifts[2], s.volunteer, 240)
    record(db, s.shift, s.volunteer, 0, status=RecordStatus.OPEN)
    record(db, shifts[2], s.other, 480)
    return s, rainbow


def test_dashboard_figures_are_aggregated_by_year_org_and_category(zh):
    s, rainbow = two_orgs(zh)
    figures = standing.dashboard(s.tenant, s.volunteer.id)
    assert (figures.total_minutes, figures.year_minutes, figures.record_count) == (660, 360, 3)
    assert figures.by_org == [("阳光社区服务中心", 420, 2), ("彩虹文体协会", 240, 1)]
    assert figures.by_category == [("助老服务", 300), ("文体活动", 240), ("社区教育", 120)]
    assert figures.open_records == 1
    assert (figures.stars, figures.to_next_star) == (0, 100 * 60 - 660)


def test_imported_records_count_under_their_own_recording_unit_and_category(zh):
    """Records brought in from the national system by 阳光 name the unit that recorded
    them there and their own category: the summary groups by those, not by the importer."""
    s, _rainbow = two_orgs(zh)
    for key, unit, category, minutes in (("GJ1", "市志愿服务联合会", "医疗卫生", 180),
                                         ("GJ2", "东街道志愿服务站", "应急救援", 150)):
        zh.session.add(ServiceRecord(
            tenant_id=s.tenant.id, org_id=s.org.id, shift_id=None, user_id=s.volunteer.id,
            activity_name="导入的服务", activity_date=utcnow().date() - timedelta(days=400),
            place="某地", category=category, organizing_unit=unit, scheduled_minutes=minutes,
            minutes=minutes, method=RecordMethod.IMPORT, status=RecordStatus.VERIFIED,
            source="national", source_key=key))
    zh.session.flush()
    figures = standing.dashboard(s.tenant, s.volunteer.id)
    assert figures.by_org == [("阳光社区服务中心", 420, 2), ("彩虹文体协会", 240, 1),
                              ("市志愿服务联合会", 180, 1), ("东街道志愿服务站", 150, 1)]
    assert figures.by_category == [("助老服务", 300), ("文体活动", 240), ("医疗卫生", 180),
                                   ("应急救援", 150), ("社区教育", 120)]
    assert (figures.total_minutes, figures.record_count) == (990, 5)


def test_star_thresholds_come_from_the_tenant(zh):
    s, _ = two_orgs(zh)
    s.tenant.settings = {"star_thresholds": [5, 10, 20]}
    figures = standing.dashboard(s.tenant, s.volunteer.id)
    assert (figures.stars, figures.to_next_star) == (2, 20 * 60 - 660)


def test_dashboard_page_lists_every_record_with_its_status(client, db, login):
    s, _ = two_orgs(db)
    login(s.volunteer)
    page = client.get(f"/t/{s.tenant.slug}/service/me").get_data(as_text=True)
    assert "11" in page  # 660 minutes = 11 verified hours
    for text in ("阳光社区服务中心", "彩虹文体协会", "文艺汇演", "已核实", "已签到", "申请更正",
                 "距下一星级还需 89 小时"):
        assert text in page, text
    # On a phone each record is a card, every value with its column's name.
    assert '<table class="cards records">' in page
    for label in ("日期", "活动", "时长", "状态"):
        assert f'data-label="{label}"' in page, label


def test_dashboard_needs_a_role_in_the_tenant(client, db, login):
    s, _ = two_orgs(db)
    from tests.factories import TenantFactory, UserFactory, grant

    outsider = grant(UserFactory(), TenantFactory(), Role.VOLUNTEER)
    login(outsider)
    assert client.get(f"/t/{s.tenant.slug}/service/me").status_code == 403


def test_another_organization_sees_totals_not_internals(client, db, login):
    s, rainbow = two_orgs(db)
    staff = user_with(s.tenant, Role.ORG_COORDINATOR, rainbow)
    login(staff)
    page = client.get(f"/t/{s.tenant.slug}/service/org/{rainbow.id}/volunteers/{s.volunteer.id}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "11" in body and "文艺汇演" in body  # totals across orgs, its own record in detail
    assert "课堂" not in body and "助老" not in body  # not 阳光's activities
    assert client.get(f"/t/{s.tenant.slug}/service/org/{s.org.id}/volunteers/"
                      f"{s.volunteer.id}").status_code == 403


def test_an_organization_cannot_look_up_volunteers_it_never_had(client, db, login):
    s, rainbow = two_orgs(db)
    stranger = user_with(s.tenant, Role.VOLUNTEER)
    login(user_with(s.tenant, Role.ORG_ADMIN, rainbow))
    assert client.get(f"/t/{s.tenant.slug}/service/org/{rainbow.id}/volunteers/"
                      f"{stranger.id}").status_code == 404


def test_nightly_recompute_is_set_based_and_catches_up(zh):
    s, _ = two_orgs(zh)
    s.tenant.settings = {"star_thresholds": [5, 10]}
    assert standing.recompute_stars(s.tenant) == 2
    rows = {r.user_id: (r.verified_minutes, r.stars)
            for r in zh.session.scalars(select(VolunteerStanding))}
    assert rows == {s.volunteer.id: (660, 2), s.other.id: (480, 1)}
    assert standing.recompute_stars(s.tenant) == 0  # nothing changed: nothing rewritten
    zh.session.query(ServiceRecord).filter(ServiceRecord.user_id == s.other.id).update(
        {"status": RecordStatus.VOID})
    assert standing.recompute_stars(s.tenant) == 1
    assert zh.session.scalar(select(VolunteerStanding.verified_minutes).where(
        VolunteerStanding.user_id == s.other.id)) == 0


def test_reaching_a_star_is_congratulated(zh):
    from app.notifications.models import Notification
    from app.service.services import make_token, scan

    s = scene(start=datetime(2026, 3, 4, 2, 0, tzinfo=UTC), star_thresholds=[2, 4])
    t_in, t_out = s.shift.starts_at, s.shift.starts_at + timedelta(hours=3)
    scan(s.shift, s.volunteer, make_token(s.shift, "in", t_in), t_in)
    scan(s.shift, s.volunteer, make_token(s.shift, "out", t_out), t_out)
    note = zh.session.scalar(select(Notification).where(Notification.user_id == s.volunteer.id))
    assert note.title == "恭喜您晋升为1星志愿者"
