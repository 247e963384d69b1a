"""What cancelling a recurring schedule does, said before it is done (``app/confirm.py``)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("series.cancel", _l("Cancel the schedule"))
def cancel(series) -> str:
    from app.schedules.services import dates_of

    return _("Every date of this recurring schedule still to come (%(n)s) is cancelled; "
             "everyone signed up for any of them is told once. Dates already past stay. "
             "This cannot be undone.", n=len(dates_of(series)))
