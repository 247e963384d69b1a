"""Accounts (one per person, across tenants), role grants and API tokens."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
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

    __table_args__ = (CheckConstraint("phone IS NOT NULL OR email IS NOT NULL", name="login_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(10))
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    #: When the person closed the account: personal data erased or masked (app.personal).
    closed_at: Mapped[datetime | None]
    #: Bumped on password change: old sessions stop working.
    session_version: Mapped[int] = mapped_column(default=1)

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)  # scrypt
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

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


class ApiToken(Timestamped, db.Model):
    """A bearer token for integrations. Only its SHA-256 is stored."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
