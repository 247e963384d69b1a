"""The funding rules, shared helpers. One module per stage of the flow:

- ``funds``: appropriate a fund, publish a call, apply with a budget;
- ``awards``: propose an award under public notice, objections and answers;
- ``contracts``: draft, sign (commit), request and approve tranches (disburse);
- ``spending``: expenditures with receipts, approval tiers, the overseers' window;
- ``incentives``: merchants, point balances, redemptions and their settlement;
- ``closing``: close a contract (release, refund) and corrections (reversals).

Services take loaded objects and the acting user, check the rule, change rows, emit the
ledger event through ``app.books.outbox.emit`` in the same transaction, and ``flush()``; the
caller commits. Refusals raise ``FundingError`` with a message for the user, before anything
is written.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import money
from app.extensions import db
from app.parsing import local_today

M = TypeVar("M")
SHANGHAI = ZoneInfo("Asia/Shanghai")

#: The ledger's ASCII codes for the standard budget lines; other lines become ``L<id>``.
LINE_CODES = {"交通": "Transport", "物资": "Materials", "印刷": "Printing", "保险": "Insurance",
              "激励": "Incentives", "人员": "Personnel", "其他": "Other"}
#: The line volunteer point redemptions are paid from.
INCENTIVE_LINE = "激励"


class FundingError(ValueError):
    """A refusal the user can read (a lazily translated message)."""


def parse_amount(text: Any) -> int:
    """Yuan as typed (``"1,200.50"``) → fen, by the one money parser (more than zero, at most
    two decimals, at most ¥10,000,000,000.00); a refusal is a ``FundingError``."""
    try:
        return money.parse_fen(text)
    except money.MoneyError as exc:
        raise FundingError(*exc.args) from None


def parse_percent(text: Any) -> int:
    """``"33.33"`` (percent) → 3333 basis points, by the one parser; above 0, at most 100."""
    try:
        return money.parse_percent(text)
    except money.MoneyError as exc:
        raise FundingError(*exc.args) from None


def today() -> date:
    """Today in the district's time zone: the date money events carry."""
    return local_today()


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` in Asia/Shanghai (deadlines are inclusive)."""
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=SHANGHAI)


def oneline(text: str, limit: int) -> str:
    """Free text squeezed to one line for ledger narration and payees (no control characters)."""
    flat = " ".join(str(text).split())
    return flat[:limit] or "-"


def required(text: str | None, message, limit: int | None = None) -> str:
    value = (text or "").strip()
    if not value:
        raise FundingError(message)
    if limit is not None and len(value) > limit:
        raise FundingError(_l("The text is too long (at most %(n)d characters).", n=limit))
    return value


def who(user) -> str:
    """How the ledger names the person who approved a movement."""
    return f"user:{user.id}"


def locked(model: type[M], ident: int) -> M:
    """Load ``model`` ``ident`` fresh from the database with a row lock (``FOR UPDATE``)."""
    stmt = (select(model).where(model.id == ident).with_for_update()
            .execution_options(populate_existing=True))
    row = db.session.scalar(stmt)
    if row is None:
        raise FundingError(_l("This item no longer exists."))
    return row


def yuan(fen: int) -> Decimal:
    from ledger.events import yuan_from_fen

    return yuan_from_fen(fen)


def line_code(name: str, line_id: int) -> str:
    from ledger.accounts import line_code as numbered

    return LINE_CODES.get(name) or numbered(line_id)


def tell(tenant_id: int, role, title, *, org_id: int | None = None, exclude: int | None = None,
         endpoint: str | None = None, kind: str | None = None, subject_id: int | None = None,
         **values) -> None:
    """An inbox message to everyone holding ``role`` (in ``org_id``), but not ``exclude``,
    linking to ``endpoint``; ``kind`` and ``subject_id`` say what it asks for (the inbox
    then says when someone has done it)."""
    from app.auth.models import RoleGrant, User
    from app.navigation import path_for
    from app.notifications.services import notify
    from app.tenancy.models import Tenant

    link = None
    if endpoint:
        link = path_for(endpoint, tenant=db.session.get(Tenant, tenant_id).slug, **values)
    stmt = select(User).join(RoleGrant).where(
        RoleGrant.tenant_id == tenant_id, RoleGrant.role == str(role)).distinct()
    if org_id is not None:
        stmt = stmt.where(RoleGrant.org_id == org_id)
    for user in db.session.scalars(stmt):
        if user.id != exclude:
            notify(user, title, link=link, tenant_id=tenant_id, email=False, kind=kind,
                   subject_id=subject_id)
