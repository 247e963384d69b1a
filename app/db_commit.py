"""The one commit: flush the unit of work, commit, then hand queued jobs to the queue.

Views and jobs call ``commit()`` once at the end; services only ``flush()``.
"""

from __future__ import annotations

from app.extensions import db


def commit() -> None:
    db.session.commit()
    from workers.queue import dispatch_committed

    dispatch_committed()
