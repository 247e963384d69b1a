"""Forms: open a consultation, a resident's vote and comment, and the votes cast on paper or
at a meeting that staff enter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.consultations.labels import SOURCE
from app.consultations.models import COMMENT_MAX, DETAIL_MAX, NOTE_MAX, TALLY_MAX, TITLE_MAX
from app.fields import DateField
from app.projects.forms import MultiCheckboxField


class OpenForm(FlaskForm):
    area_id = SelectField(_l("Community"), coerce=int, validators=[InputRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    description = TextAreaField(_l("What residents are asked (shown above the options)"),
                                validators=[Length(max=DETAIL_MAX)], render_kw={"rows": 3})
    opens_on = DateField(_l("Voting starts on"), validators=[DataRequired()])
    closes_on = DateField(_l("Voting ends on (inclusive)"), validators=[DataRequired()])
    need_ids = MultiCheckboxField(_l("Needs of this community not yet met"), coerce=int,
                                  validators=[Optional()])
    proposals = TextAreaField(_l("Projects proposed by the bureau, one a line"),
                              validators=[Length(max=TITLE_MAX * 12 + 12)],
                              render_kw={"rows": 4})


class VoteForm(FlaskForm):
    option_id = RadioField(_l("Your choice"), coerce=int, validators=[InputRequired()])


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), validators=[DataRequired(), Length(max=COMMENT_MAX)],
                         render_kw={"rows": 3})


class TallyForm(FlaskForm):
    option_id = SelectField(_l("Option"), coerce=int, validators=[InputRequired()])
    source = RadioField(_l("How the votes were cast"), default="paper",
                        choices=[(k, v) for k, v in SOURCE.items()], validators=[InputRequired()])
    held_on = DateField(_l("Day of the vote"), validators=[DataRequired()])
    votes = IntegerField(_l("Votes for this option"),
                         validators=[InputRequired(), NumberRange(min=1, max=TALLY_MAX)])
    note = StringField(_l("Where, and who counted (e.g. 3号楼议事会, counted by two members)"),
                       validators=[Length(max=NOTE_MAX)])
