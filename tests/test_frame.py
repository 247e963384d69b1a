"""The frame every page shares: a short header by role with the rest in menus, nothing
offered that the role cannot use, one wording for one's own things, errors in the tenant's
frame, a favicon, a title that does not repeat itself, and 长辈版 (large text) remembered per
person and per visitor."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.auth.models import Role
from tests.factories import OrgFactory, TenantFactory, grant, user_with

MAX_TOP_LEVEL = 9


class Header(HTMLParser):
    """The main menu of a page: its top-level entries and every label in it."""

    def __init__(self):
        super().__init__()
        self.top: list[str] = []
        self.labels: list[str] = []
        self._nav = self._lists = 0
        self._text: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "nav":  # the page's one navigation: the header's
            self._nav = 1
        elif self._nav and tag == "ul":
            self._lists += 1
        elif self._nav and tag == "li" and self._lists == 1:
            self.top.append("")
        if self._nav and tag in ("a", "summary", "button"):
            self._text = []

    def handle_endtag(self, tag):
        if self._nav and tag == "ul":
            self._lists -= 1
        elif tag == "nav":
            self._nav = 0
        if self._text is not None and tag in ("a", "summary", "button"):
            label = "".join(self._text).strip()
            self.labels.append(label)
            if self.top and not self.top[-1]:
                self.top[-1] = label
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def header(client, url: str) -> Header:
    parser = Header()
    parser.feed(client.get(url).get_data(as_text=True))
    return parser


@pytest.fixture
def tenant(db):
    return TenantFactory(name="示范区民政局")


def _person(tenant, *roles: Role, org=None):
    user = None
    for role in roles:
        is_org = role in (Role.ORG_ADMIN, Role.ORG_COORDINATOR, Role.ORG_BOOKKEEPER)
        if user is None:
            user = user_with(tenant, role, org if is_org else None)
        else:
            grant(user, tenant, role, org if is_org else None)
    return user


#: Every demo account's roles, and someone holding all of them.
ROLE_SETS = {
    "bureau": (Role.BUREAU_OFFICER,), "auditor": (Role.AUDITOR,), "overseer": (Role.OVERSEER,),
    "org admin": (Role.ORG_ADMIN,), "coordinator": (Role.ORG_COORDINATOR,),
    "bookkeeper": (Role.ORG_BOOKKEEPER,), "volunteer": (Role.RESIDENT, Role.VOLUNTEER),
    "resident": (Role.RESIDENT,), "everything": tuple(Role),
}


@pytest.mark.parametrize("who", list(ROLE_SETS))
def test_the_header_stays_short_for_every_role(client, tenant, login, who):
    org = OrgFactory(tenant_id=tenant.id)
    login(_person(tenant, *ROLE_SETS[who], org=org))
    found = header(client, f"/t/{tenant.slug}/")
    assert 4 <= len(found.top) <= MAX_TOP_LEVEL, (who, found.top)
    assert found.top[0] == "工作台"


def test_a_visitors_header(client, tenant):
    found = header(client, f"/t/{tenant.slug}/")
    assert found.top[:2] == ["首页", "找服务"] and "登录" in found.top and "注册" in found.top
    assert len(found.top) <= MAX_TOP_LEVEL


def test_someone_of_another_tenant_gets_the_home_page_not_a_workbench(client, tenant, login):
    login(_person(TenantFactory(), Role.RESIDENT))
    found = header(client, f"/t/{tenant.slug}/")
    assert found.top[0] == "首页" and "工作台" not in found.labels


def test_staff_are_not_offered_what_residents_and_volunteers_use(client, tenant, login):
    org = OrgFactory(tenant_id=tenant.id)
    for roles in ((Role.ORG_ADMIN,), (Role.BUREAU_OFFICER,), (Role.AUDITOR,), (Role.OVERSEER,)):
        client.post("/logout")
        login(_person(tenant, *roles, org=org))
        labels = header(client, f"/t/{tenant.slug}/").labels
        for offered in ("我的预约", "我的报名", "成为志愿者", "我的志愿服务", "我的积分",
                        "我的服务评价"):
            assert offered not in labels, (roles, offered)


def test_ones_own_things_are_in_one_menu_with_one_word_each(client, tenant, login):
    login(_person(tenant, Role.RESIDENT, Role.VOLUNTEER))
    found = header(client, f"/t/{tenant.slug}/")
    assert "我的" in found.top
    mine = ["我的预约", "我的服务评价", "我的志愿服务", "我的时长与证明", "我的积分", "我的志愿者信息"]
    assert [label for label in found.labels if label in mine] == mine
    assert "成为志愿者" not in found.labels  # already one
    client.post("/logout")
    login(_person(tenant, Role.RESIDENT))
    labels = header(client, f"/t/{tenant.slug}/").labels
    assert "成为志愿者" in labels and "我的积分" not in labels


def test_a_menu_with_one_entry_for_this_person_is_that_entry(client, tenant, login):
    login(_person(tenant, Role.OVERSEER))
    assert "支出监督" in header(client, f"/t/{tenant.slug}/").top


@pytest.mark.parametrize("path, method, code", [
    ("/no-such-page", "GET", 404), ("/projects/999999", "GET", 404), ("/", "POST", 405),
])
def test_errors_under_a_tenant_keep_its_frame(client, tenant, path, method, code):
    response = client.open(f"/t/{tenant.slug}{path}", method=method)
    body = response.get_data(as_text=True)
    assert response.status_code == code
    assert 'class="tenant-name">示范区民政局' in body and "找服务" in body
    assert f'<p class="error-code">{code}</p>' in body


def test_a_forbidden_page_keeps_the_frame_and_offers_the_front_page(client, tenant, login):
    login(_person(tenant, Role.RESIDENT))
    response = client.get(f"/t/{tenant.slug}/funding/approvals")
    body = response.get_data(as_text=True)
    assert response.status_code == 403 and "没有权限" in body
    assert 'class="tenant-name">示范区民政局' in body and f'href="/t/{tenant.slug}/"' in body


def test_errors_outside_a_tenant_and_of_an_unknown_tenant(client, tenant):
    for url in ("/no-such-page", "/t/no-such-tenant/projects"):
        body = client.get(url).get_data(as_text=True)
        assert "找不到这个页面" in body and "tenant-name" not in body


def test_the_favicon_is_linked_and_served(client, tenant):
    body = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in body
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert client.get("/favicon.ico").headers["Location"].endswith("/static/favicon.svg")


def test_the_title_names_the_page_then_the_tenant_once(client, tenant):
    assert "<title>首页 · 示范区民政局</title>" in client.get(f"/t/{tenant.slug}/").get_data(
        as_text=True)
    assert "<title>找服务、找志愿岗位 · 示范区民政局</title>" in client.get(
        f"/t/{tenant.slug}/projects").get_data(as_text=True)
    assert "<title>登录 · 共治</title>" in client.get("/login").get_data(as_text=True)


def test_large_text_is_kept_on_the_account(client, tenant, login, db):
    person = _person(tenant, Role.RESIDENT)
    login(person)
    page = f"/t/{tenant.slug}/"
    assert '<body class="">' in client.get(page).get_data(as_text=True)
    response = client.post("/large-text", data={"on": "1", "next": page})
    assert response.status_code == 302 and response.headers["Location"] == page
    assert person.large_text is True
    body = client.get(page).get_data(as_text=True)
    assert '<body class="large-text">' in body and 'aria-pressed="true">标准版' in body
    other = client.application.test_client()  # another device: the account remembers
    login(person, c=other)
    assert '<body class="large-text">' in other.get(page).get_data(as_text=True)
    client.post("/large-text", data={"on": "0", "next": page})
    assert person.large_text is False


def test_large_text_for_a_visitor_is_a_cookie(client, tenant):
    page = f"/t/{tenant.slug}/"
    response = client.post("/large-text", data={"on": "1", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"  # only same-site destinations
    assert "large_text=1" in response.headers["Set-Cookie"]
    assert '<body class="large-text">' in client.get(page).get_data(as_text=True)
    client.post("/large-text", data={"on": "0"})
    assert '<body class="">' in client.get(page).get_data(as_text=True)


def test_large_text_on_an_account_needs_the_forms_token(client, app, tenant, login, db):
    person = _person(tenant, Role.RESIDENT)
    login(person)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/large-text", data={"on": "1"}).status_code == 400
        assert person.large_text is False
        page = client.get(f"/t/{tenant.slug}/").get_data(as_text=True)
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        assert client.post("/large-text", data={"on": "1", "csrf_token": token}).status_code == 302
        assert person.large_text is True
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_visitor_reads_pages_without_a_session(client, tenant, csrf_enabled):
    """A visitor's page carries no form token and sets no cookie; their large-text switch
    (a cookie of their own, nothing on an account) works without one."""
    fresh = client.application.test_client(use_cookies=False)
    for path in (f"/t/{tenant.slug}/", f"/t/{tenant.slug}/projects", f"/t/{tenant.slug}/projects?q=助老"):
        response = fresh.get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, path
        assert "csrf" not in response.get_data(as_text=True), path
    response = fresh.post("/large-text", data={"on": "1"})
    assert response.status_code == 302 and "large_text=1" in response.headers["Set-Cookie"]


def test_a_visitors_header_is_kept_per_language_and_made_again_when_the_tenant_changes(
        app, client, db, tenant, monkeypatch):
    """Kept per process while the tenant row is (``TENANT_CACHE_SECONDS``): still in the
    visitor's own language, and never older than the tenant."""
    from app import navigation

    monkeypatch.setitem(app.config, "TENANT_CACHE_SECONDS", 60)
    navigation._visitors.clear()
    url = f"/t/{tenant.slug}/projects"
    chinese = header(client, url).labels
    assert "找服务" in chinese
    client.get(f"/lang/en?next={url}")
    english = header(client, url).labels
    assert "Find services" in english and "找服务" not in english
    # A change to the tenant drops what was kept: a new visibility rule would show at once.
    monkeypatch.setattr(navigation, "NAV", [i for i in navigation.NAV
                                            if i.endpoint != "marketplace.search"])
    assert "Find services" in header(client, url).labels  # still the kept header
    tenant.name = tenant.name + "·"
    db.session.commit()
    assert "Find services" not in header(client, url).labels
    navigation._visitors.clear()
