"""The journal as the ledger worker publishes it, for any web process to serve.

The journal is written on the ledger worker's disk (``LEDGER_DIR``). After each drain and
month close, the worker copies the tenant's files that changed (main file and year files)
into the journal area of ``app.storage``, under ``<tenant slug>/<file name>``; the download
(``books.journal``) reads only that area. With local storage the area is the ledger folder
itself, so nothing is copied. A journal only grows (corrections are new entries), so a file
whose size is unchanged is left as published.
"""

from __future__ import annotations

import logging
import re

import ledger
from app import storage
from app.books.drain import ledger_dir
from app.extensions import db

log = logging.getLogger(__name__)

MAIN = "main.beancount"
YEAR_FILE = re.compile(r"(\d{4})\.beancount")


def key(slug: str, name: str) -> str:
    return f"{slug}/{name}"


def publish(slug: str) -> int:
    """Copy the tenant's changed journal files into storage and commit; how many were."""
    store = storage.area(storage.JOURNAL)
    if store.is_local:
        return 0
    folder = ledger.main_path(ledger_dir(), slug).parent
    names = [MAIN] + [f"{year}.beancount" for year in ledger.years(ledger_dir(), slug)]
    count = 0
    for name in names:
        path = folder / name
        if path.is_symlink() or not path.is_file():
            continue
        if store.size(key(slug, name)) == path.stat().st_size:
            continue
        with path.open("rb") as source:
            store.put(key(slug, name), source)
        count += 1
    db.session.commit()
    return count


def publish_quietly(slug: str) -> None:
    """Publish after posting; a failure is logged and made good by the next publish (the
    books themselves are already written)."""
    try:
        publish(slug)
    except Exception:
        db.session.rollback()
        log.exception("journal of %s not published", slug)


def years(slug: str) -> list[int]:
    """The fiscal years whose journal is published, oldest first."""
    found = (YEAR_FILE.fullmatch(n) for n in storage.area(storage.JOURNAL).names(slug))
    return sorted(int(m.group(1)) for m in found if m)
