"""Registration, authentication, role grants and API tokens. No request objects here."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import joinedload

from app.auth.models import ORG_ROLES, ApiToken, Role, RoleGrant, User
from app.db import utcnow
from app.extensions import db

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
#: A throwaway hash so unknown accounts take as long to refuse as wrong passwords.
_DUMMY = User(name="", password_hash="scrypt:32768:8:1$x$" + "0" * 128)


class AuthError(ValueError):
    """A refusal the user can read (already translated lazily)."""


def normalize_account(account: str) -> tuple[str | None, str | None]:
    """Split a login identifier into (phone, email); raise AuthError if it is neither."""
    account = (account or "").strip()
    if PHONE_RE.match(account):
        return account, None
    if "@" in account:
        try:
            return None, validate_email(account, check_deliverability=False).normalized.lower()
        except EmailNotValidError as exc:
            raise AuthError(_l("That email address is not valid.")) from exc
    raise AuthError(_l("Enter an 11-digit mainland mobile number or an email address."))


def check_password_strength(password: str) -> None:
    if len(password) < 8 or not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise AuthError(_l("The password needs at least 8 characters, with letters and digits."))


def find_user(account: str) -> User | None:
    try:
        phone, email = normalize_account(account)
    except AuthError:
        return None
    clause = User.phone == phone if phone else User.email == email
    return db.session.scalar(select(User).where(clause))


def register_user(account: str, name: str, password: str) -> User:
    phone, email = normalize_account(account)
    check_password_strength(password)
    name = (name or "").strip()
    if not name:
        raise AuthError(_l("Please enter your name."))
    taken = db.session.scalar(
        select(User.id).where(or_(User.phone == phone, User.email == email) if phone and email
                              else (User.phone == phone if phone else User.email == email))
    )
    if taken:
        raise AuthError(_l("An account with this mobile number or email already exists. Please sign in."))
    user = User(phone=phone, email=email, name=name, password_hash="")
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(account: str, password: str) -> User:
    """The user if ``password`` is right, else AuthError with one message for every failure."""
    user = find_user(account)
    if user is None:
        _DUMMY.check_password(password or "x")
    if user is None or not user.check_password(password or "") or not user.active:
        raise AuthError(_l("Wrong account or password."))
    user.last_login_at = utcnow()
    return user


def change_password(user: User, old: str, new: str) -> None:
    if not user.check_password(old):
        raise AuthError(_l("The current password is wrong."))
    check_password_strength(new)
    user.set_password(new)


def grant_role(user: User, tenant_id: int, role: Role, org_id: int | None = None) -> RoleGrant:
    """Give ``user`` a role; granting one already held returns the existing grant."""
    role = Role(role)
    if role.is_org_role != (org_id is not None):
        raise ValueError("org roles need an organization; tenant roles must not have one")
    for grant in user.grants:
        if grant.tenant_id == tenant_id and grant.org_id == org_id and grant.role == role:
            return grant
    grant = RoleGrant(user=user, tenant_id=tenant_id, org_id=org_id, role=role.value)
    db.session.add(grant)
    db.session.flush()
    return grant


def roles_held(user: User) -> list[tuple[str, str, str | None]]:
    """(role in words, district, organization) for each role the person holds."""
    from app.glossary import term
    from app.orgs.models import Organization
    from app.tenancy.models import Tenant

    tenants = dict(db.session.execute(select(Tenant.id, Tenant.name).where(
        Tenant.id.in_({g.tenant_id for g in user.grants}))).all())
    orgs = dict(db.session.execute(select(Organization.id, Organization.name).where(
        Organization.id.in_({g.org_id for g in user.grants if g.org_id}))
        .execution_options(all_tenants=True)).all())
    return sorted(((term(g.role), tenants.get(g.tenant_id, ""), orgs.get(g.org_id))
                   for g in user.grants), key=lambda row: (row[1], row[2] or "", row[0]))


def revoke_role(user: User, tenant_id: int, role: Role, org_id: int | None = None) -> bool:
    for grant in list(user.grants):
        if grant.tenant_id == tenant_id and grant.org_id == org_id and grant.role == role:
            user.grants.remove(grant)
            db.session.flush()
            return True
    return False


def issue_api_token(user: User, name: str) -> str:
    """Create a token and return it once; only its hash is kept."""
    token = "gz_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name, token_hash=ApiToken.hash(token)))
    db.session.flush()
    return token


#: The token, its user and the user's grants in one query: every API call starts here, so
#: it is built once. None of the three belongs to a tenant: the tenant backstop has
#: nothing to add to it.
_TOKEN = (select(ApiToken)
          .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
          .options(joinedload(ApiToken.user).joinedload(User.grants))
          .execution_options(all_tenants=True))
_TOUCH = (update(ApiToken.__table__).where(ApiToken.__table__.c.id == bindparam("token_id"))
          .values(last_used_at=bindparam("now")))


def token_for(secret: str) -> ApiToken | None:
    """The live token with this secret (its user active), user and grants loaded."""
    row = db.session.scalars(_TOKEN, {"token_hash": ApiToken.hash(secret)}).unique().first()
    return row if row is not None and row.user.active else None


def touch(token: ApiToken) -> bool:
    """Note in the current transaction that the token was used; True if that wrote.
    To the minute is enough, so a busy integration writes its row once a minute."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at <= TOKEN_TOUCH_INTERVAL:
        return False
    db.session.connection().execute(_TOUCH, {"token_id": token.id, "now": now})
    return True


__all__ = ["ORG_ROLES", "AuthError", "authenticate", "grant_role", "register_user"]
