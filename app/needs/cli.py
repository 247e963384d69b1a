"""``flask needs remind`` and ``flask needs escalate``: remind whoever holds a need coming due,
and take needs past their deadline 超期 one step up the area tree (run them from cron when no
``flask cron`` runs: remind every hour of the day, escalate each morning)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

needs_cli = AppGroup("needs", help="Residents' needs: reminders and escalation.")


@needs_cli.command("escalate")
@click.option("--tenant", "slug", help="Only this tenant (slug).")
def escalate(slug: str | None):
    """Take each late need one step up: the community's staff, the street's, the bureau."""
    from app.cli import tenants_named
    from workers.needs import escalate_overdue

    for tenant in tenants_named(slug):
        click.echo(f"{tenant.slug}: {escalate_overdue(tenant.id)} escalated")


@needs_cli.command("remind")
@click.option("--tenant", "slug", help="Only this tenant (slug).")
def remind(slug: str | None):
    """Remind whoever holds each need coming due (once per need)."""
    from app.cli import tenants_named
    from workers.needs import remind_due

    for tenant in tenants_named(slug):
        click.echo(f"{tenant.slug}: {remind_due(tenant.id)} reminded")


def commands():
    return [needs_cli]
