"""What verifying an organization and removing staff do, said before they are done
(``app/confirm.py``)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("org.approve", _l("Approve registration"))
def approve(org) -> str:
    return _("%(name)s becomes a verified organization: it can publish projects and apply "
             "for funding at once.", name=org.name)


@consequence("org.reject", _l("Reject registration"))
def reject(org) -> str:
    return _("%(name)s is told it was rejected, with your reason; it may correct its "
             "registration and submit it again.", name=org.name)


@consequence("staff.remove", _l("Remove"))
def remove(member) -> str:
    org, user = member
    return _("%(person)s can no longer act for %(org)s from now on.", person=user.name,
             org=org.name)


@consequence("invitation.withdraw", _l("Withdraw"))
def withdraw(invitation) -> str:
    return _("The invitation stops working: the person can no longer accept it.")
