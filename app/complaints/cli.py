"""``flask complaints escalate``: take complaints that are late or were reopened one step up
the area tree — community, street, bureau (run it from cron each morning when no
``flask cron`` runs)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

complaints_cli = AppGroup("complaints", help="Complaints: escalate late or reopened ones.")


@complaints_cli.command("escalate")
@click.option("--tenant", "slug", help="Only this tenant (slug).")
def escalate(slug: str | None):
    """Take every tenant's late or reopened complaints one step up (each step once)."""
    from app.cli import tenants_named
    from workers.complaints import escalate_due

    tenants = tenants_named(slug)
    for tenant in tenants:
        click.echo(f"{tenant.slug}: {escalate_due(tenant.id)} steps of escalation")


def commands():
    return [complaints_cli]
