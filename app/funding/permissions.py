"""Who may do what with public funding. Organization-owned objects go through the foundation's
``org.*`` rules (``org.view_internal``: the org's staff, the bureau, auditors; ``org.manage``:
its admin; ``org.keep_books``: admin and bookkeeper; ``org.coordinate``: admin and
coordinator); these rules add the bureau's, the overseers', the volunteers' and the public's."""

from __future__ import annotations

from app.auth.models import ORG_ROLES, Role
from app.permissions import (
    BUREAU,
    OVERSIGHT,
    has_tenant_role,
    is_staff,
    org_of,
    public,
    rule,
    tenant_of,
)


@rule("funding.view")
def _bureau_read(user, obj) -> bool:
    """Funds, calls, applications, awards and contracts of the whole tenant (read-only)."""
    return has_tenant_role(user, obj, *OVERSIGHT)


@rule("funding.manage")
def _bureau_write(user, obj) -> bool:
    """Appropriate, publish, award, sign, pay, answer, resolve, correct, close."""
    return has_tenant_role(user, obj, *BUREAU)


@rule("funding.apply")
def _apply(user, org) -> bool:
    return is_staff(user, tenant_of(org), org_of(org), Role.ORG_ADMIN)


@rule("funding.oversee")
def _oversee(user, obj) -> bool:
    """Resident overseers (居务监督) may object to expenditures in their window."""
    return has_tenant_role(user, obj, Role.OVERSEER)


@rule("funding.expenditure.view")
def _expenditure_view(user, expenditure) -> bool:
    """The org's staff, bureau and auditors; overseers once it is open for oversight."""
    if is_staff(user, tenant_of(expenditure), org_of(expenditure)) or has_tenant_role(
            user, expenditure, *OVERSIGHT):
        return True
    return bool(getattr(expenditure, "needs_window", False)
                and getattr(expenditure, "window_ends_at", None) is not None
                and has_tenant_role(user, expenditure, Role.OVERSEER))


@rule("funding.receipt.view")
def _receipt_view(user, receipt) -> bool:
    """The org's staff, bureau and auditors; overseers, the receipts of spending open to them."""
    if is_staff(user, tenant_of(receipt), org_of(receipt)) or has_tenant_role(
            user, receipt, *OVERSIGHT):
        return True
    if getattr(receipt, "expenditure_id", None) is None or not has_tenant_role(
            user, receipt, Role.OVERSEER):
        return False
    from app.extensions import db
    from app.funding.models_spending import Expenditure

    expenditure = db.session.get(Expenditure, receipt.expenditure_id)
    return expenditure is not None and expenditure.tenant_id == tenant_of(receipt) and (
        _expenditure_view(user, expenditure))


@rule("funding.redeem")
def _redeem(user, obj) -> bool:
    return has_tenant_role(user, obj, Role.VOLUNTEER)


@rule("funding.redemption.view")
def _redemption_view(user, redemption) -> bool:
    """The volunteer who holds it, and the staff of the organization that owes the points."""
    return getattr(redemption, "user_id", None) == user.id or is_staff(
        user, tenant_of(redemption), org_of(redemption), *ORG_ROLES)


@rule("funding.contract.public_view")
@public
def _public_contract(user, contract) -> bool:
    """A signed contract is published (its text, price and tranches; no personal data)."""
    return bool(getattr(contract, "is_published", False))
