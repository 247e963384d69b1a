"""Crash recovery for the journal writer: finish or undo an interrupted batch.

Before a batch touches a journal, the writer saves an *intent*: for each file
it will append to, the byte range and sha256 of the bytes it is about to add,
plus the state and txn-index lines that will hold once they are on disk.
On the next call (under the same lock):

- every range on disk with the right checksum: the batch reached the disk
  (the crash came after the fsync, before the sidecar update), so its state
  and index lines are adopted; its txn-ids are now known and a retry of them
  is a no-op;
- otherwise the batch never completed, was never acknowledged, and its partial
  bytes are cut off (kept aside in ``.ledger-discarded-*`` for inspection).

Without an intent, the journal sizes must equal what the state records; any
other difference means someone else wrote the files, and the writer refuses.
If the state itself is missing, it is rebuilt by parsing the year files (the
only path that parses) after checking their hash chains.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from beancount.core import data
from beancount.parser import parser

from ledger import chain, layout
from ledger.state import (
    INDEX_FILE,
    IndexEntry,
    State,
    fsync_dir,
    load_state,
    save_state,
    write_atomic,
)

INTENT_FILE = ".ledger-intent.json"


def sha256(chunk: bytes) -> str:
    return hashlib.sha256(chunk).hexdigest()


def save_intent(
    folder: Path,
    files: dict[int, tuple[int, bytes]],
    after: State,
    index_start: int,
    index_lines: list[str],
) -> None:
    """Record what a batch is about to write (files: year -> (start offset, bytes))."""
    intent = {
        "files": {
            str(y): [start, start + len(chunk), sha256(chunk)]
            for y, (start, chunk) in files.items()
        },
        "state": after.to_json(),
        "index_start": index_start,
        "index_lines": index_lines,
    }
    write_atomic(folder / INTENT_FILE, json.dumps(intent, ensure_ascii=False))


def clear_intent(folder: Path) -> None:
    (folder / INTENT_FILE).unlink(missing_ok=True)


def append_index(folder: Path, start: int, lines: list[str]) -> int:
    """Cut the index back to ``start`` (dropping uncommitted lines), append, fsync."""
    path = folder / INDEX_FILE
    with open(path, "ab") as fh:
        fh.truncate(start)
        payload = "".join(lines).encode("utf-8")
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
    return start + len(payload)


def write_main(folder: Path, tenant: str, years: list[int]) -> None:
    path = folder / layout.MAIN_FILE
    text = layout.main_text(tenant, years)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        write_atomic(path, text)


def _file_size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _finish_or_undo(folder: Path, tenant: str, intent: dict[str, Any]) -> None:
    ranges = {int(y): r for y, r in intent["files"].items()}
    complete = True
    for year, (start, end, digest) in ranges.items():
        path = folder / f"{year}.beancount"
        if _file_size(path) < end:
            complete = False
            break
        with open(path, "rb") as fh:
            fh.seek(start)
            if sha256(fh.read(end - start)) != digest:
                complete = False
                break
    if complete:
        after = State.from_json(intent["state"])
        after.index_size = append_index(folder, intent["index_start"], intent["index_lines"])
        save_state(folder, after)
        write_main(folder, tenant, sorted({*after.years, after.year}))
    else:
        for year, (start, _end, _digest) in sorted(ranges.items()):
            _cut(folder / f"{year}.beancount", start)
        append_index(folder, intent["index_start"], [])
        write_main(folder, tenant, layout.years(folder.parent, tenant))
    clear_intent(folder)


def _cut(path: Path, start: int) -> None:
    """Truncate an unacknowledged tail, keeping the cut bytes aside."""
    size = _file_size(path)
    if size <= start:
        return
    with open(path, "rb+") as fh:
        fh.seek(start)
        tail = fh.read()
        aside = path.with_name(f".ledger-discarded-{path.stem}-{start}.txt")
        aside.write_bytes(tail)
        fh.truncate(start)
        fh.flush()
        os.fsync(fh.fileno())
    if start == 0:
        path.unlink()
    fsync_dir(path.parent)


def _check_sizes(folder: Path, state: State) -> None:
    expected = {y: h.size for y, h in state.years.items()}
    if state.year is not None:
        expected[state.year] = state.size
    for year, size in expected.items():
        actual = _file_size(folder / f"{year}.beancount")
        if actual != size:
            raise layout.LedgerCorrupt(
                f"{year}.beancount is {actual} bytes but the writer left it at {size}: "
                "it was changed outside the ledger writer; run verify"
            )
    extra = [y for y in layout.years(folder.parent, folder.name) if y not in expected]
    if extra:
        raise layout.LedgerCorrupt(f"{extra[0]}.beancount was not written by the ledger writer")


def open_state(folder: Path, tenant: str) -> State:
    """The writer state after finishing or undoing any interrupted batch."""
    intent_path = folder / INTENT_FILE
    if intent_path.exists():
        _finish_or_undo(folder, tenant, json.loads(intent_path.read_text(encoding="utf-8")))
    state = load_state(folder)
    if state is None:
        return rebuild(folder, tenant)
    _check_sizes(folder, state)
    return state


def rebuild(folder: Path, tenant: str) -> State:
    """Recreate state and txn index from the year files (parses every journal)."""
    state = State()
    found = layout.years(folder.parent, tenant)
    if not found:
        return state
    lines: list[str] = []
    for year in found:
        path = folder / f"{year}.beancount"
        entries, errors, _ = parser.parse_file(str(path))
        if errors:
            raise layout.LedgerCorrupt(
                f"cannot rebuild ledger state: {path.name}: {errors[0].message}"
            )
        state.switch_year(year)
        entries.sort(key=lambda e: e.meta["lineno"])
        for entry in entries:
            if isinstance(entry, data.Transaction):
                lines.append(_checked_index_line(entry, state, year, len(lines), path))
            state.apply(entry)
        state.size = path.stat().st_size
    state.index_size = len("".join(lines).encode("utf-8"))
    write_atomic(folder / INDEX_FILE, "".join(lines))
    save_state(folder, state)
    write_main(folder, tenant, found)
    return state


def _checked_index_line(
    txn: data.Transaction, state: State, year: int, position: int, path: Path
) -> str:
    meta = txn.meta
    if meta.get("prev-hash") != state.head or chain.entry_hash(txn) != meta.get("hash"):
        raise layout.LedgerCorrupt(
            f"cannot rebuild ledger state: hash chain broken at {path.name}:{meta['lineno']}; "
            "run verify"
        )
    txn_id = meta["txn-id"]
    rows = None
    if txn_id.startswith("ledger:"):
        rows = tuple((p.account, p.units.number, p.units.currency) for p in txn.postings)
    entry = IndexEntry(
        txn_id,
        year,
        txn.date,
        meta["hash"],
        meta["prev-hash"],
        meta.get("kind", ""),
        position,
        rows,
    )
    return entry.to_line()
