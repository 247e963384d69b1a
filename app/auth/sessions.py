"""Sign-in sessions (登录会话): begun at sign-in; ended by signing out, a password change or
"sign out everywhere", and on their own after an idle timeout or their lifetime.

The cookie carries a random key; the server keeps its hash and decides whether the session
is live. A copy of the cookie is worth nothing once the session has ended. No request
objects here: the caller passes what the browser said about itself.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import joinedload

from app.auth.models import LoginSession, User, secret_hash
from app.db import utcnow
from app.extensions import db


def limits() -> tuple[timedelta, timedelta]:
    """(idle timeout, lifetime) from the configuration."""
    config = current_app.config
    return (timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
            current_app.permanent_session_lifetime)


def begin(user: User, user_agent: str = "") -> str:
    """A new session for ``user``; returns the key for the cookie. The user's sessions that
    are over are deleted now, so the table holds little more than the live ones."""
    now = utcnow()
    over = [row.id for row in _sessions_of(user) if not row.is_live(now, *limits())]
    if over:
        db.session.execute(delete(LoginSession).where(LoginSession.id.in_(over)))
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, key_hash=secret_hash(key), last_seen_at=now,
                                device=describe_device(user_agent)))
    db.session.flush()
    return key


def _sessions_of(user: User) -> list[LoginSession]:
    return list(db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)
                                   .order_by(LoginSession.id)))


#: The session, its user and the user's grants in one query: every signed-in request starts
#: here, so it is built once. None of them belongs to a tenant.
_BY_KEY = (select(LoginSession)
           .where(LoginSession.key_hash == bindparam("key_hash"), LoginSession.ended_at.is_(None))
           .options(joinedload(LoginSession.user).joinedload(User.grants))
           .execution_options(all_tenants=True))


def find(key: str) -> LoginSession | None:
    """The live session with this key (its user active), user and grants loaded."""
    row = db.session.scalars(_BY_KEY, {"key_hash": secret_hash(key)}).unique().first()
    if row is None or not row.user.active or not row.is_live(utcnow(), *limits()):
        return None
    return row


def live(user: User) -> list[LoginSession]:
    """The user's live sessions, most recently used first."""
    now = utcnow()
    rows = [row for row in _sessions_of(user) if row.is_live(now, *limits())]
    return sorted(rows, key=lambda row: row.last_seen_at, reverse=True)


def end(row: LoginSession) -> None:
    row.ended_at = row.ended_at or utcnow()
    db.session.flush()


def end_all(user: User) -> int:
    """End every session of the user, on every device; how many were still open."""
    return db.session.execute(update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)).values(ended_at=utcnow())
    ).rowcount


_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("HarmonyOS", "HarmonyOS"),
            ("Android", "Android"), ("Windows", "Windows"), ("Macintosh", "Mac"),
            ("CrOS", "ChromeOS"), ("Linux", "Linux"))
_BROWSERS = (("MicroMessenger", "微信"), ("Edg/", "Edge"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))


def describe_device(user_agent: str) -> str:
    """"Android · 微信", "Windows · Edge": enough to tell one's devices apart."""
    parts = [next((name for mark, name in table if mark in user_agent), "")
             for table in (_SYSTEMS, _BROWSERS)]
    text = " · ".join(part for part in parts if part)
    return text or re.sub(r"[^\w ./-]", "", user_agent)[:60]
