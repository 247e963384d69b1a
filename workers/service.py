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
    if certificate.pdf_status == "ready" and certificates.pdf_path(certificate).exists():
        return "ready"
    certificates.store_pdf(certificate)
    certificates.tell_ready(certificate)
    commit()
    return "rendered"
