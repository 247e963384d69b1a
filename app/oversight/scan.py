"""Running the anomaly rules and keeping the findings queue (one finding per rule + subject).

A scan runs each available rule in its own savepoint: a failing rule is recorded on the
run and the others still report. New subjects become findings; subjects seen before get
their last-seen time, count and evidence refreshed, whatever their status, so a re-run
never duplicates and a resolved finding keeps its resolution.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from sqlalchemy import bindparam, select, text, update

from app.db import utcnow
from app.extensions import db
from app.oversight.models import Finding, ScanRun, ScanStatus
from app.oversight.rules import AnomalyRule, Hit, ScanContext, active_rules
from app.tenancy.models import Tenant

log = logging.getLogger(__name__)
_LOCK_KEY = 720_4402


def start_scan(tenant: Tenant, trigger: str, user_id: int | None = None) -> ScanRun:
    scan = ScanRun(tenant_id=tenant.id, trigger=trigger, requested_by_id=user_id,
                   status=ScanStatus.QUEUED)
    db.session.add(scan)
    db.session.flush()
    return scan


def run_scan(scan: ScanRun, rules: Iterable[AnomalyRule] | None = None) -> ScanRun:
    """Run ``rules`` (default: every available rule) for the scan's tenant. Caller commits."""
    tenant = db.session.get(Tenant, scan.tenant_id)
    if db.session.get_bind().dialect.name == "postgresql":
        # One scan per tenant at a time: two would race to insert the same finding.
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k, :t)"),
                           {"k": _LOCK_KEY, "t": tenant.id})
    scan.status, scan.started_at = ScanStatus.RUNNING, utcnow()
    ctx = ScanContext(tenant=tenant, now=scan.started_at)
    stats: dict[str, dict] = {}
    for rule in (active_rules() if rules is None else rules):
        began = time.perf_counter()
        try:
            with db.session.begin_nested():
                hits = _unique(rule.run(ctx))
                new = record_hits(scan, rule, hits)
        except Exception as exc:  # one broken rule must not hide the others' findings
            log.exception("anomaly rule %s failed", rule.code)
            stats[rule.code] = {"error": str(exc)[:300]}
            continue
        stats[rule.code] = {"hits": len(hits), "new": new,
                            "ms": round((time.perf_counter() - began) * 1000)}
        scan.hits += len(hits)
        scan.new_findings += new
    scan.rule_stats = stats
    scan.finished_at = utcnow()
    failed = [code for code, s in stats.items() if "error" in s]
    scan.status = ScanStatus.FAILED if failed and len(failed) == len(stats) else ScanStatus.DONE
    scan.error = ", ".join(failed)
    from app.oversight.service_figures import refresh_summary

    refresh_summary(tenant.id)  # the dashboard's service totals, recomputed with each scan
    db.session.flush()
    return scan


def _unique(hits: Iterable[Hit]) -> list[Hit]:
    seen: dict[str, Hit] = {}
    for hit in hits:
        seen.setdefault(hit.subject_key[:200], hit)
    return list(seen.values())


def record_hits(scan: ScanRun, rule: AnomalyRule, hits: list[Hit]) -> int:
    """Insert findings for new subjects, refresh the ones seen before; returns the new count."""
    known = dict(db.session.execute(
        select(Finding.subject_key, Finding.id).where(
            Finding.tenant_id == scan.tenant_id, Finding.rule == rule.code)).all())
    now = scan.started_at or utcnow()
    fresh, again = [], []
    for hit in hits:
        key = hit.subject_key[:200]
        if key in known:
            again.append({"fid": known[key], "ev": hit.evidence, "dt": hit.details})
        else:
            fresh.append(Finding(
                tenant_id=scan.tenant_id, rule=rule.code, subject_key=key, org_id=hit.org_id,
                severity=hit.severity or rule.severity, details=hit.details,
                evidence=hit.evidence, first_seen_at=now, last_seen_at=now,
                first_scan_id=scan.id, last_scan_id=scan.id))
    if again:
        table = Finding.__table__
        db.session.execute(
            update(table).where(table.c.id == bindparam("fid")).values(
                last_seen_at=now, times_seen=table.c.times_seen + 1, last_scan_id=scan.id,
                evidence=bindparam("ev"), details=bindparam("dt")),
            again)
    if fresh:
        db.session.add_all(fresh)
        db.session.flush()
    return len(fresh)
