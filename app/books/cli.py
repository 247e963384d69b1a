"""``flask ledger …``: verify the books, print balances, drain the outbox, rebuild the index.

Every command acts on one tenant (``--tenant``) or on all of them. Output is in
the installation's default language.
"""

from __future__ import annotations

import functools
import json

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.tenancy.models import Tenant

ledger_cli = AppGroup("ledger", help="The beancount books: verify, balances, drain, rebuild.")


def _localized(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_CN")):
            return fn(*args, **kwargs)

    return wrapper


def _tenants(slug: str | None) -> list[Tenant]:
    if slug is None:
        return list(db.session.scalars(select(Tenant).order_by(Tenant.slug)))
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(_("There is no tenant %(slug)s.", slug=slug))
    return [tenant]


tenant_option = click.option("--tenant", "slug", help="Tenant slug (default: every tenant).")
#: A fiscal year the books can have (a mistyped year is refused, not looked for).
YEAR = click.IntRange(2000, 2099)


@ledger_cli.command("verify")
@tenant_option
@click.option("--year", type=YEAR, help="Only this fiscal year.")
@_localized
def verify_cmd(slug: str | None, year: int | None) -> None:
    """Load each journal with beancount, check the hash chain, reconcile the index.

    Exits non-zero on any problem. The outcome is recorded for the pages.
    """
    from app.books.audit import verify_tenant

    failed = 0
    for tenant in _tenants(slug):
        outcome = verify_tenant(tenant.id, year)
        if outcome.ok and not outcome.years:
            click.echo(_("%(tenant)s: nothing posted yet.", tenant=tenant.slug))
            continue
        if outcome.ok:
            click.echo(_("%(tenant)s: OK — %(count)s transactions in %(years)s, the index "
                         "matches the journal.", tenant=tenant.slug,
                         count=outcome.transactions,
                         years=", ".join(str(y) for y in outcome.years) or "-"))
            continue
        failed += 1
        click.echo(_("%(tenant)s: %(count)s problems found:", tenant=tenant.slug,
                     count=len(outcome.problems)), err=True)
        for line in outcome.problems:
            click.echo(f"  {line}", err=True)
    if failed:
        raise SystemExit(1)


@ledger_cli.command("balances")
@click.option("--tenant", "slug", required=True, help="Tenant slug.")
@click.option("--year", type=YEAR, required=True, help="Fiscal year.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with string amounts.")
@_localized
def balances_cmd(slug: str, year: int, as_json: bool) -> None:
    """Every account's balance at the end of a fiscal year, read from the journal."""
    from app.books.audit import journal_balances

    [tenant] = _tenants(slug)
    balances = journal_balances(tenant.id, year)
    if as_json:
        click.echo(json.dumps({a: {c: str(n) for c, n in sorted(per.items())}
                               for a, per in sorted(balances.items())},
                              ensure_ascii=False, indent=2))
        return
    if not balances:
        click.echo(_("No journal for %(tenant)s in %(year)s.", tenant=slug, year=year))
        return
    width = max(len(a) for a in balances)
    for account, per in sorted(balances.items()):
        for commodity, number in sorted(per.items()):
            click.echo(f"{account:<{width}}  {number:>18} {commodity}")


@ledger_cli.command("drain")
@tenant_option
@_localized
def drain_cmd(slug: str | None) -> None:
    """Post every pending outbox event now (the sweep, e.g. after Redis was down)."""
    from app.books import drain as posting

    tenants = _tenants(slug)
    wanted = {t.id for t in tenants} & set(posting.pending_tenants())
    failed = 0
    for tenant in tenants:
        if tenant.id not in wanted:
            continue
        try:
            count = posting.drain(tenant.id)
        except Exception as exc:
            failed += 1
            click.echo(_("%(tenant)s: not posted: %(error)s", tenant=tenant.slug,
                         error=str(exc)), err=True)
            continue
        click.echo(_("%(tenant)s: %(count)s events posted.", tenant=tenant.slug, count=count))
    if not wanted:
        click.echo(_("Nothing is waiting to be posted."))
    if failed:
        raise SystemExit(1)


@ledger_cli.command("close-month")
@tenant_option
@click.option("--year", type=YEAR, help="With --month: close up to this month.")
@click.option("--month", type=click.IntRange(1, 12), help="With --year.")
@_localized
def close_month_cmd(slug: str | None, year: int | None, month: int | None) -> None:
    """Write month-end balance assertions for ended months (closing December closes the
    year). Without --year/--month, closes what the nightly job would close today."""
    from app.books import drain as posting

    if (year is None) != (month is None):
        raise click.UsageError(_("Give both --year and --month, or neither."))
    for tenant in _tenants(slug):
        if year is None:
            written = posting.close_due_months(tenant.id)
        else:
            written = posting.close_month(tenant.id, year, month)
        click.echo(_("%(tenant)s: books closed (%(count)s carry-over transactions).",
                     tenant=tenant.slug, count=written))


@ledger_cli.command("rebuild-index")
@tenant_option
@click.option("--force", is_flag=True, help="Rebuild even if the journal does not verify.")
@_localized
def rebuild_cmd(slug: str | None, force: bool) -> None:
    """Replace the SQL read index with what the journal says."""
    from app.books.audit import RebuildRefused, rebuild_index

    failed = 0
    for tenant in _tenants(slug):
        try:
            count = rebuild_index(tenant.id, force=force)
        except RebuildRefused as exc:
            failed += 1
            click.echo(_("%(tenant)s: the journal does not verify; the index was not "
                         "rebuilt:", tenant=tenant.slug), err=True)
            click.echo(f"  {exc}", err=True)
            continue
        click.echo(_("%(tenant)s: index rebuilt from the journal, %(count)s transactions.",
                     tenant=tenant.slug, count=count))
    if failed:
        raise SystemExit(1)


@ledger_cli.command("status")
@tenant_option
@_localized
def status_cmd(slug: str | None) -> None:
    """Events waiting to be posted (and why they fail), and the last verification."""
    from app.books import services
    from app.templating import localtime

    for tenant in _tenants(slug):
        outbox = services.outbox_status(tenant.id)
        last = services.last_verified(tenant.id)
        if last is None:
            checked = _("never verified")
        elif last.ok:
            checked = _("verified %(when)s: OK", when=localtime(last.checked_at))
        else:
            checked = _("verified %(when)s: %(count)s problems", when=localtime(last.checked_at),
                        count=last.problems)
        click.echo(_("%(tenant)s: %(pending)s waiting, %(failing)s failing; %(checked)s",
                     tenant=tenant.slug, pending=outbox.pending, failing=outbox.failing,
                     checked=checked))
        if outbox.last_error:
            click.echo(f"  {outbox.last_error}")


def commands() -> list[click.Command]:
    return [ledger_cli]
