from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.fields import DateField


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VolunteerForm(FlaskForm):
    real_name = StringField(_l("Real name"), validators=[DataRequired(), Length(max=40)])
    gender = RadioField(_l("Gender"), choices=[("M", _l("Male")), ("F", _l("Female"))],
                        validators=[InputRequired()])
    birth_date = DateField(_l("Date of birth"), validators=[DataRequired()])
    id_number = StringField(_l("ID number"), validators=[DataRequired(), Length(min=18, max=18)],
                            render_kw={"autocomplete": "off"})
    phone = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=20)])
    area_id = SelectField(_l("Residential area"), coerce=int, validators=[Optional()])
    skills = TextAreaField(_l("Professional skills"), validators=[Length(max=500)])
    service_categories = MultiCheckboxField(_l("Service categories"))
    insurance_policy = StringField(_l("Accident insurance policy number"), validators=[Optional(), Length(max=60)])
    insurance_expires = DateField(_l("Insurance valid until"), validators=[Optional()])


class RegisterVolunteerForm(VolunteerForm):
    consent = BooleanField(_l("I agree that my information is used to record my volunteer service, "
                              "and is not disclosed or used commercially without my consent."))


class HonourForm(FlaskForm):
    """The person's choice about the public honour list (光荣榜)."""

    listed = BooleanField(_l("Show me on the district's public honour list"))
    full_name = BooleanField(_l("Show my full name there (otherwise only my surname, as 张*)"))


class NoticeForm(FlaskForm):
    """The person's choice to be told when a shift that suits them opens."""

    on = BooleanField(_l("Tell me when a new shift that suits me opens"))


class AvailabilityForm(FlaskForm):
    """When the person is usually free: the cells of the weekday × part-of-day grid ticked."""

    free = SelectMultipleField(_l("When I am usually free"), validate_choice=True)
