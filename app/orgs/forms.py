from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from app.auth.models import Role


class OrgForm(FlaskForm):
    name = StringField(_l("Registered name"), validators=[DataRequired(), Length(max=120)])
    credit_code = StringField(_l("Unified social credit code"),
                              validators=[DataRequired(), Length(max=30)],
                              render_kw={"autocomplete": "off", "maxlength": 18})
    kind = SelectField(_l("Kind of organization"), validators=[DataRequired()])
    legal_representative = StringField(_l("Legal representative"),
                                       validators=[DataRequired(), Length(max=40)])
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=40)])
    contact_phone = StringField(_l("Contact mobile number"),
                                validators=[DataRequired(), Length(max=20)])
    contact_email = StringField(_l("Contact email"),
                                validators=[Optional(), Email(), Length(max=254)])
    description = TextAreaField(_l("What the organization does"),
                                validators=[Length(max=4000)], render_kw={"rows": 4})
    area_ids = SelectMultipleField(_l("Areas served"), coerce=int, validators=[Optional()],
                                   render_kw={"size": 6})
    parent_id = SelectField(_l("Parent incubator"), coerce=int, validators=[Optional()])
    is_incubator = BooleanField(_l("This organization incubates or serves other organizations"))
    certificate = FileField(_l("Registration certificate (PDF, PNG or JPEG, at most 10 MB)"),
                            render_kw={"accept": ".pdf,.png,.jpg,.jpeg"})


class ReviewForm(FlaskForm):
    reason = TextAreaField(_l("Reason (required to reject; the organization sees it)"),
                           validators=[Length(max=2000)], render_kw={"rows": 3})


class InviteForm(FlaskForm):
    account = StringField(_l("Mobile number or email"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"), choices=[
        (Role.ORG_COORDINATOR.value, _l("Coordinator")),
        (Role.ORG_BOOKKEEPER.value, _l("Bookkeeper")),
        (Role.ORG_ADMIN.value, _l("Admin"))])
