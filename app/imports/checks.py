"""Checking rows: each cell on its own (``cells``), then what the cells say together (the
gender and date of birth the ID number gives, start before end), then duplicates inside the
file. What the database already holds is ``existing``'s part.

A ``Row`` keeps the cells as they came (for the annotated file), the cleaned ``values`` (for
the writes) and at most one problem per column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.imports import cells
from app.imports.cells import CellError
from app.imports.columns import GENDER_WORDS, Spec
from app.imports.models import ImportKind
from app.orgs.models import Organization
from app.parsing import SHANGHAI, local_today
from app.tenancy.models import Area, Tenant

NEW, EXISTING, ERROR = "new", "existing", "error"


@dataclass
class Row:
    number: int
    cells: tuple
    values: dict = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    existing: bool = False

    @property
    def state(self) -> str:
        return ERROR if self.problems else EXISTING if self.existing else NEW

    def refuse(self, key: str, message) -> None:
        self.problems.setdefault(key, str(message))


class Areas:
    """The tenant's areas by full name path (幸福街道/阳光社区/第1网格) or by a name that is
    unique in the district."""

    AMBIGUOUS = -1

    def __init__(self, tenant_id: int):
        rows = db.session.execute(select(Area.id, Area.parent_id, Area.name, Area.path)
                                  .where(Area.tenant_id == tenant_id)).all()
        names = {r.id: r.name for r in rows}
        self.by_label: dict[str, int] = {}
        self.by_name: dict[str, int] = {}
        ordered = sorted(rows, key=lambda r: [int(p) for p in r.path.strip("/").split("/") if p])
        for r in ordered:
            ids = [int(p) for p in r.path.strip("/").split("/") if p] or [r.id]
            self.by_label["/".join(names.get(i, "") for i in ids)] = r.id
            self.by_name[r.name] = self.AMBIGUOUS if r.name in self.by_name else r.id

    @property
    def labels(self) -> list[str]:
        return list(self.by_label)

    def find(self, value, required: bool) -> int | None:
        raw = cells.text(value, 400, required)
        if not raw:
            return None
        for mark in ("／", "·", "＞", ">", "\\", "、"):
            raw = raw.replace(mark, "/")
        raw = "/".join(part.strip() for part in raw.split("/") if part.strip())
        found = self.by_label.get(raw) or self.by_name.get(raw)
        if found == self.AMBIGUOUS:
            raise CellError(_l("Several areas have this name: write the full path, as in the "
                               "list."))
        if found is None:
            raise CellError(_l("No area of this district has this name."))
        return found


class Orgs:
    """The tenant's organizations by name and by credit code."""

    def __init__(self, tenant_id: int):
        rows = db.session.execute(select(Organization.id, Organization.name,
                                         Organization.credit_code)
                                  .where(Organization.tenant_id == tenant_id)).all()
        self.names = {r.id: r.name for r in rows}
        self.by_key = {r.name: r.id for r in rows} | {r.credit_code: r.id for r in rows}

    def find(self, value) -> int | None:
        raw = cells.text(value, 120)
        if not raw:
            return None
        found = self.by_key.get(raw) or self.by_key.get(raw.upper())
        if found is None:
            raise CellError(_l("No organization of this district has this name or credit code."))
        return found


