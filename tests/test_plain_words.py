"""Staff pages speak the language of the business: no internal code shows outside the
collapsed technical details (技术详情, ``<details class="tech">``).

Every GET page the bureau officer, auditor, overseer, org admin, coordinator and bookkeeper
reach is read as a person sees it (scripts, styles and the technical details dropped) and
searched for plumbing: ``user:25``-style references, snake_case identifiers, ledger account
keys, stored enum values, and "#" without a number. Pages are walked twice: every route of
the test world with its own objects, and the demo tenant followed link by link.
"""

from __future__ import annotations

import enum
import importlib
import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from werkzeug.exceptions import HTTPException

from app import domain_modules
from tests.isolation import OPEN_ENDPOINTS, PUBLIC_ENDPOINTS
from tests.test_isolation import build, tenant_rules

#: What pages say is the code's and the catalogs' work, the same on either database:
#: ``make test`` runs these walks once, with the SQLite run.
pytestmark = pytest.mark.code_only

STAFF = ["officer", "auditor", "overseer", "admin", "coordinator", "bookkeeper"]
DEMO_STAFF = ["bureau@demo.gongzhi.cn", "auditor@demo.gongzhi.cn", "overseer@demo.gongzhi.cn",
              "sun-admin@demo.gongzhi.cn", "sun-coord@demo.gongzhi.cn",
              "sun-books@demo.gongzhi.cn"]
#: Pages that are files or calendars, not pages; and the ones that change state on GET.
NOT_PAGES = re.compile(r"\.(pdf|ics|xlsx|png|zip|json|xml)$|/download$|/journal$|/qr$|/lang/"
                       r"|/certificate$|/receipts/|/evidence/|/export$")
PER_ENDPOINT = 6  # demo pages opened per endpoint: enough to meet each kind of object

PATTERNS = {
    "kind:id reference": re.compile(r"\b[a-z][a-z-]*(?:_[a-z]+)*:\d+\b"),
    "snake_case identifier": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    "ledger account key": re.compile(r"\b(?:Assets|Liabilities|Equity|Income|Expenses):[A-Z]"),
    "# without a number": re.compile(r"#(?!\d)"),
    "ledger txn id": re.compile(r"\bgz-[a-z0-9-]+\b"),
    "hyphenated code": re.compile(r"\b[a-z]+\d*(?:-[a-z0-9]+){2,}\b"),
    "hash": re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{12,}"),
}
WORD = re.compile(r"(?<![\w.@/:-])[a-z]{2,}(?![\w.@/:-])")


def enum_values() -> set[str]:
    """Every value of a stored enum (statuses, kinds, roles…) of the app's models."""
    values = set()
    for name in domain_modules("models"):
        module = importlib.import_module(name)
        for item in vars(module).values():
            if isinstance(item, type) and issubclass(item, enum.Enum) and item.__module__ == name:
                values |= {str(m.value) for m in item}
    return values


ENUMS = enum_values()


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    for tag in soup.select("details.tech"):
        tag.decompose()
    return soup.get_text(" ", strip=True)


def plumbing(text: str) -> list[str]:
    found = [f"{what}: {m.group(0)!r}" for what, rx in PATTERNS.items() for m in rx.finditer(text)]
    found += [f"enum value: {w!r}" for w in WORD.findall(text) if w in ENUMS]
    return sorted(set(found))


def scan(client, url: str, seen: dict) -> BeautifulSoup | None:
    response = client.get(url)
    if response.status_code != 200 or response.mimetype != "text/html":
        return None
    html = response.get_data(as_text=True)
    if problems := plumbing(visible_text(html)):
        seen[url] = problems
    return BeautifulSoup(html, "lxml")


def report(seen: dict) -> str:
    return "\n".join(f"{url}: {', '.join(p[:6])}" for url, p in list(seen.items())[:40])


def test_the_scanner_finds_plumbing_and_ignores_the_technical_details():
    html = ("<main><p>审批人 user:25 · 业务来源 disbursement:2 · bureau_officer · "
            "Expenses:FY2026:Org:O1:C1:Transport · 新增 scan_run # · 状态 pending</p>"
            "<details class='tech'><summary>技术详情</summary>user:25 Assets:FY2026:X</details>"
            "种子 20260401 (python-random-mt19937-sample-v1) · gz-11 · 9761653adc95e81c…"
            "<p>阳光社区 · 支出 #12 · <a href='mailto:a@b.cn'>sun-admin@demo.gongzhi.cn</a></p>"
            "<script>var a_b = 'user:1';</script></main>")
    assert plumbing(visible_text(html)) == [
        "# without a number: '#'", "enum value: 'pending'", "hash: '9761653adc95e81c'",
        "hyphenated code: 'python-random-mt19937-sample-v1'", "kind:id reference: 'disbursement:2'",
        "kind:id reference: 'user:25'", "ledger account key: 'Expenses:F'",
        "ledger txn id: 'gz-11'",
        "snake_case identifier: 'bureau_officer'", "snake_case identifier: 'scan_run'"]


