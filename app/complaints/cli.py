"""``flask complaints escalate``: escalate complaints that are late or were reopened to the
bureau (run it from cron each morning when no ``flask cron`` runs)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

complaints_cli = AppGroup("complaints", help="Complaints: escalate late or reopened ones.")


@complaints_cli.command("escalate")
@click.option("--tenant", "slug", help="Only this tenant (slug).")
def escalate(slug: str | None):
    """Escalate every tenant's late or reopened complaints (once per round)."""
    from app.cli import tenants_named
    from workers.complaints import escalate_due

    tenants = tenants_named(slug)
    for tenant in tenants:
        click.echo(f"{tenant.slug}: {escalate_due(tenant.id)} escalated")


def commands():
    return [complaints_cli]
