"""Consultations: the bureau's officers open, close, enter paper and meeting votes and publish;
the bureau and the auditors read every one; residents on the district's roll in the community
read theirs, vote and comment; a published result is public and needs no rule."""

from __future__ import annotations

from app.permissions import BUREAU, OVERSIGHT, has_tenant_role, rule, tenant_of


def _is_consultation(obj) -> bool:
    from app.consultations.models import Consultation

    return isinstance(obj, Consultation)


@rule("consultation.manage")
def _manage(user, obj) -> bool:
    return has_tenant_role(user, obj, *BUREAU)


@rule("consultation.list.view")
def _list(user, tenant) -> bool:
    """The consultations page: anyone of the district (each sees what concerns them)."""
    return bool(user.roles_in(tenant_of(tenant)))


@rule("consultation.view")
def _view(user, consultation) -> bool:
    if not _is_consultation(consultation):
        return False
    from app.consultations.services import lives_in

    return has_tenant_role(user, consultation, *OVERSIGHT) or lives_in(user, consultation)


@rule("consultation.take_part")
def _take_part(user, consultation) -> bool:
    """Vote and comment: a resident of the community on the roll (the service says whether
    voting is open and whether they have voted)."""
    if not _is_consultation(consultation):
        return False
    from app.consultations.services import lives_in

    return lives_in(user, consultation)
