"""Words for the codes of complaints, as residents and staff read them."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.glossary import TERMS

KIND = {"service": _l("A service I received"), "organization": _l("An organization"),
        "volunteer": _l("A volunteer"), "process": _l("The process (办事流程)")}
#: The kind as a field's value ("投诉对象：组织").
KIND_SHORT = {"service": _l("Service received"), "organization": TERMS["organization"].label,
              "volunteer": TERMS["volunteer"].label, "process": _l("Process")}
#: Status in plain words, one word per state (the glossary's, where it has one).
STATUS = {"open": _l("Waiting to be handled"), "answered": _l("Answered: is it settled?"),
          "satisfied": _l("Settled: the resident is satisfied"),
          "reopened": _l("To be handled again")}
ESCALATED = TERMS["escalated"].label
OVERDUE = _l("Overdue")
BUREAU = _l("The civil affairs bureau")
#: The bureau's filter on how long complaints have been open: (days at least, words).
AGES = [(3, _l("Open 3 days or more")), (7, _l("Open 7 days or more")),
        (15, _l("Open 15 days or more")), (30, _l("Open 30 days or more"))]
#: The bureau's filter on where complaints stand.
STATES = {"waiting": _l("Waiting for an answer"), "overdue": OVERDUE, "escalated": ESCALATED,
          "answered": STATUS["answered"], "satisfied": STATUS["satisfied"]}


def escalated_to(record) -> str:
    """Where a step took the complaint, as a tag reads it ("已上报阳光社区", "已上报民政局")."""
    if record.area_id is None:
        return str(ESCALATED)
    return _("Escalated to %(area)s", area=record.area.name)
