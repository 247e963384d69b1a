"""Forms for the funding pages. Amounts are typed in yuan (text) and parsed by the one money
parser (``app.money``), so a refusal (more than two decimals, zero, negative, too large) reads
the same on every page and in the API."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.fields import DateField

MONEY_ATTRS = {"inputmode": "decimal", "autocomplete": "off", "placeholder": "0.00"}


def money(label, required: bool = True) -> StringField:
    return StringField(label, validators=[InputRequired()] if required else [Optional()],
                       render_kw=MONEY_ATTRS)


class FundForm(FlaskForm):
    fiscal_year = SelectField(_l("Fiscal year"), coerce=int)
    name = StringField(_l("Name of the fund"), validators=[DataRequired(), Length(max=120)])
    source = StringField(_l("Source of the money"), validators=[DataRequired(), Length(max=120)],
                         render_kw={"placeholder": _l("e.g. district budget, welfare lottery")})
    amount = money(_l("Amount (yuan)"))


class CallForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    category = SelectField(_l("Service category"))
    description = TextAreaField(_l("What is to be bought"), validators=[Length(max=5000)])
    ceiling = money(_l("Budget ceiling (yuan)"))
    deadline = DateField(_l("Deadline for applications"), validators=[DataRequired()])
    consultation_id = SelectField(_l("Priorities chosen by a residents' consultation"),
                                  coerce=int, default=0, validators=[Optional()])


class ApplicationForm(FlaskForm):
    """Plus one amount field per budget line, added by ``with_lines``."""

    title = StringField(_l("Project name"), validators=[DataRequired(), Length(max=120)])
    plan = TextAreaField(_l("Project plan"), validators=[DataRequired(), Length(max=10000)],
                         render_kw={"rows": 8})


def with_lines(form_class: type[FlaskForm], names: list[str]) -> type[FlaskForm]:
    """A subclass with an optional amount field ``line_<i>`` for each budget line name."""
    fields = {f"line_{i}": money(name, required=False) for i, name in enumerate(names)}
    return type(form_class.__name__, (form_class,), fields)


class AwardForm(FlaskForm):
    amount = money(_l("Amount to award (yuan)"))
    reasons = TextAreaField(_l("Reasons for the award (published)"),
                            validators=[Length(max=2000)])


class ObjectionForm(FlaskForm):
    text = TextAreaField(_l("Your objection"), validators=[DataRequired(), Length(max=2000)],
                         render_kw={"rows": 5})
    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=60)])
    contact = StringField(_l("How to reach you (optional, never published)"),
                          validators=[Optional(), Length(max=100)])


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer (published)"), validators=[DataRequired(), Length(max=2000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class ContractForm(FlaskForm):
    """Plus line amounts (``line_<i>``) and tranche rows (``share_<n>``, ``date_<n>``,
    ``milestone_<n>``), added by ``contract_form``."""

    title = StringField(_l("Contract title"), validators=[DataRequired(), Length(max=120)])
    content = TextAreaField(_l("Content of the service"), validators=[DataRequired()])
    starts_on = DateField(_l("Term starts"), validators=[DataRequired()])
    ends_on = DateField(_l("Term ends"), validators=[DataRequired()])
    quantity = TextAreaField(_l("Quantity"), validators=[DataRequired()])
    quality = TextAreaField(_l("Quality standard"), validators=[DataRequired()])
    settlement = TextAreaField(_l("Settlement method"), validators=[DataRequired()])
    duties = TextAreaField(_l("Duties of both parties"), validators=[DataRequired()])
    liability = TextAreaField(_l("Liability for breach"), validators=[DataRequired()])


TRANCHE_ROWS = 4


def contract_form(line_names: list[str]) -> type[FlaskForm]:
    fields: dict = {f"line_{i}": money(name, required=False) for i, name in enumerate(line_names)}
    for n in range(1, TRANCHE_ROWS + 1):
        fields[f"share_{n}"] = StringField(_l("Share (%)"), validators=[Optional()],
                                           render_kw={"inputmode": "decimal"})
        fields[f"date_{n}"] = DateField(_l("Planned date"), validators=[Optional()])
        fields[f"milestone_{n}"] = StringField(_l("Milestone"), validators=[Optional(),
                                                                           Length(max=500)])
    return type("ContractForm", (ContractForm,), fields)


class PaymentRequestForm(FlaskForm):
    amount = money(_l("Amount to pay (yuan; empty: as planned)"), required=False)
    note = TextAreaField(_l("What shows the milestone is met"),
                         validators=[Length(max=2000)])
    files = MultipleFileField(_l("Evidence files (report, sign-in sheet, photos: PDF, PNG or "
                                 "JPEG)"))
    reason = TextAreaField(_l("Reason, if paid before the planned date or without an evidence "
                              "file (at least 10 characters)"), validators=[Length(max=2000)])


class ExpenditureForm(FlaskForm):
    line_id = SelectField(_l("Budget line"), coerce=int)
    amount = money(_l("Amount (yuan)"))
    spent_on = DateField(_l("Date of payment"), validators=[DataRequired()])
    payee = StringField(_l("Paid to"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("What was bought"), validators=[DataRequired(),
                                                                  Length(max=2000)])
    method = SelectField(_l("Paid by"), choices=[
        ("transfer", _l("Bank transfer")), ("online", _l("Official card / online")),
        ("cash", _l("Cash"))])
    receipts = MultipleFileField(_l("Receipts (photos or PDF)"),
                                 render_kw={"accept": "image/jpeg,image/png,image/webp,"
                                                      "application/pdf", "capture": "environment"})


class CorrectionForm(ExpenditureForm):
    reason = TextAreaField(_l("Reason for the correction"), validators=[DataRequired(),
                                                                       Length(max=500)])
    replace = RadioField(_l("Record a corrected entry?"), default="yes",
                         choices=[("yes", _l("Yes, with the details below")),
                                  ("no", _l("No, only reverse it"))])


class OverseerObjectionForm(FlaskForm):
    text = TextAreaField(_l("Your objection"), validators=[DataRequired(), Length(max=2000)])


class ResolveForm(FlaskForm):
    decision = RadioField(_l("Decision"), validators=[InputRequired()], choices=[
        ("dismiss", _l("Dismiss: the expenditure goes ahead")),
        ("uphold", _l("Uphold: the expenditure is refused"))])
    note = TextAreaField(_l("Explanation"), validators=[DataRequired(), Length(max=2000)])


class MerchantForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=[("charity_store", _l("Charity store (爱心超市)")),
                                            ("merchant", _l("Merchant"))])
    address = StringField(_l("Address"), validators=[Length(max=200)])


class RedeemForm(FlaskForm):
    org_id = SelectField(_l("Points from"), coerce=int)
    merchant_id = SelectField(_l("Where"), coerce=int)
    points = IntegerField(_l("Points"), validators=[InputRequired(), NumberRange(min=1)],
                          render_kw={"inputmode": "numeric"})


class ConsumeForm(FlaskForm):
    code = StringField(_l("Redemption code"), validators=[DataRequired(), Length(max=40)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters"})


class SettleForm(FlaskForm):
    contract_id = SelectField(_l("Pay from the incentive line of"), coerce=int)


class AssemblyForm(FlaskForm):
    """The residents' assembly decision on an expenditure (居民会议决议)."""

    held_on = DateField(_l("Date of the assembly"), validators=[DataRequired()])
    attendance = IntegerField(_l("People present"),
                              validators=[InputRequired(), NumberRange(1, 100_000)])
    votes_for = IntegerField(_l("Votes for"), validators=[InputRequired(), NumberRange(0, 100_000)])
    votes_against = IntegerField(_l("Votes against"),
                                 validators=[InputRequired(), NumberRange(0, 100_000)])
    votes_abstain = IntegerField(_l("Abstentions"),
                                 validators=[InputRequired(), NumberRange(0, 100_000)])
    minutes = MultipleFileField(_l("Minutes of the assembly (photos or PDF)"))


class ProcurementForm(FlaskForm):
    """How the supplier was chosen (询价 / 招标)."""

    method = RadioField(_l("How the supplier was chosen"), default="quotes", choices=[
        ("quotes", _l("Three quotes")), ("tender", _l("Tender"))])
    supplier = StringField(_l("Supplier chosen"), validators=[DataRequired(), Length(max=120)])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])
    documents = MultipleFileField(_l("The quotes or the tender's documents (photos or PDF)"))
