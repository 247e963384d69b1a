"""Words for an import's stored codes, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS = {"validating": _l("Being checked"), "ready": _l("Checked"),
          "importing": _l("Being written"), "done": _l("Imported"),
          "cancelled": _l("Cancelled"), "failed": _l("Stopped")}
KIND = {"volunteers": _l("Volunteer records"), "residents": _l("Resident records"),
        "organizations": _l("Organizations"), "records": _l("Past service records"),
        "national_records": _l("Service records from the national volunteer system")}
