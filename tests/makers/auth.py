"""Isolation makers for sign-in sessions and API tokens: each belongs to one account (the
world's organization admin), so every other signed-in person must be refused them."""

from __future__ import annotations

from tests.isolation import maker


@maker("session_id")
def _session(world, org):
    from sqlalchemy import select

    from app.auth import sessions
    from app.auth.models import LoginSession, secret_hash
    from app.extensions import db

    key = sessions.begin(world.users.admin, "isolation")
    return db.session.scalar(select(LoginSession.id).where(LoginSession.key_hash == secret_hash(key)))


@maker("token_id")
def _token(world, org):
    from sqlalchemy import select

    from app.auth.models import ApiToken
    from app.auth.services import issue_api_token
    from app.extensions import db

    secret = issue_api_token(world.users.admin, f"isolation {org.id}")
    return db.session.scalar(select(ApiToken.id).where(ApiToken.token_hash == ApiToken.hash(secret)))


@maker("person_id")
def _person(world, org):
    """A volunteer of the world's district, whom only its bureau may sign out."""
    from app.auth.models import Role
    from tests.factories import user_with

    return user_with(world.tenant, Role.VOLUNTEER).id
