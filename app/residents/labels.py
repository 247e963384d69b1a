"""Words for how a resident gave consent, and for acts done on their behalf."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CONSENT_HOW = {"spoken": _l("Spoken, in front of me"), "written": _l("Written, a signed form")}
CONSENT_SHORT = {"spoken": _l("spoken"), "written": _l("written")}
