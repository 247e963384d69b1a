"""The link to purchased-service contracts: which contracts an evaluation may attach to."""

from __future__ import annotations


def choices(org_id: int | None = None) -> list[tuple[int, str]]:
    from app.extensions import db

    if "contract" not in db.metadata.tables:
        return []
    return []
