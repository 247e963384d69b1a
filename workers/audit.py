"""Sealing the audit log after each commit that wrote to it (and nightly)."""

from __future__ import annotations


def seal() -> int:
    from app.audit import chain
    from app.db_commit import commit

    count = chain.seal()
    commit()
    return count
