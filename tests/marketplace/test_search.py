"""The public marketplace: Chinese search, filters, places left, pagination, stable URLs."""

from __future__ import annotations

import re
from datetime import timedelta

from app.projects.models import ProjectStatus
from app.templating import SHANGHAI
from tests.factories import AreaFactory, OrgFactory, TenantFactory
from tests.projects.factories import ProjectFactory, shift, slot


def names(client, url) -> list[str]:
    body = client.get(url).get_data(as_text=True)
    return re.findall(r'<h2><a href="/t/[^"]+/projects/\d+">([^<]+)</a></h2>', body)


def setup():
    tenant = TenantFactory()
    org = OrgFactory(tenant_id=tenant.id, name="阳光社工")
    return tenant, org


def test_browse_shows_published_projects_with_places_left(client, db):
    tenant, org = setup()
    live = ProjectFactory(org=org, name="独居老人陪伴")
    shift(live, capacity=3, confirmed_count=1)
    slot(live, capacity=10)
    shift(live, days=-2, capacity=50)  # past: no longer counts
    ProjectFactory(org=org, name="草稿项目", status=ProjectStatus.DRAFT)
    ProjectFactory(org=org, name="已取消项目", status=ProjectStatus.CANCELLED)
    other = TenantFactory()
    ProjectFactory(org=OrgFactory(tenant_id=other.id), name="别区项目")
    url = f"/t/{tenant.slug}/projects"
    assert names(client, url) == ["独居老人陪伴"]
    body = client.get(url).get_data(as_text=True)
    assert "服务名额剩余 10" in body and "志愿岗位剩余 2" in body and "共找到 1 个项目" in body


def test_chinese_substring_search_over_names_and_descriptions(client, db):
    tenant, org = setup()
    ProjectFactory(org=org, name="幸福社区助老服务", content="上门陪伴")
    ProjectFactory(org=org, name="周末课堂", content="为老人开设智能手机课，也是助老的一部分")
    ProjectFactory(org=org, name="法律咨询进社区", content="律师坐诊")
    url = f"/t/{tenant.slug}/projects?q="
    assert sorted(names(client, url + "助老")) == ["周末课堂", "幸福社区助老服务"]
    assert names(client, url + "助老") [0] == "幸福社区助老服务"  # a match in the name first
    assert names(client, url + "助老 手机") == ["周末课堂"]
    assert names(client, url + "律师") == ["法律咨询进社区"]
    assert names(client, url + "%") == [] and names(client, url + "_") == []
    assert names(client, url + "Zhulao") == []


def test_area_filter_includes_sub_areas(client, db):
    tenant, org = setup()
    street = AreaFactory(tenant=tenant, name="东湖街道", level="街道")
    happy = AreaFactory(tenant=tenant, name="幸福社区", parent=street)
    grid = AreaFactory(tenant=tenant, name="幸福社区第1网格", level="网格", parent=happy)
    peace = AreaFactory(tenant=tenant, name="和平社区", parent=street)
    ProjectFactory(org=org, name="网格里的项目", area_id=grid.id)
    ProjectFactory(org=org, name="社区的项目", area_id=happy.id)
    ProjectFactory(org=org, name="和平的项目", area_id=peace.id)
    url = f"/t/{tenant.slug}/projects?area="
    assert sorted(names(client, url + str(happy.id))) == ["社区的项目", "网格里的项目"]
    assert names(client, url + str(grid.id)) == ["网格里的项目"]
    assert len(names(client, url + str(street.id))) == 3


def test_category_group_org_and_date_filters(client, db):
    tenant, org = setup()
    other_org = OrgFactory(tenant_id=tenant.id, name="彩虹协会")
    soon = ProjectFactory(org=org, name="下周助老", category="助老服务", target_groups=["独居老人"])
    shift(soon, days=7)
    later = ProjectFactory(org=other_org, name="下月儿童", category="儿童关爱",
                           target_groups=["留守儿童"])
    slot(later, days=30)
    base = f"/t/{tenant.slug}/projects?"
    assert names(client, base + "category=儿童关爱") == ["下月儿童"]
    assert names(client, base + "group=独居老人") == ["下周助老"]
    assert names(client, base + f"org={other_org.id}") == ["下月儿童"]
    week = soon.shifts[0].starts_at.astimezone(SHANGHAI).date()
    span = f"from={(week - timedelta(days=1)).isoformat()}&to={(week + timedelta(days=1)).isoformat()}"
    assert names(client, base + span) == ["下周助老"]
    assert names(client, base + f"from={(week + timedelta(days=2)).isoformat()}") == ["下月儿童"]


def test_pagination_with_stable_urls(client, db):
    tenant, org = setup()
    for i in range(25):
        ProjectFactory(org=org, name=f"助老项目{i:02d}")
    first = client.get(f"/t/{tenant.slug}/projects?q=助老").get_data(as_text=True)
    assert "共找到 25 个项目" in first and "1 / 2" in first
    assert f'href="/t/{tenant.slug}/projects?page=2&amp;q=%E5%8A%A9%E8%80%81"' in first
    second = names(client, f"/t/{tenant.slug}/projects?q=助老&page=2")
    assert len(second) == 5 and len(set(second) | set(names(client, f"/t/{tenant.slug}/projects?q=助老"))) == 25


def test_malformed_parameters_are_ignored(client, db):
    tenant, org = setup()
    ProjectFactory(org=org, name="任意项目")
    url = f"/t/{tenant.slug}/projects?page=abc&area=x&org=-1&from=2026-13-40&to=zz"
    assert names(client, url) == ["任意项目"]
    assert names(client, f"/t/{tenant.slug}/projects?page=99") == ["任意项目"]