class Checker:
    """Checks the rows of one kind against one tenant's lists."""

    def __init__(self, spec: Spec, tenant: Tenant, org_id: int | None):
        self.spec, self.tenant, self.org_id = spec, tenant, org_id
        self.areas = Areas(tenant.id)
        self.categories = set(tenant.setting("service_categories"))
        self.groups = set(tenant.setting("target_groups"))
        self.kinds = set(tenant.setting("org_kinds"))
        self.orgs = Orgs(tenant.id) if spec.kind in (ImportKind.RECORDS,
                                                      ImportKind.NATIONAL) else None
        self.today = local_today()
        self.date_format = "%Y-%m-%d"
        if spec.kind == ImportKind.NATIONAL:
            from app.national import mapping

            column = mapping.current().records.field("date")
            self.date_format = column.date_format if column else self.date_format
        self._check = {ImportKind.VOLUNTEERS: self._volunteer, ImportKind.RESIDENTS: self._resident,
                       ImportKind.ORGANIZATIONS: self._organization,
                       ImportKind.RECORDS: self._record,
                       ImportKind.NATIONAL: self._national}[spec.kind]

    def row(self, number: int, raw: tuple, positions: dict[str, int]) -> Row:
        row = Row(number, raw)
        given = {key: (raw[i] if i < len(raw) else None) for key, i in positions.items()}
        self._check(row, given)
        return row

    def _cell(self, row: Row, key: str, read, *args):
        try:
            value = read(*args)
        except CellError as exc:
            row.refuse(key, exc)
            return None
        row.values[key] = value
        return value

    def _volunteer(self, row: Row, c: dict) -> None:
        self._cell(row, "real_name", cells.text, c.get("real_name"), 40, True)
        number = self._cell(row, "id_number", cells.id_number, c.get("id_number"))
        gender = self._cell(row, "gender", cells.choice, c.get("gender"), GENDER_WORDS)
        birth = self._cell(row, "birth_date", cells.day, c.get("birth_date"), False)
        self._cell(row, "phone", cells.phone, c.get("phone"))
        self._cell(row, "area", self.areas.find, c.get("area"), False)
        self._cell(row, "skills", cells.text, c.get("skills"), 500)
        self._cell(row, "categories", cells.many, c.get("categories"), self.categories)
        if self._cell(row, "consent", cells.yes, c.get("consent")) is False:
            row.refuse("consent", _l("Only volunteers who agreed (是) can be recorded."))
        if number:
            from_id = cells.id_gender(number)
            if gender and GENDER_WORDS[gender] != from_id:
                row.refuse("gender", _l("The gender does not match the ID number."))
            born = cells.id_birth_date(number)
            if birth and birth != born:
                row.refuse("birth_date", _l("The date of birth does not match the ID number."))
            row.values["gender"], row.values["birth_date"] = from_id, born

    def _resident(self, row: Row, c: dict) -> None:
        self._cell(row, "name", cells.text, c.get("name"), 60, True)
        self._cell(row, "phone", cells.phone, c.get("phone"))
        self._cell(row, "area", self.areas.find, c.get("area"), True)
        self._cell(row, "group", cells.choice, c.get("group"), self.groups)
        given = c.get("id_number")
        if given is not None and str(given).strip():  # optional: the resident may claim online
            self._cell(row, "id_number", cells.id_number, given)
        else:
            row.values["id_number"] = None

    def _organization(self, row: Row, c: dict) -> None:
        self._cell(row, "name", cells.text, c.get("name"), 120, True)
        self._cell(row, "credit_code", cells.credit_code, c.get("credit_code"))
        self._cell(row, "kind", cells.choice, c.get("kind"), self.kinds, True)
        self._cell(row, "legal_representative", cells.text, c.get("legal_representative"), 40)
        self._cell(row, "contact_name", cells.text, c.get("contact_name"), 40, True)
        self._cell(row, "contact_phone", cells.phone, c.get("contact_phone"))

    def _record(self, row: Row, c: dict) -> None:
        self._cell(row, "id_number", cells.id_number, c.get("id_number"))
        day = self._cell(row, "date", cells.day, c.get("date"))
        start = self._cell(row, "start", cells.clock, c.get("start"))
        end = self._cell(row, "end", cells.clock, c.get("end"))
        minutes = self._cell(row, "hours", cells.hours, c.get("hours"))
        self._cell(row, "activity", cells.text, c.get("activity"), 120, True)
        self._cell(row, "category", cells.choice, c.get("category"), self.categories)
        self._cell(row, "place", cells.text, c.get("place"), 200)
        self._cell(row, "content", cells.text, c.get("content"), 2000)
        org_id = self._cell(row, "org", self.orgs.find, c.get("org"))
        if "org" not in row.problems:
            if org_id is None and self.org_id is None:
                row.refuse("org", _l("This column must be filled in."))
            elif self.org_id is not None and org_id not in (None, self.org_id):
                row.refuse("org", _l("Only your own organization's records can be imported."))
            row.values["org_id"] = org_id or self.org_id
        if day and day > self.today:
            row.refuse("date", _l("A past record cannot be dated after today."))
        if (start is None) != (end is None) and not row.problems.keys() & {"start", "end"}:
            row.refuse("end" if end is None else "start",
                       _l("Give both the start and the end, or neither (and the hours)."))
        if start and end:
            served = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
            if served <= 0:
                row.refuse("end", _l("The end must be after the start."))
            elif minutes is not None and abs(minutes - served) > 1:
                row.refuse("hours", _l("The hours do not match the start and end."))
            minutes = served
        elif minutes is None and not row.problems.keys() & {"start", "end", "hours"}:
            row.refuse("hours", _l("Give the hours, or the start and the end."))
        row.values["minutes"] = minutes
        if day and start and end:
            row.values["starts_at"] = _utc(day, start)
            row.values["ends_at"] = _utc(day, end)
        else:
            row.values["starts_at"] = row.values["ends_at"] = None

    def _national(self, row: Row, c: dict) -> None:
        """A record of the national system: its number, the volunteer (registered here, by
        ID number), the activity, the day and the hours; the organizing unit is one of the
        district's organizations, else (for an organization's import) the organization
        importing it, the unit's name kept as written."""
        from app.national import mapping

        self._cell(row, "record_key", cells.text, c.get("record_key"), 80, True)
        self._cell(row, "real_name", cells.text, c.get("real_name"), 40, True)
        kind = cells.text(c.get("id_type"), 40) if isinstance(c.get("id_type"), str) else ""
        if kind not in ("", mapping.ID_TYPE):
            row.refuse("id_type", _l("Only mainland resident ID cards (居民身份证) are recorded "
                                     "here."))
        self._cell(row, "id_number", cells.id_number, c.get("id_number"))
        self._cell(row, "activity", cells.text, c.get("activity"), 120, True)
        day = self._cell(row, "date", national_day, c.get("date"), self.date_format)
        minutes = self._cell(row, "hours", cells.hours, c.get("hours"))
        if minutes is None and "hours" not in row.problems:
            row.refuse("hours", _l("This column must be filled in."))
        row.values["minutes"] = row.values.pop("hours", None)
        self._cell(row, "place", cells.text, c.get("place"), 200)
        self._cell(row, "content", cells.text, c.get("content"), 2000)
        self._cell(row, "category", cells.text, c.get("category"), 40)
        self._cell(row, "leader_name", cells.text, c.get("leader_name"), 60)
        unit = self._cell(row, "organizing_unit", cells.text, c.get("organizing_unit"), 120, True)
        if unit:
            # A unit not registered here, in the district's import: refused by ``existing``
            # unless the record is already here (the file may come back from an export).
            org_id = self.orgs.by_key.get(unit) or self.orgs.by_key.get(unit.upper())
            if self.org_id is not None and org_id not in (None, self.org_id):
                row.refuse("organizing_unit",
                           _l("Only your own organization's records can be imported."))
            row.values["org_id"] = org_id or self.org_id
        if day and day > self.today:
            row.refuse("date", _l("A past record cannot be dated after today."))
        row.values["starts_at"] = row.values["ends_at"] = None


