"""Checking the books: verify the journal against the read index, rebuild the index.

``verify_tenant`` has beancount load every year file (``ledger.verify``), checks
the hash chain, and reconciles every account balance against the index; it
records the outcome (``LedgerVerification``) so pages can say when the index was
last verified. ``rebuild_index`` recreates a tenant's index from its journal.
Both run from the CLI or the nightly job, never in a request.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

import ledger
from app.books import index
from app.books.drain import ledger_dir, lock_tenant
from app.books.models import LedgerAccount, LedgerPosting, LedgerVerification
from app.extensions import db
from app.tenancy.models import Tenant


@dataclass
class Outcome:
    """What a verification found, as lines a person reads (translated)."""

    tenant: str
    years: list[int]
    transactions: int = 0
    problems: list[str] = field(default_factory=list)
    report: ledger.VerifyReport | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def index_balances(tenant_id: int) -> dict[str, dict[str, Decimal]]:
    """Every account's balance summed from the index's postings (journal units)."""
    rows = db.session.execute(
        select(LedgerPosting.account, LedgerPosting.commodity, func.sum(LedgerPosting.amount))
        .where(LedgerPosting.tenant_id == tenant_id)
        .group_by(LedgerPosting.account, LedgerPosting.commodity))
    out: dict[str, dict[str, Decimal]] = {}
    for account, commodity, total in rows:
        if total:
            value = index.from_units(int(total), commodity)
            out.setdefault(account, {})[commodity] = Decimal(value)
    return out


def _summary_problems(tenant_id: int, sums: dict[str, dict[str, Decimal]]) -> list[str]:
    """The per-account running balances must equal the postings they summarize."""
    problems = []
    seen = set()
    for row in db.session.scalars(select(LedgerAccount).where(
            LedgerAccount.tenant_id == tenant_id)):
        seen.add((row.account, row.commodity))
        expected = sums.get(row.account, {}).get(row.commodity, Decimal(0))
        if Decimal(index.from_units(row.balance, row.commodity)) != expected:
            problems.append(_("%(account)s: the index balance %(balance)s %(commodity)s does "
                              "not equal the sum of its postings %(sum)s %(commodity)s",
                              account=row.account, commodity=row.commodity,
                              balance=index.from_units(row.balance, row.commodity), sum=expected))
    for account, per in sorted(sums.items()):
        for commodity in per:
            if (account, commodity) not in seen:
                problems.append(_("%(account)s: postings in the index but no balance",
                                  account=account))
    return problems


def _chain_text(kind: str) -> str:
    texts = {
        "edited": _("a transaction was edited after it was written"),
        "deleted": _("a transaction was deleted"),
        "inserted": _("a transaction was inserted that the ledger did not write"),
        "reordered": _("transactions were reordered"),
        "unchained": _("the year does not continue from the previous year's last hash"),
        "truncated": _("transactions were removed from the end of the journal"),
    }
    return texts.get(kind, kind)


def describe(report: ledger.VerifyReport) -> list[str]:
    """The findings of ``ledger.verify`` as translated lines, one per problem."""
    lines = [_("beancount: %(error)s", error=e) for e in report.errors]
    for b in report.chain_breaks:
        lines.append(_("hash chain broken at %(location)s (%(txn)s): %(what)s",
                       location=b.location, txn=b.txn_id or "-", what=_chain_text(b.kind)))
    for m in report.mismatches:
        lines.append(_("%(account)s: journal %(journal)s %(commodity)s, index %(index)s "
                       "%(commodity)s", account=m.account, commodity=m.currency,
                       journal=m.journal, index=m.index))
    return lines


def verify_tenant(tenant_id: int, year: int | None = None, *, record: bool = True) -> Outcome:
    """Verify one tenant's journal (all years, or one) against the index and record it.

    The findings are written in the installation's default language (they are
    stored and shown to everyone who reads the books).
    """
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
        return _verify(tenant_id, year, record)


def _verify(tenant_id: int, year: int | None, record: bool) -> Outcome:
    tenant = db.session.get(Tenant, tenant_id)
    started = time.perf_counter()
    sums = index_balances(tenant_id)
    report = ledger.verify(ledger_dir(), tenant.slug, year, index_balances=sums)
    outcome = Outcome(tenant.slug, report.years, report.transactions, describe(report), report)
    if year is None:
        outcome.problems += _summary_problems(tenant_id, sums)
    if not report.years:
        indexed = db.session.scalar(select(func.count()).select_from(LedgerPosting).where(
            LedgerPosting.tenant_id == tenant_id)) or 0
        if indexed:
            outcome.problems.append(_("the index has postings but there is no journal"))
    if record:
        db.session.add(LedgerVerification(
            tenant_id=tenant_id, year=year, ok=outcome.ok, transactions=outcome.transactions,
            problems=len(outcome.problems), message="\n".join(outcome.problems)[:20000],
            duration_ms=int((time.perf_counter() - started) * 1000)))
        db.session.commit()
    return outcome


def journal_balances(tenant_id: int, year: int) -> dict[str, dict[str, Decimal]]:
    """Every account's balance at the end of a year, computed from the journal itself."""
    tenant = db.session.get(Tenant, tenant_id)
    if not ledger.year_path(ledger_dir(), tenant.slug, year).exists():
        return {}
    return ledger.balances(ledger_dir(), tenant.slug, year)


