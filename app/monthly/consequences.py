"""What making a month's reports does, said before it is done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("monthly.generate", _l("Publish the month's reports"))
def generate(tenant) -> str:
    return _("The month's reports for every organization and for the district are published "
             "at once on the public pages; a published report is never changed afterwards.")
