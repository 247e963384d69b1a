"""A walk of the pages' forms: every page each role can open, the forms it renders, and the
inputs of a given kind in them (a date, a datetime, a time, an amount), so a test can send
each input its extremes with the rest of the form as the page filled it in."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from tests.test_isolation import build, methods, tenant_rules

ROLES = ["officer", "admin", "coordinator", "bookkeeper", "volunteer", "resident", "auditor",
         "overseer"]
SKIPPED_TYPES = ("submit", "button", "file", "checkbox", "radio")
#: What the walk types into an input the page left empty, so that the rest of the form is
#: valid and the input under test is what decides.
TYPED = {"date": "2026-06-01", "datetime-local": "2026-06-01T10:00", "time": "10:00",
         "number": "1", "decimal": "1", "email": "walk@example.com", "tel": "13800000000",
         "password": "", "hidden": "", "search": ""}


def kind_of(tag: str, attrs: dict) -> str | None:
    """``date``, ``datetime-local``, ``time`` or ``number`` by the input's type; ``decimal``
    for an amount or a percentage (typed with a decimal keyboard)."""
    if tag != "input":
        return None
    if attrs.get("type") in ("date", "datetime-local", "time", "number"):
        return attrs["type"]
    return "decimal" if attrs.get("inputmode") == "decimal" else None


class Forms(HTMLParser):
    """Every form of a page: its action, method, fields with the values the page gave them,
    and the kind of each input that has one."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "method": (a.get("method") or
                               "get").upper(), "fields": {}, "kinds": {}})
        elif not self.forms or ("name" not in a and tag != "option"):
            return
        elif tag == "textarea" or tag == "input" and a.get("type") not in SKIPPED_TYPES:
            kind = kind_of(tag, a)
            typed = TYPED.get(kind or a.get("type") or "text", "走访")
            self.forms[-1]["fields"][a["name"]] = a.get("value") or typed
            if kind:
                self.forms[-1]["kinds"][a["name"]] = kind
        elif tag == "input" and a.get("type") in ("checkbox", "radio") and "checked" in a:
            self.forms[-1]["fields"].setdefault(a["name"], a.get("value", "y"))
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and a.get("value"):
            fields = self.forms[-1]["fields"]
            if "selected" in a or self._select not in fields:
                fields[self._select] = a["value"]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def clients(app, world, login) -> dict:
    """A signed-in client per role of tenant A, and an anonymous one."""
    found = {}
    for role in ROLES:
        found[role] = login(getattr(world.a.users, role), c=app.test_client())
    found["anonymous"] = app.test_client()
    return found


def discover(app, world, by_role: dict, kinds: set[str], ids: dict | None = None) -> dict:
    """(endpoint, input) → (role, form, kind) for every input of ``kinds`` in the forms of every
    page of tenant A that some role can open (the first role that sees it sends it); the
    pages' objects are organization 1's from the isolation world, or ``ids``."""
    found = {}
    adapter = app.url_map.bind("localhost")
    for rule in tenant_rules(app):
        if "GET" not in methods(rule) or rule.rule.startswith("/api/"):
            continue
        url = build(rule, world.a.tenant.slug, ids or world.a.extra[0])
        for role, client in by_role.items():
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            parser = Forms()
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                action = urljoin(url, form["action"]) if form["action"] else url
                endpoint = adapter.match(urlsplit(action).path, method=form["method"])[0]
                for name, kind in form["kinds"].items():
                    # Rows of one form (``line_0``… ``line_6``, ``date_1``…) share one field
                    # class: the first row stands for them.
                    row = re.sub(r"_\d+$", "", name)
                    if kind in kinds and not any(n == name or re.sub(r"_\d+$", "", n) == row
                                                 for e, n in found if e == endpoint):
                        found[(endpoint, name)] = (role, {**form, "action": action}, kind)
    return found


def submit(client, form: dict, name: str, value: str):
    """The form as the page filled it in, with ``value`` in ``name``; redirects followed."""
    fields = {**form["fields"], name: value}
    if form["method"] == "GET":
        return client.get(f"{urlsplit(form['action']).path}?{urlencode(fields)}",
                          follow_redirects=True)
    return client.post(form["action"], data=fields, follow_redirects=True)
