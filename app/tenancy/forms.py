"""Forms of the bureau's area tree: who is in charge of an area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired


class AreaStaffForm(FlaskForm):
    area_id = SelectField(_l("Area"), coerce=int, validators=[DataRequired()])
    user_id = SelectField(_l("Staff member in charge"), coerce=int, validators=[DataRequired()])
