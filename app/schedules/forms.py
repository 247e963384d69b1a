from __future__ import annotations

import hashlib

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.fields import DateField, TimeField
from app.projects.forms import MultiCheckboxField
from app.schedules.rules import MAX_DATES, MAX_INTERVAL, NTH_NAMES, WEEKDAY_NAMES, Rule
from app.schedules.services import Template


class SeriesForm(FlaskForm):
    """A recurring schedule: the rule, then what each date gets."""

    kind = RadioField(_l("Each date is"), default="shift", validators=[DataRequired()],
                      choices=[("shift", _l("A volunteer shift")),
                               ("slot", _l("A service slot for residents"))])
    starts_on = DateField(_l("First date"), validators=[DataRequired()])
    start = TimeField(_l("Start time"), validators=[DataRequired()])
    duration_minutes = IntegerField(_l("Length in minutes"), default=120,
                                    validators=[InputRequired(), NumberRange(min=1, max=1440)])
    frequency = RadioField(_l("Repeats"), default="weekly", validators=[DataRequired()],
                           choices=[("weekly", _l("Weekly, on the days chosen below")),
                                    ("monthly", _l("Monthly, on the weekday chosen below"))])
    weekdays = MultiCheckboxField(_l("Days of the week (weekly)"), coerce=int,
                                  choices=list(enumerate(WEEKDAY_NAMES)))
    interval = IntegerField(_l("Every how many weeks or months (1 = every one)"), default=1,
                            validators=[InputRequired(), NumberRange(min=1, max=MAX_INTERVAL)])
    nth = SelectField(_l("Which one of the month (monthly)"), coerce=int, default=1,
                      choices=list(NTH_NAMES.items()))
    nth_weekday = SelectField(_l("Weekday (monthly)"), coerce=int, default=0,
                              choices=list(enumerate(WEEKDAY_NAMES)))
    ends = RadioField(_l("Ends"), default="until", validators=[DataRequired()],
                      choices=[("until", _l("On a date")), ("count", _l("After a number of dates"))])
    until = DateField(_l("Last date"), validators=[Optional()])
    count = IntegerField(_l("Number of dates (at most %(n)s)", n=MAX_DATES),
                         validators=[Optional(), NumberRange(min=1, max=MAX_DATES)])
    skip_holidays = BooleanField(_l("Skip official public holidays"), default=True)
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    capacity = IntegerField(_l("Number of places on each date"), validators=[InputRequired()])
    required_skills = StringField(_l("Required skills (shifts)"), validators=[Length(max=200)])
    insurance_required = BooleanField(_l("Personal risk: volunteers must have accident "
                                         "insurance (shifts)"))
    target_group = SelectField(_l("Reserved for (slots)"), validators=[Optional()])
    #: The fingerprint of the fields the preview was shown for: creating needs the same.
    previewed = HiddenField()

    def rule(self) -> Rule:
        until = self.until.data if self.ends.data == "until" else None
        count = self.count.data if self.ends.data == "count" else None
        return Rule(starts_on=self.starts_on.data, frequency=self.frequency.data,
                    interval=self.interval.data, weekdays=tuple(self.weekdays.data or ()),
                    nth=self.nth.data, nth_weekday=self.nth_weekday.data, until=until,
                    count=count, skip_holidays=bool(self.skip_holidays.data))

    def template(self) -> Template:
        shift = self.kind.data == "shift"
        return Template(start_time=self.start.data, duration_minutes=self.duration_minutes.data,
                        place=self.place.data or "", capacity=self.capacity.data,
                        required_skills=(self.required_skills.data or "") if shift else "",
                        insurance_required=shift and bool(self.insurance_required.data),
                        target_group=None if shift else (self.target_group.data or None))

    def fingerprint(self) -> str:
        """What the fields say, in a few characters: a preview stays valid for these."""
        values = [f"{f.name}={f.data!r}" for f in self if f.name not in ("csrf_token", "previewed")]
        return hashlib.sha256("\n".join(values).encode()).hexdigest()[:16]
