"""The upload form: what the file holds, for which organization, and the file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.validators import DataRequired


class UploadForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), validators=[DataRequired()])
    #: 0: for the district (the bureau); else one of the person's organizations.
    org_id = SelectField(_l("Importing for"), coerce=int, default=0)
    file = FileField(_l("Filled-in template (.xlsx)"), validators=[FileRequired()])
