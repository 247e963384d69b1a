"""Operator commands for accounts: ``flask user sign-out``, ``flask user tokens``,
``flask user revoke-token``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.db_commit import commit

user_cli = AppGroup("user", help="Sign accounts out and revoke their API tokens.")


def _user(account: str):
    from app.auth.services import find_user

    user = find_user(account)
    if user is None:
        raise click.ClickException(f"no account {account!r}")
    return user


@user_cli.command("sign-out")
@click.argument("account")
@click.option("--tokens", is_flag=True, help="Revoke every API token of the account too.")
def sign_out(account: str, tokens: bool):
    """End every session of ACCOUNT (mobile number or email), on every device."""
    from app.auth import services, sessions

    user = _user(account)
    ended = sessions.end_all(user)
    revoked = services.revoke_tokens(user) if tokens else 0
    commit()
    click.echo(f"user {user.id}: {ended} session(s) ended, {revoked} token(s) revoked")


@user_cli.command("tokens")
@click.argument("account")
def list_tokens(account: str):
    """List ACCOUNT's API tokens that are not revoked."""
    from app.auth.services import tokens_of
    from app.db import utcnow

    now = utcnow()
    for token in tokens_of(_user(account)):
        used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
        click.echo(f"{token.id}\t{token.name}\t{'active' if token.is_live(now) else 'expired'}"
                   f"\texpires {token.expires_at.isoformat(timespec='minutes')}\tlast used {used}")


@user_cli.command("revoke-token")
@click.argument("token_id", type=click.IntRange(1, 2**31 - 1))
def revoke_token(token_id: int):
    """Revoke the API token TOKEN_ID (see ``flask user tokens``)."""
    from app.auth import services
    from app.auth.models import ApiToken
    from app.extensions import db

    token = db.session.get(ApiToken, token_id)
    if token is None or token.revoked_at is not None:
        raise click.ClickException(f"no live token {token_id}")
    services.revoke_token(token)
    commit()
    click.echo(f"token {token_id} of user {token.user_id} revoked")


def commands():
    return [user_cli]
