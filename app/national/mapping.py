"""The national system's template layout, kept as data (``template.json`` beside this file,
or the file named by the ``NATIONAL_TEMPLATE`` setting): for volunteers and for service
records, the sheet name, the title row, the header row, and per column its header text, our
field, its format and whether it is required.

Followed: the batch-import templates for volunteers and for service hours with the fields of
民政部令第67号 Art. 5 (volunteer) and Art. 7 (service record), version "2021" as written in
the file. When the national system changes its template, the file is edited; the export
writes and the import reads whatever it says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from flask import current_app, has_app_context

DEFAULT = Path(__file__).with_name("template.json")
#: The only kind of ID document recorded here (居民身份证).
ID_TYPE = "居民身份证"
GENDERS = {"M": "男", "F": "女"}
LIST_MARK = "、"
FORMATS = ("text", "id_type", "id_number", "phone", "gender", "date", "hours", "list")


@dataclass(frozen=True)
class Field:
    header: str
    field: str
    format: str = "text"
    required: bool = False
    width: int = 14
    date_format: str = "%Y-%m-%d"

    @property
    def title(self) -> str:
        """As the template writes it: a required column's header ends with *."""
        return self.header + ("*" if self.required else "")


@dataclass(frozen=True)
class Layout:
    sheet: str
    title: str
    header_row: int
    columns: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        return next((c for c in self.columns if c.field == name), None)


@dataclass(frozen=True)
class Template:
    system: str
    version: str
    volunteers: Layout
    records: Layout


def _layout(data: dict) -> Layout:
    columns = []
    for c in data["columns"]:
        if c.get("format", "text") not in FORMATS:
            raise ValueError(f"unknown format {c.get('format')!r} for {c['field']!r}")
        columns.append(Field(str(c["header"]), str(c["field"]), c.get("format", "text"),
                             bool(c.get("required")), int(c.get("width", 14)),
                             c.get("date_format", "%Y-%m-%d")))
    return Layout(str(data["sheet"])[:31], str(data.get("title", "")),
                  max(1, int(data.get("header_row", 1))), tuple(columns))


@lru_cache(maxsize=4)
def _load(path: str, stamp: float) -> Template:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return Template(data["system"], data["version"], _layout(data["volunteers"]),
                    _layout(data["records"]))


def current() -> Template:
    """The template in use: the file named by ``NATIONAL_TEMPLATE``, else the one kept here
    (read again when the file changes)."""
    path = Path((current_app.config.get("NATIONAL_TEMPLATE") if has_app_context() else None)
                or DEFAULT)
    return _load(str(path), path.stat().st_mtime)


def hours(minutes: int) -> Decimal:
    """Minutes as decimal hours to the hundredth (0.01 h is 0.6 minute: read back, the
    minutes come out the same)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def cell(field: Field, value):
    """A value of ours as the template writes it."""
    kind = field.format
    if kind == "id_type":
        return ID_TYPE
    if value is None:
        return None
    if kind == "gender":
        return GENDERS.get(value, "")
    if kind == "date":
        return value.strftime(field.date_format) if isinstance(value, date) else str(value)
    if kind == "hours":
        return float(hours(int(value)))
    if kind == "list":
        return LIST_MARK.join(str(v) for v in value or ())
    return str(value)
