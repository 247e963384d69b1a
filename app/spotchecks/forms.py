"""Forms: draw a sample, record what the evidence showed, re-draw with a reason."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.fields import DateField
from app.spotchecks.models import Outcome
from app.spotchecks.services import MAX_SAMPLE


class DrawForm(FlaskForm):
    kind = SelectField(_l("Sample from"), validators=[DataRequired()])
    org_id = SelectField(_l("Organization"), coerce=int, validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    size = IntegerField(_l("Sample size"), default=20,
                        validators=[DataRequired(), NumberRange(1, MAX_SAMPLE)])
    seed = StringField(_l("Seed (optional)"), validators=[Optional(), Length(max=18)],
                       description=_l("Leave empty for a random seed; it is recorded either way."))


class OutcomeForm(FlaskForm):
    outcome = RadioField(_l("What the evidence showed"), choices=[
        (Outcome.MATCHES.value, _l("Matches the record")),
        (Outcome.DISCREPANCY.value, _l("Does not match")),
        (Outcome.NO_EVIDENCE.value, _l("No evidence produced")),
    ], validators=[DataRequired(message=_l("Choose what the evidence showed."))])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class RedrawForm(FlaskForm):
    reason = TextAreaField(_l("Why a new draw is needed"), validators=[Length(max=2000)])


class CompleteForm(FlaskForm):
    """Just the CSRF token."""
