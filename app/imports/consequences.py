"""What confirming and cancelling an import do, said before they are done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("import.confirm", _l("Import the valid rows"))
def confirm(batch) -> str:
    said = _("%(n)s new rows are written; rows already recorded stay as they are, and rows "
             "with problems are left out.", n=batch.valid_rows)
    if batch.kind in ("volunteers", "residents"):
        said += _(" Each new person gets an account with their mobile number as its sign-in, "
                  "without a password: nobody can sign in to it until one is set.")
    if batch.kind == "national_records":
        said += _(" Each record keeps its national record number, so importing it again adds "
                  "nothing; it counts once towards the volunteer's hours and stars, and earns no "
                  "points here.")
    return said


@consequence("import.cancel", _l("Cancel the import"))
def cancel(batch) -> str:
    return _("Nothing from this file is written, and the file is deleted.")
