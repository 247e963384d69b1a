"""Claiming an imported account (第一次登录 / 领取账号).

Volunteers and residents brought in by a bulk import (``app.imports``) have an account with
no password. The person gives their mobile number and ID number; when both match an imported
record a one-time code goes to that number by text message; with the code they set a
password and are signed in.

Nobody learns from the answers whether a number or an ID number is on record: the first step
answers the same whether or not the pair matched, and a wrong code, an expired one, a used one
and no code at all are one refusal. A code is six digits, stored only as a keyed hash, lives
``CLAIM_MINUTES``, is used once and dies after ``MAX_ATTEMPTS`` wrong tries; at most
``CODES_PER_HOUR`` codes are sent to one account an hour. Services flush; the caller commits;
the audit log records each claim row (its hash hidden) and the account's new password (hidden).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from app.auth.models import AccountClaim, User
from app.auth.services import AuthError, check_password_strength
from app.db import utcnow
from app.db_unique import hold
from app.extensions import db
from app.residents.models import ResidentProfile
from app.volunteers.models import VolunteerProfile

#: The password-less mark the import writes (``app.imports.writes.NO_PASSWORD``).
IMPORTED = "!imported"
CLAIM_MINUTES = 10
MAX_ATTEMPTS = 5
CODES_PER_HOUR = 3
CODE_DIGITS = 6

WRONG_CODE = _l("The code is wrong or no longer valid. Ask for a new code if you need one.")


def mobile(value: str | None) -> str:
    """An 11-digit mainland mobile number, spaces and dashes allowed."""
    number = "".join(ch for ch in (value or "") if ch not in " -")
    if not (len(number) == 11 and number.isascii() and number.isdigit()
            and number.startswith("1")):
        raise AuthError(_l("Enter the 11-digit mobile number you gave when you were registered."))
    return number


def id_number(value: str | None) -> str:
    """A 居民身份证号码 whose check digit is right (python-stdnum); ``x`` read as ``X``."""
    try:
        return ric.validate((value or "").strip().upper())
    except ValidationError:
        raise AuthError(_l("The ID number is not valid: check the 18 characters, the last one "
                           "may be X.")) from None


def _hash(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"claim:{code}".encode(), hashlib.sha256).hexdigest()


def imported_account(phone: str, id_no: str) -> User | None:
    """The password-less imported account with this mobile number whose volunteer or resident
    record holds this ID number (None otherwise)."""
    user = db.session.scalar(select(User).where(User.phone == phone,
                                                User.password_hash == IMPORTED,
                                                User.closed_at.is_(None)))
    if user is None or not user.active:
        return None
    held = db.session.scalar(select(func.count()).select_from(User).where(
        User.id == user.id, or_(
            select(VolunteerProfile.id).where(VolunteerProfile.user_id == user.id,
                                              VolunteerProfile.id_number == id_no).exists(),
            select(ResidentProfile.id).where(ResidentProfile.user_id == user.id,
                                             ResidentProfile.id_number == id_no).exists())))
    return user if held else None


def request_code(phone: str, id_no: str) -> AccountClaim | None:
    """Send a code to ``phone`` if the pair matches an imported account and it has not had
    ``CODES_PER_HOUR`` codes this hour; the new claim, or None (the caller answers the same
    either way). Earlier open codes of the account stop working."""
    from workers.notifications import send_claim_code
    from workers.queue import enqueue_after_commit

    user = imported_account(phone, id_no)
    if user is None:
        return None
    hold(user)
    now = utcnow()
    recent = db.session.scalar(select(func.count(AccountClaim.id)).where(
        AccountClaim.user_id == user.id, AccountClaim.created_at > now - timedelta(hours=1)))
    if recent >= CODES_PER_HOUR:
        return None
    for earlier in db.session.scalars(select(AccountClaim).where(
            AccountClaim.user_id == user.id, AccountClaim.used_at.is_(None),
            AccountClaim.expires_at > now)):
        earlier.expires_at = now
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    claim = AccountClaim(user_id=user.id, code_hash=_hash(code), created_at=now,
                         expires_at=now + timedelta(minutes=CLAIM_MINUTES))
    db.session.add(claim)
    db.session.flush()
    enqueue_after_commit(send_claim_code, claim.id, code, retry=2)
    return claim


def claim(phone: str, code: str, password: str) -> User:
    """Set the password of the imported account at ``phone`` with its open code; the account.
    Raises AuthError with the password rule first (nothing is learnt from it), then with
    ``WRONG_CODE`` for any code that does not open the account; a wrong try counts against
    the code, so the caller commits after that refusal."""
    now = utcnow()
    user = db.session.scalar(select(User).where(User.phone == phone,
                                                User.password_hash == IMPORTED))
    row = None if user is None else db.session.scalar(
        select(AccountClaim).where(AccountClaim.user_id == user.id)
        .order_by(AccountClaim.id.desc()).limit(1))
    check_password_strength(password or "")
    if row is None:
        raise AuthError(WRONG_CODE)
    hold(row)
    if not row.is_open(now, MAX_ATTEMPTS):
        raise AuthError(WRONG_CODE)
    if not hmac.compare_digest(row.code_hash, _hash((code or "").strip())):
        row.attempts += 1
        db.session.flush()
        raise AuthError(WRONG_CODE)
    row.used_at = now
    user.set_password(password)
    db.session.flush()
    return user


def open_claim_text(claim_id: int, code: str) -> tuple[str, str] | None:
    """(number, text) of the message carrying ``code``, while its claim is still open."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    row = db.session.get(AccountClaim, claim_id)
    if row is None or not row.is_open(utcnow(), MAX_ATTEMPTS):
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.phone:
        return None
    with force_locale(user.locale or "zh_CN"):
        return user.phone, _("Your code to claim your account is %(code)s, valid for %(n)d "
                             "minutes. Do not give it to anyone.", code=code, n=CLAIM_MINUTES)
