"""What each money-moving or final step does, in plain words with its amounts, said before it
is done (``app/confirm.py``)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence
from app.templating import isodate, money


@consequence("fund.appropriate", _l("Appropriate"))
def appropriate(tenant) -> str:
    return _("The amount you entered goes into the books at once as this fund's "
             "appropriation, which the bureau can then commit to contracts. An entry in the "
             "books is never deleted.")


@consequence("tranche.pay", _l("Approve and pay"))
def pay(tranche) -> str:
    from app.funding import evidence
    from app.funding.services import today

    contract = tranche.contract
    text = _("Pay %(amount)s to %(org)s (tranche %(n)d of contract %(number)s, milestone "
             "“%(milestone)s”, planned for %(date)s). The payment is entered in the books at "
             "once; it can only be reversed, not deleted.",
             amount=money(tranche.request_amount_fen), org=contract.org.name, n=tranche.seq,
             number=contract.number, milestone=tranche.milestone,
             date=isodate(tranche.planned_on))
    warnings = []
    if early := tranche.days_early(today()):
        warnings.append(_("Warning: this is %(n)d days before the planned date.", n=early))
    if evidence.file_count(tranche) == 0:
        warnings.append(_("Warning: no evidence file is attached."))
    if warnings and tranche.request_reason:
        warnings.append(_("Reason given: %(reason)s", reason=tranche.request_reason))
    return " ".join([text, *warnings])


@consequence("tranche.withdraw", _l("Withdraw the request"))
def withdraw_request(tranche) -> str:
    return _("The request to pay %(amount)s to %(org)s is withdrawn; it has to be requested "
             "again before anyone can approve it.", amount=money(tranche.request_amount_fen),
             org=tranche.contract.org.name)


@consequence("disbursement.reverse", _l("Reverse"))
def reverse_payment(payment) -> str:
    return _("The payment of %(amount)s to %(org)s on %(date)s is reversed in the books: the "
             "money counts as back in the fund and the tranche can be paid again.",
             amount=money(payment.amount_fen), org=payment.contract.org.name,
             date=isodate(payment.paid_on))


def _expense(e) -> dict:
    return {"amount": money(e.amount_fen), "org": e.org.name, "line": e.line.name}


@consequence("expenditure.approve", _l("Approve for the organization"))
def approve_expense(e) -> str:
    return _("Approve %(org)s spending %(amount)s from the budget line “%(line)s”. An "
             "approval cannot be taken back.", **_expense(e))


@consequence("expenditure.approve_bureau", _l("Approve for the bureau"))
def approve_expense_bureau(e) -> str:
    return _("Approve, for the bureau, %(org)s spending %(amount)s from the budget line "
             "“%(line)s”. An approval cannot be taken back.", **_expense(e))


@consequence("expenditure.approve_leader", _l("Approve as the second officer"))
def approve_expense_leader(e) -> str:
    return _("Approve, as the second bureau officer, %(org)s spending %(amount)s from the budget "
             "line “%(line)s”. An approval cannot be taken back.", **_expense(e))


@consequence("expenditure.reject", _l("Reject"))
def reject_expense(e) -> str:
    return _("%(org)s's expenditure of %(amount)s (“%(line)s”) is rejected and does not "
             "count against the contract; your reason is shown to them.", **_expense(e))


@consequence("expenditure.finalize", _l("Make final (after the oversight window)"))
def finalize_expense(e) -> str:
    return _("The expenditure of %(amount)s becomes final in the books; afterwards only a "
             "reversal can correct it.", **_expense(e))


@consequence("expenditure.sign_off", _l("Sign off"))
def sign_off_expense(e) -> str:
    return _("You sign that you have reviewed %(org)s's expenditure of %(amount)s (“%(line)s”) "
             "and its receipts and find it in order. Your signature cannot be taken back, and "
             "you can no longer object to it.", **_expense(e))


@consequence("expenditure.reverse", _l("Reverse the entry"))
def reverse_expense(e) -> str:
    return _("The final expenditure of %(amount)s by %(org)s is reversed in the books (and "
             "the corrected one recorded, if you gave it). Both stay on record.", **_expense(e))


@consequence("application.award", _l("Publish the notice"))
def award(application) -> str:
    return _("The proposed award to %(org)s for “%(title)s” is published on the notice board "
             "at once: anyone can read it and object during the notice period.",
             org=application.org.name, title=application.title)


@consequence("application.decline", _l("Decline this application"))
def decline(application) -> str:
    return _("%(org)s's application “%(title)s” is declined and closed; it cannot be "
             "awarded afterwards.", org=application.org.name, title=application.title)


@consequence("award.withdraw", _l("Withdraw the award"))
def withdraw_award(award) -> str:
    return _("The proposed award of %(amount)s to %(org)s is withdrawn; the notice shows it "
             "as withdrawn and no contract can be signed. This cannot be undone.",
             amount=money(award.amount_fen), org=award.org.name)


@consequence("contract.sign", _l("Sign and publish"))
def sign(contract) -> str:
    return _("%(amount)s is committed from the fund “%(fund)s” to %(org)s and the contract "
             "is published for everyone to read.", amount=money(contract.price_fen),
             fund=contract.fund.name, org=contract.org.name)


@consequence("contract.close", _l("Close the contract"))
def close(contract) -> str:
    return _("No more payments or expenditures on this contract: the unpaid %(unpaid)s is "
             "released and the %(cash)s that %(org)s still holds is returned to the fund.",
             unpaid=money(contract.undisbursed_fen), cash=money(contract.cash_fen),
             org=contract.org.name)


@consequence("redemption.issue", _l("Get a code"))
def issue(tenant) -> str:
    return _("The points you entered are taken from your account now and you get a code to "
             "use once at the merchant. Until it is used you can cancel it and keep the points.")


@consequence("redemption.cancel", _l("Cancel and keep my points"))
def cancel_code(redemption) -> str:
    return _("The code stops working and the %(points)s points go back to your account.",
             points=redemption.points)


@consequence("redemption.consume", _l("Accept the code"))
def consume(org) -> str:
    return _("The code is used up at once and cannot be used again. Hand over the goods "
             "after accepting it.")


@consequence("redemption.settle", _l("Settle the merchant"))
def settle(redemption) -> str:
    return _("Pay %(merchant)s %(amount)s from the incentive line of the contract you chose. "
             "The payment is entered in the books at once.",
             merchant=redemption.merchant.name, amount=money(redemption.value_fen))
