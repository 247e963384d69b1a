"""What taking a need on and giving it back do, said before they are done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence
from app.parsing import SHANGHAI


def _late(need) -> bool:
    from app.db import utcnow

    return need.due_at <= utcnow()


@consequence("need.claim", _l("Take it on"))
def claim(need) -> str:
    if _late(need):
        return _("This need is past its deadline: your organization promises to meet it as "
                 "soon as it can; the resident is told and other organizations no longer see "
                 "it.")
    return _("Your organization promises to meet this need by %(day)s; the resident is told "
             "and other organizations no longer see it.",
             day=need.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d"))


@consequence("need.decline", _l("Give it back"))
def decline(need) -> str:
    return _("The need goes back to every organization serving the area, with your reason; "
             "the resident is told.")


@consequence("need.claim_in_person", _l("I will help"))
def claim_in_person(need) -> str:
    if _late(need):
        return _("This wish is past its deadline: you promise to help in person as soon as you "
                 "can; the resident is told your name and no one else can take it on.")
    return _("You promise to help in person by %(day)s; the resident is told your name and "
             "no one else can take it on.",
             day=need.due_at.astimezone(SHANGHAI).strftime("%Y-%m-%d"))


@consequence("need.share_phone", _l("Show my mobile number"))
def share_phone(need) -> str:
    from flask_login import current_user

    from app.needs.contact import RESIDENT, side

    if side(need, current_user) == RESIDENT:
        return _("Volunteer %(name)s will see your full mobile number on this wish and can "
                 "call you. Nobody else sees it. You can stop showing it at any time.",
                 name=need.claimed_volunteer.name)
    return _("The resident of this wish will see your full mobile number and can call you. "
             "Nobody else sees it. You can stop showing it at any time.")


@consequence("need.start_call", _l("Publish the call"))
def start_call(draft) -> str:
    return _("The call \"%(title)s\" is published with a ceiling of %(ceiling)s: organizations "
             "may apply until %(day)s, and the %(n)s needs chosen are linked to it. A published "
             "call cannot be taken back.", title=draft["title"], ceiling=draft["ceiling"],
             day=draft["deadline"], n=draft["count"])
