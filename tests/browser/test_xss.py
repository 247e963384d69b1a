"""Stored XSS in a real browser: a second tenant on the live server has a script payload in
every free-text column (the ``payload_world`` fixture); pages that show them are opened in
Chromium as the people who see them. No payload may run (``window.__xss`` stays undefined,
no ``<img src=x>`` or event handler exists), the payload must be on the page as text, and
the page must load without a script error or a Content-Security-Policy violation.
"""

from __future__ import annotations

from tests.factories import PASSWORD


def visits(w) -> dict[str | None, list[str]]:
    t, ids, org = f"/t/{w.slug}", w.ids, w.org_id
    return {
        None: [f"{t}/projects/{ids['project_id']}", f"{t}/orgs/{org}", f"{t}/projects?q=xss",
               f"{t}/funding/notices/{ids['award_id']}", f"{t}/open"],
        "resident": [f"{t}/service/received", "/inbox"],
        "admin": [f"{t}/service/org/{org}/feedback", f"{t}/orgs/{org}/edit",
                  f"{t}/projects/{ids['project_id']}/manage",
                  f"{t}/funding/expenditures/{ids['expenditure_id']}",
                  f"{t}/service/shifts/{ids['shift_id']}"],
        "officer": [f"{t}/orgs/{org}/review", f"{t}/oversight/findings/{ids['finding_id']}",
                    f"{t}/funding/contracts/{ids['contract_id']}", f"{t}/audit/log",
                    f"{t}/spot-checks/{ids['spot_check_id']}"],
    }


def test_payloads_show_as_text_and_never_run(journey, payload_world):
    for role, paths in visits(payload_world).items():
        j = journey(f"xss-{role or 'anonymous'}")
        j.page.set_default_timeout(10000)
        if role:
            j.login(payload_world.accounts[role], PASSWORD)
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