def read_journal(slug: str, year: int) -> Iterator[index.TxnRecord]:
    """The transactions of one year file, in file order, as index records.

    ``ledger`` has no public reader of posted transactions with their metadata;
    this uses ``ledger.verify.load_year`` (beancount's full load of one file) and
    reads the loaded entries without importing beancount here.
    """
    from ledger.verify import load_year

    path = Path(ledger.year_path(ledger_dir(), slug, year))
    entries, _errors = load_year(path)
    txns = [e for e in entries if type(e).__name__ == "Transaction"
            and e.meta.get("filename") == str(path)]
    txns.sort(key=lambda e: e.meta["lineno"])
    for txn in txns:
        meta = txn.meta
        txn_id = meta["txn-id"]
        system = txn_id.startswith("ledger:")
        event_date = meta.get("event-date")
        yield index.TxnRecord(
            txn_id=txn_id, kind=meta.get("kind", ""), year=year, date=txn.date,
            event_date=None if system else (
                _date(event_date) if event_date else txn.date),
            hash=meta["hash"], prev_hash=meta["prev-hash"],
            narration="" if system else (txn.narration or ""), payee=txn.payee or None,
            fund_id=_int(meta.get("fund")), org_id=_int(meta.get("org")),
            contract_id=_int(meta.get("contract")), source=meta.get("source", ""),
            approver=meta.get("approver", ""),
            postings=tuple((p.account, p.units.number, p.units.currency)
                           for p in txn.postings))


def _int(value) -> int | None:
    return int(value) if value not in (None, "") else None


def _date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


class RebuildRefused(RuntimeError):
    """The journal does not verify; an index built from it would hide the problem."""


def rebuild_index(tenant_id: int, *, force: bool = False) -> int:
    """Replace the tenant's index with what its journal says; returns transactions indexed.

    Refuses (``RebuildRefused``) when beancount reports errors or the hash chain is
    broken, unless ``force``.
    """
    tenant = db.session.get(Tenant, tenant_id)
    try:
        lock_tenant(tenant_id)
        report = ledger.verify(ledger_dir(), tenant.slug)
        if not force and (report.errors or report.chain_breaks):
            with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
                raise RebuildRefused("\n".join(describe(report)))
        index.clear(tenant_id)
        count = 0
        for year in ledger.years(ledger_dir(), tenant.slug):
            count += index.write(tenant_id, read_journal(tenant.slug, year), skip_known=False)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return count
