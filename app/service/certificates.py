"""Proof of service (志愿服务记录证明): free, self-service, any date range, verifiable by anyone.

A certificate stores what it certifies (``content``: the volunteer with the ID masked, the
period, verified hours, the activities and the organizations that recorded them with their
contacts — "whoever records, certifies" 谁记录谁证明: the recording units certify, the platform
only makes the document on their behalf) with the SHA-256 ``digest`` of its canonical JSON and an
HMAC-SHA256 ``signature`` over number and digest made with the app secret. The public
verification page recomputes both: changed content, a changed digest or a made-up number
are all reported. The PDF carries the number, the first 16 digits of the digest and a QR code
to the verification page.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app import files, storage
from app.auth.models import User
from app.db import utcnow
from app.extensions import db
from app.orgs.models import Organization
from app.privacy import mask_id_number, mask_phone
from app.service.hours import format_minutes, local_date
from app.service.models import Certificate, RecordStatus, ServiceRecord
from app.service.services import ServiceError
from app.tenancy.models import Tenant
from app.volunteers.models import VolunteerProfile

# WeasyPrint and fontTools log every layout step at INFO; the app log keeps our own events.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)

#: Certificates with more records than this are rendered by a background job.
LARGE = 150
CODE_LENGTH = 16


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def digest_of(content: dict) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()


def sign(number: str, digest: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{number}:{digest}".encode(), hashlib.sha256).hexdigest()


def _content(tenant: Tenant, volunteer: User, number: str, date_from: date, date_to: date,
             issued_on: date) -> dict:
    where = (ServiceRecord.tenant_id == tenant.id, ServiceRecord.user_id == volunteer.id,
             ServiceRecord.status == RecordStatus.VERIFIED,
             ServiceRecord.activity_date >= date_from, ServiceRecord.activity_date <= date_to)
    orgs = db.session.execute(
        select(ServiceRecord.organizing_unit, func.sum(ServiceRecord.minutes),
               func.count(ServiceRecord.id), Organization.contact_name, Organization.contact_phone)
        .join(Organization, Organization.id == ServiceRecord.org_id)
        .where(*where).group_by(ServiceRecord.organizing_unit, Organization.id)
        .order_by(func.sum(ServiceRecord.minutes).desc(), ServiceRecord.organizing_unit)).all()
    activities = db.session.execute(
        select(ServiceRecord.activity_date, ServiceRecord.activity_name,
               ServiceRecord.organizing_unit, ServiceRecord.place, ServiceRecord.content,
               ServiceRecord.leader_name, ServiceRecord.minutes)
        .where(*where).order_by(ServiceRecord.activity_date, ServiceRecord.id)).all()
    profile = db.session.scalar(select(VolunteerProfile).where(
        VolunteerProfile.tenant_id == tenant.id, VolunteerProfile.user_id == volunteer.id))
    return {
        "number": number, "issuer": tenant.name, "issued_on": issued_on.isoformat(),
        "volunteer": {"name": profile.real_name if profile else volunteer.name,
                      "id_number": mask_id_number(profile.id_number) if profile else ""},
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "total_minutes": sum(int(m) for _, m, *_ in orgs),
        "record_count": len(activities),
        # The recording units (记录单位) certify what they recorded, each with its contact.
        "organizations": [{"name": name, "minutes": int(m), "records": int(n),
                           "contact_name": contact or "", "contact_phone": mask_phone(phone)}
                          for name, m, n, contact, phone in orgs],
        "activities": [{"date": d.isoformat(), "name": name, "unit": unit, "place": place,
                        "content": (content or "")[:200], "leader": leader, "minutes": minutes}
                       for d, name, unit, place, content, leader, minutes in activities],
    }


def issue(tenant: Tenant, volunteer: User, requester: User, date_from: date, date_to: date,
          *, base_url: str = "", now: datetime | None = None) -> Certificate:
    """Issue a numbered proof of the volunteer's verified service in the period."""
    now = now or utcnow()
    if requester.id != volunteer.id:
        raise ServiceError(_l("You can only request proof of your own service."), 403)
    today = local_date(now)
    if date_from > date_to:
        raise ServiceError(_l("The start date must not be after the end date."))
    if date_to > today:
        raise ServiceError(_l("The period cannot end in the future."))
    number = f"GZ{today:%Y}-{secrets.token_hex(5).upper()}"
    content = _content(tenant, volunteer, number, date_from, date_to, today)
    if not content["record_count"]:
        raise ServiceError(_l("There are no verified hours in this period."))
    digest = digest_of(content)
    certificate = Certificate(
        tenant_id=tenant.id, number=number, user_id=volunteer.id, date_from=date_from,
        date_to=date_to, total_minutes=content["total_minutes"],
        record_count=content["record_count"], content=content, digest=digest,
        signature=sign(number, digest), base_url=base_url.rstrip("/"), pdf_status="pending")
    db.session.add(certificate)
    db.session.flush()
    return certificate


