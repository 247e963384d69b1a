"""Who may read the books. Nobody writes them through a page: money moves only as
events from the domains that cause it (``app.books.outbox.emit``)."""

from __future__ import annotations

from app.auth.models import Role
from app.permissions import OVERSIGHT, has_tenant_role, is_staff, org_of, rule, tenant_of


@rule("books.org_statement.read")
def _read_org_books(user, org) -> bool:
    """An organization's own statement: its admin and bookkeeper, the bureau, auditors."""
    return (is_staff(user, tenant_of(org), org_of(org), Role.ORG_ADMIN, Role.ORG_BOOKKEEPER)
            or has_tenant_role(user, org, *OVERSIGHT))
