"""Words shown for stored codes (severity, status, outcome) in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SEVERITY = {"high": _l("High"), "medium": _l("Medium"), "low": _l("Low")}
STATUS = {"open": _l("Awaiting review"), "in_review": _l("In review"), "resolved": _l("Resolved")}
RESOLUTION = {"confirmed": _l("Confirmed as a problem"), "explained": _l("Explained")}
SCAN_STATUS = {"queued": _l("Queued"), "running": _l("Running"), "done": _l("Done"),
               "failed": _l("Failed")}
TRIGGER = {"nightly": _l("Nightly"), "manual": _l("On demand"), "cli": _l("Command line")}
ACTION = {"create": _l("Created"), "update": _l("Changed"), "delete": _l("Deleted")}
FIGURE = {"committed": _l("Committed"), "disbursed": _l("Disbursed"), "spent": _l("Spent"),
          "refunded": _l("Refunded"), "points_issued": _l("Points issued"),
          "points_redeemed": _l("Points redeemed")}
METHOD = {"qr": _l("Check-in code"), "coordinator": _l("Coordinator on the spot"),
          "manual": _l("Added by staff"), "correction": _l("Correction"),
          "import": _l("Imported from another system")}


def all_labels() -> dict[str, dict]:
    return {"severity": SEVERITY, "status": STATUS, "resolution": RESOLUTION,
            "scan_status": SCAN_STATUS, "trigger": TRIGGER, "action": ACTION}
