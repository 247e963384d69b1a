"""Typed money events: what the app asks the ledger to record.

An event is a frozen, validated value. The app stores it in its outbox as JSON
(``to_payload``) in the same database transaction as the business change, and
the ledger worker rebuilds it (``event_from_payload``) to post it. Money is
``Decimal`` yuan to the fen (at most two decimals, never float); points are
whole numbers in their own commodity; time credits are ``Decimal`` hours in whole
quarters, in theirs. The fiscal year is the year of ``date``.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from ledger import accounts
from ledger.layout import check_tenant
from ledger.money import (  # noqa: F401 - re-exported for callers of events
    check_amount,
    check_hours,
    check_points,
    fen_from_yuan,
    yuan_from_fen,
)

_TXN_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}")
SYSTEM_PREFIX = "ledger:"


def _text(value: Any, what: str, *, limit: int, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValueError(f"{what} must be a non-empty string, got {value!r}")
    if len(value) > limit:
        raise ValueError(f"{what} is longer than {limit} characters")
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError(f"{what} must not contain control characters")
    return value


def _id(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"{what} must be a positive integer id, got {value!r}")
    return value


@dataclass(frozen=True, kw_only=True)
class MoneyEvent:
    """Fields every event has. Subclasses add the ids and amounts they need."""

    kind: ClassVar[str] = ""
    required_ids: ClassVar[tuple[str, ...]] = ()
    optional_ids: ClassVar[tuple[str, ...]] = ()

    txn_id: str
    tenant: str
    date: datetime.date
    narration: str
    source: str
    approver: str
    payee: str | None = None
    fund_id: int | None = None
    org_id: int | None = None
    contract_id: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.txn_id, str) or not _TXN_ID_RE.fullmatch(self.txn_id):
            raise ValueError(f"txn_id must match {_TXN_ID_RE.pattern}, got {self.txn_id!r}")
        if self.txn_id.startswith(SYSTEM_PREFIX):
            raise ValueError(f"txn_id prefix {SYSTEM_PREFIX!r} is reserved for the ledger")
        check_tenant(self.tenant)
        if type(self.date) is not datetime.date:
            raise TypeError(f"date must be a datetime.date, got {self.date!r}")
        accounts.fy(self.date.year)
        _text(self.narration, "narration", limit=500)
        _text(self.payee, "payee", limit=200, required=False)
        _text(self.source, "source", limit=200)
        _text(self.approver, "approver", limit=200)
        for name in ("fund_id", "org_id", "contract_id"):
            value = getattr(self, name)
            if name in self.required_ids or (value is not None and name in self.optional_ids):
                _id(value, name)
            elif value is not None:
                raise ValueError(f"{name} does not apply to {self.kind} events")

    def to_payload(self) -> dict[str, Any]:
        """A JSON-serializable dict (amounts as strings) for the outbox row."""
        out: dict[str, Any] = {"kind": self.kind}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, MoneyEvent):
                value = value.to_payload()
            out[f.name] = value
        return out


def _set(event: MoneyEvent, name: str, value: Any) -> None:
    object.__setattr__(event, name, value)


@dataclass(frozen=True, kw_only=True)
class Appropriation(MoneyEvent):
    """The bureau appropriates money to a fund for the fiscal year (预算拨款)."""

    kind: ClassVar[str] = "appropriation"
    required_ids: ClassVar[tuple[str, ...]] = ("fund_id",)
    fund_id: int
    amount: Decimal

    def __post_init__(self) -> None:
        super().__post_init__()
        _set(self, "amount", check_amount(self.amount))


@dataclass(frozen=True, kw_only=True)
class _ContractMoney(MoneyEvent):
    """An amount moving between a fund and one contract of one organization."""

    required_ids: ClassVar[tuple[str, ...]] = ("fund_id", "org_id", "contract_id")
    fund_id: int
    org_id: int
    contract_id: int
    amount: Decimal

    def __post_init__(self) -> None:
        super().__post_init__()
        _set(self, "amount", check_amount(self.amount))


@dataclass(frozen=True, kw_only=True)
class Commitment(_ContractMoney):
    """A signed contract commits part of a fund (合同签订)."""

    kind: ClassVar[str] = "commitment"


@dataclass(frozen=True, kw_only=True)
class CommitmentRelease(_ContractMoney):
    """A contract closes below its price; the rest goes back to the fund (释放)."""

    kind: ClassVar[str] = "commitment-release"


@dataclass(frozen=True, kw_only=True)
class Disbursement(_ContractMoney):
    """A tranche is paid to the organization (拨付)."""

    kind: ClassVar[str] = "disbursement"
    tranche_id: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.tranche_id is not None:
            _id(self.tranche_id, "tranche_id")


@dataclass(frozen=True, kw_only=True)
class Expenditure(MoneyEvent):
    """The organization spends contract money on a budget line (支出)."""

    kind: ClassVar[str] = "expenditure"
    required_ids: ClassVar[tuple[str, ...]] = ("org_id", "contract_id")
    org_id: int
    contract_id: int
    line: str
    amount: Decimal

    def __post_init__(self) -> None:
        super().__post_init__()
        accounts.check_line(self.line)
        _set(self, "amount", check_amount(self.amount))


@dataclass(frozen=True, kw_only=True)
class IncentiveAccrual(MoneyEvent):
    """Verified hours earn volunteers points, owed by the organization (积分发放)."""

    kind: ClassVar[str] = "incentive-accrual"
    required_ids: ClassVar[tuple[str, ...]] = ("org_id",)
    optional_ids: ClassVar[tuple[str, ...]] = ("contract_id",)
    org_id: int
    points: int

    def __post_init__(self) -> None:
        super().__post_init__()
        check_points(self.points)


@dataclass(frozen=True, kw_only=True)
class RedemptionSettlement(MoneyEvent):
    """Points redeemed at a merchant; the org pays the merchant in CNY (积分兑换结算)."""

    kind: ClassVar[str] = "redemption-settlement"
    required_ids: ClassVar[tuple[str, ...]] = ("org_id", "contract_id")
    org_id: int
    contract_id: int
    points: int
    amount: Decimal
    line: str = "Incentives"

    def __post_init__(self) -> None:
        super().__post_init__()
        check_points(self.points)
        accounts.check_line(self.line)
        _set(self, "amount", check_amount(self.amount))


@dataclass(frozen=True, kw_only=True)
class TimeDeposit(MoneyEvent):
    """Verified hours deposited in the time bank (时间银行存入) through an organization.

    ``hours`` go to the person; ``donated`` hours (above the district's cap on a person's
    balance) go to the community pool instead (捐赠), in the same transaction.
    """

    kind: ClassVar[str] = "time-deposit"
    required_ids: ClassVar[tuple[str, ...]] = ("org_id",)
    org_id: int
    person: int
    hours: Decimal
    donated: Decimal = Decimal("0.00")

    def __post_init__(self) -> None:
        super().__post_init__()
        _id(self.person, "person")
        _set(self, "hours", check_hours(self.hours, allow_zero=True))
        _set(self, "donated", check_hours(self.donated, "donated", allow_zero=True))
        if not (self.hours or self.donated):
            raise ValueError("a deposit must credit some hours")


@dataclass(frozen=True, kw_only=True)
class TimeTransfer(MoneyEvent):
    """Time credits given by one person to another (a relative, a friend), or between a
    person and the community pool (``None``) (时间转赠)."""

    kind: ClassVar[str] = "time-transfer"
    giver: int | None = None
    receiver: int | None = None
    hours: Decimal

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("giver", "receiver"):
            if getattr(self, name) is not None:
                _id(getattr(self, name), name)
        if self.giver == self.receiver:
            raise ValueError("a transfer needs two different holders")
        _set(self, "hours", check_hours(self.hours))


@dataclass(frozen=True, kw_only=True)
class TimePayment(MoneyEvent):
    """Time credits paid for a service an organization gives (时间兑换); ``person`` pays."""

    kind: ClassVar[str] = "time-payment"
    required_ids: ClassVar[tuple[str, ...]] = ("org_id",)
    org_id: int
    person: int
    hours: Decimal

    def __post_init__(self) -> None:
        super().__post_init__()
        _id(self.person, "person")
        _set(self, "hours", check_hours(self.hours))


@dataclass(frozen=True, kw_only=True)
class Refund(_ContractMoney):
    """Unspent contract money is returned to the fund at close (结余退回)."""

    kind: ClassVar[str] = "refund"


@dataclass(frozen=True, kw_only=True)
class Reversal(MoneyEvent):
    """Cancels an earlier event by posting its negation (冲销); nothing is edited.

    ``original`` is the event being reversed (as stored in the outbox); the
    fund, org and contract ids are taken from it. The postings are the
    original's, negated, in the accounts of the fiscal year the reversal is
    posted in (balances are carried forward, so this is right across years).
    That the original was posted, and is reversed only once, is the outbox's
    rule: the ledger records what it is given.
    """

    kind: ClassVar[str] = "reversal"
    optional_ids: ClassVar[tuple[str, ...]] = ("fund_id", "org_id", "contract_id")
    original: MoneyEvent
    reason: str

    def __post_init__(self) -> None:
        if not isinstance(self.original, MoneyEvent):
            raise TypeError("original must be the MoneyEvent being reversed")
        if self.original.tenant != self.tenant:
            raise ValueError("a reversal must belong to the tenant of the original")
        if self.original.txn_id == self.txn_id:
            raise ValueError("a reversal needs its own txn_id")
        for name in ("fund_id", "org_id", "contract_id"):
            mine, theirs = getattr(self, name), getattr(self.original, name)
            if mine is not None and mine != theirs:
                raise ValueError(f"{name} must match the original ({theirs!r})")
            _set(self, name, theirs)
        super().__post_init__()
        _text(self.reason, "reason", limit=500)


EVENT_TYPES: dict[str, type[MoneyEvent]] = {
    cls.kind: cls
    for cls in (
        Appropriation,
        Commitment,
        CommitmentRelease,
        Disbursement,
        Expenditure,
        IncentiveAccrual,
        RedemptionSettlement,
        Refund,
        Reversal,
        TimeDeposit,
        TimeTransfer,
        TimePayment,
    )
}


def event_from_payload(payload: dict[str, Any]) -> MoneyEvent:
    """Rebuild an event from ``to_payload()`` output, validating it again."""
    if not isinstance(payload, dict):
        raise TypeError("payload must be a dict")
    data = dict(payload)
    cls = EVENT_TYPES.get(data.pop("kind", None))
    if cls is None:
        raise ValueError(f"unknown event kind: {payload.get('kind')!r}")
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValueError(f"unknown fields for {cls.kind}: {', '.join(unknown)}")
    if isinstance(data.get("date"), str):
        data["date"] = datetime.date.fromisoformat(data["date"])
    for name in ("hours", "donated"):
        if name in data:
            if not isinstance(data[name], str):
                raise TypeError(f"{name} must be a decimal string in the payload")
            try:
                data[name] = Decimal(data[name])
            except InvalidOperation:
                raise ValueError(f"{name} is not a number: {data[name]!r}") from None
    if "amount" in data:
        if not isinstance(data["amount"], str):
            raise TypeError("amount must be a decimal string in the payload")
        try:
            data["amount"] = Decimal(data["amount"])
        except InvalidOperation:
            raise ValueError(f"amount is not a number: {data['amount']!r}") from None
    if "original" in data:
        data["original"] = event_from_payload(data["original"])
    return cls(**data)
