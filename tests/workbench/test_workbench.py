"""The workbench: each role's sections count exactly what waits for that person, each line
links to where it is done, a person with several roles sees the sections of each (the most
urgent first), the page is built with a fixed handful of queries, and the front page is the
visitors' one for anyone who is not a member of the tenant."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from app.auth.models import Role
from app.extensions import db as _db
from app.workbench import services
from tests.factories import grant, user_with
from tests.workbench import scene as scenes


@pytest.fixture
def scene(app, db):
    with app.test_request_context("/"):
        yield scenes.build()


def _user(scene, role):
    return {"resident": scene.resident, "volunteer": scene.volunteer}.get(role) or getattr(
        scene.w, role)


def _counts(bench) -> dict[str, int]:
    return {s.key: s.count for s in bench.sections}


@pytest.mark.parametrize("role", ["resident", "volunteer", "coordinator", "admin", "bookkeeper",
                                  "officer", "officer2", "auditor", "overseer"])
def test_each_role_counts_exactly_what_waits(scene, role):
    bench = services.build(_user(scene, role), scene.w.tenant, scene.now)
    counts = _counts(bench)
    for key, expected in scene.expected[role].items():
        assert counts.get(key, 0) == expected, (role, key, counts)


def test_empty_task_sections_are_named_once_not_shown(scene):
    """The overseer's only task waits; a coordinator with nothing to approve sees the
    section's name in the "all clear" line instead of an empty card."""
    bench = services.build(scene.w.coordinator, scene.w.tenant, scene.now)
    assert "org.expenditures" not in _counts(bench)  # not an admin: not offered at all
    admin2 = services.build(scene.w.admin2, scene.w.tenant, scene.now)  # 彩虹: nothing waits
    assert {s.key for s in admin2.sections} == {"org.today", "org.coming"}
    assert "待审批的支出" in admin2.clear and "待答复的投诉" in admin2.clear


def test_lines_link_to_where_the_thing_is_done(scene):
    w, slug = scene.w, scene.w.tenant.slug
    officer = services.build(w.officer, w.tenant, scene.now)
    links = {s.key: [i.href for i in s.items] for s in officer.sections}
    assert links["bureau.orgs"][0].startswith(f"/t/{slug}/orgs/") and \
        links["bureau.orgs"][0].endswith("/review")
    assert re.fullmatch(rf"/t/{slug}/funding/expenditures/\d+", links["bureau.approvals"][0])
    assert links["bureau.late"] == [f"/t/{slug}/service/late"]
    assert re.fullmatch(rf"/t/{slug}/oversight/findings/\d+", links["oversight.findings"][0])
    volunteer = services.build(scene.volunteer, w.tenant, scene.now)
    shifts = next(s for s in volunteer.sections if s.key == "volunteer.shifts")
    first = shifts.items[0]  # starts in 30 minutes: check-in is open
    assert first.action == "签到" and re.fullmatch(rf"/t/{slug}/service/shifts/\d+/check",
                                                    first.href)
    assert shifts.items[2].note == "候补中" and shifts.items[2].action == ""


def test_volunteer_sees_hours_and_the_way_to_the_next_star(scene):
    bench = services.build(scene.volunteer, scene.w.tenant, scene.now)
    progress = next(s for s in bench.sections if s.key == "volunteer.progress")
    assert ("核实时长（小时）", "2") in progress.figures
    assert progress.progress == (120, 100 * 60, "距下一星级还需 98 小时")


def test_a_person_with_several_roles_sees_each_most_urgent_first(scene):
    """An org admin who is also a resident and a volunteer: the organization's decisions and
    the resident's service to rate come before anyone's plans and suggestions."""
    w = scene.w
    grant(w.admin, w.tenant, Role.RESIDENT)
    grant(w.admin, w.tenant, Role.VOLUNTEER)
    bench = services.build(w.admin, w.tenant, scene.now)
    keys = [s.key for s in bench.sections]
    assert {"org.expenditures", "resident.bookings", "volunteer.progress"} <= set(keys)
    urgencies = [s.urgency for s in bench.sections if not s.empty_now]
    assert urgencies == sorted(urgencies)
    assert keys.index("org.expenditures") < keys.index("resident.bookings")
    assert bench.hats == 3  # 阳光社工服务中心, 居民, 志愿者: each section says whose it is


def test_the_workbench_costs_the_same_few_queries_however_much_waits(scene):
    """No query per line: doubling what waits leaves the number of statements unchanged."""
    w = scene.w

    def statements(user) -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(_db.engine, "before_cursor_execute", listener)
        try:
            _db.session.expire_all()
            services.build(user, w.tenant, scene.now)
        finally:
            event.remove(_db.engine, "before_cursor_execute", listener)
        return len(seen)

    people = [w.officer, w.admin, w.bookkeeper, scene.volunteer, scene.resident]
    before = {u.id: statements(u) for u in people}
    scenes.build_more(scene)
    after = {u.id: statements(u) for u in people}
    assert after == before
    # 17: the bureau officer's workbench also asks whether they are in charge of any area
    # (我负责的片区), one query whatever the answer.
    assert max(before.values()) <= 17, before


def test_the_front_page_is_the_workbench_for_members_only(app, client, db, login):
    from tests.factories import TenantFactory

    tenant, other = TenantFactory(name="甲区民政局"), TenantFactory(name="乙区民政局")
    member = user_with(tenant, Role.BUREAU_OFFICER, name="王科长")
    login(member)
    page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert "王科长，您好" in page and "<title>工作台 · 甲区民政局</title>" in page
    stranger = client.get(f"/t/{other.slug}/").get_data(as_text=True)
    assert "王科长，您好" not in stranger and "data-key=\"visitor.slots\"" in stranger


def test_the_page_shows_each_count_and_its_links(app, client, db, login):
    with app.test_request_context("/"):
        scene = scenes.build()
    login(scene.w.admin)
    page = client.get(f"/t/{scene.w.tenant.slug}/").get_data(as_text=True)
    shown = dict(re.findall(r'data-key="([\w.]+)" data-count="(\d+)"', page))
    assert shown["org.expenditures"] == "2" and shown["org.complaints"] == "1"
    assert page.count(f'href="/t/{scene.w.tenant.slug}/funding/expenditures/') >= 2


def test_the_auditor_sees_what_was_posted_since_the_books_last_passed(scene):
    from datetime import timedelta

    from app.books.models import LedgerTxn, LedgerVerification
    from app.db import utcnow

    w, now = scene.w, utcnow()

    def figure() -> tuple[str, int]:
        bench = services.build(w.auditor, w.tenant, scene.now)
        books = next(s for s in bench.sections if s.key == "audit.books")
        return books.figures[0][1], books.urgency

    before = figure()[0]
    for n, at in enumerate((now - timedelta(hours=2), now, now)):
        _db.session.add(LedgerTxn(tenant_id=w.tenant.id, txn_id=f"t{n}", year=now.year,
                                  date=now.date(), kind="disbursement", hash="h", prev_hash="p",
                                  posted_at=at))
    _db.session.flush()
    assert figure() == (str(int(before) + 3), services.Urgency.SUGGESTED)
    _db.session.add(LedgerVerification(tenant_id=w.tenant.id, ok=True,
                                       checked_at=now - timedelta(hours=1)))
    _db.session.flush()
    assert figure() == ("2", services.Urgency.SUGGESTED)
    _db.session.add(LedgerVerification(tenant_id=w.tenant.id, ok=False, problems=1,
                                       checked_at=now - timedelta(minutes=30)))
    _db.session.flush()
    assert figure() == ("2", services.Urgency.DEADLINE)  # a failed check comes first