def national_day(value, date_format: str):
    """A date as the national template writes it (its ``date_format``), or as ``cells.day``
    reads any date."""
    if isinstance(value, str):
        try:
            return datetime.strptime(value.strip(), date_format).date()
        except ValueError:
            pass
    return cells.day(value)


def _utc(day, clock) -> datetime:
    return datetime.combine(day, clock, SHANGHAI).astimezone(UTC)


#: Per kind, the cleaned values that may appear once in a file, with the column to blame.
UNIQUE_IN_FILE = {
    ImportKind.VOLUNTEERS: (("id_number", ("id_number",)), ("phone", ("phone",))),
    ImportKind.RESIDENTS: (("phone", ("phone",)), ("id_number", ("id_number",))),
    ImportKind.ORGANIZATIONS: (("credit_code", ("credit_code",)),),
    ImportKind.RECORDS: (("id_number", ("id_number", "org_id", "date", "starts_at")),),
    ImportKind.NATIONAL: (("record_key", ("record_key",)),),
}


def duplicates_in_file(kind: str, rows: list[Row]) -> None:
    """A key seen in an earlier row makes the later row an error, naming the earlier row."""
    for column, parts in UNIQUE_IN_FILE[kind]:
        seen: dict[tuple, int] = {}
        for row in rows:
            if row.problems.keys() & set(parts):
                continue
            key = tuple(row.values.get(p) for p in parts)
            if all(part is None for part in key):
                continue  # an optional key left empty
            if key in seen:
                row.refuse(column, _l("The same as row %(n)s of this file.", n=seen[key]))
            else:
                seen[key] = row.number
