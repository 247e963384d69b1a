"""``flask funding finalize-due``: the daily sweep that makes expenditures final once their
overseer window has passed without an open objection (one idempotent job per tenant)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

funding_cli = AppGroup("funding", help="Public funding.")


@funding_cli.command("finalize-due")
def finalize_due_command():
    """Queue the finalize job for every tenant (inline when no Redis is configured)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.tenancy.models import Tenant
    from workers.funding import finalize_due
    from workers.queue import enqueue

    for tenant_id, slug in db.session.execute(select(Tenant.id, Tenant.slug).order_by(Tenant.id)):
        enqueue(finalize_due, tenant_id, queue="default", retry=2)
        click.echo(f"{slug}: finalize job queued")


def commands():
    return [funding_cli]
