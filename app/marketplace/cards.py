"""The result cards of the search page, written in one pass.

A page shows twenty cards of some thirty pieces each; in the template every piece costs a
step of the page's generator at each level of the page (card, content block, layout), which
made the cards most of the time a search page took. Here each card is one format string
filled with escaped values, and the labels are translated once per page.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.marketplace.services import Card
from app.projects.covers import cover_url
from app.templating import localtime

_CARD = (
    '<li class="result">'
    '<img class="cover" src="{cover}" alt="" width="640" height="360" loading="lazy">'
    '<div><h2><a href="{href}">{name}</a></h2>'
    '<p><span class="tag">{category}</span>{tags}</p>'
    '{theme}'
    '<p class="muted">{org}{next}</p>'
    '<p>{places}</p>'
    '</div></li>'
)


def _tag(text) -> str:
    return f' <span class="tag">{escape(text)}</span>'


def render(cards: list[Card]) -> Markup:
    """``<li>`` items for ``cards``; a line that says so when there are none."""
    if not cards:
        return Markup('<li class="result">{}</li>').format(
            _("No project matches. Try fewer words or other filters."))
    t_slot = _("%(n)s service places left", n="%(n)s")
    t_shift = _("%(n)s volunteer places left", n="%(n)s")
    t_next, t_full = escape(_("next")), escape(_("Full or no upcoming dates"))
    projects = url_for("marketplace.search")  # each project's page is under this path
    out = []
    for c in cards:
        places = []
        if c.slot_places:
            places.append(f'<span class="places">{escape(t_slot % {"n": c.slot_places})}</span>')
        if c.shift_places:
            places.append(f'<span class="places">{escape(t_shift % {"n": c.shift_places})}</span>')
        if not places:
            places.append(f'<span class="places full">{t_full}</span>')
        tags = (_tag(c.area_name) if c.area_name else "") + "".join(map(_tag, c.target_groups))
        out.append(_CARD.format(
            cover=escape(cover_url(c)), href=f"{projects}/{c.id}", name=escape(c.name),
            category=escape(c.category), tags=tags,
            theme=f"<p>{escape(c.theme)}</p>" if c.theme else "",
            org=escape(c.org_name),
            next=f" · {t_next} {localtime(c.next_start, '%m-%d %H:%M')}" if c.next_start else "",
            places=" ".join(places)))
    return Markup("".join(out))
