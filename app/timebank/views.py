"""Time-bank pages: my time bank (balance, movements, give to a relative, pay for a booking),
and the community pool for the bureau."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import confirm
from app.db import utcnow
from app.db_commit import commit
from app.errors import flash_form_errors
from app.extensions import db
from app.orgs.models import Organization
from app.permissions import require
from app.privacy import mask_name, mask_phone
from app.projects.models import ServiceSlot, SlotBooking
from app.service.hours import format_minutes
from app.tenancy.scoping import current_tenant, get_or_404
from app.timebank import labels, services
from app.timebank.forms import GiveForm, PoolGiveForm
from app.timebank.services import TimeBankError

bp = Blueprint("timebank", __name__, template_folder="templates",
               url_prefix="/t/<tenant>/timebank")


@dataclass(frozen=True)
class Gift:
    """What a gift will do, for the confirmation step."""

    name: str
    phone: str
    minutes: int


@dataclass(frozen=True)
class Payable:
    """A booking that may be paid in credits, as the page and the confirmation show it."""

    booking: SlotBooking
    service: str
    org: str
    starts_at: datetime
    minutes: int


def _payable(booking: SlotBooking) -> Payable:
    slot = db.session.get(ServiceSlot, booking.slot_id)
    return Payable(booking, slot.project.name, db.session.get(Organization, slot.org_id).name,
                   slot.starts_at, services.price_minutes(slot))


def _movements(account) -> list[tuple]:
    entries = services.movements(account) if account is not None else []
    users, orgs = labels.names_for(entries)
    return [(e, labels.say(e, users, orgs)) for e in entries]


@bp.route("/")
@login_required
def mine():
    tenant = current_tenant()
    require("timebank.view", tenant)
    account = services.find_account(tenant.id, current_user.id)
    payable = [_payable(b) for b in services.payable_bookings(tenant.id, current_user.id,
                                                               utcnow())]
    return render_template(
        "timebank/mine.html", account=account, movements=_movements(account),
        on=services.is_on(tenant), cap=tenant.setting("time_bank_cap_hours"),
        donated=services.donated_by(tenant.id, current_user.id), payable=payable,
        form=GiveForm(), hours=format_minutes, kind=labels.KIND)


def _gift_from_form(form: GiveForm):
    tenant = current_tenant()
    receiver = services.member_by_phone(tenant, form.phone.data)
    if receiver is None:
        flash(_("No one in this district has that mobile number."), "error")
        return None, None
    return receiver, Gift(mask_name(receiver.name), mask_phone(receiver.phone), form.minutes)


@bp.route("/give", methods=["POST"])
@login_required
def give():
    tenant = current_tenant()
    require("timebank.give", tenant)
    form = GiveForm()
    back = url_for("timebank.mine")
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(back)
    receiver, gift = _gift_from_form(form)
    if receiver is None:
        return redirect(back)
    if (page := confirm.ask("timebank.give", gift, back)) is not None:
        return page
    return _act(lambda: services.give(tenant, current_user, receiver, gift.minutes,
                                      by=current_user),
                _("%(hours)s hours given to %(name)s.", hours=format_minutes(gift.minutes),
                  name=gift.name), back)


@bp.route("/bookings/<int:booking_id>/pay", methods=["POST"])
@login_required
def pay(booking_id: int):
    booking = get_or_404(SlotBooking, booking_id)
    require("timebank.pay", booking)
    back = url_for("timebank.mine")
    item = _payable(booking)
    if (page := confirm.ask("timebank.pay", item, back)) is not None:
        return page
    return _act(lambda: services.pay(booking, current_user),
                _("Paid %(hours)s hours for %(service)s.", hours=format_minutes(item.minutes),
                  service=item.service), back)


def _act(action, done: str, back: str):
    try:
        action()
    except TimeBankError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        commit()
        flash(done, "success")
    return redirect(back)


@bp.route("/pool")
@login_required
def pool():
    tenant = current_tenant()
    require("timebank.pool.view", tenant)
    account = services.find_account(tenant.id, None)
    donated, given = services.pool_totals(tenant.id)
    return render_template("timebank/pool.html", account=account, donated=donated, given=given,
                           movements=_movements(account), form=PoolGiveForm(),
                           hours=format_minutes, kind=labels.KIND,
                           cap=tenant.setting("time_bank_cap_hours"))


@bp.route("/pool/give", methods=["POST"])
@login_required
def pool_give():
    tenant = current_tenant()
    require("timebank.pool.give", tenant)
    form = PoolGiveForm()
    back = url_for("timebank.pool")
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(back)
    receiver, gift = _gift_from_form(form)
    if receiver is None:
        return redirect(back)
    if (page := confirm.ask("timebank.pool.give", gift, back)) is not None:
        return page
    return _act(lambda: services.give(tenant, None, receiver, gift.minutes, by=current_user),
                _("%(hours)s hours given from the pool to %(name)s.",
                  hours=format_minutes(gift.minutes), name=gift.name), back)
