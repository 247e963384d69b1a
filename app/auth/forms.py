from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.services import DEFAULT_TOKEN_DAYS, TOKEN_DAYS


class LoginForm(FlaskForm):
    account = StringField(_l("Mobile number or email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=60)])
    account = StringField(_l("Mobile number or email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(min=8, max=128)])
    confirm = PasswordField(_l("Repeat password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords do not match."))])
    agree = BooleanField(_l("I have read and agree to the user agreement and the privacy notice"),
                         validators=[DataRequired(message=_l(
                             "Registration needs your agreement to the user agreement and the privacy notice."))])


class PasswordForm(FlaskForm):
    old = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password"), validators=[DataRequired(), Length(min=8, max=128)])


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=80)])
    days = SelectField(_l("Valid for"), coerce=int, default=DEFAULT_TOKEN_DAYS,
                       choices=[(d, _l("%(num)s days", num=d)) for d in TOKEN_DAYS])
    password = PasswordField(_l("Current password"), validators=[DataRequired()])


class ClaimStartForm(FlaskForm):
    """First sign-in of an imported account: who you are, as the import recorded you."""

    phone = StringField(_l("Mobile number"), validators=[DataRequired(), Length(max=20)],
                        render_kw={"inputmode": "tel", "autocomplete": "tel"})
    id_number = StringField(_l("ID number"), validators=[DataRequired(), Length(max=20)],
                            render_kw={"autocomplete": "off"})


class ClaimCodeForm(FlaskForm):
    code = StringField(_l("Code from the text message"), validators=[DataRequired(),
                                                                     Length(max=12)],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})
    password = PasswordField(_l("New password"), validators=[DataRequired(),
                                                             Length(min=8, max=128)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat password"), validators=[
        DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
        render_kw={"autocomplete": "new-password"})
