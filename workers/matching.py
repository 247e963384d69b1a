"""Jobs of matching: tell the volunteers who asked to be of shifts that suit them (a shift
opened, places freed on a full one, a schedule's new dates)."""

from __future__ import annotations


def notify_shift_matches(shift_id: int) -> int:
    return notify_series_matches([shift_id])


def notify_series_matches(shift_ids: list[int]) -> int:
    """One notice a person, of the soonest of the shifts that suits them."""
    from sqlalchemy import select

    from app.db import utcnow
    from app.db_commit import commit
    from app.extensions import db
    from app.marketplace.match_notices import notify_matches
    from app.projects.models import Shift

    shifts = list(db.session.scalars(select(Shift).where(Shift.id.in_(shift_ids))))
    if not shifts:
        return 0
    told = notify_matches(shifts, utcnow())
    commit()
    return told
