"""What a filed community group may do, as the district's rules say (规则设置, ``app.rules``):

- ``filed_group_projects``: whether it publishes projects itself;
- ``filed_group_grants`` and ``filed_group_grant_cap_fen``: whether it receives small grants,
  up to the cap, paid through its sponsoring hub or incubator organization.

Each domain asks here and raises its own refusal with the words returned (None: allowed).
The ledger names the sponsor as the payee of a filed group's contract (``payee``), so the
money is on record as received by the sponsor on the group's behalf.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.money import format_fen
from app.orgs.models import Organization
from app.tenancy.models import Tenant


def _tenant(org: Organization) -> Tenant:
    return db.session.get(Tenant, org.tenant_id)


def publishing_refusal(org: Organization, on: date | None = None):
    """Why ``org`` may not publish a project (None when it may)."""
    if not org.is_filed or _tenant(org).setting("filed_group_projects", on) == "yes":
        return None
    return _l("The district's rules let only registered organizations publish projects; a "
              "filed group runs its activities through its sponsor.")


def grant_refusal(org: Organization, amount_fen: int, on: date | None = None):
    """Why ``org`` may not receive funding of ``amount_fen`` (None when it may): a filed
    group only small grants through its sponsor, when the rules allow them, up to the cap."""
    if not org.is_filed:
        return None
    tenant = _tenant(org)
    if tenant.setting("filed_group_grants", on) != "through_sponsor":
        return _l("The district's rules do not fund filed community groups; the sponsor may "
                  "apply as a registered organization instead.")
    sponsor = db.session.get(Organization, org.parent_id) if org.parent_id else None
    if sponsor is None:
        return _l("A filed group receives grants only through its sponsor, and this group "
                  "has none.")
    cap = int(tenant.setting("filed_group_grant_cap_fen", on))
    if amount_fen > cap:
        return _l("%(amount)s is above the largest small grant a filed group may receive "
                  "(%(cap)s), paid through its sponsor %(sponsor)s. A larger grant goes to a "
                  "registered organization.", amount=format_fen(amount_fen),
                  cap=format_fen(cap), sponsor=sponsor.name)
    return None


def sponsor_of(org: Organization) -> Organization | None:
    """The organization a filed group's grants are paid through (None for others)."""
    if not org.is_filed or not org.parent_id:
        return None
    return db.session.get(Organization, org.parent_id)


def payee(org: Organization) -> str:
    """Who the ledger names as paid: the sponsor, on the filed group's behalf."""
    sponsor = sponsor_of(org)
    if sponsor is None:
        return org.name
    return f"{sponsor.name}（代{org.name}）"
