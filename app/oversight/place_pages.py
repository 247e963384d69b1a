"""Figures by place and group (按地区和群体): the bureau's page, and what the public page and
the .xlsx share with it (the period chosen, the file)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from app.oversight import place_columns, places
from app.oversight.views import bp
from app.parsing import local_today, query_dates
from app.permissions import require
from app.tenancy.scoping import current_tenant

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def quick_periods(today: date | None = None) -> list[tuple[object, date | None, date | None]]:
    """The periods offered at one tap: this month, this quarter, this year, all time."""
    today = today or local_today()
    quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return [(_l("This month"), today.replace(day=1), today),
            (_l("This quarter"), quarter, today),
            (_l("This year"), date(today.year, 1, 1), today),
            (_l("All time"), None, None)]


def chosen_period(args) -> tuple[date | None, date | None, list[str]]:
    """The period in the query (``start``, ``end``; either may be empty), dates refused with
    their messages; a period that ends before it starts is turned round."""
    days, refused = query_dates(args, "start", "end")
    start, end = days["start"], days["end"]
    if start and end and end < start:
        start, end = end, start
    return start, end, refused


def xlsx_bytes(tenant, out: places.Breakdown) -> bytes:
    """The page's two tables and its two lists as a workbook, in the page's words."""
    from app.oversight.export_kinds import write_places

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "places.xlsx"
        write_places(path, tenant, out)
        return path.read_bytes()


def page_context(out: places.Breakdown, refused: list[str]) -> dict:
    """What the page shows, each figure already in words: a district of a thousand areas is
    twelve thousand cells, too many to translate and format one by one in the template."""
    columns = [(c, str(c.label)) for c in place_columns.COLUMNS]

    def cells(figures) -> list[tuple[str, str, str, bool]]:
        return [(c.key, label, place_columns.shown(figures, c), c.first)
                for c, label in columns]

    return {"out": out, "labels": [place_columns.name_and_unit(label) for _, label in columns],
            "cells": cells,
            "periods": quick_periods(), "refused": refused,
            "period": place_columns.period_words(out.start, out.end),
            "cells_of": {n.id: (place_columns.node_name(n), cells(n.figures))
                         for n in out.rows()},
            "idle": {n.id for n in out.unserved},
            "groups": [(name, cells(f)) for name, f in place_columns.group_rows(out)]}


@bp.route("/places")
@login_required
def places_page():
    tenant = current_tenant()
    require("oversight.view", tenant)
    start, end, refused = chosen_period(request.args)
    out = places.compute(tenant, start, end)
    return render_template("oversight/places.html", **page_context(out, refused)), \
        400 if refused else 200
