"""Words for the codes of needs, as residents and staff read them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

URGENCY = {"routine": _l("Routine"), "soon": _l("Fairly urgent"), "urgent": _l("Urgent")}
#: Status in plain words, as a resident reads it on their phone.
STATUS = {"open": _l("Waiting for an organization"), "claimed": _l("Being handled"),
          "met": _l("Done: please confirm"), "confirmed": _l("Done and confirmed")}
LINK = {"booking": _l("A booking"), "shift": _l("A volunteer shift"), "project": _l("A project"),
        "note": _l("Done, described in words")}
OVERDUE = _l("Overdue")
