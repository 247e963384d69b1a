"""What signing a person out everywhere does, said before it is done (``app/confirm.py``)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence


@consequence("person.sign_out", _l("Sign out on every device"))
def sign_out(person) -> str:
    return _("%(name)s will be signed out on every phone and computer, and every API token of "
             "the account stops working at once. The account stays open: they can sign in again "
             "with their password.", name=person.name)
