"""What sending a community notice does, said with its numbers before it is done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("notice.send", _l("Send the notice"))
def send(draft) -> str:
    reach = draft.reach
    whom = (_("%(group)s of %(area)s and the areas under it", group=draft.group,
              area=draft.area.name) if draft.group
            else _("everyone on the roll in %(area)s and the areas under it",
                   area=draft.area.name))
    return _("“%(title)s” goes to %(n)s residents (%(whom)s): in their inbox, and %(sms)s of "
             "them by text message too. %(out)s who stopped community notices are skipped. A "
             "sent notice cannot be called back.", title=draft.title, n=reach.reached,
             whom=whom, sms=reach.by_sms, out=reach.opted_out)
