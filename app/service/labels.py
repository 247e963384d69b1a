"""Words shown for stored codes (methods, statuses), in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

METHOD_LABELS = {
    "qr": _l("QR code"),
    "coordinator": _l("marked by the coordinator"),
    "manual": _l("added by staff"),
    "correction": _l("corrected"),
    "import": _l("imported"),
}
#: Where an imported record came from.
SOURCE_LABELS = {
    "": _l("a spreadsheet"),
    "national": _l("the national volunteer system"),
}
RECORD_STATUS_LABELS = {
    "open": _l("checked in"),
    "verified": _l("verified"),
    "void": _l("did not serve"),
}
REQUEST_STATUS_LABELS = {
    "pending": _l("awaiting approval"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
}
REQUEST_KIND_LABELS = {
    "manual": _l("hours added by hand"),
    "correction": _l("correction"),
}


def labels() -> dict:
    return {"method_labels": METHOD_LABELS, "record_status_labels": RECORD_STATUS_LABELS,
            "request_status_labels": REQUEST_STATUS_LABELS,
            "request_kind_labels": REQUEST_KIND_LABELS, "record_source_labels": SOURCE_LABELS}
