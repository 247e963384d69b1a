"""Words for how an attendance is known, as staff, residents and the bureau read them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SOURCE = {"qr": _l("scanned the code"), "staff": _l("marked by staff"),
          "resident": _l("confirmed by the resident")}
CAME = _l("Came")
NO_SHOW = _l("No-show")
