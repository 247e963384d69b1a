"""Browser journeys in real Chromium (Debian's ``chromium``) driven by Playwright.

A live server runs the app from the factory on its own database, migrated and
loaded with the demo tenant, in a thread. Screenshots of every journey step are
kept under ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import functools
import json
import os
import re
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db as _db
from tests import dbsetup
from tests.conftest import test_config

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
#: axe-core, installed from package.json by ``make test`` (``npm ci``).
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: Every check's findings, one JSON object a line, for reading after a run.
AXE_LOG = ROOT / "test-artifacts" / "axe.jsonl"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
#: Each page a journey shows is checked at both widths.
WIDTHS = (PHONE["viewport"], DESKTOP["viewport"])
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="session")
def live_server(tmp_root):
    """The demo app served on 127.0.0.1 (random port) for the whole session."""
    folder = tmp_root / "browser"
    folder.mkdir(exist_ok=True)
    url = dbsetup.create_database(folder, label="browser")
    config = test_config(folder, url)
    config.update({"TESTING": False, "WTF_CSRF_ENABLED": True, "SERVER_NAME": None,
                   "JOBS_INLINE_RAISE": False})
    app = create_app(config)
    with app.app_context():
        upgrade()
        from app.db_commit import commit
        from app.demo import load

        load()
        commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()
    dbsetup.drop_database(url)


@pytest.fixture(scope="session")
def payload_world(live_server):
    """A second tenant on the live server (the two-tenant test world, ``tests/factories``)
    whose free-text columns all hold script payloads (``tests/payloads.py``): the ids of
    tenant A's objects, its slug and org, and each role's account (password ``PASSWORD``)."""
    from types import SimpleNamespace

    from app.db_commit import commit
    from tests.factories import build_world
    from tests.payloads import complete, fill

    _base, app = live_server
    with app.app_context():
        world = build_world()
        a = world.a
        complete(a)
        fill(a.tenant.id)
        found = SimpleNamespace(slug=a.tenant.slug, org_id=a.orgs[0].id, ids=dict(a.extra[0]),
                                accounts={role: u.phone for role, u in vars(a.users).items()})
        commit()
    return found


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (make test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync"])
        yield chromium
        chromium.close()


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE} (make test runs npm ci)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: a <script> tag (add_script_tag) would be
        # inline script, which the site's Content-Security-Policy rightly blocks.
        page.evaluate(_axe_source())
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                          ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                          " nodes: v.nodes.map(n => n.target.join(' '))}))")
    return [v for v in found if v["impact"] in BLOCKING]


class Journey:
    """A browser page with numbered screenshots under the journey's name. ``problems``
    collects script errors and anything the Content-Security-Policy blocked; every
    screenshot step also runs axe-core on the page at the phone and the desktop width,
    and ``problems`` gets its serious and critical findings."""

    def __init__(self, page, base: str, name: str):
        self.page, self.base, self.name, self.step = page, base, name, 0
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("console", lambda message: self.problems.append(message.text)
                if "Content Security Policy" in message.text else None)

    def go(self, path: str):
        self.page.goto(self.base + path)
        return self.page

    def shot(self, label: str) -> Path:
        self.step += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^a-z0-9-]+", "-", label.lower())
        path = ARTIFACTS / f"{self.name}-{self.step:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.check_accessibility(label)
        return path

    def check_accessibility(self, label: str = "") -> None:
        """Run axe-core on the page at both widths (then restore the journey's own)."""
        page = self.page
        own = page.viewport_size
        for size in WIDTHS:
            page.set_viewport_size(size)
            # The page's own resize handlers (a wide table made scrollable and focusable) run
            # with the next frame: wait for it, or axe may read the page between the two.
            page.evaluate("() => new Promise((done) => requestAnimationFrame(() => "
                          "requestAnimationFrame(done)))")
            found = axe_violations(page)
            with AXE_LOG.open("a", encoding="utf-8") as log:
                log.write(json.dumps({"journey": self.name, "step": label, "width": size["width"],
                                      "url": page.url.removeprefix(self.base),
                                      "violations": found}, ensure_ascii=False) + "\n")
            self.problems += [f"axe {v['impact']} {v['id']} at {size['width']}px on "
                              f"{page.url.removeprefix(self.base)} ({label}): {v['nodes'][:3]}"
                              for v in found]
        page.set_viewport_size(own)

    def confirm(self, expect: str = "", label: str = "") -> str:
        """Say yes in the dialog a confirmed action opens (``static/js/app.js``), after a
        screenshot of it; returns its sentence, which must contain ``expect``."""
        dialog = self.page.locator("dialog.confirm-dialog[open]")
        dialog.wait_for()
        said = dialog.locator("p").inner_text()
        assert expect in said, said
        if label:
            self.shot(label)
        dialog.locator("button.primary").click()
        self.page.wait_for_load_state()
        return said

    def login(self, account: str, password: str = "gongzhi2026"):
        self.go("/login")
        self.page.fill("#account", account)
        self.page.fill("#password", password)
        with self.page.expect_navigation():
            self.page.click("button.primary")
        self.page.wait_for_load_state()


@pytest.fixture
def journey(browser, live_server, request):
    base, _app = live_server

    def start(name: str, device: dict | None = None) -> Journey:
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **(device or PHONE))
        request.addfinalizer(context.close)
        journey = Journey(context.new_page(), base, name)
        journeys.append(journey)
        return journey

    journeys: list[Journey] = []
    yield start
    for journey in journeys:
        assert journey.problems == [], f"{journey.name}: {journey.problems}"

