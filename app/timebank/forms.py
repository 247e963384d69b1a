"""Forms: give time credits to someone by their mobile number (from one's own account, or
from the community pool)."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from app.fields import DecimalField


class GiveForm(FlaskForm):
    phone = StringField(_l("Their mobile number"), validators=[DataRequired(), Length(max=20)],
                        render_kw={"inputmode": "tel", "autocomplete": "off"},
                        description=_l("The mobile number they signed up with."))
    hours = DecimalField(_l("Hours to give"), places=2, validators=[
        InputRequired(), NumberRange(min=Decimal("0.25"), max=Decimal(1000))],
        render_kw={"inputmode": "decimal", "step": "0.25", "min": "0.25"},
        description=_l("Whole quarters of an hour: 0.25, 0.5, 1, 1.5 …"))

    def validate_hours(self, field) -> None:
        # Out of range (already said by NumberRange) or not a number: nothing more to check.
        if field.errors or field.data is None or not field.data.is_finite():
            return
        if (field.data * 4) % 1:
            raise ValidationError(_l("Give whole quarters of an hour, for example 1 or 1.5."))

    @property
    def minutes(self) -> int:
        return int(self.hours.data * 60)


class PoolGiveForm(GiveForm):
    """The bureau gives hours from the community pool (从互助池发放) to a resident."""

    hours = DecimalField(_l("Hours from the pool"), places=2, validators=[
        InputRequired(), NumberRange(min=Decimal("0.25"), max=Decimal(1000))],
        render_kw={"inputmode": "decimal", "step": "0.25", "min": "0.25"},
        description=_l("Whole quarters of an hour: 0.25, 0.5, 1, 1.5 …"))
