"""Money is an integer number of fen in SQL and ``Decimal`` yuan at the edges; never float.

Amounts and percentages that people or programs send are parsed here, in one place: plain
decimals only (``"1,200.50"``, ``"¥300"``, full-width digits as a Chinese input method types
them), at most two decimals, at most ¥10,000,000,000.00. No exponent, NaN or Infinity; a text
longer than 100 characters is refused before it is read, and digits beyond the bound before
any arithmetic. Each refusal is a ``MoneyError`` with a message for the person who sent it.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

FEN = Decimal("0.01")
#: Ten billion yuan: more than any fund, call, contract or expenditure of a district.
MAX_YUAN = Decimal(10**10)
MAX_FEN = 10**12
#: Longer than any amount a person writes: refused before it is even normalized.
MAX_LENGTH = 100
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)


class MoneyError(ValueError):
    """An amount or percentage refused, with a message for the person who sent it."""


def _normalized(text: object, not_a_number) -> str:
    raw = text if isinstance(text, str) else str(text if text is not None else "")
    if len(raw) > MAX_LENGTH:
        raise MoneyError(not_a_number)
    return unicodedata.normalize("NFKC", raw).strip()


def plain_decimal(text: object, not_a_number, too_many_decimals, whole_digits: int) -> Decimal:
    """A plain decimal (``"8.5"``) of at most two decimals, for any quantity typed as one;
    no exponent, NaN or Infinity. One with more than ``whole_digits`` digits before the point
    is read as ±10**whole_digits, beyond the caller's bound, without arithmetic on its digits."""
    raw = _normalized(text, not_a_number)
    if not _NUMBER.fullmatch(raw):
        raise MoneyError(not_a_number)
    sign = "-" if raw.startswith("-") else ""
    whole, _, fraction = raw.lstrip("+-").partition(".")
    fraction = fraction.rstrip("0")
    if len(fraction) > 2:
        raise MoneyError(too_many_decimals)
    whole = whole.lstrip("0")
    if len(whole) > whole_digits:
        return Decimal(f"{sign}1E{whole_digits}")
    return Decimal(f"{sign}{whole or 0}.{fraction or 0}").quantize(FEN)


def parse_yuan(text: object, *, allow_zero: bool = False) -> Decimal:
    """``"1,200.5"`` → ``Decimal("1200.50")``: more than zero (or zero, with ``allow_zero``)
    and at most ``MAX_YUAN``."""
    not_a_number = _l("Enter the amount in yuan, for example 1200.50.")
    raw = _normalized(text, not_a_number).removeprefix("¥").strip().replace(",", "")
    value = plain_decimal(raw, not_a_number, _l("Amounts are in yuan with at most two decimals (fen)."),
                     len(str(MAX_YUAN)))
    if value > MAX_YUAN:
        raise MoneyError(_l("The amount can be at most %(max)s.", max=format_fen(MAX_FEN)))
    if value < 0 and allow_zero:
        raise MoneyError(_l("The amount cannot be negative."))
    if value <= 0 and not allow_zero:
        raise MoneyError(_l("The amount must be greater than zero."))
    return value


def parse_fen(text: object, *, allow_zero: bool = False) -> int:
    """Yuan as typed → fen, by the rules of ``parse_yuan``."""
    return to_fen(parse_yuan(text, allow_zero=allow_zero))


def parse_percent(text: object) -> int:
    """``"33.33"`` or ``"33.33%"`` → 3333 basis points: above 0, at most 100, two decimals."""
    not_a_number = _l("Enter the percentage as a number, for example 40.")
    raw = _normalized(text, not_a_number).removesuffix("%").strip()
    value = plain_decimal(raw, not_a_number, _l("Percentages have at most two decimals."), 3)
    if not 0 < value <= 100:
        raise MoneyError(_l("A percentage must be above 0 and at most 100."))
    return int(value * 100)


def to_fen(yuan: Decimal) -> int:
    return int((yuan * 100).to_integral_value(rounding=ROUND_HALF_UP))


def to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(FEN)


def format_fen(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}¥{to_yuan(abs(fen)):,.2f}"
