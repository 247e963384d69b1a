"""Forms: a filed group's registration and filing record, the sponsor's answer, a stage move,
a milestone and its evidence, a leader's training."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.fields import DateField, DecimalField


class FilingForm(FlaskForm):
    """The filing record: number, where and when, the document, the sponsor."""

    number = StringField(_l("Filing number"), validators=[DataRequired(), Length(max=40)],
                         render_kw={"autocomplete": "off"})
    filed_with_id = SelectField(_l("Filed with (street or community)"), coerce=int,
                                validators=[DataRequired()])
    filed_on = DateField(_l("Filed on"), validators=[DataRequired()])
    sponsor_id = SelectField(_l("Sponsor (hub or incubator organization)"), coerce=int,
                             validators=[DataRequired()])
    document = FileField(_l("Filing document (PDF, PNG or JPEG, at most 10 MB)"),
                         render_kw={"accept": ".pdf,.png,.jpg,.jpeg"})


class GroupForm(FilingForm):
    """A filed group joins: who it is, then its filing record."""

    name = StringField(_l("Name of the group"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind of organization"), validators=[DataRequired()])
    legal_representative = StringField(_l("Person in charge"),
                                       validators=[DataRequired(), Length(max=40)])
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=40)])
    contact_phone = StringField(_l("Contact mobile number"),
                                validators=[DataRequired(), Length(max=20)])
    contact_email = StringField(_l("Contact email"),
                                validators=[Optional(), Email(), Length(max=254)])
    description = TextAreaField(_l("What the group does"), validators=[Length(max=4000)],
                                render_kw={"rows": 3})
    area_ids = SelectMultipleField(_l("Areas served"), coerce=int, validators=[Optional()],
                                   render_kw={"size": 5})


class SponsorForm(FlaskForm):
    note = TextAreaField(_l("Note for the group (required to decline)"),
                         validators=[Length(max=2000)], render_kw={"rows": 2})


class MoveForm(FlaskForm):
    moved_on = DateField(_l("Day of the move"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=2000)],
                         render_kw={"rows": 2})
    credit_code = StringField(_l("Unified social credit code, if the group has registered"),
                              validators=[Optional(), Length(max=30)],
                              render_kw={"autocomplete": "off", "maxlength": 18})


class MilestoneForm(FlaskForm):
    title = StringField(_l("Milestone"), validators=[DataRequired(), Length(max=120)])
    due_on = DateField(_l("Due on"), validators=[DataRequired()])


class DoneForm(FlaskForm):
    done_on = DateField(_l("Done on"), validators=[DataRequired()])
    evidence = TextAreaField(_l("What shows it is done"),
                             validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 2})
    document = FileField(_l("Evidence file (optional; PDF, PNG or JPEG)"),
                         render_kw={"accept": ".pdf,.png,.jpg,.jpeg"})


class TrainingForm(FlaskForm):
    person = StringField(_l("Person trained"), validators=[DataRequired(), Length(max=40)])
    course = StringField(_l("Course"), validators=[DataRequired(), Length(max=120)])
    hours = DecimalField(_l("Length in hours"), places=2, validators=[DataRequired()],
                         render_kw={"inputmode": "decimal"})
    trained_on = DateField(_l("Day of the training"), validators=[DataRequired()])
