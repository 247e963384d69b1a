"""Forms: start an evaluation, edit the template. Scores and ratings come as one field per
indicator or question, named after its code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.evaluation.models import Mode

MODE_LABELS = {Mode.SELF.value: _l("Self-evaluation"), Mode.DEPARTMENT.value: _l("Department evaluation"),
               Mode.THIRD_PARTY.value: _l("Third-party evaluation")}


class StartForm(FlaskForm):
    org_id = SelectField(_l("Organization"), coerce=int, validators=[DataRequired()])
    mode = SelectField(_l("Mode"), choices=list(MODE_LABELS.items()), validators=[DataRequired()])
    period = StringField(_l("Time period"), validators=[DataRequired(), Length(max=40)],
                         description=_l("For example 2026年度 or 2026年第一季度."))
    contract_id = SelectField(_l("Contract"), coerce=int, validators=[Optional()])
    evaluator_name = StringField(_l("Third-party evaluator"), validators=[Length(max=120)])


class TemplateForm(FlaskForm):
    name = StringField(_l("Template name"), validators=[DataRequired(), Length(max=120)])
    indicators = TextAreaField(
        _l("Indicators"), validators=[DataRequired()],
        description=_l("One per line: dimension | indicator | weight. Dimensions: economy, efficiency, effectiveness, equity, satisfaction. Weights add up to 100."))
    excellent = IntegerField(_l("优 from"), validators=[DataRequired(), NumberRange(1, 100)])
    good = IntegerField(_l("良 from"), validators=[DataRequired(), NumberRange(1, 100)])
    fair = IntegerField(_l("中 from"), validators=[DataRequired(), NumberRange(1, 100)])


class ScoreForm(FlaskForm):
    comment = TextAreaField(_l("Overall comment"), validators=[Length(max=4000)])


class FeedbackForm(FlaskForm):
    comment = TextAreaField(_l("Comment on the bureau's process"), validators=[Length(max=4000)])
