"""Tell a person something: an inbox message, copied by email when they have an address."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import func, select, update

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.notifications.models import Notification


def notify(user: User, title, body="", *, link: str | None = None,
           tenant_id: int | None = None, email: bool = True) -> Notification:
    """Queue a message for ``user``, composed in their language.

    ``title``/``body`` may be lazy strings (``lazy_gettext``); they are rendered
    in the recipient's locale, not the sender's.
    """
    from workers.notifications import deliver_email
    from workers.queue import enqueue_after_commit

    with force_locale(user.locale or "zh_CN"):
        note = Notification(user_id=user.id, tenant_id=tenant_id, title=str(title)[:200],
                            body=str(body), link=link)
    note.email_status = "pending" if (email and user.email) else "none"
    db.session.add(note)
    db.session.flush()
    if note.email_status == "pending":
        enqueue_after_commit(deliver_email, note.id, retry=3)
    return note


def unread_count(user_id: int) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def inbox(user_id: int, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user_id)
                                   .order_by(Notification.id.desc()).limit(limit)))


def mark_all_read(user_id: int) -> None:
    db.session.execute(update(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)).values(read_at=utcnow()))
