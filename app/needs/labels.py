"""Words for the codes of needs, as residents and staff read them."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.glossary import TERMS

URGENCY = {"routine": _l("Routine"), "soon": _l("Fairly urgent"), "urgent": _l("Urgent")}
#: Status in plain words, as a resident reads it on their phone.
STATUS = {"open": _l("Waiting for an organization"), "claimed": _l("Being handled"),
          "met": _l("Done: please confirm"), "confirmed": _l("Done and confirmed")}
LINK = {"booking": _l("A booking"), "slot": _l("A service slot"), "shift": _l("A volunteer shift"), "project": _l("A project"),
        "note": _l("Done, described in words")}
OVERDUE = _l("Overdue")
ESCALATED = TERMS["escalated"].label


def escalation_step(record) -> str:
    """One step of a late need's escalation, as a tag reads it ("已上报幸福社区")."""
    if record.area_id is None:
        return str(ESCALATED)
    return _("Escalated to %(area)s", area=record.area.name)
