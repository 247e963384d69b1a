"""Audit a tenant's books: beancount's own checks, the hash chain, the read index.

Each year file is loaded once with beancount (parse, booking, validation,
balance assertions; the load cache is bypassed so what is checked is what is
on disk). Then one pass over that year's transactions, in file order,
recomputes the hash chain and sums every account. Nothing is parsed twice.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from beancount import loader
from beancount.core import data

from ledger import accounts, chain, layout
from ledger.state import load_state

Balances = dict[str, dict[str, Decimal]]
ZERO = Decimal(0)


@dataclass(frozen=True)
class ChainBreak:
    """The first place where a year's hash chain does not hold."""

    year: int
    kind: str  # edited | deleted | inserted | reordered | unchained | truncated
    location: str  # "<tenant>/<year>.beancount:<line>"
    txn_id: str | None
    message: str


@dataclass(frozen=True)
class Mismatch:
    """An account whose journal balance differs from the read index."""

    account: str
    currency: str
    journal: Decimal
    index: Decimal


@dataclass
class VerifyReport:
    """What ``verify`` found. ``ok`` is true only if every list is empty."""

    tenant: str
    years: list[int] = field(default_factory=list)
    transactions: int = 0
    heads: dict[int, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    chain_breaks: list[ChainBreak] = field(default_factory=list)
    mismatches: list[Mismatch] = field(default_factory=list)
    balances: Balances = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.errors or self.chain_breaks or self.mismatches)

    def lines(self) -> list[str]:
        """Human-readable findings, one per line (for the CLI and the audit page)."""
        out = list(self.errors)
        out += [f"{b.location}: chain {b.kind}: {b.message}" for b in self.chain_breaks]
        out += [
            f"{m.account}: journal {m.journal} {m.currency} != index {m.index} {m.currency}"
            for m in self.mismatches
        ]
        return out


def load_year(path: Path) -> tuple[list[data.Directive], list[data.BeancountError]]:
    """Load one year file with full beancount validation, never from the pickle cache."""
    entries, errors, _ = loader._load([(str(path), True)], None, None, None)
    return entries, errors


def _where(meta: Mapping | None, root: Path) -> str:
    if not meta or "filename" not in meta:
        return "?"
    return f"{os.path.relpath(meta['filename'], root)}:{meta.get('lineno', 0)}"


def _scan(
    entries: list[data.Directive],
    filename: str,
    year: int,
    genesis: str | None,
    root: Path,
    check: bool = True,
) -> tuple[Balances, ChainBreak | None, int, str]:
    """One pass: chain check (file order) and per-account sums. Returns sums, break, n, head.

    ``genesis`` is the prev-hash the first transaction must carry (None: not known).
    """
    txns = [e for e in entries if type(e) is data.Transaction and e.meta["filename"] == filename]
    txns.sort(key=lambda e: e.meta["lineno"])
    sums: dict[tuple[str, str], Decimal] = {}
    broken: ChainBreak | None = None
    expected = genesis
    entry_hash = chain.entry_hash
    for position, txn in enumerate(txns):
        meta = txn.meta
        if check and broken is None:
            stored, prev = meta.get("hash"), meta.get("prev-hash")
            if stored is None or prev is None:
                broken = _break(
                    year,
                    "inserted",
                    txn,
                    root,
                    "transaction has no hash: it was not written by the ledger",
                )
            elif expected is not None and prev != expected:
                broken = _classify(year, txns, position, root)
            elif entry_hash(txn) != stored:
                broken = _break(
                    year,
                    "edited",
                    txn,
                    root,
                    "content does not match its hash: the transaction was edited",
                )
            expected = stored
        for posting in txn.postings:
            units = posting.units
            key = (posting.account, units.currency)
            sums[key] = sums.get(key, ZERO) + units.number
    balances: Balances = {}
    for (account, currency), number in sums.items():
        if number:
            balances.setdefault(account, {})[currency] = number
    head = txns[-1].meta.get("hash", "") if txns else (genesis or chain.GENESIS)
    return balances, broken, len(txns), head


def _break(year: int, kind: str, txn: data.Transaction, root: Path, message: str) -> ChainBreak:
    return ChainBreak(year, kind, _where(txn.meta, root), txn.meta.get("txn-id"), message)


