"""The bureau's form: which past month to report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Regexp


class MonthForm(FlaskForm):
    month = StringField(_l("Month"), validators=[
        DataRequired(message=_l("Choose a month.")),
        Regexp(r"^\d{4}-\d{2}$", message=_l("Choose a month."))])

    def chosen(self) -> tuple[int, int]:
        year, month = self.month.data.split("-")
        return int(year), int(month)
