"""What approving or rejecting a change to a rule does, said before it is done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.confirm import consequence
from app.rules.catalogue import CATALOGUE, words


def _said(change) -> dict:
    spec = CATALOGUE[change.rule]
    return {"rule": spec.name, "new": words(spec, change.after),
            "day": change.effective_from.isoformat()}


@consequence("rule.approve", _l("Approve the change"))
def approve(change) -> str:
    return _("From %(day)s, %(rule)s becomes %(new)s for every organization, volunteer and "
             "resident of the district, and the public rules page says so. It cannot be taken "
             "back: a later change can only set a new value from a later day.", **_said(change))


@consequence("rule.reject", _l("Reject the change"))
def reject(change) -> str:
    return _("The proposed change of %(rule)s to %(new)s from %(day)s will not take effect. "
             "Your reason is kept with it.", **_said(change))
