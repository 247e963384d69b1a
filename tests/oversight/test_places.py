"""Figures by place and group: a street's figures are its communities' together (people
counted once), what has no place is its own row, the district's row is the dashboard's, and
communities with no service and groups no one was served in are named."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from app.auth.models import Role
from app.books.drain import drain
from app.complaints.models import Complaint
from app.db import utcnow
from app.extensions import db
from app.funding import spending
from app.needs.models import Need
from app.oversight import dashboard, places
from app.residents.models import ResidentProfile
from app.service.models import ServiceRating
from tests.factories import AreaFactory, user_with
from tests.funding.factories import funded_contract, spend
from tests.oversight.builders import record
from tests.service.factories import BASE, attend, book, make_project, make_shift, make_slot

ELDER = "独居老人"


def _need(fw, area, *, met: bool = False, late: bool = False, group: str = ELDER) -> Need:
    now = utcnow()
    need = Need(tenant_id=fw.tenant.id, what="买菜", category="助老服务", target_group=group,
                area_id=area.id, due_at=now - timedelta(days=1) if late else now + timedelta(days=5),
                status="met" if met else "open", posted_by_id=fw.resident.id,
                claimed_org_id=fw.org.id if met else None, met_at=now if met else None,
                resident_name="周大爷")
    db.session.add(need)
    return need


@pytest.fixture
def district(fw):
    """东湖街道 with 幸福社区 (its 第1网格), 和平社区 and 春晖社区 (nothing happens there)."""
    t = fw.tenant
    street = AreaFactory(tenant=t, name="东湖街道", level="街道")
    happy = AreaFactory(tenant=t, name="幸福社区", level="社区", parent=street)
    grid = AreaFactory(tenant=t, name="幸福社区第1网格", level="网格", parent=happy)
    peace = AreaFactory(tenant=t, name="和平社区", level="社区", parent=street)
    quiet = AreaFactory(tenant=t, name="春晖社区", level="社区", parent=street)
    contract = funded_contract(fw)                                  # ¥24,000 disbursed
    spending.approve(spend(fw, contract, 50_000), fw.admin, as_bureau=False)   # ¥500 spent
    in_grid = make_project(t, fw.org, area_id=grid.id, target_groups=[ELDER],
                           contract_id=contract.id)
    in_peace = make_project(t, fw.org, area_id=peace.id, target_groups=[ELDER],
                            contract_id=contract.id)
    nowhere = make_project(t, fw.org)                               # no area, no group
    v1, v2, v3 = (user_with(t, Role.VOLUNTEER) for _ in range(3))
    old = BASE - timedelta(days=200)
    grid_shift = make_shift(in_grid, starts_at=old)                 # 3 hours
    record(grid_shift, v1)
    record(grid_shift, v2)
    record(make_shift(in_peace, starts_at=old, hours=2), v1)
    record(make_shift(nowhere, starts_at=old, hours=1), v3)
    record(make_shift(in_peace, starts_at=old + timedelta(days=1)), v2, status="open")
    r1, r2 = user_with(t, Role.RESIDENT), user_with(t, Role.RESIDENT)
    db.session.add(ResidentProfile(tenant_id=t.id, user_id=r1.id, area_id=grid.id,
                                   target_group=ELDER))
    grid_slot, peace_slot = make_slot(in_grid, starts_at=old), make_slot(in_peace, starts_at=old)
    b1, b2, b3 = book(grid_slot, r1), book(grid_slot, r2), book(peace_slot, r1)
    for b in (b1, b2, b3):
        attend(b)
    cancelled = make_slot(in_peace, starts_at=old + timedelta(days=2))
    cancelled.cancelled_at = old
    make_slot(in_peace, starts_at=utcnow() + timedelta(days=3))     # not held yet
    db.session.add_all([
        ServiceRating(tenant_id=t.id, org_id=fw.org.id, booking_id=b1.id, user_id=r1.id, score=5),
        ServiceRating(tenant_id=t.id, org_id=fw.org.id, booking_id=b3.id, user_id=r1.id, score=3),
        Complaint(tenant_id=t.id, kind="process", area_id=peace.id, user_id=r1.id, body="排队太久"),
        Complaint(tenant_id=t.id, kind="process", user_id=r2.id, body="电话打不通")])
    _need(fw, grid, late=True)
    _need(fw, peace, met=True)
    _need(fw, quiet, group="留守儿童")
    drain(t.id)
    db.session.commit()
    return street, happy, grid, peace, quiet


def test_a_street_is_its_communities_together_and_the_district_is_the_dashboards(fw, district):
    street, happy, grid, peace, quiet = district
    out = places.compute(fw.tenant)
    rows = {n.name: n.figures for n in out.rows() if not n.own}
    s, h, g, p, q = (rows[a.name] for a in district)
    # Hours: the grid's 3 + 3, 和平's 2; the street adds them; the project with no area is apart.
    assert (g.hours, h.hours, p.hours, s.hours) == (Decimal("6.0"), Decimal("6.0"),
                                                    Decimal("2.0"), Decimal("8.0"))
    assert out.unplaced.hours == Decimal("1.0") and out.district.hours == Decimal("9.0")
    # People, counted once however many communities they were in.
    assert (h.volunteers, p.volunteers, s.volunteers, out.district.volunteers) == (2, 1, 2, 3)
    assert (h.people_served, p.people_served, s.people_served) == (2, 1, 2)
    assert (h.slots_held, p.slots_held, s.slots_held, out.district.slots_held) == (1, 1, 2, 2)
    assert (h.satisfaction, p.satisfaction, s.satisfaction) == (Decimal("5.00"), Decimal("3.00"),
                                                                Decimal("4.00"))
    assert (p.complaints, s.complaints, out.unplaced.complaints, out.district.complaints) == \
        (1, 1, 1, 2)
    assert (g.needs_posted, g.needs_overdue, p.needs_met, q.needs_posted) == (1, 1, 1, 1)
    assert (s.needs_posted, s.needs_met, s.needs_overdue) == (3, 1, 1)
    # The contract's projects are in two communities: its money is the street's, once.
    assert (h.disbursed, p.disbursed, s.disbursed, s.spent) == (0, 0, 2_400_000, 50_000)
    assert q.served is False and [n.name for n in out.unserved] == ["春晖社区"]

    # The district's row is what the dashboard shows for the district.
    view = dashboard.tenant_view(fw.tenant)
    d, shown = out.district, view["service"]
    assert (d.hours, d.volunteers, d.people_served, d.satisfaction, d.ratings, d.complaints) == \
        (shown.hours, shown.volunteers, shown.people_served, shown.satisfaction, shown.ratings,
         shown.complaints)
    assert (d.disbursed, d.spent) == (view["total"].disbursed, view["total"].spent)
    # Additive figures: the street and the row with no place make the district.
    for name in ("verified_minutes", "slots_held", "disbursed", "spent", "complaints",
                 "ratings", "needs_posted"):
        assert getattr(s, name) + getattr(out.unplaced, name) == getattr(d, name), name


def test_groups_and_who_was_not_reached(fw, district):
    out = places.compute(fw.tenant)
    groups = {g.name: g.figures for g in out.groups}
    elder = groups[ELDER]
    assert [g.name for g in out.groups] == fw.tenant.setting("target_groups")
    # r1 is on the roll as 独居老人; r2 is on no roll and declared nothing.
    assert (elder.people_served, out.ungrouped.people_served) == (1, 1)
    assert (elder.hours, elder.volunteers, elder.slots_held) == (Decimal("8.0"), 2, 2)
    assert (elder.ratings, elder.satisfaction, elder.complaints) == (2, Decimal("4.00"), 1)
    assert (elder.disbursed, elder.needs_posted, groups["留守儿童"].needs_posted) == \
        (2_400_000, 2, 1)
    assert out.unreached == [g for g in fw.tenant.setting("target_groups") if g != ELDER]


def test_a_period_counts_what_happened_in_it(fw, district):
    street = district[0]
    old = (BASE - timedelta(days=200)).date()
    everything = places.compute(fw.tenant)
    first_day = places.compute(fw.tenant, old, old)
    before = places.compute(fw.tenant, None, old - timedelta(days=1))
    row = {n.id: n.figures for n in first_day.rows()}[street.id]
    assert (row.hours, row.slots_held, row.people_served) == (Decimal("8.0"), 2, 2)
    assert before.district.hours == 0 and not before.district.served
    assert {n.name for n in before.unserved} == {"幸福社区", "和平社区", "春晖社区"}
    assert before.unreached == fw.tenant.setting("target_groups")
    # Money over a period that holds every posting equals the books' balances.
    wide = places.compute(fw.tenant, old - timedelta(days=400), utcnow().date() + timedelta(days=1))
    assert (wide.district.disbursed, wide.district.spent) == \
        (everything.district.disbursed, everything.district.spent) == (2_400_000, 50_000)
    assert before.district.disbursed == 0


def _cells(html: str, attr: str, name: str) -> dict[str, str]:
    """{column key: text} of the row ``data-<attr>="<name>"``."""
    import re

    if attr == "group":
        row = re.search(rf'<tr [^>]*data-group="{re.escape(name)}"[^>]*>(.*?)</tr>', html, re.S)
        assert row, name
        return dict(re.findall(r'data-col="(\w+)">([^<]*)<', row.group(1)))
    row = re.search(rf'<(summary|div) class="place-row[^"]*" data-area="{re.escape(name)}">'
                    r'(.*?)</\1>', html, re.S)
    assert row, name
    return dict(re.findall(r'data-col="(\w+)"><span class="label">[^<]*</span>'
                           r'<span class="value">([^<]*)<', row.group(2)))


def test_the_bureau_page_the_public_page_and_the_spreadsheet_agree(client, login, fw, district):
    import io
    import re

    from openpyxl import load_workbook
    from sqlalchemy import select

    from app.exports.models import Export
    from app.oversight.place_columns import COLUMNS

    slug = fw.tenant.slug
    client.get("/logout")
    assert client.get(f"/t/{slug}/oversight/places").status_code in (302, 401)
    login(fw.resident)
    assert client.get(f"/t/{slug}/oversight/places").status_code == 403
    login(fw.auditor)
    page = client.get(f"/t/{slug}/oversight/places").get_data(as_text=True)
    street = _cells(page, "area", "东湖街道")
    assert (street["hours"], street["volunteers"], street["people_served"]) == ("8.0", "2", "2")
    assert (street["disbursed"], street["spent"], street["satisfaction"]) == \
        ("24,000.00", "500.00", "4.00")
    assert _cells(page, "area", "district")["hours"] == "9.0"
    assert _cells(page, "area", "unplaced")["complaints"] == "1"
    assert _cells(page, "group", ELDER)["people_served"] == "1"
    gaps = dict(re.findall(r'data-gap="(\w+)">(.*?)</ul>', page, re.S))
    assert re.findall(r"<li>([^<]+)</li>", gaps["areas"]) == ["春晖社区"]
    assert "留守儿童" in gaps["groups"] and ELDER not in gaps["groups"]
    # Each heading is its name and, on a line of its own, its unit.
    headers = [re.sub(r"<[^>]+>", "", h)
               for h in re.findall(r'<th scope="col" class="num">(.*?)</th>', page)]
    assert headers[:len(COLUMNS)] == [str(c.label) for c in COLUMNS]
    assert "核实服务时长（小时）" in headers and "已拨付（元）" in headers

    # The spreadsheet: the page's column names and the same numbers.
    response = client.post(f"/t/{slug}/exports", data={"kind": "places", "fmt": "xlsx"})
    assert response.status_code == 302
    export = db.session.scalar(select(Export).where(Export.tenant_id == fw.tenant.id)
                               .order_by(Export.id.desc()))
    assert export.status == "ready"
    book = load_workbook(io.BytesIO(client.get(
        f"/t/{slug}/exports/{export.id}/download").data))
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    header = next(r for r in sheet if r and r[0] == "区域")
    assert list(header[1:]) == headers[:len(COLUMNS)]
    row = dict(zip(header, next(r for r in sheet if r and r[0] == "东湖街道"), strict=True))
    assert (row["核实服务时长（小时）"], row["已拨付（元）"], row["平均满意度（5分制）"]) == (8.0, 24000.0, 4.0)
    gaps_sheet = [r for r in book.worksheets[2].iter_rows(values_only=True) if r and r[1]]
    assert ("没有服务的社区", "春晖社区") in gaps_sheet

    # The public page: the same figures, no sign-in, nobody's name.
    client.get("/logout")
    public = client.get(f"/t/{slug}/open/places")
    assert public.status_code == 200
    html = public.get_data(as_text=True)
    assert _cells(html, "area", "东湖街道") == street
    for person in (fw.resident, fw.volunteer):
        assert person.name not in html
    assert "周大爷" not in html and "排队太久" not in html
    download = client.get(f"/t/{slug}/open/places.xlsx")
    assert download.status_code == 200
    public_sheet = list(load_workbook(io.BytesIO(download.data)).worksheets[0]
                        .iter_rows(values_only=True))
    assert [r for r in public_sheet if r and r[0] == "东湖街道"] == \
        [r for r in sheet if r and r[0] == "东湖街道"]


@pytest.mark.parametrize("query", ["start=2026-13-40", "end=" + "9" * 5000, "start=\x00",
                                   "start=0001-01-01&end=9999-12-31"])
def test_odd_periods_are_refused_or_read_plainly(client, login, fw, district, query):
    login(fw.auditor)
    for url in (f"/t/{fw.tenant.slug}/oversight/places?{query}",
                f"/t/{fw.tenant.slug}/open/places?{query}",
                f"/t/{fw.tenant.slug}/open/places.xlsx?{query}"):
        assert client.get(url).status_code in (200, 400), url


def test_the_demo_has_service_in_each_community(app, db, demo):
    """The demo's service sits in its communities: both show figures, none is listed as
    having had no service, and the elderly living alone the meals project served are reached."""
    from sqlalchemy import select

    from app.tenancy.models import Tenant

    with app.test_request_context("/"):
        out = places.compute(db.session.scalar(select(Tenant).where(Tenant.slug == "demo")))
    rows = {n.name: n.figures for n in out.rows() if not n.own}
    happy, peace = rows["幸福社区"], rows["和平社区"]
    assert happy.hours > 0 and happy.volunteers == 4 and happy.people_served >= 3
    assert peace.slots_held == 1 and peace.people_served == 2
    assert out.unserved == []
    assert ELDER not in out.unreached
    # The paper register's past years have no place: they stay in the row of their own.
    assert out.unplaced.hours > 0 and out.unplaced.people_served == 0


def test_service_at_a_community_itself_is_a_row_under_it_so_the_rows_add_up(app, fw, district):
    """A community's grids and its row "社区本级/未注明网格" add up to the community; the
    street's communities and its own row (the contract's money) add up to the street."""
    from app.oversight.place_columns import node_name

    street, happy = district[:2]
    at_happy = make_project(fw.tenant, fw.org, area_id=happy.id, target_groups=[ELDER])
    record(make_shift(at_happy, starts_at=BASE - timedelta(days=150), hours=2),
           user_with(fw.tenant, Role.VOLUNTEER))
    db.session.commit()
    out = places.compute(fw.tenant)
    nodes = {n.id: n for n in out.rows()}
    h, s = nodes[happy.id], nodes[street.id]
    own = h.children[-1]
    assert own.own and own.figures.hours == Decimal("2.0") and own.figures.volunteers == 1
    assert [c.own for c in h.children] == [False, True]
    for parent in (h, s):
        for name in ("verified_minutes", "slots_held", "disbursed", "spent", "complaints",
                     "needs_posted"):
            assert sum(getattr(c.figures, name) for c in parent.children) == \
                getattr(parent.figures, name), (parent.name, name)
    assert s.children[-1].own and s.children[-1].figures.disbursed == 2_400_000
    # A community whose facts all sit in its grids has no such row.
    assert not any(c.own for c in nodes[district[3].id].children)
    with app.test_request_context("/"):
        assert node_name(own) == "社区本级/未注明网格"
        assert node_name(s.children[-1]) == "街道本级/未注明社区"


def test_a_person_served_counts_under_one_group_so_the_groups_add_up(fw, district):
    """r2 is on no roll: she declared no group at one booking and 留守儿童 at another. She
    counts once, under 留守儿童, and the groups add up to the district."""
    peace_slot = make_slot(make_project(fw.tenant, fw.org, area_id=district[3].id),
                           starts_at=BASE - timedelta(days=120))
    from sqlalchemy import select

    from app.auth.models import User

    r2 = db.session.get(User, db.session.scalar(select(Complaint.user_id)
                                                .where(Complaint.body == "电话打不通")))
    booking = book(peace_slot, r2)
    booking.declared_group = "留守儿童"
    attend(booking)
    db.session.commit()
    out = places.compute(fw.tenant)
    groups = {g.name: g.figures.people_served for g in out.groups}
    assert (groups[ELDER], groups["留守儿童"], out.ungrouped.people_served) == (1, 1, 0)
    assert sum(groups.values()) + out.ungrouped.people_served == out.district.people_served == 2
    assert "留守儿童" not in out.unreached


@pytest.mark.parametrize("minutes, hours", [(87, "1.5"), (1179, "19.7"), (30567, "509.5"),
                                            (0, "0.0"), (3, "0.1"), (2, "0.0")])
def test_hours_are_rounded_half_up_from_minutes_the_same_everywhere(minutes, hours):
    from app.oversight.service_figures import Service, tenth_hours

    assert tenth_hours(minutes) == Decimal(hours)
    assert places.Figures(verified_minutes=minutes).hours == Decimal(hours)
    assert Service(verified_minutes=minutes).hours == Decimal(hours)


def test_the_tree_folds_without_a_script(client, fw, district):
    """Each street and community with areas under it is a <details> whose <summary> is its
    row: the grids are inside their community's, which starts folded; the street starts open."""
    import re

    html = client.get(f"/t/{fw.tenant.slug}/open/places").get_data(as_text=True)
    street, happy, grid = district[:3]
    opened = re.search(rf'<details class="place" data-node="{happy.id}"( open)?>\s*'
                       rf'<summary class="place-row[^"]*" data-area="幸福社区">(.*?)</details>',
                       html, re.S)
    assert opened and opened.group(1) is None  # a community starts folded
    assert 'data-area="幸福社区第1网格"' in opened.group(2)
    assert f'<details class="place" data-node="{street.id}" open>' in html
    assert "data-fold" not in html
    assert "时长先按分钟合计，每个数字再四舍五入到0.1小时" in html
    assert "每人只计一次" in html
