"""Operator commands: ``flask tenant create``, ``flask demo load``, ``flask worker``,
``flask cron``."""

from __future__ import annotations

import os
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.auth.models import User
from app.db_commit import commit
from workers.queue import QUEUES

tenant_cli = AppGroup("tenant", help="Create and list tenants.")
demo_cli = AppGroup("demo", help="Demo data.")


def _fits(column):
    """A parameter callback: the value must fit ``column`` (SQLite would store it whole)."""

    def check(ctx, param, value):
        if value is not None and len(value) > column.type.length:
            raise click.BadParameter(f"at most {column.type.length} characters")
        return value

    return check


def tenants_named(slug: str | None) -> list:
    """The tenant a command names with ``--tenant`` (every tenant, by slug, without it); an
    unknown slug ends the command with a message."""
    from sqlalchemy import select

    from app.extensions import db
    from app.tenancy.models import Tenant

    stmt = select(Tenant).order_by(Tenant.slug)
    if slug:
        stmt = stmt.where(Tenant.slug == slug)
    tenants = db.session.scalars(stmt).all()
    if slug and not tenants:
        raise click.ClickException(f"no tenant {slug!r}")
    return list(tenants)


@tenant_cli.command("create")
@click.argument("slug")
@click.argument("name")
@click.option("--admin", "admin_account", required=True, help="Mobile number or email of the bureau admin.")
@click.option("--admin-name", default="民政局管理员", callback=_fits(User.name))
@click.password_option("--admin-password", prompt="Password for the bureau admin")
def create_tenant(slug: str, name: str, admin_account: str, admin_name: str, admin_password: str):
    """Create tenant SLUG called NAME with its first bureau officer."""
    from app.auth import services as auth
    from app.auth.models import Role
    from app.tenancy.services import TenancyError
    from app.tenancy.services import create_tenant as make

    try:
        tenant = make(slug, name)
        user = auth.find_user(admin_account) or auth.register_user(admin_account, admin_name, admin_password)
        auth.grant_role(user, tenant.id, Role.BUREAU_OFFICER)
    except (TenancyError, auth.AuthError) as exc:
        raise click.ClickException(str(exc)) from exc
    commit()
    click.echo(f"tenant {slug} created; bureau officer: user {user.id}")


@tenant_cli.command("list")
def list_tenants():
    from sqlalchemy import select

    from app.extensions import db
    from app.tenancy.models import Tenant

    for tenant in db.session.scalars(select(Tenant).order_by(Tenant.slug)):
        click.echo(f"{tenant.slug}\t{tenant.name}")


@demo_cli.command("load")
def load_demo():
    """Load (or top up) the demo tenant; running it twice changes nothing."""
    from app.demo import load

    summary = load()
    commit()
    click.echo(summary)


@click.command("worker")
@click.option("--queue", "-q", "queues", multiple=True, type=click.Choice(QUEUES),
              help="Queues to listen on (default: all).")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker(queues: tuple[str, ...], burst: bool):
    """Run a background worker (needs REDIS_URL)."""
    from workers import worker as worker_module

    app = current_app._get_current_object()
    try:
        worker_module.run(app, list(queues or QUEUES), burst=burst)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("cron")
@click.option("--list", "list_only", is_flag=True, help="Print the schedule and exit.")
def cron(list_only: bool):
    """Queue the periodic jobs on time, in Beijing time (needs REDIS_URL; run one, beside
    the workers)."""
    from workers.periodic import SCHEDULE, scheduler
    from workers.queue import redis_connection

    if list_only:
        for job in SCHEDULE:
            click.echo(f"{job.cron:<14} {job.queue:<8} {job.func}"
                       + ("  (each tenant)" if job.per_tenant else ""))
        return
    connection = redis_connection()
    if connection is None:
        raise click.ClickException("REDIS_URL is not set: run the periodic commands from cron instead")
    os.environ["TZ"] = "Asia/Shanghai"  # the schedule's times are Beijing time
    time.tzset()
    scheduler(connection).start()


def _text_only(callback):
    """A parameter callback: text the database cannot hold (a lone surrogate is what an
    argument that was not UTF-8 becomes; NUL and other control characters) is refused with
    the message a form gives, then ``callback`` runs."""

    def check(ctx, param, value):
        from app.inbound import text_problem

        for text in value if isinstance(value, tuple | list) else (value,):
            if isinstance(text, str) and (problem := text_problem(text)):
                raise click.BadParameter(problem, ctx=ctx, param=param)
        return callback(ctx, param, value) if callback else value

    check.checks_text = True
    return check


def refuse_unstorable_arguments(command: click.Command) -> None:
    """Give every parameter of ``command`` and its subcommands the text check."""
    for param in command.params:
        if not getattr(param.callback, "checks_text", False):
            param.callback = _text_only(param.callback)
    for sub in getattr(command, "commands", {}).values():
        refuse_unstorable_arguments(sub)


def init_app(app: Flask) -> None:
    import importlib

    from app import domain_modules
    from app.i18n import i18n_cli

    for command in (tenant_cli, demo_cli, worker, cron, i18n_cli):
        app.cli.add_command(command)
    for name in domain_modules("cli"):
        for command in importlib.import_module(name).commands():
            app.cli.add_command(command)
    refuse_unstorable_arguments(app.cli)  # the libraries' commands (db, openapi) too
