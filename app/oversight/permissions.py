"""Who sees and works the anomaly queue and the dashboards.

Auditors read everything; bureau officers also run scans and assign and resolve findings.
The auditor never appears in a rule that changes data.
"""

from __future__ import annotations

from app.permissions import BUREAU, OVERSIGHT, has_tenant_role, rule


@rule("oversight.view")
def _view(user, obj) -> bool:
    return has_tenant_role(user, obj, *OVERSIGHT)


@rule("oversight.manage")
def _manage(user, obj) -> bool:
    return has_tenant_role(user, obj, *BUREAU)
