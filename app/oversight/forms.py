"""Forms for the findings queue."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.oversight.models import Resolution


class ScanForm(FlaskForm):
    """Just the CSRF token: "run the scan now"."""


class AssignForm(FlaskForm):
    assignee_id = SelectField(_l("Assign to"), coerce=int)


class ResolveForm(FlaskForm):
    resolution = RadioField(_l("Outcome"), choices=[
        (Resolution.CONFIRMED.value, _l("Confirmed: a real problem, action taken")),
        (Resolution.EXPLAINED.value, _l("Explained: not a problem once the evidence was read")),
    ], validators=[DataRequired(message=_l("Choose how the finding was resolved."))])
    note = TextAreaField(_l("Resolution note"), validators=[
        DataRequired(message=_l("Write a resolution note: what was checked and what was done.")),
        Length(max=4000)])
