"""Words for incubation stages and a sponsor's answer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STAGE = {"admitted": _l("Admitted"), "nurturing": _l("Nurturing"),
         "graduated": _l("Graduated")}
SPONSOR_STATUS = {"pending": _l("Waiting for the sponsor"),
                  "confirmed": _l("Sponsorship confirmed"),
                  "declined": _l("Sponsor declined")}
STANDING = {"registered": _l("Registered organization"),
            "filed": _l("Filed community group")}
