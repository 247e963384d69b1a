"""Forms: post a need (for oneself or on a resident's behalf), decline, meet, confirm, and
start a call for proposals from a cluster of needs."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.fields import DateField
from app.funding.forms import money
from app.needs.labels import URGENCY
from app.needs.models import REASON_MAX, WHAT_MAX


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NeedForm(FlaskForm):
    what = TextAreaField(_l("What do you need?"), validators=[DataRequired(), Length(max=WHAT_MAX)],
                         description=_l("A small, concrete wish: who needs what, and how."))
    category = SelectField(_l("Service category"), validators=[DataRequired()])
    target_group = SelectField(_l("Who is it for"), validators=[DataRequired()])
    area_id = SelectField(_l("Area"), coerce=int, validators=[DataRequired()])
    wanted_on = DateField(_l("When (optional)"), validators=[Optional()])
    urgency = RadioField(_l("How urgent"), default="routine",
                         choices=[(k, v) for k, v in URGENCY.items()])
    on_wall = BooleanField(_l("Show this wish on the community's wish wall (your name is "
                              "masked, your phone is never shown)"), default=True)
    for_name = StringField(_l("Resident's name"), validators=[Optional(), Length(max=60)])
    for_phone = StringField(_l("Resident's mobile number"), validators=[Optional(), Length(max=20)])


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Why you give it back"),
                           validators=[DataRequired(), Length(max=REASON_MAX)])


class MeetForm(FlaskForm):
    #: "note", or "project:12", "shift:5", "booking:9" (the organization's own).
    link = SelectField(_l("How it was met"), default="note", choices=[])
    note = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=REASON_MAX)])


class ConfirmForm(FlaskForm):
    rating = RadioField(_l("Your rating"), coerce=int, default=5,
                        choices=[(n, str(n)) for n in range(5, 0, -1)],
                        validators=[DataRequired(), NumberRange(1, 5)])
    comment = TextAreaField(_l("Anything to add (optional)"),
                            validators=[Optional(), Length(max=REASON_MAX)])


class ClaimForm(FlaskForm):
    org_id = IntegerField(validators=[DataRequired()])


class StartCallForm(FlaskForm):
    """A call for proposals from a cluster of needs: the call's fields, drafted from them."""

    need_ids = MultiCheckboxField(_l("Needs the call answers"), coerce=int)
    fund_id = SelectField(_l("Fund"), coerce=int, validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    category = SelectField(_l("Service category"), validators=[DataRequired()])
    description = TextAreaField(_l("What is to be bought"), validators=[Length(max=5000)],
                                render_kw={"rows": 8})
    ceiling = money(_l("Budget ceiling (yuan)"))
    deadline = DateField(_l("Deadline for applications"), validators=[DataRequired()])
