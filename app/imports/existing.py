"""What the database already holds for the rows of a file: a row recorded identically is
"already there" (已存在) and left alone; one whose key is taken by something different is an
error. Keys are looked up in chunks of the file's own keys (never one query per row, never
the whole table), so a file of 100,000 rows costs a few hundred queries.

Keys: volunteers by ID number (and their mobile number, which is their account), residents
by mobile number, organizations by credit code, records by volunteer, organization and
start (the date, for records given only in hours).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.auth.models import Role, RoleGrant, User
from app.extensions import db
from app.imports.checks import ERROR, Row
from app.imports.models import ImportKind
from app.orgs.models import Organization
from app.residents.models import ResidentProfile
from app.service.models import RecordSource, RecordStatus, ServiceRecord
from app.volunteers.models import VolunteerProfile

CHUNK = 1000


def chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    batch: list = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _lookup(column, keys: Iterable, *columns, where=()) -> dict:
    """``{key: row}`` for the rows whose ``column`` is one of ``keys``."""
    found = {}
    for part in chunks(sorted(set(keys))):
        for row in db.session.execute(select(column, *columns).where(column.in_(part), *where)):
            found[row[0]] = row
    return found


def _ok(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.state != ERROR]


def mark(kind: str, tenant_id: int, rows: list[Row]) -> None:
    """Rows already recorded identically become "existing"; a key taken by something else, an
    error. Rows checked a while ago are first checked for areas and organizations removed
    since."""
    _still_there(kind, tenant_id, rows)
    {ImportKind.VOLUNTEERS: _volunteers, ImportKind.RESIDENTS: _residents,
     ImportKind.ORGANIZATIONS: _organizations, ImportKind.RECORDS: _records,
     ImportKind.NATIONAL: _national}[kind](tenant_id, rows)


def _still_there(kind: str, tenant_id: int, rows: list[Row]) -> None:
    from app.tenancy.models import Area

    if kind in (ImportKind.RECORDS, ImportKind.NATIONAL):
        known = set(db.session.scalars(select(Organization.id).where(
            Organization.tenant_id == tenant_id)))
        key, message = "org_id", _l("No organization of this district has this name or credit code.")
        blame = "org" if kind == ImportKind.RECORDS else "organizing_unit"
    elif kind in (ImportKind.VOLUNTEERS, ImportKind.RESIDENTS):
        known = set(db.session.scalars(select(Area.id).where(Area.tenant_id == tenant_id)))
        key, blame, message = "area", "area", _l("No area of this district has this name.")
    else:
        return
    for row in _ok(rows):
        if row.values.get(key) is not None and row.values[key] not in known:
            row.refuse(blame, message)


def _volunteers(tenant_id: int, rows: list[Row]) -> None:
    rows = _ok(rows)
    p = VolunteerProfile
    profiles = _lookup(p.id_number, (r.values["id_number"] for r in rows), p.user_id, p.real_name,
                       p.gender, p.birth_date, p.phone, p.area_id, p.skills, p.service_categories,
                       where=(p.tenant_id == tenant_id,))
    accounts = _lookup(User.phone, (r.values["phone"] for r in rows), User.id)
    for row in rows:
        v = row.values
        known = profiles.get(v["id_number"])
        account = accounts.get(v["phone"])
        if known is not None:
            same = (known.real_name, known.gender, known.birth_date, known.phone, known.area_id,
                    known.skills, list(known.service_categories or [])) == (
                v["real_name"], v["gender"], v["birth_date"], v["phone"], v["area"],
                v["skills"], v["categories"])
            if same and account is not None and account.id == known.user_id:
                row.existing = True
            else:
                row.refuse("id_number", _l("This ID number is already registered here with "
                                           "other details."))
        elif account is not None:
            row.refuse("phone", _l("An account with this mobile number already exists: the "
                                   "person registers as a volunteer themselves."))


def _residents(tenant_id: int, rows: list[Row]) -> None:
    rows = _ok(rows)
    accounts = _lookup(User.phone, (r.values["phone"] for r in rows), User.id, User.name)
    ids = [a.id for a in accounts.values()]
    residents = set(_lookup(RoleGrant.user_id, ids, where=(
        RoleGrant.tenant_id == tenant_id, RoleGrant.role == Role.RESIDENT)))
    profiles = _lookup(ResidentProfile.user_id, ids, ResidentProfile.area_id,
                       ResidentProfile.target_group, ResidentProfile.id_number,
                       where=(ResidentProfile.tenant_id == tenant_id,))
    held = _lookup(ResidentProfile.id_number, (r.values["id_number"] for r in rows
                                               if r.values.get("id_number")),
                   ResidentProfile.user_id, where=(ResidentProfile.tenant_id == tenant_id,))
    for row in rows:
        v = row.values
        account = accounts.get(v["phone"])
        holder = held.get(v.get("id_number"))
        if holder is not None and (account is None or holder.user_id != account.id):
            row.refuse("id_number", _l("This ID number is already registered here with "
                                       "other details."))
            continue
        if account is None:
            continue
        profile = profiles.get(account.id)
        if (account.name == v["name"] and account.id in residents and profile is not None
                and (profile.area_id, profile.target_group, profile.id_number)
                == (v["area"], v["group"], v.get("id_number"))):
            row.existing = True
        else:
            row.refuse("phone", _l("An account with this mobile number already exists with "
                                   "other details."))


def _organizations(tenant_id: int, rows: list[Row]) -> None:
    rows = _ok(rows)
    o = Organization
    known = _lookup(o.credit_code, (r.values["credit_code"] for r in rows), o.name, o.kind,
                    o.legal_representative, o.contact_name, o.contact_phone,
                    where=(o.tenant_id == tenant_id,))
    for row in rows:
        v = row.values
        org = known.get(v["credit_code"])
        if org is None:
            continue
        if tuple(org[1:]) == (v["name"], v["kind"], v["legal_representative"], v["contact_name"],
                              v["contact_phone"]):
            row.existing = True
        else:
            row.refuse("credit_code", _l("An organization with this credit code is already "
                                         "registered here with other details."))


def _instant(moment) -> int | None:
    return None if moment is None else int(moment.astimezone(UTC).timestamp())


def _records(tenant_id: int, rows: list[Row]) -> None:
    rows = _ok(rows)
    p = VolunteerProfile
    volunteers = _lookup(p.id_number, (r.values["id_number"] for r in rows), p.user_id,
                         where=(p.tenant_id == tenant_id,))
    r = ServiceRecord
    started, by_day = set(), set()
    for part in chunks(sorted({v.user_id for v in volunteers.values()})):
        for user_id, org_id, day, start, method in db.session.execute(
                select(r.user_id, r.org_id, r.activity_date, r.checked_in_at, r.method)
                .where(r.tenant_id == tenant_id, r.user_id.in_(part))):
            if start is not None:
                started.add((user_id, org_id, _instant(start)))
            elif method == "import":
                by_day.add((user_id, org_id, day))
    for row in rows:
        v = row.values
        volunteer = volunteers.get(v["id_number"])
        if volunteer is None:
            row.refuse("id_number", _l("No volunteer with this ID number is registered here."))
            continue
        v["user_id"] = volunteer.user_id
        if v["starts_at"] is not None:
            row.existing = (v["user_id"], v["org_id"], _instant(v["starts_at"])) in started
        else:
            row.existing = (v["user_id"], v["org_id"], v["date"]) in by_day


def _national(tenant_id: int, rows: list[Row]) -> None:
    """A national record is already here, and is not written again, when (1) a record with its
    record number came from the national system before, or (2) the volunteer has a record made
    here (not from the national system, not voided) on the same day, of the same activity,
    with the same minutes: the same service, recorded here and reported there, counts once.
    Two national records alike but for their numbers are two services, both kept."""
    rows = _ok(rows)
    p = VolunteerProfile
    volunteers = _lookup(p.id_number, (r.values["id_number"] for r in rows), p.user_id,
                         p.real_name, where=(p.tenant_id == tenant_id,))
    r = ServiceRecord
    keys = set(_lookup(r.source_key, (row.values["record_key"] for row in rows), where=(
        r.tenant_id == tenant_id, r.source == RecordSource.NATIONAL)))
    served = set()
    for part in chunks(sorted({v.user_id for v in volunteers.values()})):
        served.update(db.session.execute(
            select(r.user_id, r.activity_date, r.activity_name, r.minutes)
            .where(r.tenant_id == tenant_id, r.user_id.in_(part),
                   r.status != RecordStatus.VOID, r.source != RecordSource.NATIONAL)).tuples())
    for row in rows:
        v = row.values
        volunteer = volunteers.get(v["id_number"])
        if volunteer is None:
            row.refuse("id_number", _l("No volunteer with this ID number is registered here."))
            continue
        if volunteer.real_name != v["real_name"]:
            row.refuse("real_name", _l("The name does not match the volunteer registered here "
                                       "with this ID number."))
            continue
        v["user_id"] = volunteer.user_id
        row.existing = (v["record_key"] in keys or
                        (v["user_id"], v["date"], v["activity"], v["minutes"]) in served)
        if not row.existing and v.get("org_id") is None:
            row.refuse("organizing_unit", _l(
                "No organization of this district has this name: the organization that "
                "served imports this record itself."))
