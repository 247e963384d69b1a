"""The hash chain that makes each year journal tamper-evident.

Every transaction carries ``prev-hash`` (the hash of the transaction before it
in the same year file; the first one links to the previous year's last hash,
or to ``GENESIS``) and ``hash`` = sha256 of a canonical serialization of the
transaction. The serialization covers date, flag, payee, narration, tags,
links, every posting's account, exact amount and currency, and all metadata
except ``hash`` and the parser's ``filename``/``lineno``. It is computed from
the values, not the text, so the writer (from the transaction it builds) and
``verify`` (from the transaction beancount parses back) get the same hash, and
re-aligning columns or listing postings in another order does not break the
chain while changing any value does.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from beancount.core import data

GENESIS = "0" * 64
_SKIP = frozenset({"hash", "filename", "lineno"})


def _number(number: Decimal | None) -> str:
    if number is None:
        return "None"
    return format(number.normalize(), "f")


def canonical(txn: data.Transaction) -> str:
    """A length-prefixed serialization of everything the hash protects."""
    fields = [
        txn.date.isoformat(),
        txn.flag or "",
        txn.payee or "",
        txn.narration or "",
        " ".join(sorted(txn.tags or ())),
        " ".join(sorted(txn.links or ())),
    ]
    meta = txn.meta
    for key in sorted(meta):
        if key in _SKIP or key.startswith("__"):
            continue
        value = meta[key]
        fields.append(key)
        fields.append(value if type(value) is str else f"{type(value).__name__}:{value}")
    rows = []
    for posting in txn.postings:
        units = posting.units
        row = [posting.account, _number(units.number), units.currency]
        if posting.cost is not None or posting.price is not None or posting.flag:
            row.append(f"{posting.cost!r} {posting.price!r} {posting.flag!r}")
        rows.append(row)
    rows.sort()  # booking regroups postings by currency; their order carries no meaning
    for row in rows:
        fields.extend(row)
    return "".join(f"{len(field)}:{field}" for field in fields)


def entry_hash(txn: data.Transaction) -> str:
    """The hash a transaction must carry in its ``hash`` metadata."""
    return hashlib.sha256(canonical(txn).encode("utf-8")).hexdigest()


def chained(txn: data.Transaction, prev_hash: str) -> data.Transaction:
    """``txn`` with ``prev-hash`` and its own ``hash`` added to its metadata."""
    meta = dict(txn.meta)
    meta.pop("hash", None)
    meta["prev-hash"] = prev_hash
    linked = txn._replace(meta=meta)
    meta["hash"] = entry_hash(linked)
    return linked
