"""What answering a complaint and the resident's verdict do, said before they are done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("complaint.answer", _l("Send the answer"))
def answer(complaint) -> str:
    return _("The resident reads your answer at once and says whether they are satisfied; "
             "an answer sent cannot be changed.")


@consequence("complaint.satisfied", _l("I am satisfied"))
def satisfied(complaint) -> str:
    return _("The complaint is closed as settled; it cannot be reopened afterwards.")


@consequence("complaint.reopen", _l("Not satisfied: handle it again"))
def reopen(complaint) -> str:
    return _("The complaint goes back to be handled again with your reason and a new "
             "deadline, and is escalated step by step: first to the community's staff, then "
             "to the street's and to the civil affairs bureau.")
