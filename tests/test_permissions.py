"""Each role may do what it should and nothing more."""

from __future__ import annotations

import pytest

from app.auth.models import Role
from app.permissions import RULES, can

EXPECTED = {
    # action: roles (world.a.users attribute names) allowed on world.a.orgs[0]
    "tenant.administer": {"officer"},
    "org.verify": {"officer"},
    "area.manage": {"officer"},
    "area.assign_staff": {"officer"},
    "audit.read": {"officer", "auditor"},
    "tenant.oversee": {"officer", "auditor"},
    "org.view_internal": {"officer", "auditor", "admin", "coordinator", "bookkeeper"},
    "org.manage": {"admin"},
    "org.coordinate": {"admin", "coordinator"},
    "org.keep_books": {"admin", "bookkeeper"},
    "national.export": {"officer", "admin"},
}
PEOPLE = ["officer", "auditor", "overseer", "resident", "volunteer", "admin", "coordinator",
          "bookkeeper", "admin2"]


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_role_matrix(db, world, action):
    org = world.a.orgs[0]
    allowed = {who for who in PEOPLE if can(action, org, user=getattr(world.a.users, who))}
    assert allowed == EXPECTED[action]


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_no_role_reaches_into_another_tenant(db, world, action):
    org_b = world.b.orgs[0]
    assert not any(can(action, org_b, user=getattr(world.a.users, who)) for who in PEOPLE)


def test_auditor_has_no_write_rule(db, world):
    auditor = world.a.users.auditor
    writes = [a for a in RULES if not a.startswith(("audit.", "tenant.oversee", "org.view", "tenant.member"))
              and not a.endswith((".view", ".read", ".view_profile", ".view_personal_data"))]
    granted = [a for a in writes if can(a, world.a.orgs[0], user=auditor)]
    assert granted == []


def test_inactive_user_may_do_nothing(db, world):
    officer = world.a.users.officer
    officer.active = False
    assert not can("tenant.administer", world.a.orgs[0], user=officer)


def test_unknown_action_is_a_programming_error(db, world):
    with pytest.raises(KeyError):
        can("no.such.action", None, user=world.a.users.officer)


def test_platform_admin_flag(db, world):
    user = world.a.users.resident
    assert not can("platform.admin", user=user)
    user.is_platform_admin = True
    assert can("platform.admin", user=user)
    assert Role.RESIDENT in user.roles_in(world.a.tenant.id)
