"""The read-only pages and the API: what auditors, the bureau and org staff see."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

import ledger
from app.books import index
from app.books.audit import verify_tenant
from app.books.outbox import emit
from app.db_commit import commit
from tests.books.conftest import D, common, day, emit_every_kind


@pytest.fixture
def books(world):
    """Tenant A's books: every event kind for its first organization, contract 34."""
    tenant, org = world.a.tenant, world.a.orgs[0]
    index.clear(tenant.id)  # the isolation makers' sample rows are not in any journal
    _skip_makers_events(tenant.id)  # nor are the money events the funding makers emitted
    rows = emit_every_kind(tenant, org=org.id)
    commit()
    return tenant, org, rows


def _skip_makers_events(tenant_id: int) -> None:
    from sqlalchemy import update

    from app.books.models import OutboxEvent
    from app.db import utcnow
    from app.extensions import db

    db.session.execute(update(OutboxEvent).where(OutboxEvent.tenant_id == tenant_id,
                                                 OutboxEvent.posted_at.is_(None))
                       .values(posted_at=utcnow()))


def text_of(response) -> str:
    return response.get_data(as_text=True)


def test_auditor_sees_balances_and_the_last_verification(client, login, world, books):
    tenant, org, _ = books
    login(world.a.users.auditor)
    page = text_of(client.get(f"/t/{tenant.slug}/books/"))
    assert "从未核验" in page
    assert f"Assets:FY2025:Org:O{org.id}:C34:Cash" in page
    assert "¥19,880.00" in page and "贷 ¥100,000.00" in page
    assert "120 积分" in page
    verify_tenant(tenant.id)
    page = text_of(client.get(f"/t/{tenant.slug}/books/?root=Expenses"))
    assert "索引与账簿一致" in page
    assert "Assets:FY2025" not in page and f"Expenses:FY2025:Org:O{org.id}:C34:Incentives" in page


def test_the_menu_shows_the_books_to_the_bureau_only(client, login, world):
    login(world.a.users.officer)
    assert "账簿</a>" in text_of(client.get(f"/t/{world.a.tenant.slug}/"))
    client.post("/logout")
    login(world.a.users.volunteer)
    assert "账簿</a>" not in text_of(client.get(f"/t/{world.a.tenant.slug}/"))


@pytest.mark.parametrize("role", ["resident", "volunteer", "admin", "bookkeeper", "overseer"])
def test_only_the_bureau_and_auditors_read_the_tenants_books(client, login, world, books, role):
    tenant = books[0]
    login(getattr(world.a.users, role))
    for url in ("/books/", "/books/journal", "/books/txns/gz-1", "/api/v1/t/{}/books/balances"):
        url = url.format(tenant.slug) if url.startswith("/api") else f"/t/{tenant.slug}{url}"
        assert client.get(url).status_code == 403, url


def test_account_postings_are_paginated_with_the_running_balance(client, login, world, db):
    tenant = world.a.tenant
    _skip_makers_events(tenant.id)
    for n in range(60):
        emit(ledger.IncentiveAccrual, tenant=tenant, org_id=world.a.orgs[0].id, points=2,
             **common(n, day(1, 1 + n % 28)))
    commit()
    login(world.a.users.officer)
    account = f"Liabilities:FY2025:Org:O{world.a.orgs[0].id}:Points"
    first = text_of(client.get(f"/t/{tenant.slug}/books/accounts/{account}"))
    balances = re.findall(r"<td>贷 (\d+) 积分</td>\s*</tr>", first)
    assert balances[:2] == ["2", "4"] and len(balances) == 50
    after = re.search(r'href="([^"]+after=\d+)"', first).group(1).replace("&amp;", "&")
    second = text_of(client.get(after))
    assert re.findall(r"<td>贷 (\d+) 积分</td>\s*</tr>", second)[-1] == "120"
    assert len(re.findall(r"<td>贷 (\d+) 积分</td>\s*</tr>", second)) == 10
    assert "上一页" in second and "下一页" not in second
    assert client.get(f"/t/{tenant.slug}/books/accounts/Assets:FY2025:Nope").status_code == 404


