"""``flask audit seal`` and ``flask audit verify``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.audit import chain
from app.db_commit import commit


def commands():
    group = AppGroup("audit", help="The hash-chained audit log.")

    @group.command("seal")
    def seal_cmd():
        """Seal unsealed entries into the chain."""
        count = chain.seal()
        commit()
        click.echo(f"sealed {count} entries")

    @group.command("verify")
    def verify_cmd():
        """Recompute the chain; exit 1 if any entry was edited, deleted or inserted."""
        chain.seal()
        commit()
        report = chain.verify()
        click.echo(report.message)
        if not report.ok:
            raise SystemExit(1)

    return [group]
