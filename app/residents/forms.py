"""Forms: register a resident who is not online, with their consent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from app.residents.labels import CONSENT_HOW


class OfflineResidentForm(FlaskForm):
    name = StringField(_l("Resident's name"), validators=[DataRequired(), Length(max=40)])
    id_number = StringField(_l("ID number"), validators=[DataRequired(), Length(max=22)],
                            description=_l("18 characters; the last may be X."))
    area_id = SelectField(_l("Area"), coerce=int, validators=[DataRequired()])
    target_group = SelectField(_l("Target group"), validators=[Optional()])
    contact_phone = StringField(
        _l("Mobile number for text messages (optional)"),
        validators=[Optional(), Length(max=20)],
        description=_l("A basic phone or a family member's: it receives text messages, it "
                       "does not sign in."))
    org_id = SelectField(_l("Registered for"), coerce=int, validators=[Optional()])
    consent_how = RadioField(_l("How the resident gave consent"),
                             choices=[(k, v) for k, v in CONSENT_HOW.items()],
                             validators=[DataRequired()])
    consent_given_by = StringField(
        _l("Consent given by (if not the resident)"), validators=[Optional(), Length(max=60)],
        description=_l("For example: daughter, Li Hong. Leave empty when the resident "
                       "agreed themselves."))
