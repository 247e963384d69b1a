"""``flask tenant settings SLUG``: the district's rules in force and the changes waiting;
``--set KEY=VALUE --from YYYY-MM-DD --by ACCOUNT`` proposes a change, ``--approve ID --by
ACCOUNT`` approves one (a money rule's change needs a bureau officer other than its proposer).
"""

from __future__ import annotations

import click
from sqlalchemy import select

from app.cli import tenant_cli

MAX_ID = 2**31 - 1


def _tenant(slug: str):
    from app.extensions import db
    from app.tenancy.models import Tenant
    from app.tenancy.scoping import bind_tenant_for_job

    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise click.ClickException(f"no tenant {slug!r}")
    bind_tenant_for_job(tenant)
    return tenant


def _officer(account: str | None, tenant):
    from app.auth.services import find_user
    from app.rules.services import is_officer

    if not account:
        raise click.ClickException("say who acts: --by ACCOUNT (a bureau officer's mobile "
                                   "number or email)")
    user = find_user(account)
    if user is None or not user.active or not is_officer(user, tenant):
        raise click.ClickException(f"{account!r} is not a bureau officer of {tenant.slug}")
    return user


def _show(tenant) -> None:
    from app.rules import services
    from app.rules.catalogue import CATALOGUE, words

    for key, spec in CATALOGUE.items():
        mark = " [money]" if spec.money else ""
        click.echo(f"{key}\t{spec.name}{mark}\t{words(spec, tenant.setting(key))}")
    waiting = services.pending(tenant)
    click.echo(f"\npending: {len(waiting)}")
    for change in waiting:
        spec = CATALOGUE[change.rule]
        click.echo(f"#{change.id}\t{change.rule}\t{words(spec, change.before)} -> "
                   f"{words(spec, change.after)}\tfrom {change.effective_from}\t"
                   f"proposed by {change.proposed_by.name}")


@tenant_cli.command("settings")
@click.argument("slug")
@click.option("--set", "assignment", metavar="KEY=VALUE",
              help="Propose a new value (amounts in yuan; lists separated by commas).")
@click.option("--from", "start", metavar="YYYY-MM-DD",
              help="The day the new value takes effect (today or later; default today).")
@click.option("--approve", "change_id", type=int, help="Approve the pending change with this id.")
@click.option("--by", "account", help="The bureau officer acting (mobile number or email).")
def settings(slug: str, assignment: str | None, start: str | None, change_id: int | None,
             account: str | None):
    """List the rules of tenant SLUG in force and the changes waiting; propose or approve a
    change."""
    from app.audit.capture import act_as
    from app.db_commit import commit
    from app.extensions import db
    from app.parsing import DateInputError, local_today, parse_date
    from app.rules import services
    from app.rules.catalogue import CATALOGUE, RuleError, words
    from app.rules.models import RuleChange

    tenant = _tenant(slug)
    if assignment is not None and change_id is not None:
        raise click.ClickException("give either --set or --approve, not both")
    if assignment is None and change_id is None:
        if start is not None or account is not None:
            raise click.ClickException("--from and --by go with --set or --approve")
        _show(tenant)
        return
    user = _officer(account, tenant)
    act_as(user.id, "cli tenant settings")
    try:
        if assignment is not None:
            key, sep, value = assignment.partition("=")
            if not sep:
                raise click.ClickException("write the change as KEY=VALUE")
            try:
                day = parse_date(start) if start is not None else local_today()
            except DateInputError as exc:
                raise click.ClickException(str(exc)) from None
            change = services.propose(tenant, user, key.strip(), value, day)
            state = "waiting for a second officer" if change.status == "pending" else "in force"
        else:
            if start is not None:
                raise click.ClickException("--from goes with --set")
            change = (db.session.scalar(select(RuleChange).where(
                RuleChange.tenant_id == tenant.id, RuleChange.id == change_id))
                if 0 < change_id <= MAX_ID else None)
            if change is None:
                raise click.ClickException(f"no rule change #{change_id} in {slug}")
            services.approve(change, user)
            state = "approved"
    except RuleError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    commit()
    spec = CATALOGUE[change.rule]
    click.echo(f"#{change.id} {change.rule}: {words(spec, change.after)} from "
               f"{change.effective_from} ({state})")


def commands():
    """The command joins ``flask tenant`` (registered there on import)."""
    return []
