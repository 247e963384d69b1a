"""Reading one cell: text, a mobile number, an ID number or credit code (check digits with
python-stdnum), a date within ``app.parsing``'s bounds, a time, hours, a choice.

A cell comes as openpyxl gives it (text, a number, a date or time) and is refused with a
``CellError`` whose message names what is wrong with it, never its content (ID numbers and
phone numbers must not end up in logs or the audit log).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from app.auth.services import PHONE_RE
from app.inbound import text_problem
from app.parsing import DateInputError, local_today, parse_date, parse_time

_ID = re.compile(r"\d{17}[\dX]")
_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
#: Several choices in one cell: 、 , ， ; ；  or line breaks.
_MANY = re.compile(r"[、,，;；\n]+")
MAX_HOURS = 24


class CellError(ValueError):
    """A cell refused, with a message for the person who filled it in."""


def text(value, limit: int, required: bool = False) -> str:
    if value is None:
        out = ""
    elif isinstance(value, float) and value.is_integer():
        out = str(int(value))
    else:
        out = str(value).strip()
    if required and not out:
        raise CellError(_l("This column must be filled in."))
    if len(out) > limit:
        raise CellError(_l("At most %(n)s characters.", n=limit))
    if problem := text_problem(out):
        raise CellError(problem)
    return out


def _digits(value, what) -> str:
    """A number typed into a cell Excel kept as a number: exact only as an integer."""
    if isinstance(value, float) and not value.is_integer():
        raise CellError(what)
    if isinstance(value, (int, float)) and abs(value) >= 2 ** 53:
        # Excel keeps 15 significant digits: an 18-digit number typed as a number is lost.
        raise CellError(_l("Excel rounded this long number: format the column as text and "
                           "type it again."))
    return unicodedata.normalize("NFKC", text(value, 40)).replace(" ", "").upper()


def phone(value, required: bool = True) -> str:
    out = _digits(value, _l("Enter an 11-digit mainland mobile number."))
    if not out and not required:
        return ""
    if not PHONE_RE.match(out):
        raise CellError(_l("Enter an 11-digit mainland mobile number."))
    return out


def id_number(value) -> str:
    """A 居民身份证号码 as python-stdnum checks it (check digit, date of birth, the place
    code valid in the year of birth), the place codes looked up once per code and year."""
    out = _digits(value, _l("The ID number is not valid (check the digits and the last "
                            "character)."))
    if not out:
        raise CellError(_l("This column must be filled in."))
    if not (_ID.fullmatch(out) and ric.calc_check_digit(out) == out[-1]
            and _place_known(out[:6], out[6:10])):
        raise CellError(_l("The ID number is not valid (check the digits and the last "
                           "character)."))
    try:
        birth = date(int(out[6:10]), int(out[10:12]), int(out[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth > local_today() or birth < date(1900, 1, 1):
        raise CellError(_l("The date of birth in the ID number is not possible."))
    return out


def id_birth_date(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


@lru_cache(maxsize=8192)
def _place_known(place: str, year: str) -> bool:
    try:
        ric.get_birth_place(f"{place}{year}0101000X")
    except ValidationError:
        return False
    return True


def id_gender(number: str) -> str:
    """"M" or "F", from the ID number's 17th digit (odd: male)."""
    return "M" if int(number[16]) % 2 else "F"


def credit_code(value) -> str:
    out = _digits(value, _l("The unified social credit code is not valid."))
    try:
        return uscc.validate(out)
    except ValidationError:
        raise CellError(_l("The unified social credit code is not valid: it has 18 characters "
                           "and the last one is a check character.")) from None


def day(value, required: bool = True) -> date | None:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        value = value.isoformat()
    raw = unicodedata.normalize("NFKC", text(value, 40))
    if not raw:
        if required:
            raise CellError(_l("This column must be filled in."))
        return None
    if match := _DAY.fullmatch(raw):
        year, month, dom = match.groups()
        raw = f"{year}-{int(month):02d}-{int(dom):02d}"
    try:
        return parse_date(raw)
    except DateInputError as exc:
        raise CellError(str(exc)) from None


def clock(value) -> time | None:
    """A time of day: a time cell, a date-time cell, a fraction of a day, or "09:30"."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, (int, float)) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        return time(minutes // 60, minutes % 60)
    raw = unicodedata.normalize("NFKC", text(value, 20)).replace("：", ":")
    try:
        return parse_time(raw).replace(second=0, microsecond=0)
    except DateInputError as exc:
        raise CellError(str(exc)) from None


def hours(value) -> int | None:
    """Hours served (may have decimals) → minutes; empty is None."""
    if value is None or value == "":
        return None
    try:
        amount = float(unicodedata.normalize("NFKC", str(value)).strip())
    except ValueError:
        raise CellError(_l("Write the hours as a number, for example 2.5.")) from None
    if not 0 < amount <= MAX_HOURS:
        raise CellError(_l("The hours must be more than 0 and at most %(n)s.", n=MAX_HOURS))
    return round(amount * 60)


def choice(value, allowed, required: bool = False) -> str:
    out = text(value, 80, required)
    if out and out not in allowed:
        raise CellError(_l("Choose one of the values in the list."))
    return out


def many(value, allowed) -> list[str]:
    out = [part.strip() for part in _MANY.split(text(value, 500)) if part.strip()]
    if unknown := [part for part in out if part not in allowed]:
        raise CellError(_l("Not one of the district's service categories: %(names)s",
                           names="、".join(unknown[:3])))
    return list(dict.fromkeys(out))


def yes(value) -> bool:
    out = text(value, 10)
    if out not in ("是", "否", ""):
        raise CellError(_l("Write 是 or 否."))
    return out == "是"
