from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.fields import DateField, TimeField
from app.money import MoneyError, parse_yuan
from app.templating import SHANGHAI


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _text(label, rows=3, max_len=4000, **kw):
    return TextAreaField(label, validators=[Length(max=max_len)], render_kw={"rows": rows}, **kw)


class ProjectForm(FlaskForm):
    name = StringField(_l("Project name"), validators=[DataRequired(), Length(max=120)])
    category = SelectField(_l("Service category"), validators=[DataRequired()])
    area_id = SelectField(_l("Area"), coerce=int, validators=[Optional()])
    target_groups = MultiCheckboxField(_l("Target groups"))
    theme = StringField(_l("Theme"), validators=[Length(max=200)])
    highlights = _text(_l("Highlights"))
    content = _text(_l("Main content"), rows=5, max_len=10000)
    schedule = _text(_l("Schedule of activities"))
    expected_outcomes = _text(_l("Expected outcomes"))
    team_roles = _text(_l("Team and roles"))
    budget = _text(_l("Budget, one line per item: name and amount in yuan (e.g. 交通 300)"),
                   rows=4, max_len=2000)
    safety_plan = _text(_l("Safety and emergency plan"))
    cancel_deadline_hours = IntegerField(
        _l("Sign-ups can be cancelled until this many hours before the start"), default=24,
        validators=[InputRequired(), NumberRange(min=0, max=336)])
    cover = FileField(_l("Cover photo (optional; PNG or JPEG, shown on the project's card)"),
                      render_kw={"accept": "image/png,image/jpeg"})
    remove_cover = BooleanField(_l("Remove the cover photo"))

    def budget_lines(self) -> list[tuple[str, object]]:
        """Parse the budget text; a line that is not "name amount" becomes a form error."""
        lines = []
        for number, raw in enumerate((self.budget.data or "").splitlines(), start=1):
            raw = raw.strip().replace("：", " ").replace(":", " ").replace("¥", " ")
            if not raw:
                continue
            name, _, amount = raw.rpartition(" ")
            try:
                value = parse_yuan(amount, allow_zero=True)
            except MoneyError:
                value = None
            if not name.strip() or value is None:
                self.budget.errors = [*self.budget.errors, _l(
                    "Budget line %(n)s: write the item, a space, then the amount in yuan "
                    "with at most two decimals.", n=number)]
                continue
            lines.append((name.strip(), value))
        return lines


class PlaceForm(FlaskForm):
    day = DateField(_l("Date"), validators=[DataRequired()])
    start = TimeField(_l("Start time"), validators=[DataRequired()])
    end = TimeField(_l("End time"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    capacity = IntegerField(_l("Number of places"), validators=[InputRequired()])
    #: Only for a date of a recurring schedule (removed otherwise).
    scope = RadioField(_l("Change which dates"), default="this", choices=[
        ("this", _l("This date only")), ("following", _l("This date and the ones after it")),
        ("all", _l("Every date still to come"))])

    def starts_at(self) -> datetime:
        return datetime.combine(self.day.data, self.start.data, tzinfo=SHANGHAI)

    def ends_at(self) -> datetime:
        return datetime.combine(self.day.data, self.end.data, tzinfo=SHANGHAI)

    def fill(self, place) -> None:
        start, end = place.starts_at.astimezone(SHANGHAI), place.ends_at.astimezone(SHANGHAI)
        self.day.data, self.start.data, self.end.data = start.date(), start.time(), end.time()
        self.place.data, self.capacity.data = place.place, place.capacity


class ShiftForm(PlaceForm):
    required_skills = StringField(_l("Required skills"), validators=[Length(max=200)])
    insurance_required = BooleanField(_l("Personal risk: volunteers must have accident insurance"))


class SlotForm(PlaceForm):
    target_group = SelectField(_l("Reserved for"), validators=[Optional()])


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reason (everyone signed up will see it)"),
                           validators=[Length(max=2000)], render_kw={"rows": 2})


class CloseForm(FlaskForm):
    report = TextAreaField(_l("Closing report: what was done, for whom, with what result"),
                           validators=[Length(max=10000)], render_kw={"rows": 6})
    photos = MultipleFileField(_l("Photos (PNG or JPEG, at most 10 MB each)"),
                               render_kw={"accept": "image/png,image/jpeg"})