@pytest.mark.parametrize("role", STAFF)
def test_staff_pages_of_the_test_world_speak_plainly(app, client, world, login, role):
    login(getattr(world.a.users, role))
    seen: dict = {}
    urls = ["/account", "/inbox"] + [
        build(rule, world.a.tenant.slug, world.a.extra[0]) for rule in tenant_rules(app)
        if "GET" in rule.methods and rule.endpoint not in PUBLIC_ENDPOINTS | OPEN_ENDPOINTS]
    for url in urls:
        if not NOT_PAGES.search(url):
            scan(client, url, seen)
    assert not seen, f"{role} sees internal codes:\n{report(seen)}"


def endpoint_of(app, path: str) -> str | None:
    try:
        return app.url_map.bind("localhost").match(urlsplit(path).path)[0]
    except HTTPException:
        return None


@pytest.mark.parametrize("account", DEMO_STAFF)
def test_demo_pages_speak_plainly_to_staff(app, db, demo, account):
    from tests.factories import PASSWORD

    client = app.test_client()
    assert client.post("/login", data={"account": account, "password": PASSWORD}).status_code == 302
    seen: dict = {}
    opened: Counter = Counter()
    queue, visited = deque(["/t/demo/", "/account", "/inbox"]), set()
    while queue:
        url = queue.popleft()
        endpoint = endpoint_of(app, url)
        if url in visited or endpoint is None or opened[endpoint] >= PER_ENDPOINT:
            continue
        visited.add(url)
        opened[endpoint] += 1
        soup = scan(client, url, seen)
        for link in soup.find_all("a", href=True) if soup else []:
            target = urlsplit(urljoin(f"http://localhost{url}", link["href"]))
            path = target.path + (f"?{target.query}" if target.query else "")
            if target.netloc == "localhost" and not NOT_PAGES.search(target.path):
                queue.append(path)
    assert len(visited) > 15
    assert not seen, f"{account} sees internal codes:\n{report(seen)}"


def test_every_audit_entry_of_the_demo_reads_in_words(app, db, demo):
    """The entry page shows each change with its field, people and codes in words."""
    from sqlalchemy import select

    from app.audit import present, words
    from app.audit.models import AuditEntry

    seen = {}
    with app.test_request_context("/"):
        for entry in db.session.scalars(select(AuditEntry)):
            shown = [words.object_type(entry.object_type), words.roles(entry.actor_roles),
                     present.field_list(entry)]
            shown += [f"{c.field} {c.before} {c.after}" for c in present.changes(entry)]
            if problems := plumbing(" · ".join(shown)):
                seen[f"{entry.object_type} {entry.action} {entry.id}"] = problems
    assert not seen, report(seen)


def test_every_audited_field_and_table_has_its_words(app):
    """A new column or table is named for people before it shows up in the log."""
    from app.audit import words
    from app.audit.capture import SKIP_TABLES
    from app.extensions import db

    missing = []
    for mapper in db.Model.registry.mappers:
        table = getattr(mapper.class_, "__tablename__", None)
        if table in SKIP_TABLES or not getattr(mapper.class_, "__audit__", True):
            continue
        missing += [table] if table not in words.OBJECT_TYPES else []
        missing += [f"{table}.{c.key}" for c in mapper.column_attrs
                    if c.key not in words.FIELDS and c.key not in words.TECHNICAL]
    assert missing == []


def test_every_ledger_transaction_of_the_demo_reads_plainly(app, db, demo):
    """Each kind of transaction names its payee, approver and cause in words."""
    from sqlalchemy import select

    from app.books.models import LedgerTxn
    from tests.factories import PASSWORD

    client = app.test_client()
    client.post("/login", data={"account": "auditor@demo.gongzhi.cn", "password": PASSWORD})
    seen: dict = {}
    txns = db.session.scalars(select(LedgerTxn.txn_id)).all()
    assert len(txns) >= 10
    for txn_id in txns:
        assert scan(client, f"/t/demo/books/txns/{txn_id}", seen) is not None
    assert not seen, report(seen)


def test_an_audit_entry_names_the_rows_it_points_at(app, db, demo):
    """合同 GZ2026-0001, not 合同 1; the person who recorded it by name."""
    from sqlalchemy import select

    from app.audit import present
    from app.audit.models import AuditEntry

    with app.test_request_context("/"):
        entry = db.session.scalar(select(AuditEntry).where(
            AuditEntry.object_type == "expenditure", AuditEntry.action == "create")
            .order_by(AuditEntry.id))
        shown = {c.field: c.after for c in present.changes(entry)}
    from app.funding.models_contracts import Contract

    number = db.session.scalar(select(Contract.number))  # numbered by a sequence
    assert shown["合同"] == number and shown["组织"] == "阳光社区服务中心"
    assert shown["预算科目"] == "交通" and shown["录入人"] == "阳光报账员"
    assert shown["审批层级"] == "0" and shown["状态"] == "待审批"
    with app.test_request_context("/"):
        profile = db.session.scalar(select(AuditEntry).where(
            AuditEntry.object_type == "volunteer_profile").order_by(AuditEntry.id))
        shown = {c.field: c.after for c in present.changes(profile)}
    assert shown["区域"] == "幸福社区第1网格"  # the first volunteer lives in the first grid
