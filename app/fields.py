"""Input fields for dates, times and money, on the API (marshmallow) and on the pages
(WTForms), each backed by the one parser (``app.parsing``, ``app.money``). A refusal
becomes the field's error: a 422 with ``errors`` on the API, a form error on a page."""

from __future__ import annotations

import marshmallow as ma
import wtforms
from flask_babel import lazy_gettext as _l

from app import parsing
from app.money import MoneyError, parse_fen, parse_percent, plain_decimal
from app.parsing import DateInputError


def _field_error(exc: ValueError) -> ma.ValidationError:
    return ma.ValidationError(str(exc))


def _number_text(value) -> str:
    """A JSON number as the digits it was written with (``300.5``); anything else refused.
    Python reads ``1e400`` as infinity and ``1e308`` as itself: the parser refuses both."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    raise ma.ValidationError(str(_l("Send the amount as a string of yuan, for example "
                                    "\"1200.50\".")))


# --- API -------------------------------------------------------------------------------------

class Date(ma.fields.Date):
    """``2026-03-31``, between 1900-01-01 and 2100-12-31."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parsing.parse_date(value)
        except DateInputError as exc:
            raise _field_error(exc) from None


class AwareDateTime(ma.fields.AwareDateTime):
    """ISO 8601 with an offset within ±14:00, or without one in Beijing time."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_timezone", parsing.SHANGHAI)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parsing.parse_datetime(value, self.default_timezone)
        except DateInputError as exc:
            raise _field_error(exc) from None


class Yuan(ma.fields.String):
    """Yuan as a decimal string (``"1200.50"``), loaded as fen; an optional one may be empty."""

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("metadata", {"description": "yuan, decimal string, at most two "
                                                      "decimals", "example": "1200.50"})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if value == "" and not self.required:
            return None
        try:
            return parse_fen(_number_text(value), allow_zero=self.allow_zero)
        except MoneyError as exc:
            raise _field_error(exc) from None


class Percent(ma.fields.String):
    """A percentage as a decimal string (``"33.33"``), loaded as basis points."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_percent(_number_text(value))
        except MoneyError as exc:
            raise _field_error(exc) from None


# --- pages -----------------------------------------------------------------------------------

class _Parsed:
    """A WTForms field whose text goes through ``parse``. Empty is no value (``Optional`` or
    ``DataRequired`` decides); a refusal is the field's one error, kept ahead of the
    validators (``DataRequired`` would replace it with "This field is required")."""

    parse = staticmethod(parsing.parse_date)
    refusal: str | None = None

    def process_formdata(self, valuelist):
        text = valuelist[0] if valuelist else ""
        self.data, self.refusal = None, None
        if text.strip():
            try:
                self.data = self.parse(text)
            except (DateInputError, MoneyError) as exc:
                self.refusal = str(exc)

    def pre_validate(self, form):
        if self.refusal:
            raise wtforms.validators.StopValidation(self.refusal)


class DateField(_Parsed, wtforms.DateField):
    pass


class TimeField(_Parsed, wtforms.TimeField):
    parse = staticmethod(parsing.parse_time)


class DateTimeLocalField(_Parsed, wtforms.DateTimeLocalField):
    """Naive Beijing time, as a browser's datetime-local input sends it."""

    parse = staticmethod(parsing.local_datetime)


def _quantity(text: str):
    return plain_decimal(text, _l("Enter a number, for example 1.5."),
                         _l("Enter a number with at most two decimals."), 6)


class DecimalField(_Parsed, wtforms.DecimalField):
    """A quantity typed as a plain decimal (hours…): no exponent, NaN or Infinity."""

    parse = staticmethod(_quantity)
