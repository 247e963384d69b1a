"""Forms: draw a sample of served residents; record one visit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.fields import DateField
from app.returnvisits.labels import METHOD
from app.returnvisits.models import REMARKS_MAX
from app.spotchecks.services import MAX_SAMPLE

YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]


class DrawForm(FlaskForm):
    org_id = SelectField(_l("Organization"), coerce=int, validators=[Optional()])
    start = DateField(_l("Served from"), validators=[Optional()])
    end = DateField(_l("Served until"), validators=[Optional()])
    size = IntegerField(_l("Residents to visit"), default=10,
                        validators=[DataRequired(), NumberRange(1, MAX_SAMPLE)])
    seed = StringField(_l("Seed (optional)"), validators=[Optional(), Length(max=18)],
                       description=_l("Leave empty for a random seed; it is recorded either way."))


class VisitForm(FlaskForm):
    method = RadioField(_l("How the visit was made"), choices=list(METHOD.items()),
                        validators=[DataRequired(message=_l("Say whether you phoned or visited at the door."))])
    reached = RadioField(_l("Resident reached"), choices=YES_NO,
                         validators=[DataRequired(message=_l("Say whether the resident was reached."))])
    confirmed = RadioField(_l("Confirms being served"), choices=YES_NO, validators=[Optional()])
    satisfaction = RadioField(_l("Satisfaction"), choices=[(str(n), str(n)) for n in range(1, 6)],
                              validators=[Optional()])
    remarks = TextAreaField(_l("Remarks"), validators=[Length(max=REMARKS_MAX)])
