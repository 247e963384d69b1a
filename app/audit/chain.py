"""Sealing the audit log into a hash chain, and verifying it.

Entries are written unsealed at flush time (no lock on the hot path). The
sealer takes unsealed entries in id order, gives each the next ``seq`` and
``hash = sha256(previous hash + canonical entry)``. Only one sealer runs at a
time (an advisory lock on PostgreSQL; SQLite serializes writers). ``verify``
recomputes the chain: an edited, deleted or inserted entry breaks it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import func, select, text, update

from app.audit.models import AuditEntry
from app.extensions import db

GENESIS = "0" * 64
_LOCK_KEY = 720_4401  # advisory lock id for the sealer
FIELDS = ("id", "at", "tenant_id", "actor_id", "actor_roles", "action", "object_type",
          "object_id", "changes", "ip", "endpoint", "seq")


def canonical(entry: AuditEntry, seq: int) -> bytes:
    """The bytes an entry's hash covers: its fields as sorted, compact JSON in UTF-8.

    Any value a row can hold has bytes here: a lone surrogate (from a ``\\ud800`` escape
    stored in a JSON column) is written as its three surrogate bytes, where plain UTF-8
    would fail and stop the chain; every other text encodes as it always has.
    """
    data = {name: getattr(entry, name) for name in FIELDS}
    data["at"] = entry.at.isoformat(timespec="microseconds")
    data["seq"] = seq
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def entry_hash(previous: str, entry: AuditEntry, seq: int) -> str:
    return hashlib.sha256(previous.encode() + canonical(entry, seq)).hexdigest()


def seal(batch: int = 5000) -> int:
    """Seal every unsealed entry; returns how many were sealed. Caller commits."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    last = db.session.execute(
        select(AuditEntry.seq, AuditEntry.hash).where(AuditEntry.seq.is_not(None))
        .order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, previous = (last.seq, last.hash) if last else (0, GENESIS)
    sealed = 0
    while True:
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.seq.is_(None))
                                  .order_by(AuditEntry.id).limit(batch)).all()
        if not rows:
            return sealed
        values = []
        for entry in rows:
            seq += 1
            previous = entry_hash(previous, entry, seq)
            values.append({"i": entry.id, "s": seq, "h": previous})
        for v in values:
            db.session.execute(update(AuditEntry).where(AuditEntry.id == v["i"], AuditEntry.seq.is_(None))
                               .values(seq=v["s"], hash=v["h"]).execution_options(synchronize_session=False))
        db.session.expire_all()
        sealed += len(values)


@dataclass
class ChainReport:
    checked: int
    unsealed: int
    first_break: int | None  # seq of the first entry whose hash does not follow
    message: str

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify(batch: int = 10000) -> ChainReport:
    previous, expected_seq, checked = GENESIS, 1, 0
    for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.seq.is_not(None))
                                    .order_by(AuditEntry.seq).execution_options(yield_per=batch)):
        if entry.seq != expected_seq:
            return ChainReport(checked, 0, expected_seq, f"entry #{expected_seq} is missing")
        digest = entry_hash(previous, entry, entry.seq)
        if digest != entry.hash:
            return ChainReport(checked, 0, entry.seq, f"entry #{entry.seq} (id {entry.id}) was changed")
        previous, expected_seq, checked = digest, expected_seq + 1, checked + 1
    unsealed = db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.seq.is_(None)))
    return ChainReport(checked, unsealed or 0, None, f"{checked} entries chained, {unsealed} awaiting seal")
