"""Rules: bureau officers and auditors read the settings page; bureau officers propose and
decide changes (the service asks that a money rule's approver is not its proposer). The
public page 资金和激励规则 needs no rule."""

from __future__ import annotations

from app.permissions import BUREAU, OVERSIGHT, has_tenant_role, rule


@rule("rules.view")
def _view(user, tenant) -> bool:
    return has_tenant_role(user, tenant, *OVERSIGHT)


@rule("rules.propose", "rules.decide")
def _change(user, obj) -> bool:
    return has_tenant_role(user, obj, *BUREAU)
