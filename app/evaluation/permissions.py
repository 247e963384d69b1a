"""Who evaluates. The bureau keeps templates and runs department and third-party evaluations
(entering a third party's scores); an organization's admin runs its self-evaluation and
rates the bureau's process. Auditors and the org's staff read."""

from __future__ import annotations

from app.auth.models import Role
from app.permissions import BUREAU, OVERSIGHT, has_tenant_role, is_staff, org_of, rule, tenant_of


@rule("evaluation.view")
def _view(user, obj) -> bool:
    return has_tenant_role(user, obj, *OVERSIGHT) or is_staff(user, tenant_of(obj), org_of(obj))


@rule("evaluations.view")
def _list(user, obj) -> bool:
    return has_tenant_role(user, obj, *OVERSIGHT) or bool(user.org_ids(tenant_of(obj)))


@rule("evaluation.manage")
def _manage(user, obj) -> bool:
    return has_tenant_role(user, obj, *BUREAU)


@rule("evaluation.self")
def _self(user, org) -> bool:
    """Start a self-evaluation of ``org``."""
    return is_staff(user, tenant_of(org), org_of(org), Role.ORG_ADMIN)


@rule("evaluation.score")
def _score(user, evaluation) -> bool:
    if getattr(evaluation, "mode", None) == "self":
        return is_staff(user, tenant_of(evaluation), org_of(evaluation), Role.ORG_ADMIN)
    return has_tenant_role(user, evaluation, *BUREAU)


@rule("evaluation.feedback")
def _feedback(user, evaluation) -> bool:
    return getattr(evaluation, "mode", None) not in (None, "self") and is_staff(
        user, tenant_of(evaluation), org_of(evaluation), Role.ORG_ADMIN)
