from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.fields import DateField, DateTimeLocalField, DecimalField

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class HoursForm(FlaskForm):
    """Proposed arrival and departure (Shanghai time), or "did not serve"."""

    starts_at = DateTimeLocalField(_l("Arrived at"), format=LOCAL_FORMAT, validators=[Optional()])
    ends_at = DateTimeLocalField(_l("Left at"), format=LOCAL_FORMAT, validators=[Optional()])
    no_service = BooleanField(_l("Did not serve on this shift (no hours)"))
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class ProposeHoursForm(HoursForm):
    user_id = SelectField(_l("Volunteer"), coerce=int, validators=[InputRequired()])


class DecideForm(FlaskForm):
    reason = TextAreaField(_l("Reason (required when rejecting)"), validators=[Length(max=1000)])


class CertificateForm(FlaskForm):
    date_from = DateField(_l("Date from"), validators=[DataRequired()])
    date_to = DateField(_l("Date to"), validators=[DataRequired()])


class RatingForm(FlaskForm):
    score = RadioField(_l("Your rating"), coerce=int, validators=[InputRequired()],
                       choices=[(n, str(n)) for n in range(1, 6)])  # drawn by _stars.html
    comment = TextAreaField(_l("Comment"), validators=[Length(max=1000)])


class ComplaintForm(FlaskForm):
    volunteer_id = SelectField(_l("About a volunteer (optional)"), coerce=int,
                               validators=[Optional()])
    body = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=2000)])


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer"), validators=[DataRequired(), Length(max=2000)])


class TrainingForm(FlaskForm):
    user_id = SelectField(_l("Volunteer"), coerce=int, validators=[InputRequired()])
    name = StringField(_l("Training name"), validators=[DataRequired(), Length(max=120)])
    content = TextAreaField(_l("Content"), validators=[Length(max=2000)])
    hours = DecimalField(_l("Duration (hours)"), places=2,
                         validators=[InputRequired(), NumberRange(min=0.25, max=200)])
    organizer = StringField(_l("Organizer"), validators=[DataRequired(), Length(max=120)])
    held_on = DateField(_l("Date"), validators=[DataRequired()])


class AwardForm(FlaskForm):
    user_id = SelectField(_l("Volunteer"), coerce=int, validators=[InputRequired()])
    name = StringField(_l("Honour"), validators=[DataRequired(), Length(max=120)])
    awarded_on = DateField(_l("Date"), validators=[DataRequired()])
    grantor = StringField(_l("Granted by"), validators=[DataRequired(), Length(max=120)])
