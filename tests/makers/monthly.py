"""Isolation makers for monthly reports: a published report of the organization for a past
month. Its public pages (and files) show only the tenant's own reports."""

from __future__ import annotations

from tests.isolation import PUBLIC_ENDPOINTS, maker

PUBLIC_ENDPOINTS.update({"monthly.public_index", "monthly.public_report", "monthly.download_xlsx",
                         "monthly.download_pdf"})


@maker("report_id")
def _report_id(world, org):
    from app.db import utcnow
    from app.extensions import db
    from app.monthly.figures import snapshot
    from app.monthly.models import MonthlyReport

    report = MonthlyReport(tenant_id=world.tenant.id, org_id=org.id, year=2026, month=1,
                           subject=org.name, figures=snapshot(world.tenant.id, org.id, 2026, 1),
                           published_at=utcnow())
    db.session.add(report)
    db.session.flush()
    return report.id