def _classify(year: int, txns: list[data.Transaction], position: int, root: Path) -> ChainBreak:
    txn = txns[position]
    prev = txn.meta["prev-hash"]
    if position == 0:
        return _break(
            year,
            "unchained",
            txn,
            root,
            "first transaction does not continue from the previous year's last hash",
        )
    where = {t.meta.get("hash"): i for i, t in enumerate(txns)}
    linked = where.get(prev)
    if linked is None:
        text = f"the transaction before it (hash {prev[:12]}) is missing: deleted"
        return _break(year, "deleted", txn, root, text)
    other = txns[linked].meta.get("txn-id")
    if linked > position:
        return _break(year, "reordered", txn, root, f"it should follow {other}, found later")
    return _break(
        year,
        "inserted",
        txn,
        root,
        f"it follows {other}, but other transactions were inserted in between",
    )


def _expected_genesis(
    year: int, all_years: list[int], heads: dict[int, str], recorded: dict[int, str]
) -> str | None:
    earlier = [y for y in all_years if y < year]
    if not earlier:
        return chain.GENESIS
    previous = earlier[-1]
    return heads.get(previous) or recorded.get(previous)


def verify(
    ledger_dir: str | os.PathLike[str],
    tenant: str,
    year: int | None = None,
    index_balances: Mapping[str, Mapping[str, Decimal]] | None = None,
) -> VerifyReport:
    """Check one year (or all years) of a tenant's books; see ``VerifyReport``."""
    with layout.snapshot(ledger_dir, tenant) as root:
        return _verify(root, tenant, year, index_balances)


def _verify(
    root: Path,
    tenant: str,
    year: int | None,
    index_balances: Mapping[str, Mapping[str, Decimal]] | None,
) -> VerifyReport:
    folder = layout.tenant_dir(root, tenant)
    all_years = layout.years(root, tenant)
    chosen = all_years if year is None else [year]
    report = VerifyReport(tenant=tenant, years=chosen)
    state = load_state(folder)
    recorded = {y: h.head for y, h in state.years.items()} if state else {}
    if state and state.year is not None:
        recorded[state.year] = state.head
    main_file = folder / layout.MAIN_FILE
    main = main_file.read_text(encoding="utf-8") if main_file.exists() else ""
    for y in chosen:
        path = layout.year_path(root, tenant, y)
        if not path.exists():
            report.errors.append(f"{tenant}/{y}.beancount: no journal for fiscal year {y}")
            continue
        if f'include "{y}.beancount"' not in main:
            report.errors.append(f"{tenant}/{layout.MAIN_FILE}: does not include {y}.beancount")
        entries, errors = load_year(path)
        report.errors += [f"{_where(e.source, root)}: {e.message}" for e in errors]
        genesis = _expected_genesis(y, all_years, report.heads, recorded)
        sums, broken, count, head = _scan(entries, str(path), y, genesis, root)
        if broken is None and y in recorded and head != recorded[y]:
            broken = ChainBreak(y, "truncated", f"{tenant}/{y}.beancount", None, _TRUNCATED)
        if broken is not None:
            report.chain_breaks.append(broken)
        report.transactions += count
        report.heads[y] = head
        report.balances.update(sums)
    if index_balances is not None:
        report.mismatches = _reconcile(report.balances, index_balances, set(report.heads))
    return report


_TRUNCATED = (
    "the journal does not end with the last transaction the writer recorded: "
    "transactions were removed from the end"
)


def _reconcile(
    journal: Balances, index: Mapping[str, Mapping[str, Decimal]], years: set[int]
) -> list[Mismatch]:
    keys = {(a, c) for a, per in journal.items() for c in per}
    wanted = {*years, None}
    keys |= {(a, c) for a, per in index.items() if _year(a) in wanted for c in per}
    out = []
    for account, currency in sorted(keys):
        ours = journal.get(account, {}).get(currency, ZERO)
        theirs = index.get(account, {}).get(currency, ZERO)
        if ours != theirs:
            out.append(Mismatch(account, currency, ours, theirs))
    return out


def _year(account: str) -> int | None:
    """Fiscal year of an account; None (always reconciled) for names outside the chart."""
    return accounts.year_of(account) if accounts.is_valid(account) else None


def balances(ledger_dir: str | os.PathLike[str], tenant: str, year: int) -> Balances:
    """Every account's balance at the end of the year file (zero balances left out)."""
    with layout.snapshot(ledger_dir, tenant) as root:
        path = layout.year_path(root, tenant, year)
        entries, _ = load_year(path)
        return _scan(entries, str(path), year, None, root, check=False)[0]
