"""Money is an integer number of fen in SQL and ``Decimal`` yuan at the edges; never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")


class MoneyError(ValueError):
    pass


def parse_yuan(text: str | Decimal | int) -> Decimal:
    """``"12.5"`` → ``Decimal("12.50")``; refuses more than two decimals and non-numbers."""
    try:
        value = Decimal(str(text).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise MoneyError("not a number") from exc
    if not value.is_finite():
        raise MoneyError("not a number")
    if value.adjusted() > 20:  # beyond any amount, and beyond what quantize() can hold
        raise MoneyError("too large")
    if value != value.quantize(FEN):
        raise MoneyError("more than two decimals")
    return value.quantize(FEN)


def to_fen(yuan: Decimal) -> int:
    return int((yuan * 100).to_integral_value(rounding=ROUND_HALF_UP))


def to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def format_fen(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{to_yuan(abs(fen)):,.2f}"
