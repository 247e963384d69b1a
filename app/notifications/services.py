"""Tell a person something: an inbox message, copied by email when they have an address and
by text message when that is how they are reached (``sms_number``).

The inbox shows one line per matter: messages asking the same thing are merged into one
line with a count (four "an expenditure awaits your approval" become one line listing the
four), identical news is shown once, and a request someone has already settled says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.notifications.subjects import SUMMARIES, Subject, resolve

#: How many recent messages the inbox reads before merging them into lines.
INBOX_WINDOW = 300


def sms_number(user: User, tenant_id: int | None) -> str | None:
    """Where a person's text messages go: for a resident who is not online, the contact
    number their resident record holds; for anyone else who asked for them, their mobile."""
    if user.offline:
        if tenant_id is None:
            return None
        from app.residents.models import ResidentProfile

        return db.session.scalar(select(ResidentProfile.contact_phone).where(
            ResidentProfile.tenant_id == tenant_id, ResidentProfile.user_id == user.id)) or None
    return user.phone if user.sms and user.phone else None


def notify(user: User, title, body="", *, link: str | None = None,
           tenant_id: int | None = None, email: bool = True, kind: str | None = None,
           subject_id: int | None = None, sms: bool = True) -> Notification:
    """Queue a message for ``user``, composed in their language.

    ``title``/``body`` may be lazy strings (``lazy_gettext``); they are rendered
    in the recipient's locale, not the sender's. ``kind`` and ``subject_id`` say what the
    message asks for and about which object (``app.notifications.subjects``).
    """
    from workers.notifications import deliver_email, deliver_sms
    from workers.queue import enqueue_after_commit

    with force_locale(user.locale or "zh_CN"):
        note = Notification(user_id=user.id, tenant_id=tenant_id, title=str(title)[:200],
                            body=str(body), link=link, kind=kind, subject_id=subject_id)
    note.email_status = "pending" if (email and user.email) else "none"
    note.sms_status = "pending" if (sms and sms_number(user, tenant_id)) else "none"
    db.session.add(note)
    db.session.flush()
    if note.email_status == "pending":
        enqueue_after_commit(deliver_email, note.id, retry=3)
    if note.sms_status == "pending":
        enqueue_after_commit(deliver_sms, note.id, retry=3)
    return note


def _mine(user_id: int, tenant_id: int | None) -> list:
    """A person's messages: in a tenant, that tenant's and those belonging to none."""
    criteria = [Notification.user_id == user_id]
    if tenant_id is not None:
        criteria.append(or_(Notification.tenant_id == tenant_id,
                            Notification.tenant_id.is_(None)))
    return criteria


def unread_count(user_id: int, tenant_id: int | None = None) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(
        *_mine(user_id, tenant_id), Notification.read_at.is_(None))) or 0


def inbox(user_id: int, limit: int = 50, tenant_id: int | None = None) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(*_mine(user_id, tenant_id))
                                   .order_by(Notification.id.desc()).limit(limit)))


@dataclass
class InboxLine:
    """One line of the inbox: a message, or several saying the same thing."""

    title: str
    body: str
    link: str | None
    latest: datetime
    count: int = 1
    unread: bool = False
    #: Settled requests: what was done ("已由 李科长 审批"); None while something waits.
    done: str | None = None
    #: What a single request is about ("东湖百货有限公司 ¥12,000.00：节日慰问品").
    about: str = ""
    #: The objects of a merged line, each with its own link and state.
    items: list[Subject] = field(default_factory=list)
    #: What the messages are (``community_notice``…): the page offers what fits the kind.
    kind: str | None = None


def lines(user_id: int, tenant_id: int | None = None) -> list[InboxLine]:
    """The inbox as lines, newest first, those about something already settled after the
    rest (a handful of queries, however many messages)."""
    notes = inbox(user_id, INBOX_WINDOW, tenant_id)
    subjects = resolve(((n.kind, n.subject_id) for n in notes
                        if n.kind and n.subject_id is not None), user_id)
    grouped: dict[tuple, list[tuple[Notification, Subject | None]]] = {}
    for note in notes:  # newest first, so each line's first message is its latest
        item = subjects.get((note.kind, note.subject_id)) if note.kind else None
        if item is not None:
            key = ("asks", note.tenant_id, note.kind, note.title, item.done is None)
        else:
            key = ("news", note.tenant_id, note.title, note.body, note.link)
        grouped.setdefault(key, []).append((note, item))
    found = [_line(group) for group in grouped.values()]
    return sorted(found, key=lambda line: line.done is not None)  # stable: newest first


def _line(group: list[tuple[Notification, Subject | None]]) -> InboxLine:
    first, item = group[0]
    items: list[Subject] = []
    for _note, subject in group:
        if subject is not None and subject not in items:
            items.append(subject)
    line = InboxLine(title=first.title, body=first.body,
                     link=(item.link if item and item.link else first.link),
                     latest=first.created_at, count=len(items) or len(group),
                     unread=any(n.read_at is None for n, _ in group), kind=first.kind)
    if item is not None and item.done is not None:
        line.done = item.done if len(items) == 1 else _("All of them have been dealt with.")
    if len(items) == 1:
        line.about = items[0].label
    if len(items) > 1:
        line.items = items
        if line.done is None and first.kind in SUMMARIES:
            line.title = str(SUMMARIES[first.kind]) % {"n": len(items)}
    return line


def mark_all_read(user_id: int, tenant_id: int | None = None) -> None:
    db.session.execute(update(Notification).where(
        *_mine(user_id, tenant_id), Notification.read_at.is_(None)).values(read_at=utcnow()))
