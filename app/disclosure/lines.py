"""Names for the ledger's budget-line codes when a contract line does not name them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LINES = {"Transport": _l("Transport"), "Materials": _l("Materials"), "Printing": _l("Printing"),
         "Insurance": _l("Insurance"), "Incentives": _l("Incentives"), "Staff": _l("Staff"),
         "Other": _l("Other")}


def line_label(code: str) -> str:
    return str(LINES.get(code, code))
