"""Which of a query's codes the search's index condition names (PostgreSQL).

The planner estimates ``search_grams @> ARRAY[a, b, c]`` as if the codes were independent and
multiplies their frequencies; but the pairs of one word come together (every project holding
法律咨询 holds 法律, 律咨 and 咨询), so a word in 7% of projects was estimated at 0.04% and the
planner read all its matches through the code index and sorted them, instead of walking the
newest projects and stopping at the page. Naming only the query's rarest code gives it the
true figure for that code; every word is still confirmed in the text by position, so what is
found does not change.

The frequencies are PostgreSQL's own (``pg_stats.most_common_elems``, kept by ANALYZE), read
once per process every ``REFRESH_SECONDS``; a code not among them is rarer than all of them.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import text

from app.extensions import db

REFRESH_SECONDS = 600

_kept: dict[str, tuple[float, dict[int, float]]] = {}  # database name -> (until, frequencies)
_lock = threading.Lock()


def _frequencies(connection) -> dict[int, float]:
    key = connection.engine.url.database or ""
    hit = _kept.get(key)
    if hit is not None and hit[0] > time.monotonic():
        return hit[1]
    row = connection.execute(text(
        "SELECT most_common_elems::text::bigint[], most_common_elem_freqs FROM pg_stats "
        "WHERE tablename = 'project' AND attname = 'search_grams' "
        "AND schemaname = current_schema()")).first()
    found = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    with _lock:
        _kept[key] = (time.monotonic() + REFRESH_SECONDS, found)
    return found


def rarest(codes: list[int], connection=None) -> list[int]:
    """The one code of ``codes`` the fewest projects hold (none if there are none)."""
    if len(codes) <= 1:
        return codes
    freqs = _frequencies(connection if connection is not None else db.session.connection())
    return [min(codes, key=lambda code: (freqs.get(code, 0.0), code))]


def forget() -> None:
    with _lock:
        _kept.clear()
