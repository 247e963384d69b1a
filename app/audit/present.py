"""An audit entry as a person reads it: field names in words, people by name, money in yuan,
times in Beijing time and stored codes in words. The raw entry stays for the technical details.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from app.audit import words
from app.audit.log import names
from app.audit.models import AuditEntry
from app.money import format_fen
from app.templating import localtime

PEOPLE = {"user_id", "assignee_id", "leader_id", "overseer_id", "volunteer_id"}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def is_person(name: str) -> bool:
    return name in PEOPLE or name.endswith("_by_id")


def shown(entry: AuditEntry) -> list[str]:
    """The fields of the entry a person reads (not the technical ones), in stored order."""
    return [k for k in sorted(entry.changes or {}) if k not in words.TECHNICAL]


def _text(table: str, name: str, stored, people: dict[int, str]) -> str:
    if stored is None or stored == "":
        return "—"
    if (word := words.value(table, name, stored)) is not None:
        return word
    if is_person(name) and isinstance(stored, int):
        return people.get(stored, _("Person %(n)s", n=stored))
    if isinstance(stored, bool):
        return _("Yes") if stored else _("No")
    if name.endswith("_fen") and isinstance(stored, int):
        return format_fen(stored)
    if name.endswith("_at") and isinstance(stored, str):
        try:
            return localtime(datetime.fromisoformat(stored))
        except ValueError:
            return stored
    if isinstance(stored, list) and all(isinstance(v, str | int) for v in stored):
        return "、".join(str(v) for v in stored)
    if isinstance(stored, list | dict):
        return _("(see the technical details)")
    return str(stored)


def changes(entry: AuditEntry) -> list[Change]:
    fields = shown(entry)
    people = names(v for k in fields if is_person(k)
                   for v in entry.changes[k] if isinstance(v, int))
    return [Change(words.field(k), *(_text(entry.object_type, k, v, people)
                                     for v in entry.changes[k])) for k in fields]


def field_list(entry: AuditEntry) -> str:
    """The changed fields in words, for one line of the log."""
    return "、".join(words.field(k) for k in shown(entry))
