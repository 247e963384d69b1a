"""Accounts (one per person, across tenants), role grants, sign-in sessions and API tokens."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.db import Timestamped
from app.extensions import db


class Role(enum.StrEnum):
    """Roles a person holds in a tenant or one of its organizations."""

    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    ORG_ADMIN = "org_admin"
    ORG_COORDINATOR = "org_coordinator"
    ORG_BOOKKEEPER = "org_bookkeeper"
    BUREAU_OFFICER = "bureau_officer"
    AUDITOR = "auditor"
    OVERSEER = "overseer"

    @property
    def is_org_role(self) -> bool:
        return self in ORG_ROLES


ORG_ROLES = frozenset({Role.ORG_ADMIN, Role.ORG_COORDINATOR, Role.ORG_BOOKKEEPER})


class User(UserMixin, Timestamped, db.Model):
    """A person. Logs in with a mobile number or an email address."""

    # Everyone signs in with a mobile number or an email address, except a resident who is
    # not online and whom staff registered and act for (代办): they do not sign in at all.
    __table_args__ = (CheckConstraint("phone IS NOT NULL OR email IS NOT NULL OR offline",
                                      name="login_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(10))
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    #: 长辈版: larger text and touch targets, simpler pages (chosen in the header).
    large_text: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Not online (代办): registered by staff, never signs in; reached by text message at the
    #: contact number their resident record holds, if any.
    offline: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Wants messages by text message too (短信), at the account's mobile number.
    sms: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: When the person closed the account: personal data erased or masked (app.personal).
    closed_at: Mapped[datetime | None]
    #: When every session and API token of the account was last ended at once (the bureau's
    #: "sign out on every device", for a lost phone or a person who left): the audit log
    #: records who did it.
    signed_out_at: Mapped[datetime | None]

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)  # scrypt

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:
        return self.active

    def roles_in(self, tenant_id: int, org_id: int | None = None) -> set[Role]:
        return {Role(g.role) for g in self.grants
                if g.tenant_id == tenant_id and (org_id is None or g.org_id == org_id)}

    def has_role(self, tenant_id: int, *roles: Role, org_id: int | None = None) -> bool:
        return any(g.tenant_id == tenant_id and g.role in roles
                   and (org_id is None or g.org_id == org_id) for g in self.grants)

    def org_ids(self, tenant_id: int, *roles: Role) -> set[int]:
        wanted = roles or tuple(ORG_ROLES)
        return {g.org_id for g in self.grants
                if g.tenant_id == tenant_id and g.org_id is not None and g.role in wanted}

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class RoleGrant(Timestamped, db.Model):
    """``user`` holds ``role`` in ``tenant`` (and, for org roles, in ``org``)."""

    __table_args__ = (
        Index("ix_role_grant_lookup", "user_id", "tenant_id", "org_id", "role"),
        # A role is held once: in the tenant, or in one organization.
        Index("uq_role_grant_tenant_role", "user_id", "tenant_id", "role", unique=True,
              sqlite_where=text("org_id IS NULL"), postgresql_where=text("org_id IS NULL")),
        Index("uq_role_grant_org_role", "user_id", "org_id", "role", unique=True,
              sqlite_where=text("org_id IS NOT NULL"), postgresql_where=text("org_id IS NOT NULL")),
        CheckConstraint(
            "(role IN ('org_admin','org_coordinator','org_bookkeeper')) = (org_id IS NOT NULL)",
            name="org_role_has_org",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(30))

    user: Mapped[User] = relationship(back_populates="grants")


def secret_hash(secret: str) -> str:
    """What is stored of a session key or an API token: its SHA-256, never the secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


class LoginSession(Timestamped, db.Model):
    """A signed-in browser (登录会话). The cookie holds a random key; the server keeps its hash,
    so signing out, a password change or "sign out everywhere" ends the session for every
    copy of the cookie."""

    __audit__ = False  # sign-ins come and go; the account's own row records the last one

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    #: The browser's own description of itself, shortened, to tell the devices apart.
    device: Mapped[str] = mapped_column(String(60), default="")

    user: Mapped[User] = relationship()

    def is_live(self, now: datetime, idle: timedelta, lifetime: timedelta) -> bool:
        """Not ended, used within ``idle`` and started within ``lifetime``."""
        return (self.ended_at is None and now - self.last_seen_at < idle
                and now - self.created_at < lifetime)


class ApiToken(Timestamped, db.Model):
    """A bearer token for integrations: acts as its owner on ``/api/v1`` until it expires or
    is revoked. Only its SHA-256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    hash = staticmethod(secret_hash)

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class AccountClaim(Timestamped, db.Model):
    """A one-time code sent by text message to a person whose account was imported without a
    password (领取账号): with it they set their password. Only the code's keyed hash is kept;
    it expires, is used once, and dies after a few wrong tries."""

    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    #: Wrong codes tried against this one.
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")

    def is_open(self, now: datetime, max_attempts: int) -> bool:
        return self.used_at is None and now < self.expires_at and self.attempts < max_attempts
