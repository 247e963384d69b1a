"""Jobs of the service domain: reminders, deadline warnings, certificate PDFs, stars.

Each takes ids, runs in an app context, and is idempotent.
"""

from __future__ import annotations


def render_certificate(certificate_id: int) -> str:
    """Render a large certificate's PDF and tell its volunteer it is ready."""
    from app.db_commit import commit
    from app.extensions import db
    from app.service import certificates
    from app.service.models import Certificate

    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        return "missing"
    if certificate.pdf_status == "ready" and certificates.has_pdf(certificate):
        return "ready"
    certificates.store_pdf(certificate)
    certificates.tell_ready(certificate)
    commit()
    return "rendered"


def send_reminders(tenant_id: int, now_iso: str | None = None) -> dict:
    """Shift reminders for tomorrow and record-deadline warnings for one tenant."""
    from datetime import datetime

    from app.db_commit import commit
    from app.extensions import db
    from app.service import reminders
    from app.tenancy.models import Tenant

    tenant = db.session.get(Tenant, tenant_id)
    now = datetime.fromisoformat(now_iso) if now_iso else None
    result = {"reminders": reminders.remind_shifts(tenant, now),
              "deadline_warnings": reminders.warn_deadlines(tenant, now)}
    commit()
    return result


def recompute_stars(tenant_id: int) -> int:
    """Nightly: every volunteer's verified minutes and stars, set-based."""
    from app.db_commit import commit
    from app.extensions import db
    from app.service import standing
    from app.tenancy.models import Tenant

    changed = standing.recompute_stars(db.session.get(Tenant, tenant_id))
    commit()
    return changed
