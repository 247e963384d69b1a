"""The writer's sidecar files: running state and the txn-id index.

Both live in the tenant directory next to the journals and are derived from
them; they exist so that posting never re-parses a journal.

- ``.ledger-state.json``: current fiscal year, the open month, the last hash,
  byte sizes of what was written, accounts opened this year, running balances,
  accounts touched in the open month. Replaced atomically after every batch.
- ``.ledger-txns.jsonl``: one line per transaction ever written (txn-id, year,
  date, hash, prev-hash), appended after the journal is fsynced. A retried
  txn-id is found here.

``State.apply`` is the single place where a written directive changes the
state; the writer uses it as it writes, and recovery uses it on directives it
parses back from a journal tail, so both paths agree.
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from beancount.core import data

from ledger.chain import GENESIS

STATE_FILE = ".ledger-state.json"
INDEX_FILE = ".ledger-txns.jsonl"
FORMAT = 1


def month_start(day: datetime.date) -> datetime.date:
    """First day of the month of ``day``."""
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    """First day of the month after the month of ``day``."""
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass
class YearHead:
    """How a closed year file ended: its last hash, size and transaction count."""

    head: str
    size: int
    count: int


@dataclass
class State:
    """Running state of one tenant's books (see module docstring)."""

    year: int | None = None
    period: datetime.date | None = None  # first day of the open month
    head: str = GENESIS  # hash of the last transaction written
    size: int = 0  # bytes of the current year file
    count: int = 0  # transactions in the current year file
    index_size: int = 0
    opened: set[str] = field(default_factory=set)
    balances: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)
    years: dict[int, YearHead] = field(default_factory=dict)

    def apply(self, entry: data.Directive) -> None:
        """Account for one directive just written to (or read back from) the year file."""
        if isinstance(entry, data.Transaction):
            self.head = entry.meta["hash"]
            self.count += 1
            self._advance(month_start(entry.date))
            for posting in entry.postings:
                units = posting.units
                per_account = self.balances.setdefault(posting.account, {})
                per_account[units.currency] = (
                    per_account.get(units.currency, Decimal(0)) + units.number
                )
                self.touched.add(posting.account)
        elif isinstance(entry, data.Open):
            self.opened.add(entry.account)
        elif isinstance(entry, data.Balance):
            self.touched.discard(entry.account)
            self._advance(entry.date)

    def _advance(self, period: datetime.date) -> None:
        if self.period is None or period > self.period:
            self.period = period

    def switch_year(self, year: int) -> None:
        """Start a new year file; the chain continues from the last hash."""
        if self.year is not None:
            self.years[self.year] = YearHead(self.head, self.size, self.count)
        self.year = year
        self.size = self.count = 0
        self.opened, self.balances, self.touched = set(), {}, set()
        self._advance(datetime.date(year, 1, 1))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "year": self.year,
            "period": self.period.isoformat() if self.period else None,
            "head": self.head,
            "size": self.size,
            "count": self.count,
            "index_size": self.index_size,
            "opened": sorted(self.opened),
            "balances": {
                a: {c: str(n) for c, n in sorted(b.items())}
                for a, b in sorted(self.balances.items())
            },
            "touched": sorted(self.touched),
            "years": {str(y): vars(h) for y, h in sorted(self.years.items())},
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> State:
        if raw.get("format") != FORMAT:
            raise ValueError(f"unknown ledger state format {raw.get('format')!r}")
        return cls(
            year=raw["year"],
            period=datetime.date.fromisoformat(raw["period"]) if raw["period"] else None,
            head=raw["head"],
            size=raw["size"],
            count=raw["count"],
            index_size=raw["index_size"],
            opened=set(raw["opened"]),
            balances={a: {c: Decimal(n) for c, n in b.items()} for a, b in raw["balances"].items()},
            touched=set(raw["touched"]),
            years={int(y): YearHead(**h) for y, h in raw["years"].items()},
        )


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so readers see the old or the new file, never half."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def load_state(tenant_dir: Path) -> State | None:
    path = tenant_dir / STATE_FILE
    if not path.exists():
        return None
    return State.from_json(json.loads(path.read_text(encoding="utf-8")))


def save_state(tenant_dir: Path, state: State) -> None:
    write_atomic(tenant_dir / STATE_FILE, json.dumps(state.to_json(), ensure_ascii=False))


@dataclass(frozen=True)
class IndexEntry:
    """Where and how one txn-id was written."""

    txn_id: str
    year: int
    date: datetime.date
    hash: str
    prev_hash: str
    kind: str
    position: int
    lines: tuple[tuple[str, Decimal, str], ...] | None = None  # kept for system transactions

    def to_line(self) -> str:
        raw: dict[str, Any] = {
            "id": self.txn_id,
            "y": self.year,
            "d": self.date.isoformat(),
            "h": self.hash,
            "p": self.prev_hash,
            "k": self.kind,
        }
        if self.lines is not None:
            raw["s"] = [[a, str(n), c] for a, n, c in self.lines]
        return json.dumps(raw, ensure_ascii=False) + "\n"

    @classmethod
    def from_line(cls, line: str, position: int) -> IndexEntry:
        raw = json.loads(line)
        rows = raw.get("s")
        return cls(
            raw["id"],
            raw["y"],
            datetime.date.fromisoformat(raw["d"]),
            raw["h"],
            raw["p"],
            raw["k"],
            position,
            tuple((a, Decimal(n), c) for a, n, c in rows) if rows is not None else None,
        )


class TxnIndex:
    """In-memory view of the txn-id index, read incrementally up to a committed size."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = 0
        self.by_id: dict[str, IndexEntry] = {}
        self.order: list[IndexEntry] = []

    def catch_up(self, committed_size: int) -> None:
        """Read the lines between what is in memory and ``committed_size``."""
        if committed_size < self.size:
            raise ValueError("txn index shrank below what this process has read")
        if committed_size == self.size:
            return
        with open(self.path, "rb") as fh:
            fh.seek(self.size)
            chunk = fh.read(committed_size - self.size)
        if len(chunk) != committed_size - self.size or not chunk.endswith(b"\n"):
            raise ValueError("txn index is shorter than the ledger state records")
        for line in chunk.decode("utf-8").splitlines():
            self.add(IndexEntry.from_line(line, len(self.order)))
        self.size = committed_size

    def add(self, entry: IndexEntry) -> None:
        self.by_id[entry.txn_id] = entry
        self.order.append(entry)

    def next_position(self) -> int:
        return len(self.order)


class IndexCache:
    """Per-process txn indexes, extended incrementally instead of re-read per call."""

    def __init__(self) -> None:
        self._by_folder: dict[Path, tuple[int, TxnIndex]] = {}

    def get(self, folder: Path, committed_size: int) -> TxnIndex:
        path = folder / INDEX_FILE
        inode = path.stat().st_ino if path.exists() else -1
        cached = self._by_folder.get(folder)
        if cached is None or cached[0] != inode or cached[1].size > committed_size:
            cached = (inode, TxnIndex(path))
            self._by_folder[folder] = cached
        cached[1].catch_up(committed_size)
        return cached[1]

    def forget(self, folder: Path) -> None:
        self._by_folder.pop(folder, None)


INDEXES = IndexCache()
