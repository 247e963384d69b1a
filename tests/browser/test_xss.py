"""Stored XSS in a real browser: a second tenant on the live server has a script payload in
every free-text column (``tests/payloads.py``); pages that show them are opened in Chromium
as the people who see them. No payload may run (``window.__xss`` stays undefined, no
``<img src=x>`` exists), the payload must be on the page as text, and the page must load
without breaking the Content-Security-Policy.
"""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD


@pytest.fixture(scope="module")
def payload_tenant(live_server):
    """The two-tenant test world on the live server's database, tenant A filled with
    payloads; returns the accounts and the pages each of them opens."""
    from app.db_commit import commit
    from tests.factories import build_world
    from tests.payloads import complete, fill

    _base, app = live_server
    with app.app_context():
        world = build_world()
        a, ids = world.a, world.a.extra[0]
        complete(a)
        fill(a.tenant.id)
        t = f"/t/{a.tenant.slug}"
        project = ids["project_id"]
        visits = {
            None: [f"{t}/projects/{project}", f"{t}/orgs/{a.orgs[0].id}", f"{t}/projects?q=xss",
                   f"{t}/funding/notices/{ids['award_id']}", f"{t}/open"],
            a.users.resident.phone: [f"{t}/service/received", "/inbox"],
            a.users.admin.phone: [f"{t}/service/org/{a.orgs[0].id}/feedback",
                                  f"{t}/orgs/{a.orgs[0].id}/edit", f"{t}/projects/{project}/manage",
                                  f"{t}/funding/expenditures/{ids['expenditure_id']}",
                                  f"{t}/service/shifts/{ids['shift_id']}"],
            a.users.officer.phone: [f"{t}/orgs/{a.orgs[0].id}/review",
                                    f"{t}/oversight/findings/{ids['finding_id']}",
                                    f"{t}/funding/contracts/{ids['contract_id']}",
                                    f"{t}/audit/log", f"{t}/spot-checks/{ids['spot_check_id']}"],
        }
        commit()
    return visits


def test_payloads_show_as_text_and_never_run(journey, payload_tenant):
    for account, paths in payload_tenant.items():
        j = journey(f"xss-{account or 'anonymous'}")
        j.page.set_default_timeout(10000)
        if account:
            j.login(account, PASSWORD)
            j.page.wait_for_load_state()
        for path in paths:
            page = j.go(path)
            page.wait_for_load_state("load")
            assert page.evaluate("typeof window.__xss") == "undefined", path
            assert page.locator("img[src='x']").count() == 0, path
            assert page.locator("[onerror], [onfocus], [onclick]").count() == 0, path
            assert "__xss" in page.content(), f"{path} shows no payload"
            assert j.problems == [], f"{path}: {j.problems}"
        j.shot("payloads as text")
