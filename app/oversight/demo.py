"""Demo: the bureau's morning for the demo tenant — an anomaly scan (which also computes
the dashboard's service totals), a seeded spot check of the spending, and a department
evaluation of 阳光社区服务中心 on the standard template. Idempotent."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.tenancy.models import Tenant

ORDER = 90  # after every domain that makes records and money


def step(tenant: Tenant) -> str | None:
    from app.evaluation import services as evaluation
    from app.evaluation.models import Evaluation
    from app.orgs.models import Organization
    from app.oversight import scan as scanning
    from app.spotchecks import services as spotchecks
    from app.spotchecks.models import SpotCheck
    from app.spotchecks.samplers import available

    officer = db.session.scalar(select(User).where(User.email == "bureau@demo.gongzhi.cn"))
    run = scanning.run_scan(scanning.start_scan(tenant, "cli"))
    done = [f"scan: {run.new_findings} new findings"]
    kind = next((k for k in ("expenditure", "service_record") if k in available()), None)
    if officer and kind and not db.session.scalar(select(SpotCheck.id).where(
            SpotCheck.tenant_id == tenant.id)):
        try:
            spotchecks.draw(tenant, officer, kind, 5, {}, seed="20260401")
            done.append("spot check drawn")
        except spotchecks.SpotCheckError:
            pass
    org = db.session.scalar(select(Organization).where(Organization.tenant_id == tenant.id,
                                                       Organization.name == "阳光社区服务中心"))
    if officer and org and not db.session.scalar(select(Evaluation.id).where(
            Evaluation.tenant_id == tenant.id, Evaluation.org_id == org.id)):
        item = evaluation.start(tenant, officer, org, "department", "2025年度")
        evaluation.score(item, {i["code"]: str(round(i["weight"] * 0.9 * 2) / 2)
                                for i in item.indicators}, {}, "服务记录完整，资金使用规范。")
        evaluation.finalize(item, officer)
        done.append("evaluation finalized")
    db.session.flush()
    return "oversight: " + ", ".join(done)
