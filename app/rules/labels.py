"""Words for the codes of rule changes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS = {"pending": _l("Waiting for a second officer's approval"),
          "approved": _l("Approved: in force from its day"), "rejected": _l("Rejected")}
