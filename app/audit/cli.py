"""``flask audit seal|verify|scan|nightly``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.audit import chain
from app.db_commit import commit


def commands():
    group = AppGroup("audit", help="The hash-chained audit log and the anomaly scans.")

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

    @group.command("scan")
    @click.option("--tenant", "slugs", multiple=True, help="Tenant slug (default: every tenant).")
    @click.option("--rule", "codes", multiple=True, help="Only these rules (default: all).")
    def scan_cmd(slugs: tuple[str, ...], codes: tuple[str, ...]):
        """Run the anomaly rules now and print what each found."""
        from sqlalchemy import select

        from app.audit.capture import act_as
        from app.extensions import db
        from app.oversight import scan as scanning
        from app.oversight.rules import active_rules, all_rules
        from app.tenancy.models import Tenant
        from app.tenancy.scoping import bind_tenant_for_job

        unknown = set(codes) - set(all_rules())
        if unknown:
            raise click.ClickException(f"unknown rule(s): {', '.join(sorted(unknown))}")
        rules = [r for r in active_rules() if not codes or r.code in codes]
        stmt = select(Tenant).order_by(Tenant.id)
        if slugs:
            stmt = stmt.where(Tenant.slug.in_(slugs))
        tenants = db.session.scalars(stmt).all()
        if slugs and len(tenants) != len(set(slugs)):
            raise click.ClickException("unknown tenant")
        act_as(None, "cli.audit.scan")
        for tenant in tenants:
            bind_tenant_for_job(tenant)
            run = scanning.run_scan(scanning.start_scan(tenant, "cli"), rules)
            commit()
            for code, stats in sorted(run.rule_stats.items()):
                if "error" in stats:
                    click.echo(f"{tenant.slug}\t{code}\tERROR {stats['error']}")
                else:
                    click.echo(f"{tenant.slug}\t{code}\t{stats['hits']} hits, {stats['new']} new"
                               f"\t{stats['ms']} ms")
            click.echo(f"{tenant.slug}: scan {run.id} {run.status}, {run.new_findings} new findings")

    @group.command("nightly")
    def nightly_cmd():
        """Queue every tenant's anomaly scan and seal the log (run it from cron each night)."""
        from workers import audit as jobs
        from workers.queue import enqueue

        enqueue(jobs.nightly, queue="default")
        click.echo("nightly audit queued")

    return [group]
