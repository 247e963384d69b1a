"""Jobs of matching: tell the volunteers a newly opened shift suits (those who asked to be)."""

from __future__ import annotations


def notify_shift_matches(shift_id: int) -> int:
    from app.db import utcnow
    from app.db_commit import commit
    from app.extensions import db
    from app.marketplace.matching import notify_matches
    from app.projects.models import Shift

    shift = db.session.get(Shift, shift_id)
    if shift is None:
        return 0
    told = notify_matches(shift, utcnow())
    commit()
    return told
