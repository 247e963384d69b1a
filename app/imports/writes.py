"""Writing the new rows of a confirmed import in bulk: one bulk INSERT per table and chunk (COPY
on PostgreSQL), never one ORM object per row.

A volunteer gets what registering online gives (``app.auth`` then ``app.volunteers``): an
account signed in with the mobile number, the resident and volunteer roles in the district,
and the volunteer record with its consent. The account has no password yet (a hash no
password matches, as a closed account has): nobody signs in to it until one is set. A
resident gets the account, the resident role and the district's record of their area and
group. An organization is registered as verified by the bureau that imports it. A past
service record is verified, tagged as imported, and earns no points (they were the other
system's to give). A record of the national volunteer system is the same, tagged with its
source and its number there.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import JSON, Table, insert, select

from app.auth.models import Role, RoleGrant, User
from app.extensions import db
from app.orgs.models import Organization, OrgStatus
from app.residents.models import ResidentProfile
from app.service.models import RecordMethod, RecordSource, RecordStatus, ServiceRecord
from app.volunteers.models import CONSENT_VERSION, VolunteerProfile

#: No password hashes to this: the account cannot be signed in to until one is set.
NO_PASSWORD = "!imported"


def _bulk(table: Table, rows: list[dict]) -> None:
    """INSERT the rows (each naming every column it fills, defaults included): COPY on
    PostgreSQL, in the session's transaction (several times faster than an executemany for
    thousands of rows), an INSERT … executemany elsewhere."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        db.session.execute(insert(table), rows)
        return
    columns = list(rows[0])
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = connection.connection.driver_connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[c], ensure_ascii=False) if c in as_json else row[c]
                            for c in columns])


def _accounts(rows: list[dict], name_key: str, now: datetime) -> list[int]:
    """New accounts, one per row; their ids in the rows' order (found again by the mobile
    number, which is unique: cheaper than RETURNING from a many-row INSERT)."""
    table = User.__table__
    _bulk(table, [
        {"phone": v["phone"], "email": None, "name": v[name_key], "password_hash": NO_PASSWORD,
         "is_platform_admin": False, "active": True, "large_text": False, "created_at": now}
        for v in rows])
    phones = [v["phone"] for v in rows]
    ids = dict(db.session.execute(select(table.c.phone, table.c.id)
                                  .where(table.c.phone.in_(phones))).all())
    return [ids[phone] for phone in phones]


def _grants(user_ids: list[int], tenant_id: int, roles: tuple[Role, ...], now: datetime) -> None:
    _bulk(RoleGrant.__table__, [
        {"user_id": u, "tenant_id": tenant_id, "org_id": None, "role": role.value,
         "created_at": now} for u in user_ids for role in roles])


def volunteers(tenant_id: int, rows: list[dict], now: datetime, **_) -> None:
    ids = _accounts(rows, "real_name", now)
    _grants(ids, tenant_id, (Role.RESIDENT, Role.VOLUNTEER), now)
    _bulk(VolunteerProfile.__table__, [
        {"tenant_id": tenant_id, "user_id": u, "real_name": v["real_name"], "gender": v["gender"],
         "birth_date": v["birth_date"], "id_number": v["id_number"], "area_id": v["area"],
         "phone": v["phone"], "skills": v["skills"], "service_categories": v["categories"],
         "consent_at": now, "consent_version": CONSENT_VERSION, "insurance_policy": None,
         "insurance_expires": None, "honour_listed": False, "honour_full_name": False,
         "shift_notices": False,
         "created_at": now} for u, v in zip(ids, rows, strict=True)])


def residents(tenant_id: int, rows: list[dict], now: datetime, **_) -> None:
    ids = _accounts(rows, "name", now)
    _grants(ids, tenant_id, (Role.RESIDENT,), now)
    _bulk(ResidentProfile.__table__, [
        {"tenant_id": tenant_id, "user_id": u, "area_id": v["area"], "target_group": v["group"],
         "id_number": v.get("id_number"), "created_at": now}
        for u, v in zip(ids, rows, strict=True)])


def organizations(tenant_id: int, rows: list[dict], now: datetime, confirmed_by: int,
                  **_) -> None:
    _bulk(Organization.__table__, [
        {"tenant_id": tenant_id, "name": v["name"], "credit_code": v["credit_code"],
         "kind": v["kind"], "status": OrgStatus.VERIFIED.value, "description": "",
         "legal_representative": v["legal_representative"], "contact_name": v["contact_name"],
         "contact_phone": v["contact_phone"], "contact_email": None, "parent_id": None,
         "is_incubator": False, "rejection_reason": "", "submitted_at": now, "reviewed_at": now,
         "reviewed_by_id": confirmed_by, "registered_by_id": None, "created_at": now}
        for v in rows])


def records(tenant_id: int, rows: list[dict], now: datetime, confirmed_by: int,
            org_names: dict[int, str], **_) -> None:
    _bulk(ServiceRecord.__table__, [
        {"tenant_id": tenant_id, "org_id": v["org_id"], "shift_id": None, "user_id": v["user_id"],
         "activity_name": v["activity"], "activity_date": v["date"], "place": v["place"],
         "content": v["content"], "category": v["category"],
         "organizing_unit": org_names.get(v["org_id"], ""), "leader_name": "",
         "scheduled_minutes": v["minutes"], "checked_in_at": v["starts_at"],
         "checked_out_at": v["ends_at"], "minutes": v["minutes"],
         "method": RecordMethod.IMPORT.value, "status": RecordStatus.VERIFIED.value,
         "is_late": False, "verified_at": now, "verified_by_id": confirmed_by,
         "marked_by_id": None, "checkin_ref": None, "checkout_ref": None, "points": 0,
         "source": RecordSource.SPREADSHEET.value, "source_key": None,
         "created_at": now} for v in rows])


def national(tenant_id: int, rows: list[dict], now: datetime, confirmed_by: int, **_) -> None:
    """Records of the national system: tagged with it and their number there, the organizing
    unit and the person who recorded them as it wrote them."""
    _bulk(ServiceRecord.__table__, [
        {"tenant_id": tenant_id, "org_id": v["org_id"], "shift_id": None, "user_id": v["user_id"],
         "activity_name": v["activity"], "activity_date": v["date"], "place": v["place"],
         "content": v["content"], "category": v["category"],
         "organizing_unit": v["organizing_unit"], "leader_name": v["leader_name"],
         "scheduled_minutes": v["minutes"], "checked_in_at": None, "checked_out_at": None,
         "minutes": v["minutes"], "method": RecordMethod.IMPORT.value,
         "status": RecordStatus.VERIFIED.value, "is_late": False, "verified_at": now,
         "verified_by_id": confirmed_by, "marked_by_id": None, "checkin_ref": None,
         "checkout_ref": None, "points": 0, "source": RecordSource.NATIONAL.value,
         "source_key": v["record_key"], "created_at": now} for v in rows])


WRITERS = {"volunteers": volunteers, "residents": residents, "organizations": organizations,
           "records": records, "national_records": national}