def test_transaction_page_shows_the_beancount_text_and_its_reversal(client, login, world, books):
    tenant, org, rows = books
    login(world.a.users.auditor)
    spent = rows[3]
    page = text_of(client.get(f"/t/{tenant.slug}/books/txns/{spent.txn_id}"))
    assert "支出" in page and "文具店" in page and "expenditure:17" in page
    assert f'txn-id: &#34;{spent.txn_id}&#34;' in page
    assert f"Expenses:FY2025:Org:O{org.id}:C34:Materials" in page
    assert f'/books/txns/{rows[8].txn_id}"' in page  # the reversal, same origin
    # People read the account's name; its key and the journal text are in the details.
    assert f"业务活动成本—物资费（{org.name}·合同 34）" in page
    assert client.get(f"/t/{tenant.slug}/books/txns/gz-0").status_code == 404


def test_org_staff_read_their_own_statement_only(client, login, world, books):
    tenant, org, _ = books
    other = world.a.orgs[1]
    emit(ledger.Commitment, tenant=tenant, fund_id=7, org_id=other.id, contract_id=99,
         amount=D("8.00"), **common(20, day(3, 30)))
    commit()
    login(world.a.users.bookkeeper)
    page = text_of(client.get(f"/t/{tenant.slug}/books/orgs/{org.id}?contract=34"))
    assert org.name in page and f"Org:O{org.id}:C34:Cash" in page
    assert "Committed:C99" not in page
    assert client.get(f"/t/{tenant.slug}/books/orgs/{other.id}").status_code == 403
    assert client.get(f"/t/{tenant.slug}/books/").status_code == 403


def test_journal_download_for_auditors(client, login, world, books, books_dir):
    tenant = books[0]
    login(world.a.users.auditor)
    response = client.get(f"/t/{tenant.slug}/books/journal")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == [f"{tenant.slug}/2025.beancount",
                                          f"{tenant.slug}/main.beancount"]
    on_disk = ledger.year_path(books_dir, tenant.slug, 2025).read_bytes()
    assert archive.read(f"{tenant.slug}/2025.beancount") == on_disk
    one = client.get(f"/t/{tenant.slug}/books/journal?year=2025")
    assert one.status_code == 200 and one.data == on_disk
    assert client.get(f"/t/{tenant.slug}/books/journal?year=2024").status_code == 404


def test_api_balances_statement_and_drill_down(client, login, world, books):
    tenant, org, rows = books
    login(world.a.users.auditor)
    base = f"/api/v1/t/{tenant.slug}/books"
    balances = client.get(f"{base}/balances?year=2025&prefix=Assets:FY2025:Org").get_json()
    assert balances == [{"account": f"Assets:FY2025:Org:O{org.id}:C34:Cash", "commodity": "CNY",
                         "year": 2025, "balance": "19880.00", "postings": 5}]
    first = client.get(f"{base}/orgs/{org.id}/statement?contract_id=34&limit=3").get_json()
    assert [(x["txn_id"], x["amount"], x["balance_after"]) for x in first["lines"]] == [
        (rows[1].txn_id, "50000.00", "50000.00"),
        (rows[1].txn_id, "-50000.00", "50000.00"),
        (rows[2].txn_id, "20000.00", "20000.00"),
    ]
    second = client.get(f"{base}/orgs/{org.id}/statement?contract_id=34&limit=3"
                        f"&after={first['next_after']}").get_json()
    assert second["prev_before"] == second["lines"][0]["posting_id"]
    assert second["lines"][0]["posting_id"] > first["lines"][-1]["posting_id"]
    drill = client.get(f"{base}/transactions?source=expenditure:17").get_json()
    assert [(t["kind"], t["postings"][0]["amount"]) for t in drill] == [
        ("expenditure", "1234.56"), ("reversal", "-1234.56")]
    assert client.get(f"{base}/transactions/{rows[4].txn_id}").get_json()["postings"] == [
        {"account": f"Expenses:FY2025:Org:O{org.id}:Points:Issued", "amount": "120",
         "commodity": "PTS"},
        {"account": f"Liabilities:FY2025:Org:O{org.id}:Points", "amount": "-120",
         "commodity": "PTS"}]
    assert client.get(f"{base}/verification").get_json()["ok"] is None
    verify_tenant(tenant.id)
    status = client.get(f"{base}/verification").get_json()
    assert (status["ok"], status["transactions"], status["pending_events"]) == (True, 9, 0)
