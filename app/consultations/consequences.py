"""What voting, ending the voting and publishing the result do, said before they are done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("consultation.vote", _l("Cast my vote"))
def vote(option) -> str:
    """``option``: the one chosen on the ballot, named so the resident sees what they choose."""
    return _("You are voting for “%(option)s”. Each resident has one vote; once cast it "
             "cannot be changed.", option=option.title)


@consequence("consultation.close", _l("End the voting"))
def close(consultation) -> str:
    return _("Residents can no longer vote or comment online; paper and meeting votes can "
             "still be entered before the result is published.")


@consequence("consultation.publish", _l("Publish the result"))
def publish(consultation) -> str:
    return _("The counts are shown to everyone and can be cited by a call; nothing more can "
             "be entered afterwards.")
