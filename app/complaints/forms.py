"""Forms: file a complaint, name its handler, answer it, and the resident's reason for
asking that it be handled again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.complaints.labels import KIND
from app.complaints.models import BODY_MAX, NAME_MAX, REASON_MAX


class ComplaintForm(FlaskForm):
    kind = RadioField(_l("What is it about?"), default="organization",
                      choices=[(k, v) for k, v in KIND.items()], validators=[InputRequired()])
    booking_id = SelectField(_l("Which service"), coerce=int, default=0, validators=[Optional()])
    org_id = SelectField(_l("Which organization"), coerce=int, default=0,
                         validators=[Optional()],
                         description=_l("For a volunteer: the organization they serve with, "
                                        "if you know it. Otherwise the bureau handles it."))
    volunteer_name = StringField(_l("Which volunteer (a name, or how you know them)"),
                                 validators=[Optional(), Length(max=NAME_MAX)])
    area_id = SelectField(_l("Where (optional)"), coerce=int, default=0, validators=[Optional()])
    body = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=BODY_MAX)])


class AssignForm(FlaskForm):
    handler_id = SelectField(_l("Complaint handler"), coerce=int,
                             validators=[InputRequired()])


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer"), validators=[DataRequired(), Length(max=BODY_MAX)])


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("Why are you not satisfied?"),
                           validators=[DataRequired(), Length(max=REASON_MAX)])
