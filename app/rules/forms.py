"""Forms: propose a new value for a rule; reject a proposed change."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.fields import DateField
from app.rules.models import REASON_MAX


class ProposeForm(FlaskForm):
    rule = SelectField(_l("Rule"), validators=[DataRequired()])
    value = TextAreaField(_l("New value"), validators=[Length(max=2000)])
    effective_from = DateField(_l("Takes effect on"), validators=[DataRequired()],
                               description=_l("Today or a later day."))
    reason = TextAreaField(_l("Why (optional)"), validators=[Optional(), Length(max=REASON_MAX)])


class RejectForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=REASON_MAX)])
