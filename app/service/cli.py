"""``flask service remind`` and ``flask service recompute-stars`` (run them from cron:
reminders daily in the evening, stars nightly). They call the jobs in ``workers.service``
directly, or put them on the queue with ``--enqueue``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

service_cli = AppGroup("service", help="Service records: reminders, deadline warnings, stars.")


def _tenants(slug: str | None):
    from app.cli import tenants_named

    return tenants_named(slug)


def _run(job, tenant, enqueue_only: bool):
    from workers.queue import enqueue

    if enqueue_only:
        enqueue(job, tenant.id)
        return "queued"
    return job(tenant.id)


@service_cli.command("remind")
@click.option("--tenant", "slug", help="Only this tenant (slug).")
@click.option("--enqueue", "enqueue_only", is_flag=True, help="Put the jobs on the queue.")
def remind(slug: str | None, enqueue_only: bool):
    """Remind volunteers of tomorrow's shifts; warn coordinators of record deadlines."""
    from workers.service import send_reminders

    for tenant in _tenants(slug):
        click.echo(f"{tenant.slug}: {_run(send_reminders, tenant, enqueue_only)}")


@service_cli.command("recompute-stars")
@click.option("--tenant", "slug", help="Only this tenant (slug).")
@click.option("--enqueue", "enqueue_only", is_flag=True, help="Put the jobs on the queue.")
def recompute(slug: str | None, enqueue_only: bool):
    """Recompute every volunteer's verified hours and star level."""
    from workers.service import recompute_stars

    for tenant in _tenants(slug):
        click.echo(f"{tenant.slug}: {_run(recompute_stars, tenant, enqueue_only)}")


def commands():
    return [service_cli]
