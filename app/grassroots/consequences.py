"""What answering for a group and moving it on do, said before they are done
(``app/confirm.py``): neither can be undone."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("group.sponsor", _l("Confirm sponsorship"))
def sponsor(group) -> str:
    return _("Your organization becomes the sponsor of %(group)s: the group enters your "
             "incubation at the stage Admitted, goes to the bureau for verification, and any "
             "small grant it receives is paid to your organization on its behalf.",
             group=group.name)


@consequence("group.sponsor_decline", _l("Decline sponsorship"))
def decline(group) -> str:
    return _("%(group)s is told you decline, with your note; it may name another sponsor.",
             group=group.name)


@consequence("group.move", _l("Move to the next stage"))
def move(incubation) -> str:
    from app.extensions import db
    from app.grassroots.labels import STAGE
    from app.grassroots.services import next_stage
    from app.orgs.models import Organization

    group = db.session.get(Organization, incubation.org_id)
    target = next_stage(incubation)
    if target is None:
        return _("%(group)s has already graduated.", group=group.name)
    return _("%(group)s moves from %(from)s to %(to)s on the day you gave; a move cannot be "
             "taken back.", group=group.name, **{"from": STAGE[incubation.stage],
                                                  "to": STAGE[target]})
