"""Money and points at the edges: Decimal yuan to the fen, integer points, never float.

SQL stores integer fen; the ledger and its events use ``Decimal`` yuan with
exactly two decimals. These helpers convert and validate at that boundary.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000000")  # one trillion yuan: far above any real budget
MAX_POINTS = 10**9
QUARTER = Decimal("0.25")
MAX_HOURS = Decimal(10**7)


def yuan_from_fen(fen: int) -> Decimal:
    """Convert an integer number of fen (as stored in SQL) to Decimal yuan."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"fen must be an integer, got {fen!r}")
    return (Decimal(fen) / 100).quantize(FEN)


def fen_from_yuan(amount: Decimal) -> int:
    """Convert Decimal yuan (to the fen) back to an integer number of fen."""
    return int(check_amount(amount, "amount", allow_negative=True) * 100)


def check_amount(value: Any, what: str = "amount", *, allow_negative: bool = False) -> Decimal:
    """Validate a CNY amount: a finite Decimal in whole fen, positive unless allowed."""
    if isinstance(value, float):
        raise TypeError(f"{what} must be a Decimal, never a float: {value!r}")
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite() or abs(value) >= MAX_AMOUNT:
        raise ValueError(f"{what} is out of range: {value}")
    try:
        fen = value.quantize(FEN)
    except InvalidOperation:  # pragma: no cover - excluded by the range check
        raise ValueError(f"{what} is out of range: {value}") from None
    if fen != value:
        raise ValueError(f"{what} must be whole fen (at most 2 decimals), got {value}")
    if fen == 0 or (fen < 0 and not allow_negative):
        raise ValueError(f"{what} must be positive, got {value}")
    return fen


def check_points(value: Any, what: str = "points") -> int:
    """Validate a number of points: a positive integer."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an integer, got {value!r}")
    if not 0 < value <= MAX_POINTS:
        raise ValueError(f"{what} must be positive, got {value}")
    return value


def check_hours(value: Any, what: str = "hours", *, allow_zero: bool = False) -> Decimal:
    """Validate time credits: a Decimal number of hours in whole quarters, positive (or zero
    when allowed), written with two decimals so the journal and its assertions agree."""
    if isinstance(value, float):
        raise TypeError(f"{what} must be a Decimal, never a float: {value!r}")
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal, got {type(value).__name__}")
    if not value.is_finite() or not -MAX_HOURS < value < MAX_HOURS:
        raise ValueError(f"{what} is out of range: {value}")
    if value % QUARTER:
        raise ValueError(f"{what} must be whole quarters of an hour, got {value}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{what} must be positive, got {value}")
    return value.quantize(FEN)


def hours_from_minutes(minutes: int) -> Decimal:
    """Whole quarter hours in ``minutes`` (rounded down) as Decimal hours."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TypeError(f"minutes must be an integer, got {minutes!r}")
    return (Decimal(minutes - minutes % 15) / 60).quantize(FEN)