def test_org_page_lists_its_public_projects(client, db):
    tenant, org = setup()
    org.description = "专注助老服务"
    ProjectFactory(org=org, name="公开的项目")
    ProjectFactory(org=org, name="草稿不公开", status=ProjectStatus.DRAFT)
    body = client.get(f"/t/{tenant.slug}/orgs/{org.id}").get_data(as_text=True)
    assert "公开的项目" in body and "草稿不公开" not in body and "专注助老服务" in body


def test_public_results_are_cached_briefly_but_never_a_signed_in_page(app, client, db, login,
                                                                      monkeypatch):
    from app.auth.models import Role
    from app.marketplace import cache
    from tests.factories import user_with

    monkeypatch.setitem(app.config, "MARKETPLACE_CACHE_SECONDS", 30)
    cache.store().clear()
    try:
        tenant, org = setup()
        ProjectFactory(org=org, name="先发布的")
        url = f"/t/{tenant.slug}/projects"
        assert names(client, url) == ["先发布的"]
        ProjectFactory(org=org, name="后发布的")
        assert names(client, url) == ["先发布的"]  # the same page, for up to 30 seconds
        person = user_with(tenant, Role.RESIDENT, name="王小明")
        login(person)
        page = client.get(url).get_data(as_text=True)
        assert "王小明" in page and "后发布的" not in page  # results cached, page made for them
        cache.store().clear()
        assert sorted(names(client, url)) == ["先发布的", "后发布的"]
    finally:
        cache.store().clear()


def test_filter_choices_are_kept_until_an_organization_or_area_changes(app, client, db,
                                                                       monkeypatch):
    from sqlalchemy import text

    from app.marketplace import choices
    from app.orgs.models import OrgStatus

    monkeypatch.setitem(app.config, "TENANT_CACHE_SECONDS", 60)
    choices.forget()
    try:
        tenant, org = setup()
        url = f"/t/{tenant.slug}/projects"

        def options() -> str:
            return client.get(url).get_data(as_text=True)

        assert ">阳光社工</option>" in options()
        # Written behind the ORM's back: the kept choices do not see it...
        db.session.execute(text("UPDATE organization SET name = '改名未见' WHERE id = :id"),
                           {"id": org.id})
        assert ">阳光社工</option>" in options() and "改名未见" not in options()
        # ...but every change the app makes is seen at once.
        pending = OrgFactory(tenant_id=tenant.id, name="待审组织", status=OrgStatus.PENDING)
        assert "待审组织" not in options()
        pending.status = OrgStatus.VERIFIED
        db.session.flush()
        assert ">待审组织</option>" in options() and "改名未见" in options()
        AreaFactory(tenant=tenant, name="新建社区", level="社区")
        assert "新建社区</option>" in options()
    finally:
        choices.forget()


def test_a_page_past_the_last_shows_the_last_page(db):
    from app.marketplace.services import Filters, search

    tenant, org = setup()
    for i in range(23):
        ProjectFactory(org=org, name=f"助老项目{i:02d}")
    assert (search(tenant, Filters(q="助老", page=7)).page,
            len(search(tenant, Filters(q="助老", page=7)).cards)) == (2, 3)
    nothing = search(tenant, Filters(q="没有这个词", page=3))
    assert (nothing.page, nothing.total, nothing.cards, nothing.has_prev) == (1, 0, [], False)


def test_the_form_shows_the_filters_chosen(client, db):
    tenant, org = setup()
    street = AreaFactory(tenant=tenant, name="东湖街道", level="街道")
    happy = AreaFactory(tenant=tenant, name="幸福社区", parent=street)
    body = client.get(f"/t/{tenant.slug}/projects?category=儿童关爱&area={happy.id}"
                      f"&group=独居老人&org={org.id}").get_data(as_text=True)
    chosen = re.findall(r'<option value="([^"]*)" selected>', body)
    assert chosen == ["儿童关爱", str(happy.id), "独居老人", str(org.id)]
    assert re.findall(r'<option value="([^"]*)" selected>',
                      client.get(f"/t/{tenant.slug}/projects").get_data(as_text=True)) == []


def test_a_visitors_search_page_is_one_statement_and_no_session(client, app, db, monkeypatch):
    """A visitor's search: one SQL statement for the page of results with its count (the
    form's choices are kept by the process), and no session cookie. Statements are counted
    as the driver receives them (on PostgreSQL the search hands its text to the driver's
    cursor, past SQLAlchemy's events)."""
    from sqlalchemy import event

    from app.marketplace import choices
    from app.tenancy import scoping

    tenant, org = setup()
    for i in range(25):
        shift(ProjectFactory(org=org, name=f"助老服务{i}"), capacity=3)
    app.config["TENANT_CACHE_SECONDS"] = 60
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    engine = db.engine
    postgres = engine.dialect.name == "postgresql"
    visitor = app.test_client(use_cookies=False)
    try:
        url = f"/t/{tenant.slug}/projects?q=助老&page=2"
        visitor.get(url)  # the choices and the tenant are read once
        if postgres:
            import psycopg

            execute = psycopg.Cursor.execute

            def counted(cursor, query, *args, **kwargs):
                count(None, cursor, str(query))
                return execute(cursor, query, *args, **kwargs)

            monkeypatch.setattr(psycopg.Cursor, "execute", counted)
        else:
            event.listen(engine, "before_cursor_execute", count)
        response = visitor.get(url)
    finally:
        monkeypatch.undo()
        if not postgres:
            event.remove(engine, "before_cursor_execute", count)
        app.config["TENANT_CACHE_SECONDS"] = 0
        choices.forget()  # rolled back with the test: no other test may see them
        scoping._by_slug.clear()
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert len(names(visitor, url)) == 5
    assert len(statements) == 1, statements
