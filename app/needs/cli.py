"""``flask needs escalate``: mark needs past their deadline 超期 and tell the bureau (run it
from cron each morning when no ``flask cron`` runs)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

needs_cli = AppGroup("needs", help="Residents' needs: escalate overdue ones.")


@needs_cli.command("escalate")
@click.option("--tenant", "slug", help="Only this tenant (slug).")
def escalate(slug: str | None):
    """Escalate every tenant's needs that passed their deadline unmet (once per need)."""
    from app.cli import tenants_named
    from workers.needs import escalate_overdue

    tenants = tenants_named(slug)
    for tenant in tenants:
        click.echo(f"{tenant.slug}: {escalate_overdue(tenant.id)} escalated")


def commands():
    return [needs_cli]
