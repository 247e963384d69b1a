"""Return-visit rules (回访): a service whose sampled residents say they were not served."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select

from app.extensions import db
from app.oversight.models import Severity
from app.oversight.rules import Hit, ScanContext, anomaly_rule

MAX_EVIDENCE = 20


@anomaly_rule(
    "service.visit_denied",
    title=_l("Residents say they were not served"),
    message=_l("On return visits, %(denied)s of %(reached)s residents reached say they did not "
               "receive %(project)s on %(day)s, though recorded as served."),
    severity=Severity.HIGH, tables=("return_visit", "service_slot", "project"))
def visit_denied(ctx: ScanContext):
    """Per service slot: among the residents reached on return visits, more than the tenant's
    share (``anomaly_visit_denial_share``, default 0: any one) deny having been served."""
    from app.projects.models import Project, ServiceSlot
    from app.returnvisits.models import ReturnVisit as visit
    from app.service.hours import local_date

    share = float(ctx.setting("anomaly_visit_denial_share") or 0)
    reached = func.sum(case((visit.reached.is_(True), 1), else_=0))
    denied = func.sum(case((and_(visit.reached.is_(True), visit.confirmed.is_(False)), 1),
                           else_=0))
    counts = (select(visit.slot_id, reached.label("reached"), denied.label("denied"))
              .where(visit.tenant_id == ctx.tenant_id, visit.visited_at.is_not(None))
              .group_by(visit.slot_id).having(and_(denied >= 1, denied > reached * share))
              .subquery())
    rows = db.session.execute(
        select(ServiceSlot.id, ServiceSlot.org_id, ServiceSlot.starts_at, Project.name,
               counts.c.reached, counts.c.denied)
        .join(counts, counts.c.slot_id == ServiceSlot.id)
        .join(Project, Project.id == ServiceSlot.project_id)).all()
    for slot_id, org_id, starts_at, project, n_reached, n_denied in rows:
        denials = db.session.scalars(select(visit.id).where(
            visit.slot_id == slot_id, visit.confirmed.is_(False))
            .order_by(visit.id).limit(MAX_EVIDENCE)).all()
        yield Hit(f"service_slot:{slot_id}", org_id,
                  [{"type": "service_slot", "id": slot_id}]
                  + [{"type": "return_visit", "id": i} for i in denials],
                  {"denied": int(n_denied), "reached": int(n_reached), "project": project,
                   "day": local_date(starts_at).isoformat()})
