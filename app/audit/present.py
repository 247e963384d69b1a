"""An audit entry as a person reads it: field names in words, people by name, money in yuan,
times in Beijing time and stored codes in words. The raw entry stays for the technical details.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit import words
from app.audit.log import names
from app.audit.models import AuditEntry
from app.extensions import db
from app.money import format_fen
from app.templating import joined, localtime

PEOPLE = {"user_id", "assignee_id", "leader_id", "overseer_id", "volunteer_id", "resident_id"}


def _references() -> dict[str, tuple]:
    """Fields that point at another row, and the column that names that row."""
    from app.funding.models import Application, Call, Fund
    from app.funding.models_contracts import Contract, ContractLine
    from app.funding.models_spending import Merchant
    from app.needs.models import Need
    from app.orgs.models import Organization
    from app.projects.models import Project
    from app.tenancy.models import Area

    return {"contract_id": (Contract, Contract.number), "org_id": (Organization, Organization.name),
            "fund_id": (Fund, Fund.name), "line_id": (ContractLine, ContractLine.name),
            "project_id": (Project, Project.name), "call_id": (Call, Call.title),
            "application_id": (Application, Application.title),
            "merchant_id": (Merchant, Merchant.name), "area_id": (Area, Area.name),
            "claimed_org_id": (Organization, Organization.name), "need_id": (Need, Need.what),
            "incubator_id": (Organization, Organization.name),
            "filed_with_id": (Area, Area.name)}


def name_of(kind: str, ident: int, tenant_id: int | None) -> str | None:
    """What a row is called (合同 → its number, 专项资金 → its name), when it has a name."""
    if f"{kind}_id" not in _references():
        return None
    model, column = _references()[f"{kind}_id"]
    return db.session.scalar(select(column).where(model.id == ident, model.tenant_id == tenant_id))


def _named(entry: AuditEntry, fields: list[str]) -> dict[tuple[str, int], str]:
    """(field, id) → the name of the row it points at, a query per kind of row."""
    found = {}
    for name, (model, column) in _references().items():
        ids = {v for v in entry.changes.get(name, []) if isinstance(v, int)} if name in fields else set()
        if ids:
            rows = db.session.execute(select(model.id, column).where(
                model.id.in_(ids), model.tenant_id == entry.tenant_id)).all()
            found |= {(name, i): text for i, text in rows if text}
    return found


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


def _text(table: str, name: str, stored, people: dict[int, str], named: dict) -> str:
    if stored is None or stored == "":
        return "—"
    if (word := words.value(table, name, stored)) is not None:
        return word
    if is_person(name) and isinstance(stored, int):
        return people.get(stored, _("Person %(n)s", n=stored))
    if name.endswith("_id") and isinstance(stored, int):
        return named.get((name, stored), f"#{stored}")
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
        return joined(stored)
    if isinstance(stored, list | dict):
        return _("(see the technical details)")
    return str(stored)


def changes(entry: AuditEntry) -> list[Change]:
    fields = shown(entry)
    people = names(v for k in fields if is_person(k)
                   for v in entry.changes[k] if isinstance(v, int))
    named = _named(entry, fields)
    return [Change(words.field(k, entry.object_type), *(_text(entry.object_type, k, v, people, named)
                                                       for v in entry.changes[k])) for k in fields]


def field_list(entry: AuditEntry) -> str:
    """The changed fields in words, for one line of the log."""
    return joined(words.field(k, entry.object_type) for k in shown(entry))