@dataclass
class Verification:
    status: str  # genuine / altered / unknown
    certificate: Certificate | None = None
    code_matches: bool | None = None  # the code printed on the document, when given


def verify(tenant_id: int, number: str, code: str | None = None) -> Verification:
    certificate = db.session.scalar(select(Certificate).where(
        Certificate.tenant_id == tenant_id, Certificate.number == (number or "").strip().upper()))
    if certificate is None:
        return Verification("unknown")
    content = certificate.content or {}
    intact = (
        digest_of(content) == certificate.digest
        and hmac.compare_digest(sign(certificate.number, certificate.digest),
                                certificate.signature)
        and content.get("number") == certificate.number
        and content.get("total_minutes") == certificate.total_minutes)
    matches = None if not code else certificate.digest[:CODE_LENGTH] == code.strip().lower()
    return Verification("genuine" if intact else "altered", certificate, matches)


def verify_url(certificate: Certificate, tenant: Tenant) -> str:
    return (f"{certificate.base_url}/t/{tenant.slug}/service/verify/{certificate.number}"
            f"?c={certificate.digest[:CODE_LENGTH]}")


FOLDER = "certificates"


def pdf_key(certificate: Certificate) -> str:
    """The PDF's key in the exports area; ``FileNotFoundError`` when the number is not a
    plain name."""
    if "/" in certificate.number:
        raise FileNotFoundError(certificate.number)
    key = f"{FOLDER}/{certificate.number}.pdf"
    files.parts(key)  # a backslash or a NUL in it names nothing
    return key


def has_pdf(certificate: Certificate) -> bool:
    """Whether the PDF is ready and kept."""
    try:
        key = pdf_key(certificate)
    except FileNotFoundError:
        return False
    return certificate.pdf_status == "ready" and storage.area(storage.EXPORTS).exists(key, FOLDER)


def chinese_date(iso: str) -> str:
    """``2026-01-05`` → ``2026年1月5日``, as the document is written."""
    day = date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def render_pdf(certificate: Certificate) -> bytes:
    """The certificate as an A4 PDF in Chinese (Noto Sans CJK SC)."""
    import segno
    import weasyprint

    tenant = db.session.get(Tenant, certificate.tenant_id)
    url = verify_url(certificate, tenant)
    with force_locale("zh_CN"):
        html = render_template("service/certificate_pdf.html", certificate=certificate,
                               c=certificate.content, url=url, day=chinese_date,
                               code=certificate.digest[:CODE_LENGTH],
                               qr=segno.make(url, error="m").svg_data_uri(scale=3, border=1))
    return weasyprint.HTML(string=html).write_pdf()


def store_pdf(certificate: Certificate, now: datetime | None = None) -> str:
    """Render and keep the PDF file; idempotent. Returns its key in the exports area."""
    key = pdf_key(certificate)
    if has_pdf(certificate):
        return key
    storage.area(storage.EXPORTS).put(key, render_pdf(certificate))
    certificate.pdf_status, certificate.pdf_rendered_at = "ready", now or utcnow()
    db.session.flush()
    return key


def of_volunteer(tenant_id: int, user_id: int, limit: int = 20) -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(
        Certificate.tenant_id == tenant_id, Certificate.user_id == user_id)
        .order_by(Certificate.id.desc()).limit(limit)))


def tell_ready(certificate: Certificate) -> None:
    from app.notifications.services import notify

    tenant = db.session.get(Tenant, certificate.tenant_id)
    notify(db.session.get(User, certificate.user_id),
           _l("Your proof of service %(number)s is ready", number=certificate.number),
           _l("%(hours)s verified hours from %(start)s to %(end)s.",
              hours=format_minutes(certificate.total_minutes),
              start=certificate.date_from.isoformat(),
              end=certificate.date_to.isoformat()),
           link=f"/t/{tenant.slug}/service/me", tenant_id=tenant.id)
