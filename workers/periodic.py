"""The periodic jobs and when they run, for ``flask cron`` (rq's cron scheduler).

Times are Beijing time: rq reads cron fields in the process's local time, and
``flask cron`` sets that to Asia/Shanghai whatever the host's zone. A job that concerns
one tenant is fanned out by ``for_every_tenant`` into one job per
tenant, so one tenant's failure is retried alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Periodic:
    cron: str
    func: str  # "module.function"
    queue: str = "default"
    per_tenant: bool = False


SCHEDULE = (
    Periodic("*/10 * * * *", "workers.ledger.sweep", "ledger"),   # outbox rows whose job was lost
    Periodic("*/5 * * * *", "workers.audit.seal"),                # entries no job has sealed yet
    Periodic("0 2 * * *", "workers.ledger.nightly", "ledger"),    # close months, verify the books
    Periodic("30 2 * * *", "workers.audit.nightly"),              # anomaly scans, then seal
    Periodic("0 3 * * *", "workers.service.recompute_stars", per_tenant=True),
    Periodic("0 9 * * *", "workers.funding.finalize_due", per_tenant=True),
    Periodic("0 18 * * *", "workers.service.send_reminders", per_tenant=True),  # for tomorrow
    Periodic("0 8 * * *", "workers.needs.escalate_overdue", per_tenant=True),  # late needs
    Periodic("15 8-20 * * *", "workers.needs.remind_due", per_tenant=True),  # needs coming due
    Periodic("5 8 * * *", "workers.complaints.escalate_due", per_tenant=True),  # late complaints
    Periodic("0 6 1 * *", "workers.monthly.publish_last_month", per_tenant=True),  # 每月通报
)


def resolve(path: str):
    module, name = path.rsplit(".", 1)
    return getattr(import_module(module), name)


def for_every_tenant(func: str, queue: str = "default") -> int:
    """Queue ``func(tenant_id)`` for each tenant; returns how many were queued."""
    from sqlalchemy import select

    from app.extensions import db
    from app.tenancy.models import Tenant
    from workers.queue import enqueue

    ids = list(db.session.scalars(select(Tenant.id).order_by(Tenant.id)))
    for tenant_id in ids:
        enqueue(resolve(func), tenant_id, queue=queue, retry=2)
    return len(ids)


def scheduler(connection):
    """An rq ``CronScheduler`` with every periodic job registered on our queues."""
    from rq.cron import CronScheduler

    from workers.queue import queue_name

    cron = CronScheduler(connection=connection, name="gongzhi")
    for job in SCHEDULE:
        if job.per_tenant:
            cron.register(for_every_tenant, queue_name(job.queue), args=(job.func, job.queue),
                          cron=job.cron, name=job.func)
        else:
            cron.register(resolve(job.func), queue_name(job.queue), cron=job.cron, name=job.func)
    return cron
