from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired


class CloseForm(FlaskForm):
    """Closing an account asks twice: the password, and a tick that says what happens."""

    password = PasswordField(_l("Current password"), validators=[DataRequired()])
    understood = BooleanField(
        _l("I understand: my account is closed for good, my consent is withdrawn, and what the "
           "rules require to keep stays, masked."),
        validators=[DataRequired(message=_l("Please tick the box to confirm."))])
