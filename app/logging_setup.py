"""Logging with personal data scrubbed: ID and phone numbers never reach a log line.

The scrub happens where records are made (a log record factory), so every
handler, ours or a library's, sees only masked numbers.
"""

from __future__ import annotations

import logging

from flask import Flask

from app.privacy import scrub

_installed = False


def _install_factory() -> None:
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call; leave it to logging to report
            return record
        cleaned = scrub(message)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, None
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


def configure(app: Flask) -> None:
    _install_factory()
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
