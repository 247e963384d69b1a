"""Everything the app holds about a person, for their own download (个人信息保护法 Art. 45):
a workbook people read (Chinese headers, words for codes, Beijing time) and JSON for machines.

Their own numbers are given in full (it is their data); names of other people in their records
(the activity leader, the staff member who answered) are masked.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit import words
from app.auth.models import User
from app.extensions import db
from app.glossary import term
from app.privacy import mask_name
from app.templating import joined, localtime

AUDIT_LIMIT = 1000  # the person's own most recent actions in the audit log


@dataclass
class Section:
    key: str
    title: object  # a lazy string: the sheet's name
    columns: list[tuple[str, object]]  # (JSON key, header)
    rows: list[dict]


def _plain(value):
    if isinstance(value, datetime):
        return localtime(value, "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return joined(value)
    return value


def _code(table: str, field: str, value) -> str:
    return words.value(table, field, value) or ("" if value is None else str(value))


def _rows(stmt, make: Callable) -> list[dict]:
    return [make(row) for row in db.session.scalars(stmt)]


def _names(model, ids) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))
                                   .execution_options(all_tenants=True)).all())


def collect(user: User) -> list[Section]:
    from app.attendance.models import SlotAttendance
    from app.complaints.models import Complaint
    from app.funding.models_spending import Merchant, Redemption
    from app.notifications.models import Notification
    from app.orgs.models import Organization
    from app.personal.services import consents_of
    from app.projects.models import ShiftSignup, SlotBooking
    from app.returnvisits.models import ReturnVisit
    from app.service import models as sv
    from app.tenancy.models import Area, Tenant
    from app.volunteers.models import VolunteerProfile

    tenants = _names(Tenant, [g.tenant_id for g in user.grants])
    orgs = _names(Organization, [g.org_id for g in user.grants])
    mine = lambda model: select(model).where(model.user_id == user.id).order_by(model.id)  # noqa: E731
    profiles = list(db.session.scalars(mine(VolunteerProfile)))
    tenants |= _names(Tenant, [p.tenant_id for p in profiles])
    areas = _names(Area, [p.area_id for p in profiles])
    merchants = _names(Merchant, db.session.scalars(select(Redemption.merchant_id).where(
        Redemption.user_id == user.id)))
    sections = [
        Section("account", _l("My account"), [("name", _l("Full name")), ("phone", _l("Mobile number")),
                                          ("email", _l("Email")), ("created_at", _l("Created at")),
                                          ("last_login_at", _l("Last signed in"))],
                [{"name": user.name, "phone": user.phone, "email": user.email,
                  "created_at": user.created_at, "last_login_at": user.last_login_at}]),
        Section("roles", _l("My roles"), [("role", _l("Role")), ("district", _l("District")),
                                          ("organization", _l("Organization"))],
                [{"role": term(g.role), "district": tenants.get(g.tenant_id, ""),
                  "organization": orgs.get(g.org_id, "")} for g in user.grants]),
        Section("consents", _l("Consent"), [("document", _l("Document")), ("version", _l("Version")),
                                            ("given_at", _l("Agreed at")),
                                            ("withdrawn_at", _l("Withdrawn at"))],
                [{"document": _code("consent", "document", c.document), "version": c.version,
                  "given_at": c.given_at, "withdrawn_at": c.withdrawn_at} for c in consents_of(user)]),
        Section("volunteer", term("volunteer_record"), [
            ("district", _l("District")), ("real_name", _l("Real name")), ("gender", _l("Gender")),
            ("birth_date", _l("Date of birth")), ("id_number", _l("ID number")),
            ("phone", _l("Mobile number")), ("area", _l("Residential area")),
            ("skills", _l("Professional skills")), ("service_categories", _l("Service categories")),
            ("insurance_policy", _l("Accident insurance policy number")),
            ("insurance_expires", _l("Insurance valid until")), ("consent_at", _l("Consent recorded"))],
            [{"district": tenants.get(p.tenant_id, ""), "real_name": p.real_name,
              "gender": _code("volunteer_profile", "gender", p.gender), "birth_date": p.birth_date,
              "id_number": p.id_number, "phone": p.phone, "area": areas.get(p.area_id, ""),
              "skills": p.skills, "service_categories": p.service_categories,
              "insurance_policy": p.insurance_policy, "insurance_expires": p.insurance_expires,
              "consent_at": p.consent_at} for p in profiles]),
        Section("service_records", term("service_record"), [
            ("date", _l("Date")), ("activity", _l("Activity")), ("place", _l("Place")),
            ("content", _l("Content")), ("unit", _l("Organizing unit")),
            ("leader", _l("Activity leader")), ("minutes", _l("Minutes served")),
            ("method", _l("How recorded")), ("status", _l("Status"))],
            _rows(mine(sv.ServiceRecord), lambda r: {
                "date": r.activity_date, "activity": r.activity_name, "place": r.place,
                "content": r.content, "unit": r.organizing_unit, "leader": mask_name(r.leader_name),
                "minutes": r.minutes, "method": _code("service_record", "method", r.method),
                "status": _code("service_record", "status", r.status)})),
        Section("hours_requests", _l("Hours request"), [
            ("created_at", _l("Submitted at")), ("kind", _l("Kind")), ("minutes", _l("Minutes served")),
            ("reason", _l("Reason")), ("status", _l("Status")), ("decided_at", _l("Decided at"))],
            _rows(mine(sv.HoursRequest), lambda r: {
                "created_at": r.created_at, "kind": _code("hours_request", "kind", r.kind),
                "minutes": r.minutes, "reason": r.reason,
                "status": _code("hours_request", "status", r.status), "decided_at": r.decided_at})),
        Section("training", _l("Training"), [("held_on", _l("Held on")), ("name", _l("Training name")),
                                             ("content", _l("Content")), ("minutes", _l("Minutes served")),
                                             ("organizer", _l("Organizer"))],
                _rows(mine(sv.TrainingRecord), lambda r: {
                    "held_on": r.held_on, "name": r.name, "content": r.content,
                    "minutes": r.minutes, "organizer": r.organizer})),
        Section("awards", _l("Awards"), [("awarded_on", _l("Awarded on")), ("name", _l("Honour")),
                                         ("grantor", _l("Granted by"))],
                _rows(mine(sv.AwardRecord), lambda r: {
                    "awarded_on": r.awarded_on, "name": r.name, "grantor": r.grantor})),
        Section("certificates", term("proof"), [
            ("number", _l("Certificate number")), ("date_from", _l("Date from")),
            ("date_to", _l("Date to")), ("minutes", _l("Total minutes")), ("issued", _l("Issued on"))],
            _rows(mine(sv.Certificate), lambda c: {
                "number": c.number, "date_from": c.date_from, "date_to": c.date_to,
                "minutes": c.total_minutes, "issued": c.created_at})),
        Section("signups", term("signup"), [
            ("project", _l("Project")), ("starts_at", _l("Start time")), ("place", _l("Place")),
            ("status", _l("Status"))],
            _rows(mine(ShiftSignup), lambda s: {
                "project": s.shift.project.name, "starts_at": s.shift.starts_at,
                "place": s.shift.place, "status": _code("shift_signup", "status", s.status)})),
        Section("bookings", term("booking"), [
            ("project", _l("Project")), ("starts_at", _l("Start time")), ("place", _l("Place")),
            ("status", _l("Status"))],
            _rows(mine(SlotBooking), lambda s: {
                "project": s.slot.project.name, "starts_at": s.slot.starts_at,
                "place": s.slot.place, "status": _code("slot_booking", "status", s.status)})),
        Section("attendance", term("attendance"), [
            ("project", _l("Project")), ("starts_at", _l("Start time")), ("came", _l("Came")),
            ("source", _l("How it is known")), ("recorded_at", _l("Recorded at"))],
            _rows(mine(SlotAttendance), lambda a: {
                "project": a.slot.project.name, "starts_at": a.slot.starts_at,
                "came": _("Yes") if a.attended else _("No"),
                "source": _code("slot_attendance", "source", a.source),
                "recorded_at": a.recorded_at})),
        Section("return_visits", term("return_visit"), [
            ("visited_at", _l("Visited at")), ("method", _l("How the visit was made")),
            ("reached", _l("Resident reached")), ("confirmed", _l("Confirms being served")),
            ("satisfaction", _l("Satisfaction")), ("remarks", _l("Remarks"))],
            _rows(select(ReturnVisit).where(ReturnVisit.resident_id == user.id,
                                            ReturnVisit.visited_at.is_not(None))
                  .order_by(ReturnVisit.id), lambda v: {
                "visited_at": v.visited_at, "method": _code("return_visit", "method", v.method),
                "reached": _("Yes") if v.reached else _("No"),
                "confirmed": "" if v.confirmed is None else (_("Yes") if v.confirmed else _("No")),
                "satisfaction": v.satisfaction, "remarks": v.remarks})),
        Section("points", _l("Points history"), [
            ("created_at", _l("Date")), ("kind", _l("Kind")), ("points", _l("Points")),
            ("balance_after", _l("Balance after")), ("memo", _l("Note"))],
            _rows(mine(sv.PointsEntry), lambda e: {
                "created_at": e.created_at, "kind": _code("points_entry", "kind", e.kind),
                "points": e.points, "balance_after": e.balance_after, "memo": e.memo})),
        Section("redemptions", term("redemption"), [
            ("created_at", _l("Date")), ("merchant", _l("Merchant")), ("points", _l("Points")),
            ("code", _l("Redemption code")), ("status", _l("Status"))],
            _rows(mine(Redemption), lambda r: {
                "created_at": r.created_at, "merchant": merchants.get(r.merchant_id, ""),
                "points": r.points, "code": r.code,
                "status": _code("redemption", "status", r.status)})),
        Section("ratings", _l("Ratings"), [("created_at", _l("Date")), ("score", _l("Score")),
                                           ("comment", _l("Comment")), ("reply", _l("Reply"))],
                _rows(mine(sv.ServiceRating), lambda r: {
                    "created_at": r.created_at, "score": r.score, "comment": r.comment,
                    "reply": r.reply})),
        Section("complaints", _l("My complaints"), [
            ("created_at", _l("Date")), ("body", _l("What happened")), ("answer", _l("Answer")),
            ("answered_by", _l("Answered by"))],
            _complaints(select(Complaint).where(Complaint.user_id == user.id))),
        Section("complaints_about_me", _l("Complaints about me"), [
            ("created_at", _l("Date")), ("body", _l("What happened")), ("answer", _l("Answer")),
            ("answered_by", _l("Answered by"))],
            _complaints(select(Complaint).where(Complaint.volunteer_id == user.id))),
        Section("messages", _l("Inbox"), [("created_at", _l("Date")), ("title", _l("Title")),
                                          ("body", _l("Content")), ("read_at", _l("Read at"))],
                _rows(mine(Notification), lambda n: {"created_at": n.created_at, "title": n.title,
                                                     "body": n.body, "read_at": n.read_at})),
        Section("actions", _l("My actions in the audit log"), [
            ("at", _l("When")), ("action", _l("Action")), ("object", _l("Object type")),
            ("fields", _l("Fields"))], _actions(user)),
    ]
    return sections


def _complaints(stmt) -> list[dict]:
    rows = list(db.session.scalars(stmt))
    staff = dict(db.session.execute(select(User.id, User.name).where(
        User.id.in_({c.answered_by_id for c in rows if c.answered_by_id}))).all()) if rows else {}
    return [{"created_at": c.created_at, "body": c.body, "answer": c.answer,
             "answered_by": mask_name(staff.get(c.answered_by_id, ""))} for c in rows]


def _actions(user: User) -> list[dict]:
    from app.audit.models import AuditEntry
    from app.audit.present import field_list
    from app.oversight.labels import ACTION

    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.actor_id == user.id)
                                 .order_by(AuditEntry.id.desc()).limit(AUDIT_LIMIT))
    return [{"at": e.at, "action": str(ACTION.get(e.action, e.action)),
             "object": words.object_type(e.object_type), "fields": field_list(e)} for e in entries]


def as_json(sections: list[Section]) -> dict:
    return {s.key: [{k: _plain(row.get(k)) for k, _ in s.columns} for row in s.rows]
            for s in sections}


def as_xlsx(sections: list[Section]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for s in sections:
        sheet = book.create_sheet(re.sub(r"[\[\]:*?/\\]", "、", str(s.title))[:31])
        sheet.append([str(header) for _, header in s.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in s.rows:
            sheet.append([_plain(row.get(k)) for k, _ in s.columns])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text someone typed never runs as a formula
        for index in range(len(s.columns)):
            sheet.column_dimensions[chr(ord("A") + index)].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

