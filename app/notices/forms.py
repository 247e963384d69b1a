"""Forms: write a notice, one's own settings, and a resident's choice recorded by staff."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.notices.models import BODY_MAX, TITLE_MAX
from app.residents.labels import CONSENT_HOW


class NoticeForm(FlaskForm):
    area_id = SelectField(_l("To the residents of"), coerce=int, validators=[DataRequired()],
                          description=_l("Everyone living in the area and the areas under it."))
    target_group = SelectField(_l("Only this group (optional)"), validators=[Optional()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    body = TextAreaField(_l("What the notice says"),
                         validators=[DataRequired(), Length(max=BODY_MAX)])


class SettingsForm(FlaskForm):
    sms = BooleanField(_l("Also send my messages to my mobile as text messages"))
    community = BooleanField(_l("Receive community notices"))


class ChoiceForm(FlaskForm):
    receive = RadioField(_l("Community notices"), choices=[
        ("yes", _l("Receives them")), ("no", _l("Does not want them"))],
        validators=[DataRequired()])
    consent_how = RadioField(_l("How the resident said so"),
                             choices=[(k, v) for k, v in CONSENT_HOW.items()],
                             validators=[DataRequired()])
    consent_given_by = StringField(
        _l("Said by (if not the resident)"), validators=[Optional(), Length(max=60)],
        description=_l("For example: daughter, Li Hong. Leave empty when the resident "
                       "said it themselves."))
