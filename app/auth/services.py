"""Registration, authentication, role grants and API tokens. No request objects here."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import joinedload

from app.auth import sessions
from app.auth.models import ORG_ROLES, ApiToken, LoginSession, Role, RoleGrant, User
from app.db import utcnow
from app.db_unique import claim
from app.extensions import db

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
TOUCH_INTERVAL = timedelta(minutes=1)
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
    user = User(phone=phone, email=email, name=name, password_hash="")
    user.set_password(password)
    taken = AuthError(_l("An account with this mobile number or email already exists. Please sign in."))
    with claim(dict.fromkeys(("uq_user_phone", "uq_user_email"), taken)):
        db.session.add(user)
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


def check_current_password(user: User, password: str) -> None:
    """Asked again before what a borrowed session alone must not do (a new password, a
    token that would outlive the session)."""
    if not user.check_password(password or ""):
        raise AuthError(_l("The current password is wrong."))


def change_password(user: User, old: str, new: str) -> None:
    """Set a new password; every session of the account ends and every API token is
    revoked, since whoever knew the old password may hold one."""
    check_current_password(user, old)
    check_password_strength(new)
    user.set_password(new)
    sessions.end_all(user)
    revoke_tokens(user)


class _Held(Exception):
    """The role was granted meanwhile, by a concurrent request."""


def grant_role(user: User, tenant_id: int, role: Role, org_id: int | None = None) -> RoleGrant:
    """Give ``user`` a role; granting one already held (even a moment ago, by a concurrent
    request) returns the existing grant."""
    role = Role(role)
    if role.is_org_role != (org_id is not None):
        raise ValueError("org roles need an organization; tenant roles must not have one")
    held = _held(user, tenant_id, role, org_id)
    if held is not None:
        return held
    try:
        with claim(dict.fromkeys(("uq_role_grant_tenant_role", "uq_role_grant_org_role"), _Held())):
            grant = RoleGrant(user=user, tenant_id=tenant_id, org_id=org_id, role=role.value)
            db.session.add(grant)
    except _Held:
        db.session.expire(user, ["grants"])
        return _held(user, tenant_id, role, org_id)
    return grant


def _held(user: User, tenant_id: int, role: Role, org_id: int | None) -> RoleGrant | None:
    return next((g for g in user.grants if g.tenant_id == tenant_id and g.org_id == org_id
                 and g.role == role), None)


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


#: How long a new API token may live, in days (the account page offers these).
TOKEN_DAYS = (7, 30, 90, 180, 365)
DEFAULT_TOKEN_DAYS = 90


def issue_api_token(user: User, name: str, days: int = DEFAULT_TOKEN_DAYS) -> str:
    """Create a token valid for ``days`` and return it once; only its hash is kept."""
    if not 1 <= days <= max(TOKEN_DAYS):
        raise AuthError(_l("A token can be valid for at most %(days)s days.", days=max(TOKEN_DAYS)))
    token = "gz_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, name=name, token_hash=ApiToken.hash(token),
                            expires_at=utcnow() + timedelta(days=days)))
    db.session.flush()
    return token


#: Roles whose work another system may do through the API (a statistics system, an
#: organization's own records): residents and volunteers use the pages and hold no tokens.
API_ROLES = frozenset({Role.BUREAU_OFFICER, Role.AUDITOR, Role.OVERSEER} | ORG_ROLES)


def may_hold_tokens(user: User) -> bool:
    return user.is_platform_admin or any(Role(g.role) in API_ROLES for g in user.grants)


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens not revoked (expired ones too, to be told apart), newest first."""
    return list(db.session.scalars(select(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).order_by(ApiToken.id.desc())))


def own_token(user: User, token_id: int) -> ApiToken | None:
    """The user's own token with this id, if it is not revoked yet; anyone else's is None."""
    return db.session.scalar(select(ApiToken).where(
        ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = utcnow()
    db.session.flush()


def sign_out_everywhere(user: User) -> tuple[int, int]:
    """End every session of the account and revoke every API token it holds (a lost phone, a
    person who left); (sessions ended, tokens revoked). The account's row records when, so
    the audit log shows who did it."""
    ended, revoked = sessions.end_all(user), revoke_tokens(user)
    user.signed_out_at = utcnow()
    db.session.flush()
    return ended, revoked


def people_of(tenant_id: int, query: str = "", limit: int = 50) -> list[User]:
    """The people holding a role in the tenant whose name, mobile number or email contains
    ``query``, by name."""
    holders = select(RoleGrant.user_id).where(RoleGrant.tenant_id == tenant_id)
    stmt = select(User).where(User.id.in_(holders))
    if query:
        stmt = stmt.where(User.name.contains(query, autoescape=True)
                          | User.phone.contains(query, autoescape=True)
                          | User.email.contains(query, autoescape=True))
    return list(db.session.scalars(stmt.order_by(User.name, User.id).limit(limit)))


def holds_role_in(user: User, tenant_id: int) -> bool:
    return any(g.tenant_id == tenant_id for g in user.grants)


def revoke_tokens(user: User) -> int:
    """Revoke every token of the user (a password change, an operator's sign-out); how many."""
    return db.session.execute(update(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    ).rowcount


#: The token, its user and the user's grants in one query: every API call starts here, so
#: it is built once. None of the three belongs to a tenant: the tenant backstop has
#: nothing to add to it.
_TOKEN = (select(ApiToken)
          .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
          .options(joinedload(ApiToken.user).joinedload(User.grants))
          .execution_options(all_tenants=True))


def token_for(secret: str) -> ApiToken | None:
    """The live token with this secret (not expired, its user active), user and grants loaded."""
    row = db.session.scalars(_TOKEN, {"token_hash": ApiToken.hash(secret)}).unique().first()
    return row if row is not None and row.is_live(utcnow()) and row.user.active else None


#: "Last used" of a token and "last seen" of a sign-in session, each written by one
#: statement built once.
_TOUCH = {model: (update(model.__table__).where(model.__table__.c.id == bindparam("row_id"))
                  .values({column: bindparam("now")}), column)
          for model, column in ((ApiToken, "last_used_at"), (LoginSession, "last_seen_at"))}


def touch(row: ApiToken | LoginSession) -> bool:
    """Note in the current transaction that a token or a session was used; True if that
    wrote. To the minute is enough, so a busy client writes its row once a minute."""
    statement, column = _TOUCH[type(row)]
    now, last = utcnow(), getattr(row, column)
    if last is not None and now - last <= TOUCH_INTERVAL:
        return False
    db.session.connection().execute(statement, {"row_id": row.id, "now": now})
    return True


__all__ = ["ORG_ROLES", "AuthError", "authenticate", "grant_role", "register_user"]
